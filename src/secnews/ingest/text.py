"""New articles as plain text: one file (``ingest text``) or one JSON object per line (``ingest jsonl``).

Both go through :func:`document_from_text`, so an article gets the same normalisation, id and
``meta`` whichever way it arrives. They carry no annotation set: annotators add gold, models add
predictions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from secnews.core.findings import SecnewsError, make_finding
from secnews.ingest.common import (
    CorpusIndex,
    IngestResult,
    build_meta,
    check_published,
    make_doc_id,
    new_document,
    normalize_text,
    write_ingested,
)
from secnews.model.document import Document


def document_from_text(
    text: str,
    *,
    published: str,
    doc_id: str | None = None,
    stem: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str = "unknown",
    license: str = "unknown",
    notes: str | None = None,
    authors: list[str] | None = None,
    collection: str | None = None,
    source_id: str | None = None,
    retrieved: str | None = None,
    attribution: str | None = None,
) -> Document:
    """A canonical document (not written) from an article's text and what is known about it."""
    clean = normalize_text(text)
    if not clean:
        raise SecnewsError(
            make_finding("INGEST_EMPTY_TEXT", doc_id=doc_id, detail=f" ({stem or doc_id or 'input'})")
        )
    the_id = make_doc_id(explicit=doc_id, stem=stem, title=title, text=clean)
    check_published(published, the_id)
    meta = build_meta(
        published=published,
        source=source,
        license=license,
        title=normalize_text(title) if title else None,
        url=url,
        collection=collection,
        attribution=attribution,
        source_id=source_id,
        authors=authors,
        retrieved=retrieved,
        notes=notes,
    )
    return new_document(the_id, clean, meta)


def read_text_file(path: Path) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise SecnewsError(
            make_finding("UNREADABLE_FILE", file=str(path), detail=exc.strerror or str(exc))
        ) from None
    except UnicodeDecodeError as exc:
        raise SecnewsError(make_finding("BAD_ENCODING", file=str(path), detail=str(exc))) from None


def ingest_text(
    path: Path, out_dir: Path, *, published: str, index: CorpusIndex | None = None, **fields: Any
) -> IngestResult:
    """Ingest one UTF-8 text file; the id defaults to the file stem when that is a valid id."""
    path = Path(path)
    fields.setdefault("source_id", path.name)
    doc = document_from_text(read_text_file(path), published=published, stem=path.stem, **fields)
    return write_ingested(doc, out_dir, index or CorpusIndex(out_dir))
