"""Finding the project (walk up, --project, SECNEWS_HOME, packaged default) and reading its identity."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from secnews.core import paths
from secnews.core.findings import SecnewsError
from secnews.core.project import load_project, read_project_file
from secnews.core.taxonomy import load_taxonomy, parse_taxonomy
from secnews.model.json_schema import build_document_schema

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test locates the project anew; the suite's project is restored afterwards."""
    monkeypatch.delenv("SECNEWS_HOME", raising=False)
    paths.use_project(None)
    yield
    monkeypatch.undo()
    paths.use_project(None)


def _project(folder: Path, name: str = "toy", languages: str = '["en"]') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "secnews.toml").write_text(
        f'[dataset]\nname = "{name}"\nlanguages = {languages}\ndescription = "A toy."\n', encoding="utf-8"
    )
    return folder


def test_the_project_is_found_by_walking_up_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "corpus-repo")
    deep = root / "corpus" / "documents"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    paths.clear_caches()
    assert paths.project_root() == root.resolve()
    assert paths.documents_dir() == root.resolve() / "corpus" / "documents"
    assert paths.schema_dir() == root.resolve() / "schema"
    assert load_project().name == "toy" and load_project().languages == ("en",)


def test_without_a_project_the_packaged_default_schema_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths.clear_caches()
    loc = paths.locate()
    assert loc.project_file is None and loc.root == tmp_path.resolve()
    assert (loc.schema_dir / "taxonomy.yaml").is_file()
    assert load_project().name == "secnews-fr"
    assert load_taxonomy().entity_types[0] == "PER"


def test_packaged_defaults_are_this_repository_s_files_not_copies() -> None:
    """The wheel's default schema and identity are the reviewed files themselves (symlinks)."""
    assert paths.packaged_project_file().read_bytes() == (ROOT / "secnews.toml").read_bytes()
    packaged = paths.packaged_schema_dir()
    for name in ("taxonomy.yaml", "document.schema.json", "actors.yaml", "labelstudio.xml"):
        assert (packaged / name).read_bytes() == (ROOT / "schema" / name).read_bytes(), name
    assert (ROOT / "src" / "secnews" / paths.DEFAULT_SCHEMA_RESOURCE).is_symlink()
    assert (ROOT / "src" / "secnews" / paths.DEFAULT_PROJECT_RESOURCE).is_symlink()


def test_explicit_project_wins_and_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path / "here", name="here"))
    other = _project(tmp_path / "other", name="other")
    monkeypatch.setenv("SECNEWS_HOME", str(other))
    paths.clear_caches()
    assert load_project().name == "other"
    paths.use_project(tmp_path / "here")
    assert load_project().name == "here"
    paths.use_project(tmp_path / "nowhere")
    with pytest.raises(SecnewsError) as err:
        paths.locate()
    assert err.value.findings[0].code == "PROJECT_NOT_FOUND" and "--project" in err.value.findings[0].message
    paths.use_project(None)
    monkeypatch.setenv("SECNEWS_HOME", str(tmp_path))
    with pytest.raises(SecnewsError) as err:
        paths.locate()
    assert "SECNEWS_HOME" in err.value.findings[0].message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[dataset\nname=", "Expected"),
        ('[other]\nname = "x"\n', "no [dataset] table"),
        ('[dataset]\nname = "x"\nlanguages = ["fr"]\n', "lacks description"),
        ('[dataset]\nname = "x"\nlanguages = "fr"\ndescription = 3\n', "description must be"),
        ('[dataset]\nname = "x"\nlanguages = []\ndescription = "d"\n', "languages is empty"),
        ('[dataset]\nname = "x"\nlanguages = ["fr"]\ndescription = "d"\ntags = [1]\n', "tags must be"),
    ],
)
def test_a_broken_project_file_is_a_coded_error(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "secnews.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SecnewsError) as err:
        read_project_file(path)
    finding = err.value.findings[0]
    assert finding.code == "PROJECT_INVALID" and words in finding.message and finding.file == str(path)


def test_identity_defaults_follow_the_name(tmp_path: Path) -> None:
    identity = read_project_file(_project(tmp_path, name="cyber-news") / "secnews.toml")
    assert identity.pretty_name == "cyber-news" and identity.hub_repo == "<org>/cyber-news"
    assert identity.citation.authors == "cyber-news maintainers" and identity.slug == "cyber_news"
    assert identity.summary == "A toy." and identity.keywords == identity.tags == ()


def test_this_repository_s_identity_gives_today_s_schema() -> None:
    """The language const, $id and title of schema/document.schema.json come from secnews.toml."""
    identity = read_project_file(ROOT / "secnews.toml")
    tax = load_taxonomy(ROOT / "schema" / "taxonomy.yaml")
    schema = build_document_schema(tax, identity)
    committed = json.loads((ROOT / "schema" / "document.schema.json").read_text(encoding="utf-8"))
    assert schema == committed
    assert schema["$defs"]["meta"]["properties"]["language"] == {"const": "fr"}


def test_several_languages_are_an_enum(tmp_path: Path) -> None:
    identity = read_project_file(_project(tmp_path, languages='["fr", "en"]') / "secnews.toml")
    schema = build_document_schema(load_taxonomy(ROOT / "schema" / "taxonomy.yaml"), identity)
    assert schema["$defs"]["meta"]["properties"]["language"] == {"enum": ["fr", "en"]}
    assert (
        schema["title"].startswith("toy canonical document")
        and schema["$id"] == "urn:toy:document.schema.json"
    )


def test_a_taxonomy_lacking_a_section_is_a_coded_error(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "schema" / "taxonomy.yaml").read_text(encoding="utf-8"))
    del data["claims"]
    with pytest.raises(SecnewsError) as err:
        parse_taxonomy(data, tmp_path / "taxonomy.yaml")
    assert err.value.findings[0].code == "TAXONOMY_INVALID" and "claims" in err.value.findings[0].message
    data = yaml.safe_load((ROOT / "schema" / "taxonomy.yaml").read_text(encoding="utf-8"))
    data["roles"][0].pop("accepts")
    with pytest.raises(SecnewsError, match="accepts"):
        parse_taxonomy(data)
    (tmp_path / "bad.yaml").write_text("a: [", encoding="utf-8")
    with pytest.raises(SecnewsError, match="TAXONOMY_INVALID"):
        load_taxonomy(tmp_path / "bad.yaml")
