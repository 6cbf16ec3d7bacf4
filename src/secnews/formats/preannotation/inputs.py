"""Input shards: which Parquet files a run reads, and how each row becomes a canonical document.

Two table shapes are accepted, recognised by their columns: the release's ``documents`` table (a
document row rebuilt with :func:`secnews.formats.rows.document_from_rows`, its annotation sets left
out: the output carries only the prediction set) and a plain articles table (``id``, ``text``,
``published`` and optional ``title``, ``url``, ``license``). A row that cannot become a document is
returned as a coded finding, never raised: one bad article must not stop a job of millions.
"""

from __future__ import annotations

import datetime as dt
import glob
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from secnews.core.findings import Finding, Rule, SecnewsError, make_finding, register
from secnews.formats.rows import Row, document_from_rows
from secnews.model.document import SCHEMA_VERSION, Document

register(
    Rule(
        "PREANNOTATE_NO_INPUT",
        "No input shards",
        "error",
        "no Parquet shard matches {spec!r}",
        "Pre-annotating Parquet needs a .parquet file, a folder holding some, or a glob of shards.",
        "preannotate",
    ),
    Rule(
        "PREANNOTATE_BAD_TABLE",
        "Input table of an unknown shape",
        "error",
        "{file} is neither a documents table nor an articles table: {detail}",
        "An input shard is the release's documents table or a plain articles table with the columns "
        "id, text, published (ISO date) and optional title, url, license.",
        "preannotate",
    ),
    Rule(
        "PREANNOTATE_SHARD_CLASH",
        "Two input shards with one name",
        "error",
        "input shards {first} and {second} would both write {name}",
        "Output shards are named after their input shards (that is how a rerun knows what is done), "
        "so two inputs may not share a file name.",
        "preannotate",
    ),
    Rule(
        "PREANNOTATE_FAILED",
        "Pre-annotation failed on a document",
        "error",
        "pre-annotation failed: {detail}",
        "An unexpected error while parsing or predicting one document; the document is reported and "
        "the job goes on with the others.",
        "preannotate",
    ),
)

ARTICLE_COLUMNS = ("id", "text", "published")
ARTICLE_OPTIONAL = ("title", "url", "license")
#: columns that mark the release's documents table (an articles table has none of them)
DOCUMENTS_MARKERS = ("schema_version", "num_annotation_sets", "published_iso")
DEFAULT_LICENSE = "unknown"
SOURCE = "parquet"


def input_shards(spec: str | Path) -> list[Path]:
    """The Parquet files of a file, a folder (searched recursively) or a glob, in sorted order."""
    path = Path(spec)
    if path.is_file():
        found = [path]
    elif path.is_dir():
        found = sorted(path.rglob("*.parquet"))
    else:
        found = sorted(Path(p) for p in glob.glob(str(spec), recursive=True) if Path(p).is_file())
    if not found:
        raise SecnewsError(make_finding("PREANNOTATE_NO_INPUT", file=str(spec), spec=str(spec)))
    _check_names(found)
    return found


def _check_names(paths: list[Path]) -> None:
    seen: dict[str, Path] = {}
    for p in paths:
        if p.name in seen:
            raise SecnewsError(
                make_finding(
                    "PREANNOTATE_SHARD_CLASH",
                    file=str(p),
                    first=str(seen[p.name]),
                    second=str(p),
                    name=p.name,
                )
            )
        seen[p.name] = p


def table_shape(schema: pa.Schema, file: str) -> str:
    """``documents`` or ``articles`` from a shard's columns (a coded error for anything else)."""
    names = set(schema.names)
    if all(m in names for m in DOCUMENTS_MARKERS):
        return "documents"
    missing = [c for c in ARTICLE_COLUMNS if c not in names]
    if missing:
        raise SecnewsError(
            make_finding("PREANNOTATE_BAD_TABLE", file=file, detail=f"no column {', '.join(missing)}")
        )
    return "articles"


def shard_rows(path: Path, batch_rows: int = 1000) -> Iterator[list[Row]]:
    """The rows of one shard in batches (Arrow reads a row group at a time, memory stays flat)."""
    try:
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(batch_size=batch_rows):
            yield batch.to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise SecnewsError(make_finding("PARQUET_UNREADABLE", file=str(path), detail=str(exc))) from None


def shard_shape(path: Path) -> str:
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        raise SecnewsError(make_finding("PARQUET_UNREADABLE", file=str(path), detail=str(exc))) from None
    return table_shape(schema, str(path))


def shard_row_count(path: Path) -> int:
    """Rows of a shard from its footer (no data read): how the Ray engine knows a shard is complete."""
    return int(pq.ParquetFile(path).metadata.num_rows)


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value if isinstance(value, str) else None


def article_document(row: Row) -> Document:
    """A canonical document of an articles-table row (no annotation set yet)."""
    meta: dict[str, Any] = {
        "published": _iso(row.get("published")),
        "source": SOURCE,
        "language": "fr",
        "license": row.get("license") or DEFAULT_LICENSE,
    }
    for key in ("title", "url"):
        if row.get(key) is not None:
            meta[key] = row[key]
    return {
        "schema_version": SCHEMA_VERSION,
        "id": row.get("id"),
        "text": row.get("text"),
        "meta": meta,
        "annotations": [],
    }


def row_document(row: Row, shape: str) -> Document | Finding:
    """The document of one input row, or the finding that says why there is none."""
    doc_id = row.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        return make_finding("PREANNOTATE_BAD_DOCUMENT", doc_id=None, detail=f"row without an id ({doc_id!r})")
    if shape == "articles":
        return article_document(row)
    try:
        return document_from_rows({**row, "num_annotation_sets": 0}, [])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return make_finding(
            "PREANNOTATE_BAD_DOCUMENT",
            doc_id=doc_id,
            detail=f"bad documents row ({type(exc).__name__}: {exc})",
        )


def articles_table(docs: Iterator[Document] | list[Document]) -> pa.Table:
    """The plain articles table of canonical documents (to build inputs for tests and benchmarks)."""
    rows = [
        {
            "id": d["id"],
            "text": d["text"],
            "published": d["meta"]["published"],
            "title": d["meta"].get("title"),
            "url": d["meta"].get("url"),
            "license": d["meta"].get("license"),
        }
        for d in docs
    ]
    schema = pa.schema([(c, pa.string()) for c in (*ARTICLE_COLUMNS, *ARTICLE_OPTIONAL)])
    return pa.Table.from_pylist(rows, schema=schema)
