"""Timexes: TIMEX3 values, their anchors, and the day they name against the words of the span.

A value is checked from syntax to meaning and the first failure stops the chain: a malformed value
has no type to match, and a value that names no day has no weekday to compare.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from secnews.core.findings import Rule, register
from secnews.model import timex3 as tx
from secnews.validate.check import Context, RecordIndex, SetScope, check
from secnews.validate.spans import SPAN_CODES, check_span, span_ok

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
_PLAIN_DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
    text = scope.text
    for i, tmx in enumerate(scope.ann["timexes"]):
        path = ("timexes", i)
        if not span_ok(tmx, text):
            check_span(ctx, tmx, path, text, tmx["id"])
        value = tmx["value"]
        if value is None:
            if is_gold:
                ctx.add("TIMEX_VALUE_MISSING", (*path, "value"), tmx["id"], text=tmx["text"])
            continue
        code = value_problem(tmx["type"], value)
        if code == "TIMEX_VALUE_SYNTAX":
            ctx.add(code, (*path, "value"), tmx["id"], value=value)
            continue
        if code == "TIMEX_TYPE_MISMATCH":
            ctx.add(code, (*path, "value"), tmx["id"], type=tmx["type"], value=value)
            continue
        _check_day(ctx, tmx, path, scope.index, scope.dct)


@lru_cache(maxsize=8192)
def value_problem(timex_type: str, value: str) -> str | None:
    """The first thing wrong with a value for its type; cached, as a corpus repeats a few thousand values."""
    if timex_type == "DATE" and _PLAIN_DAY_RE.fullmatch(value):
        # the common case, without the full TIMEX3 grammar: a YYYY-MM-DD DATE is right iff a real day
        return None if tx.value_day(value) is not None else "TIMEX_VALUE_SYNTAX"
    if not tx.value_is_well_formed(value):
        return "TIMEX_VALUE_SYNTAX"
    if not tx.value_matches_type(timex_type, value):
        return "TIMEX_TYPE_MISMATCH"
    return None


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
    """Anchor findings are the document's own; the day verdict is shared (see :func:`_day_problem`)."""
    anchor_day = _anchor_day(ctx, tmx, path, index, dct)
    problem = _day_problem(tmx["text"], tmx["value"], anchor_day)
    if problem is None:
        return
    code, first, second = problem
    text, value = tmx["text"], tmx["value"]
    if code == "TIMEX_WEEKDAY_MISMATCH":
        ctx.add(code, (*path, "value"), tmx["id"], text=text, named=first, value=value, actual=second)
    else:
        ctx.add(
            code, (*path, "value"), tmx["id"], text=text, anchor_value=first, expected=second, value=value
        )


def _day_problem(text: str, value: str, anchor_day: date | None) -> tuple[str, str, str] | None:
    """The named weekday first (it needs no anchor), then the day a relative expression implies.

    A pure function of (span text, value, anchor day): the French keyword matching it rests on is
    cached per span text in :func:`secnews.model.timex3.day_words`. Returns (code, named, actual) or
    (code, anchor value, expected).
    """
    day = tx.value_day(value)
    if day is None:
        return None
    named = tx.weekdays_in_span(text)
    if named and day.isoweekday() not in named:
        named_days = " or ".join(_DAY_NAMES[n] for n in sorted(named))
        return "TIMEX_WEEKDAY_MISMATCH", named_days, _DAY_NAMES[day.isoweekday()]
    if anchor_day is None:
        return None
    expected = tx.expected_relative_day(text, anchor_day)
    if (expected is not None and expected != day) or (
        expected is None and not tx.relative_day_plausible(text, day, anchor_day)
    ):
        wanted = expected.isoformat() if expected else "within a week of it"
        return "TIMEX_DCT_INCONSISTENT", anchor_day.isoformat(), wanted
    return None
