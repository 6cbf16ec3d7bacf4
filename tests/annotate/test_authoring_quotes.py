"""Quotes in worksheets resolve on whole words only (the 'coopération' / 'opération' defect of gold 1.0)."""

from __future__ import annotations

import pytest

from secnews.annotate.worksheets import _quote_for, resolve_quote
from secnews.core.findings import SecnewsError

TEXT = "La coopération militaire et l'opération Barkhane. Une opération de police a suivi."


def test_a_quote_never_lands_inside_a_longer_word() -> None:
    start, end = resolve_quote(TEXT, "opération@1")
    assert TEXT[start - 2 : end] == "l'opération"


def test_occurrences_count_whole_words_only() -> None:
    with pytest.raises(SecnewsError) as err:
        resolve_quote(TEXT, "opération")
    assert err.value.findings[0].code == "QUOTE_AMBIGUOUS"
    assert "2 times" in err.value.findings[0].message


def test_a_context_quote_needs_its_core_on_word_boundaries() -> None:
    with pytest.raises(SecnewsError) as err:
        resolve_quote(TEXT, "co[[opération]]")
    assert err.value.findings[0].code == "QUOTE_NOT_FOUND"
    start, _ = resolve_quote(TEXT, "Une [[opération]]")
    assert TEXT[start - 4 : start] == "Une "


def test_dump_quotes_resolve_back_and_word_cuts_are_shown_in_their_word() -> None:
    for start, end in ((30, 39), (54, 63), (3, 14)):
        assert resolve_quote(TEXT, _quote_for(TEXT, start, end)) == (start, end)
    cut = _quote_for(TEXT, 5, 14)
    assert cut == "co[[opération]]"
