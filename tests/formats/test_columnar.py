"""The column-wise encoder gives exactly the row path's tables (a release's bytes depend on it), and
hands every batch it cannot encode with certainty back to the row path, which names the error."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.formats.test_parquet_roundtrip import varied_documents

from secnews.core.findings import SecnewsError
from secnews.formats.arrow_schema import arrow_schema
from secnews.formats.columnar import Fallback, encode_tables
from secnews.formats.parquet import write_documents_parquet
from secnews.formats.rows import default_codec, encode_document, rows_to_table
from secnews.model.document import iter_documents


def _row_tables(docs: list[dict[str, Any]]) -> tuple[pa.Table, pa.Table]:
    doc_rows, ann_rows = [], []
    for doc in docs:
        d, a = encode_document(doc, default_codec())
        doc_rows.append(d)
        ann_rows.extend(a)
    return rows_to_table(doc_rows, arrow_schema("documents")), rows_to_table(
        ann_rows, arrow_schema("annotations")
    )


def _assert_same(docs: list[dict[str, Any]]) -> None:
    fast = encode_tables(docs, default_codec())
    slow = _row_tables(docs)
    for got, want in zip(fast, slow, strict=True):
        assert got.schema.equals(want.schema, check_metadata=True)
        assert got.equals(want)


def test_the_shipped_corpus_encodes_as_the_row_path_does(root: Path) -> None:
    docs = [doc for _path, doc in iter_documents([root / "corpus" / "documents"])]
    assert len(docs) > 100
    _assert_same(docs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(varied_documents(), min_size=1, max_size=4))
def test_varied_documents_encode_as_the_row_path_does(docs: list[dict[str, Any]]) -> None:
    _assert_same(docs)


def test_a_document_without_gold_gets_empty_layers(root: Path) -> None:
    doc = next(iter_documents([root / "corpus" / "documents"]))[1]
    doc = copy.deepcopy(doc)
    for ann in doc["annotations"]:
        ann["status"] = "submitted"
    _assert_same([doc])
    docs_table, _ = encode_tables([doc], default_codec())
    assert docs_table.column("entities").to_pylist() == [[]]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda s: s["entities"][0].update(type="NOT_A_TYPE"),  # unknown label
        lambda s: s["events"][0]["arguments"].append({"role": "NOBODY", "ref": "E1"}),
        lambda s: s["entities"][0].pop("start"),  # a required key missing
        lambda s: s.update(timexes=None),  # a layer that is not a list
        lambda s: s["events"][0].update(arguments=None),
        lambda s: s["entities"].append(None),  # a record that is not an object
        lambda s: s["entities"][0].update(start="12"),  # a value Arrow refuses
    ],
)
def test_what_it_cannot_encode_goes_back_to_the_row_path(root: Path, tmp_path: Path, spoil: Any) -> None:
    doc = copy.deepcopy(next(iter_documents([root / "corpus" / "documents"]))[1])
    gold = next(s for s in doc["annotations"] if s["status"] == "gold")
    spoil(gold)
    with pytest.raises(Fallback):
        encode_tables([doc], default_codec())
    with pytest.raises(SecnewsError) as err:  # the row path names the document and the rule
        write_documents_parquet([doc], tmp_path)
    assert err.value.findings[0].code in {"CONVERT_BAD_LABEL", "CONVERT_BAD_DOCUMENT"}
    assert doc["id"] in str(err.value.findings[0].message) or err.value.findings[0].doc_id == doc["id"]
