"""``secnews export acled``: the seed article's drone strike, the columns, CSV and Parquet."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from secnews.cli.main import main
from secnews.core.paths import documents_dir
from secnews.formats.acled import (
    COLUMNS,
    document_rows,
    interaction_code,
    time_precision,
)
from secnews.model.document import read_document

SEED = "000_7302031bc759a944"


@pytest.fixture(scope="module")
def seed() -> dict:
    return read_document(documents_dir() / f"{SEED}.json")


def test_seed_drone_strike_is_one_air_drone_strike_row(seed: dict) -> None:
    rows, findings = document_rows(seed)
    assert findings == []
    strikes = [r for r in rows if r["sub_event_type"] == "Air/drone strike"]
    assert len(strikes) == 1, "the four mentions of the strike (SAME_EVENT) are one ACLED event"
    row = strikes[0]
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["actor1"] == "Forces armées maliennes" and row["actor1_id"] == "fama"
    assert row["inter1"] == 1  # State Forces
    assert row["event_date"] == "2024-12-26" and row["time_precision"] == 1  # "jeudi dernier"
    assert row["country"] == "Mali" and row["iso"] == "ML"
    assert row["fatalities"] == 1
    assert row["event_ids"].split() == ["V3", "V4", "V7", "V10"]
    text = seed["text"]
    assert text[row["evidence_trigger_start"] : row["evidence_trigger_end"]] == "frappe"
    assert "frappe aérienne" in row["notes"]
    assert row["notes"] == text[row["evidence_sentence_start"] : row["evidence_sentence_end"]]
    assert text[row["evidence_actor1_start"] : row["evidence_actor1_end"]] == "Forces Armées Maliennes"
    assert text[row["evidence_time_start"] : row["evidence_time_end"]] == "jeudi dernier"


def test_generic_events_and_outcomes_are_not_rows(seed: dict) -> None:
    rows, _ = document_rows(seed)
    types = {r["secnews_type"] for r in rows}
    assert "DEATH" not in types  # an outcome: its toll is the strike's fatalities
    assert "ARMED_CLASH" not in types  # "des attaques", "affrontements": GENERIC in the gold


def test_without_time_the_dct_with_month_precision(seed: dict) -> None:
    doc = copy.deepcopy(seed)
    gold = next(a for a in doc["annotations"] if a["status"] == "gold")
    for ev in gold["events"]:
        ev["arguments"] = [a for a in ev["arguments"] if a["role"] not in ("TIME", "AGENT")]
    rows, findings = document_rows(doc)
    assert rows[0]["event_date"] == "2024-12-28" and rows[0]["time_precision"] == 3
    assert [f.code for f in findings] == ["ACLED_NO_ACTOR1"]
    assert findings[0].annotation_id == "V3" and findings[0].doc_id == SEED


def test_no_gold_is_a_coded_warning(seed: dict) -> None:
    doc = copy.deepcopy(seed)
    doc["annotations"] = [a for a in doc["annotations"] if a["status"] != "gold"]
    rows, findings = document_rows(doc)
    assert rows == [] and [f.code for f in findings] == ["ACLED_NO_GOLD"]


def test_cli_writes_csv_and_parquet_alike(tmp_path: Path) -> None:
    out_csv, out_pq = tmp_path / "a.csv", tmp_path / "a.parquet"
    seed_path = str(documents_dir() / f"{SEED}.json")
    assert main(["export", "acled", seed_path, "--out", str(out_csv), "--out", str(out_pq)]) == 0
    with open(out_csv, encoding="utf-8", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    table = pq.read_table(out_pq)
    assert table.column_names == list(COLUMNS) == list(csv_rows[0])
    pq_rows = table.to_pylist()
    assert len(csv_rows) == len(pq_rows) >= 1
    for c, p in zip(csv_rows, pq_rows, strict=True):
        assert c == {k: "" if v is None else str(v) for k, v in p.items()}
    assert main(["export", "acled", seed_path, "--out", str(tmp_path / "a.xlsx")]) == 2


@given(st.one_of(st.none(), st.integers(1, 8)), st.one_of(st.none(), st.integers(1, 8)))
def test_interaction_code(a: int | None, b: int | None) -> None:
    code = interaction_code(a, b)
    if a is None:
        assert code == ""
    elif b is None:
        assert code == f"{a}0"
    else:
        assert code == interaction_code(b, a) and sorted(code) == list(code)


@pytest.mark.parametrize(
    ("value", "precision"),
    [("2024-12-26", 1), ("2024-12-26T10:00", 1), ("2024-W52", 2), ("2024-12", 3), ("2024", 3), ("PXY", None),
     ("PRESENT_REF", None), (None, None)],
)  # fmt: skip
def test_time_precision(value: str | None, precision: int | None) -> None:
    assert time_precision(value) == precision
