"""The formats ``secnews convert`` knows, looked up by name or recognised from a path.

Adding a format = adding a module that declares ``FORMAT`` (:class:`secnews.formats.spec.Format`)
and listing it below. The order is the order of recognition: the first format *sure* of a path wins,
else the first that *guesses* it (so a content check, such as a folder holding ``documents.parquet``,
beats a name that only suggests a format), and the canonical directory is the last resort.
"""

from __future__ import annotations

from pathlib import Path

from secnews.core.findings import SecnewsError, make_finding
from secnews.formats import canonical, hf, jsonl, labelstudio, parquet
from secnews.formats.spec import Format, Match

REGISTRY: dict[str, Format] = {m.FORMAT.name: m.FORMAT for m in (jsonl, parquet, hf, labelstudio, canonical)}
#: the names, for the command line's choices
FORMATS: tuple[str, ...] = tuple(REGISTRY)


def get_format(name: str, path: Path | str | None = None) -> Format:
    try:
        return REGISTRY[name]
    except KeyError:
        raise SecnewsError(
            make_finding(
                "CONVERT_UNKNOWN_FORMAT",
                file=None if path is None else str(path),
                detail=f"unknown format {name!r}",
            )
        ) from None


def infer_format(path: Path | str, role: str) -> str:
    """The format of a source (``role="src"``) or destination (``role="dst"``) path."""
    path = Path(path)
    guess: str | None = None
    for fmt in REGISTRY.values():
        match = fmt.recognise(path, role)
        if match is Match.SURE:
            return fmt.name
        if match is Match.GUESS and guess is None:
            guess = fmt.name
    if guess is not None:
        return guess
    raise SecnewsError(
        make_finding(
            "CONVERT_UNKNOWN_FORMAT",
            file=str(path),
            detail=f"cannot infer the format of {path}; use --from/--to",
        )
    )
