"""``secnews init``: the scaffold of a new project (the full flow runs from the wheel in tests/packaging)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml

from secnews.core.findings import SecnewsError
from secnews.release.scaffold import init_project

ROOT = Path(__file__).resolve().parents[2]
CYBER = ROOT / "tests" / "fixtures" / "projects" / "cyber-taxonomy.yaml"


def test_init_writes_a_project_around_its_taxonomy(tmp_path: Path) -> None:
    scaffold = init_project(tmp_path / "cyber", taxonomy=CYBER, name="cyber-news", languages=["en"])
    root = tmp_path / "cyber"
    assert scaffold.identity.name == "cyber-news" and scaffold.identity.languages == ("en",)
    project = tomllib.loads((root / "secnews.toml").read_text(encoding="utf-8"))["dataset"]
    assert project["name"] == "cyber-news" and project["languages"] == ["en"]
    schema = json.loads((root / "schema" / "document.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["meta"]["properties"]["language"] == {"const": "en"}
    assert "THREAT_ACTOR" in schema["$defs"]["entity"]["properties"]["type"]["enum"]
    assert "THREAT_ACTOR" in (root / "schema" / "labelstudio.xml").read_text(encoding="utf-8")
    assert (root / "schema" / "taxonomy.yaml").read_bytes() == CYBER.read_bytes()
    assert not (
        root / "schema" / "actors.yaml"
    ).exists()  # the default registry fits the default taxonomy only
    assert (root / "corpus" / "documents").is_dir()
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["entry"] == "secnews validate"
    workflow = yaml.safe_load((root / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8"))
    assert any("secnews validate" in step.get("run", "") for step in workflow["jobs"]["validate"]["steps"])


def test_init_never_overwrites_a_project(tmp_path: Path) -> None:
    init_project(tmp_path / "p")
    assert (tmp_path / "p" / "schema" / "actors.yaml").is_file()
    with pytest.raises(SecnewsError) as err:
        init_project(tmp_path / "p", taxonomy=CYBER)
    assert err.value.findings[0].code == "PROJECT_EXISTS"


def test_a_broken_taxonomy_writes_nothing(tmp_path: Path) -> None:
    data = yaml.safe_load(CYBER.read_text(encoding="utf-8"))
    del data["roles"]
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(SecnewsError) as err:
        init_project(tmp_path / "p", taxonomy=tmp_path / "t.yaml")
    assert err.value.findings[0].code == "TAXONOMY_INVALID" and "roles" in err.value.findings[0].message
    assert not (tmp_path / "p").exists()
