"""Spans (offsets into the document text) and the entity layer, which is nothing but spans.

Every layer with offsets goes through :func:`check_span`; the fast path :func:`span_ok` costs one
slice for a correct span, so callers test it first and only pay for the diagnosis when it fails.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from secnews.core.actors import load_actors
from secnews.core.findings import Rule, register
from secnews.core.paths import schema_dir
from secnews.validate.check import Context, SetScope, check

register(
    Rule(
        "SPAN_OUT_OF_RANGE",
        "Span out of range",
        "error",
        "span [{start}, {end}) is outside the text (length {length})",
        "Offsets are code points into the document text, end exclusive.",
        "span",
    ),
    Rule(
        "SPAN_INVERTED",
        "Empty or inverted span",
        "error",
        "span [{start}, {end}) is empty or inverted",
        "A span needs start < end.",
        "span",
    ),
    Rule(
        "SPAN_TEXT_MISMATCH",
        "Span text mismatch",
        "error",
        "span [{start}, {end}) covers {actual!r} but its text says {expected!r}",
        "Every span carries its text; a mismatch means shifted offsets (UTF-16 vs code points, CRLF, edits).",
        "span",
    ),
    Rule(
        "SPAN_WHITESPACE_EDGE",
        "Span with edge whitespace",
        "warning",
        "span text {expected!r} starts or ends with white space",
        "Spans are trimmed to the words they mark; edge spaces make exact-match scores wrong.",
        "span",
    ),
    Rule(
        "DUPLICATE_SPAN",
        "Duplicate span",
        "warning",
        "{layer} {value!r} repeats the span and type of {other!r}",
        "Two identical annotations are usually a double click; they inflate counts.",
        "span",
    ),
    Rule(
        "UNKNOWN_ACTOR",
        "Unknown actor",
        "error",
        "actor {value!r} is not in schema/actors.yaml",
        "Entity actors link to the actor registry; an unknown id is a typo or a missing registry entry.",
        "span",
    ),
)

#: the codes :func:`check_span` may emit, for the checks that call it to declare
SPAN_CODES = ("SPAN_OUT_OF_RANGE", "SPAN_INVERTED", "SPAN_TEXT_MISMATCH", "SPAN_WHITESPACE_EDGE")


def span_ok(rec: dict[str, Any], text: str) -> bool:
    """The fast path: a correct, trimmed span (the overwhelmingly common case) costs one slice."""
    start, end, expected = rec["start"], rec["end"], rec["text"]
    return (
        0 <= start < end <= len(text)
        and text[start:end] == expected
        and not expected[0].isspace()
        and not expected[-1].isspace()
    )


def check_span(
    ctx: Context, rec: dict[str, Any], path: tuple[Any, ...], text: str, rec_id: str | None
) -> bool:
    """Whether the span is usable; reports the first thing wrong with it (one of ``SPAN_CODES``)."""
    if span_ok(rec, text):
        return True
    start, end, expected = rec["start"], rec["end"], rec["text"]
    n = len(text)
    if end > n:
        ctx.add("SPAN_OUT_OF_RANGE", path, rec_id, start=start, end=end, length=n)
        return False
    if start >= end:
        ctx.add("SPAN_INVERTED", path, rec_id, start=start, end=end)
        return False
    actual = text[start:end]
    if actual != expected:
        ctx.add("SPAN_TEXT_MISMATCH", path, rec_id, start=start, end=end, actual=actual, expected=expected)
        return False
    ctx.add("SPAN_WHITESPACE_EDGE", path, rec_id, expected=expected)
    return True


def _actor_ids() -> frozenset[str] | None:
    """The actor registry's ids; None (no check) for a project that has no registry."""
    return _actor_ids_in(schema_dir() / "actors.yaml")


@cache
def _actor_ids_in(path: Path) -> frozenset[str] | None:
    return frozenset(load_actors(path).ids()) if path.exists() else None


@check(*SPAN_CODES, "DUPLICATE_SPAN", "UNKNOWN_ACTOR")
def entities(ctx: Context, scope: SetScope) -> None:
    """Entity spans, doubled entities and links to the actor registry."""
    text, actors = scope.text, _actor_ids()
    n = len(text)
    seen: dict[tuple[int, int, str], str] = {}
    for i, ent in enumerate(scope.ann["entities"]):
        start, end, words = ent["start"], ent["end"], ent["text"]
        # span_ok inlined (entities are most of the spans); strip() is isspace() at both ends
        if not (0 <= start < end <= n and text[start:end] == words and words.strip() == words):
            check_span(ctx, ent, ("entities", i), text, ent["id"])
        other = seen.setdefault((start, end, ent["type"]), ent["id"])
        if other != ent["id"]:
            ctx.add(
                "DUPLICATE_SPAN", ("entities", i), ent["id"], layer="entity", value=ent["id"], other=other
            )
        actor = ent["actor"]
        if actor is not None and actors is not None and actor not in actors:
            ctx.add("UNKNOWN_ACTOR", ("entities", i, "actor"), ent["id"], value=actor)
