"""Row builders of the task-shaped configs: ``ner`` (one row per sentence) and ``events``.

Both read one annotation set (the gold set by default) of a canonical document and return rows ready
for :func:`secnews.formats.parquet.write_parquet` (labels as ClassLabel indices, see
:mod:`secnews.formats.arrow_schema`).

Nesting rule of the ``ner`` table (IOB2 cannot nest): keep the OUTERMOST span. Entities are taken in
order of start, longer first (then taxonomy type order, then id), and one that overlaps an entity
already kept is dropped: "Serma" (GPE) inside "Katiba Serma" (ARMED_GROUP) is dropped, and of two
crossing spans the one that starts first wins. The ``documents`` table keeps every span.
"""

from __future__ import annotations

import bisect
from typing import Any

from secnews.core.taxonomy import TIMEX_REF
from secnews.formats.rows import LabelCodec, Row, default_codec, parse_published
from secnews.model.document import Document, annotation_set
from secnews.model.tokenize_fr import sentence_spans


def resolve_nesting(entities: list[dict[str, Any]], type_order: list[str]) -> list[dict[str, Any]]:
    """The entities kept by the outermost-span rule, sorted by start offset."""
    rank = {t: i for i, t in enumerate(type_order)}
    ordered = sorted(entities, key=lambda e: (e["start"], -e["end"], rank.get(e["type"], len(rank)), e["id"]))
    kept: list[dict[str, Any]] = []
    last_end = -1
    for ent in ordered:
        if ent["start"] >= last_end:
            kept.append(ent)
            last_end = ent["end"]
    return kept


def _tag_tokens(
    starts: list[int], ends: list[int], ents: list[dict[str, Any]], tag_index: dict[str, int]
) -> list[int]:
    """IOB2 tag indices of a sentence's tokens (given by their sorted, disjoint offsets).

    Tokens are in text order and never overlap, so both ``starts`` and ``ends`` are sorted and the
    tokens inside an entity are one range found by two binary searches (a scan of every token for
    every entity was a tenth of the release build).
    """
    tags = [0] * len(starts)
    for ent in ents:
        lo = bisect.bisect_left(starts, ent["start"])
        hi = bisect.bisect_right(ends, ent["end"])
        if lo < hi:
            tags[lo] = tag_index["B-" + ent["type"]]
            if hi - lo > 1:
                tags[lo + 1 : hi] = [tag_index["I-" + ent["type"]]] * (hi - lo - 1)
    return tags


def ner_rows(doc: Document, set: str = "gold", codec: LabelCodec | None = None) -> list[Row]:
    """One row per sentence of the document, tagged with the entities of one annotation set.

    A document without that set gives no rows (a release only holds gold documents). ``ner_tags``
    are indices into :func:`secnews.formats.arrow_schema.ner_tag_names`.
    """
    ann = annotation_set(doc, set)
    if ann is None:
        return []
    codec = codec or default_codec()
    kept = resolve_nesting(ann.get("entities", []), codec.names("entity_types"))
    cuts = {off for e in kept for off in (e["start"], e["end"])}
    spans = [(e["start"], e["end"]) for e in kept]
    tag_index = codec.ner_tag_index()
    doc_id = doc["id"]
    rows: list[Row] = []
    for index, (s_start, s_end, starts, ends, texts) in enumerate(sentence_spans(doc["text"], cuts, spans)):
        mine = [e for e in kept if e["start"] < s_end and e["end"] > s_start]
        rows.append(
            {
                "doc_id": doc_id,
                "sentence_index": index,
                "sentence_start": s_start,
                "sentence_end": s_end,
                "tokens": texts,
                "ner_tags": _tag_tokens(starts, ends, mine, tag_index),
                "token_starts": starts,
                "token_ends": ends,
            }
        )
    return rows


def spans_from_tags(row: Row, tag_names: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of every IOB2 span of a ``ner`` row (tags given as indices)."""
    spans: list[tuple[int, int, str]] = []
    current: list[Any] | None = None
    for tag, start, end in zip(row["ner_tags"], row["token_starts"], row["token_ends"], strict=True):
        name = tag_names[tag]
        if name.startswith("I-") and current is not None and current[2] == name[2:]:
            current[1] = end
            continue
        if current is not None:
            spans.append((current[0], current[1], current[2]))
            current = None
        if name != "O":
            current = [start, end, name[2:]]
    if current is not None:
        spans.append((current[0], current[1], current[2]))
    return spans


def _resolve_argument(
    arg: dict[str, Any], index: dict[str, dict[str, Any]], codec: LabelCodec, timex_ids: set[str], doc_id: str
) -> Row:
    target = index.get(arg["ref"])
    is_timex = arg["ref"] in timex_ids
    return {
        "role": codec.encode("roles", arg["role"], "arguments.role", doc_id),
        "ref": arg["ref"],
        "text": target["text"] if target else None,
        "start": target["start"] if target else None,
        "end": target["end"] if target else None,
        "entity_type": (TIMEX_REF if is_timex else target["type"]) if target else None,
        "actor": None if is_timex or not target else target.get("actor"),
    }


def _attribution(
    att: dict[str, Any], entities: dict[str, dict[str, Any]], codec: LabelCodec, doc_id: str
) -> Row:
    source = entities.get(att["source"]) if att.get("source") else None
    return {
        "id": att["id"],
        "source": att.get("source"),
        "source_text": source["text"] if source else None,
        "source_type": codec.encode("source_types", att.get("source_type"), "source_type", doc_id),
        "claim": codec.encode("claims", att.get("claim"), "claim", doc_id),
        "certainty": codec.encode("certainty", att.get("certainty"), "certainty", doc_id),
        "quote": codec.encode("quote_types", att.get("quote"), "quote", doc_id),
        "cue_text": att["cue"]["text"],
    }


def event_rows(doc: Document, set: str = "gold", codec: LabelCodec | None = None) -> list[Row]:
    """One row per event mention of one annotation set, arguments and attributions resolved.

    ``date`` is the value of the first TIME argument's timex (TIMEX3, resolved against the
    publication date by annotators), else null; ``source_text`` is null when the article itself is
    the source.
    """
    ann = annotation_set(doc, set)
    if ann is None:
        return []
    codec = codec or default_codec()
    doc_id = doc["id"]
    entities = {e["id"]: e for e in ann.get("entities", [])}
    timexes = {t["id"]: t for t in ann.get("timexes", [])}
    index = {**entities, **timexes}
    timex_ids = {*timexes}
    published = doc["meta"]["published"]
    countries = (ann.get("labels") or {}).get("countries", [])
    rows: list[Row] = []
    for ev in ann.get("events", []):
        record = (
            codec.tax.record("event_types", ev["type"]) if codec.tax.has("event_types", ev["type"]) else {}
        )
        args = [_resolve_argument(a, index, codec, timex_ids, doc_id) for a in ev.get("arguments", [])]
        time_refs = [
            a["ref"] for a in ev.get("arguments", []) if a["ref"] in timex_ids and a["role"] == "TIME"
        ]
        fatalities = ev.get("fatalities") or {}
        rows.append(
            {
                "doc_id": doc_id,
                "event_id": ev["id"],
                "type": codec.encode("event_types", ev["type"], "events.type", doc_id),
                "acled_event_type": record.get("acled_event_type"),
                "acled_sub_event_type": record.get("acled_sub_event_type"),
                "realis": codec.encode("realis", ev.get("realis"), "events.realis", doc_id),
                "fatalities_min": fatalities.get("min"),
                "fatalities_max": fatalities.get("max"),
                "trigger_text": ev["trigger"]["text"],
                "trigger_start": ev["trigger"]["start"],
                "trigger_end": ev["trigger"]["end"],
                "arguments": args,
                "attributions": [
                    _attribution(a, entities, codec, doc_id)
                    for a in ann.get("attributions", [])
                    if ev["id"] in (a.get("events") or [])
                ],
                "date": timexes[time_refs[0]].get("value") if time_refs else None,
                "published": parse_published(published, doc_id),
                "published_iso": published,
                "countries": list(countries),
            }
        )
    return rows
