"""Canonical documents on disk: one JSON file per document in ``corpus/documents/<id>.json``.

The on-disk form is deterministic (sorted keys, 2-space indent, UTF-8 without ASCII escaping, one
trailing newline) so that a pull-request diff shows exactly the annotations that changed. Writes go to
a temporary file in the same directory and are renamed into place, so a crash never leaves half a
document behind. Reading a corpus is a generator: memory never grows with the corpus.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from secnews.core.findings import SecnewsError, make_finding

DOCUMENT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
SCHEMA_VERSION = "1.0.0"

Document = dict[str, Any]
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while streaming many documents, restoring it after.

    Parsed JSON documents (and the findings, rows and tasks built from them) are trees, freed by
    reference counting as soon as the next document replaces them; the cyclic collector only re-walks
    the young objects of every parse, about a fifth of the time of a 100k-document run, and finds
    nothing. Memory stays flat because nothing here is cyclic.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def dumps_document(doc: Document) -> str:
    """The canonical text of a document (what is written to disk)."""
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace`` (atomic on POSIX)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; released files must be readable by others
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def write_document(doc: Document, path: Path) -> None:
    """Write one document in canonical form, atomically."""
    atomic_write_text(path, dumps_document(doc))


def document_path(directory: Path, doc_id: str) -> Path:
    return Path(directory) / f"{doc_id}.json"


def save_document(doc: Document, directory: Path) -> Path:
    """Write a document under ``directory`` as ``<id>.json`` and return the path."""
    doc_id = doc.get("id", "")
    if not isinstance(doc_id, str) or not DOCUMENT_ID_RE.match(doc_id):
        raise SecnewsError(make_finding("BAD_DOCUMENT_ID", doc_id=str(doc_id), value=doc_id))
    path = document_path(directory, doc_id)
    write_document(doc, path)
    return path


def parse_document_bytes(data: bytes, path: Path | str = "<bytes>") -> Document:
    """Parse a document's bytes, turning every reading failure into a coded error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SecnewsError(make_finding("BAD_ENCODING", file=str(path), detail=str(exc))) from None
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise SecnewsError(make_finding("MALFORMED_JSON", file=str(path), detail=str(exc))) from None
    if not isinstance(doc, dict):
        raise SecnewsError(make_finding("NOT_AN_OBJECT", file=str(path), found=type(doc).__name__))
    return doc


def read_document(path: Path) -> Document:
    """Read one canonical document (coded ``SecnewsError`` on any failure)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SecnewsError(
            make_finding("UNREADABLE_FILE", file=str(path), detail=exc.strerror or str(exc))
        ) from None
    return parse_document_bytes(data, path)


def _sorted_paths(paths: Iterable[Path]) -> list[Path]:
    """``sorted(paths)``; on POSIX keyed by ``parts`` (the same order: Path comparison compares the
    parts there) because ``Path.__lt__`` took seconds on a 100k-file corpus."""
    if os.name == "posix":
        return sorted(paths, key=lambda q: q.parts)
    return sorted(paths)


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Every ``*.json`` file named or found (recursively, sorted) under the given paths.

    A directory named ``corpus/`` is searched whole; files and directories are yielded in a stable
    order so that reports and releases are reproducible.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from _sorted_paths(q for q in p.rglob("*.json") if not q.name.startswith("."))
        else:
            yield p


#: directories under corpus/ that hold other JSON (release records, source material), not documents
NON_DOCUMENT_DIRS = frozenset({"releases", "sources"})


def iter_document_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Like :func:`expand_paths`, but a directory walk skips release records and source material.

    A file named explicitly is always returned: the user asked for it.
    """
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            yield p
            continue
        root = len(str(p)) + 1
        for q in expand_paths([p]):
            # string ops, not Path.relative_to: this runs once per file of a 100k-file corpus
            if not NON_DOCUMENT_DIRS.intersection(str(q)[root:].split(os.sep)[:-1]):
                yield q


def iter_documents(paths: Iterable[Path | str]) -> Iterator[tuple[Path, Document]]:
    """Stream ``(path, document)`` pairs; unreadable files raise a coded ``SecnewsError``."""
    for p in iter_document_files(paths):
        yield p, read_document(p)


def gold_set(doc: Document) -> dict[str, Any] | None:
    """The document's gold annotation set, if it has one."""
    for ann in doc.get("annotations", []):
        if ann.get("status") == "gold":
            return ann
    return None


def annotation_set(doc: Document, set_id: str) -> dict[str, Any] | None:
    """An annotation set by id, or by the selectors ``gold`` / ``annotator:<name>``."""
    if set_id == "gold":
        return gold_set(doc)
    for ann in doc.get("annotations", []):
        if ann.get("id") == set_id or f"annotator:{ann.get('annotator')}" == set_id:
            return ann
    return None
