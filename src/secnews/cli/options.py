"""Options every command shares, defined once so that they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def paths_argument(*, exists: bool = False) -> Callable[[F], F]:
    """``PATHS...``: files or folders (searched for documents); the command says what none means."""
    return click.argument("paths", nargs=-1, type=click.Path(exists=exists, path_type=Path))


def format_option(*choices: str, help: str | None = None) -> Callable[[F], F]:
    """``--format``: the first choice is the default (the one for people); the value reaches ``fmt``."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True, help=help
    )


def records_option() -> Callable[[F], F]:
    """``--records DIR``: the release records (frozen splits are read from them); value in ``records_dir``."""
    return click.option(
        "--records",
        "records_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Default: corpus/releases.",
    )
