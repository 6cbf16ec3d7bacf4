"""Croissant metadata of a release: validates with mlcroissant, reproducible, checksums match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secnews.model.document import save_document
from secnews.model.synth import generate_document
from secnews.release.build import build_release
from secnews.release.croissant import build_croissant, dumps_croissant, validate_croissant
from secnews.release.record import read_record
from secnews.release.verify import sha256_file


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("croissant")
    for i in range(12):
        save_document(generate_document(100 + i, sentences=2, sets=1), base / "docs")
    build_release(
        "1.2.3",
        base / "docs",
        base / "out",
        records_dir=base / "rec",
        manifest_path=base / "m.tsv",
        date="2026-01-02",
    )
    return base / "out", base / "rec/1.2.3.json"


def test_croissant_validates(release) -> None:
    folder, _ = release
    assert validate_croissant(folder / "croissant.json") == []


def test_croissant_content(release) -> None:
    folder, record_path = release
    data = json.loads((folder / "croissant.json").read_text())
    assert data["datePublished"].startswith("2026-01-02")
    assert data["version"] == "1.2.3"
    assert data["inLanguage"] == ["fr"] or data["inLanguage"] == "fr"
    objects = {d["contentUrl"]: d["sha256"] for d in data["distribution"] if d["@type"] == "cr:FileObject"}
    shards = sorted(p.relative_to(folder).as_posix() for p in folder.glob("*/*.parquet"))
    assert sorted(objects) == shards
    assert all(objects[s] == sha256_file(folder / s) for s in shards)
    assert {r["name"] for r in data["recordSet"]} == {"documents", "annotations", "ner", "events"}
    # rebuilt from the same folder and record: the same text
    rebuilt = dumps_croissant(build_croissant(folder, read_record(record_path)))
    assert rebuilt == (folder / "croissant.json").read_text()


def test_invalid_croissant_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "croissant.json"
    bad.write_text(json.dumps({"@type": "sc:Dataset", "name": "x"}))
    assert validate_croissant(bad) != []
