"""A batch of canonical documents -> the ``documents`` and ``annotations`` Arrow tables, column-wise.

:mod:`secnews.formats.rows` encodes record by record in Python (a new dict per span, a dict lookup per
label); on a corpus that was half the cost of writing Parquet. Here the parsed JSON goes to Arrow as
it is (Arrow reads the keys a struct names and ignores the others), labels become ClassLabel indices
with one ``index_in`` per label column, and the ``documents`` table takes its gold layers from the
``annotations`` arrays instead of converting them a second time. Only the few per-document and
per-set scalars are built in Python.

The result must equal the row path's table exactly (the Parquet bytes of a release depend on it), so
this path refuses any batch it cannot encode with certainty (an unknown label, a null where the
canonical form has a required key or a list, anything Arrow rejects) by raising :class:`Fallback`; the
caller then encodes that batch with the row path, which reports the coded error naming the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from secnews.formats.arrow_schema import arrow_schema, label_columns
from secnews.formats.rows import (
    ARROW_VALUE_ERRORS,
    LabelCodec,
    Row,
    document_scalars,
    encode_document,
    gold_index,
    require_keys,
    rows_to_table,
    set_scalars,
)
from secnews.model.document import LAYERS, Document


class Fallback(Exception):
    """This batch needs the row path (which decides: a coded error, or the same table)."""


#: fields the row path reads with ``record[key]`` (a missing key is an error there, a null here)
_REQUIRED: dict[str, tuple[str, ...]] = {
    "entities": ("id", "start", "end", "text", "type"),
    "events": ("id", "type", "trigger", "trigger.start", "trigger.end", "trigger.text", "arguments"),
    "events.arguments": ("role", "ref"),
    "attributions": ("id", "cue", "cue.start", "cue.end", "cue.text", "content", "events"),
    "attributions.content": ("start", "end", "text"),
    "timexes": ("id", "start", "end", "text", "type"),
    "relations": ("id", "type", "head", "tail"),
}


def _as_strings(dtype: pa.DataType, path: str, labels: dict[str, list[str]]) -> pa.DataType:
    """The type of a column as the JSON holds it: every ClassLabel (int64) under ``path`` a string."""
    if path in labels:
        return pa.string()
    if pa.types.is_list(dtype):
        return pa.list_(_as_strings(dtype.value_type, path, labels))
    if pa.types.is_struct(dtype):
        return pa.struct([pa.field(f.name, _as_strings(f.type, f"{path}.{f.name}", labels)) for f in dtype])
    return dtype


@cache
def _layer_types() -> tuple[pa.DataType, dict[str, list[str]]]:
    labels = label_columns("annotations")
    schema = arrow_schema("annotations")
    raw = pa.struct([pa.field(name, _as_strings(schema.field(name).type, name, labels)) for name in LAYERS])
    return raw, labels


def _encode_column(arr: pa.Array, target: pa.DataType, path: str, labels: dict[str, list[str]]) -> pa.Array:
    """``arr`` (JSON-shaped) as ``target``: label strings to indices, recursively; refuses what it can't."""
    if path in labels:
        codes = pc.index_in(arr, value_set=pa.array(labels[path], pa.string()))
        if codes.null_count != arr.null_count:  # a label the taxonomy does not have
            raise Fallback(path)
        return codes.cast(target)
    if pa.types.is_list(target):
        if arr.null_count:  # a layer or nested list given as null (or missing)
            raise Fallback(path)
        values = _encode_column(arr.values, target.value_type, path, labels)
        return pa.ListArray.from_arrays(arr.offsets, values, type=target)
    if pa.types.is_struct(target):
        required = _REQUIRED.get(path, ())
        children = []
        for i, f in enumerate(target):
            child = arr.field(i)
            if f.name in required and child.null_count:
                raise Fallback(f"{path}.{f.name}")
            children.append(_encode_column(child, f.type, f"{path}.{f.name}", labels))
            for sub in (r for r in required if r.startswith(f"{f.name}.")):
                if child.field(sub.split(".", 1)[1]).null_count:
                    raise Fallback(f"{path}.{sub}")
        mask = arr.is_null() if arr.null_count else None
        if mask is not None and path in _REQUIRED:  # a record given as null inside a layer
            raise Fallback(path)
        return pa.StructArray.from_arrays(children, fields=list(target), mask=mask)
    return arr


def _scalars(rows: list[Row], schema: pa.Schema, names: Sequence[str]) -> list[pa.Array]:
    fields = [schema.field(n) for n in names]
    struct = pa.array(rows, type=pa.struct(fields))
    return [struct.field(i) for i in range(len(fields))]


def encode_tables(docs: Sequence[Document], codec: LabelCodec) -> tuple[pa.Table, pa.Table]:
    """The ``documents`` and ``annotations`` tables of a batch, equal to the row path's; or :class:`Fallback`."""
    doc_schema, ann_schema = arrow_schema("documents"), arrow_schema("annotations")
    raw_type, labels = _layer_types()
    doc_rows: list[Row] = []
    set_rows: list[Row] = []
    raw_sets: list[Any] = []
    gold_rows: list[int] = []
    try:
        for doc in docs:
            doc_id = require_keys(doc, "id", "text", "meta", "schema_version")
            sets = doc.get("annotations", [])
            gold = gold_index(sets)
            gold_rows.append(len(raw_sets) + gold if gold >= 0 else -1)
            for index, ann in enumerate(sets):
                set_rows.append(set_scalars(doc_id, index, ann, codec))
                raw_sets.append(ann)
            doc_rows.append(document_scalars(doc, doc_id, sets, gold))
        layers = pa.array(raw_sets, type=raw_type)
    except Exception as exc:  # the row path reports it with its code, or encodes it the same way
        raise Fallback(type(exc).__name__) from None
    encoded = {
        name: _encode_column(layers.field(name), ann_schema.field(name).type, name, labels) for name in LAYERS
    }
    ann_scalars = [n for n in ann_schema.names if n not in encoded]
    try:
        ann_cols = dict(zip(ann_scalars, _scalars(set_rows, ann_schema, ann_scalars), strict=True))
        doc_scalars = [n for n in doc_schema.names if n not in encoded]
        doc_cols = dict(zip(doc_scalars, _scalars(doc_rows, doc_schema, doc_scalars), strict=True))
    except ARROW_VALUE_ERRORS as exc:
        raise Fallback(type(exc).__name__) from None
    ann_cols.update(encoded)
    # a document without gold takes the one empty row appended to each layer
    take = pa.array([g if g >= 0 else len(raw_sets) for g in gold_rows], pa.int64())
    for name, column in encoded.items():
        padded = pa.concat_arrays([column, pa.array([[]], column.type)])
        doc_cols[name] = padded.take(take)
    return (
        pa.Table.from_arrays([doc_cols[n] for n in doc_schema.names], schema=doc_schema),
        pa.Table.from_arrays([ann_cols[n] for n in ann_schema.names], schema=ann_schema),
    )


def encode_batch(docs: Sequence[Document], codec: LabelCodec) -> tuple[pa.Table, pa.Table]:
    """The ``documents`` and ``annotations`` tables of a batch: column-wise when it can, else row by row,
    where a document too broken to encode gets its coded error."""
    try:
        return encode_tables(docs, codec)
    except Fallback:
        doc_rows: list[Row] = []
        ann_rows: list[Row] = []
        for doc in docs:
            doc_row, rows = encode_document(doc, codec)
            doc_rows.append(doc_row)
            ann_rows.extend(rows)
        return (
            rows_to_table(doc_rows, arrow_schema("documents")),
            rows_to_table(ann_rows, arrow_schema("annotations")),
        )
