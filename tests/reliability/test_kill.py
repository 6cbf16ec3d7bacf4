"""``kill -9`` during ``ls import``, ``convert`` and ``release``: the target is fully old or fully new,
and the rerun succeeds. Two imports into one corpus: the second waits for the first (a lock), or
stops with ``CORPUS_LOCKED``; they never interleave.

Each command runs in a real subprocess killed with SIGKILL at seeded random times within its reference
run's duration (``SECNEWS_KILL_POINTS`` per command, 2 by default and one fewer for the slower release: each
costs a process start).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from secnews.core.lock import corpus_lock
from secnews.labelstudio.exporter import export_documents, tasks_to_export
from secnews.labelstudio.staging import recover
from secnews.model.document import save_document
from secnews.model.synth import generate_document

KILL_POINTS = int(os.environ.get("SECNEWS_KILL_POINTS", "2"))
DOCS = 100


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "secnews.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", **(env or {})},
    )


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, float]:
    started = time.monotonic()
    proc = _cli(*args, env=env)
    out, err = proc.communicate(timeout=600)
    return proc.returncode, (out + err).decode("utf-8", "replace"), time.monotonic() - started


def _killed(args: tuple[str, ...], after: float) -> int:
    """Start the command, SIGKILL it after ``after`` seconds (if it still runs); its exit status."""
    proc = _cli(*args)
    try:
        proc.wait(timeout=after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return proc.returncode


def _files(root: Path) -> dict[str, str]:
    """Visible files (hidden staging left by a kill is not content) and their SHA-256."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def _kill_times(seed: str, duration: float, points: int = KILL_POINTS) -> list[float]:
    rng = random.Random(seed)
    return sorted(rng.uniform(0.15, 1.0) * duration for _ in range(points))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("kill")
    for i in range(DOCS):
        save_document(generate_document(i, sentences=4, sets=2), base / "docs")
    export_documents([base / "docs"], base / "tasks.json")
    tasks = json.loads((base / "tasks.json").read_text(encoding="utf-8"))
    (base / "export.json").write_text(json.dumps(list(tasks_to_export(tasks))), encoding="utf-8")
    return base


def test_kill_during_ls_import(corpus: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref"
    status, out, duration = _run("ls", "import", str(corpus / "export.json"), "--into", str(ref))
    assert status == 0, out
    new = _files(ref)
    assert len(new) == DOCS
    for k, after in enumerate(_kill_times("ls-import", duration)):
        target = tmp_path / f"c{k}"
        _killed(("ls", "import", str(corpus / "export.json"), "--into", str(target)), after)
        now = _files(target)
        assert all(new[name] == digest for name, digest in now.items())  # each file whole
        recover(target)  # what the next import does first
        assert _files(target) in ({}, new), f"kill at {after:.2f}s: {len(_files(target))} of {DOCS}"
        status, out, _ = _run("ls", "import", str(corpus / "export.json"), "--into", str(target))
        assert status == 0, out
        assert _files(target) == new
        assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no staging left


@pytest.mark.parametrize("target", ["out.jsonl", "out-parquet", "canonical"])
def test_kill_during_convert(corpus: Path, tmp_path: Path, target: str) -> None:
    extra = ("--to", "canonical") if target == "canonical" else ()
    ref = tmp_path / "ref" / target
    status, out, duration = _run("convert", str(corpus / "docs"), str(ref), *extra, "-q")
    assert status == 0, out
    new = _files(ref) if ref.is_dir() else {"": hashlib.sha256(ref.read_bytes()).hexdigest()}
    for k, after in enumerate(_kill_times(f"convert-{target}", duration)):
        dst = tmp_path / f"k{k}" / target
        _killed(("convert", str(corpus / "docs"), str(dst), *extra, "-q"), after)
        if dst.exists():  # fully new: never a partial file or folder (an empty folder holds no data)
            got = _files(dst) if dst.is_dir() else {"": hashlib.sha256(dst.read_bytes()).hexdigest()}
            assert got in ({}, new), f"kill at {after:.2f}s left a partial {target}"
        status, out, _ = _run("convert", str(corpus / "docs"), str(dst), *extra, "-q")
        assert status == 0, out


def test_kill_during_release(corpus: Path, tmp_path: Path) -> None:
    """Without a reference build (the slowest command): the state a kill leaves must be nothing or
    exactly what the rerun then builds; kill times are seeded within a typical build's duration."""

    def args(base: Path) -> tuple[str, ...]:
        return (
            "release", "0.1.0", "--out", str(base / "rel"), "--documents", str(corpus / "docs"),
            "--records", str(base / "records"), "--manifest", str(base / "splits.tsv"), "--no-datasheet",
            "--date", "2026-11-27",
        )  # fmt: skip

    for k, after in enumerate(_kill_times("release", 12.0, max(1, KILL_POINTS - 1))):
        base = tmp_path / f"k{k}"
        _killed(args(base), 1.0 + after)
        left = _files(base / "rel")
        status, out, _ = _run(*args(base))
        assert status == 0, out
        assert left in ({}, _files(base / "rel")), f"kill at {1.0 + after:.2f}s left a partial release"
        assert (base / "records" / "0.1.0.json").exists()


def test_a_second_import_waits_or_stops_cleanly(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    target.mkdir()
    export = str(corpus / "export.json")
    with corpus_lock(target):  # another writer holds the corpus
        status, out, _ = _run(
            "ls", "import", export, "--into", str(target), env={"SECNEWS_LOCK_TIMEOUT": "0.5"}
        )
    assert status == 2 and "[CORPUS_LOCKED]" in out and "Traceback" not in out, out
    assert _files(target) == {}
    first = _cli("ls", "import", export, "--into", str(target))
    second = _cli("ls", "import", export, "--into", str(target))
    assert first.wait(timeout=600) == 0 and second.wait(timeout=600) == 0
    first.communicate()
    second.communicate()
    assert len(_files(target)) == DOCS
    ref = tmp_path / "ref"
    assert _run("ls", "import", export, "--into", str(ref))[0] == 0
    assert _files(target) == _files(ref)  # the same bytes as one import alone: nothing interleaved
