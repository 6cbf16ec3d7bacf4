"""Canonical documents <-> Parquet (the ``documents`` and ``annotations`` tables), streaming in batches.

The pair of tables is a lossless image of a corpus: ``documents`` holds each document's id, text and
meta (plus its gold layers, for users), ``annotations`` holds every annotation set of every document
with its provenance, in document order then set order. Reading both back gives documents equal to the
canonical JSON field for field, key presence included (see :mod:`secnews.formats.arrow_schema` for the rules
that make absent and null keys round-trip).

Memory stays flat: documents are encoded ``batch_size`` at a time and each batch becomes one Parquet
row group, so peak memory depends on the batch size, not on the corpus. Bytes are deterministic for a
given input and library version: zstd at a fixed level, no timestamps, row order = input order.
Writes go to a temporary file renamed into place, so a failed run never leaves half a table.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_target
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.formats.arrow_schema import META_NULLABLE_OPTIONAL, arrow_schema, label_columns
from secnews.model.document import LAYERS, Document

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3
DEFAULT_BATCH_SIZE = 1000
DOCUMENTS_FILE = "documents.parquet"
ANNOTATIONS_FILE = "annotations.parquet"
LAYER_NAMES: tuple[str, ...] = LAYERS

Row = dict[str, Any]


# --------------------------------------------------------------------------- label codec


class LabelCodec:
    """Name <-> ClassLabel index for every taxonomy section, with coded errors on bad values."""

    def __init__(self, tax: Taxonomy | None = None) -> None:
        self.tax = tax or load_taxonomy()
        self._names: dict[str, list[str]] = {}
        self._index: dict[str, dict[str, int]] = {}

    def names(self, section: str) -> list[str]:
        if section not in self._names:
            self._names[section] = self.tax.names(section)
            self._index[section] = {n: i for i, n in enumerate(self._names[section])}
        return self._names[section]

    def encode(self, section: str, value: str | None, column: str, doc_id: str | None = None) -> int | None:
        if value is None:
            return None
        if section not in self._index:
            self.names(section)
        try:
            return self._index[section][value]
        except (KeyError, TypeError):
            raise SecnewsError(
                make_finding(
                    "CONVERT_BAD_LABEL",
                    doc_id=doc_id,
                    column=column,
                    value=value,
                    section=section,
                )
            ) from None

    def decode(self, section: str, value: int | None, column: str, doc_id: str | None = None) -> str | None:
        if value is None:
            return None
        names = self.names(section)
        if not 0 <= value < len(names):
            raise SecnewsError(
                make_finding(
                    "PARQUET_LABEL_OUT_OF_RANGE",
                    doc_id=doc_id,
                    column=column,
                    value=value,
                    last=len(names) - 1,
                    section=section,
                )
            )
        return names[value]


@cache
def default_codec() -> LabelCodec:
    return LabelCodec()


# --------------------------------------------------------------------------- canonical -> rows


def _span(rec: dict[str, Any]) -> Row:
    return {"start": rec["start"], "end": rec["end"], "text": rec["text"]}


def _encode_layers(ann: dict[str, Any], codec: LabelCodec, doc_id: str) -> Row:
    """The five layers of one set as Arrow-ready lists (labels as indices)."""
    enc = codec.encode
    entities = [
        {
            "id": e["id"],
            "start": e["start"],
            "end": e["end"],
            "text": e["text"],
            "type": enc("entity_types", e["type"], "entities.type", doc_id),
            "mention": enc("mention_types", e.get("mention"), "entities.mention", doc_id),
            "actor": e.get("actor"),
            "source_label": e.get("source_label"),
            "score": e.get("score"),
        }
        for e in ann.get("entities", [])
    ]
    events = [
        {
            "id": v["id"],
            "type": enc("event_types", v["type"], "events.type", doc_id),
            "trigger": _span(v["trigger"]),
            "realis": enc("realis", v.get("realis"), "events.realis", doc_id),
            "fatalities": v.get("fatalities"),
            "arguments": [
                {"role": enc("roles", a["role"], "events.arguments.role", doc_id), "ref": a["ref"]}
                for a in v.get("arguments", [])
            ],
            "source_label": v.get("source_label"),
            "score": v.get("score"),
        }
        for v in ann.get("events", [])
    ]
    attributions = [
        {
            "id": a["id"],
            "source": a.get("source"),
            "cue": _span(a["cue"]),
            "content": [
                {"id": c.get("id"), "start": c["start"], "end": c["end"], "text": c["text"]}
                for c in a.get("content", [])
            ],
            "events": a.get("events", []),
            "source_type": enc("source_types", a.get("source_type"), "attributions.source_type", doc_id),
            "claim": enc("claims", a.get("claim"), "attributions.claim", doc_id),
            "certainty": enc("certainty", a.get("certainty"), "attributions.certainty", doc_id),
            "quote": enc("quote_types", a.get("quote"), "attributions.quote", doc_id),
            "score": a.get("score"),
        }
        for a in ann.get("attributions", [])
    ]
    timexes = [
        {
            "id": t["id"],
            "start": t["start"],
            "end": t["end"],
            "text": t["text"],
            "type": enc("timex_types", t["type"], "timexes.type", doc_id),
            "value": t.get("value"),
            "anchor": t.get("anchor"),
            "mod": enc("timex_mods", t.get("mod"), "timexes.mod", doc_id),
            "source_label": t.get("source_label"),
            "score": t.get("score"),
        }
        for t in ann.get("timexes", [])
    ]
    relations = [
        {
            "id": r["id"],
            "type": enc("relation_types", r["type"], "relations.type", doc_id),
            "head": r["head"],
            "tail": r["tail"],
        }
        for r in ann.get("relations", [])
    ]
    return {
        "entities": entities,
        "events": events,
        "attributions": attributions,
        "timexes": timexes,
        "relations": relations,
    }


def _empty_layers() -> Row:
    return {name: [] for name in LAYER_NAMES}


def parse_published(value: Any, doc_id: str | None = None) -> dt.date:
    """The calendar date of ``meta.published`` as written (a date-time keeps its own offset's date)."""
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise SecnewsError(
            make_finding(
                "CONVERT_BAD_DOCUMENT",
                doc_id=doc_id,
                detail=f"meta.published {value!r} is not an ISO date",
            )
        ) from None


def _json_or_none(value: Any) -> str | None:
    if value is None:
        return None
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _meta_row(meta: dict[str, Any], doc_id: str) -> Row:
    published = meta.get("published")
    return {
        "title": meta.get("title"),
        "published": parse_published(published, doc_id),
        "published_iso": published,
        "source": meta.get("source"),
        "url": meta.get("url"),
        "language": meta.get("language"),
        "license": meta.get("license"),
        "collection": meta.get("collection"),
        "attribution": meta.get("attribution"),
        "source_id": meta.get("source_id"),
        "authors": meta.get("authors"),
        "retrieved": meta.get("retrieved"),
        "notes": meta.get("notes"),
        "meta_null_keys": [k for k in META_NULLABLE_OPTIONAL if k in meta and meta[k] is None],
    }


def _require(doc: Document, *keys: str) -> str:
    doc_id = doc.get("id") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or any(k not in doc for k in keys) or not isinstance(doc.get("meta"), dict):
        missing = [k for k in keys if not isinstance(doc, dict) or k not in doc]
        raise SecnewsError(
            make_finding(
                "CONVERT_BAD_DOCUMENT",
                doc_id=str(doc_id) if doc_id else None,
                detail=f"document lacks {', '.join(missing) or 'a meta object'}",
            )
        )
    return str(doc_id)


def encode_document(doc: Document, codec: LabelCodec | None = None) -> tuple[Row, list[Row]]:
    """The ``documents`` row and the ``annotations`` rows of one document, sharing encoded layers.

    A document too broken to encode (a span without ``start``, a layer that is not a list) gives a
    coded ``CONVERT_BAD_DOCUMENT`` naming it, not a ``KeyError``.
    """
    codec = codec or default_codec()
    doc_id = _require(doc, "id", "text", "meta", "schema_version")
    with bad_document_guard(doc_id):
        return _encode_document(doc, doc_id, codec)


@contextmanager
def bad_document_guard(doc_id: str | None) -> Iterator[None]:
    """Turn the errors a malformed document raises while being encoded into a coded finding."""
    try:
        yield
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise SecnewsError(
            make_finding(
                "CONVERT_BAD_DOCUMENT",
                doc_id=doc_id,
                detail=f"missing or mistyped field ({type(exc).__name__}: {exc}); validate the document first",
            )
        ) from None


def _encode_document(doc: Document, doc_id: str, codec: LabelCodec) -> tuple[Row, list[Row]]:
    sets = doc.get("annotations", [])
    ann_rows: list[Row] = []
    gold_layers: Row | None = None
    gold: dict[str, Any] | None = None
    for index, ann in enumerate(sets):
        layers = _encode_layers(ann, codec, doc_id)
        labels = ann.get("labels") or {}
        ann_rows.append(
            {
                "doc_id": doc_id,
                "set_index": index,
                "id": ann.get("id"),
                "kind": codec.encode("annotation_kinds", ann.get("kind"), "kind", doc_id),
                "annotator": ann.get("annotator"),
                "status": codec.encode("annotation_statuses", ann.get("status"), "status", doc_id),
                "created": ann.get("created"),
                "updated": ann.get("updated"),
                "origin": _json_or_none(ann.get("origin")),
                "relevant": labels.get("relevant"),
                "countries": labels.get("countries", []),
                **layers,
                "adjudication": _json_or_none(ann.get("adjudication")),
            }
        )
        if gold is None and ann.get("status") == "gold":
            gold, gold_layers = ann, layers
    gold_labels = (gold or {}).get("labels") or {}
    doc_row = {
        "id": doc_id,
        "schema_version": doc["schema_version"],
        "text": doc["text"],
        **_meta_row(doc["meta"], doc_id),
        "has_gold": gold is not None,
        "gold_set_id": gold.get("id") if gold else None,
        "num_annotation_sets": len(sets),
        "relevant": gold_labels.get("relevant"),
        "countries": gold_labels.get("countries", []),
        **(gold_layers or _empty_layers()),
    }
    return doc_row, ann_rows


def document_row(doc: Document, codec: LabelCodec | None = None) -> Row:
    """One ``documents`` row: id, text, typed meta, gold labels and gold layers (empty without gold)."""
    return encode_document(doc, codec)[0]


def annotation_rows(doc: Document, codec: LabelCodec | None = None) -> list[Row]:
    """One ``annotations`` row per annotation set of the document, in the document's order."""
    return encode_document(doc, codec)[1]


# --------------------------------------------------------------------------- rows -> canonical


def _drop_none(rec: dict[str, Any], optional: tuple[str, ...]) -> dict[str, Any]:
    for key in optional:
        if rec.get(key, 0) is None:
            del rec[key]
    return rec


def _decode_layers(row: Row, codec: LabelCodec, doc_id: str) -> Row:
    dec = codec.decode
    entities = [
        _drop_none(
            {
                "id": e["id"],
                "start": e["start"],
                "end": e["end"],
                "text": e["text"],
                "type": dec("entity_types", e["type"], "entities.type", doc_id),
                "mention": dec("mention_types", e["mention"], "entities.mention", doc_id),
                "actor": e["actor"],
                "source_label": e["source_label"],
                "score": e["score"],
            },
            ("source_label", "score"),
        )
        for e in row["entities"] or []
    ]
    events = [
        _drop_none(
            {
                "id": v["id"],
                "type": dec("event_types", v["type"], "events.type", doc_id),
                "trigger": v["trigger"],
                "realis": dec("realis", v["realis"], "events.realis", doc_id),
                "fatalities": v["fatalities"],
                "arguments": [
                    {"role": dec("roles", a["role"], "events.arguments.role", doc_id), "ref": a["ref"]}
                    for a in v["arguments"] or []
                ],
                "source_label": v["source_label"],
                "score": v["score"],
            },
            ("source_label", "score"),
        )
        for v in row["events"] or []
    ]
    attributions = [
        _drop_none(
            {
                "id": a["id"],
                "source": a["source"],
                "cue": a["cue"],
                "content": [_drop_none(dict(c), ("id",)) for c in a["content"] or []],
                "events": a["events"] or [],
                "source_type": dec("source_types", a["source_type"], "attributions.source_type", doc_id),
                "claim": dec("claims", a["claim"], "attributions.claim", doc_id),
                "certainty": dec("certainty", a["certainty"], "attributions.certainty", doc_id),
                "quote": dec("quote_types", a["quote"], "attributions.quote", doc_id),
                "score": a["score"],
            },
            ("score",),
        )
        for a in row["attributions"] or []
    ]
    timexes = [
        _drop_none(
            {
                "id": t["id"],
                "start": t["start"],
                "end": t["end"],
                "text": t["text"],
                "type": dec("timex_types", t["type"], "timexes.type", doc_id),
                "value": t["value"],
                "anchor": t["anchor"],
                "mod": dec("timex_mods", t["mod"], "timexes.mod", doc_id),
                "source_label": t["source_label"],
                "score": t["score"],
            },
            ("source_label", "score"),
        )
        for t in row["timexes"] or []
    ]
    relations = [
        {
            "id": r["id"],
            "type": dec("relation_types", r["type"], "relations.type", doc_id),
            "head": r["head"],
            "tail": r["tail"],
        }
        for r in row["relations"] or []
    ]
    return {
        "entities": entities,
        "events": events,
        "attributions": attributions,
        "timexes": timexes,
        "relations": relations,
    }


def _loads(value: str | None, column: str, doc_id: str) -> Any:
    if value is None:
        return None
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise SecnewsError(
            make_finding(
                "PARQUET_BAD_VALUE",
                doc_id=doc_id,
                column=column,
                detail=f"not a JSON string: {exc}",
            )
        ) from None


def annotation_set_from_row(row: Row, codec: LabelCodec | None = None) -> dict[str, Any]:
    """Rebuild one canonical annotation set from its ``annotations`` row."""
    codec = codec or default_codec()
    doc_id = row["doc_id"]
    ann: dict[str, Any] = {
        "id": row["id"],
        "kind": codec.decode("annotation_kinds", row["kind"], "kind", doc_id),
        "annotator": row["annotator"],
        "status": codec.decode("annotation_statuses", row["status"], "status", doc_id),
        "created": row["created"],
        "updated": row["updated"],
        "origin": _loads(row["origin"], "origin", doc_id),
        "labels": {"relevant": row["relevant"], "countries": row["countries"] or []},
        **_decode_layers(row, codec, doc_id),
    }
    adjudication = _loads(row["adjudication"], "adjudication", doc_id)
    if adjudication is not None:
        ann["adjudication"] = adjudication
    return ann


def _meta_from_row(row: Row) -> dict[str, Any]:
    published = row["published_iso"]
    if published is None and row["published"] is not None:
        published = row["published"].isoformat()
    meta: dict[str, Any] = {
        "published": published,
        "source": row["source"],
        "language": row["language"],
        "license": row["license"],
    }
    explicit_null = set(row["meta_null_keys"] or [])
    for key in META_NULLABLE_OPTIONAL:
        if row[key] is not None or key in explicit_null:
            meta[key] = row[key]
    if row["authors"] is not None:
        meta["authors"] = row["authors"]
    return meta


def document_from_rows(doc_row: Row, ann_rows: Iterable[Row], codec: LabelCodec | None = None) -> Document:
    """Rebuild a canonical document from its ``documents`` row and its ``annotations`` rows."""
    codec = codec or default_codec()
    return {
        "schema_version": doc_row["schema_version"],
        "id": doc_row["id"],
        "text": doc_row["text"],
        "meta": _meta_from_row(doc_row),
        "annotations": [annotation_set_from_row(r, codec) for r in ann_rows],
    }


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


_ARROW_VALUE_ERRORS = (pa.ArrowException, OverflowError, TypeError, ValueError)


def rows_to_table(rows: list[Row], schema: pa.Schema) -> pa.Table:
    """An Arrow table of rows; a value Arrow rejects is a coded error naming the document.

    Rows are converted as one struct array, in C++, then given the schema (with its metadata):
    ``Table.from_pylist`` first builds a Python list per column, which took about twice as long on
    the nested ``documents`` rows. The table, its ``nbytes`` and the Parquet bytes are the same
    (checked); on any failure the ``from_pylist`` path below runs, with its error reporting.
    """
    try:
        struct = pa.array(rows, type=pa.struct(schema))
        return pa.Table.from_arrays(pa.Table.from_struct_array(struct).columns, schema=schema)
    except _ARROW_VALUE_ERRORS:
        pass
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except _ARROW_VALUE_ERRORS:
        for row in rows:  # find the culprit only on failure: the fast path stays one call
            try:
                pa.Table.from_pylist([row], schema=schema)
            except _ARROW_VALUE_ERRORS as exc:
                doc_id = row.get("doc_id", row.get("id"))
                raise SecnewsError(
                    make_finding(
                        "CONVERT_BAD_DOCUMENT",
                        doc_id=str(doc_id),
                        detail=f"a value does not fit its column ({exc}); validate the document first",
                    )
                ) from None
        raise


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
            doc_batch: list[Row] = []
            ann_batch: list[Row] = []
            for doc in docs:
                doc_row, ann_rows = encode_document(doc, codec)
                doc_batch.append(doc_row)
                ann_batch.extend(ann_rows)
                if on_document is not None:
                    on_document(doc)
                if len(doc_batch) >= batch_size:
                    n_docs, n_sets = _flush(
                        dw, aw, doc_batch, ann_batch, doc_schema, ann_schema, n_docs, n_sets
                    )
                    doc_batch, ann_batch = [], []
            n_docs, n_sets = _flush(
                dw, aw, doc_batch, ann_batch, doc_schema, ann_schema, n_docs, n_sets, final=True
            )
        os.replace(tmp_docs, out_dir / DOCUMENTS_FILE)
        os.replace(tmp_anns, out_dir / ANNOTATIONS_FILE)
    return n_docs, n_sets


def _flush(
    dw: pq.ParquetWriter,
    aw: pq.ParquetWriter,
    doc_batch: list[Row],
    ann_batch: list[Row],
    doc_schema: pa.Schema,
    ann_schema: pa.Schema,
    n_docs: int,
    n_sets: int,
    final: bool = False,
) -> tuple[int, int]:
    """Write one row group to each table (an empty table gets one empty row group, for its schema)."""
    if doc_batch or (final and n_docs == 0):
        dw.write_table(rows_to_table(doc_batch, doc_schema))
    if ann_batch or (final and n_sets == 0):
        aw.write_table(rows_to_table(ann_batch, ann_schema))
    return n_docs + len(doc_batch), n_sets + len(ann_batch)


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
    import pyarrow.compute as pc

    pf, target = open_parquet(path, config)
    labels = label_columns(config)
    rows = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        table = pa.Table.from_batches([batch])
        if target is not None:
            table = table.select(target.names).cast(target)
        rows += table.num_rows
        for column, names in labels.items():
            values = _flatten_column(table, column)
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


def _flatten_column(table: pa.Table, dotted: str) -> pa.Array:
    """All values under a dotted path, lists and structs flattened (``events.arguments.role``)."""
    parts = dotted.split(".")
    arr: Any = table.column(parts[0]).combine_chunks()
    for part in [*parts[1:], None]:
        while pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
            arr = arr.flatten()
        if part is not None:
            arr = arr.field(part)
    return arr


# --------------------------------------------------------------------------- conversion between formats

#: formats ``convert`` knows: canonical directory, JSONL, Parquet pair, Hub folder, Label Studio JSON
FORMATS: tuple[str, ...] = ("canonical", "jsonl", "parquet", "hf", "labelstudio")


def infer_format(path: Path | str, role: str) -> str:
    """The format of a source (``role="src"``) or destination (``role="dst"``) path.

    ``*.jsonl`` is JSONL; a directory holding ``documents.parquet`` (or a name ending in ``parquet``)
    is a Parquet pair; a directory with ``README.md`` and ``documents/`` is a Hub folder; a ``*.json``
    file starting with ``[`` is a Label Studio export (as a destination: Label Studio tasks); any
    other directory (or a ``*.json`` object) is canonical.
    """
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".jsonl"):
        return "jsonl"
    if path.is_dir() and (path / DOCUMENTS_FILE).exists():
        return "parquet"
    if path.is_dir() and (path / "README.md").exists() and (path / "documents").is_dir():
        return "hf"
    if name.endswith("parquet"):
        return "parquet"
    if name.endswith(".json"):
        if role == "dst":
            return "labelstudio"
        return "labelstudio" if _first_byte(path) == b"[" else "canonical"
    if path.is_dir() or (role == "dst" and not path.suffix):
        return "canonical"
    raise SecnewsError(
        make_finding(
            "CONVERT_UNKNOWN_FORMAT",
            file=str(path),
            detail=f"cannot infer the format of {path}; use --from/--to",
        )
    )


def _first_byte(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(4096).lstrip()[:1]
    except OSError as exc:
        raise SecnewsError(make_finding("UNREADABLE_FILE", file=str(path), detail=str(exc))) from None


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


def write_jsonl(
    docs: Iterable[Document], path: Path | str, on_document: Callable[[Document], None] | None = None
) -> int:
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


def _labelstudio(module: str, *names: str) -> list[Any]:
    """Functions of the Label Studio bridge, imported lazily (a coded error when it is absent)."""
    import importlib

    try:
        mod = importlib.import_module(module)
        return [getattr(mod, n) for n in names]
    except (ModuleNotFoundError, AttributeError) as exc:
        raise SecnewsError(
            make_finding("CONVERT_UNSUPPORTED", detail=f"the Label Studio bridge is not available: {exc}")
        ) from None


def iter_labelstudio_export(path: Path | str) -> Iterator[Document]:
    """Documents of a Label Studio JSON export, one per task, streamed (``secnews.labelstudio``).

    Composes the bridge's ``iter_export`` and ``task_to_document``; a task that cannot be converted
    stops the conversion with the bridge's coded findings (``secnews ls import`` merges and stages).
    """
    [iter_export] = _labelstudio("secnews.labelstudio.export_reader", "iter_export")
    [task_to_document] = _labelstudio("secnews.labelstudio.tasks", "task_to_document")
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


def iter_source(src: Path | str, fmt: str, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Document]:
    """Stream the documents of a source in any readable format."""
    from secnews.model.document import iter_documents

    src = Path(src)
    if fmt == "canonical":
        if not src.exists():
            raise SecnewsError(
                make_finding("UNREADABLE_FILE", file=str(src), detail="no such file or directory")
            )
        return (doc for _, doc in iter_documents([src]))
    if fmt == "jsonl":
        return iter_jsonl(src)
    if fmt in ("parquet", "hf"):
        docs, anns = parquet_pair(src)
        if fmt == "hf" or len(docs) > 1:
            return _iter_hf(docs, anns, batch_size)
        return read_documents_parquet(docs, anns, batch_size)
    if fmt == "labelstudio":
        return iter_labelstudio_export(src)
    raise SecnewsError(
        make_finding("CONVERT_UNKNOWN_FORMAT", file=str(src), detail=f"unknown format {fmt!r}")
    )


def _iter_hf(docs: list[Path], anns: list[Path], batch_size: int) -> Iterator[Document]:
    """A Hub folder's documents, split by split (each split's shards are aligned only together)."""
    ann_splits = _split_shards(anns)
    for split, doc_paths in _split_shards(docs).items():
        yield from read_documents_parquet(doc_paths, ann_splits.get(split, []), batch_size)


def convert(
    src: Path | str,
    dst: Path | str,
    src_format: str | None = None,
    dst_format: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_document: Callable[[Document], None] | None = None,
    validate: bool = False,
) -> dict[str, Any]:
    """Convert a corpus between formats, streaming; returns a summary (formats, counts, paths)."""
    src_format = src_format or infer_format(src, "src")
    dst_format = dst_format or infer_format(dst, "dst")
    if dst_format not in FORMATS or src_format not in FORMATS:
        raise SecnewsError(make_finding("CONVERT_UNKNOWN_FORMAT", detail=f"unknown format {dst_format!r}"))
    docs: Iterable[Document] = iter_source(src, src_format, batch_size)
    if validate:
        docs = _validated(docs)
    summary: dict[str, Any] = {"from": src_format, "to": dst_format, "src": str(src), "dst": str(dst)}
    if dst_format == "parquet":
        summary["documents"], summary["annotation_sets"] = write_documents_parquet(
            docs, dst, batch_size, on_document
        )
    elif dst_format == "hf":
        from secnews.release.card import build_dataset_folder

        summary["rows"] = build_dataset_folder(docs, dst, batch_size=batch_size, on_document=on_document)
    elif dst_format == "jsonl":
        summary["documents"] = write_jsonl(docs, dst, on_document)
    elif dst_format == "canonical":
        summary["documents"] = _write_canonical(docs, Path(dst), on_document)
    else:
        summary["documents"] = _write_labelstudio(docs, Path(dst), on_document)
    return summary


def _validated(docs: Iterable[Document]) -> Iterator[Document]:
    from secnews.validate.engine import validate_document

    for doc in docs:
        errors = [f for f in validate_document(doc) if f.severity == "error"]
        if errors:
            raise SecnewsError(*errors)
        yield doc


def _write_canonical(
    docs: Iterable[Document], out_dir: Path, on_document: Callable[[Document], None] | None
) -> int:
    from secnews.model.document import save_document

    count = 0
    for doc in docs:
        save_document(doc, out_dir)
        count += 1
        if on_document is not None:
            on_document(doc)
    return count


def _write_labelstudio(
    docs: Iterable[Document], path: Path, on_document: Callable[[Document], None] | None
) -> int:
    """Label Studio tasks JSON (every set as predictions) through the bridge's exporter."""
    document_to_task, write_tasks = _labelstudio(
        "secnews.labelstudio.exporter", "document_to_task", "write_tasks"
    )

    def tasks() -> Iterator[dict[str, Any]]:
        for doc in docs:
            yield document_to_task(doc)
            if on_document is not None:
                on_document(doc)

    return int(write_tasks(tasks(), path))
