"""Generate ``schema/document.schema.json`` (JSON Schema 2020-12) from the taxonomy.

The JSON Schema is checked in so that tools in other languages can validate documents, but it is never
edited by hand: ``secnews schema build`` regenerates it and a test fails when the checked-in copy is
stale, so the taxonomy stays the single source of truth.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from secnews.core.fs import atomic_write_text
from secnews.core.paths import schema_dir
from secnews.core.project import Identity, load_project
from secnews.core.taxonomy import Taxonomy, load_taxonomy

RECORD_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
DOC_ID = r"^[a-z0-9][a-z0-9._-]{0,127}$"
DATE_OR_DATETIME = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"
ISO_ALPHA2 = r"^[A-Z]{2}$"


def _enum(tax: Taxonomy, section: str, nullable: bool = False) -> dict[str, Any]:
    names: list[Any] = tax.names(section)
    return {"enum": [*names, None] if nullable else names}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _span_props() -> dict[str, Any]:
    return {
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 1},
        "text": {"type": "string", "minLength": 1},
    }


_SCORE = {"type": "number", "minimum": 0, "maximum": 1}
_SOURCE_LABEL = {"type": "string", "minLength": 1}
_REC_ID = {"$ref": "#/$defs/record_id"}
_SPAN_REF = {"$ref": "#/$defs/span"}


def _entity(tax: Taxonomy) -> dict[str, Any]:
    return _obj(
        {
            "id": _REC_ID,
            **_span_props(),
            "type": _enum(tax, "entity_types"),
            "mention": _enum(tax, "mention_types", nullable=True),
            "actor": _nullable({"type": "string", "minLength": 1}),
            "source_label": _SOURCE_LABEL,
            "score": _SCORE,
        },
        ["id", "start", "end", "text", "type", "mention", "actor"],
    )


def _argument(tax: Taxonomy) -> dict[str, Any]:
    return _obj({"role": _enum(tax, "roles"), "ref": _REC_ID}, ["role", "ref"])


def _event(tax: Taxonomy) -> dict[str, Any]:
    count = _nullable({"type": "integer", "minimum": 0})
    return _obj(
        {
            "id": _REC_ID,
            "type": _enum(tax, "event_types"),
            "trigger": _SPAN_REF,
            "realis": _enum(tax, "realis", nullable=True),
            "fatalities": _nullable(_obj({"min": count, "max": count}, ["min", "max"])),
            "arguments": {"type": "array", "items": {"$ref": "#/$defs/argument"}},
            "source_label": _SOURCE_LABEL,
            "score": _SCORE,
        },
        ["id", "type", "trigger", "realis", "fatalities", "arguments"],
    )


def _attribution(tax: Taxonomy) -> dict[str, Any]:
    content_span = _obj({**_span_props(), "id": _REC_ID}, ["start", "end", "text"])
    return _obj(
        {
            "id": _REC_ID,
            "source": _nullable(_REC_ID),
            "cue": _SPAN_REF,
            "content": {"type": "array", "items": content_span},
            "events": {"type": "array", "items": _REC_ID},
            "source_type": _enum(tax, "source_types", nullable=True),
            "claim": _enum(tax, "claims", nullable=True),
            "certainty": _enum(tax, "certainty", nullable=True),
            "quote": _enum(tax, "quote_types", nullable=True),
            "score": _SCORE,
        },
        ["id", "source", "cue", "content", "events", "source_type", "claim", "certainty", "quote"],
    )


def _timex(tax: Taxonomy) -> dict[str, Any]:
    return _obj(
        {
            "id": _REC_ID,
            **_span_props(),
            "type": _enum(tax, "timex_types"),
            "value": _nullable({"type": "string", "minLength": 1}),
            "anchor": _nullable(_REC_ID),
            "mod": _enum(tax, "timex_mods", nullable=True),
            "source_label": _SOURCE_LABEL,
            "score": _SCORE,
        },
        ["id", "start", "end", "text", "type", "value", "anchor", "mod"],
    )


def _relation(tax: Taxonomy) -> dict[str, Any]:
    return _obj(
        {"id": _REC_ID, "type": _enum(tax, "relation_types"), "head": _REC_ID, "tail": _REC_ID},
        ["id", "type", "head", "tail"],
    )


def _origin(tax: Taxonomy) -> dict[str, Any]:
    ref = {"type": ["integer", "string"]}
    return _nullable(
        _obj(
            {
                "tool": {"type": "string"},
                **{
                    key: _nullable(ref)
                    for key in ("project", "task", "annotation", "prediction", "completed_by")
                },
                "lead_time": _nullable({"type": "number"}),
                "ground_truth": _nullable({"type": "boolean"}),
                "was_cancelled": _nullable({"type": "boolean"}),
                "model_version": _nullable({"type": "string"}),
                "score": _nullable({"type": "number"}),
                "extra": {"type": "object"},
            },
            ["tool"],
        )
    )


def _labels(tax: Taxonomy) -> dict[str, Any]:
    return _obj(
        {
            "relevant": {"type": ["boolean", "null"]},
            "countries": {
                "type": "array",
                "items": {"type": "string", "pattern": ISO_ALPHA2},
                "uniqueItems": True,
            },
        },
        ["relevant", "countries"],
    )


def _adjudication(tax: Taxonomy) -> dict[str, Any]:
    resolution = _obj(
        {
            "conflict": {"type": "string"},
            "decision": {"type": "string"},
            "by": {"type": "string"},
            "note": {"type": ["string", "null"]},
        },
        ["conflict", "decision"],
    )
    return _obj(
        {
            "sets": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "resolutions": {"type": "array", "items": resolution},
        },
        ["sets", "resolutions"],
    )


def _annotation_set(tax: Taxonomy) -> dict[str, Any]:
    return _obj(
        {
            "id": _REC_ID,
            "kind": _enum(tax, "annotation_kinds"),
            "annotator": {"type": "string", "minLength": 1},
            "status": _enum(tax, "annotation_statuses"),
            "created": _nullable({"type": "string", "pattern": DATETIME}),
            "updated": _nullable({"type": "string", "pattern": DATETIME}),
            "origin": {"$ref": "#/$defs/origin"},
            "labels": {"$ref": "#/$defs/labels"},
            **{
                layer: {"type": "array", "items": {"$ref": f"#/$defs/{item}"}}
                for layer, item in LAYERS.items()
            },
            "adjudication": {"$ref": "#/$defs/adjudication"},
        },
        ["id", "kind", "annotator", "status", "created", "updated", "origin", "labels", *LAYERS],
    )


def _language(languages: Sequence[str]) -> dict[str, Any]:
    """One language is a ``const`` (this repository's ``"fr"``), several an ``enum``."""
    return {"const": languages[0]} if len(languages) == 1 else {"enum": list(languages)}


def _meta(tax: Taxonomy, languages: Sequence[str]) -> dict[str, Any]:
    return _obj(
        {
            "title": {"type": ["string", "null"]},
            "published": {"type": "string", "pattern": DATE_OR_DATETIME},
            "source": {"type": "string", "minLength": 1},
            "url": {"type": ["string", "null"]},
            "language": _language(languages),
            "license": {"type": "string", "minLength": 1},
            "collection": {"type": ["string", "null"]},
            "attribution": {"type": ["string", "null"]},
            "source_id": {"type": ["string", "null"]},
            "authors": {"type": "array", "items": {"type": "string"}},
            "retrieved": _nullable({"type": "string", "pattern": DATETIME}),
            "notes": {"type": ["string", "null"]},
        },
        ["published", "source", "language", "license"],
    )


#: ``$defs`` entry -> the function that builds it from the taxonomy, in the schema's key order
_RECORD_DEFS: dict[str, Callable[[Taxonomy], dict[str, Any]]] = {
    "entity": _entity,
    "argument": _argument,
    "event": _event,
    "attribution": _attribution,
    "timex": _timex,
    "relation": _relation,
    "origin": _origin,
    "labels": _labels,
    "adjudication": _adjudication,
    "annotation_set": _annotation_set,
}


def _defs(tax: Taxonomy, languages: Sequence[str]) -> dict[str, Any]:
    return {
        "record_id": {"type": "string", "pattern": RECORD_ID},
        "span": _obj(_span_props(), ["start", "end", "text"]),
        **{name: build(tax) for name, build in _RECORD_DEFS.items()},
        "meta": _meta(tax, languages),
    }


#: annotation layers of a set -> the $defs item each holds
LAYERS: dict[str, str] = {
    "entities": "entity",
    "events": "event",
    "attributions": "attribution",
    "timexes": "timex",
    "relations": "relation",
}


def build_document_schema(tax: Taxonomy | None = None, identity: Identity | None = None) -> dict[str, Any]:
    """The JSON Schema of one canonical document for a taxonomy and a dataset (its name, languages)."""
    tax = tax or load_taxonomy()
    identity = identity or load_project()
    root = _obj(
        {
            "schema_version": {"type": "string", "pattern": _compatible_versions(tax.schema_version)},
            "id": {"type": "string", "pattern": DOC_ID},
            "text": {"type": "string"},
            "meta": {"$ref": "#/$defs/meta"},
            "annotations": {"type": "array", "items": {"$ref": "#/$defs/annotation_set"}},
        },
        ["schema_version", "id", "text", "meta", "annotations"],
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": identity.schema_id,
        "title": f"{identity.name} canonical document (schema {tax.schema_version})",
        "description": "Generated from schema/taxonomy.yaml by `secnews schema build`. Do not edit by hand.",
        **root,
        "$defs": _defs(tax, identity.languages),
    }


def render_document_schema(tax: Taxonomy | None = None, identity: Identity | None = None) -> str:
    return json.dumps(build_document_schema(tax, identity), ensure_ascii=False, indent=2) + "\n"


def document_schema_path() -> Path:
    return schema_dir() / "document.schema.json"


def write_document_schema(path: Path | None = None) -> Path:
    path = path or document_schema_path()
    atomic_write_text(path, render_document_schema())
    return path


def document_schema_is_fresh(path: Path | None = None) -> bool:
    """True when the checked-in schema equals what the taxonomy generates now."""
    path = path or document_schema_path()
    return path.exists() and path.read_text(encoding="utf-8") == render_document_schema()


def load_document_schema() -> dict[str, Any]:
    """The schema the validator uses: generated in memory, so it can never be stale at run time."""
    return build_document_schema()


def _compatible_versions(version: str) -> str:
    """Documents of an older minor version of the same major stay valid: label lists are append-only."""
    major, minor, _ = (int(x) for x in version.split("."))
    minors = "|".join(str(m) for m in range(minor + 1))
    return rf"^{major}\.(?:{minors})\.[0-9]+$"
