"""Canonical -> Parquet (documents + annotations) -> canonical is the identity, key presence included."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secnews.formats.arrow_schema import META_NULLABLE_OPTIONAL, arrow_schema
from secnews.formats.convert import convert
from secnews.formats.parquet import (
    ANNOTATIONS_FILE,
    DOCUMENTS_FILE,
    read_documents_parquet,
    write_documents_parquet,
)
from secnews.formats.rows import annotation_rows, document_row
from secnews.model.document import dumps_document, save_document
from secnews.model.synth import documents, generate_document

META_VALUES = {"retrieved": "2024-12-28T09:15:00+01:00"}


@st.composite
def varied_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Synthetic documents whose optional keys are drawn absent, null or set, one by one."""
    doc = copy.deepcopy(draw(documents()))
    meta = doc["meta"]
    for key in META_NULLABLE_OPTIONAL:
        choice = draw(st.sampled_from(["absent", "null", "value"]))
        meta.pop(key, None)
        if choice != "absent":
            meta[key] = None if choice == "null" else META_VALUES.get(key, f"{key} é 𝕊")
    authors = draw(st.sampled_from([None, [], ["A. Diallo", "Ç. 🇲🇱"]]))
    if authors is not None:
        meta["authors"] = authors
    meta["published"] = draw(
        st.sampled_from(
            [meta["published"], meta["published"] + "T23:30:00+01:00", meta["published"] + "T08:00:00Z"]
        )
    )
    for ann in doc["annotations"]:
        _vary_set(draw, ann)
    if draw(st.booleans()):
        for ann in doc["annotations"]:
            ann["status"] = draw(st.sampled_from(["draft", "submitted", "reviewed", "rejected"]))
    return doc


def _vary_set(draw: st.DrawFn, ann: dict[str, Any]) -> None:
    for layer in ("entities", "events", "timexes"):
        for rec in ann[layer]:
            for key, value in (("source_label", "Organization"), ("score", 0.25)):
                rec.pop(key, None)
                if draw(st.booleans()):
                    rec[key] = value
    for att in ann["attributions"]:
        att.pop("score", None)
        if draw(st.booleans()):
            att["score"] = 0.5
        for i, span in enumerate(att["content"]):
            span.pop("id", None)
            if draw(st.booleans()):
                span["id"] = f"{att['id']}-c{i}"
    ann["origin"] = draw(
        st.sampled_from(
            [
                None,
                {"tool": "labelstudio"},
                {
                    "tool": "labelstudio",
                    "project": "p-3",
                    "task": 17,
                    "annotation": None,
                    "lead_time": 12.5,
                    "ground_truth": False,
                    "extra": {"unique_id": "u1", "nested": {"list": [1, "𝒜", None]}},
                },
            ]
        )
    )
    adjudication = draw(
        st.sampled_from(
            [
                None,
                {"sets": ["ann-1", "ann-2"], "resolutions": []},
                {
                    "sets": ["ann-1"],
                    "resolutions": [
                        {"conflict": "E1", "decision": "keep", "by": "lead", "note": None},
                        {"conflict": "V2", "decision": "drop"},
                    ],
                },
            ]
        )
    )
    ann.pop("adjudication", None)
    if adjudication is not None:
        ann["adjudication"] = adjudication


def _roundtrip(docs: list[dict[str, Any]], out: Path, batch_size: int) -> list[dict[str, Any]]:
    write_documents_parquet(docs, out, batch_size=batch_size)
    return list(read_documents_parquet(out / DOCUMENTS_FILE, out / ANNOTATIONS_FILE, batch_size=batch_size))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(varied_documents(), min_size=0, max_size=4, unique_by=lambda d: d["id"]), st.integers(1, 3))
def test_roundtrip_is_identity(tmp_path: Path, docs: list[dict[str, Any]], batch_size: int) -> None:
    out = tmp_path / f"rt-{batch_size}-{len(docs)}-{'-'.join(d['id'] for d in docs)}"[:200]
    back = _roundtrip(docs, out, batch_size)
    assert [dumps_document(d) for d in back] == [dumps_document(d) for d in docs]
    assert back == docs


def test_absent_and_null_keys_are_distinct(tmp_path: Path) -> None:
    base = generate_document(3, sentences=2)
    absent, null = copy.deepcopy(base), copy.deepcopy(base)
    absent["id"], null["id"] = "doc-absent", "doc-null"
    absent["meta"].pop("title", None)
    null["meta"]["title"] = None
    back = _roundtrip([absent, null], tmp_path, 1000)
    assert "title" not in back[0]["meta"]
    assert "title" in back[1]["meta"] and back[1]["meta"]["title"] is None


def test_document_row_without_gold_has_empty_layers() -> None:
    doc = generate_document(5, sentences=2)
    for ann in doc["annotations"]:
        ann["status"] = "submitted"
    row = document_row(doc)
    assert row["has_gold"] is False and row["gold_set_id"] is None
    assert all(row[layer] == [] for layer in ("entities", "events", "attributions", "timexes", "relations"))
    assert len(annotation_rows(doc)) == len(doc["annotations"])
    with_gold = document_row(generate_document(5, sentences=2))
    assert with_gold["has_gold"] is True and len(with_gold["entities"]) > 0


def test_published_is_typed_and_original_kept(tmp_path: Path) -> None:
    doc = generate_document(8, sentences=1)
    doc["meta"]["published"] = "2024-12-28T23:30:00-05:00"
    write_documents_parquet([doc], tmp_path)
    table = pq.read_table(tmp_path / DOCUMENTS_FILE)
    assert str(table.schema.field("published").type) == "date32[day]"
    row = table.to_pylist()[0]
    assert row["published"].isoformat() == "2024-12-28"
    assert row["published_iso"] == "2024-12-28T23:30:00-05:00"


def test_bytes_are_deterministic_and_schema_matches(tmp_path: Path) -> None:
    docs = [generate_document(i, sentences=2) for i in range(6)]
    write_documents_parquet(docs, tmp_path / "a", batch_size=4)
    write_documents_parquet(docs, tmp_path / "b", batch_size=4)
    for name in (DOCUMENTS_FILE, ANNOTATIONS_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    meta = pq.ParquetFile(tmp_path / "a" / DOCUMENTS_FILE).metadata
    assert meta.num_row_groups == 2  # one row group per batch: memory bounded by the batch
    found = pq.read_schema(tmp_path / "a" / ANNOTATIONS_FILE)
    # list item names differ ("element" in Parquet, "item" in Arrow): types are compared without them
    assert found.equals(arrow_schema("annotations"))
    assert found.metadata[b"huggingface"] == arrow_schema("annotations").metadata[b"huggingface"]
    assert not list((tmp_path / "a").glob(".*.tmp"))


def test_failed_write_leaves_previous_tables(tmp_path: Path) -> None:
    good = [generate_document(1, sentences=1)]
    write_documents_parquet(good, tmp_path)
    before = (tmp_path / DOCUMENTS_FILE).read_bytes()
    bad = generate_document(2, sentences=1)
    bad["annotations"][0]["entities"][0]["type"] = "NOT_A_TYPE"
    from secnews.core.findings import SecnewsError

    with pytest.raises(SecnewsError) as err:
        write_documents_parquet([*good, bad], tmp_path)
    assert err.value.findings[0].code == "CONVERT_BAD_LABEL"
    assert (tmp_path / DOCUMENTS_FILE).read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_convert_canonical_jsonl_parquet_canonical(tmp_path: Path) -> None:
    docs = [generate_document(i, sentences=2) for i in range(5)]
    src = tmp_path / "docs"
    for d in docs:
        save_document(d, src)
    convert(src, tmp_path / "c.jsonl")
    summary = convert(tmp_path / "c.jsonl", tmp_path / "out-parquet")
    assert summary["from"] == "jsonl" and summary["to"] == "parquet" and summary["documents"] == 5
    convert(tmp_path / "out-parquet", tmp_path / "back", dst_format="canonical")
    for d in docs:
        assert (tmp_path / "back" / f"{d['id']}.json").read_text() == (src / f"{d['id']}.json").read_text()


def test_labelstudio_both_ways_through_the_bridge(tmp_path: Path) -> None:
    """Parquet -> Label Studio tasks -> (a Label Studio export of them) -> Parquet -> canonical."""
    exporter = pytest.importorskip("secnews.labelstudio.exporter")
    import json

    docs = [generate_document(i, sentences=2) for i in range(3)]
    write_documents_parquet(docs, tmp_path / "pair")
    summary = convert(tmp_path / "pair", tmp_path / "tasks.json")
    assert summary["to"] == "labelstudio" and summary["documents"] == 3
    tasks = json.loads((tmp_path / "tasks.json").read_text())
    exporter.write_tasks(exporter.tasks_to_export(tasks), tmp_path / "export.json")
    assert convert(tmp_path / "export.json", tmp_path / "back-parquet")["from"] == "labelstudio"
    back = list(
        read_documents_parquet(
            tmp_path / "back-parquet" / DOCUMENTS_FILE, tmp_path / "back-parquet" / ANNOTATIONS_FILE
        )
    )
    assert back == docs
