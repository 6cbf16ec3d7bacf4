"""Where the project's data lives.

The schema files ship inside the repository (``schema/``), not inside the wheel, because they are the
data contract reviewed in pull requests. An editable install finds them next to ``src/``; the
``SECNEWS_HOME`` variable points elsewhere for a non-editable install.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The repository root: ``SECNEWS_HOME`` if set, else three levels above this module."""
    env = os.environ.get("SECNEWS_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]


def schema_dir() -> Path:
    return project_root() / "schema"


def corpus_dir() -> Path:
    return project_root() / "corpus"


def documents_dir() -> Path:
    return corpus_dir() / "documents"
