"""Arrow schemas and ``datasets.Features`` of the four dataset configs, derived from the taxonomy.

This is the ONE place where the columns of ``documents``, ``annotations``, ``ner`` and ``events`` are
defined. The ``datasets.Features`` are written first and the Arrow schema is derived from them
(``features.arrow_schema``, which carries the ``huggingface`` metadata key), so the Parquet files, the
README's ``dataset_info`` and ``load_dataset`` can never disagree: a ClassLabel's names are the
taxonomy list of the same name, in its append-only order (the position is the label index).

Conventions (also stated in the dataset card):

- A label that canonical JSON allows to be null (``mention``, ``realis``, ``source_type``, ``claim``,
  ``certainty``, ``quote``, ``mod``) is an Arrow null in its ClassLabel column, never ``-1``:
  ``datasets`` 5.2 keeps a null ClassLabel as ``None`` through ``load_dataset`` (measured), and ``-1``
  would be a valid-looking integer to every other engine.
- Free-form objects (``origin``, ``adjudication``) are JSON strings (sorted keys), because their values
  have union types (``project`` is an integer or a string) that Arrow cannot hold without loss.
- An optional key that canonical JSON forbids to be null (``source_label``, ``score``, a content
  span's ``id``, ``meta.authors``) is null in Parquet exactly when it is absent in JSON. Optional meta
  keys that may also be null are listed in ``meta_null_keys`` when they are present with value null.

This module also registers the coded rules for bad Parquet input.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from secnews.core.findings import Rule, register
from secnews.core.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    import datasets

CONFIGS: tuple[str, ...] = ("documents", "annotations", "ner", "events")

#: optional meta keys whose value may be JSON null (absent and null must both round-trip)
META_NULLABLE_OPTIONAL: tuple[str, ...] = (
    "title",
    "url",
    "collection",
    "attribution",
    "source_id",
    "retrieved",
    "notes",
)
#: every meta key, in column order
META_KEYS: tuple[str, ...] = (
    "published",
    "source",
    "language",
    "license",
    "title",
    "url",
    "collection",
    "attribution",
    "source_id",
    "authors",
    "retrieved",
    "notes",
)

register(
    Rule(
        "PARQUET_UNREADABLE",
        "Not a readable Parquet file",
        "error",
        "cannot read Parquet: {detail}",
        "The file is missing, is not Parquet, or is truncated.",
        "parquet",
    ),
    Rule(
        "PARQUET_MISSING_COLUMN",
        "Missing Parquet column",
        "error",
        "column {column!r} of config {config!r} is missing",
        "Every column of the config's schema is needed to rebuild canonical documents losslessly.",
        "parquet",
    ),
    Rule(
        "PARQUET_UNKNOWN_COLUMN",
        "Unknown Parquet column",
        "error",
        "column {column!r} is not part of config {config!r}",
        "An unknown column would be dropped silently on conversion back to canonical JSON.",
        "parquet",
    ),
    Rule(
        "PARQUET_WRONG_TYPE",
        "Wrong Parquet column type",
        "error",
        "column {column!r} has type {found}, expected {expected}",
        "A column whose type cannot be safely cast to the schema's would corrupt values.",
        "parquet",
    ),
    Rule(
        "PARQUET_LABEL_OUT_OF_RANGE",
        "Label index out of range",
        "error",
        "label index {value} in {column} is outside 0..{last} ({section})",
        "Plain pyarrow does not range-check ClassLabel columns, and datasets loads them silently.",
        "parquet",
    ),
    Rule(
        "PARQUET_BAD_VALUE",
        "Bad value in Parquet",
        "error",
        "{column}: {detail}",
        "A value cannot be turned back into canonical JSON (bad JSON string, impossible date).",
        "parquet",
    ),
    Rule(
        "PARQUET_ORPHAN_ANNOTATIONS",
        "Annotation rows without a document",
        "error",
        "annotation rows for document {found!r} do not follow its document row (next document: {expected!r})",
        "The annotations table must list sets grouped by document in the documents table's order.",
        "parquet",
    ),
    Rule(
        "PARQUET_DUPLICATE_DOCUMENT",
        "Duplicate document id",
        "error",
        "document id {value!r} appears twice in the documents table",
        "A document id names a file; two rows with one id would overwrite each other.",
        "parquet",
    ),
    Rule(
        "CONVERT_UNKNOWN_FORMAT",
        "Unknown conversion format",
        "error",
        "{detail}",
        "The format of a path could not be inferred; give it with --from/--to.",
        "input",
    ),
    Rule(
        "CONVERT_UNSUPPORTED",
        "Unsupported conversion",
        "error",
        "{detail}",
        "This pair of formats cannot be converted (or needs a module that is not installed).",
        "input",
    ),
    Rule(
        "CONVERT_BAD_LABEL",
        "Label not in the taxonomy",
        "error",
        "{column}: {value!r} is not a name of taxonomy section {section!r}",
        "A label outside the taxonomy has no ClassLabel index; validate documents before converting.",
        "input",
    ),
    Rule(
        "CONVERT_BAD_DOCUMENT",
        "Document cannot be converted",
        "error",
        "{detail}",
        "The document lacks a field the tables need; validate it first.",
        "input",
    ),
)


def _features_module() -> Any:
    import datasets

    return datasets


def _cl(tax: Taxonomy, section: str) -> datasets.ClassLabel:
    ds = _features_module()
    return ds.ClassLabel(names=tax.names(section))


def _v(dtype: str) -> datasets.Value:
    return _features_module().Value(dtype)


def _list(inner: Any) -> datasets.List:
    return _features_module().List(inner)


def _span() -> dict[str, Any]:
    return {"start": _v("int32"), "end": _v("int32"), "text": _v("string")}


def layer_features(tax: Taxonomy) -> dict[str, Any]:
    """The five annotation layers as lists of structs (shared by ``documents`` and ``annotations``)."""
    entity = {
        "id": _v("string"),
        **_span(),
        "type": _cl(tax, "entity_types"),
        "mention": _cl(tax, "mention_types"),
        "actor": _v("string"),
        "source_label": _v("string"),
        "score": _v("float64"),
    }
    event = {
        "id": _v("string"),
        "type": _cl(tax, "event_types"),
        "trigger": _span(),
        "realis": _cl(tax, "realis"),
        "fatalities": {"min": _v("int32"), "max": _v("int32")},
        "arguments": _list({"role": _cl(tax, "roles"), "ref": _v("string")}),
        "source_label": _v("string"),
        "score": _v("float64"),
    }
    attribution = {
        "id": _v("string"),
        "source": _v("string"),
        "cue": _span(),
        "content": _list({"id": _v("string"), **_span()}),
        "events": _list(_v("string")),
        "source_type": _cl(tax, "source_types"),
        "claim": _cl(tax, "claims"),
        "certainty": _cl(tax, "certainty"),
        "quote": _cl(tax, "quote_types"),
        "score": _v("float64"),
    }
    timex = {
        "id": _v("string"),
        **_span(),
        "type": _cl(tax, "timex_types"),
        "value": _v("string"),
        "anchor": _v("string"),
        "mod": _cl(tax, "timex_mods"),
        "source_label": _v("string"),
        "score": _v("float64"),
    }
    relation = {
        "id": _v("string"),
        "type": _cl(tax, "relation_types"),
        "head": _v("string"),
        "tail": _v("string"),
    }
    return {
        "entities": _list(entity),
        "events": _list(event),
        "attributions": _list(attribution),
        "timexes": _list(timex),
        "relations": _list(relation),
    }


def _meta_features() -> dict[str, Any]:
    return {
        "title": _v("string"),
        "published": _v("date32"),
        "published_iso": _v("string"),
        "source": _v("string"),
        "url": _v("string"),
        "language": _v("string"),
        "license": _v("string"),
        "collection": _v("string"),
        "attribution": _v("string"),
        "source_id": _v("string"),
        "authors": _list(_v("string")),
        "retrieved": _v("string"),
        "notes": _v("string"),
        "meta_null_keys": _list(_v("string")),
    }


def _documents(tax: Taxonomy) -> dict[str, Any]:
    return {
        "id": _v("string"),
        "schema_version": _v("string"),
        "text": _v("string"),
        **_meta_features(),
        "has_gold": _v("bool"),
        "gold_set_id": _v("string"),
        "num_annotation_sets": _v("int32"),
        "relevant": _v("bool"),
        "countries": _list(_v("string")),
        **layer_features(tax),
    }


def _annotations(tax: Taxonomy) -> dict[str, Any]:
    return {
        "doc_id": _v("string"),
        "set_index": _v("int32"),
        "id": _v("string"),
        "kind": _cl(tax, "annotation_kinds"),
        "annotator": _v("string"),
        "status": _cl(tax, "annotation_statuses"),
        "created": _v("string"),
        "updated": _v("string"),
        "origin": _v("string"),
        "relevant": _v("bool"),
        "countries": _list(_v("string")),
        **layer_features(tax),
        "adjudication": _v("string"),
    }


def ner_tag_names(tax: Taxonomy | None = None) -> list[str]:
    """IOB2 tag names: ``O`` then ``B-``/``I-`` per entity type in taxonomy order (append-only too)."""
    tax = tax or load_taxonomy()
    names = ["O"]
    for t in tax.entity_types:
        names += [f"B-{t}", f"I-{t}"]
    return names


def _ner(tax: Taxonomy) -> dict[str, Any]:
    ds = _features_module()
    return {
        "doc_id": _v("string"),
        "sentence_index": _v("int32"),
        "sentence_start": _v("int32"),
        "sentence_end": _v("int32"),
        "tokens": _list(_v("string")),
        "ner_tags": _list(ds.ClassLabel(names=ner_tag_names(tax))),
        "token_starts": _list(_v("int32")),
        "token_ends": _list(_v("int32")),
    }


def _events(tax: Taxonomy) -> dict[str, Any]:
    return {
        "doc_id": _v("string"),
        "event_id": _v("string"),
        "type": _cl(tax, "event_types"),
        "acled_event_type": _v("string"),
        "acled_sub_event_type": _v("string"),
        "realis": _cl(tax, "realis"),
        "fatalities_min": _v("int32"),
        "fatalities_max": _v("int32"),
        "trigger_text": _v("string"),
        "trigger_start": _v("int32"),
        "trigger_end": _v("int32"),
        "arguments": _list(
            {
                "role": _cl(tax, "roles"),
                "ref": _v("string"),
                "text": _v("string"),
                "start": _v("int32"),
                "end": _v("int32"),
                "entity_type": _v("string"),
                "actor": _v("string"),
            }
        ),
        "attributions": _list(
            {
                "id": _v("string"),
                "source": _v("string"),
                "source_text": _v("string"),
                "source_type": _cl(tax, "source_types"),
                "claim": _cl(tax, "claims"),
                "certainty": _cl(tax, "certainty"),
                "quote": _cl(tax, "quote_types"),
                "cue_text": _v("string"),
            }
        ),
        "date": _v("string"),
        "published": _v("date32"),
        "published_iso": _v("string"),
        "countries": _list(_v("string")),
    }


_BUILDERS = {"documents": _documents, "annotations": _annotations, "ner": _ner, "events": _events}


def features(config: str, tax: Taxonomy | None = None) -> datasets.Features:
    """The ``datasets.Features`` of a config (``documents``, ``annotations``, ``ner``, ``events``)."""
    if tax is None:
        return _cached_features(config)
    return _build_features(config, tax)


@cache
def _cached_features(config: str) -> datasets.Features:
    return _build_features(config, load_taxonomy())


def _build_features(config: str, tax: Taxonomy) -> datasets.Features:
    if config not in _BUILDERS:
        raise ValueError(f"unknown config {config!r}; expected one of {', '.join(CONFIGS)}")
    return _features_module().Features(_BUILDERS[config](tax))


def arrow_schema(config: str, tax: Taxonomy | None = None) -> pa.Schema:
    """The Arrow schema of a config, with the ``huggingface`` metadata that names the ClassLabels."""
    return features(config, tax).arrow_schema


def label_columns(config: str, tax: Taxonomy | None = None) -> dict[str, list[str]]:
    """Every ClassLabel in a config: dotted column path (``events.arguments.role``) -> label names."""
    out: dict[str, list[str]] = {}
    _walk_labels(dict(features(config, tax)), "", out)
    return out


def _walk_labels(feature: Any, prefix: str, out: dict[str, list[str]]) -> None:
    ds = _features_module()
    if isinstance(feature, ds.ClassLabel):
        out[prefix] = list(feature.names)
    elif isinstance(feature, dict):
        for key, sub in feature.items():
            _walk_labels(sub, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(feature, ds.List | ds.Sequence):
        _walk_labels(feature.feature, prefix, out)
