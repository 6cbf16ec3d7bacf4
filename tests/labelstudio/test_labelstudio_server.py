"""Integration: a real Label Studio server (separate venv, 127.0.0.1) driven only through the SDK."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import psutil
import pytest
from label_studio_sdk import LabelStudio

from secnews.cli.main import main
from secnews.core.findings import SecnewsError
from secnews.core.paths import documents_dir
from secnews.labelstudio import server as S
from secnews.labelstudio.sync import pull, push
from secnews.model.document import read_document, save_document
from secnews.model.synth import generate_document
from secnews.validate.engine import validate_document

pytestmark = pytest.mark.labelstudio

FIXTURES = Path(__file__).parents[1] / "fixtures" / "labelstudio"
MIN_CORPUS = 11


def _client(server: S.Server) -> LabelStudio:
    return LabelStudio(base_url=server.url, api_key=server.credentials.token)


def _title() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.json"))}


def _corpus_sample() -> list[Path]:
    """The seed document and ten more corpus documents, whatever the corpus holds at run time."""
    paths = sorted(documents_dir().glob("*.json"))
    seeds = [p for p in paths if "seed" in p.stem or not p.stem.startswith("wikinews")]
    rest = [p for p in paths if p not in seeds]
    return (seeds[:1] + rest)[:MIN_CORPUS] if seeds else rest[:MIN_CORPUS]


def test_server_listens_on_loopback_only(labelstudio_server: S.Server) -> None:
    proc = psutil.Process(labelstudio_server.pid)
    listening = [
        c
        for p in [proc, *proc.children(recursive=True)]
        for c in p.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening and {c.laddr.ip for c in listening} == {S.HOST}


@pytest.mark.parametrize("as_", ["predictions", "annotations"])
def test_corpus_documents_survive_a_real_server_unchanged(
    labelstudio_env: S.Server, tmp_path: Path, as_: str
) -> None:
    sample = _corpus_sample()
    if len(sample) < MIN_CORPUS:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs >= {MIN_CORPUS} documents in corpus/documents, found {len(sample)}")
        pytest.skip(f"only {len(sample)} documents in corpus/documents (need {MIN_CORPUS})")
    title = _title()
    report = push(sample, project=title, as_=as_, sets=["all"])  # type: ignore[arg-type]
    assert report.project_created and report.imported == len(sample)
    out = tmp_path / "pulled"
    result = pull(project=title, into=out)
    assert result.ok and sorted(result.created) == sorted(read_document(p)["id"] for p in sample)
    for path in sample:
        original = read_document(path)
        assert read_document(out / path.name) == original, path.name
        assert (out / path.name).read_bytes() == path.read_bytes()


def test_push_annotate_pull(labelstudio_env: S.Server, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    docs = [generate_document(seed, sentences=3, sets=1) for seed in (101, 202)]
    for doc in docs:
        save_document(doc, corpus)
    title = _title()
    pushed = push([corpus], project=title, sets=["gold"], as_="predictions")
    assert pushed.imported == 2
    again = push([corpus], project=title, sets=["gold"])
    assert again.imported == 0 and sorted(again.skipped) == sorted(d["id"] for d in docs)
    client = _client(labelstudio_env)
    tasks = list(client.tasks.list(project=pushed.project_id, fields="all"))
    task = next(t for t in tasks if t.data["doc_id"] == docs[0]["id"])
    # an annotator accepts the pre-annotation, changes one realis and marks the article relevant
    pred = client.predictions.list(task=task.id)[0]
    result = [dict(r) for r in pred.result if r.get("from_name") != "relevant"]
    realis = next(r for r in result if r.get("from_name") == "realis")
    realis["value"] = {**realis["value"], "choices": ["OTHER"]}
    result.append(
        {
            "id": "rel0000001",
            "from_name": "relevant",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": ["yes"]},
        }
    )
    ann = client.annotations.create(id=task.id, result=result, lead_time=42.0, ground_truth=True)
    before = _snapshot(corpus)
    report = pull(project=title, into=corpus)
    assert report.ok and report.updated == [docs[0]["id"]]
    pulled = read_document(corpus / f"{docs[0]['id']}.json")
    assert pulled["annotations"][0] == docs[0]["annotations"][0]  # the pushed set is unchanged
    new = pulled["annotations"][1]
    assert new["id"] == f"ls-{ann.id}" and new["status"] == "reviewed"
    assert new["annotator"] == client.users.whoami().email and new["origin"]["lead_time"] == 42.0
    assert new["events"][0]["realis"] == "OTHER" and new["labels"]["relevant"] is True
    assert [f for f in validate_document(pulled) if f.severity == "error"] == []
    assert (corpus / f"{docs[1]['id']}.json").read_bytes() == before[f"{docs[1]['id']}.json"]
    snap = _snapshot(corpus)
    assert pull(project=title, into=corpus).unchanged == 2 and _snapshot(corpus) == snap


def test_a_bad_annotation_is_refused_alone_and_strict_keeps_all_or_nothing(
    labelstudio_env: S.Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    docs = [generate_document(seed, sentences=2, sets=1) for seed in (303, 304)]
    for doc in docs:
        save_document(doc, corpus)
    title = _title()
    pushed = push([corpus], project=title, sets=["all"])
    client = _client(labelstudio_env)
    tasks = {t.data["doc_id"]: t for t in client.tasks.list(project=pushed.project_id, fields="all")}
    task_a, task_b = tasks[docs[0]["id"]], tasks[docs[1]["id"]]
    accepted = [dict(r) for r in client.predictions.list(task=task_a.id)[0].result]
    good = client.annotations.create(id=task_a.id, result=accepted)
    # the server accepts an unknown label and shifted offsets without complaint: the toolkit must not
    region = {"id": "bad0000001", "from_name": "entity", "to_name": "text", "type": "labels"}
    label = client.annotations.create(
        id=task_a.id,
        result=[
            {**region, "value": {"start": 0, "end": 3, "text": docs[0]["text"][:3], "labels": ["PERSON"]}}
        ],
    )
    shifted = client.annotations.create(
        id=task_b.id,
        result=[{**region, "value": {"start": 1, "end": 4, "text": docs[1]["text"][:3], "labels": ["LOC"]}}],
    )
    before = _snapshot(corpus)
    with pytest.raises(SecnewsError) as err:
        pull(project=title, into=corpus, strict=True)
    finding = next(f for f in err.value.findings if f.code == "LS_UNKNOWN_LABEL")
    assert f"annotation {label.id}" in finding.message and f"task {task_a.id}" in finding.message
    assert _snapshot(corpus) == before

    report = pull(project=title, into=corpus)
    me = client.users.whoami().email
    refused = {(r.code, r.task, r.set_id, r.annotator) for r in report.refused}
    assert refused == {
        ("LS_UNKNOWN_LABEL", task_a.id, f"ls-{label.id}", me),
        ("LS_SPAN_TEXT_MISMATCH", task_b.id, f"ls-{shifted.id}", me),
    }
    assert all(
        f"/projects/{pushed.project_id}/data?task={r.task}" in r.line(report.server) for r in report.refused
    )
    written = read_document(corpus / f"{docs[0]['id']}.json")
    assert [a["id"] for a in written["annotations"]][-1] == f"ls-{good.id}"  # the valid one got in
    with pytest.raises(SystemExit) as exited:
        main(["ls", "pull", "--project", title, "--into", str(corpus)])
    assert exited.value.code == 1
    err_text = capsys.readouterr().err
    assert f"refused [LS_SPAN_TEXT_MISMATCH] task {task_b.id} (set ls-{shifted.id}, {me})" in err_text


def test_cli_push_pull_reads_token_from_environment_only(
    labelstudio_env: S.Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc = json.loads((FIXTURES / "source-document.json").read_text(encoding="utf-8"))
    shutil.copy(FIXTURES / "source-document.json", corpus / f"{doc['id']}.json")
    title = _title()
    assert main(["ls", "push", str(corpus), "--project", title, "--set", "all"]) == 0
    out = tmp_path / "out"
    assert main(["ls", "pull", "--project", title, "--into", str(out)]) == 0
    assert (out / f"{doc['id']}.json").read_bytes() == (corpus / f"{doc['id']}.json").read_bytes()
    captured = capsys.readouterr()
    assert labelstudio_env.credentials.token not in captured.out + captured.err
    assert main(["ls", "push", str(corpus), "--project", title, "--token", "x"]) != 0
    os.environ.pop("LABEL_STUDIO_API_KEY")
    assert main(["ls", "pull", "--project", title, "--into", str(out)]) == 2
    assert "[LS_NO_TOKEN]" in capsys.readouterr().err
