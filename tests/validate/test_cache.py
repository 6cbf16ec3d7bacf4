"""The verdict cache: unchanged files keep their findings, anything a verdict depends on invalidates it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secnews.core.findings import SecnewsError
from secnews.core.paths import clear_caches
from secnews.model.document import parse_document_bytes
from secnews.validate.engine import open_verdict_cache, validate_paths

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A valid document, and invalid ones whose findings must come back from the cache intact."""
    out = tmp_path / "docs"
    out.mkdir()
    for name in (
        "DANGLING_REF.json",
        "TIMEX_WEEKDAY_MISMATCH.json",
        "MALFORMED_JSON.json",
        "SPAN_TEXT_MISMATCH.json",
    ):
        shutil.copy(FIXTURES / "invalid" / name, out / name)
    shutil.copy(FIXTURES / "valid" / "fixture-base.json", out / "fixture-base.json")
    return out


def _dicts(report: object) -> list[dict[str, object]]:
    return [f.to_dict() for f in report.findings]  # type: ignore[attr-defined]


@pytest.mark.parametrize("jobs", [1, 2])
def test_second_run_reuses_every_verdict_with_the_same_findings(
    corpus: Path, tmp_path: Path, jobs: int
) -> None:
    fresh = validate_paths([corpus], jobs=jobs)
    first_cache = open_verdict_cache(tmp_path / "cache")
    first = validate_paths([corpus], jobs=jobs, cache=first_cache)
    first_cache.save()
    again = open_verdict_cache(tmp_path / "cache")
    second = validate_paths([corpus], jobs=jobs, cache=again)
    assert first.stats["cached"] == 0 and second.stats["cached"] == 5
    assert _dicts(fresh) == _dicts(first) == _dicts(second) and len(fresh.findings) >= 4
    assert second.valid is False and second.stats["by_code"] == fresh.stats["by_code"]


def test_a_changed_file_is_validated_again(corpus: Path, tmp_path: Path) -> None:
    cache = open_verdict_cache(tmp_path / "cache")
    validate_paths([corpus], cache=cache)
    cache.save()
    doc = json.loads((corpus / "fixture-base.json").read_text(encoding="utf-8"))
    doc["annotations"][0]["entities"][0]["start"] += 1  # now a span mismatch
    (corpus / "fixture-base.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    cache = open_verdict_cache(tmp_path / "cache")
    report = validate_paths([corpus], cache=cache)
    assert report.stats["cached"] == 4
    assert any(f.file and f.file.endswith("fixture-base.json") for f in report.findings)


def test_a_touched_file_keeps_its_verdict(corpus: Path, tmp_path: Path) -> None:
    """mtime and size only spare a read: a new mtime on the same bytes (a fresh checkout) is a hit."""
    old = time.time() - 3600
    for p in corpus.iterdir():
        os.utime(p, (old, old))
    cache = open_verdict_cache(tmp_path / "cache")
    validate_paths([corpus], cache=cache)
    cache.save()
    assert all(e[2] > 0 for e in open_verdict_cache(tmp_path / "cache").entries.values())
    os.utime(corpus / "DANGLING_REF.json")  # touched, same bytes
    cache = open_verdict_cache(tmp_path / "cache")
    report = validate_paths([corpus], cache=cache)
    assert report.stats["cached"] == 5
    assert cache.known(corpus / "DANGLING_REF.json") is not None


def test_a_recent_file_is_hashed_again(corpus: Path, tmp_path: Path) -> None:
    """Files written just now are stored without their mtime: the next run hashes them."""
    cache = open_verdict_cache(tmp_path / "cache")
    validate_paths([corpus], cache=cache)
    cache.save()
    assert all(e[2] == -1 for e in open_verdict_cache(tmp_path / "cache").entries.values())
    base = corpus / "fixture-base.json"
    data = base.read_bytes()
    base.write_bytes(data.replace(b'"annotator-a"', b'"annotator-b"', 1))  # same size, same tick
    report = validate_paths([corpus], cache=open_verdict_cache(tmp_path / "cache"))
    assert report.stats["cached"] == 4


def test_a_renamed_file_is_not_a_hit(corpus: Path, tmp_path: Path) -> None:
    """The file name is part of the verdict (FILE_NAME_MISMATCH): same bytes, other name, new verdict."""
    cache = open_verdict_cache(tmp_path / "cache")
    validate_paths([corpus], cache=cache)
    cache.save()
    (corpus / "fixture-base.json").rename(corpus / "other-name.json")
    report = validate_paths([corpus], cache=open_verdict_cache(tmp_path / "cache"))
    assert report.stats["cached"] == 4
    assert [f.code for f in report.findings if f.file and f.file.endswith("other-name.json")] == [
        "FILE_NAME_MISMATCH"
    ]


def test_a_schema_change_empties_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    home = tmp_path / "home"
    shutil.copytree(ROOT / "schema", home / "schema")
    shutil.copy(ROOT / "secnews.toml", home / "secnews.toml")
    monkeypatch.setenv("SECNEWS_HOME", str(home))
    clear_caches()  # the located project is cached per process
    request.addfinalizer(clear_caches)
    cache = open_verdict_cache()
    validate_paths([corpus], cache=cache)
    cache.save()
    assert (home / ".secnews_cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert open_verdict_cache().entries  # same contract: the verdicts are there
    taxonomy = home / "schema" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert open_verdict_cache().entries == {}


def test_a_corrupt_cache_file_is_ignored(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "validate.json").write_bytes(b"{not json")
    report = validate_paths([corpus], cache=open_verdict_cache(tmp_path / "cache"))
    assert report.stats["cached"] == 0 and report.stats["files"] == 5


def test_entries_this_version_cannot_read_are_validated_again(corpus: Path, tmp_path: Path) -> None:
    """An entry of another layout, or findings that no longer fit Finding, never give a traceback."""
    old = time.time() - 3600
    for p in corpus.iterdir():
        os.utime(p, (old, old))  # settled mtimes: the stat alone would make every file a hit
    fresh = validate_paths([corpus])
    cache = open_verdict_cache(tmp_path / "cache")
    validate_paths([corpus], cache=cache)
    cache.save()
    data = orjson.loads((tmp_path / "cache" / "validate.json").read_bytes())
    keys = sorted(data["entries"])
    data["entries"][keys[0]] = [*data["entries"][keys[0]][:2], []]  # an older three-field layout
    data["entries"][keys[1]][4] = [{"no_such_field": 1}]
    (tmp_path / "cache" / "validate.json").write_bytes(orjson.dumps(data))
    report = validate_paths([corpus], cache=open_verdict_cache(tmp_path / "cache"))
    assert report.stats["cached"] == 3
    assert _dicts(report) == _dicts(fresh)


def test_cli_caches_by_default_and_no_cache_skips_it(corpus: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(ROOT / "schema", home / "schema")
    shutil.copy(ROOT / "secnews.toml", home / "secnews.toml")
    env = {"SECNEWS_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "secnews.cli", "validate", str(corpus / "fixture-base.json")]
    r = subprocess.run([*cmd, "--no-cache"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert not (home / ".secnews_cache").exists()
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == second.returncode == 0
    assert "unchanged" not in first.stdout and "1 unchanged" in second.stdout


def _reference_parse(data: bytes) -> object:
    """parse_document_bytes before its orjson-on-bytes fast path: decode, then parse the str."""
    text = data.decode("utf-8")
    return orjson.loads(text)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=40),
        st.builds(lambda s: s.encode("utf-8", "surrogatepass"), st.text(max_size=20)),
        st.builds(lambda v: json.dumps(v).encode(), st.dictionaries(st.text(max_size=5), st.integers())),
        st.builds(lambda b: b"\xef\xbb\xbf" + b, st.just(b"{}")),
    )
)
def test_parse_fast_path_accepts_and_rejects_exactly_what_the_reference_does(data: bytes) -> None:
    try:
        expected: object = _reference_parse(data)
    except (UnicodeDecodeError, orjson.JSONDecodeError):
        expected = "error"
    try:
        got: object = parse_document_bytes(data)
    except SecnewsError:
        got = "error"
    if not isinstance(expected, dict):
        expected = "error"
    assert got == expected
