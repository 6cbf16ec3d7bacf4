"""One document in, one prediction set out: the layers assembled, given ids, labelled and checked.

Ids follow reading order per layer (``E``, ``T``, ``V``, ``A``) and the set has no timestamps, so the
same text and the same toolkit/model versions always give the same bytes. The set is validated
before it is returned: a record the validator rejects is dropped (a timex value is cleared), so a
prediction set can always be written next to human sets without breaking ``secnews validate``.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable
from typing import Any

from secnews.annotate.preannotate import lexicon as lx
from secnews.annotate.preannotate.attributions import AttributionGuess, extract_attributions
from secnews.annotate.preannotate.entities import EntityGuess, country_code, extract_entities
from secnews.annotate.preannotate.events import EventGuess, extract_events
from secnews.annotate.preannotate.pipeline import SET_ID, TOOL, annotator, model_version
from secnews.annotate.preannotate.timexes import TimexGuess, extract_timexes
from secnews.core.findings import Finding, make_finding
from secnews.core.taxonomy import load_taxonomy

LAYERS: tuple[str, ...] = ("entities", "timexes", "events", "attributions")
Record = dict[str, Any]

#: event types that make an article security news (everything but a bare agreement)
_SECURITY_EVENTS = frozenset(load_taxonomy().event_types) - {"AGREEMENT", "OTHER"}


def parse_layers(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"entities,timexes"`` -> the layers in canonical order; unknown names raise ``ValueError``."""
    if spec is None:
        return LAYERS
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    unknown = sorted(set(names) - set(LAYERS))
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(unknown)}; choose from {', '.join(LAYERS)}")
    return tuple(layer for layer in LAYERS if layer in names)


# ----------------------------------------------------------------------------------------- records
def _span(text: str, start: int, end: int) -> Record:
    return {"start": start, "end": end, "text": text[start:end]}


def _entity_records(text: str, guesses: list[EntityGuess]) -> list[Record]:
    return [
        {
            "id": f"E{i}",
            **_span(text, g.start, g.end),
            "type": g.type,
            "mention": g.mention,
            "actor": g.actor,
            "score": g.score,
        }
        for i, g in enumerate(guesses, 1)
    ]


def _timex_records(text: str, guesses: list[TimexGuess]) -> list[Record]:
    return [
        {
            "id": f"T{i}",
            **_span(text, g.start, g.end),
            "type": g.type,
            "value": g.value,
            "anchor": g.anchor,
            "mod": g.mod,
            "score": g.score,
        }
        for i, g in enumerate(guesses, 1)
    ]


def _event_records(text: str, guesses: list[EventGuess]) -> list[Record]:
    return [
        {
            "id": f"V{i}",
            "type": g.type,
            "trigger": _span(text, g.start, g.end),
            "realis": g.realis,
            "fatalities": g.fatalities,
            "arguments": [{"role": r, "ref": ref} for r, ref in g.arguments],
            "score": g.score,
        }
        for i, g in enumerate(guesses, 1)
    ]


def _attribution_records(text: str, guesses: list[AttributionGuess]) -> list[Record]:
    return [
        {
            "id": f"A{i}",
            "source": g.source,
            "cue": _span(text, *g.cue),
            "content": [_span(text, s, e) for s, e in g.content],
            "events": list(g.events),
            "source_type": g.source_type,
            "claim": g.claim,
            "certainty": g.certainty,
            "quote": g.quote,
            "score": g.score,
        }
        for i, g in enumerate(guesses, 1)
    ]


# ----------------------------------------------------------------------------------------- labels
def guess_labels(text: str, entities: list[Record], events: list[Record], parsed: Any) -> Record:
    """``relevant``: a violent event or two security words; ``countries``: countries named in the
    title/lead or at least twice (ISO alpha-2, sorted)."""
    security_words = sum(1 for t in parsed if t.lemma_.lower() in lx.SECURITY_WORDS)
    relevant = (
        any(e["type"] in _SECURITY_EVENTS and e["realis"] == "ACTUAL" for e in events) or security_words >= 2
    )
    lead_end = max(300, text.find("\n\n", text.find("\n\n") + 2))
    counts: Counter[str] = Counter()
    in_lead: set[str] = set()
    for e in entities:
        if e["type"] != "GPE":
            continue
        code = country_code(e["text"])
        if code:
            counts[code] += 1
            if e["start"] < lead_end:
                in_lead.add(code)
    countries = sorted(c for c in counts if c in in_lead or counts[c] >= 2)
    return {"relevant": bool(relevant), "countries": countries}


# ----------------------------------------------------------------------------------------- assembly
def _restrict(
    layers: tuple[str, ...],
    entities: list[Record],
    timexes: list[Record],
    events: list[Record],
    attributions: list[Record],
) -> dict[str, list[Record]]:
    """Keep the requested layers and drop references into layers that are not written."""
    kept = {
        "entities": entities if "entities" in layers else [],
        "timexes": timexes if "timexes" in layers else [],
        "events": events if "events" in layers else [],
        "attributions": attributions if "attributions" in layers else [],
    }
    ids = {r["id"] for layer in ("entities", "timexes") for r in kept[layer]}
    for ev in kept["events"]:
        ev["arguments"] = [a for a in ev["arguments"] if a["ref"] in ids]
    event_ids = {e["id"] for e in kept["events"]}
    for att in kept["attributions"]:
        if att["source"] not in ids:
            att["source"] = None
            att["source_type"] = None
        att["events"] = [e for e in att["events"] if e in event_ids]
    return kept


def build_prediction_set(doc: Record, parsed: Any, nlp: Any, layers: tuple[str, ...] = LAYERS) -> Record:
    """The prediction set of one document from its spaCy parse (not yet checked: see :func:`checked`)."""
    text, tax = doc["text"], load_taxonomy()
    entity_guesses, _hint = extract_entities(parsed, nlp)
    entities = _entity_records(text, entity_guesses)
    timexes = (
        _timex_records(text, extract_timexes(text, doc["meta"]["published"])) if "timexes" in layers else []
    )
    need_events = "events" in layers or "attributions" in layers
    events = _event_records(text, extract_events(parsed, entities, timexes, tax)) if need_events else []
    attributions = (
        _attribution_records(text, extract_attributions(parsed, entities, events))
        if "attributions" in layers
        else []
    )
    labels = guess_labels(text, entities, events, parsed)
    kept = _restrict(layers, entities, timexes, events, attributions)
    return {
        "id": SET_ID,
        "kind": "prediction",
        "annotator": annotator(),
        "status": "submitted",
        "created": None,
        "updated": None,
        "origin": {"tool": TOOL, "model_version": model_version()},
        "labels": labels,
        **kept,
        "relations": [],
    }


# ----------------------------------------------------------------------------------------- checking
def _drop_record(ann: Record, rec_id: str) -> None:
    for layer in ("entities", "timexes", "events", "attributions"):
        ann[layer] = [r for r in ann[layer] if r["id"] != rec_id]
    for ev in ann["events"]:
        ev["arguments"] = [a for a in ev["arguments"] if a["ref"] != rec_id]
    for att in ann["attributions"]:
        if att["source"] == rec_id:
            att["source"], att["source_type"] = None, None
        att["events"] = [e for e in att["events"] if e != rec_id]
    ann["attributions"] = [a for a in ann["attributions"] if a["content"] or a["events"]]


def _clear_timex_value(ann: Record, rec_id: str) -> None:
    for tmx in ann["timexes"]:
        if tmx["id"] == rec_id:
            tmx["value"], tmx["anchor"], tmx["mod"] = None, None, None
        elif tmx["anchor"] == rec_id:
            tmx["anchor"] = None


def _record_text(ann: Record, rec_id: str) -> str:
    for layer in ("entities", "timexes", "events", "attributions"):
        for r in ann[layer]:
            if r["id"] == rec_id:
                span = r.get("trigger") or r.get("cue") or r
                return str(span.get("text", rec_id))
    return rec_id


def _copy_json(value: Any) -> Any:
    """A deep copy of a JSON-like tree (dicts, lists, immutable leaves): ``copy.deepcopy`` without its
    memo and dispatch, several times faster on a prediction set, whose records share no object."""
    if type(value) is dict:
        return {k: _copy_json(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy_json(v) for v in value]
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return copy.deepcopy(value)


def checked(doc: Record, ann: Record, max_rounds: int = 3) -> tuple[Record, list[Finding]]:
    """The set with every record the validator rejects removed, and a warning per removal."""
    from secnews.validate.engine import validate_document

    ann = _copy_json(ann)
    notes: list[Finding] = []
    for _ in range(max_rounds):
        probe = {**doc, "annotations": [ann]}
        errors = [
            f for f in validate_document(probe) if f.severity == "error" and f.annotation_set == ann["id"]
        ]
        if not errors:
            break
        for f in errors:
            rec_id = f.annotation_id
            if rec_id is None:
                continue
            value = _record_text(ann, rec_id)
            if f.code.startswith("TIMEX_") and (f.path or "").endswith(".value"):
                _clear_timex_value(ann, rec_id)
                layer = "timex value"
            else:
                _drop_record(ann, rec_id)
                layer = "record"
            notes.append(
                make_finding(
                    "PREANNOTATE_DROPPED",
                    doc_id=doc.get("id"),
                    annotation_set=ann["id"],
                    annotation_id=rec_id,
                    layer=layer,
                    value=value,
                    detail=f"[{f.code}] {f.message}",
                )
            )
    return ann, notes


def replace_set(doc: Record, ann: Record) -> Record:
    """A copy of the document with ``ann`` in place of the set of the same id (appended if new)."""
    out = dict(doc)
    sets = list(doc.get("annotations") or [])
    for i, old in enumerate(sets):
        if isinstance(old, dict) and old.get("id") == ann["id"]:
            sets[i] = ann
            break
    else:
        sets.append(ann)
    out["annotations"] = sets
    return out
