"""Import of a REAL Label Studio export (tests/fixtures/labelstudio, made by make_fixtures.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from secnews.core.findings import SecnewsError
from secnews.labelstudio.exporter import document_to_task, tasks_to_export
from secnews.labelstudio.importer import import_export
from secnews.labelstudio.results import REGION_IDS_KEY, mapped_id
from secnews.labelstudio.tasks import task_to_document
from secnews.validate.engine import validate_document

FIXTURES = Path(__file__).parents[1] / "fixtures" / "labelstudio"


@pytest.fixture(scope="module")
def export() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "export-full.json").read_text(encoding="utf-8"))


def _task(export: list[dict[str, Any]], marker: str) -> dict[str, Any]:
    return copy.deepcopy(next(t for t in export if marker in t["data"]["text"]))


@pytest.fixture()
def mali(export: list[dict[str, Any]]) -> dict[str, Any]:
    return _task(export, "Mopti")


def _sets(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in doc["annotations"]}


def _write(tmp: Path, tasks: list[dict[str, Any]], name: str = "export.json") -> Path:
    path = tmp / name
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.json"))} if directory.exists() else {}


def test_two_annotators_and_a_prediction_become_three_sets(mali: dict[str, Any]) -> None:
    doc = task_to_document(mali).doc
    ann_ids = [a["id"] for a in mali["annotations"]]
    pred_ids = [p["id"] for p in mali["predictions"]]
    assert [a["id"] for a in doc["annotations"]] == [f"ls-{i}" for i in ann_ids] + [
        f"ls-pred-{i}" for i in pred_ids
    ]
    first = _sets(doc)[f"ls-{ann_ids[0]}"]
    src = mali["annotations"][0]
    assert first["kind"] == "human" and first["status"] == "submitted"
    assert first["created"] == src["created_at"] and first["updated"] == src["updated_at"]
    origin = first["origin"]
    assert (origin["task"], origin["annotation"], origin["project"]) == (
        mali["id"],
        src["id"],
        src["project"],
    )
    assert origin["lead_time"] == src["lead_time"] and origin["completed_by"] == src["completed_by"]
    assert "unique_id" in src and origin["extra"] == {}  # Label Studio's own state is not kept
    origin_bytes = len(json.dumps(origin, ensure_ascii=False).encode())
    assert origin_bytes <= 0.10 * len(json.dumps(first, ensure_ascii=False).encode())
    pred = _sets(doc)[f"ls-pred-{pred_ids[0]}"]
    assert pred["kind"] == "prediction"
    assert pred["origin"]["model_version"] == mali["predictions"][0]["model_version"]
    assert pred["annotator"] == "model:" + mali["predictions"][0]["model_version"]
    scores = {r["id"]: r.get("score") for r in mali["predictions"][0]["result"]}
    assert [e["score"] for e in pred["entities"]] == [scores[e["id"]] for e in pred["entities"]]
    assert validate_document(doc) == []


def test_regions_are_joined_into_records(mali: dict[str, Any]) -> None:
    text = mali["data"]["text"]
    ann = task_to_document(mali).doc["annotations"][0]
    for ent in ann["entities"]:
        assert text[ent["start"] : ent["end"]] == ent["text"]  # code points, after the emoji
    ents = {e["text"]: e for e in ann["entities"]}
    assert ents["l'armée  malienne"]["mention"] == "NOM"  # value.text was collapsed by the editor
    assert ents["l'armée  malienne"]["actor"] == "fama"
    assert ents["𝕊ahel"]["type"] == "LOC"
    outer, inner = ents["des jihadistes du GSIM"], ents["GSIM"]
    assert outer["start"] < inner["start"] < inner["end"] == outer["end"]  # nested
    clash, death = ann["events"]
    assert clash["realis"] == "ACTUAL" and death["fatalities"] == {"min": 12, "max": None}
    roles = {a["role"]: a["ref"] for a in clash["arguments"]}
    assert roles["PARTICIPANT"] == outer["id"]  # the relation was drawn from the entity to the event
    assert roles["TIME"] == ann["timexes"][0]["id"]
    tmx = ann["timexes"][0]
    assert (tmx["type"], tmx["value"], tmx["anchor"]) == ("DATE", "2024-12-26", "DCT")
    (att,) = ann["attributions"]
    assert att["source"] == ents["l'état-major"]["id"] and att["events"] == [death["id"]]
    assert att["content"][0]["text"] == "12 « terroristes » ont été neutralisés"  # drawn right to left
    assert (att["source_type"], att["claim"], att["certainty"], att["quote"]) == (
        "STATE_MILITARY",
        "CASUALTY_TOLL",
        "CERTAIN",
        "INDIRECT",
    )
    same_as = next(r for r in ann["relations"] if r["type"] == "SAME_AS")
    assert (same_as["head"], same_as["tail"]) == (ents["l'armée  malienne"]["id"], ents["l'état-major"]["id"])
    assert ann["labels"] == {"relevant": True, "countries": ["ML"]}


def test_editor_ids_outside_the_canonical_pattern_are_mapped_and_restored(mali: dict[str, Any]) -> None:
    doc = task_to_document(mali).doc
    second = doc["annotations"][1]
    ls_ids = {r["id"] for r in mali["annotations"][1]["result"] if "id" in r}
    odd = sorted(i for i in ls_ids if i[0] in "-_")
    assert odd, "the fixture must hold editor ids starting with '-' or '_'"
    assert {mapped_id(i) for i in odd} <= {e["id"] for e in second["entities"]}
    assert second["origin"]["extra"][REGION_IDS_KEY] == {mapped_id(i): i for i in odd}
    task = document_to_task({**doc, "annotations": [second]}, as_="annotations")
    assert odd[0] in {r.get("id") for r in task["annotations"][0]["result"]}
    back = task_to_document(next(tasks_to_export([task]))).doc
    assert back["annotations"][0] == second


def test_cancelled_annotation_is_rejected_and_exported_sets_are_restored(
    export: list[dict[str, Any]],
) -> None:
    task = _task(export, "Attaque près de")  # exported by `secnews ls export` from source-document.json
    source = json.loads((FIXTURES / "source-document.json").read_text(encoding="utf-8"))
    doc = task_to_document(task).doc
    assert doc["id"] == source["id"] and doc["meta"] == source["meta"] and doc["text"] == source["text"]
    assert doc["annotations"][: len(source["annotations"])] == source["annotations"]
    (cancelled,) = doc["annotations"][len(source["annotations"]) :]
    assert cancelled["status"] == "rejected" and cancelled["origin"]["was_cancelled"] is True
    assert cancelled["entities"] == []


def test_crlf_task_is_refused(export: list[dict[str, Any]], tmp_path: Path) -> None:
    crlf = _task(export, "\r\n")
    converted = task_to_document(crlf)
    assert converted.doc is None and [f.code for f in converted.findings] == ["LS_CRLF_TEXT"]
    with pytest.raises(SecnewsError) as err:
        import_export(_write(tmp_path, export), tmp_path / "corpus")
    assert any(f.code == "LS_CRLF_TEXT" and str(crlf["id"]) in f.message for f in err.value.findings)
    assert not (tmp_path / "corpus").exists()


def test_reimport_changes_nothing_and_updates_replace(export: list[dict[str, Any]], tmp_path: Path) -> None:
    good = [t for t in export if "\r" not in t["data"]["text"]]
    corpus = tmp_path / "corpus"
    first = import_export(_write(tmp_path, good), corpus)
    assert len(first.created) == len(good) and first.written
    before = _snapshot(corpus)
    mtimes = {p: p.stat().st_mtime_ns for p in corpus.glob("*.json")}
    again = import_export(_write(tmp_path, good), corpus)
    assert again.unchanged == len(good) and not again.written
    assert _snapshot(corpus) == before and mtimes == {p: p.stat().st_mtime_ns for p in corpus.glob("*.json")}
    # the annotator fixes a realis: the newer version replaces the set, nothing else moves
    updated = copy.deepcopy(good)
    ann = updated[0]["annotations"][0]
    ann["updated_at"] = "2099-01-01T00:00:00.000000Z"
    realis = next(r for r in ann["result"] if r.get("from_name") == "realis")
    realis["value"]["choices"] = ["GENERIC"]
    third = import_export(_write(tmp_path, updated), corpus)
    assert len(third.updated) == 1
    doc = json.loads(next(iter(corpus.glob("ls-*.json"))).read_text())
    sets = _sets(doc)
    assert sets[f"ls-{ann['id']}"]["events"][0]["realis"] == "GENERIC"
    assert [a["id"] for a in doc["annotations"]] == [
        a["id"] for a in json.loads(before[f"{doc['id']}.json"])["annotations"]
    ]
    # an older export does not undo it
    fourth = import_export(_write(tmp_path, good), corpus)
    assert fourth.unchanged == len(good) and any(f.code == "LS_STALE_ANNOTATION" for f in fourth.findings)


def test_task_whose_text_differs_from_the_corpus_is_refused(mali: dict[str, Any], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    import_export(_write(tmp_path, [mali]), corpus)
    before = _snapshot(corpus)
    changed = copy.deepcopy(mali)
    changed["data"]["text"] = mali["data"]["text"].replace("Mopti", "Mopte")
    for item in (*changed["annotations"], *changed["predictions"]):
        for r in item["result"]:
            if isinstance(r.get("value"), dict) and r["value"].get("text") == "Mopti":
                r["value"]["text"] = "Mopte"
    with pytest.raises(SecnewsError) as err:
        import_export(_write(tmp_path, [changed]), corpus)
    codes = [f.code for f in err.value.findings]
    assert "LS_TEXT_CONFLICT" in codes
    assert _snapshot(corpus) == before


def test_validator_verdict_is_reported_as_coded_errors(mali: dict[str, Any], tmp_path: Path) -> None:
    """A ROLE the event type does not allow is LS-valid but canonically wrong: the import refuses it."""
    bad = copy.deepcopy(mali)
    rel = next(r for r in bad["annotations"][0]["result"] if r.get("labels") == ["PARTICIPANT"])
    rel["labels"] = ["INSTRUMENT"]  # an armed group is no instrument
    with pytest.raises(SecnewsError) as err:
        import_export(_write(tmp_path, [bad]), tmp_path / "corpus")
    codes = [f.code for f in err.value.findings]
    assert "LS_INVALID_DOCUMENT" in codes and len(codes) >= 2
    assert not (tmp_path / "corpus").exists()


def test_users_map_names_annotators(mali: dict[str, Any]) -> None:
    uid = mali["annotations"][0]["completed_by"]
    doc = task_to_document(mali, users={uid: "awa@example.org"}).doc
    assert doc["annotations"][0]["annotator"] == "awa@example.org"
    assert doc["annotations"][0]["origin"]["completed_by"] == uid


def test_fast_canonical_bytes_equal_the_reference_writer(export: list[dict[str, Any]]) -> None:
    from secnews.model.document import canonical_bytes, dumps_document
    from secnews.model.synth import generate_document

    docs = [task_to_document(t).doc for t in export if "\r" not in t["data"]["text"]]
    docs += [generate_document(seed) for seed in range(40)]
    tricky = copy.deepcopy(docs[0])
    tricky["meta"]["notes"] = 'ctrl \x01 \t "q" \\ \u2028 é 🔥 1e-05'
    tricky["annotations"][2]["entities"][0]["score"] = 1e-05
    for doc in [*docs, tricky]:
        assert canonical_bytes(doc) == dumps_document(doc).encode("utf-8")


def test_worker_processes_give_the_same_corpus(export: list[dict[str, Any]], tmp_path: Path) -> None:
    good = [t for t in export if "\r" not in t["data"]["text"]]
    dup = copy.deepcopy(good[0])  # the same document in a second task, with one more annotation
    dup["id"] = 99
    dup["data"]["doc_id"] = task_to_document(good[0]).doc["id"]
    dup["annotations"] = [{**dup["annotations"][1], "id": 77}]
    dup["predictions"] = []
    tasks = [*good, dup]
    serial = import_export(_write(tmp_path, tasks), tmp_path / "serial", jobs=1)
    parallel = import_export(_write(tmp_path, tasks), tmp_path / "parallel", jobs=2)
    assert serial.created == parallel.created and serial.updated == parallel.updated
    assert _snapshot(tmp_path / "serial") == _snapshot(tmp_path / "parallel")
    doc = json.loads((tmp_path / "parallel" / f"{serial.created[0]}.json").read_text())
    assert "ls-77" in _sets(doc) and f"ls-{good[0]['annotations'][0]['id']}" in _sets(doc)
    assert not list((tmp_path / "parallel").glob(".ls-import-*"))
