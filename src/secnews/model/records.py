"""Typed records of a canonical document: the data contract of ``schema/document.schema.json`` in Python.

Documents travel as plain JSON-compatible dicts (parsed by orjson, written with sorted keys), so the
records are ``TypedDict`` s, not classes: no conversion cost on a 100k-document run, and a type checker
still knows every field. ``tests/model/test_records.py`` proves the fields equal the JSON Schema's, so
the two cannot drift apart. Optional fields (``NotRequired``) are the schema's non-required ones.
No ``from __future__ import annotations`` here: on Python 3.11 a TypedDict only sees ``NotRequired``
in annotations evaluated when the class is created.
"""

from typing import Any, NotRequired, TypedDict


class Span(TypedDict):
    """Character offsets ``[start, end)`` into the document text, and the text they cover."""

    start: int
    end: int
    text: str


class ContentSpan(Span):
    """A piece of reported content; ``id`` keeps a Label Studio region id through a round trip."""

    id: NotRequired[str]


class Entity(TypedDict):
    id: str
    start: int
    end: int
    text: str
    type: str
    mention: str
    actor: str | None
    source_label: NotRequired[str]
    score: NotRequired[float]


class Argument(TypedDict):
    role: str
    ref: str


class Fatalities(TypedDict):
    min: int | None
    max: int | None


class Event(TypedDict):
    id: str
    type: str
    trigger: Span
    realis: str
    fatalities: Fatalities | None
    arguments: list[Argument]
    source_label: NotRequired[str]
    score: NotRequired[float]


class Attribution(TypedDict):
    id: str
    source: str | None
    cue: Span
    content: list[ContentSpan]
    events: list[str]
    source_type: str
    claim: str
    certainty: str
    quote: str
    score: NotRequired[float]


class Timex(TypedDict):
    id: str
    start: int
    end: int
    text: str
    type: str
    value: str | None
    anchor: str | None
    mod: str | None
    source_label: NotRequired[str]
    score: NotRequired[float]


class Relation(TypedDict):
    id: str
    type: str
    head: str
    tail: str


class Labels(TypedDict):
    relevant: bool | None
    countries: list[str]


class Resolution(TypedDict):
    conflict: str
    decision: str
    by: NotRequired[str]
    note: NotRequired[str | None]


class Adjudication(TypedDict):
    sets: list[str]
    resolutions: list[Resolution]


class AnnotationSet(TypedDict):
    """One annotator's (or model's, or the adjudicated gold) layers over the document text."""

    id: str
    kind: str
    annotator: str
    status: str
    created: str | None
    updated: str | None
    origin: dict[str, Any] | None
    labels: Labels
    entities: list[Entity]
    events: list[Event]
    attributions: list[Attribution]
    timexes: list[Timex]
    relations: list[Relation]
    adjudication: NotRequired[Adjudication]


class Meta(TypedDict):
    published: str
    source: str
    language: str
    license: str
    title: NotRequired[str | None]
    url: NotRequired[str | None]
    collection: NotRequired[str | None]
    attribution: NotRequired[str | None]
    source_id: NotRequired[str | None]
    authors: NotRequired[list[str]]
    retrieved: NotRequired[str | None]
    notes: NotRequired[str | None]


class DocumentRecord(TypedDict):
    """A whole canonical document: one text, its metadata, every annotation set kept."""

    schema_version: str
    id: str
    text: str
    meta: Meta
    annotations: list[AnnotationSet]


#: the JSON Schema ``$defs`` name of each record type (the test compares their fields)
SCHEMA_DEFS: dict[str, type] = {
    "span": Span,
    "entity": Entity,
    "argument": Argument,
    "event": Event,
    "attribution": Attribution,
    "timex": Timex,
    "relation": Relation,
    "labels": Labels,
    "adjudication": Adjudication,
    "annotation_set": AnnotationSet,
    "meta": Meta,
}
