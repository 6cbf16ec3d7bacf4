"""Pre-annotating Parquet shards: both engines write the same rows, a killed run resumes, a poisoned
document ends as a finding, the output reads back through `secnews convert` and `secnews ls export`.

Inputs: the shipped corpus as an articles table (3 shards) plus 2,000 short synthetic articles (16
shards), three of them poisoned. The local run is shared by the tests (module fixture); the Ray run
starts a small local Ray (2 CPUs, a 256 MB object store) and shuts it down.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from secnews.core.findings import SecnewsError
from secnews.core.paths import documents_dir
from secnews.formats.preannotation import preannotate_shards
from secnews.formats.preannotation.inputs import articles_table, input_shards, row_document
from secnews.formats.preannotation.shards import TABLES
from secnews.formats.rows import document_from_rows, encode_document
from secnews.model.document import iter_documents
from secnews.model.synth import iter_corpus

SYNTH = 2000
SYNTH_SHARDS = 16
#: (id, text, published): no text, an impossible date, a text of blanks
POISON = [
    ("poison-no-text", None, "2024-12-28"),
    ("poison-bad-date", "Une attaque a fait trois morts à Gao jeudi dernier.", "2024-13-45"),
    ("poison-blank", " \n\n ", "2024-12-28"),
]
TIMEOUT_S = 300


def _corpus_docs() -> list[dict[str, Any]]:
    return [doc for _, doc in iter_documents([documents_dir()])]


def _write_inputs(folder: Path) -> None:
    folder.mkdir(parents=True)
    corpus = _corpus_docs()
    for i in range(3):
        pq.write_table(articles_table(corpus[i::3]), folder / f"corpus-{i:05d}.parquet")
    synth = list(iter_corpus(SYNTH, seed=18, sentences=1, sets=1))
    per = SYNTH // SYNTH_SHARDS
    for i in range(SYNTH_SHARDS):
        table = articles_table(synth[i * per : (i + 1) * per])
        if i < len(POISON):  # one poisoned article in the middle of three shards
            doc_id, text, published = POISON[i]
            rows = table.to_pylist()
            rows.insert(per // 2, {"id": doc_id, "text": text, "published": published})
            table = pa.Table.from_pylist(rows, schema=table.schema)
        pq.write_table(table, folder / f"synth-{i:05d}.parquet", row_group_size=50)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("preannotation") / "in"
    _write_inputs(folder)
    return folder


@pytest.fixture(scope="module")
def local_run(inputs: Path) -> tuple[Path, Any]:
    out = inputs.parent / "out-local"
    return out, preannotate_shards(inputs, out, engine="local")


def _files(out: Path) -> dict[str, Path]:
    return {f"{t}/{p.name}": p for t in TABLES for p in sorted((out / t).glob("*.parquet"))}


def _same_files(a: Path, b: Path) -> list[str]:
    """Names whose bytes differ (or exist on one side only)."""
    fa, fb = _files(a), _files(b)
    diff = sorted(set(fa) ^ set(fb))
    diff += [n for n in sorted(set(fa) & set(fb)) if not filecmp.cmp(fa[n], fb[n], shallow=False)]
    return diff


# ------------------------------------------------------------------------- the local engine


def test_local_run_predicts_every_article_and_reports_the_poisoned(local_run: tuple[Path, Any]) -> None:
    out, report = local_run
    corpus = len(list(documents_dir().glob("*.json")))
    assert report.documents == corpus + SYNTH + len(POISON)
    assert report.failed == len(POISON)
    assert report.written == 3 + SYNTH_SHARDS
    docs = pq.read_table(out / "documents").column("id").to_pylist()
    anns = pq.read_table(out / "annotations")
    assert len(docs) == len(set(docs)) == corpus + SYNTH
    assert anns.column("doc_id").to_pylist() == docs  # aligned row for row, in input order
    assert set(anns.column("id").to_pylist()) == {"pred-secnews-rules"}
    findings = pq.read_table(out / "findings").to_pylist()
    failed = {f["doc_id"]: f["code"] for f in findings if f["severity"] == "error"}
    assert failed == {
        "poison-no-text": "PREANNOTATE_BAD_DOCUMENT",
        "poison-bad-date": "TIMEX_BAD_DCT",  # timex_fr's own code: the date cannot anchor "jeudi dernier"
        "poison-blank": "PREANNOTATE_BAD_DOCUMENT",
    }
    assert all(f["message"] for f in findings)


def test_parquet_predictions_equal_the_corpus_prediction_sets(
    local_run: tuple[Path, Any], tmp_path: Path
) -> None:
    """The shipped corpus's committed sets (written by `secnews preannotate corpus/documents`) come back
    unchanged through articles shards -> prediction shards -> `secnews convert`."""
    from secnews.cli.main import cli

    out, _ = local_run
    back = tmp_path / "back"
    result = CliRunner().invoke(cli, ["convert", str(out), str(back), "--to", "canonical", "-q"])
    assert result.exit_code == 0, result.output
    converted = {doc["id"]: doc for _, doc in iter_documents([back])}
    assert len(converted) == len(_corpus_docs()) + SYNTH
    for doc in _corpus_docs():
        expected = [a for a in doc["annotations"] if a["id"] == "pred-secnews-rules"]
        assert converted[doc["id"]]["annotations"] == expected
    assert CliRunner().invoke(cli, ["validate", str(back)]).exit_code == 0


def test_ls_export_reads_the_prediction_shards(local_run: tuple[Path, Any], tmp_path: Path) -> None:
    from secnews.cli.main import cli

    out, _ = local_run
    tasks = tmp_path / "tasks.json"
    result = CliRunner().invoke(
        cli, ["ls", "export", str(out), "--out", str(tasks), "--set", "kind:prediction"]
    )
    assert result.exit_code == 0, result.output
    loaded = json.loads(tasks.read_bytes())
    assert len(loaded) == len(_corpus_docs()) + SYNTH
    assert all(len(t["predictions"]) == 1 for t in loaded)


def test_a_release_documents_shard_is_an_input(tmp_path: Path) -> None:
    """The release's documents table (the text and meta; its gold layers are not carried over)."""
    release = sorted(
        (documents_dir().parents[1] / "releases" / "0.1.0" / "documents").glob("test-*.parquet")
    )[0]
    src = tmp_path / "in" / "docs.parquet"
    src.parent.mkdir()
    pq.write_table(pq.read_table(release).slice(0, 4), src)
    report = preannotate_shards(src, tmp_path / "out")
    assert (report.documents, report.failed) == (4, 0)
    ids = pq.read_table(release).slice(0, 4).column("id").to_pylist()
    assert pq.read_table(tmp_path / "out" / "annotations").column("doc_id").to_pylist() == ids


def test_bad_inputs_are_coded(tmp_path: Path) -> None:
    with pytest.raises(SecnewsError) as exc:
        input_shards(tmp_path / "nothing-*.parquet")
    assert exc.value.findings[0].code == "PREANNOTATE_NO_INPUT"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        pq.write_table(pa.table({"id": ["x"], "body": ["y"]}), tmp_path / d / "s.parquet")
    with pytest.raises(SecnewsError) as exc:
        input_shards(tmp_path)
    assert exc.value.findings[0].code == "PREANNOTATE_SHARD_CLASH"
    with pytest.raises(SecnewsError) as exc:
        preannotate_shards(tmp_path / "a", tmp_path / "out")
    assert exc.value.findings[0].code == "PREANNOTATE_BAD_TABLE"


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    doc_id=st.from_regex(r"[a-z0-9][a-z0-9_-]{0,20}", fullmatch=True),
    text=_text,
    published=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    title=st.none() | _text,
    url=st.none() | st.just("https://example.org/a"),
    license=st.none() | st.sampled_from(["CC-BY-4.0", "unknown"]),
)
def test_an_article_row_round_trips_through_the_documents_table(
    doc_id: str, text: str, published: dt.date, title: str | None, url: str | None, license: str | None
) -> None:
    row = {"id": doc_id, "text": text, "published": published, "title": title, "url": url, "license": license}
    doc = row_document(row, "articles")
    assert isinstance(doc, dict)
    doc_row, _ = encode_document(doc)
    back = document_from_rows(doc_row, [])
    assert back == doc
    assert (back["text"], back["meta"]["published"]) == (text, published.isoformat())
    assert back["meta"].get("title") == title and back["meta"].get("url") == url
    assert back["meta"]["license"] == (license or "unknown")
    assert row_document({**doc_row, "num_annotation_sets": 0}, "documents") == doc


# ------------------------------------------------------------------------- resume


def _run_cli(inputs: Path, out: Path) -> subprocess.Popen[str]:
    """`secnews preannotate INPUT --out OUT` in its own process, printing whether Ray was imported."""
    script = (
        "import sys\n"
        "from secnews.cli.main import main\n"
        "try:\n"
        "    sys.exit(main())\n"
        "finally:\n"
        "    print('RAY_IMPORTED' if 'ray' in sys.modules else 'RAY_NOT_IMPORTED', file=sys.stderr)\n"
    )
    cmd = [sys.executable, "-c", script, "preannotate", str(inputs), "--out", str(out), "--format", "json"]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    )


def test_a_killed_run_resumes_to_the_full_output_once(inputs: Path, local_run: tuple[Path, Any]) -> None:
    """SIGKILL once some shards are written; the rerun skips them and ends byte-identical to one run."""
    expected_out, _ = local_run
    names = [
        "synth-00000.parquet",
        *(f"synth-{i:05d}.parquet" for i in range(SYNTH_SHARDS - 3, SYNTH_SHARDS)),
    ]
    subset = inputs.parent / "resume-in"
    subset.mkdir()
    for n in names:
        (subset / n).write_bytes((inputs / n).read_bytes())
    out = inputs.parent / "resume-out"
    proc = _run_cli(subset, out)
    deadline = time.monotonic() + TIMEOUT_S
    while len(list((out / "annotations").glob("*.parquet"))) < 2 and proc.poll() is None:
        assert time.monotonic() < deadline, "no shard written in time"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list((out / "annotations").glob("*.parquet")))
    assert 2 <= done_before < len(names), "the run was not killed halfway"

    poisoned_left = not (out / "annotations" / names[0]).exists()  # synth-00000 holds a poisoned article
    rerun = _run_cli(subset, out)
    stdout, stderr = rerun.communicate(timeout=TIMEOUT_S)
    assert rerun.returncode == (1 if poisoned_left else 0), stderr  # 1: this run met a failed document
    report = json.loads(stdout)
    assert report["skipped"] == done_before
    assert report["written"] == len(names) - done_before
    assert "RAY_NOT_IMPORTED" in stderr  # the default engine never imports Ray
    expected = {k: v for k, v in _files(expected_out).items() if k.split("/")[1] in names}
    got = _files(out)
    assert sorted(got) == sorted(expected)
    assert [k for k in sorted(got) if not filecmp.cmp(got[k], expected[k], shallow=False)] == []
    assert not [p for t in TABLES for p in (out / t).iterdir() if p.suffix != ".parquet"]  # no leftovers


# ------------------------------------------------------------------------- the Ray engine


def test_ray_engine_writes_the_same_rows_as_the_local_engine(
    inputs: Path, local_run: tuple[Path, Any]
) -> None:
    pytest.importorskip("ray.data", reason="the Ray engine is the optional extra secnews[scale]")
    local_out, local_report = local_run
    out = inputs.parent / "out-ray"
    report = preannotate_shards(inputs, out, engine="ray", workers=2)
    assert (report.documents, report.failed, report.written) == (
        local_report.documents,
        local_report.failed,
        local_report.written,
    )
    assert _same_files(local_out, out) == []
    again = preannotate_shards(inputs, out, engine="ray", workers=2)  # all done: Ray is not even started
    assert (again.skipped, again.written, again.documents) == (3 + SYNTH_SHARDS, 0, 0)


def test_a_repeated_text_is_predicted_once_and_its_rows_name_each_copy(local_run: tuple[Path, Any]) -> None:
    """Syndicated copies (same text and date, other ids) reuse the set of the first (the parse cache)
    and give the rows a fresh prediction gives; each copy's findings name the copy."""
    from secnews.formats.preannotation.batch import predict_batch

    out, _ = local_run
    original = next(d for d in _corpus_docs() if d["id"] == "wikinews-fr-2016-12-25-001")
    article = row_document(
        {"id": original["id"], "text": original["text"], "published": original["meta"]["published"]},
        "articles",
    )
    assert isinstance(article, dict)
    copies = [{**article, "id": f"copy-{i}"} for i in range(2)]
    results = predict_batch([article, *copies]) + predict_batch(copies)  # in one batch, then from the cache
    expected = next(
        r for r in pq.read_table(out / "annotations").to_pylist() if r["doc_id"] == original["id"]
    )
    for r, doc_id in zip(results, [original["id"], "copy-0", "copy-1", "copy-0", "copy-1"], strict=True):
        assert r.annotation == {**expected, "doc_id": doc_id}
        assert [(f["doc_id"], f["code"]) for f in r.findings] == [(doc_id, "PREANNOTATE_DROPPED")]
