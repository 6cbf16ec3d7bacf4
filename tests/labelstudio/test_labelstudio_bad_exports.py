"""Bad exports: each gives a coded error naming the task and annotation, and the corpus is untouched.

The bad exports are the real fixture export broken in one place each (not hand-written files).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from secnews.core.findings import SecnewsError
from secnews.labelstudio.importer import import_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "labelstudio"
Task = dict[str, Any]


@pytest.fixture(scope="module")
def good_tasks() -> list[Task]:
    export = json.loads((FIXTURES / "export-full.json").read_text(encoding="utf-8"))
    return [t for t in export if "\r" not in t["data"]["text"]]


@pytest.fixture()
def corpus(good_tasks: list[Task], tmp_path: Path) -> Path:
    """A corpus that already holds the good tasks (what must not change)."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps(good_tasks), encoding="utf-8")
    import_export(path, tmp_path / "corpus")
    return tmp_path / "corpus"


def _first_ann(tasks: list[Task]) -> Task:
    return tasks[0]["annotations"][0]


def _region(ann: Task, control: str) -> Task:
    return next(r for r in ann["result"] if r.get("from_name") == control)


def drop_result(tasks: list[Task]) -> None:
    del _first_ann(tasks)["result"]


def unknown_control(tasks: list[Task]) -> None:
    _region(_first_ann(tasks), "mention")["from_name"] = "mention_type"


def unknown_label(tasks: list[Task]) -> None:
    _region(_first_ann(tasks), "entity")["value"]["labels"] = ["PERSON"]


def relation_to_missing_region(tasks: list[Task]) -> None:
    next(r for r in _first_ann(tasks)["result"] if r.get("type") == "relation")["to_id"] = "NoSuchReg1"


def offsets_past_the_end(tasks: list[Task]) -> None:
    region = _region(_first_ann(tasks), "entity")
    region["value"]["end"] = 10_000


def shifted_offsets(tasks: list[Task]) -> None:
    region = _region(_first_ann(tasks), "entity")
    region["value"]["start"] += 1
    region["value"]["end"] += 1


def task_without_text(tasks: list[Task]) -> None:
    del tasks[0]["data"]["text"]


CASES: list[tuple[Callable[[list[Task]], None], str, bool]] = [
    (drop_result, "LS_MISSING_RESULT", True),
    (unknown_control, "LS_UNKNOWN_CONTROL", True),
    (unknown_label, "LS_UNKNOWN_LABEL", True),
    (relation_to_missing_region, "LS_RELATION_MISSING_REGION", True),
    (offsets_past_the_end, "LS_OFFSET_OUT_OF_RANGE", True),
    (shifted_offsets, "LS_SPAN_TEXT_MISMATCH", True),
    (task_without_text, "LS_TASK_WITHOUT_TEXT", False),
]


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize(("breaker", "code", "names_annotation"), CASES, ids=[c[1] for c in CASES])
def test_bad_export_is_refused_whole(
    good_tasks: list[Task],
    corpus: Path,
    tmp_path: Path,
    breaker: Callable[[list[Task]], None],
    code: str,
    names_annotation: bool,
) -> None:
    tasks = copy.deepcopy(good_tasks)
    for item in tasks[0]["annotations"]:  # make the good part new, so a partial write would show
        item["updated_at"] = "2099-01-01T00:00:00Z"
    tasks[-1]["annotations"][0]["updated_at"] = "2099-01-01T00:00:00Z"
    breaker(tasks)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    before = _snapshot(corpus)
    with pytest.raises(SecnewsError) as err:
        import_export(path, corpus)
    hits = [f for f in err.value.findings if f.code == code]
    assert hits, [f.code for f in err.value.findings]
    assert f"task {tasks[0]['id']}" in hits[0].message
    if names_annotation:
        assert f"annotation {tasks[0]['annotations'][0]['id']}" in hits[0].message
    assert _snapshot(corpus) == before


@pytest.mark.parametrize("content", [b'[{"id": 1, "data": {"text": "abc"}', b"not json", b'{"id": 1}', b""])
def test_non_json_or_non_list_export(content: bytes, corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = _snapshot(corpus)
    with pytest.raises(SecnewsError) as err:
        import_export(path, corpus)
    assert {f.code for f in err.value.findings} <= {"LS_MALFORMED_EXPORT", "LS_NOT_AN_EXPORT"}
    assert _snapshot(corpus) == before


def test_truncated_export_after_good_tasks_writes_nothing(good_tasks: list[Task], tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    whole = json.dumps(good_tasks).encode()
    path.write_bytes(whole[: len(whole) - 40])
    with pytest.raises(SecnewsError) as err:
        import_export(path, tmp_path / "fresh")
    assert err.value.findings[0].code == "LS_MALFORMED_EXPORT"
    assert not (tmp_path / "fresh").exists()


def test_cli_prints_coded_errors_without_traceback(
    good_tasks: list[Task], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from secnews.cli.main import main

    tasks = copy.deepcopy(good_tasks)
    unknown_label(tasks)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    assert main(["ls", "import", str(path), "--into", str(tmp_path / "c"), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "[LS_UNKNOWN_LABEL]" in err and "PERSON" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_without_strict_the_bad_annotation_is_refused_and_the_rest_imported(
    good_tasks: list[Task], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each annotation is checked alone (issue 19): the bad one is refused and named, every other
    annotation and prediction of every task is imported, exit 1."""
    from secnews.cli.main import main

    tasks = copy.deepcopy(good_tasks)
    unknown_label(tasks)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["ls", "import", str(path), "--into", str(tmp_path / "c")])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "[LS_UNKNOWN_LABEL]" in err and "task 1" in err and "Traceback" not in err
    refused = re.search(r"refused \[LS_UNKNOWN_LABEL\] task 1 \(set (\S+?),", err)
    assert refused, err
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "c").glob("*.json"))]
    assert len(docs) == len(tasks)
    sets = [s["id"] for d in docs for s in d["annotations"]]
    assert (
        refused.group(1) not in sets
        and len(sets) == sum(len(t["annotations"]) + len(t["predictions"]) for t in tasks) - 1
    )
    with pytest.raises(SecnewsError):  # the library's default is all or nothing
        import_export(path, tmp_path / "strict")
