"""The seed article (28 December 2024) is a valid gold document covering all four layers."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from secnews.model.document import gold_set, read_document
from secnews.validate.engine import validate_document

SEED = Path(__file__).resolve().parents[2] / "corpus" / "documents" / "000_7302031bc759a944.json"


@pytest.fixture(scope="module")
def seed() -> dict:
    return read_document(SEED)


def codes(doc: dict) -> set[str]:
    return {f.code for f in validate_document(doc, file=str(SEED)) if f.severity == "error"}


def test_seed_is_valid(seed: dict) -> None:
    assert validate_document(seed, file=str(SEED)) == []


def test_seed_meta_is_honest_about_licence(seed: dict) -> None:
    assert seed["meta"]["published"] == "2024-12-28"
    assert seed["meta"]["license"] == "unknown"


def test_seed_gold_covers_four_layers(seed: dict) -> None:
    gold = gold_set(seed)
    assert gold is not None and gold["kind"] == "human"
    texts = {(e["text"], e["type"]) for e in gold["entities"]}
    for expected in [
        ("FAMa", "STATE_FORCE"),
        ("Moussa Himma Diallo", "PER"),
        ("Katiba Serma", "ARMED_GROUP"),
        ("GSIM", "ARMED_GROUP"),
        ("AES", "ORG"),
        ("Serma", "GPE"),
        ("Douentza", "GPE"),
        ("Mali", "GPE"),
        ("drones maliens", "WEAPON"),
    ]:
        assert expected in texts, expected
    values = {t["text"]: (t["type"], t["value"]) for t in gold["timexes"]}
    assert values["ce samedi 28 décembre"] == ("DATE", "2024-12-28")
    assert values["jeudi dernier"] == ("DATE", "2024-12-26")
    assert values["plusieurs années"] == ("DURATION", "PXY")
    types = {(v["type"], v["realis"]) for v in gold["events"]}
    assert {("AIR_DRONE_STRIKE", "ACTUAL"), ("DEATH", "ACTUAL")} <= types
    assert any(realis == "GENERIC" for _, realis in types)
    att = gold["attributions"]
    assert any(a["cue"]["text"] == "ont annoncé" and a["source_type"] == "STATE_MILITARY" for a in att)
    assert all(a["claim"] and a["certainty"] for a in att)
    assert gold["labels"] == {"relevant": True, "countries": ["ML"]}


def _mutate(seed: dict, fn) -> dict:
    doc = copy.deepcopy(seed)
    fn(gold_set(doc))
    return doc


@pytest.mark.parametrize(
    ("code", "mutation"),
    [
        ("SPAN_TEXT_MISMATCH", lambda g: g["entities"][0].update(start=g["entities"][0]["start"] + 1)),
        (
            "TIMEX_WEEKDAY_MISMATCH",
            lambda g: next(t for t in g["timexes"] if t["text"] == "jeudi dernier").update(
                value="2024-12-27"
            ),
        ),
        (
            "TIMEX_DCT_INCONSISTENT",
            lambda g: next(t for t in g["timexes"] if t["text"] == "jeudi dernier").update(
                value="2024-12-19"
            ),
        ),
        ("UNKNOWN_LABEL", lambda g: g["events"][0].update(type="KILLING")),
        ("DANGLING_REF", lambda g: g["events"][0]["arguments"].append({"role": "PLACE", "ref": "E999"})),
        ("ROLE_ENTITY_TYPE", lambda g: g["events"][0]["arguments"].append({"role": "PLACE", "ref": "E3"})),
        (
            "ROLE_NOT_ALLOWED",
            lambda g: g["events"][0]["arguments"].append({"role": "SUPPORTER", "ref": "E1"}),
        ),
        ("DUPLICATE_ID", lambda g: g["entities"][1].update(id=g["entities"][0]["id"])),
        ("TIMEX_VALUE_MISSING", lambda g: g["timexes"][0].update(value=None)),
        ("UNKNOWN_COUNTRY", lambda g: g["labels"].update(countries=["MLI"])),
    ],
)
def test_breaking_one_thing_in_the_seed_is_caught(seed: dict, code: str, mutation) -> None:
    assert code in codes(_mutate(seed, mutation))


def test_breaking_the_seed_fails_the_cli(tmp_path: Path, seed: dict) -> None:
    import subprocess
    import sys

    doc = _mutate(seed, lambda g: g["relations"][0].update(tail="V999"))
    path = tmp_path / SEED.name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "secnews.cli", "validate", str(path)], capture_output=True, text=True
    )
    assert r.returncode == 1 and "[DANGLING_REF]" in r.stdout
