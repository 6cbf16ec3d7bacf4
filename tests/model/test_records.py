"""The typed records and the JSON Schema describe the same fields (required and optional alike)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_type_hints

import pytest

from secnews.model.records import SCHEMA_DEFS, DocumentRecord

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schema" / "document.schema.json").read_text())


def _fields(record: type) -> tuple[set[str], set[str]]:
    required = set(record.__required_keys__)  # type: ignore[attr-defined]
    optional = set(record.__optional_keys__)  # type: ignore[attr-defined]
    return required, optional


@pytest.mark.parametrize("name", sorted(SCHEMA_DEFS))
def test_record_fields_equal_the_schema(name: str) -> None:
    definition = SCHEMA["$defs"][name]
    props = set(definition["properties"])
    required = set(definition.get("required", []))
    rec_required, rec_optional = _fields(SCHEMA_DEFS[name])
    assert rec_required == required, name
    assert rec_optional == props - required, name


def test_the_document_record_equals_the_schema_root() -> None:
    rec_required, rec_optional = _fields(DocumentRecord)
    assert rec_required == set(SCHEMA["required"]) and not rec_optional
    assert set(get_type_hints(DocumentRecord)) == set(SCHEMA["properties"])


def test_the_seed_document_type_checks_as_a_record(root: Path) -> None:
    """A real document has exactly the record's keys at every level it fills."""
    doc: DocumentRecord = json.loads(
        (root / "corpus" / "documents" / "000_7302031bc759a944.json").read_text()
    )
    assert set(doc) == set(get_type_hints(DocumentRecord))
    gold = next(s for s in doc["annotations"] if s["id"] == "gold")
    assert set(gold) <= set(get_type_hints(SCHEMA_DEFS["annotation_set"]))
    for ev in gold["events"]:
        assert set(ev) <= set(get_type_hints(SCHEMA_DEFS["event"]))
