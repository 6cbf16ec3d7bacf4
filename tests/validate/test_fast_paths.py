"""The validator's fast paths give the verdict of the full rules they short-cut (property tests)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secnews.model import timex3 as tx
from secnews.validate.timexes import value_problem


def _full_grammar(timex_type: str, value: str) -> str | None:
    if not tx.value_is_well_formed(value):
        return "TIMEX_VALUE_SYNTAX"
    if not tx.value_matches_type(timex_type, value):
        return "TIMEX_TYPE_MISMATCH"
    return None


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["DATE", "TIME", "DURATION", "SET"]),
    st.one_of(
        st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"), st.from_regex(r"\A\d{4}-\d\d-\d\d(T\d\d:\d\d)?\Z")
    ),
)
def test_plain_day_values_get_the_full_grammars_verdict(timex_type: str, value: str) -> None:
    value_problem.cache_clear()
    assert value_problem(timex_type, value) == _full_grammar(timex_type, value)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_fold_of_ascii_text_is_the_table_fold(text: str) -> None:
    assert tx.fold(text) == text.lower().translate(tx._FOLD_TABLE)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "lundi",
                "Jeudi",
                "dernier",
                "dernière",
                "prochain",
                "hier",
                "avant-hier",
                "demain",
                "12",
                "mai",
                "ce",
            ]
        ),
        max_size=4,
    ).map(" ".join),
    st.dates(min_value=date(1, 1, 15), max_value=date(9999, 12, 15)),
    st.dates(min_value=date(1, 1, 15), max_value=date(9999, 12, 15)),
)
def test_day_words_give_the_relative_day_rules(text: str, day: object, anchor: object) -> None:
    """expected_relative_day and relative_day_plausible, now read from day_words, against the rules
    written out on the folded text."""
    assert isinstance(day, date) and isinstance(anchor, date)
    folded = tx.fold(text)
    names = r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
    last = re.search(names + r"\s+derni(?:er|ere)\b", folded)
    nxt = re.search(names + r"\s+prochain\b", folded)
    any_day = re.search(r"\b" + names + r"s?\b", folded)
    digit = re.search(r"\d", folded)
    deictic = re.search(r"(?<![\w-])(avant-hier|apres-demain|hier|aujourd'hui|demain)(?![\w-])", folded)
    if last:
        expected = tx.last_weekday_before(anchor, tx.WEEKDAYS_FR[last.group(1)])
    elif nxt:
        expected = tx.next_weekday_after(anchor, tx.WEEKDAYS_FR[nxt.group(1)])
    elif any_day or digit or not deictic:
        expected = None
    else:
        shift = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "apres-demain": 2}
        expected = anchor + timedelta(days=shift[deictic.group(1)])
    assert tx.expected_relative_day(text, anchor) == expected
    plausible = not any_day or bool(digit) or abs((day - anchor).days) <= 7
    assert tx.relative_day_plausible(text, day, anchor) == plausible


@pytest.mark.parametrize(
    ("text", "anchor"), [("lundi dernier", date(1, 1, 1)), ("demain", date(9999, 12, 31))]
)
def test_no_expected_day_beyond_the_calendar(text: str, anchor: date) -> None:
    """Regression (found by hypothesis): an anchor at the calendar's edge raised OverflowError."""
    assert tx.expected_relative_day(text, anchor) is None
