"""``secnews convert``: stream documents from any registered format into any other."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from secnews.core.findings import SecnewsError
from secnews.formats.parquet import DEFAULT_BATCH_SIZE
from secnews.formats.registry import get_format, infer_format
from secnews.formats.spec import OnDocument
from secnews.model.document import Document
from secnews.validate.engine import validate_document


def convert(
    src: Path | str,
    dst: Path | str,
    src_format: str | None = None,
    dst_format: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_document: OnDocument = None,
    validate: bool = False,
) -> dict[str, Any]:
    """Convert a corpus between formats, streaming; returns a summary (formats, counts, paths)."""
    reader = get_format(src_format or infer_format(src, "src"), src)
    writer = get_format(dst_format or infer_format(dst, "dst"), dst)
    docs: Iterable[Document] = reader.read(Path(src), batch_size)
    if validate:
        docs = _validated(docs)
    summary: dict[str, Any] = {"from": reader.name, "to": writer.name, "src": str(src), "dst": str(dst)}
    created = _missing_ancestors(Path(dst))
    try:
        summary.update(writer.write(docs, Path(dst), batch_size, on_document))
    except BaseException:
        for directory in created:  # deepest first: a refused conversion leaves no empty folders behind
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    return summary


def _missing_ancestors(dst: Path) -> list[Path]:
    """The folders above ``dst`` that do not exist yet (a writer creates them), deepest first."""
    missing = []
    parent = dst.absolute().parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    return missing


def _validated(docs: Iterable[Document]) -> Iterator[Document]:
    """Stop at the first invalid document: a converted corpus must not carry errors it never had checked."""
    for doc in docs:
        errors = [f for f in validate_document(doc) if f.severity == "error"]
        if errors:
            raise SecnewsError(*errors)
        yield doc
