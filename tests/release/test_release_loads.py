"""A release always loads: empty splits get no shard (the card says so), and ``release --verify``
loads every config with ``datasets`` and every record set with ``mlcroissant``, split by split."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from secnews.cli.main import main
from secnews.model.document import save_document
from secnews.model.synth import generate_document
from secnews.release.build import build_release
from secnews.release.loadcheck import check_datasets
from secnews.release.record import read_record


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three documents: with 80/10/10 ratios at least one split (and some config splits) is empty."""
    base = tmp_path_factory.mktemp("small-release")
    for i in range(3):
        save_document(generate_document(i, sentences=2, sets=1), base / "docs")
    build_release(
        "0.1.0",
        base / "docs",
        base / "rel",
        records_dir=base / "records",
        manifest_path=base / "splits.tsv",
        date="2026-11-27",
    )
    return base


def test_empty_splits_have_no_shard_and_the_card_says_so(small: Path) -> None:
    record = read_record(small / "records/0.1.0.json")
    empty = [(c, s) for c, splits in record.counts.items() for s, n in splits.items() if n == 0]
    assert empty, record.counts  # the fixture must exercise the case
    for shard in (small / "rel").rglob("*.parquet"):
        assert pq.ParquetFile(shard).metadata.num_rows > 0, shard
    card = (small / "rel/README.md").read_text(encoding="utf-8")
    assert "## Empty splits" in card
    for config, split in empty:
        assert f"`{config}/{split}`" in card
        assert f"path: {config}/{split}-*.parquet" not in card


def test_verify_loads_with_datasets_and_mlcroissant(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["release", "--verify", str(small / "rel"), "--records", str(small / "records")])
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "every config loads with datasets and every record set with mlcroissant" in out.out
    croissant = json.loads((small / "rel/croissant.json").read_text(encoding="utf-8"))
    paths = json.dumps(croissant)
    assert '"jsonPath": "arguments[*].role"' in paths  # list in list (annotations' events)
    assert all(any(f["@id"] == f"{rs['@id']}/split" for f in rs["field"]) for rs in croissant["recordSet"])


def test_a_shard_datasets_cannot_read_fails_verification(small: Path, tmp_path: Path) -> None:
    folder = tmp_path / "rel"
    shutil.copytree(small / "rel", folder)
    shard = next(iter(sorted((folder / "ner").glob("*.parquet"))))
    schema = pq.read_schema(shard)
    pq.write_table(schema.empty_table(), shard)  # the zero-row shard releases once wrote
    findings = check_datasets(folder, read_record(small / "records/0.1.0.json"))
    assert [f.code for f in findings] == ["RELEASE_LOAD_FAILED"]
    assert "config ner" in findings[0].message and "datasets" in findings[0].message
