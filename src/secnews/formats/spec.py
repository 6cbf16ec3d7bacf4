"""What a format module declares to the registry: a name, a reader, a writer and a recogniser.

Kept apart from :mod:`secnews.formats.registry` because the registry imports every format module:
the format modules import this one, never the registry, so adding a format adds no cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from secnews.model.document import Document

OnDocument = Callable[[Document], None] | None
Reader = Callable[[Path, int], Iterator[Document]]
Writer = Callable[[Iterable[Document], Path, int, OnDocument], dict[str, Any]]


class Match(IntEnum):
    """How sure a format is that a path is its own: the content (or an unambiguous name) proves it,
    or only the name suggests it (a destination that does not exist yet), or not at all."""

    NO = 0
    GUESS = 1
    SURE = 2


@dataclass(frozen=True)
class Format:
    """One format of ``secnews convert``.

    ``read(src, batch_size)`` streams documents; ``write(docs, dst, batch_size, on_document)`` writes
    them and returns the counts for the summary; ``recognise(path, role)`` says whether a source
    (``role="src"``) or destination (``role="dst"``) path looks like this format.
    """

    name: str
    read: Reader
    write: Writer
    recognise: Callable[[Path, str], Match]
