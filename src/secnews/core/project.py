"""The project file (``secnews.toml``): the dataset's identity, read once and used by every output.

The JSON Schema (allowed ``meta.language``), the dataset card, Croissant and the citation all present the
dataset; if they held constants, every team's release would call itself "secnews-fr, Sahel". One file
holds the identity instead, in a ``[dataset]`` table, and each output reads it from here. It is also
the marker by which the project is found (:mod:`secnews.core.paths`); ``secnews init`` writes one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.core.paths import locate, packaged_project_file

register(
    Rule(
        "PROJECT_INVALID",
        "Invalid project file",
        "error",
        "{detail}",
        "The project file (secnews.toml) names the dataset in every output (schema, card, Croissant); "
        "it must be valid TOML with a [dataset] table whose required keys are present and well typed.",
        "project",
    ),
)

#: identity keys that must be present (the rest have defaults derived from ``name``)
REQUIRED = ("name", "languages", "description")


@dataclass(frozen=True)
class Citation:
    title: str
    authors: str


@dataclass(frozen=True)
class Identity:
    """Who the dataset is: the values every generated presentation of it uses."""

    name: str
    pretty_name: str
    languages: tuple[str, ...]
    #: the card's opening paragraph
    description: str
    #: one sentence, for Croissant's description (the release version is appended)
    summary: str
    hub_repo: str
    homepage: str
    schema_id: str
    citation: Citation
    licenses: tuple[str, ...]
    source_datasets: tuple[str, ...]
    #: the Hub card's tags
    tags: tuple[str, ...]
    #: Croissant's keywords
    keywords: tuple[str, ...]
    #: a region the card reports the share of (``[dataset.focus]``: name, countries), if any
    focus: tuple[str, tuple[str, ...]] | None = None

    @property
    def language(self) -> str:
        """The main language (tokenisation, new documents' ``meta.language``)."""
        return self.languages[0]

    @property
    def slug(self) -> str:
        """``name`` as an identifier (BibTeX keys)."""
        return "".join(c if c.isalnum() else "_" for c in self.name)


def _fail(path: Path, detail: str) -> SecnewsError:
    return SecnewsError(make_finding("PROJECT_INVALID", file=str(path), detail=f"{path}: {detail}"))


def _strings(table: dict[str, Any], key: str, path: Path, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    value = table.get(key, list(default))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, f"[dataset].{key} must be a list of non-empty strings")
    return tuple(value)


def _string(table: dict[str, Any], key: str, path: Path, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value:
        raise _fail(path, f"[dataset].{key} must be a non-empty string")
    return value


def parse_identity(table: Any, path: Path) -> Identity:
    """The identity of a ``[dataset]`` table (coded error naming the key when it is wrong)."""
    if not isinstance(table, dict):
        raise _fail(path, "no [dataset] table")
    missing = [k for k in REQUIRED if k not in table]
    if missing:
        raise _fail(path, f"[dataset] lacks {', '.join(missing)}")
    name = _string(table, "name", path, "")
    languages = _strings(table, "languages", path)
    if not languages:
        raise _fail(path, "[dataset].languages is empty")
    description = _string(table, "description", path, "")
    cite = table.get("citation", {})
    if not isinstance(cite, dict):
        raise _fail(path, "[dataset.citation] must be a table")
    hub_repo = _string(table, "hub_repo", path, f"<org>/{name}")
    return Identity(
        name=name,
        pretty_name=_string(table, "pretty_name", path, name),
        languages=languages,
        description=description.strip(),
        summary=_string(table, "summary", path, description.strip().split("\n\n")[0].replace("\n", " ")),
        hub_repo=hub_repo,
        homepage=_string(table, "homepage", path, f"https://huggingface.co/datasets/{hub_repo}"),
        schema_id=_string(table, "schema_id", path, f"urn:{name}:document.schema.json"),
        citation=Citation(
            title=_string(cite, "title", path, name),
            authors=_string(cite, "authors", path, f"{name} maintainers"),
        ),
        licenses=_strings(table, "licenses", path),
        source_datasets=_strings(table, "source_datasets", path),
        tags=_strings(table, "tags", path),
        keywords=_strings(table, "keywords", path, _strings(table, "tags", path)),
        focus=_focus(table.get("focus"), path),
    )


def _focus(table: Any, path: Path) -> tuple[str, tuple[str, ...]] | None:
    """The optional focus region: the card says honestly how much of the corpus is about it."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise _fail(path, "[dataset.focus] must be a table with name and countries")
    return _string(table, "name", path, ""), _strings(table, "countries", path)


def read_project_file(path: Path) -> Identity:
    """Read the ``[dataset]`` table of a ``secnews.toml``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path, str(exc)) from None
    return parse_identity(data.get("dataset"), path)


@cache
def load_project() -> Identity:
    """The identity of the project in use (the packaged default when there is no project file)."""
    loc = locate()
    return read_project_file(loc.project_file or packaged_project_file())
