"""``secnews init``: a new corpus project that validates, converts and releases out of the box.

Another team adopting the toolkit needs the same layout this repository has (a project file, the schema
as reviewed data, one file per document, a CI gate), not a copy of this repository. The scaffold
writes that layout around its own taxonomy: the JSON Schema and the Label Studio config are generated
from it, and the CI files install the toolkit from the package registry, not from a checkout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.core.fs import atomic_write_bytes, atomic_write_text
from secnews.core.paths import PROJECT_FILE, packaged_schema_dir
from secnews.core.project import Identity, parse_identity
from secnews.core.taxonomy import read_taxonomy
from secnews.labelstudio.config import build_config
from secnews.model.json_schema import render_document_schema

register(
    Rule(
        "PROJECT_EXISTS",
        "Project exists",
        "error",
        "{root} already holds a {project_file}: not overwritten",
        "`secnews init` never overwrites a project: its schema and identity are reviewed data.",
        "project",
    ),
)

DISTRIBUTION = "secnews-fr"


@dataclass(frozen=True)
class Scaffold:
    root: Path
    identity: Identity
    files: tuple[Path, ...]


def toolkit_requirement() -> str:
    """The pip requirement that installs this toolkit's version (what the CI files pin)."""
    try:
        return f"{DISTRIBUTION}=={metadata.version(DISTRIBUTION)}"
    except metadata.PackageNotFoundError:  # a source checkout run without installing the wheel
        return DISTRIBUTION


def _toml(value: str | list[str]) -> str:
    # JSON strings and arrays of strings are valid TOML basic strings and arrays
    return json.dumps(value, ensure_ascii=False)


def render_project_file(name: str, languages: list[str]) -> str:
    lines = [
        f"# The project file of the {name} corpus (created by `secnews init`). The toolkit finds the project",
        "# by walking up to this file; [dataset] names the dataset in the JSON Schema, the card and Croissant.",
        "",
        "[dataset]",
        f"name = {_toml(name)}",
        f"pretty_name = {_toml(name)}",
        f"languages = {_toml(languages)}",
        f'description = """\n{name}: an annotated corpus of news articles (describe its sources and layers here).\n"""',
        f"summary = {_toml(f'{name}: an annotated corpus of news articles')}",
        f"hub_repo = {_toml(f'<org>/{name}')}",
        "licenses = []",
        "source_datasets = []",
        "tags = []",
        "",
        "[dataset.citation]",
        f"title = {_toml(name)}",
        f"authors = {_toml(f'{name} maintainers')}",
        "",
    ]
    return "\n".join(lines)


WORKFLOW = """\
# Validates every pull request that adds or changes documents (inline annotations on the diff).
name: validate
on:
  pull_request:
  push:
    branches: [main]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
      - run: pip install "{requirement}"
      - run: secnews schema check
      - run: secnews validate --format github --allow-empty
"""

PRE_COMMIT = """\
# `pre-commit install`, then every commit that changes a document is validated against schema/.
repos:
  - repo: local
    hooks:
      - id: secnews-validate
        name: secnews validate
        entry: secnews validate
        language: python
        additional_dependencies: ["{requirement}"]
        files: ^corpus/documents/.*\\.json$
        types: [json]
"""

CHANGELOG = """\
# Schema changelog of {name}

## {version}

- First version (`secnews init`).
"""


def init_project(
    root: Path | str,
    *,
    taxonomy: Path | None = None,
    name: str | None = None,
    languages: list[str] | None = None,
) -> Scaffold:
    """Write a new project under ``root``: project file, schema/, corpus/documents/, CI and pre-commit.

    Without ``taxonomy`` the default schema shipped in the package is copied (with its actor registry).
    A broken taxonomy is a coded error before anything is written.
    """
    root = Path(root).resolve()
    if (root / PROJECT_FILE).exists():
        raise SecnewsError(
            make_finding("PROJECT_EXISTS", file=str(root), root=root, project_file=PROJECT_FILE)
        )
    source = Path(taxonomy) if taxonomy is not None else packaged_schema_dir() / "taxonomy.yaml"
    tax = read_taxonomy(source)
    name = name or root.name
    project_text = render_project_file(name, languages or ["fr"])
    identity = parse_identity(_parse_toml(project_text), root / PROJECT_FILE)
    requirement = toolkit_requirement()
    schema = root / "schema"
    outputs = {
        root / PROJECT_FILE: project_text,
        schema / "taxonomy.yaml": source.read_text(encoding="utf-8"),
        schema / "document.schema.json": render_document_schema(tax, identity),
        schema / "labelstudio.xml": build_config(tax),
        schema / "CHANGELOG.md": CHANGELOG.format(name=name, version=tax.schema_version),
        root / "corpus" / "documents" / ".gitkeep": "",
        root / ".github" / "workflows" / "validate.yml": WORKFLOW.format(requirement=requirement),
        root / ".pre-commit-config.yaml": PRE_COMMIT.format(requirement=requirement),
        root / ".gitignore": "build/\n",
    }
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
    written = list(outputs)
    actors = packaged_schema_dir() / "actors.yaml"
    if taxonomy is None and actors.exists():
        atomic_write_bytes(schema / "actors.yaml", actors.read_bytes())
        written.append(schema / "actors.yaml")
    return Scaffold(root, identity, tuple(written))


def _parse_toml(text: str) -> object:
    import tomllib

    return tomllib.loads(text)["dataset"]
