"""Canonical documents on disk: deterministic bytes, atomic writes, streamed reading."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings

from secnews.core.findings import SecnewsError
from secnews.model.document import (
    dumps_document,
    iter_document_files,
    iter_documents,
    read_document,
    save_document,
    write_document,
)
from secnews.model.synth import documents, generate_corpus, generate_document


@settings(max_examples=30, deadline=None)
@given(documents())
def test_write_read_round_trip_is_identical(doc: dict) -> None:
    text = dumps_document(doc)
    assert json.loads(text) == doc
    assert dumps_document(json.loads(text)) == text


def test_format_is_diff_friendly(tmp_path: Path) -> None:
    doc = generate_document(3)
    path = save_document(doc, tmp_path)
    raw = path.read_bytes().decode("utf-8")
    assert raw.endswith("}\n") and not raw.endswith("\n\n")
    assert "\\u00e9" not in raw and "é" in raw  # no ASCII escaping
    assert raw.splitlines()[1].startswith('  "annotations"')  # sorted keys, 2-space indent
    before = raw
    write_document(json.loads(raw), path)
    assert path.read_text(encoding="utf-8") == before  # rewriting changes nothing


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path) -> None:
    doc = generate_document(4)
    path = save_document(doc, tmp_path)
    before = path.read_bytes()

    class Boom:  # not JSON-serialisable: dumping fails mid-way
        pass

    bad = dict(doc, meta={**doc["meta"], "notes": Boom()})
    with pytest.raises(TypeError):
        write_document(bad, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind


def test_save_refuses_bad_id(tmp_path: Path) -> None:
    with pytest.raises(SecnewsError) as exc:
        save_document(dict(generate_document(1), id="Bad Id"), tmp_path)
    assert exc.value.findings[0].code == "BAD_DOCUMENT_ID"


def test_read_errors_are_coded(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"\xff\xfe")
    (tmp_path / "b.json").write_text("{", encoding="utf-8")
    codes = []
    for name in ("a.json", "b.json", "missing.json"):
        with pytest.raises(SecnewsError) as exc:
            read_document(tmp_path / name)
        codes.append(exc.value.findings[0].code)
    assert codes == ["BAD_ENCODING", "MALFORMED_JSON", "UNREADABLE_FILE"]


def test_iteration_streams_in_stable_order_and_skips_non_documents(tmp_path: Path) -> None:
    generate_corpus(5, tmp_path / "documents")
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "0.1.0.json").write_text("{}", encoding="utf-8")
    files = list(iter_document_files([tmp_path]))
    assert [f.name for f in files] == sorted(f.name for f in files)
    assert all("releases" not in f.parts for f in files) and len(files) == 5
    it = iter_documents([tmp_path])
    first_path, first = next(it)  # a generator: nothing else is read yet
    assert first["id"] == first_path.stem


def test_synth_cli_writes_valid_corpus(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "synth"
    r = subprocess.run(
        [sys.executable, "-m", "secnews.cli", "synth", "20", "--out", str(out), "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert len(os.listdir(out)) == 20
    r = subprocess.run(
        [sys.executable, "-m", "secnews.cli", "validate", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0 and "20 files, 0 errors" in r.stdout


def test_crash_during_replace_keeps_original_and_cleans_temp(tmp_path: Path, monkeypatch) -> None:
    doc = generate_document(5)
    path = save_document(doc, tmp_path)
    before = path.read_bytes()

    def crash(src, dst):  # the rename never happens (power cut, full disk...)
        raise OSError("simulated crash")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_document(dict(doc, text=doc["text"] + " changed"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_directory_walk_matches_rglob_order_and_skips_hidden(tmp_path: Path) -> None:
    """The ``os.scandir`` walk returns what ``sorted(rglob("*.json"))`` minus hidden names did, in
    the same order: nested folders, a name shared by a file and a folder prefix, a hidden folder, a
    symbolic link to a folder (listed, not entered) and to a file (listed)."""
    from secnews.model.document import expand_paths

    for rel in ["b.json", "a/z.json", "a/b/c.json", "a.json", "ab.json", "a-b/x.json", ".h/x.json",
                "a/.y.json", "a/b.json/q.json", "real/r.json", "n.txt"]:  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "l.json").symlink_to(tmp_path / "real" / "r.json")
    expected = sorted(
        (
            q
            for q in tmp_path.rglob("*.json")
            if not any(p.startswith(".") for p in q.relative_to(tmp_path).parts)
        ),
        key=lambda q: q.parts,
    )
    got = list(expand_paths([tmp_path]))
    assert got == expected
    assert tmp_path / "a/b.json" in got  # a folder whose name matches is listed, as rglob did
    assert not any("link" in q.parts for q in got)
