"""The checked-in JSON Schema is generated from the taxonomy and must never be stale."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from secnews.core.taxonomy import LABEL_SECTIONS, load_taxonomy, parse_taxonomy
from secnews.model.json_schema import build_document_schema, document_schema_is_fresh, render_document_schema


def test_checked_in_schema_is_fresh() -> None:
    assert document_schema_is_fresh(), "run `secnews schema build`"


def test_stale_schema_is_detected(tmp_path: Path) -> None:
    stale = tmp_path / "document.schema.json"
    schema = json.loads(render_document_schema())
    schema["$defs"]["entity"]["properties"]["type"]["enum"].remove("WEAPON")
    stale.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert not document_schema_is_fresh(stale)


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(build_document_schema())


def test_taxonomy_change_changes_schema(root: Path) -> None:
    data = yaml.safe_load((root / "schema" / "taxonomy.yaml").read_text(encoding="utf-8"))
    data["entity_types"].append({"name": "ANIMAL", "fr": "animal", "en": "animal"})
    schema = build_document_schema(parse_taxonomy(data))
    assert "ANIMAL" in schema["$defs"]["entity"]["properties"]["type"]["enum"]


def test_every_label_has_french_and_english_definitions() -> None:
    tax = load_taxonomy()
    for section in LABEL_SECTIONS:
        for rec in tax.sections[section]:
            assert rec.get("fr") and rec.get("en"), (section, rec["name"])


def test_event_types_map_to_acled_and_roles_exist() -> None:
    tax = load_taxonomy()
    roles = set(tax.names("roles"))
    acled = [t for t in tax.event_types if tax.record("event_types", t)["acled_sub_event_type"]]
    assert len(acled) == 25  # ACLED's 25 sub-event types, one to one
    for t in tax.event_types:
        assert set(tax.allowed_roles(t)) <= roles
    entity_types = set(tax.entity_types) | {"TIMEX"}
    for r in roles:
        assert set(tax.role_accepts(r)) <= entity_types


def test_label_lists_are_unique() -> None:
    tax = load_taxonomy()
    for section in LABEL_SECTIONS:
        names = tax.names(section)
        assert len(names) == len(set(names)), section
