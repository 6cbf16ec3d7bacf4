"""Integration: what an annotation team does on a real server (emoji text, blind passes, re-pushes)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk import LabelStudio

from secnews.cli.main import main
from secnews.labelstudio import server as S
from secnews.labelstudio.sync import pull, push
from secnews.model.document import read_document, save_document
from secnews.model.synth import generate_document

pytestmark = pytest.mark.labelstudio

EMOJI_TEXT = "Mali 🇲🇱 🔥 : l'armée malienne 👨\u200d👩\u200d👧 a été déployée à Bamako après l'attaque."


def _client(server: S.Server) -> LabelStudio:
    return LabelStudio(base_url=server.url, api_key=server.credentials.token)


def _title() -> str:
    return f"team-{uuid.uuid4().hex[:8]}"


def emoji_document() -> dict[str, Any]:
    """A document whose text has a flag, an emoji and a ZWJ sequence before the spans."""
    doc = generate_document(11, sentences=1, sets=1)
    doc["id"] = "emoji-test-001"
    doc["text"] = EMOJI_TEXT
    doc["annotations"] = []
    return doc


def _region(text: str, word: str, label: str, rid: str) -> dict[str, Any]:
    """A labelled region at code-point offsets, the way the 1.23 editor stores it."""
    start = text.index(word)
    value = {"start": start, "end": start + len(word), "text": word, "labels": [label]}
    return {"id": rid, "from_name": "entity", "to_name": "text", "type": "labels", "value": value}


def test_emoji_annotation_at_code_point_offsets_comes_back_exactly(
    labelstudio_env: S.Server, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    doc = emoji_document()
    save_document(doc, corpus)
    title = _title()
    pushed = push([corpus], project=title)
    client = _client(labelstudio_env)
    task = next(iter(client.tasks.list(project=pushed.project_id, fields="all")))
    result = [
        _region(EMOJI_TEXT, "Bamako", "LOC", "bamako0001"),
        _region(EMOJI_TEXT, "Mali", "LOC", "mali000001"),
    ]
    ann = client.annotations.create(id=task.id, result=result)
    # what the server stores is what was sent: code points past the emoji, not UTF-16 units
    stored = client.annotations.get(id=ann.id).result
    assert {r["value"]["start"] for r in stored} == {EMOJI_TEXT.index("Bamako"), 0}
    report = pull(project=title, into=corpus)
    assert report.ok and not report.refused
    assert not [f for f in report.findings if f.code == "LS_OFFSETS_UTF16"]
    pulled = read_document(corpus / f"{doc['id']}.json")
    ents = {e["text"]: (e["start"], e["end"]) for e in pulled["annotations"][0]["entities"]}
    assert ents == {"Bamako": (EMOJI_TEXT.index("Bamako"), EMOJI_TEXT.index("Bamako") + 6), "Mali": (0, 4)}
    for ent in pulled["annotations"][0]["entities"]:
        assert EMOJI_TEXT[ent["start"] : ent["end"]] == ent["text"]


def test_blind_passes_see_predictions_only_and_come_back_as_sets_of_their_own(
    labelstudio_env: S.Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    doc = generate_document(404, sentences=2, sets=2)  # a gold set and a model prediction
    save_document(doc, corpus)
    client = _client(labelstudio_env)
    people = tmp_path / "annotators.csv"
    people.write_text("email\npass1@example.org\npass2@example.org\n", encoding="utf-8")
    S.add_annotators(labelstudio_env.data_dir, _venv(), S.read_annotators(people))
    ids = {u.email: u.id for u in client.users.list()}
    for n in (1, 2):
        pushed = push([corpus], project=f"{_title()}-pass-{n}")
        task = next(iter(client.tasks.list(project=pushed.project_id, fields="all")))
        preds = list(client.predictions.list(task=task.id))
        assert [p.model_version for p in preds] == ["synth@1.0"]  # never gold, never a person's set
        # annotator n accepts the prediction, dropping one entity (so the passes differ)
        result = [dict(r) for r in preds[0].result]
        dropped = [r for r in result if r.get("from_name") == "entity"][n - 1]["id"]
        result = [r for r in result if dropped not in (r.get("id"), r.get("to_id"), r.get("from_id"))]
        client.annotations.create(id=task.id, result=result, completed_by=ids[f"pass{n}@example.org"])
        report = pull(project=pushed.project_id, into=corpus)
        assert report.ok and not report.refused, [r.line() for r in report.refused]
    pulled = read_document(corpus / f"{doc['id']}.json")
    assert [a["annotator"] for a in pulled["annotations"]][2:] == ["pass1@example.org", "pass2@example.org"]
    sets = "annotator:pass1@example.org,annotator:pass2@example.org"
    assert main(["agreement", str(corpus), "--sets", sets, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 1
    report_path = tmp_path / "conflicts.json"
    with pytest.raises(SystemExit) as exited:  # 1: unresolved conflicts (the passes differ, as they should)
        main(["adjudicate", str(corpus), "--sets", sets, "--into", "gold-2", "--report", str(report_path)])
    assert exited.value.code == 1 and report_path.read_text(encoding="utf-8").strip()


def test_a_second_push_updates_changed_tasks_and_never_duplicates(
    labelstudio_env: S.Server, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    docs = [generate_document(seed, sentences=2, sets=2) for seed in (505, 506)]
    for doc in docs:
        save_document(doc, corpus)
    title = _title()
    first = push([corpus], project=title)
    assert first.imported == 2
    changed = docs[0]
    pred = changed["annotations"][1]
    pred["entities"] = pred["entities"][1:]  # a new model run: one entity fewer
    save_document(changed, corpus)
    second = push([corpus], project=title)
    assert (second.imported, second.updated, second.skipped) == (0, [changed["id"]], [docs[1]["id"]])
    client = _client(labelstudio_env)
    tasks = list(client.tasks.list(project=first.project_id, fields="all"))
    assert len(tasks) == 2
    task = next(t for t in tasks if t.data["doc_id"] == changed["id"])
    preds = list(client.predictions.list(task=task.id))
    assert len(preds) == 1
    n_entities = sum(1 for r in preds[0].result if r.get("from_name") == "entity")
    assert n_entities == len(pred["entities"])
    assert push([corpus], project=title).updated == []


def _logs_in(url: str, email: str, password: str) -> bool:
    """Whether the login form accepts the pair (a redirect away from the form)."""
    import httpx

    with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as web:
        web.get("/user/login/")
        form = {
            "email": email,
            "password": password,
            "csrfmiddlewaretoken": web.cookies.get("csrftoken") or "",
        }
        answer = web.post("/user/login/", data=form, headers={"Referer": f"{url}/user/login/"})
        return answer.status_code == 302


def test_annotators_from_a_file_get_accounts_they_can_log_in_with(
    labelstudio_server: S.Server, tmp_path: Path
) -> None:
    people = tmp_path / "annotators.csv"
    people.write_text("email,password\nawa@example.org,Awa-pass-2026\nbob@example.org,\n", encoding="utf-8")
    added = S.add_annotators(labelstudio_server.data_dir, _venv(), S.read_annotators(people))
    assert [(a.email, a.state) for a in added] == [
        ("awa@example.org", "created"),
        ("bob@example.org", "created"),
    ]
    assert _logs_in(labelstudio_server.url, "awa@example.org", "Awa-pass-2026")
    assert _logs_in(labelstudio_server.url, "bob@example.org", added[1].password)  # generated
    assert not _logs_in(labelstudio_server.url, "awa@example.org", "wrong-password")
    tsv = labelstudio_server.data_dir / "annotators.tsv"
    assert oct(tsv.stat().st_mode & 0o777) == "0o600" and "bob@example.org" in tsv.read_text()


def test_the_secret_key_is_made_once_and_kept(tmp_path: Path) -> None:
    creds = S.Credentials.generate()
    first = S.server_env(tmp_path, creds)["SECRET_KEY"]
    assert len(first) >= 50 and S.server_env(tmp_path, creds)["SECRET_KEY"] == first
    assert oct((tmp_path / S.SECRET_KEY_FILE).stat().st_mode & 0o777) == "0o600"


def _venv() -> Path:
    import os

    root = Path(__file__).resolve().parents[2]
    return Path(os.environ.get("SECNEWS_LS_VENV", root / ".venv-labelstudio"))
