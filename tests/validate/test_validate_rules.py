"""Every rule has a failing fixture (exactly one thing broken) and the base fixture passes."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings

from secnews.core.findings import all_rules
from secnews.model.synth import documents
from secnews.validate.engine import validate_document, validate_file
from secnews.validate.structure import reference_structure_is_valid, structure_is_valid

FIXTURES = Path(__file__).parents[1] / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.json"))
VALID = sorted((FIXTURES / "valid").glob("*.json"))


def expected_code(path: Path) -> str:
    return path.stem.split("--")[0]


def test_catalogue_has_at_least_thirty_invalid_fixtures() -> None:
    assert len(INVALID) >= 30
    assert len({expected_code(p) for p in INVALID}) >= 30


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_has_no_findings(path: Path) -> None:
    assert validate_file(path) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_reports_exactly_its_rule(path: Path) -> None:
    findings = validate_file(path)
    codes = {f.code for f in findings} - {"FILE_NAME_MISMATCH"}
    assert codes == {expected_code(path)}, [f.message for f in findings]
    for f in findings:
        assert f.file == str(path)
        assert f.message and not re.search(r"\{[a-z_]+(!r)?\}", f.message), f.message


def test_every_fixture_code_is_in_the_catalogue() -> None:
    known = {r.code for r in all_rules()}
    assert {expected_code(p) for p in INVALID} <= known


def test_every_document_rule_has_a_fixture() -> None:
    """Rules of the document validator (not of other modules' inputs) each have a failing fixture."""
    validator_categories = {"structure", "document", "span", "reference", "date"}
    rules = {r.code for r in all_rules() if r.category in validator_categories}
    rules |= {"MALFORMED_JSON", "BAD_ENCODING", "NOT_AN_OBJECT"}
    covered = {expected_code(p) for p in INVALID} | {"FILE_NAME_MISMATCH", "UNREADABLE_FILE"}
    assert rules - covered == set()


def test_file_name_mismatch(tmp_path: Path) -> None:
    doc = json.loads(VALID[0].read_text(encoding="utf-8"))
    path = tmp_path / "another-name.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert [f.code for f in validate_file(path)] == ["FILE_NAME_MISMATCH"]


def test_unreadable_file(tmp_path: Path) -> None:
    assert [f.code for f in validate_file(tmp_path / "missing.json")] == ["UNREADABLE_FILE"]


def test_findings_name_document_set_record_and_path() -> None:
    f = validate_file(FIXTURES / "invalid" / "DANGLING_REF.json")
    hit = next(x for x in f if x.code == "DANGLING_REF")
    assert (hit.doc_id, hit.annotation_set, hit.annotation_id) == ("fixture-base", "gold", "V1")
    assert hit.path == "$.annotations[0].events[0].arguments[0].ref"
    assert "E99" in hit.message


@pytest.mark.parametrize("path", VALID + INVALID, ids=lambda p: p.name)
def test_fast_and_reference_engines_agree(path: Path) -> None:
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        pytest.skip("not JSON: never reaches the schema engines")
    assert structure_is_valid(doc) == reference_structure_is_valid(doc)


@settings(max_examples=40, deadline=None)
@given(documents())
def test_synthetic_documents_are_valid(doc: dict) -> None:
    assert validate_document(doc) == []
    assert structure_is_valid(doc) and reference_structure_is_valid(doc)


@settings(max_examples=40, deadline=None)
@given(documents())
def test_shifting_any_span_is_caught(doc: dict) -> None:
    """Breaking one offset anywhere in a valid document is always reported."""
    broken = copy.deepcopy(doc)
    ent = broken["annotations"][0]["entities"][-1]
    ent["start"] += 1
    codes = {f.code for f in validate_document(broken)}
    assert codes & {"SPAN_TEXT_MISMATCH", "SPAN_INVERTED"}


def test_validator_never_raises_on_garbage() -> None:
    for junk in [None, 1, "x", [], {}, {"annotations": "x"}, {"id": 5, "text": None}]:
        findings = validate_document(junk)
        assert findings and all(f.severity == "error" for f in findings)
