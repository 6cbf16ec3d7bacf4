"""The release's scan reuses the verdicts ``secnews validate`` stored for unchanged files: the same
bytes as a scan that validates everything, and no document validated twice."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.release.test_release import build, make_corpus, special_documents

import secnews.release.build as build_module
import secnews.release.scan as scan_module
from secnews.model.document import read_document, save_document
from secnews.release.record import read_record
from secnews.release.verify import folder_checksums
from secnews.validate.engine import open_verdict_cache, validate_paths


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the documents the release's scan validates."""
    seen: list[str] = []
    real = scan_module.validate_document

    def counting(doc: Any, **kw: Any) -> Any:
        seen.append(doc["id"])
        return real(doc, **kw)

    monkeypatch.setattr(scan_module, "validate_document", counting)
    return seen


def _validated_corpus(base: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_corpus(base / "docs", 12)
    special_documents(base / "docs")  # one invalid document among them: its verdict must hold
    cache_dir = base / "cache"
    cache = open_verdict_cache(cache_dir)
    validate_paths([base / "docs"], cache=cache)
    cache.save()
    monkeypatch.setattr(build_module, "open_verdict_cache", lambda: open_verdict_cache(cache_dir))
    return cache_dir


def test_a_validated_corpus_is_released_without_validating_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted: list[str]
) -> None:
    _validated_corpus(tmp_path / "a", monkeypatch)
    shutil.copytree(tmp_path / "a" / "docs", tmp_path / "b" / "docs")
    build(tmp_path / "a", "0.1.0")
    assert counted == []
    build(tmp_path / "b", "0.1.0", use_cache=False)
    assert len(counted) == 15
    assert folder_checksums(tmp_path / "a/releases/0.1.0") == folder_checksums(tmp_path / "b/releases/0.1.0")
    assert (tmp_path / "a/records/0.1.0.json").read_bytes() == (
        tmp_path / "b/records/0.1.0.json"
    ).read_bytes()


def test_a_changed_file_is_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted: list[str]
) -> None:
    _validated_corpus(tmp_path, monkeypatch)
    path = next((tmp_path / "docs").glob("synth-*.json"))
    doc = read_document(path)
    doc["annotations"][0]["entities"][0]["text"] += "x"  # now invalid: the stored verdict no longer holds
    save_document(doc, tmp_path / "docs")
    build(tmp_path, "0.1.0")
    assert counted == [doc["id"]]
    excluded = {e["id"] for e in read_record(tmp_path / "records/0.1.0.json").excluded}
    assert doc["id"] in excluded
