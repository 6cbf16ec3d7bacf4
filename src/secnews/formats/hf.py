"""Hub-shaped dataset folders: ``<config>/<split>-0000i-of-0000N.parquet`` for the four configs + README.md.

``load_dataset(folder, config)`` reads such a folder offline; a release is one (plus its own files).
Every config is written in one pass over the documents, each (config, split) sharded at
``max_shard_rows`` rows, so memory stays flat whatever the corpus size.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_write_text, current_umask
from secnews.formats.arrow_schema import CONFIGS, features
from secnews.formats.columnar import encode_batch
from secnews.formats.hf_card import render_dataset_card
from secnews.formats.parquet import (
    COMPRESSION,
    COMPRESSION_LEVEL,
    DEFAULT_BATCH_SIZE,
    parquet_pair,
    read_split_shards,
)
from secnews.formats.rows import (
    LabelCodec,
    Row,
    bad_document_guard,
    default_codec,
    encode_document,
    rows_to_table,
)
from secnews.formats.spec import Format, Match, OnDocument
from secnews.formats.tables import event_rows, ner_rows
from secnews.model.document import Document

DEFAULT_MAX_SHARD_ROWS = 100_000


def _compact(table: pa.Table) -> pa.Table:
    """The table with buffers of its own (as if built from its rows): an Arrow IPC round trip."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return pa.ipc.open_stream(sink.getvalue()).read_all().combine_chunks()


def shard_name(split: str, index: int, total: int) -> str:
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


@dataclass
class _ShardWriter:
    """Rows of one (config, split), in row groups of ``batch_size``, a new shard every ``max_rows``."""

    directory: Path
    split: str
    schema: pa.Schema
    max_rows: int
    batch_size: int
    paths: list[Path] = field(default_factory=list)
    rows: int = 0
    nbytes: int = 0
    _buffer: list[Row] = field(default_factory=list)
    _writer: pq.ParquetWriter | None = None
    _in_shard: int = 0
    _tables: list[pa.Table] = field(default_factory=list)
    _pending: int = 0

    def add(self, rows: list[Row]) -> None:
        room = min(self.batch_size, self.max_rows - self._in_shard) - len(self._buffer)
        if len(rows) < room:  # the common case: no row group fills up (one call per document)
            self._buffer.extend(rows)
            return
        for row in rows:
            self._buffer.append(row)
            if self._in_shard + len(self._buffer) >= self.max_rows or len(self._buffer) >= self.batch_size:
                self._flush()

    def add_table(self, table: pa.Table) -> None:
        """Rows already encoded as a table (the column-wise path): the same row groups as :meth:`add`.

        The row path writes a row group whenever its buffer reaches ``batch_size`` rows or the shard
        is full; tables are cut at exactly those boundaries, so the Parquet bytes do not depend on the
        path. Each row group is compacted (an IPC round trip: fresh buffers, no validity bitmap where
        it has no null), because a sliced table counts its bytes differently and ``nbytes`` is the
        card's ``num_bytes``.
        """
        self._tables.append(table)
        self._pending += table.num_rows
        while self._pending >= (room := min(self.batch_size, self.max_rows - self._in_shard)):
            self._write_pending(room)

    def _write_pending(self, n: int) -> None:
        pending = pa.concat_tables(self._tables)
        self._tables = [pending.slice(n)] if pending.num_rows > n else []
        self._pending -= n
        self._write(_compact(pending.slice(0, n)))

    def _flush(self) -> None:
        if not self._buffer and self._writer is not None:
            return
        self._write(rows_to_table(self._buffer, self.schema))
        self._buffer = []

    def _write(self, table: pa.Table) -> None:
        if self._writer is None:
            path = self.directory / f".{self.split}-{len(self.paths):05d}.tmp"
            self.paths.append(path)
            self._writer = pq.ParquetWriter(
                path, self.schema, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL
            )
        self._writer.write_table(table)
        self.nbytes += table.nbytes
        self._in_shard += table.num_rows
        self.rows += table.num_rows
        if self._in_shard >= self.max_rows:
            self._writer.close()
            self._writer, self._in_shard = None, 0

    def close(self) -> list[Path]:
        """Flush, close and rename shards to ``<split>-0000i-of-0000N.parquet``; return final paths.

        A split without rows gets no shard at all: ``datasets`` cannot read a Parquet file of zero
        rows (``ArrowInvalid: BatchSize must be greater than 0``), so the card leaves the split out.
        """
        if self._buffer:
            self._flush()
        if self._pending:
            self._write_pending(self._pending)
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        final = []
        for i, tmp in enumerate(self.paths):
            dest = self.directory / shard_name(self.split, i, len(self.paths))
            os.replace(tmp, dest)
            final.append(dest)
        return final


def config_rows(
    doc: Document, configs: Iterable[str], codec: LabelCodec | None = None
) -> dict[str, list[Row]]:
    """The rows of each config for one document (``documents`` and ``annotations`` share one encoding)."""
    codec = codec or default_codec()
    configs = list(configs)
    out: dict[str, list[Row]] = {}
    if "documents" in configs or "annotations" in configs:
        doc_row, ann_rows = encode_document(doc, codec)
        out["documents"], out["annotations"] = [doc_row], ann_rows
    with bad_document_guard(doc.get("id")):
        if "ner" in configs:
            out["ner"] = ner_rows(doc, "gold", codec)
        if "events" in configs:
            out["events"] = event_rows(doc, "gold", codec)
    return {c: out[c] for c in configs}


def _add_tables(
    docs: list[Document],
    split: str,
    configs: list[str],
    writers: Mapping[tuple[str, str], _ShardWriter],
    codec: LabelCodec,
) -> None:
    """The ``documents`` and ``annotations`` rows of a batch of one split (:func:`encode_batch`)."""
    tables = dict(zip(("documents", "annotations"), encode_batch(docs, codec), strict=True))
    for c in configs:
        writers[(c, split)].add_table(tables[c])


def _split_of(splits: Mapping[str, Iterable[str]] | None) -> Callable[[str], str | None]:
    if splits is None:
        return lambda _doc_id: "train"
    index: dict[str, str] = {}
    for split, ids in splits.items():
        for doc_id in ids:
            index[doc_id] = split
    return index.get


def _write_shards(
    staging: Path,
    docs: Iterable[Document],
    configs: list[str],
    splits: Mapping[str, Iterable[str]] | None,
    max_shard_rows: int,
    batch_size: int,
    on_document: OnDocument,
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Every config's shards under ``staging``, in one pass; returns rows and Arrow bytes per config and split."""
    split_names = list(splits) if splits is not None else ["train"]
    split_of = _split_of(splits)
    codec = default_codec()
    writers = {
        (c, s): _ShardWriter(staging / c, s, features(c).arrow_schema, max_shard_rows, batch_size)
        for c in configs
        for s in split_names
    }
    for c in configs:
        (staging / c).mkdir()
    tabled: list[str] = [c for c in ("documents", "annotations") if c in configs]
    per_doc = [c for c in configs if c not in tabled]
    waiting: dict[str, list[Document]] = {s: [] for s in split_names}
    for doc in docs:
        split = split_of(doc.get("id", ""))
        if split is not None:
            for c, rows in config_rows(doc, per_doc, codec).items():
                writers[(c, split)].add(rows)
            if tabled:
                waiting[split].append(doc)
                if len(waiting[split]) >= batch_size:
                    _add_tables(waiting[split], split, tabled, writers, codec)
                    waiting[split] = []
        if on_document is not None:
            on_document(doc)
    for split, rest in waiting.items():
        if rest:
            _add_tables(rest, split, tabled, writers, codec)
    counts: dict[str, dict[str, int]] = {c: {} for c in configs}
    nbytes: dict[str, dict[str, int]] = {c: {} for c in configs}
    for (c, s), w in writers.items():
        w.close()
        counts[c][s], nbytes[c][s] = w.rows, w.nbytes
    return counts, nbytes


def build_dataset_folder(
    docs: Iterable[Document],
    out_dir: Path | str,
    splits: Mapping[str, Iterable[str]] | None = None,
    max_shard_rows: int = DEFAULT_MAX_SHARD_ROWS,
    configs: Iterable[str] = CONFIGS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_document: Callable[[Document], None] | None = None,
    sizes: dict[str, dict[str, int]] | None = None,
) -> dict[str, dict[str, int]]:
    """Write a loadable folder (Parquet per config and split, sharded, + README.md) in one pass.

    ``splits`` maps split name -> document ids (documents in no split are left out); ``None`` puts
    every document in ``train``. The folder is built next to ``out_dir`` and renamed into place, so
    a failure leaves no half-built release; ``out_dir`` must not exist or be empty.
    Returns config -> split -> rows written. When ``sizes`` is given it is filled with config ->
    split -> Arrow bytes (the card's ``num_bytes``), so a caller merging several folders (the
    release's chunks) need not parse them back from the README.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise SecnewsError(
            make_finding(
                "CONVERT_UNSUPPORTED", file=str(out_dir), detail=f"{out_dir} exists and is not empty"
            )
        )
    configs = list(configs)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        counts, nbytes = _write_shards(
            staging, docs, configs, splits, max_shard_rows, batch_size, on_document
        )
        atomic_write_text(staging / "README.md", render_dataset_card(counts, nbytes))
        mask = current_umask()  # mkdtemp/mkstemp make 0700/0600: a release must be readable by others
        os.chmod(staging, 0o777 & ~mask)
        os.chmod(staging / "README.md", 0o666 & ~mask)
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if sizes is not None:
        sizes.update(nbytes)
    return counts


# --------------------------------------------------------------------------- the registry's entry


def read(src: Path, batch_size: int) -> Iterator[Document]:
    docs, anns = parquet_pair(src)
    return read_split_shards(docs, anns, batch_size)


def write(docs: Iterable[Document], dst: Path, batch_size: int, on_document: OnDocument) -> dict[str, Any]:
    return {"rows": build_dataset_folder(docs, dst, batch_size=batch_size, on_document=on_document)}


def recognise(path: Path, role: str) -> Match:
    """A folder with a README.md and a ``documents/`` config folder (never guessed from a name)."""
    return (
        Match.SURE
        if path.is_dir() and (path / "README.md").exists() and (path / "documents").is_dir()
        else Match.NO
    )


FORMAT = Format("hf", read, write, recognise)
