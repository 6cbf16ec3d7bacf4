"""Quote-based worksheets (``secnews annotate``): a dump applies back to the same set, and bad worksheets
are refused with a code while the document stays as it was."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from secnews.annotate.worksheets import apply_worksheet, dump_worksheet
from secnews.core.findings import SecnewsError
from secnews.model.document import read_document

SEED_ID = "000_7302031bc759a944"
LAYERS = ("entities", "events", "attributions", "timexes", "relations")


@pytest.fixture()
def docs(tmp_path: Path, root: Path) -> Path:
    out = tmp_path / "documents"
    out.mkdir()
    shutil.copy(root / "corpus" / "documents" / f"{SEED_ID}.json", out)
    return out


def _strip(records: list[dict]) -> list[dict]:
    """Scores and source labels are provenance a worksheet does not carry."""
    return [{k: v for k, v in r.items() if k not in ("score", "source_label")} for r in records]


def _gold(doc: dict) -> dict:
    return next(s for s in doc["annotations"] if s["id"] == "gold")


def test_a_dumped_set_applies_back_to_the_same_layers(docs: Path, tmp_path: Path) -> None:
    doc = read_document(docs / f"{SEED_ID}.json")
    ws = tmp_path / "ws.yaml"
    ws.write_text(dump_worksheet(doc, "gold", {"id": "copy", "annotator": "t", "kind": "human",
                                               "status": "submitted"}), encoding="utf-8")  # fmt: skip
    apply_worksheet(ws, docs, now="2026-12-06T00:00:00Z")
    after = read_document(docs / f"{SEED_ID}.json")
    copy = next(s for s in after["annotations"] if s["id"] == "copy")
    gold = _gold(after)
    for layer in LAYERS:
        assert _strip(copy[layer]) == _strip(gold[layer]), layer
    assert copy["labels"] == gold["labels"]
    assert _gold(after) == _gold(doc)  # the other sets are untouched


def test_an_invalid_worksheet_writes_nothing(docs: Path, tmp_path: Path) -> None:
    path = docs / f"{SEED_ID}.json"
    before = path.read_bytes()
    doc = read_document(path)
    ws_data = yaml.safe_load(dump_worksheet(doc, "gold"))
    ws_data["entities"][0][2] = "NOT_A_TYPE"
    ws = tmp_path / "bad.yaml"
    ws.write_text(yaml.safe_dump(ws_data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SecnewsError) as err:
        apply_worksheet(ws, docs)
    assert err.value.findings[0].code == "INVALID_RESULT"
    assert any(f.code == "UNKNOWN_LABEL" for f in err.value.findings[1:])
    assert path.read_bytes() == before


def test_a_quote_missing_from_the_text_is_named(docs: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws.yaml"
    ws.write_text(
        f'doc: {SEED_ID}\nset: {{id: x, annotator: t}}\nentities:\n  - [E1, "Tombouctou-sur-Mer", GPE, NAM]\n',
        encoding="utf-8",
    )
    with pytest.raises(SecnewsError) as err:
        apply_worksheet(ws, docs)
    assert err.value.findings[0].code == "QUOTE_NOT_FOUND"
    assert "Tombouctou-sur-Mer" in err.value.findings[0].message


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "secnews.cli", "annotate", *args], capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_cli_dump_then_apply(docs: Path, tmp_path: Path) -> None:
    dumped = _cli(
        "dump", str(docs / f"{SEED_ID}.json"), "--set", "gold", "--as-id", "pass-x", "--annotator", "me"
    )
    assert dumped.returncode == 0, dumped.stderr
    assert yaml.safe_load(dumped.stdout)["set"]["id"] == "pass-x"
    ws = tmp_path / "ws.yaml"
    ws.write_text(dumped.stdout, encoding="utf-8")
    applied = _cli("apply", str(ws), "--into", str(docs))
    assert applied.returncode == 0, applied.stderr
    sets = [s["id"] for s in json.loads((docs / f"{SEED_ID}.json").read_text())["annotations"]]
    assert "pass-x" in sets


def test_cli_reports_a_bad_worksheet_with_its_code_and_no_traceback(docs: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws.yaml"
    ws.write_text("doc: [unclosed\n", encoding="utf-8")
    r = _cli("apply", str(ws), "--into", str(docs))
    assert r.returncode != 0
    assert "BAD_WORKSHEET" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_dump_then_apply_in_place_keeps_the_sets_record(docs: Path, tmp_path: Path) -> None:
    """A post-adjudication correction (dump gold, edit, apply) must not drop the adjudication record."""
    path = docs / f"{SEED_ID}.json"
    doc = read_document(path)
    gold = _gold(doc)
    gold["adjudication"] = {
        "sets": ["pass-1", "pass-2"],
        "resolutions": [{"conflict": "c-1", "decision": "drop"}],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ws = tmp_path / "ws.yaml"
    ws.write_text(dump_worksheet(doc, "gold"), encoding="utf-8")
    apply_worksheet(ws, docs, now="2026-12-06T00:00:00Z")
    after = _gold(read_document(path))
    assert after["adjudication"] == gold["adjudication"]
    assert after["created"] == gold["created"] and after["origin"] == gold["origin"]
    assert after["updated"] == "2026-12-06T00:00:00Z"


def test_a_replaced_set_keeps_its_place(docs: Path, tmp_path: Path) -> None:
    path = docs / f"{SEED_ID}.json"
    doc = read_document(path)
    order = [s["id"] for s in doc["annotations"]]
    ws = tmp_path / "ws.yaml"
    ws.write_text(dump_worksheet(doc, order[0]), encoding="utf-8")
    apply_worksheet(ws, docs, now="2026-12-06T00:00:00Z")
    assert [s["id"] for s in read_document(path)["annotations"]] == order
