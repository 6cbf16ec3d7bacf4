"""Adjudication: merging two or more annotation sets of a document into its gold set.

What every set agrees on (same span, same labels, same references) is kept as is. Everything else is
a *conflict*: a span only some sets marked, the same span with different labels, different arguments,
a different timex value, different document labels. A conflict has a stable id (a hash of the
document, the layer and the place in the text, so it survives re-runs and set reordering) and must be
resolved — ``keep:<set id>``, ``drop``, or ``replace`` with explicit fields — before a gold set is
produced: :func:`adjudicate` returns no merged set while any conflict is open, so a half-adjudicated
document can never become gold. Each resolution is recorded in the gold set's ``adjudication`` block.

Records are compared through the *place* their references point at (an argument's entity is "the
entity at 12-16", not "E3"), because each set numbers its records its own way. The merged set gets
fresh ids and its references are remapped the same way; the result is then run through the validator.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from secnews.core.findings import Finding, Rule, SecnewsError, make_finding, register
from secnews.model.document import Document, annotation_set
from secnews.quality.matching import SYMMETRIC_RELATIONS
from secnews.validate.engine import validate_document

Record = dict[str, Any]
RefKey = tuple[Any, ...]

register(
    Rule(
        "ADJUDICATION_TOO_FEW_SETS",
        "Too few sets to adjudicate",
        "error",
        "adjudication needs two or more distinct sets, got {count} ({sets})",
        "A gold set is merged from at least two independent annotations.",
        "adjudication",
    ),
    Rule(
        "ADJUDICATION_MISSING_SET",
        "Annotation set not found",
        "error",
        "annotation set {value!r} is not in the document",
        "Sets are named by id or annotator:<name>; a typo must not silently adjudicate fewer sets.",
        "adjudication",
    ),
    Rule(
        "ADJUDICATION_UNRESOLVED",
        "Unresolved conflict",
        "error",
        "conflict {conflict} ({layer} {where}) is not resolved",
        "Every disagreement must be decided (keep:<set>, drop or replace) before the gold set is written.",
        "adjudication",
    ),
    Rule(
        "ADJUDICATION_BAD_DECISION",
        "Bad resolution",
        "error",
        "resolution of {conflict}: {detail}",
        "A decision is keep:<one of the adjudicated sets>, drop, or replace with a value.",
        "adjudication",
    ),
    Rule(
        "ADJUDICATION_STALE_RESOLUTION",
        "Resolution of no current conflict",
        "warning",
        "resolution {conflict} matches no conflict of this document",
        "The sets changed since the resolutions were written, or the id is mistyped.",
        "adjudication",
    ),
    Rule(
        "ADJUDICATION_DANGLING_REF",
        "Reference lost in the merge",
        "error",
        "{what} of {record} points at {target}, which the merged set does not contain",
        "A decision dropped a record that a kept record refers to: resolve both consistently.",
        "adjudication",
    ),
    Rule(
        "ADJUDICATION_TARGET_EXISTS",
        "Target set exists",
        "error",
        "the document already has a set {value!r} (use --force to replace it)",
        "Adjudication never overwrites a set silently.",
        "adjudication",
    ),
    Rule(
        "ADJUDICATION_GOLD_EXISTS",
        "Another gold set exists",
        "error",
        "set {value!r} already has status gold; a document has at most one gold set",
        "Demote or reject the old gold set first, or adjudicate into it with --into and --force.",
        "adjudication",
    ),
    Rule(
        "ADJUDICATION_BAD_RESOLUTIONS_FILE",
        "Bad resolutions file",
        "error",
        "{detail}",
        "The resolutions file maps conflict ids to decisions (YAML or JSON).",
        "input",
    ),
)

#: record layers in merge order: referenced layers before the layers that refer to them
RECORD_LAYERS: tuple[str, ...] = ("entities", "timexes", "events", "attributions", "relations")
_PREFIX = {"entities": "E", "timexes": "T", "events": "V", "attributions": "A", "relations": "R"}
_LETTER_LAYER = {v: k for k, v in _PREFIX.items()}
LABEL_SLOTS: tuple[str, ...] = ("relevant", "countries")
ADJUDICATOR = "adjudicated"


# --------------------------------------------------------------------------------------------- resolutions
@dataclass(frozen=True)
class Resolution:
    """A decision on one conflict: ``keep:<set>``, ``drop`` or ``replace`` (with ``value``)."""

    conflict: str
    decision: str
    value: Any = None
    base: str | None = None
    by: str | None = None
    note: str | None = None

    def recorded(self) -> dict[str, Any]:
        """The entry written into the gold set's ``adjudication.resolutions``."""
        decision = self.decision
        if decision == "replace":
            decision = "replace:" + json.dumps(
                self.value, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            )
        out: dict[str, Any] = {"conflict": self.conflict, "decision": decision, "note": self.note}
        if self.by:
            out["by"] = self.by
        return out


def _bad_file(path: str, detail: str) -> SecnewsError:
    return SecnewsError(make_finding("ADJUDICATION_BAD_RESOLUTIONS_FILE", file=path, detail=detail))


def parse_resolutions(
    data: Any, source: str = "<resolutions>", by: str | None = None
) -> dict[str, Resolution]:
    """Resolutions from parsed YAML/JSON: ``{conflict: "keep:ann-2" | {decision, value, by, note}}``.

    A list of ``{conflict, decision, ...}`` (the recorded form) is accepted too, so a gold set's
    ``adjudication.resolutions`` can be replayed. ``by`` is the default adjudicator name.
    """
    if data is None:
        return {}
    items: list[tuple[str, Any]]
    if isinstance(data, Mapping):
        items = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list) and all(isinstance(x, Mapping) and "conflict" in x for x in data):
        items = [(str(x["conflict"]), x) for x in data]
    else:
        raise _bad_file(source, "expected a mapping of conflict id -> decision")
    out: dict[str, Resolution] = {}
    for cid, spec in items:
        if isinstance(spec, str):
            spec = {"decision": spec}
        if not isinstance(spec, Mapping) or not isinstance(spec.get("decision"), str):
            raise _bad_file(source, f"{cid}: a decision is a string or a mapping with a 'decision' key")
        decision, value = spec["decision"], spec.get("value")
        if decision.startswith("replace:") and value is None:
            decision, value = "replace", json.loads(decision[len("replace:") :])
        out[cid] = Resolution(cid, decision, value, spec.get("base"), spec.get("by") or by, spec.get("note"))
    return out


def load_resolutions(path: Path | str, by: str | None = None) -> dict[str, Resolution]:
    """Read a resolutions file (YAML or JSON; JSON is YAML)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SecnewsError(
            make_finding("UNREADABLE_FILE", file=str(path), detail=exc.strerror or str(exc))
        ) from None
    except yaml.YAMLError as exc:
        raise _bad_file(str(path), f"not valid YAML/JSON: {exc}") from None
    return parse_resolutions(data, str(path), by)


# --------------------------------------------------------------------------------------------- conflicts
@dataclass
class Conflict:
    """One disagreement: where it is and what each set says there."""

    id: str
    doc_id: str
    layer: str
    slot: Any
    where: str
    text: str
    context: str
    labels: dict[str, str]
    resolution: Resolution | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.doc_id,
            "layer": self.layer,
            "where": self.where,
            "text": self.text,
            "context": self.context,
            "labels": self.labels,
            "resolution": self.resolution.recorded() if self.resolution else None,
        }


def conflict_id(doc_id: str, layer: str, slot: Any) -> str:
    """A stable id: the same disagreement gets the same id in every run, whatever the set order."""
    digest = hashlib.sha1(f"{doc_id}|{layer}|{_slot_repr(slot)}".encode()).hexdigest()
    return f"c-{digest[:12]}"


def _slot_repr(slot: Any) -> str:
    if isinstance(slot, tuple) and len(slot) == 2 and all(isinstance(x, int) for x in slot):
        return f"{slot[0]}-{slot[1]}"
    if isinstance(slot, tuple):
        return "|".join(":".join(map(str, part)) for part in slot)
    return str(slot)


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    out = f"{'…' if start > width else ''}{left}[{text[start:end]}]{right}{'…' if end + width < len(text) else ''}"
    return " ".join(out.split())


# --------------------------------------------------------------------------------------------- references
class _SetIndex:
    """A set's records by id, and the place each one stands for (its reference key)."""

    def __init__(self, ann: Record) -> None:
        self.ann = ann
        self.keys: dict[str, RefKey] = {}
        for layer in ("entities", "timexes", "events"):
            for rec in ann.get(layer) or []:
                span = rec["trigger"] if layer == "events" else rec
                self.keys[rec["id"]] = (_PREFIX[layer], span["start"], span["end"], rec.get("type"))

    def ref(self, rec_id: str | None) -> RefKey | None:
        """Where a reference points (``None`` stays ``None``; an unknown id stays visibly unknown)."""
        if rec_id is None:
            return None
        return self.keys.get(rec_id, ("?", rec_id))


def _place(key: RefKey | None) -> tuple[Any, ...] | None:
    """A reference key without the type: where in the text, and in which layer."""
    return None if key is None else key[:3]


def _slot(layer: str, rec: Record, idx: _SetIndex) -> Any:
    if layer == "events":
        return rec["trigger"]["start"], rec["trigger"]["end"]
    if layer == "attributions":
        return rec["cue"]["start"], rec["cue"]["end"]
    if layer == "relations":
        head, tail = _place(idx.ref(rec["head"])), _place(idx.ref(rec["tail"]))
        return tuple(sorted((head, tail), key=repr))
    return rec["start"], rec["end"]


def _signature(layer: str, rec: Record, idx: _SetIndex) -> tuple[Any, ...]:
    """Everything a record says besides its place; two sets agree on a record when these are equal."""
    if layer == "entities":
        return rec.get("type"), rec.get("mention"), rec.get("actor")
    if layer == "timexes":
        anchor = rec.get("anchor")
        anchor_key = anchor if anchor in (None, "DCT") else _place(idx.ref(anchor))
        return rec.get("type"), rec.get("value"), anchor_key, rec.get("mod")
    if layer == "events":
        fat = rec.get("fatalities")
        args = sorted(((a["role"], _place(idx.ref(a["ref"]))) for a in rec.get("arguments") or []), key=repr)
        return rec.get("type"), rec.get("realis"), (fat["min"], fat["max"]) if fat else None, tuple(args)
    if layer == "attributions":
        content = tuple(sorted((c["start"], c["end"]) for c in rec.get("content") or []))
        events = tuple(sorted((_place(idx.ref(e)) for e in rec.get("events") or []), key=repr))
        return (
            _place(idx.ref(rec.get("source"))),
            content,
            events,
            rec.get("source_type"),
            rec.get("claim"),
            rec.get("certainty"),
            rec.get("quote"),
        )
    head, tail = _place(idx.ref(rec["head"])), _place(idx.ref(rec["tail"]))
    if rec["type"] in SYMMETRIC_RELATIONS:  # "a SAME_EVENT b" and "b SAME_EVENT a" say the same thing
        head, tail = sorted((head, tail), key=repr)
    return rec["type"], head, tail


# --------------------------------------------------------------------------------------------- display
def _ref_text(idx: _SetIndex, rec_id: str | None, text: str) -> str:
    key = idx.ref(rec_id)
    if key is None:
        return "article"
    if key[0] == "?":
        return f"?{key[1]}"
    return f"«{text[key[1] : key[2]]}»"


def _describe(layer: str, rec: Record, idx: _SetIndex, text: str) -> str:
    """One record's labels in a line an adjudicator can read."""
    if layer == "entities":
        actor = f" actor={rec['actor']}" if rec.get("actor") else ""
        return f"{rec.get('type')}/{rec.get('mention')}{actor}"
    if layer == "timexes":
        anchor = rec.get("anchor")
        anchor_s = anchor if anchor in (None, "DCT") else _ref_text(idx, anchor, text)
        mod = f" mod={rec['mod']}" if rec.get("mod") else ""
        return f"{rec.get('type')} {rec.get('value')} (anchor {anchor_s}){mod}"
    if layer == "events":
        fat = rec.get("fatalities")
        fat_s = f" fatalities {fat['min']}-{fat['max'] if fat['max'] is not None else '?'}" if fat else ""
        args = ", ".join(f"{a['role']}={_ref_text(idx, a['ref'], text)}" for a in rec.get("arguments") or [])
        return f"{rec.get('type')} {rec.get('realis')}{fat_s}; args: {args or '-'}"
    if layer == "attributions":
        content = " / ".join(f"«{c['text'][:50]}»" for c in rec.get("content") or [])
        return (
            f"source {_ref_text(idx, rec.get('source'), text)} {rec.get('source_type')} {rec.get('claim')} "
            f"{rec.get('certainty')} {rec.get('quote')}; content {content or '-'}"
        )
    return f"{rec['type']} {_ref_text(idx, rec['head'], text)} -> {_ref_text(idx, rec['tail'], text)}"


# --------------------------------------------------------------------------------------------- merge
@dataclass
class AdjudicationResult:
    """A document's adjudication: the merged set (``None`` until every conflict is resolved)."""

    doc_id: str
    sets: list[str]
    merged: Record | None
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    agreed: int = 0

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.resolution is None]

    @property
    def ok(self) -> bool:
        return self.merged is not None and not any(f.severity == "error" for f in self.findings)


@dataclass
class _Item:
    """A record kept for the merged set, with the set whose ids its references use."""

    layer: str
    source: str
    rec: Record


def _pick(
    res: Resolution, per_set: dict[str, list[Record]], order: Sequence[str], ctx: _Ctx
) -> list[tuple[str, Record]] | None:
    """Records a decision keeps at a slot (``None`` and a finding when the decision is unusable)."""
    if res.decision == "drop":
        return []
    if res.decision.startswith("keep:"):
        set_id = ctx.aliases.get(res.decision[len("keep:") :], res.decision[len("keep:") :])
        if set_id not in per_set:
            ctx.bad(
                res.conflict, f"keep names {set_id!r}, not one of the adjudicated sets ({', '.join(order)})"
            )
            return None
        return [(set_id, r) for r in per_set[set_id]]
    if res.decision == "replace":
        if not isinstance(res.value, Mapping):
            ctx.bad(res.conflict, "replace needs a 'value' mapping of the fields to set")
            return None
        base = res.base or next((s for s in order if per_set.get(s)), None)
        if base is None or not per_set.get(base):
            ctx.bad(res.conflict, f"replace needs a base set with a record here (base: {base!r})")
            return None
        rec = copy.deepcopy(per_set[base][0])
        rec.update(copy.deepcopy(dict(res.value)))
        return [(base, rec)]
    ctx.bad(res.conflict, f"unknown decision {res.decision!r} (keep:<set>, drop or replace)")
    return None


@dataclass
class _Ctx:
    doc_id: str
    into: str
    findings: list[Finding] = field(default_factory=list)
    #: ``annotator:<name>`` -> set id, so ``keep:annotator:alice`` works like ``keep:<id>``
    aliases: dict[str, str] = field(default_factory=dict)

    def bad(self, conflict: str, detail: str) -> None:
        self.findings.append(
            make_finding(
                "ADJUDICATION_BAD_DECISION",
                doc_id=self.doc_id,
                annotation_set=self.into,
                conflict=conflict,
                detail=detail,
            )
        )


def _label_value(ann: Record, name: str) -> Any:
    labels = ann.get("labels") or {}
    if name == "countries":
        return sorted(labels.get("countries") or [])
    return labels.get(name)


def _decide_label(name: str, values: dict[str, Any], res: Resolution, ctx: _Ctx) -> tuple[bool, Any]:
    if res.decision == "drop":
        return True, [] if name == "countries" else None
    if res.decision.startswith("keep:"):
        set_id = ctx.aliases.get(res.decision[len("keep:") :], res.decision[len("keep:") :])
        if set_id not in values:
            ctx.bad(res.conflict, f"keep names {set_id!r}, not one of the adjudicated sets")
            return False, None
        return True, values[set_id]
    if res.decision == "replace":
        return True, sorted(res.value or []) if name == "countries" else res.value
    ctx.bad(res.conflict, f"unknown decision {res.decision!r} (keep:<set>, drop or replace)")
    return False, None


def _record_conflicts(
    doc: Document,
    sets: Sequence[Record],
    indexes: dict[str, _SetIndex],
    resolutions: Mapping[str, Resolution],
    ctx: _Ctx,
    result: AdjudicationResult,
) -> list[_Item]:
    text, order = doc["text"], [a["id"] for a in sets]
    items: list[_Item] = []
    for layer in RECORD_LAYERS:
        slots: dict[Any, dict[str, list[Record]]] = {}
        for ann in sets:
            for rec in ann.get(layer) or []:
                slot = _slot(layer, rec, indexes[ann["id"]])
                slots.setdefault(slot, {s: [] for s in order})[ann["id"]].append(rec)
        for slot in sorted(slots, key=repr if layer == "relations" else None):
            per_set = slots[slot]
            sigs = {
                s: sorted((_signature(layer, r, indexes[s]) for r in recs), key=repr)
                for s, recs in per_set.items()
            }
            if all(sigs[s] == sigs[order[0]] for s in order):
                items += [_Item(layer, order[0], r) for r in per_set[order[0]]]
                result.agreed += len(per_set[order[0]])
                continue
            conflict = _make_conflict(doc["id"], layer, slot, per_set, indexes, text)
            conflict.resolution = resolutions.get(conflict.id)
            result.conflicts.append(conflict)
            if conflict.resolution is not None:
                picked = _pick(conflict.resolution, per_set, order, ctx)
                items += [_Item(layer, s, r) for s, r in picked or []]
    return items


def _make_conflict(
    doc_id: str,
    layer: str,
    slot: Any,
    per_set: dict[str, list[Record]],
    indexes: dict[str, _SetIndex],
    text: str,
) -> Conflict:
    labels = {
        s: " + ".join(_describe(layer, r, indexes[s], text) for r in recs) or "—"
        for s, recs in per_set.items()
    }
    if layer == "relations":
        parts = [f"«{text[p[1] : p[2]]}»" if p and p[0] != "?" else str(p) for p in slot]
        where = " ~ ".join(parts)
        return Conflict(conflict_id(doc_id, layer, slot), doc_id, layer, slot, where, where, where, labels)
    start, end = slot
    return Conflict(
        conflict_id(doc_id, layer, slot),
        doc_id,
        layer,
        slot,
        f"{start}-{end}",
        text[start:end],
        _context(text, start, end),
        labels,
    )


def _merge_labels(
    doc: Document,
    sets: Sequence[Record],
    resolutions: Mapping[str, Resolution],
    ctx: _Ctx,
    result: AdjudicationResult,
) -> dict[str, Any]:
    merged: dict[str, Any] = {"relevant": None, "countries": []}
    for name in LABEL_SLOTS:
        values = {a["id"]: _label_value(a, name) for a in sets}
        first = next(iter(values.values()))
        if all(v == first for v in values.values()):
            merged[name] = first
            result.agreed += 1
            continue
        cid = conflict_id(doc["id"], "labels", name)
        shown = {s: json.dumps(v, ensure_ascii=False) for s, v in values.items()}
        conflict = Conflict(cid, doc["id"], "labels", name, name, name, f"document label {name}", shown)
        conflict.resolution = resolutions.get(cid)
        result.conflicts.append(conflict)
        if conflict.resolution is not None:
            ok, value = _decide_label(name, values, conflict.resolution, ctx)
            if ok:
                merged[name] = value
    return merged


def _assign_ids(
    items: list[_Item], indexes: dict[str, _SetIndex]
) -> tuple[dict[int, str], dict[Any, list[tuple[Any, str]]]]:
    """Fresh ids per layer (E1, T1, V1...), and where each new entity/timex/event stands."""
    new_ids: dict[int, str] = {}
    places: dict[Any, list[tuple[Any, str]]] = {}
    counters = dict.fromkeys(_PREFIX, 0)
    for n, item in enumerate(items):
        counters[item.layer] += 1
        new_id = f"{_PREFIX[item.layer]}{counters[item.layer]}"
        new_ids[n] = new_id
        if item.layer in ("entities", "timexes", "events"):
            span = item.rec["trigger"] if item.layer == "events" else item.rec
            place = (_PREFIX[item.layer], span["start"], span["end"])
            places.setdefault(place, []).append((item.rec.get("type"), new_id))
    return new_ids, places


def _remap(key: RefKey | None, places: dict[Any, list[tuple[Any, str]]]) -> str | None:
    """The merged id at the place a reference pointed to (same type preferred)."""
    if key is None or key[0] == "?":
        return None
    found = places.get(key[:3], [])
    for typ, new_id in found:
        if typ == key[3]:
            return new_id
    return found[0][1] if found else None


def _build_records(
    items: list[_Item], indexes: dict[str, _SetIndex], ctx: _Ctx, text: str
) -> dict[str, list[Record]]:
    new_ids, places = _assign_ids(items, indexes)
    layers: dict[str, list[Record]] = {layer: [] for layer in RECORD_LAYERS}
    content_n = 0

    def ref(item: _Item, rec_id: str, what: str, new_id: str) -> str | None:
        target = _remap(indexes[item.source].ref(rec_id), places)
        if target is None:
            shown = _ref_text(indexes[item.source], rec_id, text)
            ctx.findings.append(
                make_finding(
                    "ADJUDICATION_DANGLING_REF",
                    doc_id=ctx.doc_id,
                    annotation_set=ctx.into,
                    annotation_id=new_id,
                    what=what,
                    record=new_id,
                    target=shown,
                )
            )
        return target

    for n, item in enumerate(items):
        rec = copy.deepcopy(item.rec)
        rec["id"] = new_id = new_ids[n]
        if item.layer == "timexes" and rec.get("anchor") not in (None, "DCT"):
            rec["anchor"] = ref(item, rec["anchor"], "anchor", new_id) or rec["anchor"]
        elif item.layer == "events":
            rec["arguments"] = [
                {**a, "ref": ref(item, a["ref"], f"argument {a['role']}", new_id) or a["ref"]}
                for a in rec.get("arguments") or []
            ]
        elif item.layer == "attributions":
            if rec.get("source") is not None:
                rec["source"] = ref(item, rec["source"], "source", new_id) or rec["source"]
            rec["events"] = [ref(item, e, "event", new_id) or e for e in rec.get("events") or []]
            for c in rec.get("content") or []:
                if "id" in c:
                    content_n += 1
                    c["id"] = f"C{content_n}"
        elif item.layer == "relations":
            rec["head"] = ref(item, rec["head"], "head", new_id) or rec["head"]
            rec["tail"] = ref(item, rec["tail"], "tail", new_id) or rec["tail"]
        rec.pop("score", None)
        layers[item.layer].append(rec)
    return layers


def _resolve_sets(doc: Document, sets: Sequence[str], ctx: _Ctx) -> list[Record]:
    found: list[Record] = []
    for sel in sets:
        ann = annotation_set(doc, sel)
        if ann is None:
            ctx.findings.append(make_finding("ADJUDICATION_MISSING_SET", doc_id=ctx.doc_id, value=sel))
        elif all(a is not ann for a in found):
            found.append(ann)
    if len(found) < 2 and not ctx.findings:
        ctx.findings.append(
            make_finding(
                "ADJUDICATION_TOO_FEW_SETS",
                doc_id=ctx.doc_id,
                count=len(found),
                sets=", ".join(a["id"] for a in found),
            )
        )
    return found


def _check_target(doc: Document, into: str, sources: Sequence[str], force: bool, ctx: _Ctx) -> None:
    for ann in doc.get("annotations", []):
        if ann.get("id") == into and not force:
            ctx.findings.append(make_finding("ADJUDICATION_TARGET_EXISTS", doc_id=ctx.doc_id, value=into))
        elif ann.get("id") != into and ann.get("status") == "gold":
            ctx.findings.append(
                make_finding("ADJUDICATION_GOLD_EXISTS", doc_id=ctx.doc_id, value=ann.get("id"))
            )


def adjudicate(
    doc: Document,
    sets: Sequence[str],
    into: str = "gold",
    resolutions: Mapping[str, Resolution] | None = None,
    *,
    force: bool = False,
    now: str | None = None,
) -> AdjudicationResult:
    """Merge ``sets`` (ids or ``annotator:<name>``) of ``doc`` into a gold set with id ``into``.

    The document is not modified: :func:`apply_adjudication` inserts the merged set. ``merged`` is
    ``None`` while a conflict is open or a finding is an error; the merged set is validated inside the
    document it will join, so what comes out is a gold set that validates.
    """
    resolutions = resolutions or {}
    doc_id = str(doc.get("id"))
    ctx = _Ctx(doc_id, into)
    anns = _resolve_sets(doc, sets, ctx)
    result = AdjudicationResult(doc_id, [a["id"] for a in anns], None, findings=ctx.findings)
    if ctx.findings:
        return result
    _check_target(doc, into, result.sets, force, ctx)
    ctx.aliases = {f"annotator:{a.get('annotator')}": a["id"] for a in anns}
    indexes = {a["id"]: _SetIndex(a) for a in anns}
    labels = _merge_labels(doc, anns, resolutions, ctx, result)
    items = _record_conflicts(doc, anns, indexes, resolutions, ctx, result)
    for c in result.unresolved:
        ctx.findings.append(
            make_finding(
                "ADJUDICATION_UNRESOLVED",
                doc_id=doc_id,
                annotation_set=into,
                conflict=c.id,
                layer=c.layer,
                where=f"«{c.text}» [{c.where}]" if c.layer != "labels" else c.where,
            )
        )
    if any(f.severity == "error" for f in ctx.findings):
        return result
    merged = _merged_set(into, anns, labels, _build_records(items, indexes, ctx, doc["text"]), result, now)
    if any(f.severity == "error" for f in ctx.findings):
        return result
    candidate = apply_adjudication(doc, merged, force=True)
    errors = [
        f for f in validate_document(candidate) if f.severity == "error" and f.annotation_set in (into, None)
    ]
    ctx.findings.extend(errors)
    if not errors:
        result.merged = merged
    return result


def _merged_set(
    into: str,
    anns: Sequence[Record],
    labels: dict[str, Any],
    layers: dict[str, list[Record]],
    result: AdjudicationResult,
    now: str | None,
) -> Record:
    stamp = now or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "id": into,
        "kind": "human",
        "annotator": ADJUDICATOR,
        "status": "gold",
        "created": stamp,
        "updated": stamp,
        "origin": None,
        "labels": labels,
        **layers,
        "adjudication": {
            "sets": [a["id"] for a in anns],
            "resolutions": [c.resolution.recorded() for c in result.conflicts if c.resolution is not None],
        },
    }


def apply_adjudication(doc: Document, merged: Record, *, force: bool = False) -> Document:
    """A copy of ``doc`` with the merged set added (replacing a set of the same id only with ``force``)."""
    out = copy.deepcopy(doc)
    anns = out.setdefault("annotations", [])
    for i, ann in enumerate(anns):
        if ann.get("id") == merged["id"]:
            if not force:
                raise SecnewsError(
                    make_finding("ADJUDICATION_TARGET_EXISTS", doc_id=doc.get("id"), value=merged["id"])
                )
            anns[i] = copy.deepcopy(merged)
            return out
    anns.append(copy.deepcopy(merged))
    return out


# --------------------------------------------------------------------------------------------- reports
def render_conflicts_markdown(results: Iterable[AdjudicationResult]) -> str:
    """The conflict report an adjudicator works from, ending with a resolutions template to fill."""
    out = ["# Adjudication conflicts", ""]
    template: list[str] = []
    for res in results:
        if not res.conflicts:
            continue
        open_n = len(res.unresolved)
        out += [
            f"## {res.doc_id}",
            "",
            f"Sets: {', '.join(res.sets)}; {res.agreed} items agreed, "
            f"{len(res.conflicts)} conflicts ({open_n} unresolved).",
            "",
        ]
        for c in res.conflicts:
            state = "resolved: " + c.resolution.recorded()["decision"] if c.resolution else "UNRESOLVED"
            what = f"label {c.where}" if c.layer == "labels" else f"{c.layer} «{c.text}» [{c.where}]"
            out += [f"### `{c.id}` {what} ({state})", "", f"> {c.context}", ""]
            out += ["| set | labels |", "|---|---|"]
            out += [f"| {s} | {lab.replace('|', '/')} |" for s, lab in c.labels.items()]
            out.append("")
            if c.resolution is None:
                template.append(
                    f"{c.id}: {{decision: keep:{res.sets[0]}, note: null}}  # {res.doc_id} {c.layer} «{c.text}»"
                )
    if template:
        out += [
            "## Resolutions to fill",
            "",
            "Copy into a YAML file, pick `keep:<set>`, `drop` or `replace` (with `value:`), and pass it",
            "with `--resolutions`.",
            "",
            "```yaml",
            *template,
            "```",
            "",
        ]
    return "\n".join(out)


def render_conflicts_text(results: Iterable[AdjudicationResult]) -> str:
    out: list[str] = []
    for res in results:
        for c in res.conflicts:
            state = c.resolution.recorded()["decision"] if c.resolution else "UNRESOLVED"
            if c.layer == "labels":
                out.append(f"{res.doc_id} {c.id} label {c.where} -> {state}")
            else:
                out.append(f"{res.doc_id} {c.id} {c.layer} «{c.text}» [{c.where}] -> {state}")
                out.append(f"    {c.context}")
            out += [f"    {s}: {lab}" for s, lab in c.labels.items()]
    return "\n".join(out) + ("\n" if out else "")


# --------------------------------------------------------------------------------------------- corpus
def has_sets(doc: Document, sets: Sequence[str]) -> bool:
    return all(annotation_set(doc, s) is not None for s in sets)


def stale_resolutions(
    results: Iterable[AdjudicationResult], resolutions: Mapping[str, Resolution]
) -> list[Finding]:
    """Warnings for resolutions that match no conflict of any adjudicated document.

    Conflict ids are hashes, so whether a resolution belongs to a document is only known corpus-wide.
    """
    seen = {c.id for r in results for c in r.conflicts}
    return [
        make_finding("ADJUDICATION_STALE_RESOLUTION", conflict=cid) for cid in resolutions if cid not in seen
    ]
