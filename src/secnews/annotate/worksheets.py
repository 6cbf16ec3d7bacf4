"""Author annotation sets from quote-based YAML worksheets, and dump sets back to worksheets.

Typing character offsets by hand is how offsets go wrong. A worksheet names each span by *quoting*
it: ``"Katiba Serma"`` (must occur once in the text as whole words), ``"Katiba Serma@2"`` (its 2nd
whole-word occurrence: "opération" never counts inside "coopération"), or
``"près du village de [[Serma]]"`` (the bracketed part of a context that occurs once). The tool finds
the offsets, builds the canonical set, validates the whole document and only then writes it. The
reverse direction (:func:`dump_worksheet`) turns any set (e.g. a model's prediction) into a worksheet,
so annotators correct suggestions instead of labelling from scratch.

Worksheet shape (YAML)::

    doc: 000_7302031bc759a944
    set: {id: gold, kind: human, annotator: annotator-a, status: gold}
    labels: {relevant: true, countries: [ML]}
    entities:           # [id, quote, type, mention, actor?]
      - [E1, "Forces Armées Maliennes", STATE_FORCE, NAM, fama]
    timexes:            # [id, quote, type, value, mod?, anchor?]   (anchor defaults to DCT)
      - [T1, "ce samedi 28 décembre", DATE, 2024-12-28]
    events:
      - {id: V1, type: AIR_DRONE_STRIKE, trigger: "frappe aérienne", realis: ACTUAL,
         fatalities: [1, 1], args: {AGENT: E1, TARGET: [E3], PLACE: E9, TIME: T2}}
    attributions:
      - {id: A1, source: E1, cue: "ont annoncé", content: ["la mort de ... Serma"], events: [V2],
         source_type: STATE_MILITARY, claim: ASSERTION, certainty: CERTAIN, quote: INDIRECT}
    relations:          # [id, type, head, tail]
      - [R1, CAUSES, V1, V2]
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.core.ids import DOCUMENT_ID_RE
from secnews.model.document import Document, read_document, save_document
from secnews.validate.engine import validate_document

register(
    Rule(
        "QUOTE_NOT_FOUND",
        "Quote not found",
        "error",
        "{what} {quote!r} does not occur in the text",
        "A worksheet quotes each span; the quote must be copied exactly from the document text.",
        "authoring",
    ),
    Rule(
        "QUOTE_AMBIGUOUS",
        "Ambiguous quote",
        "error",
        "{what} {quote!r} occurs {count} times: add @N (1-based occurrence) or a [[context]]",
        "A quote that occurs several times must say which occurrence it means.",
        "authoring",
    ),
    Rule(
        "BAD_WORKSHEET",
        "Bad worksheet",
        "error",
        "{detail}",
        "The worksheet does not have the documented shape (see secnews.annotate.worksheets).",
        "authoring",
    ),
    Rule(
        "INVALID_RESULT",
        "Worksheet gives an invalid document",
        "error",
        "the document would be invalid: {detail}",
        "Nothing is written unless the whole document validates.",
        "authoring",
    ),
)

_OCC_RE = re.compile(r"^(.*)@(\d+)$", re.S)
_CTX_RE = re.compile(r"^(.*?)\[\[(.+?)\]\](.*)$", re.S)


def _occurrences(text: str, needle: str) -> list[int]:
    """Where ``needle`` occurs as whole words: "opération" must never land inside "coopération"."""
    out, i = [], text.find(needle)
    while i >= 0:
        if _on_word_boundaries(text, i, i + len(needle)):
            out.append(i)
        i = text.find(needle, i + 1)
    return out


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """A span starts and ends between words (or at punctuation it quotes itself)."""
    if start > 0 and text[start].isalnum() and text[start - 1].isalnum():
        return False
    return not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())


def resolve_quote(text: str, quote: str, what: str = "span", doc_id: str | None = None) -> tuple[int, int]:
    """Offsets ``(start, end)`` of a quoted span (plain, ``@N`` occurrence, or ``[[...]]`` in context)."""
    occ = None
    m = _OCC_RE.match(quote)
    if m:
        quote, occ = m.group(1), int(m.group(2))
    m = _CTX_RE.match(quote)
    before, core = (m.group(1), m.group(2)) if m else ("", quote)
    needle = quote.replace("[[", "").replace("]]", "") if m else quote
    lead = len(before)
    hits = [
        h for h in _occurrences(text, needle) if _on_word_boundaries(text, h + lead, h + lead + len(core))
    ]
    if not hits:
        raise SecnewsError(make_finding("QUOTE_NOT_FOUND", doc_id=doc_id, what=what, quote=quote))
    if occ is None and len(hits) > 1:
        raise SecnewsError(
            make_finding("QUOTE_AMBIGUOUS", doc_id=doc_id, what=what, quote=quote, count=len(hits))
        )
    if occ is not None and not 1 <= occ <= len(hits):
        raise SecnewsError(make_finding("QUOTE_NOT_FOUND", doc_id=doc_id, what=what, quote=f"{quote}@{occ}"))
    start = hits[(occ or 1) - 1] + len(before)
    return start, start + len(core)


def _span(text: str, quote: object, what: str, doc_id: str) -> dict[str, Any]:
    if not isinstance(quote, str):
        raise SecnewsError(
            make_finding("BAD_WORKSHEET", doc_id=doc_id, detail=f"{what}: a quote must be a string")
        )
    s, e = resolve_quote(text, quote, what, doc_id)
    return {"start": s, "end": e, "text": text[s:e]}


def _row(row: Any, n_min: int, what: str, doc_id: str) -> list[Any]:
    if not isinstance(row, list) or len(row) < n_min:
        raise SecnewsError(
            make_finding("BAD_WORKSHEET", doc_id=doc_id, detail=f"{what} row {row!r} needs {n_min}+ items")
        )
    return row


def _entities(ws: dict[str, Any], text: str, doc_id: str) -> list[dict[str, Any]]:
    out = []
    for row in ws.get("entities") or []:
        r = _row(row, 4, "entity", doc_id)
        out.append(
            {
                "id": str(r[0]),
                **_span(text, r[1], f"entity {r[0]}", doc_id),
                "type": r[2],
                "mention": r[3],
                "actor": r[4] if len(r) > 4 else None,
            }
        )
    return out


def _timexes(ws: dict[str, Any], text: str, doc_id: str) -> list[dict[str, Any]]:
    out = []
    for row in ws.get("timexes") or []:
        r = _row(row, 4, "timex", doc_id)
        value = r[3]
        out.append(
            {
                "id": str(r[0]),
                **_span(text, r[1], f"timex {r[0]}", doc_id),
                "type": r[2],
                "value": None if value is None else str(value),
                "anchor": r[5] if len(r) > 5 else "DCT",
                "mod": r[4] if len(r) > 4 else None,
            }
        )
    return out


def _args(args: dict[str, Any] | None) -> list[dict[str, str]]:
    out = []
    for role, refs in (args or {}).items():
        for ref in refs if isinstance(refs, list) else [refs]:
            out.append({"role": role, "ref": str(ref)})
    return out


def _fatalities(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, int):
        return {"min": value, "max": value}
    lo, hi = ([*list(value), None, None])[:2]
    return {"min": lo, "max": hi}


def _events(ws: dict[str, Any], text: str, doc_id: str) -> list[dict[str, Any]]:
    out = []
    for ev in ws.get("events") or []:
        if not isinstance(ev, dict) or "id" not in ev:
            raise SecnewsError(
                make_finding("BAD_WORKSHEET", doc_id=doc_id, detail=f"event {ev!r} needs a mapping with id")
            )
        out.append(
            {
                "id": str(ev["id"]),
                "type": ev.get("type"),
                "trigger": _span(text, ev.get("trigger"), f"event {ev['id']} trigger", doc_id),
                "realis": ev.get("realis", "ACTUAL"),
                "fatalities": _fatalities(ev.get("fatalities")),
                "arguments": _args(ev.get("args")),
            }
        )
    return out


def _attributions(ws: dict[str, Any], text: str, doc_id: str) -> list[dict[str, Any]]:
    out = []
    for at in ws.get("attributions") or []:
        if not isinstance(at, dict) or "id" not in at:
            raise SecnewsError(
                make_finding("BAD_WORKSHEET", doc_id=doc_id, detail=f"attribution {at!r} needs an id")
            )
        aid = str(at["id"])
        out.append(
            {
                "id": aid,
                "source": at.get("source"),
                "cue": _span(text, at.get("cue"), f"attribution {aid} cue", doc_id),
                "content": [
                    _span(text, q, f"attribution {aid} content", doc_id) for q in at.get("content") or []
                ],
                "events": [str(e) for e in at.get("events") or []],
                **{k: at.get(k) for k in ("source_type", "claim", "certainty", "quote")},
            }
        )
    return out


def _relations(ws: dict[str, Any], doc_id: str) -> list[dict[str, Any]]:
    out = []
    for row in ws.get("relations") or []:
        r = _row(row, 4, "relation", doc_id)
        out.append({"id": str(r[0]), "type": r[1], "head": str(r[2]), "tail": str(r[3])})
    return out


def build_set(doc: Document, ws: dict[str, Any], now: str | None = None) -> dict[str, Any]:
    """The canonical annotation set a worksheet describes, for this document's text."""
    text, doc_id = doc["text"], doc["id"]
    meta = ws.get("set") or {}
    if "id" not in meta:
        raise SecnewsError(make_finding("BAD_WORKSHEET", doc_id=doc_id, detail="worksheet needs set.id"))
    stamp = now or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    labels = ws.get("labels") or {}
    return {
        "id": str(meta["id"]),
        "kind": meta.get("kind", "human"),
        "annotator": meta.get("annotator", "unknown"),
        "status": meta.get("status", "submitted"),
        "created": meta.get("created", stamp),
        "updated": meta.get("updated", stamp),
        "origin": meta.get("origin", {"tool": "secnews-annotate"}),
        "labels": {"relevant": labels.get("relevant"), "countries": list(labels.get("countries") or [])},
        "entities": _entities(ws, text, doc_id),
        "events": _events(ws, text, doc_id),
        "attributions": _attributions(ws, text, doc_id),
        "timexes": _timexes(ws, text, doc_id),
        "relations": _relations(ws, doc_id),
        **({"adjudication": meta["adjudication"]} if "adjudication" in meta else {}),
    }


def apply_worksheet(ws_path: Path, documents_dir: Path, now: str | None = None) -> Path:
    """Build the set of a worksheet into its document (replacing a set of the same id); validate first."""
    try:
        ws = yaml.safe_load(Path(ws_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SecnewsError(make_finding("BAD_WORKSHEET", file=str(ws_path), detail=str(exc))) from None
    if (
        not isinstance(ws, dict)
        or not isinstance(ws.get("doc"), str)
        or not DOCUMENT_ID_RE.fullmatch(ws["doc"])
    ):
        # the id names the file written: '../x' or '/x' would write outside the documents directory
        raise SecnewsError(
            make_finding(
                "BAD_WORKSHEET", file=str(ws_path), detail="worksheet needs a 'doc' id (a document id)"
            )
        )
    path = Path(documents_dir) / f"{ws['doc']}.json"
    doc = read_document(path)
    new_set = build_set(doc, ws, now)
    old = next((a for a in doc["annotations"] if a["id"] == new_set["id"]), None)
    if old is not None and now is None:
        new_set["created"] = old.get("created") or new_set["created"]
    # a replaced set keeps its place among the document's sets (set_index in the annotations table)
    sets = doc["annotations"]
    doc["annotations"] = [new_set if a is old else a for a in sets] if old is not None else [*sets, new_set]
    errors = [f for f in validate_document(doc, file=str(path)) if f.severity == "error"]
    if errors:
        detail = "; ".join(f"[{f.code}] {f.annotation_id or ''} {f.message}" for f in errors[:10])
        raise SecnewsError(
            make_finding("INVALID_RESULT", file=str(ws_path), doc_id=doc["id"], detail=detail), *errors
        )
    return save_document(doc, Path(documents_dir))


def _quote_for(text: str, start: int, end: int) -> str:
    """The shortest quote that resolves back to exactly ``[start, end)``."""
    core = text[start:end]
    hits = _occurrences(text, core)
    if start not in hits:  # the span cuts a word: show it in its words; applying it is refused until fixed
        ws, we = start, end
        while ws > 0 and text[ws - 1].isalnum():
            ws -= 1
        while we < len(text) and text[we].isalnum():
            we += 1
        return f"{text[ws:start]}[[{core}]]{text[end:we]}"
    if len(hits) == 1:
        return core
    return f"{core}@{hits.index(start) + 1}"


def _set_meta(ann: dict[str, Any]) -> dict[str, Any]:
    """The set's own fields, so that dump -> apply keeps its creation stamp, origin and adjudication record."""
    keys = ("id", "kind", "annotator", "status", "created", "origin", "adjudication")
    return {k: ann[k] for k in keys if k in ann}


def dump_worksheet(doc: Document, set_id: str, as_set: dict[str, Any] | None = None) -> str:
    """A worksheet (YAML text) of one annotation set, to be corrected and applied (maybe under another id)."""
    ann = next((a for a in doc["annotations"] if a["id"] == set_id), None)
    if ann is None:
        raise SecnewsError(
            make_finding("BAD_WORKSHEET", doc_id=doc["id"], detail=f"no annotation set {set_id!r}")
        )
    text = doc["text"]
    q = lambda r: _quote_for(text, r["start"], r["end"])  # noqa: E731
    ws: dict[str, Any] = {
        "doc": doc["id"],
        "set": as_set or _set_meta(ann),
        "labels": ann["labels"],
        "entities": [
            [e["id"], q(e), e["type"], e["mention"], *([e["actor"]] if e["actor"] else [])]
            for e in ann["entities"]
        ],
        "timexes": [[t["id"], q(t), t["type"], t["value"], t["mod"], t["anchor"]] for t in ann["timexes"]],
        "events": [
            {
                "id": v["id"],
                "type": v["type"],
                "trigger": q(v["trigger"]),
                "realis": v["realis"],
                "fatalities": None
                if v["fatalities"] is None
                else [v["fatalities"]["min"], v["fatalities"]["max"]],
                "args": _args_back(v["arguments"]),
            }
            for v in ann["events"]
        ],
        "attributions": [
            {
                "id": a["id"],
                "source": a["source"],
                "cue": q(a["cue"]),
                "content": [q(c) for c in a["content"]],
                "events": a["events"],
                **{k: a[k] for k in ("source_type", "claim", "certainty", "quote")},
            }
            for a in ann["attributions"]
        ],
        "relations": [[r["id"], r["type"], r["head"], r["tail"]] for r in ann["relations"]],
    }
    return yaml.safe_dump(ws, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None)


def _args_back(args: list[dict[str, str]]) -> dict[str, Any]:
    out: dict[str, list[str]] = {}
    for a in args:
        out.setdefault(a["role"], []).append(a["ref"])
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}
