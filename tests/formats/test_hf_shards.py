"""The Hub folder's ``documents`` and ``annotations`` shards written column-wise are the bytes the row
path writes: the same row groups, shards and card (``num_bytes`` included), whatever the batch and shard
sizes make of the boundaries."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import secnews.formats.hf as hf
from secnews.formats.rows import encode_document
from secnews.model.synth import generate_document


def _rows_path(docs: list[dict[str, Any]], split: str, configs: list[str], writers: Any, codec: Any) -> None:
    """What the writer did before the column-wise path: every row through ``add``."""
    for doc in docs:
        doc_row, ann_rows = encode_document(doc, codec)
        for c, rows in (("documents", [doc_row]), ("annotations", ann_rows)):
            if c in configs:
                writers[(c, split)].add(rows)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _corpus(n: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    docs = [generate_document(i, sentences=rng.randint(1, 4), sets=rng.randint(1, 3)) for i in range(n)]
    for doc in docs[::5]:  # documents without a gold set: empty gold layers in `documents`
        for ann in doc["annotations"]:
            ann["status"] = "submitted"
    return docs


@pytest.mark.parametrize(("batch_size", "max_shard_rows"), [(7, 23), (16, 1000), (50, 40)])
def test_column_wise_shards_are_the_row_paths_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int, max_shard_rows: int
) -> None:
    docs = _corpus(120)
    ids = [d["id"] for d in docs]
    splits = {"train": ids[:80], "validation": ids[80:100], "test": ids[100:]}
    kw = {"splits": splits, "max_shard_rows": max_shard_rows, "batch_size": batch_size}
    hf.build_dataset_folder(iter(docs), tmp_path / "columns", **kw)
    monkeypatch.setattr(hf, "_add_tables", _rows_path)
    hf.build_dataset_folder(iter(docs), tmp_path / "rows", **kw)
    columns, rows = _digests(tmp_path / "columns"), _digests(tmp_path / "rows")
    groups = sum(
        pq.ParquetFile(p).num_row_groups for p in (tmp_path / "rows" / "annotations").glob("*.parquet")
    )
    assert groups > 5  # many row-group and shard boundaries, falling inside tables of the column-wise path
    assert columns == rows
