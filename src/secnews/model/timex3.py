"""TIMEX3 values: syntax, calendar meaning, and the weekday/DCT checks the validator applies.

This module is about *values* (what an annotator typed or a normaliser produced). Finding time
expressions in French text is ``secnews.annotate.timex_fr``'s job; both meet here, so that the validator and
the normaliser agree on what a well-formed value is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

_YEAR = r"(?:\d{4}|XXXX)"
_DATE_BODY = (
    rf"(?:{_YEAR}(?:-(?:(?:\d{{2}}|XX)(?:-(?:\d{{2}}|XX))?"
    r"|W(?:\d{2}|XX)(?:-(?:[1-7X]|WE))?|Q[1-4X]|H[12X]|SP|SU|FA|WI))?|\d{3}|\d{2})"
)
_TIME_BODY = r"T(?:\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?|MO|MI|AF|EV|NI|DT)"
_NUM = r"(?:\d+(?:\.\d+)?|X)"
_DURATION = rf"P(?:(?:{_NUM}[YMWD])+(?:T(?:{_NUM}[HMS])+)?|T(?:{_NUM}[HMS])+|{_NUM}(?:DE|CE|ML|Q|H|FY))"
_REF = r"(?:PAST_REF|PRESENT_REF|FUTURE_REF)"

DATE_RE = re.compile(rf"^(?:{_DATE_BODY}|{_REF})$")
TIME_RE = re.compile(rf"^(?:{_DATE_BODY}{_TIME_BODY}|{_TIME_BODY})$")
DURATION_RE = re.compile(rf"^{_DURATION}$")
SET_RE = re.compile(rf"^(?:{_DATE_BODY}(?:{_TIME_BODY})?|{_DURATION})$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T|$)")
_MONTH_RE = re.compile(r"^\d{4}-(\d{2})(?:-(\d{2}))?")
_WEEK_RE = re.compile(r"^\d{4}-W(\d{2})")

_TYPE_RES = {"DATE": DATE_RE, "TIME": TIME_RE, "DURATION": DURATION_RE, "SET": SET_RE}
ANY_VALUE_RE = re.compile(rf"^(?:{_DATE_BODY}(?:{_TIME_BODY})?|{_TIME_BODY}|{_REF}|{_DURATION})$")
_DIGIT_RE = re.compile(r"\d")

#: French month names, January first (index + 1 = month number)
MONTHS_FR: tuple[str, ...] = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

#: French weekday names (accents folded) -> ISO weekday (Monday = 1)
WEEKDAYS_FR: dict[str, int] = {
    "lundi": 1,
    "mardi": 2,
    "mercredi": 3,
    "jeudi": 4,
    "vendredi": 5,
    "samedi": 6,
    "dimanche": 7,
}
_WEEKDAY_WORD_RE = re.compile(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?\b")
_LAST_RE = re.compile(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+derni(?:er|ere)\b")
_NEXT_RE = re.compile(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+prochain\b")
_DEICTIC_DAYS = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "apres-demain": 2}
_DEICTIC_RE = re.compile(r"(?<![\w-])(avant-hier|apres-demain|hier|aujourd'hui|demain)(?![\w-])")


def _fold_char(c: str) -> str:
    base = "".join(d for d in unicodedata.normalize("NFD", c) if not unicodedata.combining(d))
    return base or c


#: lower-case Latin letters with diacritics -> base letters, and typographic apostrophes -> "'"
_FOLD_TABLE = {
    **{cp: _fold_char(chr(cp)) for cp in range(0xC0, 0x250) if _fold_char(chr(cp)) != chr(cp)},
    0x2019: "'",
    0x02BC: "'",
}


def fold(text: str) -> str:
    """Lower-case, accent-free, straight apostrophes: the form every French keyword is matched in."""
    if text.isascii():  # the table maps only non-ASCII code points
        return text.lower()
    return text.lower().translate(_FOLD_TABLE)


def value_is_well_formed(value: str) -> bool:
    """True when ``value`` is TIMEX3 syntax for some type and names a real calendar day if it names one."""
    return ANY_VALUE_RE.match(value) is not None and _calendar_ok(value)


def _calendar_ok(value: str) -> bool:
    m = _MONTH_RE.match(value)
    if m and not 1 <= int(m.group(1)) <= 12:
        return False
    w = _WEEK_RE.match(value)
    if w and not 1 <= int(w.group(1)) <= 53:
        return False
    return not (_DAY_RE.match(value) and value_day(value) is None)


def value_matches_type(timex_type: str, value: str) -> bool:
    """TIMEX3 ties syntax to type: a DURATION is ``P...``, a TIME carries ``T...``."""
    pattern = _TYPE_RES.get(timex_type)
    return bool(pattern and pattern.match(value))


@lru_cache(maxsize=16384)
def value_day(value: str) -> date | None:
    """The calendar day a value names (``2024-12-26``, ``2024-12-26T19:30``), else None."""
    m = _DAY_RE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_dct(published: str) -> date | None:
    """The DCT's calendar day from ``meta.published`` (date or date-time with offset)."""
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class DayWords:
    """What a span's words say about the day it names, read once per distinct span text.

    The validator checks every timex of every document against these words; span texts repeat
    across a corpus ("hier", "jeudi dernier") far more than (text, value, DCT) triples do, so the
    folding and keyword matching are done once per text (:func:`day_words`) and the per-timex work is
    date arithmetic.
    """

    weekdays: frozenset[int]  #: ISO weekdays named anywhere in the span
    last: int | None  #: "<weekday> dernier"
    next: int | None  #: "<weekday> prochain"
    has_digit: bool
    deictic: int | None  #: days from the anchor of "hier", "demain"...


@lru_cache(maxsize=16384)
def day_words(span_text: str) -> DayWords:
    folded = fold(span_text)
    last = _LAST_RE.search(folded)
    nxt = _NEXT_RE.search(folded)
    deictic = _DEICTIC_RE.search(folded)
    return DayWords(
        weekdays=frozenset(WEEKDAYS_FR[m.group(1)] for m in _WEEKDAY_WORD_RE.finditer(folded)),
        last=WEEKDAYS_FR[last.group(1)] if last else None,
        next=WEEKDAYS_FR[nxt.group(1)] if nxt else None,
        has_digit=_DIGIT_RE.search(folded) is not None,
        deictic=_DEICTIC_DAYS[deictic.group(1)] if deictic else None,
    )


def weekdays_in_span(span_text: str) -> set[int]:
    """ISO weekdays named in a span ("samedi 28 décembre" -> {6})."""
    return set(day_words(span_text).weekdays)


def last_weekday_before(dct: date, weekday: int) -> date:
    """The most recent ``weekday`` strictly before ``dct`` (the "jeudi dernier" convention)."""
    delta = (dct.isoweekday() - weekday) % 7 or 7
    return dct - timedelta(days=delta)


def next_weekday_after(dct: date, weekday: int) -> date:
    delta = (weekday - dct.isoweekday()) % 7 or 7
    return dct + timedelta(days=delta)


def expected_relative_day(span_text: str, anchor: date) -> date | None:
    """The day a deictic span must name given its anchor, when the convention fixes it exactly.

    Only unambiguous cases are fixed: "hier", "avant-hier", "aujourd'hui", "demain",
    "<weekday> dernier", "<weekday> prochain". A bare weekday is checked more loosely by
    :func:`relative_day_plausible`.
    """
    try:
        return _relative_day(day_words(span_text), anchor)
    except OverflowError:  # an anchor at the edge of the calendar (0001-01-01): no day to expect
        return None


def _relative_day(words: DayWords, anchor: date) -> date | None:
    if words.last is not None:
        return last_weekday_before(anchor, words.last)
    if words.next is not None:
        return next_weekday_after(anchor, words.next)
    if words.weekdays or words.has_digit:
        return None
    return anchor + timedelta(days=words.deictic) if words.deictic is not None else None


def relative_day_plausible(span_text: str, day: date, anchor: date) -> bool:
    """A bare weekday without a date ("jeudi", "ce samedi") must fall within a week of its anchor."""
    words = day_words(span_text)
    if not words.weekdays or words.has_digit:
        return True
    return abs((day - anchor).days) <= 7
