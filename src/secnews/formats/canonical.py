"""The canonical corpus: a directory of ``<id>.json`` documents (``corpus/documents``), or one document file."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import current_umask
from secnews.formats.spec import Format, Match, OnDocument
from secnews.model.document import Document, iter_documents, save_document


def read(src: Path, batch_size: int) -> Iterator[Document]:
    if not src.exists():
        raise SecnewsError(make_finding("UNREADABLE_FILE", file=str(src), detail="no such file or directory"))
    return (doc for _, doc in iter_documents([src]))


def write(docs: Iterable[Document], dst: Path, batch_size: int, on_document: OnDocument) -> dict[str, Any]:
    """Write into a staging directory beside ``dst``, then move it into place.

    A new ``dst`` appears whole (one rename) or not at all; into an existing directory the files are
    moved in only once every document was written, so a bad document late in the stream (or a kill)
    leaves ``dst`` as it was.
    """
    dst.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent))
    try:
        count = 0
        for doc in docs:
            save_document(doc, staging)
            count += 1
            if on_document is not None:
                on_document(doc)
        if not dst.exists():
            os.chmod(staging, 0o777 & ~current_umask())
            os.rename(staging, dst)
        else:
            for path in sorted(staging.iterdir()):
                os.replace(path, dst / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"documents": count}


def recognise(path: Path, role: str) -> Match:
    """Only ever a guess: an existing directory, or a ``*.json`` file that no other format claimed (the
    registry asks Label Studio first). A new path without a suffix is not guessed: ``build/pq`` could be
    meant for any format, and writing canonical JSON there silently is worse than asking for ``--to``."""
    if path.name.lower().endswith(".json") or path.is_dir():
        return Match.GUESS
    return Match.NO


FORMAT = Format("canonical", read, write, recognise)
