"""Property: canonical -> Label Studio tasks -> Label Studio export shape -> canonical is the identity."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from label_studio_sdk.label_interface import LabelInterface

from secnews.labelstudio.config import build_config
from secnews.labelstudio.exporter import document_to_task, tasks_to_export
from secnews.labelstudio.tasks import task_to_document
from secnews.model.synth import documents, generate_document
from secnews.validate.engine import validate_document

_LI = LabelInterface(build_config())


def _round_trip(doc: dict[str, Any], as_: str) -> dict[str, Any]:
    task = document_to_task(doc, as_=as_)  # type: ignore[arg-type]
    exported = json.loads(json.dumps(list(tasks_to_export([task]))))  # through JSON, as from a file
    converted = task_to_document(exported[0], users={1: "annotator@example.org"})  # user 1 made them
    assert converted.findings == []
    return converted.doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_round_trip_is_identity(doc: dict[str, Any]) -> None:
    for as_ in ("predictions", "annotations"):
        assert _round_trip(doc, as_) == doc


@settings(max_examples=25, deadline=None)
@given(documents())
def test_exported_results_pass_the_sdk_validation(doc: dict[str, Any]) -> None:
    task = document_to_task(doc, as_="predictions")
    for pred in task["predictions"]:
        assert _LI.validate_prediction(pred, return_errors=True) == []
        assert _LI.validate_annotation(pred)


def test_astral_offsets_are_code_points_in_tasks() -> None:
    doc = next(
        generate_document(s, astral=True)
        for s in range(100)
        if any(ord(c) > 0xFFFF for c in generate_document(s, astral=True)["text"])
    )
    task = document_to_task(doc)
    text = doc["text"]
    first_astral = next(i for i, c in enumerate(text) if ord(c) > 0xFFFF)
    shifted = 0
    for item in task["predictions"][0]["result"]:
        if item.get("type") == "labels":
            v = item["value"]
            assert text[v["start"] : v["end"]] == v["text"]  # the editor's (code-point) reading
            shifted += v["start"] > first_astral
    assert shifted  # some regions lie after an astral character, where UTF-16 would differ


def _edge_document() -> dict[str, Any]:
    """Fields the synthetic generator does not produce: ANCHOR, empty fatalities, scores on cues..."""
    doc = generate_document(7, sentences=3, astral=True)
    ann = doc["annotations"][0]
    t0, t1 = ann["timexes"][0], ann["timexes"][1]
    t1["anchor"] = t0["id"]
    t0["mod"], t0["value"] = None, None
    ann["events"][0]["fatalities"] = {"min": None, "max": None}
    ann["events"][1]["fatalities"] = {"min": None, "max": 4}
    ann["attributions"][0]["score"] = 0.25
    ann["attributions"][0]["source"] = None
    ann["attributions"][1]["content"].append({"start": 0, "end": 5, "text": doc["text"][:5], "id": "Cextra"})
    ann["entities"][0]["actor"] = "jnim"
    ann["relations"].append(
        {"id": "Rx.1", "type": "SAME_EVENT", "head": ann["events"][1]["id"], "tail": ann["events"][0]["id"]}
    )
    ann["adjudication"] = {"sets": ["a", "b"], "resolutions": []}
    ann["origin"] = {"tool": "secnews-adjudicate", "extra": {"note": "é 🔥"}}
    return doc


@pytest.mark.parametrize("as_", ["predictions", "annotations"])
def test_round_trip_of_rarer_fields(as_: str) -> None:
    doc = _edge_document()
    assert _round_trip(doc, as_) == doc


def test_edited_set_becomes_a_new_set_and_keeps_the_original() -> None:
    doc = generate_document(11, sets=1)
    task = document_to_task(doc, as_="predictions")
    exported = json.loads(json.dumps(list(tasks_to_export([task]))))[0]
    # an annotator accepts the prediction as an annotation after changing one choice
    edited = copy.deepcopy(exported["predictions"][0]["result"])
    next(r for r in edited if r.get("from_name") == "realis")["value"]["choices"] = ["OTHER"]
    exported["annotations"].append(
        {
            "id": 900,
            "completed_by": 3,
            "result": edited,
            "was_cancelled": False,
            "ground_truth": True,
            "created_at": "2026-02-01T00:00:00Z",
            "updated_at": "2026-02-01T00:01:00Z",
            "lead_time": 40.0,
            "task": 1,
            "project": 1,
        }
    )
    back = task_to_document(exported).doc
    assert back["annotations"][0] == doc["annotations"][0]
    new = back["annotations"][1]
    assert new["id"] == "ls-900" and new["status"] == "reviewed" and new["kind"] == "human"
    assert new["events"][0]["realis"] == "OTHER"
    assert [f for f in validate_document(back) if f.severity == "error"] == []


def test_cli_export_then_import_changes_nothing(tmp_path: Path) -> None:
    from secnews.cli.main import main
    from secnews.model.document import save_document

    corpus = tmp_path / "corpus"
    for seed in (1, 2, 3):
        save_document(generate_document(seed), corpus)
    before = {p.name: p.read_bytes() for p in corpus.glob("*.json")}
    tasks = tmp_path / "tasks.json"
    assert main(["ls", "export", str(corpus), "--out", str(tasks), "--as", "annotations"]) == 0
    assert len(json.loads(tasks.read_text())) == 3
    assert main(["ls", "import", str(tasks), "--into", str(corpus)]) == 0
    assert {p.name: p.read_bytes() for p in corpus.glob("*.json")} == before
    fresh = tmp_path / "fresh"
    assert main(["ls", "import", str(tasks), "--into", str(fresh)]) == 0
    assert {p.name: p.read_bytes() for p in fresh.glob("*.json")} == before


def test_relations_keep_their_ids_when_the_editor_drops_them() -> None:
    """The editor drops relation ids on any edit: the ids come back from the task, and only what
    the annotator changed differs."""
    doc = next(
        d
        for d in (generate_document(s, sentences=6, sets=1) for s in range(300))
        if d["annotations"][0]["relations"] and d["annotations"][0]["entities"][0]["mention"] == "NOM"
    )
    task = next(tasks_to_export([document_to_task(doc, as_="annotations")]))
    result = task["annotations"][0]["result"]
    for item in result:
        if item.get("type") == "relation":
            item.pop("id", None)
    first = doc["annotations"][0]["entities"][0]["id"]
    mention = next(r for r in result if r.get("from_name") == "mention" and r["id"] == first)
    mention["value"]["choices"] = ["NAM"]  # the one change the annotator made
    back = task_to_document(json.loads(json.dumps(task))).doc
    assert back is not None
    before, after = doc["annotations"][0], back["annotations"][0]
    assert after["id"] != before["id"]  # a changed set is a new set, nothing overwritten
    assert after["relations"] == before["relations"]
    changed = [(a, b) for a, b in zip(before["entities"], after["entities"], strict=True) if a != b]
    assert changed == [(before["entities"][0], {**before["entities"][0], "mention": "NAM"})]
