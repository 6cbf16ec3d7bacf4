"""One bad annotation never blocks the others: lenient imports, and actors picked from the registry."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from secnews.core.actors import load_actors
from secnews.labelstudio.config import build_config
from secnews.labelstudio.importer import import_export
from secnews.labelstudio.tasks import task_to_document
from secnews.model.document import read_document

FIXTURES = Path(__file__).parents[1] / "fixtures" / "labelstudio"


@pytest.fixture(scope="module")
def export() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "export-full.json").read_text(encoding="utf-8"))


def _mali(export: list[dict[str, Any]]) -> dict[str, Any]:
    return copy.deepcopy(next(t for t in export if "Mopti" in t["data"]["text"]))


def _write(tmp: Path, tasks: list[dict[str, Any]]) -> Path:
    path = tmp / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_actors_are_a_drop_down_of_the_registry() -> None:
    view = ET.fromstring(build_config())
    actor = next(e for e in view.iter("Choices") if e.get("name") == "actor")
    assert actor.get("layout") == "select" and actor.get("perRegion") == "true"
    assert {c.get("value") for c in actor.iter("Choice")} == set(load_actors().ids())
    assert not [e for e in view.iter("TextArea") if e.get("name") == "actor"]


def _typed_actor(task: dict[str, Any], actor: str) -> dict[str, Any]:
    """The task with its first annotation's first entity given ``actor`` in the old free-text box."""
    ann = task["annotations"][0]
    ent = next(r for r in ann["result"] if r.get("from_name") == "entity")
    ann["result"] = [r for r in ann["result"] if not (r.get("from_name") == "actor" and r["id"] == ent["id"])]
    value = {"start": ent["value"]["start"], "end": ent["value"]["end"], "text": [actor]}
    ann["result"].append(
        {"id": ent["id"], "from_name": "actor", "to_name": "text", "type": "textarea", "value": value}
    )
    return task


def test_a_typed_actor_from_an_older_config_is_checked_against_the_registry(
    export: list[dict[str, Any]],
) -> None:
    good = task_to_document(_typed_actor(_mali(export), "fama"))
    assert not [f for f in good.findings if f.severity == "error"]
    bad = task_to_document(_typed_actor(_mali(export), "gendarmerie-ml"))
    assert [(f.code, f.context.get("label")) for f in bad.findings if f.severity == "error"] == [
        ("LS_UNKNOWN_LABEL", "gendarmerie-ml")
    ]


def test_a_lenient_import_writes_the_valid_annotations_and_lists_the_refused_ones(
    export: list[dict[str, Any]], tmp_path: Path
) -> None:
    mali = _typed_actor(_mali(export), "gendarmerie-ml")  # first annotation: an actor typo
    rel = next(r for r in mali["annotations"][1]["result"] if r.get("labels") == ["PARTICIPANT"])
    rel["labels"] = ["INSTRUMENT"]  # second: a role the event type does not allow (the validator's verdict)
    others = [copy.deepcopy(t) for t in export if "Mopti" not in t["data"]["text"]]  # one has CRLF text
    crlf = next(t for t in others if "\r" in t["data"]["text"])
    corpus = tmp_path / "corpus"
    report = import_export(_write(tmp_path, [mali, *others]), corpus, strict=False)
    first, second = mali["annotations"]
    assert {(r.set_id, r.task, r.annotator) for r in report.refused} == {
        (f"ls-{first['id']}", mali["id"], str(first["completed_by"])),
        (f"ls-{second['id']}", mali["id"], str(second["completed_by"])),
        (None, crlf["id"], None),  # a task that cannot become a document is refused whole
    }
    codes = {r.set_id: r.code for r in report.refused if r.set_id}
    assert (
        codes[f"ls-{first['id']}"] == "LS_UNKNOWN_LABEL" and codes[f"ls-{second['id']}"] != "LS_UNKNOWN_LABEL"
    )
    assert report.ok and len(report.created) == len(others)  # every other task's document written
    mali_doc = task_to_document(_mali(export)).doc
    assert mali_doc is not None
    written = read_document(corpus / f"{mali_doc['id']}.json")
    assert {a["id"] for a in written["annotations"]} == {a["id"] for a in mali_doc["annotations"]} - set(
        codes
    )


def test_strict_import_writes_nothing_when_one_annotation_is_refused(
    export: list[dict[str, Any]], tmp_path: Path
) -> None:
    from secnews.core.findings import SecnewsError

    with pytest.raises(SecnewsError):
        import_export(_write(tmp_path, [_typed_actor(_mali(export), "gendarmerie-ml")]), tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_ui_export_with_prediction_ids_imports_the_annotations_with_one_warning(
    export: list[dict[str, Any]], tmp_path: Path
) -> None:
    tasks = [copy.deepcopy(t) for t in export if "\r" not in t["data"]["text"]]
    for task in tasks:  # what the UI's Export button and the SDK's as_json give
        task["predictions"] = [p["id"] for p in task["predictions"]]
    report = import_export(_write(tmp_path, tasks), tmp_path / "corpus")
    warnings = [f for f in report.findings if f.code == "LS_PREDICTIONS_AS_IDS"]
    assert len(warnings) == 1 and warnings[0].context["count"] == len(tasks)
    assert "only_id" in warnings[0].message and "secnews ls pull" in warnings[0].message
    humans = sum(len(t["annotations"]) for t in tasks)
    assert report.sets == humans and len(report.created) == len(tasks)


def test_json_min_rows_are_refused_with_what_to_export_instead(tmp_path: Path) -> None:
    from secnews.core.findings import SecnewsError

    row = {"id": 1, "text": "Attaque à Mopti.", "annotator": 1, "annotation_id": 3, "entity": []}
    with pytest.raises(SecnewsError) as err:
        import_export(_write(tmp_path, [row]), tmp_path / "corpus")
    assert [f.code for f in err.value.findings] == ["LS_JSON_MIN_EXPORT"]
    assert "JSON (full)" in err.value.findings[0].message
