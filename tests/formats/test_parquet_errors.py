"""Bad Parquet input gives coded findings (and exit status 2 from the CLI), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from secnews.cli.main import main
from secnews.core.findings import SecnewsError, all_rules
from secnews.formats.arrow_schema import arrow_schema
from secnews.formats.parquet import (
    ANNOTATIONS_FILE,
    DOCUMENTS_FILE,
    check_labels,
    read_documents_parquet,
    write_documents_parquet,
)
from secnews.model.synth import generate_document


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    write_documents_parquet([generate_document(i, sentences=2) for i in range(3)], tmp_path / "pair")
    return tmp_path / "pair"


def _codes(pair: Path) -> list[str]:
    with pytest.raises(SecnewsError) as err:
        list(read_documents_parquet(pair / DOCUMENTS_FILE, pair / ANNOTATIONS_FILE))
    return [f.code for f in err.value.findings]


def _rewrite(path: Path, edit) -> None:
    table = pq.read_table(path)
    pq.write_table(edit(table), path)


def test_rules_are_registered() -> None:
    codes = {r.code for r in all_rules()}
    assert {
        "PARQUET_UNREADABLE",
        "PARQUET_MISSING_COLUMN",
        "PARQUET_WRONG_TYPE",
        "PARQUET_LABEL_OUT_OF_RANGE",
        "PARQUET_UNKNOWN_COLUMN",
    } <= codes


def test_not_parquet(pair: Path) -> None:
    (pair / DOCUMENTS_FILE).write_text('{"id": "not parquet"}\n')
    assert _codes(pair) == ["PARQUET_UNREADABLE"]


def test_truncated_parquet(pair: Path) -> None:
    data = (pair / ANNOTATIONS_FILE).read_bytes()
    (pair / ANNOTATIONS_FILE).write_bytes(data[: len(data) // 2])
    assert _codes(pair) == ["PARQUET_UNREADABLE"]


def test_missing_column(pair: Path) -> None:
    _rewrite(pair / DOCUMENTS_FILE, lambda t: t.drop_columns(["text"]))
    with pytest.raises(SecnewsError) as err:
        list(read_documents_parquet(pair / DOCUMENTS_FILE, pair / ANNOTATIONS_FILE))
    finding = err.value.findings[0]
    assert finding.code == "PARQUET_MISSING_COLUMN" and "'text'" in finding.message
    assert finding.file == str(pair / DOCUMENTS_FILE)


def test_unknown_column(pair: Path) -> None:
    _rewrite(pair / ANNOTATIONS_FILE, lambda t: t.append_column("extra", pa.array(["x"] * t.num_rows)))
    assert _codes(pair) == ["PARQUET_UNKNOWN_COLUMN"]


def test_wrong_type(pair: Path) -> None:
    def edit(t: pa.Table) -> pa.Table:
        i = t.schema.get_field_index("entities")
        return t.set_column(i, "entities", pa.array([[1.5]] * t.num_rows))

    _rewrite(pair / DOCUMENTS_FILE, edit)
    assert _codes(pair) == ["PARQUET_WRONG_TYPE"]


def test_castable_type_is_accepted(pair: Path) -> None:
    """A narrower integer type written by another tool is cast safely, not rejected."""

    def edit(t: pa.Table) -> pa.Table:
        i = t.schema.get_field_index("set_index")
        return t.set_column(i, "set_index", t.column("set_index").cast(pa.int16()))

    _rewrite(pair / ANNOTATIONS_FILE, edit)
    assert len(list(read_documents_parquet(pair / DOCUMENTS_FILE, pair / ANNOTATIONS_FILE))) == 3


def _status_set_to(value: int):
    def edit(t: pa.Table) -> pa.Table:
        i = t.schema.get_field_index("status")
        return t.set_column(i, "status", pa.array([value] * t.num_rows, pa.int64()))

    return edit


@pytest.mark.parametrize("value", [99, -1])
def test_label_index_out_of_range(pair: Path, value: int) -> None:
    _rewrite(pair / ANNOTATIONS_FILE, _status_set_to(value))
    with pytest.raises(SecnewsError) as err:
        list(read_documents_parquet(pair / DOCUMENTS_FILE, pair / ANNOTATIONS_FILE))
    finding = err.value.findings[0]
    assert finding.code == "PARQUET_LABEL_OUT_OF_RANGE"
    assert str(value) in finding.message and finding.doc_id is not None
    with pytest.raises(SecnewsError) as err2:
        check_labels(pair / ANNOTATIONS_FILE, "annotations")
    assert err2.value.findings[0].code == "PARQUET_LABEL_OUT_OF_RANGE"


def test_nested_label_out_of_range_found_by_check_labels(pair: Path) -> None:
    rows = pq.read_table(pair / DOCUMENTS_FILE).to_pylist()
    assert check_labels(pair / DOCUMENTS_FILE, "documents") == len(rows)
    rows[1]["events"][0]["arguments"][0]["role"] = 42
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema("documents")), pair / DOCUMENTS_FILE)
    with pytest.raises(SecnewsError) as err:
        check_labels(pair / DOCUMENTS_FILE, "documents")
    assert err.value.findings[0].code == "PARQUET_LABEL_OUT_OF_RANGE"
    assert err.value.findings[0].context["column"] == "events.arguments.role"


def test_annotations_out_of_order(pair: Path) -> None:
    _rewrite(pair / ANNOTATIONS_FILE, lambda t: t.take(list(reversed(range(t.num_rows)))))
    assert _codes(pair) == ["PARQUET_ORPHAN_ANNOTATIONS"]


def test_cli_prints_coded_error_and_exits_2(
    pair: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rewrite(pair / ANNOTATIONS_FILE, _status_set_to(7))
    status = main(["convert", str(pair), str(tmp_path / "out"), "--to", "canonical", "-q"])
    err = capsys.readouterr().err
    assert status == 2
    assert "[PARQUET_LABEL_OUT_OF_RANGE]" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cli_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    assert main(["convert", str(tmp_path / "notes.txt"), str(tmp_path / "x.jsonl"), "-q"]) == 2
    assert "[CONVERT_UNKNOWN_FORMAT]" in capsys.readouterr().err


def test_broken_documents_are_coded_not_tracebacks(tmp_path: Path) -> None:
    missing_start = generate_document(1, sentences=1)
    del missing_start["annotations"][0]["entities"][0]["start"]
    too_big = generate_document(2, sentences=1)
    too_big["annotations"][0]["events"][0]["fatalities"] = {"min": 2**40, "max": None}
    for i, doc in enumerate((missing_start, too_big)):
        with pytest.raises(SecnewsError) as err:
            write_documents_parquet([generate_document(9, sentences=1), doc], tmp_path / str(i))
        finding = err.value.findings[0]
        assert finding.code == "CONVERT_BAD_DOCUMENT" and finding.doc_id == doc["id"]
        assert not (tmp_path / str(i) / DOCUMENTS_FILE).exists()
