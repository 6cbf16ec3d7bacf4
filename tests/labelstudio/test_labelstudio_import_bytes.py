"""The importer's output, byte for byte, and its memory, on exports of both layouts.

``tests/fixtures/labelstudio/import-bytes.json`` holds the SHA-256 of every file (and a digest of the
report) that the importer wrote for each case below *before* it was optimised (issue 15): any change
of a single output byte, of a finding or of a refusal fails here. The exports are made on the fly,
deterministically (synthetic documents exported by :mod:`secnews.labelstudio.exporter`, then edited
the way the Label Studio editor edits them), in the two layouts exports come in: one task a line
(``secnews ls export``, ``jq -c``) and indented (what a server writes), plus the real server export of
``tests/fixtures/labelstudio``. Both layouts must give the same files.

Regenerate the manifest (only when an output change is intended)::

    PYTHONPATH=src python tests/labelstudio/test_labelstudio_import_bytes.py --write
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from secnews.core.findings import SecnewsError
from secnews.labelstudio.importer import ImportReport, import_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "labelstudio"
MANIFEST = FIXTURES / "import-bytes.json"
N_SYNTH = 48


# ------------------------------------------------------------------------------------------ exports
def synth_tasks(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """The benchmark's tasks (a gold set as an annotation, a model set as a prediction), every third
    one edited in the editor's ways so that the importer's slower paths run too."""
    from secnews.labelstudio.exporter import synthetic_tasks

    for i, task in enumerate(synthetic_tasks(n, seed)):
        if i % 3 == 1:
            _edit_in_the_editor(task, i)
        if i % 7 == 5:  # a task made in Label Studio: no data.secnews, no doc_id
            for key in ("secnews", "doc_id", "secnews_hash"):
                task["data"].pop(key, None)
            task["data"]["extra_field"] = "shown, not imported"
        yield task


def _edit_in_the_editor(task: dict[str, Any], i: int) -> None:
    """What an annotator's session does to a task: editor region ids, relation ids dropped, an
    attribute changed (the set no longer matches its exported digest), users as objects, scores."""
    ann = task["annotations"][0]
    renamed: dict[str, str] = {}
    for item in ann["result"]:
        rid = item.get("id")
        if isinstance(rid, str) and item.get("type") != "relation":
            renamed.setdefault(rid, f"Xk{i:03d}_{len(renamed):02d}-editor id")
            item["id"] = renamed[rid]
    for item in ann["result"]:
        if item.get("type") == "relation":
            item.pop("id", None)
            for end in ("from_id", "to_id"):
                item[end] = renamed.get(item[end], item[end])
        if item.get("from_name") == "realis":
            item["value"]["choices"] = ["GENERIC"]
    ann["completed_by"] = {"id": 7, "email": "awa@example.org"} if i % 2 else 3
    ann["updated_at"] = f"2026-12-{1 + i % 28:02d}T10:00:00.000000Z"
    ann["ground_truth"] = i % 4 == 1
    for pred in task.get("predictions") or []:
        pred["score"] = 0.5 + (i % 5) / 10
        pred["model_version"] = f"ner-{i % 3}"


def write_export(tasks: list[dict[str, Any]], path: Path, indented: bool) -> Path:
    """One task a line, or 2-space indentation throughout (a server's export file)."""
    with open(path, "wb") as fh:
        fh.write(b"[\n" if indented else b"[")
        for i, task in enumerate(tasks):
            if i:
                fh.write(b",\n")
            if indented:
                body = orjson.dumps(task, option=orjson.OPT_INDENT_2)
                fh.write(b"\n".join(b"  " + line for line in body.split(b"\n")))
            else:
                fh.write(orjson.dumps(task))
        fh.write(b"\n]\n" if indented else b"]\n")
    return path


def _real_tasks() -> list[dict[str, Any]]:
    tasks = json.loads((FIXTURES / "export-full.json").read_text(encoding="utf-8"))
    return [t for t in tasks if "\r" not in t["data"]["text"]]


def _broken(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks with errors: one bad region label, one bad role, one task without text."""
    tasks = copy.deepcopy(tasks)
    label = next(r for r in tasks[0]["annotations"][0]["result"] if r.get("type") == "labels")
    label["value"]["labels"] = ["NOT_A_LABEL"]
    rel = next((r for r in tasks[1]["annotations"][0]["result"] if r.get("type") == "relation"), None)
    if rel is not None:
        rel["labels"] = ["INSTRUMENT"]
    tasks.append({"id": 999, "data": {"text": ""}, "annotations": []})
    return tasks


# ------------------------------------------------------------------------------------------ cases
def _files(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.glob("*.json"))
        if p.is_file()
    }


def _digest(body: Any, tmp: Path) -> str:
    """SHA-256 of a JSON body, the temporary directory's path replaced by a placeholder."""
    text = json.dumps(body, sort_keys=True, default=str).replace(str(tmp), "<tmp>")
    return hashlib.sha256(text.encode()).hexdigest()


def _report(report: ImportReport, tmp: Path) -> str:
    body = {
        "tasks": report.tasks,
        "documents": report.documents,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "sets": report.sets,
        "written": report.written,
        "findings": [f.to_dict() for f in report.findings],
        "refused": [
            [r.task, r.annotator, r.set_id, [f.to_dict() for f in r.findings], r.project]
            for r in report.refused
        ],
    }
    return _digest(body, tmp)


def _import(export: Path, corpus: Path, **kwargs: Any) -> str:
    """The report's digest, or that of the findings of the error the import raised."""
    try:
        return _report(import_export(export, corpus, jobs=1, **kwargs), export.parent)
    except SecnewsError as exc:
        return "error:" + _digest([f.to_dict() for f in exc.findings], export.parent)


def run_cases(tmp: Path) -> dict[str, Any]:
    """Every case's written files (name -> SHA-256) and report digest."""
    out: dict[str, Any] = {}
    synth = list(synth_tasks(N_SYNTH))
    real = _real_tasks()
    for layout in ("compact", "indented"):
        ind = layout == "indented"
        for name, tasks in (("synth", synth), ("real", real)):
            corpus = tmp / f"{name}-{layout}"
            report = _import(write_export(tasks, tmp / f"{name}-{layout}.json", ind), corpus)
            out[f"{name}-{layout}"] = {"report": report, "files": _files(corpus)}
        # a second export merged into that corpus: updates, unchanged documents, stale sets
        again = copy.deepcopy(synth[::2])
        for j, task in enumerate(again):
            if j % 3 == 2:
                continue  # unchanged
            ann = task["annotations"][0]
            ann["updated_at"] = "2001-01-01T00:00:00.000000Z" if j % 3 else "2099-01-01T00:00:00.000000Z"
            for item in ann["result"]:
                if item.get("from_name") == "realis":
                    item["value"]["choices"] = ["ACTUAL" if j % 2 else "OTHER"]
        corpus = tmp / f"synth-{layout}"
        report = _import(write_export(again, tmp / f"again-{layout}.json", ind), corpus)
        out[f"merge-{layout}"] = {"report": report, "files": _files(corpus)}
        # errors: strict refuses all (writes nothing), lenient keeps what is valid
        broken = write_export(_broken([*real, *synth[:6]]), tmp / f"broken-{layout}.json", ind)
        for strict in (True, False):
            corpus = tmp / f"broken-{layout}-{strict}"
            report = _import(broken, corpus, strict=strict)
            out[f"broken-{layout}-{'strict' if strict else 'lenient'}"] = {
                "report": report,
                "files": _files(corpus),
            }
    return out


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_cases(tmp_path_factory.mktemp("import-bytes"))


def test_outputs_are_byte_identical_to_the_reference(cases: dict[str, Any]) -> None:
    expected = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert sorted(cases) == sorted(expected)
    for name, want in expected.items():
        assert cases[name]["files"] == want["files"], name
        assert cases[name]["report"] == want["report"], name


def test_both_layouts_give_the_same_files(cases: dict[str, Any]) -> None:
    for name in ("synth", "real", "merge", "broken-{}-lenient"):
        compact, indented = (
            name.format(x) if "{" in name else f"{name}-{x}" for x in ("compact", "indented")
        )
        assert cases[compact]["files"] == cases[indented]["files"]
        assert cases[compact]["files"], compact


# ------------------------------------------------------------------------------------------ memory
_RSS_CHILD = """
import resource, sys
from secnews.labelstudio.importer import import_export
report = import_export(sys.argv[1], sys.argv[2], jobs=1)
assert report.ok and report.created
try:  # this process's own high-water mark (ru_maxrss keeps the forking parent's across exec)
    with open("/proc/self/status") as fh:
        print(next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.parametrize("indented", [False, True], ids=["compact", "indented"])
def test_peak_memory_does_not_grow_with_the_export(tmp_path: Path, indented: bool) -> None:
    """Five times the tasks (3 vs 15 MB of export, 7 vs 35 MB indented): the same peak RSS."""
    peaks = []
    for n in (100, 500):
        export = write_export(list(synth_tasks(n, seed=1)), tmp_path / f"e{n}.json", indented)
        proc = subprocess.run(
            [sys.executable, "-c", _RSS_CHILD, str(export), str(tmp_path / f"c{n}")],
            check=True,
            capture_output=True,
            text=True,
        )
        peaks.append(int(proc.stdout.split()[-1]) / 1024)
    assert peaks[1] - peaks[0] < 3, peaks


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = run_cases(Path(tmp))
    if "--write" in sys.argv:
        MANIFEST.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({k: [v["report"][:12], len(v["files"])] for k, v in result.items()}, indent=1))
