"""The export reader cuts the top-level list into tasks exactly as a JSON parser would.

:func:`secnews.labelstudio.export_reader.iter_export` finds where each task ends by letting orjson parse
a window of the stream; these tests pin the cases a hand-made splitter gets wrong (brackets, escaped
quotes and backslashes inside strings, multi-byte characters cut by a read, tasks larger than the
window) and the malformed files that must stay coded errors (truncated anywhere, trailing data,
missing commas, invalid UTF-8), with the real importer writing nothing.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from secnews.core.findings import SecnewsError
from secnews.labelstudio import export_reader, staging
from secnews.labelstudio.export_reader import iter_export
from secnews.labelstudio.importer import import_export

TRICKY: list[Any] = [
    {"id": 1, "data": {"text": 'a ] } [ { "quoted" \\ back\\slash \\" end'}},
    {"id": 2, "data": {"text": "\\\\", "k": "\\"}, "x": [[], {}, [{"a": "]"}]]},
    {"id": 3, "data": {"text": "émoji 😀 et ‘guillemets’ “ ” \u2028 \t tab", "n": -1.5e-3}},
    {"id": 4, "data": {"text": "x" * 70_000}},  # larger than the first window
    [],
    {},
    "a string task",
    12345,
    -0.5,
    True,
    None,
    {"id": 5, "data": {"text": "last"}},
]


def _tasks(raw: bytes, block: int | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> list[Any]:
    if block is not None and monkeypatch is not None:
        monkeypatch.setattr(export_reader, "_READ_BLOCK", block)
    return [task for _, task in iter_export(io.BytesIO(raw), "<test>")]


@pytest.mark.parametrize(
    "dump",
    [
        lambda v: json.dumps(v),
        lambda v: json.dumps(v, ensure_ascii=False, indent=2),
        lambda v: json.dumps(v, separators=(",", ":")),
        lambda v: "\ufeff \r\n" + json.dumps(v, indent="\t") + "\n\n",
        lambda v: "[" + ",\n".join(json.dumps(t, ensure_ascii=False) for t in v) + "]\n",
        lambda v: "[\n" + "\n, ".join(json.dumps(t) for t in v) + "\n]",
        lambda v: "[" + ",\r\n".join(json.dumps(t) for t in v) + "\r\n]\r\n",
    ],
    ids=["ascii", "utf8-indent", "compact", "bom-tabs", "one-a-line", "comma-first", "crlf-lines"],
)
def test_tasks_with_brackets_and_escapes_in_strings(dump: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = dump(TRICKY).encode("utf-8")
    assert _tasks(raw) == TRICKY
    assert _tasks(raw, 7, monkeypatch) == TRICKY  # reads that cut characters, strings and numbers


def test_empty_list_and_numbers_cut_by_a_read(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _tasks(b"[]") == [] and _tasks(b" [ \n ] \n") == []
    assert _tasks(b"[123456789, 1.25e2]", 3, monkeypatch) == [123456789, 125.0]


@pytest.mark.parametrize(
    ("raw", "tasks"),
    [
        (b"[[1,2]\n]", [[1, 2]]),  # the "]" that ends the line belongs to the task
        (b"[[1,2]]\n", [[1, 2]]),
        (b"[1\n,22\n,333]", [1, 22, 333]),
        (b'["a\\nb",\n"c"]', ["a\nb", "c"]),  # an escaped newline is not a line end
        (b'[{"a": [\n1]},\n{"b": 2}\n]', [{"a": [1]}, {"b": 2}]),  # a task over two lines
        (b"[null,\nfalse,\n{}]", [None, False, {}]),
        # hand-indented: a line inside the first task has the task's own indentation
        (b'[\n {"a": [\n 1\n ], "b": {\n }\n },\n {"c": 2}\n]', [{"a": [1], "b": {}}, {"c": 2}]),
        (b'[\n\t[\n\t\t"]"\n\t],\n\t{\n\t\t"}": "\\n }"\n\t}\n]', [["]"], {"}": "\n }"}]),
    ],
)
def test_tasks_read_a_line_at_a_time(raw: bytes, tasks: list[Any]) -> None:
    """Tasks whose end the layout shows are read in one parse; every guess must give the true task."""
    assert _tasks(raw) == tasks


@pytest.mark.parametrize("indent", [1, 2, 4])
def test_indented_tasks_of_very_different_sizes(indent: int) -> None:
    """The search for an indented task's closing line starts a third of the last task's size in: a
    task much shorter than the one before must not be read as its successor's end."""
    sizes = [60_000, 40, 90_000, 30_000, 5, 200_000, 120_000, 20_000, 64, 0, 50_000]
    tasks: list[Any] = [
        {"id": i, "data": {"text": "é" * n, "nested": {"x": [{"y": n}]}}, "annotations": [{"result": []}]}
        for i, n in enumerate(sizes)
    ]
    raw = json.dumps(tasks, ensure_ascii=False, indent=indent).encode("utf-8")
    assert _tasks(raw) == tasks


@pytest.mark.parametrize(
    "raw",
    [
        b'[{"a": 1}] x',  # trailing data
        b'[{"a": 1}]]',
        b'[{"a": 1},]',  # trailing comma
        b'[,{"a": 1}]',
        b'[{"a": 1} {"b": 2}]',  # missing comma
        b'[{"a": 1}',  # never closed
        b'[{"a": 1},',
        b"[",
        b"[1",
        b'[{"a": tru}]',
        b'[{"a": "\xff"}]',  # not UTF-8
        b'[{"a": NaN}]',
        b'[{"a": "x\ny"}]',  # raw control character in a string
    ],
)
def test_malformed_lists_are_coded_errors(raw: bytes) -> None:
    with pytest.raises(SecnewsError) as err:
        _tasks(raw)
    assert [f.code for f in err.value.findings] == ["LS_MALFORMED_EXPORT"]


def test_truncated_anywhere_is_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    compact = json.dumps(TRICKY[:3], ensure_ascii=False)
    lines = "[" + ",\n".join(json.dumps(t, ensure_ascii=False) for t in TRICKY[:3]) + "\n]"
    monkeypatch.setattr(export_reader, "_MIN_WINDOW", 8)  # windows grow many times: every cut is exercised
    raws = [text.encode("utf-8") for text in (compact, lines)]
    for raw, cut in [(r, cut) for r in raws for cut in range(1, len(r))]:
        try:
            _tasks(raw[:cut])
        except SecnewsError as err:
            assert [f.code for f in err.findings] == ["LS_MALFORMED_EXPORT"], cut
        else:
            pytest.fail(f"cut {cut}: a truncated export was read")


def test_truncated_export_inside_a_string_writes_nothing(tmp_path: Path) -> None:
    tasks = [{"id": i, "data": {"text": f'Texte {i} avec [crochets] et "guillemets".'}} for i in range(1, 4)]
    whole = json.dumps(tasks).encode()
    path = tmp_path / "cut.json"
    path.write_bytes(whole[: whole.rindex(b"crochets")])  # the last task stops inside its text
    with pytest.raises(SecnewsError) as err:
        import_export(path, tmp_path / "fresh")
    assert [f.code for f in err.value.findings] == ["LS_MALFORMED_EXPORT"]
    assert not (tmp_path / "fresh").exists()
    path.write_bytes(whole)
    report = import_export(path, tmp_path / "fresh", validate=False)
    assert sorted(report.created) == ["ls-0-1", "ls-0-2", "ls-0-3"]
    doc = json.loads((tmp_path / "fresh" / "ls-0-2.json").read_text(encoding="utf-8"))
    assert doc["text"] == 'Texte 2 avec [crochets] et "guillemets".'


def test_a_failed_staged_write_fails_the_import_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write error while staging stops the import; the corpus directory is not even created."""
    tasks = [{"id": i, "data": {"text": f"Texte {i}."}} for i in range(1, 200)]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    real = staging.write_file

    def failing(target: Path, data: bytes) -> None:
        if target.name == "ls-0-150.json":
            raise OSError(28, "No space left on device")
        real(target, data)

    monkeypatch.setattr(staging, "write_file", failing)
    with pytest.raises(OSError, match="No space left"):
        import_export(path, tmp_path / "fresh", validate=False)
    assert not (tmp_path / "fresh").exists()
