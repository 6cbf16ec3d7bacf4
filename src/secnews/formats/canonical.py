"""The canonical corpus: a directory of ``<id>.json`` documents (``corpus/documents``), or one document file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from secnews.core.findings import SecnewsError, make_finding
from secnews.formats.spec import Format, Match, OnDocument
from secnews.model.document import Document, iter_documents, save_document


def read(src: Path, batch_size: int) -> Iterator[Document]:
    if not src.exists():
        raise SecnewsError(make_finding("UNREADABLE_FILE", file=str(src), detail="no such file or directory"))
    return (doc for _, doc in iter_documents([src]))


def write(docs: Iterable[Document], dst: Path, batch_size: int, on_document: OnDocument) -> dict[str, Any]:
    count = 0
    for doc in docs:
        save_document(doc, dst)
        count += 1
        if on_document is not None:
            on_document(doc)
    return {"documents": count}


def recognise(path: Path, role: str) -> Match:
    """Only ever a guess: any directory, a ``*.json`` file that no other format claimed (the registry
    asks Label Studio first), or a destination without a suffix."""
    if path.name.lower().endswith(".json") or path.is_dir() or (role == "dst" and not path.suffix):
        return Match.GUESS
    return Match.NO


FORMAT = Format("canonical", read, write, recognise)
