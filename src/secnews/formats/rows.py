"""Canonical documents <-> table rows: the one encoding the ``documents``, ``annotations``, ``ner`` and
``events`` tables share.

Labels become ClassLabel indices through a :class:`LabelCodec` (the taxonomy lists, in order), and
every key the canonical JSON may omit or set to null is kept apart, so decoding gives back the
document field for field (see :mod:`secnews.formats.arrow_schema`). Kept apart from the Parquet files
so the Hub folder and the sentence tables encode the same way without importing the file readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import orjson
import pyarrow as pa

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.formats.arrow_schema import META_NULLABLE_OPTIONAL, ner_tag_names
from secnews.model.document import LAYERS, Document

Row = dict[str, Any]


# --------------------------------------------------------------------------- label codec


class LabelCodec:
    """Name <-> ClassLabel index for every taxonomy section, with coded errors on bad values."""

    def __init__(self, tax: Taxonomy | None = None) -> None:
        self.tax = tax or load_taxonomy()
        self._names: dict[str, list[str]] = {}
        self._index: dict[str, dict[str, int]] = {}
        #: section -> {name: index, None: None}: :meth:`encode`'s one-lookup fast path
        self._encoded: dict[str, dict[str | None, int | None]] = {}
        self._ner_tags: dict[str, int] | None = None

    def ner_tag_index(self) -> dict[str, int]:
        """IOB2 tag name -> index (:func:`~secnews.formats.arrow_schema.ner_tag_names`), built once per
        codec: the ``ner`` rows of every document of a release need it."""
        if self._ner_tags is None:
            self._ner_tags = {name: i for i, name in enumerate(ner_tag_names(self.tax))}
        return self._ner_tags

    def names(self, section: str) -> list[str]:
        if section not in self._names:
            self._names[section] = self.tax.names(section)
            self._index[section] = {n: i for i, n in enumerate(self._names[section])}
            encoded: dict[str | None, int | None] = {None: None}
            encoded.update(self._index[section])
            self._encoded[section] = encoded
        return self._names[section]

    def encode(self, section: str, value: str | None, column: str, doc_id: str | None = None) -> int | None:
        """A label's index; called for every label of every record, so a known label (or None) of a
        section already seen costs two dict lookups, and anything else takes :meth:`_encode`."""
        try:
            return self._encoded[section][value]
        except (KeyError, TypeError):
            return self._encode(section, value, column, doc_id)

    def _encode(self, section: str, value: str | None, column: str, doc_id: str | None) -> int | None:
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


Encode = Callable[[str, Any, str, str], int | None]


def _encode_layers(ann: dict[str, Any], codec: LabelCodec, doc_id: str) -> Row:
    """The five layers of one set as Arrow-ready lists (labels as indices)."""
    return {
        name: [encode(item, codec.encode, doc_id) for item in ann.get(name, [])]
        for name, encode in _LAYER_ENCODERS.items()
    }


def _encode_entity(e: dict[str, Any], enc: Encode, doc_id: str) -> Row:
    return {
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


def _encode_event(v: dict[str, Any], enc: Encode, doc_id: str) -> Row:
    return {
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


def _encode_attribution(a: dict[str, Any], enc: Encode, doc_id: str) -> Row:
    return {
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


def _encode_timex(t: dict[str, Any], enc: Encode, doc_id: str) -> Row:
    return {
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


def _encode_relation(r: dict[str, Any], enc: Encode, doc_id: str) -> Row:
    return {
        "id": r["id"],
        "type": enc("relation_types", r["type"], "relations.type", doc_id),
        "head": r["head"],
        "tail": r["tail"],
    }


_LAYER_ENCODERS: dict[str, Callable[[dict[str, Any], Encode, str], Row]] = {
    "entities": _encode_entity,
    "events": _encode_event,
    "attributions": _encode_attribution,
    "timexes": _encode_timex,
    "relations": _encode_relation,
}


def _empty_layers() -> Row:
    return {name: [] for name in LAYERS}


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


def require_keys(doc: Document, *keys: str) -> str:
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
    doc_id = require_keys(doc, "id", "text", "meta", "schema_version")
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


def set_scalars(doc_id: str, index: int, ann: dict[str, Any], codec: LabelCodec) -> Row:
    """An ``annotations`` row without its five layers: provenance, labels, adjudication record."""
    labels = ann.get("labels") or {}
    return {
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
        "adjudication": _json_or_none(ann.get("adjudication")),
    }


def gold_index(sets: list[dict[str, Any]]) -> int:
    """The position of the document's gold set (the first with status gold), or -1."""
    return next((i for i, s in enumerate(sets) if s.get("status") == "gold"), -1)


def document_scalars(doc: Document, doc_id: str, sets: list[dict[str, Any]], gold: int) -> Row:
    """A ``documents`` row without its gold layers: id, text, typed meta, gold labels."""
    gold_set = sets[gold] if gold >= 0 else None
    gold_labels = (gold_set or {}).get("labels") or {}
    return {
        "id": doc_id,
        "schema_version": doc["schema_version"],
        "text": doc["text"],
        **_meta_row(doc["meta"], doc_id),
        "has_gold": gold_set is not None,
        "gold_set_id": gold_set.get("id") if gold_set else None,
        "num_annotation_sets": len(sets),
        "relevant": gold_labels.get("relevant"),
        "countries": gold_labels.get("countries", []),
    }


def _encode_document(doc: Document, doc_id: str, codec: LabelCodec) -> tuple[Row, list[Row]]:
    sets = doc.get("annotations", [])
    gold = gold_index(sets)
    ann_rows: list[Row] = []
    gold_layers: Row | None = None
    for index, ann in enumerate(sets):
        layers = _encode_layers(ann, codec, doc_id)
        ann_rows.append({**set_scalars(doc_id, index, ann, codec), **layers})
        if index == gold:
            gold_layers = layers
    doc_row = {**document_scalars(doc, doc_id, sets, gold), **(gold_layers or _empty_layers())}
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


Decode = Callable[[str, Any, str, str], str | None]


def _decode_layers(row: Row, codec: LabelCodec, doc_id: str) -> Row:
    """The five layers of one set back as canonical lists (labels as names, absent keys dropped)."""
    return {
        name: [decode(item, codec.decode, doc_id) for item in row[name] or []]
        for name, decode in _LAYER_DECODERS.items()
    }


def _decode_entity(e: dict[str, Any], dec: Decode, doc_id: str) -> Row:
    return _drop_none(
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


def _decode_event(v: dict[str, Any], dec: Decode, doc_id: str) -> Row:
    return _drop_none(
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


def _decode_attribution(a: dict[str, Any], dec: Decode, doc_id: str) -> Row:
    return _drop_none(
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


def _decode_timex(t: dict[str, Any], dec: Decode, doc_id: str) -> Row:
    return _drop_none(
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


def _decode_relation(r: dict[str, Any], dec: Decode, doc_id: str) -> Row:
    return {
        "id": r["id"],
        "type": dec("relation_types", r["type"], "relations.type", doc_id),
        "head": r["head"],
        "tail": r["tail"],
    }


_LAYER_DECODERS: dict[str, Callable[[dict[str, Any], Decode, str], Row]] = {
    "entities": _decode_entity,
    "events": _decode_event,
    "attributions": _decode_attribution,
    "timexes": _decode_timex,
    "relations": _decode_relation,
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


# --------------------------------------------------------------------------- rows -> Arrow

#: what Arrow raises for a value that does not fit its column
ARROW_VALUE_ERRORS = (pa.ArrowException, OverflowError, TypeError, ValueError)


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
    except ARROW_VALUE_ERRORS:
        pass
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except ARROW_VALUE_ERRORS:
        for row in rows:  # find the culprit only on failure: the fast path stays one call
            try:
                pa.Table.from_pylist([row], schema=schema)
            except ARROW_VALUE_ERRORS as exc:
                doc_id = row.get("doc_id", row.get("id"))
                raise SecnewsError(
                    make_finding(
                        "CONVERT_BAD_DOCUMENT",
                        doc_id=str(doc_id),
                        detail=f"a value does not fit its column ({exc}); validate the document first",
                    )
                ) from None
        raise
