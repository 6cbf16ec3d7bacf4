"""The validator: JSON Schema structure first, then the semantic rules of schema v1.

Structure is checked by ``jsonschema-rs`` (fast path) and, only for documents it rejects, by the
reference ``jsonschema`` implementation whose errors carry the keyword and path needed to map each
one to a stable code. A test proves both engines give the same verdict on every fixture.
Semantic rules (offsets, references, roles, dates...) run on structurally valid documents: on a
broken structure they would only repeat the structural error in worse words.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs

from secnews.core.findings import Finding, Rule, SecnewsError, make_finding, register
from secnews.core.fs import gc_free_worker, without_cyclic_gc
from secnews.core.taxonomy import TIMEX_REF, Taxonomy, load_taxonomy
from secnews.model import timex3 as tx
from secnews.model.document import iter_document_files, read_document
from secnews.model.json_schema import LAYERS, load_document_schema

register(
    # structure (JSON Schema)
    Rule(
        "MISSING_FIELD",
        "Missing field",
        "error",
        "required field {field!r} is missing",
        "Every field of the canonical document is required unless docs/canonical-fields.md says optional.",
        "structure",
    ),
    Rule(
        "UNKNOWN_FIELD",
        "Unknown field",
        "error",
        "unknown field {field!r} (not in schema {version})",
        "Unknown keys are an error, never silently kept: they are usually typos of a real field.",
        "structure",
    ),
    Rule(
        "WRONG_TYPE",
        "Wrong type",
        "error",
        "{detail}",
        "A field has the wrong JSON type (e.g. a string where an integer offset is expected).",
        "structure",
    ),
    Rule(
        "UNKNOWN_LABEL",
        "Unknown label",
        "error",
        "{value!r} is not a known {field} (allowed: {allowed})",
        "A label must be one of the taxonomy's names (schema/taxonomy.yaml); labels are case-sensitive.",
        "structure",
    ),
    Rule(
        "BAD_VALUE",
        "Bad value",
        "error",
        "{detail}",
        "A value breaks a constraint of the JSON Schema (range, format, uniqueness).",
        "structure",
    ),
    Rule(
        "BAD_RECORD_ID",
        "Bad record id",
        "error",
        "id {value!r} does not match ^[A-Za-z0-9][A-Za-z0-9_.:-]{{0,63}}$",
        "Record ids are referenced by arguments and relations: short, ASCII, no spaces.",
        "structure",
    ),
    Rule(
        "BAD_DATE",
        "Bad date",
        "error",
        "{field} {value!r} is not an ISO date or date-time{detail}",
        "Dates are ISO 8601: meta.published is the DCT every relative date is resolved against.",
        "structure",
    ),
    Rule(
        "UNSUPPORTED_SCHEMA_VERSION",
        "Unsupported schema version",
        "error",
        "schema_version {value!r} is not {version}",
        "This toolkit reads documents of its own schema version; migrate older ones first.",
        "structure",
    ),
    # document
    Rule(
        "FILE_NAME_MISMATCH",
        "File name mismatch",
        "error",
        "file is named {stem!r} but the document id is {doc!r}",
        "A document lives in corpus/documents/<id>.json so that ids and files cannot drift apart.",
        "document",
    ),
    Rule(
        "TEXT_NOT_NFC",
        "Text not NFC",
        "error",
        "text is not in Unicode NFC form (first difference near offset {offset})",
        "Offsets are code points of the NFC text; a decomposed accent would shift every later offset.",
        "document",
    ),
    Rule(
        "TEXT_CONTROL_CHAR",
        "Control character in text",
        "error",
        "text contains control character U+{codepoint} at offset {offset}",
        "Only \\n and \\t are allowed: control characters break tools and tokenisers.",
        "document",
    ),
    Rule(
        "TEXT_CRLF",
        "Carriage return in text",
        "error",
        "text contains a carriage return at offset {offset}",
        "The canonical text uses \\n line ends; \\r\\n shifts offsets in Label Studio (a known upstream bug).",
        "document",
    ),
    Rule(
        "TEXT_INVISIBLE_CHAR",
        "Invisible character in text",
        "warning",
        "text contains invisible character U+{codepoint} at offset {offset}",
        "Zero-width characters and BOMs are usually copy-paste debris that makes spans look equal when they are not.",
        "document",
    ),
    Rule(
        "BAD_PUBLISHED_DATE",
        "Bad publication date",
        "error",
        "meta.published {value!r} is not a real date",
        "The DCT anchors every relative date; it must be a real calendar date.",
        "document",
    ),
    Rule(
        "UNKNOWN_COUNTRY",
        "Unknown country",
        "error",
        "{value!r} is not an ISO 3166-1 alpha-2 country code",
        "The countries label uses ISO 3166-1 alpha-2 codes (ML, BF, NE...).",
        "document",
    ),
    Rule(
        "MULTIPLE_GOLD",
        "Several gold sets",
        "error",
        "{count} annotation sets have status 'gold' ({sets})",
        "A release takes the gold set; with two, which one is gold would be a guess.",
        "document",
    ),
    Rule(
        "DUPLICATE_SET_ID",
        "Duplicate annotation set id",
        "error",
        "annotation set id {value!r} is used {count} times",
        "Annotation sets are merged by id on import: ids must be unique within a document.",
        "document",
    ),
    Rule(
        "GOLD_IS_PREDICTION",
        "Gold set is a prediction",
        "error",
        "annotation set {value!r} is a model prediction but has status 'gold'",
        "Gold is made by people (by correcting or adjudicating); a model's output is never gold as is.",
        "document",
    ),
    Rule(
        "PREDICTION_ANNOTATOR",
        "Prediction annotator format",
        "warning",
        "prediction set annotator {value!r} should read 'model:<name>@<version>'",
        "Naming the model and version lets evaluations compare model versions.",
        "document",
    ),
    # records and spans
    Rule(
        "DUPLICATE_ID",
        "Duplicate record id",
        "error",
        "id {value!r} is used by {count} records of this set",
        "Arguments and relations point at records by id: an id must be unique across all layers of a set.",
        "span",
    ),
    Rule(
        "SPAN_OUT_OF_RANGE",
        "Span out of range",
        "error",
        "span [{start}, {end}) is outside the text (length {length})",
        "Offsets are code points into the document text, end exclusive.",
        "span",
    ),
    Rule(
        "SPAN_INVERTED",
        "Empty or inverted span",
        "error",
        "span [{start}, {end}) is empty or inverted",
        "A span needs start < end.",
        "span",
    ),
    Rule(
        "SPAN_TEXT_MISMATCH",
        "Span text mismatch",
        "error",
        "span [{start}, {end}) covers {actual!r} but its text says {expected!r}",
        "Every span carries its text; a mismatch means shifted offsets (UTF-16 vs code points, CRLF, edits).",
        "span",
    ),
    Rule(
        "SPAN_WHITESPACE_EDGE",
        "Span with edge whitespace",
        "warning",
        "span text {expected!r} starts or ends with white space",
        "Spans are trimmed to the words they mark; edge spaces make exact-match scores wrong.",
        "span",
    ),
    Rule(
        "DUPLICATE_SPAN",
        "Duplicate span",
        "warning",
        "{layer} {value!r} repeats the span and type of {other!r}",
        "Two identical annotations are usually a double click; they inflate counts.",
        "span",
    ),
    Rule(
        "UNKNOWN_ACTOR",
        "Unknown actor",
        "error",
        "actor {value!r} is not in schema/actors.yaml",
        "Entity actors link to the actor registry; an unknown id is a typo or a missing registry entry.",
        "span",
    ),
    # references
    Rule(
        "DANGLING_REF",
        "Dangling reference",
        "error",
        "{what} points at {value!r}, which does not exist in this set",
        "References (arguments, relations, attribution sources and events, timex anchors) must resolve within the set.",
        "reference",
    ),
    Rule(
        "WRONG_REF_LAYER",
        "Reference to the wrong layer",
        "error",
        "{what} points at {value!r}, a {found}; expected {expected}",
        "Each reference has a layer: an argument points at an entity (a timex for TIME), a relation at the layer its type says.",
        "reference",
    ),
    Rule(
        "ROLE_NOT_ALLOWED",
        "Role not allowed for event type",
        "error",
        "role {role} is not allowed for {event_type} (allowed: {allowed})",
        "The taxonomy lists which roles each event type takes (schema/taxonomy.yaml, event_types[].roles).",
        "reference",
    ),
    Rule(
        "ROLE_ENTITY_TYPE",
        "Wrong entity type for role",
        "error",
        "role {role} accepts {allowed}, but {value!r} is a {found}",
        "The taxonomy lists which entity types each role accepts (schema/taxonomy.yaml, roles[].accepts).",
        "reference",
    ),
    Rule(
        "DUPLICATE_ARGUMENT",
        "Duplicate argument",
        "warning",
        "argument {role} -> {value!r} is listed twice",
        "A repeated argument is a double entry.",
        "reference",
    ),
    Rule(
        "SELF_RELATION",
        "Relation to itself",
        "error",
        "relation {value!r} links {head!r} to itself",
        "A relation needs two different records.",
        "reference",
    ),
    Rule(
        "FATALITIES_RANGE",
        "Fatalities range inverted",
        "error",
        "fatalities min {min} is greater than max {max}",
        "Fatalities are a reported range {min, max}; ACLED keeps the lowest.",
        "reference",
    ),
    Rule(
        "ATTRIBUTION_EMPTY",
        "Attribution reports nothing",
        "warning",
        "attribution {value!r} has neither content spans nor events",
        "An attribution links a source to what it says: content spans, events, or both.",
        "reference",
    ),
    # dates
    Rule(
        "TIMEX_VALUE_SYNTAX",
        "Bad TIMEX3 value",
        "error",
        "timex value {value!r} is not a well-formed TIMEX3 value",
        "Values follow TIMEX3 (2024-12-26, 2024-W52, 2024-12-26T19:30, P3D, PXY, PAST_REF...) and name real days.",
        "date",
    ),
    Rule(
        "TIMEX_TYPE_MISMATCH",
        "TIMEX3 value does not fit its type",
        "error",
        "a {type} cannot have the value {value!r}",
        "TIMEX3 ties syntax to type: a DURATION is P..., a TIME carries T..., a DATE neither.",
        "date",
    ),
    Rule(
        "TIMEX_VALUE_MISSING",
        "Gold timex without value",
        "error",
        "timex {text!r} has no value in a gold set",
        "Imported or predicted timexes may wait for normalisation; gold ones may not (SCHEMA-v1 section 5).",
        "date",
    ),
    Rule(
        "TIMEX_WEEKDAY_MISMATCH",
        "Weekday mismatch",
        "error",
        "{text!r} names {named} but {value} is a {actual}",
        "A value that names a day must fall on the weekday the span names ('samedi 28 décembre' is a Saturday).",
        "date",
    ),
    Rule(
        "TIMEX_DCT_INCONSISTENT",
        "Relative date inconsistent with its anchor",
        "error",
        "{text!r} anchored on {anchor_value} should be {expected}, not {value}",
        "Relative dates resolve against the DCT (or their anchor): 'jeudi dernier' on Saturday 2024-12-28 is "
        "2024-12-26, the most recent Thursday before the DCT.",
        "date",
    ),
    Rule(
        "TIMEX_ANCHOR",
        "Bad timex anchor",
        "error",
        "timex anchor {value!r} {detail}",
        "An anchor is 'DCT' or the id of another timex of the set that names a day.",
        "date",
    ),
)

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_LABEL_FIELDS = {
    "type",
    "mention",
    "realis",
    "role",
    "source_type",
    "claim",
    "certainty",
    "quote",
    "mod",
    "kind",
    "status",
}


# --------------------------------------------------------------------------------------------- context
@dataclass
class _Ctx:
    """Where we are, so every finding names file, document, set, record and JSON path."""

    file: str | None
    doc_id: str | None
    findings: list[Finding]
    set_id: str | None = None
    set_index: int | None = None

    def add(self, code: str, path: str | tuple[Any, ...], record: str | None = None, **ctx: Any) -> None:
        if isinstance(path, tuple):
            path = self.set_path() + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
        self.findings.append(
            make_finding(
                code,
                file=self.file,
                doc_id=self.doc_id,
                annotation_set=self.set_id,
                annotation_id=record,
                path=path,
                **ctx,
            )
        )

    def set_path(self) -> str:
        return f"$.annotations[{self.set_index}]"


@cache
def _validators() -> tuple[Any, jsonschema.Draft202012Validator]:
    schema = load_document_schema()
    return jsonschema_rs.validator_for(schema), jsonschema.Draft202012Validator(schema)


@cache
def _actor_ids() -> frozenset[str] | None:
    try:
        from secnews.core.actors import load_actors
    except ModuleNotFoundError:
        return None
    try:
        return frozenset(load_actors().ids())
    except FileNotFoundError:
        return None


@cache
def _country_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


# --------------------------------------------------------------------------------------------- structure
def structure_is_valid(doc: Any) -> bool:
    """The fast structural verdict (jsonschema-rs)."""
    return bool(_validators()[0].is_valid(doc))


def reference_structure_is_valid(doc: Any) -> bool:
    """The reference verdict (python-jsonschema), used by the agreement test."""
    return bool(_validators()[1].is_valid(doc))


def _json_path(parts: Iterable[Any]) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _locate(doc: Any, parts: list[Any]) -> tuple[str | None, str | None]:
    """The annotation set id and record id a JSON path falls in (for naming them in findings)."""
    set_id = rec_id = None
    if len(parts) >= 2 and parts[0] == "annotations" and isinstance(parts[1], int):
        try:
            ann = doc["annotations"][parts[1]]
            set_id = ann.get("id") if isinstance(ann, dict) else None
            if len(parts) >= 4 and isinstance(parts[3], int):
                rec = ann[parts[2]][parts[3]]
                rec_id = rec.get("id") if isinstance(rec, dict) else None
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return (str(set_id) if set_id is not None else None, str(rec_id) if rec_id is not None else None)


def _map_schema_error(err: jsonschema.ValidationError, tax: Taxonomy) -> tuple[str, dict[str, Any]]:
    """Turn a jsonschema error into (code, template fields)."""
    parts = list(err.absolute_path)
    last = next((p for p in reversed(parts) if isinstance(p, str)), "")
    kw = err.validator
    if kw == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return "MISSING_FIELD", {"field": missing[0] if missing else err.message}
    if kw == "additionalProperties":
        extra = re.findall(r"'([^']+)'", err.message)
        return "UNKNOWN_FIELD", {"field": extra[0] if extra else err.message, "version": tax.schema_version}
    if kw == "const" and parts == ["schema_version"]:
        return "UNSUPPORTED_SCHEMA_VERSION", {"value": err.instance, "version": tax.schema_version}
    if kw in ("enum", "const") and last in _LABEL_FIELDS | {"language"}:
        allowed = err.validator_value if kw == "enum" else [err.validator_value]
        shown = ", ".join(str(a) for a in allowed if a is not None)
        return "UNKNOWN_LABEL", {"value": err.instance, "field": last, "allowed": shown}
    if kw == "pattern":
        if parts == ["id"]:
            return "BAD_DOCUMENT_ID", {"value": err.instance}
        if last in ("published", "created", "updated", "retrieved"):
            return "BAD_DATE", {"field": last, "value": err.instance, "detail": ""}
        if last == "countries" or (len(parts) >= 2 and parts[-2] == "countries"):
            return "UNKNOWN_COUNTRY", {"value": err.instance}
        return "BAD_RECORD_ID", {"value": err.instance}
    if (kw in ("type", "anyOf") and not isinstance(err.instance, (dict, list))) or kw == "type":
        return "WRONG_TYPE", {"detail": f"{_json_path(parts)}: {err.message}"}
    return "BAD_VALUE", {"detail": f"{_json_path(parts)}: {err.message}"}


def _best_errors(
    validator: jsonschema.Draft202012Validator, doc: Any
) -> Iterator[jsonschema.ValidationError]:
    """Errors with anyOf branches unwrapped to the branch that was meant.

    A nullable field is ``anyOf: [X, null]``; when the value is not null the useful error is X's
    (a bad pattern, a negative count), not "is not of type null".
    """
    for err in validator.iter_errors(doc):
        if err.validator in ("anyOf", "oneOf") and err.context:
            branches = [e for e in err.context if not (e.validator == "type" and e.validator_value == "null")]
            yield jsonschema.exceptions.best_match(branches or err.context)
        else:
            yield err


def structural_findings(doc: Any, ctx: _Ctx, tax: Taxonomy) -> None:
    seen: set[tuple[str, str]] = set()
    for err in sorted(_best_errors(_validators()[1], doc), key=lambda e: list(map(str, e.absolute_path))):
        code, fields = _map_schema_error(err, tax)
        parts = list(err.absolute_path)
        path = _json_path(parts)
        if (code, path) in seen:
            continue
        seen.add((code, path))
        set_id, rec_id = _locate(doc, parts)
        ctx.findings.append(
            make_finding(
                code,
                file=ctx.file,
                doc_id=ctx.doc_id,
                annotation_set=set_id,
                annotation_id=rec_id,
                path=path,
                **fields,
            )
        )


# --------------------------------------------------------------------------------------------- document
def _check_text(ctx: _Ctx, text: str) -> None:
    if not unicodedata.is_normalized("NFC", text):
        nfc = unicodedata.normalize("NFC", text)
        offset = next(
            (i for i, (a, b) in enumerate(zip(text, nfc, strict=False)) if a != b), min(len(text), len(nfc))
        )
        ctx.add("TEXT_NOT_NFC", "$.text", offset=offset)
    if "\r" in text:
        ctx.add("TEXT_CRLF", "$.text", offset=text.index("\r"))
    m = _CONTROL_RE.search(text.replace("\r", "\n"))
    if m:
        ctx.add("TEXT_CONTROL_CHAR", "$.text", codepoint=f"{ord(m.group()):04X}", offset=m.start())
    m = _INVISIBLE_RE.search(text)
    if m:
        ctx.add("TEXT_INVISIBLE_CHAR", "$.text", codepoint=f"{ord(m.group()):04X}", offset=m.start())


def _check_document_level(ctx: _Ctx, doc: dict[str, Any]) -> None:
    _check_text(ctx, doc["text"])
    published = doc["meta"]["published"]
    if tx.parse_dct(published) is None:
        ctx.add("BAD_PUBLISHED_DATE", "$.meta.published", value=published)
    sets = doc["annotations"]
    golds = [a["id"] for a in sets if a["status"] == "gold"]
    if len(golds) > 1:
        ctx.add("MULTIPLE_GOLD", "$.annotations", count=len(golds), sets=", ".join(golds))
    for set_id, count in Counter(a["id"] for a in sets).items():
        if count > 1:
            ctx.add("DUPLICATE_SET_ID", "$.annotations", value=set_id, count=count)


# --------------------------------------------------------------------------------------------- sets
def _span_ok(rec: dict[str, Any], text: str) -> bool:
    """The fast path: a correct, trimmed span (the overwhelmingly common case) costs one slice."""
    start, end, expected = rec["start"], rec["end"], rec["text"]
    return (
        0 <= start < end <= len(text)
        and text[start:end] == expected
        and not expected[0].isspace()
        and not expected[-1].isspace()
    )


def _check_span(ctx: _Ctx, rec: dict[str, Any], path: tuple[Any, ...], text: str, rec_id: str | None) -> bool:
    if _span_ok(rec, text):
        return True
    start, end, expected = rec["start"], rec["end"], rec["text"]
    n = len(text)
    if end > n:
        ctx.add("SPAN_OUT_OF_RANGE", path, rec_id, start=start, end=end, length=n)
        return False
    if start >= end:
        ctx.add("SPAN_INVERTED", path, rec_id, start=start, end=end)
        return False
    actual = text[start:end]
    if actual != expected:
        ctx.add("SPAN_TEXT_MISMATCH", path, rec_id, start=start, end=end, actual=actual, expected=expected)
        return False
    ctx.add("SPAN_WHITESPACE_EDGE", path, rec_id, expected=expected)
    return True


def _index_ids(ctx: _Ctx, ann: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """id -> (layer, record) over all layers; each duplicated id reported once."""
    index: dict[str, tuple[str, dict[str, Any]]] = {}
    dupes: dict[str, int] = {}
    for layer in LAYERS:
        for rec in ann[layer]:
            rid = rec["id"]
            if rid in index:
                dupes[rid] = dupes.get(rid, 1) + 1
            else:
                index[rid] = (layer, rec)
            if layer == "attributions":
                for c in rec["content"]:
                    cid = c.get("id")
                    if cid is None:
                        continue
                    if cid in index:
                        dupes[cid] = dupes.get(cid, 1) + 1
                    else:
                        index[cid] = ("content", c)
    for rec_id, count in dupes.items():
        ctx.add("DUPLICATE_ID", (), rec_id, value=rec_id, count=count)
    return index


def _check_entities(ctx: _Ctx, ann: dict[str, Any], text: str) -> None:
    actors = _actor_ids()
    seen: dict[tuple[int, int, str], str] = {}
    for i, ent in enumerate(ann["entities"]):
        if not _span_ok(ent, text):
            _check_span(ctx, ent, ("entities", i), text, ent["id"])
        key = (ent["start"], ent["end"], ent["type"])
        other = seen.setdefault(key, ent["id"])
        if other != ent["id"]:
            ctx.add(
                "DUPLICATE_SPAN", ("entities", i), ent["id"], layer="entity", value=ent["id"], other=other
            )
        actor = ent["actor"]
        if actor is not None and actors is not None and actor not in actors:
            ctx.add("UNKNOWN_ACTOR", ("entities", i, "actor"), ent["id"], value=actor)


def _check_events(ctx: _Ctx, ann: dict[str, Any], text: str, index: dict[str, Any], tax: Taxonomy) -> None:
    for i, ev in enumerate(ann["events"]):
        path = ("events", i)
        if not _span_ok(ev["trigger"], text):
            _check_span(ctx, ev["trigger"], (*path, "trigger"), text, ev["id"])
        fat = ev["fatalities"]
        if fat and fat["min"] is not None and fat["max"] is not None and fat["min"] > fat["max"]:
            ctx.add("FATALITIES_RANGE", (*path, "fatalities"), ev["id"], min=fat["min"], max=fat["max"])
        allowed = tax.allowed_roles(ev["type"])
        seen: set[tuple[str, str]] = set()
        for j, arg in enumerate(ev["arguments"]):
            if not _argument_ok(arg, index, tax, allowed, seen):
                _check_argument(ctx, ev, arg, (*path, "arguments", j), index, tax, allowed, seen)
            seen.add((arg["role"], arg["ref"]))


def _argument_ok(
    arg: dict[str, Any],
    index: dict[str, Any],
    tax: Taxonomy,
    allowed: frozenset[str],
    seen: set[tuple[str, str]],
) -> bool:
    """The fast path for a correct argument: one dict lookup and two set tests."""
    role, ref = arg["role"], arg["ref"]
    target = index.get(ref)
    if target is None or role not in allowed or (role, ref) in seen:
        return False
    layer, rec = target
    accepts = tax.role_accepts(role)
    if layer == "entities":
        return rec["type"] in accepts
    return layer == "timexes" and TIMEX_REF in accepts


def _check_argument(
    ctx: _Ctx,
    ev: dict[str, Any],
    arg: dict[str, Any],
    path: str,
    index: dict[str, Any],
    tax: Taxonomy,
    allowed: frozenset[str],
    seen: set[tuple[str, str]],
) -> None:
    role, ref = arg["role"], arg["ref"]
    if (role, ref) in seen:
        ctx.add("DUPLICATE_ARGUMENT", path, ev["id"], role=role, value=ref)
    if role not in allowed:
        ctx.add(
            "ROLE_NOT_ALLOWED",
            path,
            ev["id"],
            role=role,
            event_type=ev["type"],
            allowed=", ".join(sorted(allowed)),
        )
    target = index.get(ref)
    if target is None:
        ctx.add("DANGLING_REF", (*path, "ref"), ev["id"], what=f"argument {role}", value=ref)
        return
    layer, rec = target
    accepts = tax.role_accepts(role)
    wants_timex = TIMEX_REF in accepts
    if (wants_timex and layer != "timexes") or (not wants_timex and layer != "entities"):
        expected = "a timex" if wants_timex else "an entity"
        ctx.add(
            "WRONG_REF_LAYER",
            (*path, "ref"),
            ev["id"],
            what=f"argument {role}",
            value=ref,
            found=layer.rstrip("s"),
            expected=expected,
        )
        return
    if layer == "entities" and rec["type"] not in accepts:
        ctx.add(
            "ROLE_ENTITY_TYPE",
            (*path, "ref"),
            ev["id"],
            role=role,
            allowed=", ".join(sorted(accepts)),
            value=ref,
            found=rec["type"],
        )


def _check_attributions(ctx: _Ctx, ann: dict[str, Any], text: str, index: dict[str, Any]) -> None:
    for i, att in enumerate(ann["attributions"]):
        path = ("attributions", i)
        _check_span(ctx, att["cue"], (*path, "cue"), text, att["id"])
        for j, c in enumerate(att["content"]):
            _check_span(ctx, c, (*path, "content", j), text, att["id"])
        source = att["source"]
        if source is not None:
            _expect_layer(ctx, index, source, "entities", (*path, "source"), att["id"], "attribution source")
        for j, ev_id in enumerate(att["events"]):
            _expect_layer(ctx, index, ev_id, "events", (*path, "events", j), att["id"], "attribution event")
        if not att["content"] and not att["events"]:
            ctx.add("ATTRIBUTION_EMPTY", path, att["id"], value=att["id"])


def _expect_layer(
    ctx: _Ctx, index: dict[str, Any], ref: str, layer: str, path: str, rec_id: str, what: str
) -> bool:
    target = index.get(ref)
    if target is None:
        ctx.add("DANGLING_REF", path, rec_id, what=what, value=ref)
        return False
    if target[0] != layer:
        ctx.add(
            "WRONG_REF_LAYER",
            path,
            rec_id,
            what=what,
            value=ref,
            found=target[0].rstrip("s"),
            expected=f"an {layer.rstrip('s')}" if layer[0] in "aeiou" else f"a {layer.rstrip('s')}",
        )
        return False
    return True


def _check_relations(ctx: _Ctx, ann: dict[str, Any], index: dict[str, Any], tax: Taxonomy) -> None:
    for i, rel in enumerate(ann["relations"]):
        path = ("relations", i)
        head_layer, tail_layer = tax.relation_layers(rel["type"])
        what = f"relation {rel['type']}"
        _expect_layer(ctx, index, rel["head"], head_layer, (*path, "head"), rel["id"], f"{what} head")
        _expect_layer(ctx, index, rel["tail"], tail_layer, (*path, "tail"), rel["id"], f"{what} tail")
        if rel["head"] == rel["tail"]:
            ctx.add("SELF_RELATION", path, rel["id"], value=rel["id"], head=rel["head"])


def _check_timexes(ctx: _Ctx, ann: dict[str, Any], text: str, index: dict[str, Any], dct: Any) -> None:
    is_gold = ann["status"] == "gold"
    for i, tmx in enumerate(ann["timexes"]):
        path = ("timexes", i)
        _check_span(ctx, tmx, path, text, tmx["id"])
        value = tmx["value"]
        if value is None:
            if is_gold:
                ctx.add("TIMEX_VALUE_MISSING", (*path, "value"), tmx["id"], text=tmx["text"])
            continue
        if not tx.value_is_well_formed(value):
            ctx.add("TIMEX_VALUE_SYNTAX", (*path, "value"), tmx["id"], value=value)
            continue
        if not tx.value_matches_type(tmx["type"], value):
            ctx.add("TIMEX_TYPE_MISMATCH", (*path, "value"), tmx["id"], type=tmx["type"], value=value)
            continue
        _check_timex_day(ctx, tmx, path, index, dct)


def _anchor_day(
    ctx: _Ctx, tmx: dict[str, Any], path: tuple[Any, ...], index: dict[str, Any], dct: Any
) -> Any:
    anchor = tmx["anchor"]
    if anchor is None or anchor == "DCT":
        return dct
    target = index.get(anchor)
    if anchor == tmx["id"]:
        ctx.add("TIMEX_ANCHOR", (*path, "anchor"), tmx["id"], value=anchor, detail="is the timex itself")
        return None
    if target is None or target[0] != "timexes":
        ctx.add(
            "TIMEX_ANCHOR", (*path, "anchor"), tmx["id"], value=anchor, detail="is not a timex of this set"
        )
        return None
    day = tx.value_day(target[1]["value"] or "")
    if day is None:
        ctx.add("TIMEX_ANCHOR", (*path, "anchor"), tmx["id"], value=anchor, detail="does not name a day")
    return day


def _check_timex_day(
    ctx: _Ctx, tmx: dict[str, Any], path: tuple[Any, ...], index: dict[str, Any], dct: Any
) -> None:
    anchor_day = _anchor_day(ctx, tmx, path, index, dct)
    day = tx.value_day(tmx["value"])
    if day is None:
        return
    named = tx.weekdays_in_span(tmx["text"])
    if named and day.isoweekday() not in named:
        names = {v: k for k, v in tx.WEEKDAYS_FR.items()}
        ctx.add(
            "TIMEX_WEEKDAY_MISMATCH",
            (*path, "value"),
            tmx["id"],
            text=tmx["text"],
            named=" or ".join(names[n] for n in sorted(named)),
            value=tmx["value"],
            actual=names[day.isoweekday()],
        )
        return
    if anchor_day is None:
        return
    expected = tx.expected_relative_day(tmx["text"], anchor_day)
    if (expected is not None and expected != day) or (
        expected is None and not tx.relative_day_plausible(tmx["text"], day, anchor_day)
    ):
        ctx.add(
            "TIMEX_DCT_INCONSISTENT",
            (*path, "value"),
            tmx["id"],
            text=tmx["text"],
            anchor_value=anchor_day.isoformat(),
            expected=expected.isoformat() if expected else "within a week of it",
            value=tmx["value"],
        )


def _check_set(ctx: _Ctx, doc: dict[str, Any], ann: dict[str, Any], tax: Taxonomy, dct: Any) -> None:
    text = doc["text"]
    if ann["kind"] == "prediction":
        if ann["status"] == "gold":
            ctx.add("GOLD_IS_PREDICTION", (), value=ann["id"])
        if not ann["annotator"].startswith("model:"):
            ctx.add("PREDICTION_ANNOTATOR", ("annotator",), value=ann["annotator"])
    codes = _country_codes()
    for j, c in enumerate(ann["labels"]["countries"]):
        if c not in codes:
            ctx.add("UNKNOWN_COUNTRY", ("labels", "countries", j), value=c)
    index = _index_ids(ctx, ann)
    _check_entities(ctx, ann, text)
    _check_events(ctx, ann, text, index, tax)
    _check_attributions(ctx, ann, text, index)
    _check_timexes(ctx, ann, text, index, dct)
    _check_relations(ctx, ann, index, tax)


# --------------------------------------------------------------------------------------------- API
def validate_document(
    doc: Any, *, file: str | None = None, taxonomy: Taxonomy | None = None
) -> list[Finding]:
    """Every finding for one parsed document (structure, then meaning). Never raises on bad input."""
    tax = taxonomy or load_taxonomy()
    doc_id = doc.get("id") if isinstance(doc, dict) else None
    ctx = _Ctx(file=file, doc_id=doc_id if isinstance(doc_id, str) else None, findings=[])
    stem = os.path.splitext(os.path.basename(file))[0] if file is not None else None
    if stem is not None and isinstance(doc_id, str) and stem != doc_id:
        ctx.add("FILE_NAME_MISMATCH", "$.id", stem=stem, doc=doc_id)
    if not isinstance(doc, dict):
        ctx.add("NOT_AN_OBJECT", "$", found=type(doc).__name__)
        return ctx.findings
    if not structure_is_valid(doc):
        structural_findings(doc, ctx, tax)
        return ctx.findings
    _check_document_level(ctx, doc)
    dct = tx.parse_dct(doc["meta"]["published"])
    for i, ann in enumerate(doc["annotations"]):
        ctx.set_index, ctx.set_id = i, ann["id"]
        _check_set(ctx, doc, ann, tax, dct)
    return ctx.findings


@dataclass
class ValidationReport:
    """The validator's verdict over many files (frictionless-style: valid, stats, findings)."""

    valid: bool = True
    stats: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "stats": self.stats, "findings": [f.to_dict() for f in self.findings]}


def validate_file(path: Path) -> list[Finding]:
    """Findings for one file; unreadable or malformed files become findings too."""
    try:
        doc = read_document(path)
    except SecnewsError as exc:
        return exc.findings
    return validate_document(doc, file=str(path))


def _validate_one(path: Path) -> list[Finding]:
    return validate_file(path)  # a missing file is an UNREADABLE_FILE finding from read_document


def _findings_stream(files: Iterable[Path], jobs: int) -> Iterator[list[Finding]]:
    """Findings per file, in file order; with ``jobs > 1`` files are spread over worker processes."""
    if jobs <= 1:
        yield from map(_validate_one, files)
        return
    import multiprocessing as mp

    with mp.get_context("fork").Pool(jobs, initializer=gc_free_worker) as pool:
        yield from pool.imap(_validate_one, files, chunksize=256)


def validate_paths(
    paths: Iterable[Path | str], *, jobs: int = 1, progress: Callable[[int], None] | None = None
) -> ValidationReport:
    """Validate every document file under ``paths`` (streamed: one document per worker in memory)."""
    started = time.perf_counter()
    report = ValidationReport()
    by_code: Counter[str] = Counter()
    files = 0
    with without_cyclic_gc():
        for found in _findings_stream(iter_document_files(paths), jobs):
            files += 1
            if found:
                report.findings.extend(found)
                by_code.update(f.code for f in found)
            if progress:
                progress(1)
    errors = sum(1 for f in report.findings if f.severity == "error")
    report.valid = errors == 0
    report.stats = {
        "files": files,
        "errors": errors,
        "warnings": len(report.findings) - errors,
        "by_code": dict(sorted(by_code.items())),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return report
