"""The JSON Schema pass, and the mapping of each schema error to a stable code.

Structure is checked by ``jsonschema-rs`` (fast path) and, only for documents it rejects, by the
reference ``jsonschema`` implementation whose errors carry the keyword and path needed to map each
one to a stable code. A test proves both engines give the same verdict on every fixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import jsonschema
import jsonschema_rs

import secnews.validate.labels  # noqa: F401  (registers UNKNOWN_COUNTRY, also the code of a bad country pattern)
from secnews.core.findings import Rule, make_finding, register
from secnews.core.paths import Location, locate
from secnews.core.taxonomy import Taxonomy
from secnews.model.json_schema import load_document_schema
from secnews.validate.check import Context, check

register(
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
        "schema_version {value!r} is not compatible with {version}",
        "This toolkit reads documents of its own schema major version up to its own minor version; migrate others first.",
        "structure",
    ),
)

#: fields whose enum or const is a taxonomy label: a bad value there is UNKNOWN_LABEL, not BAD_VALUE
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
    "language",
}
_DATE_FIELDS = ("published", "created", "updated", "retrieved")


def _validators() -> tuple[Any, jsonschema.Draft202012Validator]:
    return _validators_for(locate())


@cache
def _validators_for(location: Location) -> tuple[Any, jsonschema.Draft202012Validator]:
    """Compiled once per project (the schema depends on its taxonomy and languages)."""
    schema = load_document_schema()
    return jsonschema_rs.validator_for(schema), jsonschema.Draft202012Validator(schema)


def structure_is_valid(doc: Any) -> bool:
    """The fast structural verdict (jsonschema-rs)."""
    return bool(_validators()[0].is_valid(doc))


def reference_structure_is_valid(doc: Any) -> bool:
    """The reference verdict (python-jsonschema), used by the agreement test."""
    return bool(_validators()[1].is_valid(doc))


@check(
    "NOT_AN_OBJECT",
    "MISSING_FIELD",
    "UNKNOWN_FIELD",
    "UNSUPPORTED_SCHEMA_VERSION",
    "UNKNOWN_LABEL",
    "BAD_DOCUMENT_ID",
    "BAD_DATE",
    "UNKNOWN_COUNTRY",
    "BAD_RECORD_ID",
    "WRONG_TYPE",
    "BAD_VALUE",
)
def structure(ctx: Context, doc: Any) -> None:
    """One finding per (code, path) of the schema errors, in path order, naming its set and record."""
    if not isinstance(doc, dict):
        ctx.add("NOT_AN_OBJECT", "$", found=type(doc).__name__)
        return
    seen: set[tuple[str, str]] = set()
    for err in sorted(_best_errors(_validators()[1], doc), key=lambda e: list(map(str, e.absolute_path))):
        code, fields = _map_schema_error(err, ctx.tax)
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
    """Turn a jsonschema error into (code, template fields), by the keyword that failed."""
    parts = list(err.absolute_path)
    last = next((p for p in reversed(parts) if isinstance(p, str)), "")
    kw = err.validator
    if kw == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return "MISSING_FIELD", {"field": missing[0] if missing else err.message}
    if kw == "additionalProperties":
        extra = re.findall(r"'([^']+)'", err.message)
        return "UNKNOWN_FIELD", {"field": extra[0] if extra else err.message, "version": tax.schema_version}
    if kw in ("const", "pattern") and parts == ["schema_version"]:
        return "UNSUPPORTED_SCHEMA_VERSION", {"value": err.instance, "version": tax.schema_version}
    if kw in ("enum", "const") and last in _LABEL_FIELDS:
        allowed = err.validator_value if kw == "enum" else [err.validator_value]
        shown = ", ".join(str(a) for a in allowed if a is not None)
        return "UNKNOWN_LABEL", {"value": err.instance, "field": last, "allowed": shown}
    if kw == "pattern":
        return _map_pattern_error(err, parts, last)
    if (kw in ("type", "anyOf") and not isinstance(err.instance, (dict, list))) or kw == "type":
        return "WRONG_TYPE", {"detail": f"{_json_path(parts)}: {err.message}"}
    return "BAD_VALUE", {"detail": f"{_json_path(parts)}: {err.message}"}


def _map_pattern_error(
    err: jsonschema.ValidationError, parts: list[Any], last: str
) -> tuple[str, dict[str, Any]]:
    """A string of the wrong shape: which code depends on the field it is in."""
    if parts == ["id"]:
        return "BAD_DOCUMENT_ID", {"value": err.instance}
    if last in _DATE_FIELDS:
        return "BAD_DATE", {"field": last, "value": err.instance, "detail": ""}
    if last == "countries" or (len(parts) >= 2 and parts[-2] == "countries"):
        return "UNKNOWN_COUNTRY", {"value": err.instance}
    return "BAD_RECORD_ID", {"value": err.instance}


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
