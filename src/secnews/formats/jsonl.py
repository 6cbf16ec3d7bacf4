"""JSON Lines: one canonical document per line, keys sorted, UTF-8 (the format for streaming tools)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import orjson

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_target
from secnews.formats.spec import Format, Match, OnDocument
from secnews.model.document import Document


def iter_jsonl(path: Path | str) -> Iterator[Document]:
    """Documents of a JSONL file, one per line (blank lines skipped), with coded errors per line."""
    path = Path(path)
    if not path.is_file():
        raise SecnewsError(make_finding("UNREADABLE_FILE", file=str(path), detail="no such file"))
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                doc = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise SecnewsError(
                    make_finding("MALFORMED_JSON", file=str(path), line=number, detail=str(exc))
                ) from None
            if not isinstance(doc, dict):
                raise SecnewsError(
                    make_finding("NOT_AN_OBJECT", file=str(path), line=number, found=type(doc).__name__)
                )
            yield doc


def write_jsonl(docs: Iterable[Document], path: Path | str, on_document: OnDocument = None) -> int:
    """Write documents as JSONL (sorted keys, UTF-8), atomically; return the count."""
    path = Path(path)
    count = 0
    with ExitStack() as stack:
        tmp = atomic_target(path, stack)
        with open(tmp, "wb") as fh:
            for doc in docs:
                fh.write(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE))
                count += 1
                if on_document is not None:
                    on_document(doc)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    return count


def read(src: Path, batch_size: int) -> Iterator[Document]:
    return iter_jsonl(src)


def write(docs: Iterable[Document], dst: Path, batch_size: int, on_document: OnDocument) -> dict[str, Any]:
    return {"documents": write_jsonl(docs, dst, on_document)}


def recognise(path: Path, role: str) -> Match:
    return Match.SURE if path.name.lower().endswith(".jsonl") else Match.NO


FORMAT = Format("jsonl", read, write, recognise)
