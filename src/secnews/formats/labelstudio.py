"""Label Studio: a JSON export (a ``*.json`` array of tasks) to read, tasks (every set as predictions) to write.

The conversion itself is the bridge's (:mod:`secnews.labelstudio`); this module only streams it. A
task that cannot be converted stops the conversion with the bridge's coded findings (``secnews ls
import`` is the command that merges and stages).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from secnews.core.findings import SecnewsError, make_finding
from secnews.formats.spec import Format, Match, OnDocument
from secnews.labelstudio.export_reader import iter_export
from secnews.labelstudio.exporter import document_to_task, write_tasks
from secnews.labelstudio.tasks import task_to_document
from secnews.model.document import Document


def iter_labelstudio_export(path: Path | str) -> Iterator[Document]:
    """Documents of a Label Studio JSON export, one per task, streamed."""
    path = Path(path)
    if not path.is_file():
        raise SecnewsError(make_finding("UNREADABLE_FILE", file=str(path), detail="no such file"))
    with open(path, "rb") as fh:
        for index, task in iter_export(fh, str(path)):
            converted = task_to_document(task, index, file=str(path))
            errors = [f for f in converted.findings if f.severity == "error"]
            if converted.doc is None or errors:
                raise SecnewsError(*(errors or converted.findings))
            yield converted.doc


def read(src: Path, batch_size: int) -> Iterator[Document]:
    return iter_labelstudio_export(src)


def write(docs: Iterable[Document], dst: Path, batch_size: int, on_document: OnDocument) -> dict[str, Any]:
    def tasks() -> Iterator[dict[str, Any]]:
        for doc in docs:
            yield document_to_task(doc)
            if on_document is not None:
                on_document(doc)

    return {"documents": int(write_tasks(tasks(), dst))}


def recognise(path: Path, role: str) -> Match:
    """A ``*.json`` destination is Label Studio tasks; a ``*.json`` source is an export when it holds a
    JSON array (a canonical document is an object)."""
    if not path.name.lower().endswith(".json"):
        return Match.NO
    return Match.SURE if role == "dst" or _first_byte(path) == b"[" else Match.NO


def _first_byte(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(4096).lstrip()[:1]
    except OSError as exc:
        raise SecnewsError(make_finding("UNREADABLE_FILE", file=str(path), detail=str(exc))) from None


FORMAT = Format("labelstudio", read, write, recognise)
