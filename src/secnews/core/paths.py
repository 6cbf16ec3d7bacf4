"""Where the project's data lives: found from the working directory, never from the installed package.

A corpus project is a folder holding a project file (``secnews.toml``) next to its ``schema/`` and
``corpus/`` folders. Like git or pre-commit, the toolkit finds it by walking up from the working
directory, so a wheel installed anywhere works on the corpus it is run in. The order is:

1. ``secnews --project DIR`` (:func:`use_project`);
2. the ``SECNEWS_HOME`` environment variable (an override for scripts and services);
3. the nearest folder at or above the working directory that holds ``secnews.toml``;
4. none: the working directory, with the default schema and identity shipped inside the package
   (package data read with :mod:`importlib.resources`), so ``secnews synth`` and ``secnews validate``
   work in an empty folder.

An explicit project (1 or 2) that has no project file is a coded error (``PROJECT_NOT_FOUND``).
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from secnews.core.findings import Rule, SecnewsError, make_finding, register

PROJECT_FILE = "secnews.toml"
#: the folder of package data that holds the default schema (this repository's ``schema/``)
DEFAULT_SCHEMA_RESOURCE = "default_schema"
#: the package data copy of this repository's project file (the default identity)
DEFAULT_PROJECT_RESOURCE = "default_project.toml"

register(
    Rule(
        "PROJECT_NOT_FOUND",
        "Project not found",
        "error",
        "no {project_file} in {root} ({how})",
        "`--project DIR` and SECNEWS_HOME must name a corpus project (a folder with secnews.toml); "
        "`secnews init DIR` creates one.",
        "project",
    ),
)

_explicit: Path | None = None


@dataclass(frozen=True)
class Location:
    """The project in use: its root folder, its project file (None: the packaged default), its schema."""

    root: Path
    project_file: Path | None
    schema_dir: Path


def use_project(root: Path | str | None) -> None:
    """Make ``root`` the project of this process (``secnews --project``); None goes back to discovery."""
    global _explicit
    _explicit = Path(root).resolve() if root is not None else None
    clear_caches()


def clear_caches() -> None:
    """Forget the located project and everything loaded from it (tests switch projects in one process)."""
    from secnews.core import project, taxonomy

    locate.cache_clear()
    taxonomy.clear_cache()
    project.load_project.cache_clear()


def find_project_file(start: Path) -> Path | None:
    """The nearest ``secnews.toml`` at or above ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


@cache
def locate() -> Location:
    """The project in use (see the module's docstring for the order)."""
    for root, how in ((_explicit, "--project"), (_env_home(), "SECNEWS_HOME")):
        if root is not None:
            pf = root / PROJECT_FILE
            if not pf.is_file():
                raise SecnewsError(
                    make_finding(
                        "PROJECT_NOT_FOUND", file=str(root), project_file=PROJECT_FILE, root=root, how=how
                    )
                )
            return Location(root, pf, root / "schema")
    found = find_project_file(Path.cwd())
    if found is not None:
        return Location(found.parent, found, found.parent / "schema")
    return Location(Path.cwd().resolve(), None, packaged_schema_dir())


def _env_home() -> Path | None:
    env = os.environ.get("SECNEWS_HOME")
    return Path(env).resolve() if env else None


_resources = ExitStack()


@cache
def packaged_schema_dir() -> Path:
    """The default schema shipped in the wheel (a real folder even from a zipped install)."""
    return Path(
        _resources.enter_context(resources.as_file(resources.files("secnews") / DEFAULT_SCHEMA_RESOURCE))
    )


@cache
def packaged_project_file() -> Path:
    """The default project file shipped in the wheel (this repository's identity)."""
    return Path(
        _resources.enter_context(resources.as_file(resources.files("secnews") / DEFAULT_PROJECT_RESOURCE))
    )


def project_root() -> Path:
    """The project's root folder (the working directory when no project file is found)."""
    return locate().root


def schema_dir() -> Path:
    return locate().schema_dir


def corpus_dir() -> Path:
    return project_root() / "corpus"


def documents_dir() -> Path:
    return corpus_dir() / "documents"
