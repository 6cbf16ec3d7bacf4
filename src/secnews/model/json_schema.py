"""Generate ``schema/document.schema.json`` (JSON Schema 2020-12) from the taxonomy.

The JSON Schema is checked in so that tools in other languages can validate documents, but it is never
edited by hand: ``secnews schema build`` regenerates it and a test fails when the checked-in copy is
stale, so the taxonomy stays the single source of truth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from secnews.core.fs import atomic_write_text
from secnews.core.paths import schema_dir
from secnews.core.taxonomy import Taxonomy, load_taxonomy

SCHEMA_ID = "https://secnews-fr.github.io/schema/document.schema.json"
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


def _defs(tax: Taxonomy) -> dict[str, Any]:
    score = {"type": "number", "minimum": 0, "maximum": 1}
    source_label = {"type": "string", "minLength": 1}
    rec_id = {"$ref": "#/$defs/record_id"}
    span = _obj(_span_props(), ["start", "end", "text"])
    content_span = _obj({**_span_props(), "id": rec_id}, ["start", "end", "text"])
    count = _nullable({"type": "integer", "minimum": 0})
    return {
        "record_id": {"type": "string", "pattern": RECORD_ID},
        "span": span,
        "entity": _obj(
            {
                "id": rec_id,
                **_span_props(),
                "type": _enum(tax, "entity_types"),
                "mention": _enum(tax, "mention_types", nullable=True),
                "actor": _nullable({"type": "string", "minLength": 1}),
                "source_label": source_label,
                "score": score,
            },
            ["id", "start", "end", "text", "type", "mention", "actor"],
        ),
        "argument": _obj({"role": _enum(tax, "roles"), "ref": rec_id}, ["role", "ref"]),
        "event": _obj(
            {
                "id": rec_id,
                "type": _enum(tax, "event_types"),
                "trigger": {"$ref": "#/$defs/span"},
                "realis": _enum(tax, "realis", nullable=True),
                "fatalities": _nullable(_obj({"min": count, "max": count}, ["min", "max"])),
                "arguments": {"type": "array", "items": {"$ref": "#/$defs/argument"}},
                "source_label": source_label,
                "score": score,
            },
            ["id", "type", "trigger", "realis", "fatalities", "arguments"],
        ),
        "attribution": _obj(
            {
                "id": rec_id,
                "source": _nullable(rec_id),
                "cue": {"$ref": "#/$defs/span"},
                "content": {"type": "array", "items": content_span},
                "events": {"type": "array", "items": rec_id},
                "source_type": _enum(tax, "source_types", nullable=True),
                "claim": _enum(tax, "claims", nullable=True),
                "certainty": _enum(tax, "certainty", nullable=True),
                "quote": _enum(tax, "quote_types", nullable=True),
                "score": score,
            },
            ["id", "source", "cue", "content", "events", "source_type", "claim", "certainty", "quote"],
        ),
        "timex": _obj(
            {
                "id": rec_id,
                **_span_props(),
                "type": _enum(tax, "timex_types"),
                "value": _nullable({"type": "string", "minLength": 1}),
                "anchor": _nullable(rec_id),
                "mod": _enum(tax, "timex_mods", nullable=True),
                "source_label": source_label,
                "score": score,
            },
            ["id", "start", "end", "text", "type", "value", "anchor", "mod"],
        ),
        "relation": _obj(
            {"id": rec_id, "type": _enum(tax, "relation_types"), "head": rec_id, "tail": rec_id},
            ["id", "type", "head", "tail"],
        ),
        "origin": _nullable(
            _obj(
                {
                    "tool": {"type": "string"},
                    "project": _nullable({"type": ["integer", "string"]}),
                    "task": _nullable({"type": ["integer", "string"]}),
                    "annotation": _nullable({"type": ["integer", "string"]}),
                    "prediction": _nullable({"type": ["integer", "string"]}),
                    "completed_by": _nullable({"type": ["integer", "string"]}),
                    "lead_time": _nullable({"type": "number"}),
                    "ground_truth": _nullable({"type": "boolean"}),
                    "was_cancelled": _nullable({"type": "boolean"}),
                    "model_version": _nullable({"type": "string"}),
                    "score": _nullable({"type": "number"}),
                    "extra": {"type": "object"},
                },
                ["tool"],
            )
        ),
        "labels": _obj(
            {
                "relevant": {"type": ["boolean", "null"]},
                "countries": {
                    "type": "array",
                    "items": {"type": "string", "pattern": ISO_ALPHA2},
                    "uniqueItems": True,
                },
            },
            ["relevant", "countries"],
        ),
        "adjudication": _obj(
            {
                "sets": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "resolutions": {
                    "type": "array",
                    "items": _obj(
                        {
                            "conflict": {"type": "string"},
                            "decision": {"type": "string"},
                            "by": {"type": "string"},
                            "note": {"type": ["string", "null"]},
                        },
                        ["conflict", "decision"],
                    ),
                },
            },
            ["sets", "resolutions"],
        ),
        "annotation_set": _obj(
            {
                "id": rec_id,
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
        ),
        "meta": _obj(
            {
                "title": {"type": ["string", "null"]},
                "published": {"type": "string", "pattern": DATE_OR_DATETIME},
                "source": {"type": "string", "minLength": 1},
                "url": {"type": ["string", "null"]},
                "language": {"const": "fr"},
                "license": {"type": "string", "minLength": 1},
                "collection": {"type": ["string", "null"]},
                "attribution": {"type": ["string", "null"]},
                "source_id": {"type": ["string", "null"]},
                "authors": {"type": "array", "items": {"type": "string"}},
                "retrieved": _nullable({"type": "string", "pattern": DATETIME}),
                "notes": {"type": ["string", "null"]},
            },
            ["published", "source", "language", "license"],
        ),
    }


#: annotation layers of a set -> the $defs item each holds
LAYERS: dict[str, str] = {
    "entities": "entity",
    "events": "event",
    "attributions": "attribution",
    "timexes": "timex",
    "relations": "relation",
}


def build_document_schema(tax: Taxonomy | None = None) -> dict[str, Any]:
    """The JSON Schema of one canonical document for a taxonomy."""
    tax = tax or load_taxonomy()
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
        "$id": SCHEMA_ID,
        "title": f"secnews-fr canonical document (schema {tax.schema_version})",
        "description": "Generated from schema/taxonomy.yaml by `secnews schema build`. Do not edit by hand.",
        **root,
        "$defs": _defs(tax),
    }


def render_document_schema(tax: Taxonomy | None = None) -> str:
    return json.dumps(build_document_schema(tax), ensure_ascii=False, indent=2) + "\n"


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
