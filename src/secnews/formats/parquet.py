"""Canonical documents <-> Parquet (the ``documents`` and ``annotations`` tables), streaming in batches.

The pair of tables is a lossless image of a corpus: ``documents`` holds each document's id, text and
meta (plus its gold layers, for users), ``annotations`` holds every annotation set of every document
with its provenance, in document order then set order. Reading both back gives documents equal to the
canonical JSON field for field, key presence included (see :mod:`secnews.formats.arrow_schema` for the rules
that make absent and null keys round-trip; :mod:`secnews.formats.rows` for the encoding).

Memory stays flat: documents are encoded ``batch_size`` at a time and each batch becomes one Parquet
row group, so peak memory depends on the batch size, not on the corpus. Bytes are deterministic for a
given input and library version: zstd at a fixed level, no timestamps, row order = input order.
Writes go to a temporary file renamed into place, so a failed run never leaves half a table.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_target
from secnews.formats.arrow_schema import arrow_schema, label_columns
from secnews.formats.columnar import encode_batch
from secnews.formats.rows import (
    Row,
    default_codec,
    document_from_rows,
    rows_to_table,
)
from secnews.formats.spec import Format, Match, OnDocument
from secnews.model.document import Document

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3
DEFAULT_BATCH_SIZE = 1000
DOCUMENTS_FILE = "documents.parquet"
ANNOTATIONS_FILE = "annotations.parquet"


# --------------------------------------------------------------------------- writing


def _writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    return pq.ParquetWriter(
        path,
        schema,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=True,
        write_statistics=True,
    )


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_parquet(
    rows: Iterable[Row],
    path: Path | str,
    config: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    schema: pa.Schema | None = None,
) -> int:
    """Write rows of a config to one Parquet file, atomically, a row group per batch; return the count."""
    schema = schema or arrow_schema(config)
    path = Path(path)
    count = 0
    with ExitStack() as stack:
        tmp = atomic_target(path, stack)
        with _writer(tmp, schema) as writer:
            for batch in _batches(rows, batch_size):
                writer.write_table(rows_to_table(batch, schema))
                count += len(batch)
        if count == 0:
            pq.write_table(
                schema.empty_table(), tmp, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL
            )
        os.replace(tmp, path)
    return count


def write_documents_parquet(
    docs: Iterable[Document],
    out_dir: Path | str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_document: Callable[[Document], None] | None = None,
) -> tuple[int, int]:
    """Write ``documents.parquet`` and ``annotations.parquet`` under ``out_dir`` in one streaming pass.

    Both files are replaced together at the end (each atomically), so readers never see a documents
    table without its annotations. Returns (documents, annotation sets) written.
    """
    out_dir = Path(out_dir)
    codec = default_codec()
    doc_schema, ann_schema = arrow_schema("documents"), arrow_schema("annotations")
    n_docs = n_sets = 0
    with ExitStack() as stack:
        tmp_docs = atomic_target(out_dir / DOCUMENTS_FILE, stack)
        tmp_anns = atomic_target(out_dir / ANNOTATIONS_FILE, stack)
        with _writer(tmp_docs, doc_schema) as dw, _writer(tmp_anns, ann_schema) as aw:
            for batch in _batches(_notify(docs, on_document), batch_size):
                doc_table, ann_table = encode_batch(batch, codec)
                dw.write_table(doc_table)
                aw.write_table(ann_table)
                n_docs, n_sets = n_docs + doc_table.num_rows, n_sets + ann_table.num_rows
            if n_docs == 0:  # an empty table still gets one empty row group, for its schema
                dw.write_table(rows_to_table([], doc_schema))
            if n_sets == 0:
                aw.write_table(rows_to_table([], ann_schema))
        os.replace(tmp_docs, out_dir / DOCUMENTS_FILE)
        os.replace(tmp_anns, out_dir / ANNOTATIONS_FILE)
    return n_docs, n_sets


def _notify(docs: Iterable[Document], on_document: Callable[[Document], None] | None) -> Iterator[Document]:
    for doc in docs:
        yield doc
        if on_document is not None:
            on_document(doc)


# --------------------------------------------------------------------------- reading


def open_parquet(path: Path | str, config: str) -> tuple[pq.ParquetFile, pa.Schema | None]:
    """Open a Parquet file of a config, checking its columns; returns the file and a cast target.

    The cast target is ``None`` when the file's schema already equals the config's; otherwise each
    batch is cast (safely) to it. Missing, unknown or uncastable columns are coded errors.
    """
    path = Path(path)
    try:
        pf = pq.ParquetFile(path)
        found = pf.schema_arrow
    except (OSError, pa.ArrowException) as exc:
        raise SecnewsError(make_finding("PARQUET_UNREADABLE", file=str(path), detail=str(exc))) from None
    expected = arrow_schema(config)
    findings = []
    for name in expected.names:
        if name not in found.names:
            findings.append(
                make_finding("PARQUET_MISSING_COLUMN", file=str(path), column=name, config=config)
            )
    for name in found.names:
        if name not in expected.names:
            findings.append(
                make_finding("PARQUET_UNKNOWN_COLUMN", file=str(path), column=name, config=config)
            )
    if findings:
        raise SecnewsError(*findings)
    needs_cast = False
    for field in expected:
        have = found.field(field.name).type
        if have.equals(field.type):
            continue
        needs_cast = True
        try:
            pa.array([], type=have).cast(field.type)
        except (pa.ArrowException, NotImplementedError):
            findings.append(
                make_finding(
                    "PARQUET_WRONG_TYPE",
                    file=str(path),
                    column=field.name,
                    found=str(have),
                    expected=str(field.type),
                )
            )
    if findings:
        raise SecnewsError(*findings)
    return pf, (expected if needs_cast else None)


def iter_parquet_rows(path: Path | str, config: str, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Row]:
    """Stream the rows of a config's Parquet file as dicts (labels still as indices)."""
    pf, target = open_parquet(path, config)
    columns = arrow_schema(config).names
    try:
        for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
            if target is not None:
                try:
                    rows = pa.Table.from_batches([batch]).select(columns).cast(target).to_pylist()
                except (pa.ArrowException, NotImplementedError) as exc:
                    raise SecnewsError(
                        make_finding(
                            "PARQUET_WRONG_TYPE",
                            file=str(path),
                            column="*",
                            found=str(exc),
                            expected="the config's schema",
                        )
                    ) from None
            else:
                rows = batch.to_pylist()
            yield from rows
    except (OSError, pa.ArrowException) as exc:
        raise SecnewsError(make_finding("PARQUET_UNREADABLE", file=str(path), detail=str(exc))) from None


def _paths(paths: Path | str | Sequence[Path | str]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(p) for p in paths]


def iter_parquet_files_rows(
    paths: Path | str | Sequence[Path | str], config: str, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[Row]:
    """The rows of several shards of one config, chained in the order given."""
    for path in _paths(paths):
        yield from iter_parquet_rows(path, config, batch_size)


def read_documents_parquet(
    documents_path: Path | str | Sequence[Path | str],
    annotations_path: Path | str | Sequence[Path | str],
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[Document]:
    """Stream canonical documents back from a ``documents`` and an ``annotations`` table.

    Each path may be one file or a list of shards read in order. Each document row says how many
    sets it has (``num_annotation_sets``); exactly that many annotation rows, with its id and
    consecutive ``set_index``, must follow in the annotations table.
    """
    codec = default_codec()
    ann_file = str(_paths(annotations_path)[0])
    anns = iter_parquet_files_rows(annotations_path, "annotations", batch_size)
    seen: set[str] = set()
    for doc_row in iter_parquet_files_rows(documents_path, "documents", batch_size):
        doc_id = doc_row["id"]
        if doc_id in seen:
            raise SecnewsError(
                make_finding(
                    "PARQUET_DUPLICATE_DOCUMENT",
                    file=str(_paths(documents_path)[0]),
                    doc_id=doc_id,
                    value=doc_id,
                )
            )
        seen.add(doc_id)
        rows = []
        for index in range(doc_row["num_annotation_sets"] or 0):
            row = next(anns, None)
            if row is None or row["doc_id"] != doc_id or row["set_index"] != index:
                raise SecnewsError(
                    make_finding(
                        "PARQUET_ORPHAN_ANNOTATIONS",
                        file=ann_file,
                        doc_id=doc_id,
                        found=None if row is None else row["doc_id"],
                        expected=doc_id,
                    )
                )
            rows.append(row)
        yield document_from_rows(doc_row, rows, codec)
    leftover = next(anns, None)
    if leftover is not None:
        raise SecnewsError(
            make_finding(
                "PARQUET_ORPHAN_ANNOTATIONS",
                file=ann_file,
                doc_id=leftover["doc_id"],
                found=leftover["doc_id"],
                expected="<end of documents>",
            )
        )


def check_labels(path: Path | str, config: str, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Range-check every ClassLabel column of a Parquet file (``datasets`` does not); return rows read.

    Uses Arrow compute on flattened columns so it also serves the ``ner`` and ``events`` tables,
    which are not converted back to canonical JSON.
    """
    pf, target = open_parquet(path, config)
    labels = label_columns(config)
    rows = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        table = pa.Table.from_batches([batch])
        if target is not None:
            table = table.select(target.names).cast(target)
        rows += table.num_rows
        for column, names in labels.items():
            values = flatten_column(table, column)
            if len(values) == 0:
                continue
            lo, hi = pc.min(values).as_py(), pc.max(values).as_py()
            for bad in (lo, hi):
                if bad is not None and not 0 <= bad < len(names):
                    raise SecnewsError(
                        make_finding(
                            "PARQUET_LABEL_OUT_OF_RANGE",
                            file=str(path),
                            column=column,
                            value=bad,
                            last=len(names) - 1,
                            section=column,
                        )
                    )
    return rows


def flatten_column(table: pa.Table, dotted: str) -> pa.Array:
    """All values under a dotted path, lists and structs flattened (``events.arguments.role``): what a
    label check or a label count needs, whatever the nesting of the column."""
    parts = dotted.split(".")
    arr: Any = table.column(parts[0]).combine_chunks()
    for part in [*parts[1:], None]:
        while pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
            arr = arr.flatten()
        if part is not None:
            arr = arr.field(part)
    return arr


# --------------------------------------------------------------------------- shards and the registry


def parquet_pair(path: Path | str) -> tuple[list[Path], list[Path]]:
    """The documents and annotations files of a Parquet pair directory or a Hub folder (all splits)."""
    path = Path(path)
    if path.is_file():
        return [path], [path.parent / ANNOTATIONS_FILE]
    if (path / DOCUMENTS_FILE).exists():
        return [path / DOCUMENTS_FILE], [path / ANNOTATIONS_FILE]
    docs = sorted((path / "documents").glob("*.parquet"))
    anns = sorted((path / "annotations").glob("*.parquet"))
    if not docs:
        raise SecnewsError(
            make_finding(
                "PARQUET_UNREADABLE",
                file=str(path),
                detail=f"no {DOCUMENTS_FILE} nor documents/*.parquet under {path}",
            )
        )
    return docs, anns


def _split_shards(paths: list[Path]) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for p in paths:
        out.setdefault(p.name.split("-", 1)[0], []).append(p)
    return out


def read_split_shards(docs: list[Path], anns: list[Path], batch_size: int) -> Iterator[Document]:
    """Documents of ``<split>-*.parquet`` shards, split by split: a split's documents and annotations
    shards align only with each other, so they are read together."""
    ann_splits = _split_shards(anns)
    for split, doc_paths in _split_shards(docs).items():
        yield from read_documents_parquet(doc_paths, ann_splits.get(split, []), batch_size)


def read(src: Path, batch_size: int) -> Iterator[Document]:
    """The documents of a Parquet pair (or of a Hub folder's shards, when given one)."""
    docs, anns = parquet_pair(src)
    if len(docs) > 1:
        return read_split_shards(docs, anns, batch_size)
    return read_documents_parquet(docs, anns, batch_size)


def write(docs: Iterable[Document], dst: Path, batch_size: int, on_document: OnDocument) -> dict[str, Any]:
    n_docs, n_sets = write_documents_parquet(docs, dst, batch_size, on_document)
    return {"documents": n_docs, "annotation_sets": n_sets}


def recognise(path: Path, role: str) -> Match:
    """A folder holding ``documents.parquet`` for sure, or (as a source) ``documents/`` and
    ``annotations/`` shards without a Hub README (what ``secnews preannotate --out`` writes); a name
    ending in ``parquet`` (a destination to create, usually) only if no other format claims the path."""
    if path.is_dir() and (path / DOCUMENTS_FILE).exists():
        return Match.SURE
    if role == "src" and _is_shard_folder(path):
        return Match.SURE
    return Match.GUESS if path.name.lower().endswith("parquet") else Match.NO


def _is_shard_folder(path: Path) -> bool:
    return (
        path.is_dir()
        and not (path / "README.md").exists()
        and (path / "annotations").is_dir()
        and any((path / "documents").glob("*.parquet"))
    )


FORMAT = Format("parquet", read, write, recognise)
