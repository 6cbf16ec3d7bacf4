"""Timexes: TIMEX3 values, their anchors, and the day they name against the words of the span.

A value is checked from syntax to meaning and the first failure stops the chain: a malformed value
has no type to match, and a value that names no day has no weekday to compare.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from secnews.core.findings import Rule, register
from secnews.model import timex3 as tx
from secnews.validate.check import Context, RecordIndex, SetScope, check
from secnews.validate.spans import SPAN_CODES, check_span

register(
    Rule(
        "TIMEX_VALUE_SYNTAX",
        "Bad TIMEX3 value",
        "error",
        "timex value {value!r} is not a well-formed TIMEX3 value",
        "Values follow TIMEX3 (2024-12-26, 2024-W52, 2024-12-26T19:30, P3D, PXY, PAST_REF...) and name real days.",
        "date",
    ),
    Rule(
        "TIMEX_TYPE_MISMATCH",
        "TIMEX3 value does not fit its type",
        "error",
        "a {type} cannot have the value {value!r}",
        "TIMEX3 ties syntax to type: a DURATION is P..., a TIME carries T..., a DATE neither.",
        "date",
    ),
    Rule(
        "TIMEX_VALUE_MISSING",
        "Gold timex without value",
        "error",
        "timex {text!r} has no value in a gold set",
        "Imported or predicted timexes may wait for normalisation; gold ones may not (SCHEMA-v1 section 5).",
        "date",
    ),
    Rule(
        "TIMEX_WEEKDAY_MISMATCH",
        "Weekday mismatch",
        "error",
        "{text!r} names {named} but {value} is a {actual}",
        "A value that names a day must fall on the weekday the span names ('samedi 28 décembre' is a Saturday).",
        "date",
    ),
    Rule(
        "TIMEX_DCT_INCONSISTENT",
        "Relative date inconsistent with its anchor",
        "error",
        "{text!r} anchored on {anchor_value} should be {expected}, not {value}",
        "Relative dates resolve against the DCT (or their anchor): 'jeudi dernier' on Saturday 2024-12-28 is "
        "2024-12-26, the most recent Thursday before the DCT.",
        "date",
    ),
    Rule(
        "TIMEX_ANCHOR",
        "Bad timex anchor",
        "error",
        "timex anchor {value!r} {detail}",
        "An anchor is 'DCT' or the id of another timex of the set that names a day.",
        "date",
    ),
)

_DAY_NAMES = {v: k for k, v in tx.WEEKDAYS_FR.items()}


@check(
    *SPAN_CODES,
    "TIMEX_VALUE_MISSING",
    "TIMEX_VALUE_SYNTAX",
    "TIMEX_TYPE_MISMATCH",
    "TIMEX_ANCHOR",
    "TIMEX_WEEKDAY_MISMATCH",
    "TIMEX_DCT_INCONSISTENT",
)
def timexes(ctx: Context, scope: SetScope) -> None:
    """Each timex's span and value; gold sets must have every value filled in."""
    is_gold = scope.ann["status"] == "gold"
    for i, tmx in enumerate(scope.ann["timexes"]):
        path = ("timexes", i)
        check_span(ctx, tmx, path, scope.text, tmx["id"])
        value = tmx["value"]
        if value is None:
            if is_gold:
                ctx.add("TIMEX_VALUE_MISSING", (*path, "value"), tmx["id"], text=tmx["text"])
            continue
        if not tx.value_is_well_formed(value):
            ctx.add("TIMEX_VALUE_SYNTAX", (*path, "value"), tmx["id"], value=value)
            continue
        if not tx.value_matches_type(tmx["type"], value):
            ctx.add("TIMEX_TYPE_MISMATCH", (*path, "value"), tmx["id"], type=tmx["type"], value=value)
            continue
        _check_day(ctx, tmx, path, scope.index, scope.dct)


def _anchor_day(
    ctx: Context, tmx: dict[str, Any], path: tuple[Any, ...], index: RecordIndex, dct: date | None
) -> date | None:
    """The day relative expressions resolve against: the DCT, or the day its anchor timex names."""
    anchor = tmx["anchor"]
    if anchor is None or anchor == "DCT":
        return dct
    target = index.get(anchor)
    if anchor == tmx["id"]:
        ctx.add("TIMEX_ANCHOR", (*path, "anchor"), tmx["id"], value=anchor, detail="is the timex itself")
        return None
    if target is None or target[0] != "timexes":
        ctx.add(
            "TIMEX_ANCHOR", (*path, "anchor"), tmx["id"], value=anchor, detail="is not a timex of this set"
        )
        return None
    day = tx.value_day(target[1]["value"] or "")
    if day is None:
        ctx.add("TIMEX_ANCHOR", (*path, "anchor"), tmx["id"], value=anchor, detail="does not name a day")
    return day


def _check_day(
    ctx: Context, tmx: dict[str, Any], path: tuple[Any, ...], index: RecordIndex, dct: date | None
) -> None:
    """The named weekday first (it needs no anchor), then the day a relative expression implies."""
    anchor_day = _anchor_day(ctx, tmx, path, index, dct)
    day = tx.value_day(tmx["value"])
    if day is None:
        return
    named = tx.weekdays_in_span(tmx["text"])
    if named and day.isoweekday() not in named:
        ctx.add(
            "TIMEX_WEEKDAY_MISMATCH",
            (*path, "value"),
            tmx["id"],
            text=tmx["text"],
            named=" or ".join(_DAY_NAMES[n] for n in sorted(named)),
            value=tmx["value"],
            actual=_DAY_NAMES[day.isoweekday()],
        )
        return
    if anchor_day is not None:
        _check_relative_day(ctx, tmx, path, day, anchor_day)


def _check_relative_day(
    ctx: Context, tmx: dict[str, Any], path: tuple[Any, ...], day: date, anchor_day: date
) -> None:
    expected = tx.expected_relative_day(tmx["text"], anchor_day)
    if (expected is not None and expected != day) or (
        expected is None and not tx.relative_day_plausible(tmx["text"], day, anchor_day)
    ):
        ctx.add(
            "TIMEX_DCT_INCONSISTENT",
            (*path, "value"),
            tmx["id"],
            text=tmx["text"],
            anchor_value=anchor_day.isoformat(),
            expected=expected.isoformat() if expected else "within a week of it",
            value=tmx["value"],
        )
