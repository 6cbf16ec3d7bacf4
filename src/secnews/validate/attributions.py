"""Attributions: who says what (a source entity, a cue, content spans and the events reported)."""

from __future__ import annotations

from secnews.core.findings import Rule, register
from secnews.validate.check import Context, SetScope, check
from secnews.validate.references import REF_CODES, expect_layer, points_at
from secnews.validate.spans import SPAN_CODES, check_span, span_ok

register(
    Rule(
        "ATTRIBUTION_EMPTY",
        "Attribution reports nothing",
        "warning",
        "attribution {value!r} has neither content spans nor events",
        "An attribution links a source to what it says: content spans, events, or both.",
        "reference",
    ),
)


@check(*SPAN_CODES, *REF_CODES, "ATTRIBUTION_EMPTY")
def attributions(ctx: Context, scope: SetScope) -> None:
    """Cue and content spans, the source (an entity) and the reported events (events)."""
    text, index = scope.text, scope.index
    for i, att in enumerate(scope.ann["attributions"]):
        path = ("attributions", i)
        if not span_ok(att["cue"], text):
            check_span(ctx, att["cue"], (*path, "cue"), text, att["id"])
        for j, c in enumerate(att["content"]):
            if not span_ok(c, text):
                check_span(ctx, c, (*path, "content", j), text, att["id"])
        source = att["source"]
        if source is not None and not points_at(index, source, "entities"):
            expect_layer(ctx, index, source, "entities", (*path, "source"), att["id"], "attribution source")
        for j, ev_id in enumerate(att["events"]):
            if not points_at(index, ev_id, "events"):
                expect_layer(
                    ctx, index, ev_id, "events", (*path, "events", j), att["id"], "attribution event"
                )
        if not att["content"] and not att["events"]:
            ctx.add("ATTRIBUTION_EMPTY", path, att["id"], value=att["id"])
