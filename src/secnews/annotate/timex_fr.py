"""French time expressions: detection and normalisation to TIMEX3 values against the DCT.

Rules first, ``dateparser`` last: hand-written rules cover the expressions French security news uses
(deictic weekdays, parts of day, durations, fuzzy periods), where ``dateparser`` is wrong or silent
("jeudi dernier", "hier soir", "trois jours" read as a date, "vers 19 h 30", "mi-janvier").
:func:`normalize` falls back to ``dateparser`` only when no rule recognises the expression;
:func:`find_timexes` never calls it (it would cost ~1 ms per candidate and flag numbers as dates).

All matching happens on a *folded* copy of the text (lower case, accents and curly apostrophes
removed, no-break spaces made plain) that has exactly the same length, so offsets found in it are
offsets in the original text.

Conventions (they feed the annotation guidelines; DCT = the document creation time,
``meta.published``; examples use DCT = Saturday 2024-12-28 unless stated):

=========================================  ============  ==================  ======  =========================
Expression                                 type          value               mod     note
=========================================  ============  ==================  ======  =========================
jeudi dernier                              DATE          2024-12-26                  most recent Thursday
                                                                                     strictly before the DCT
jeudi (past sentence)                      DATE          2024-12-26                  bare weekday: strictly
                                                                                     before (SCHEMA-v1 s.5)
samedi / samedi matin (DCT a Saturday)     DATE / TIME   2024-12-21(TMO)             strictly before, as above
ce samedi (DCT is a Saturday)              DATE          2024-12-28                  only "ce" can be the DCT
jeudi (future sentence) / samedi prochain  DATE          2025-01-02 / 2025-01-04     strictly after the DCT
ce samedi 28 décembre                      DATE          2024-12-28                  determiners in the span
samedi 28 décembre (DCT 2025-01-03)        DATE          2024-12-28                  year closest at/before DCT,
                                                                                     then the weekday decides
en janvier / en 2015                       DATE          2024-01 / 2015              "en" is NOT in the span
fin décembre / début 2016 / mi-janvier     DATE          2024-12 / 2016 / …  END /   the modifier word is in
                                                                             START / the span
                                                                             MID
la semaine dernière / cette semaine        DATE          2024-W51 / 2024-W52         ISO weeks
le mois dernier / l'an dernier             DATE          2024-11 / 2023
ce week-end                                DATE          2024-W52-WE
hier soir / lundi soir / ce matin          TIME          2024-12-27TEV …             TIMEX3 parts of day
                                                                                     MO AF EV NI DT
cette nuit (past sentence)                 TIME          2024-12-27TNI               the night before the DCT
dans la nuit de mardi à mercredi           TIME          2024-12-24TNI               night of the first day;
                                                                                     "dans" IS in the span
la nuit de vendredi à samedi               TIME          2024-12-27TNI               past: the night that
                                                                                     ended on/before the DCT
dans la soirée du 24 décembre              TIME          2024-12-24TEV               also matinée, après-midi,
                                                                                     journée (TDT)
…mercredi, vers 3 h                        TIME          2024-12-25T03:00    APPROX  a night's hour < 12 is on
                                                                                     the next day
du 3 au 5 janvier 2016                     DATE, DATE    2016-01-03, …-05            two spans ("3" alone);
                                                                                     month/year from the 2nd
vers 19 h 30                               TIME          2024-12-28T19:30    APPROX  day = adjacent date, else
                                                                                     a day-date of the same
                                                                                     sentence, else the DCT
1er janvier 2016, 14h30                    TIME          2016-01-01T14:30            date + adjacent time merge
                                                                                     into ONE span (also
                                                                                     "le 3 mars à 14h", "vers
                                                                                     8 h 11, samedi 4 juin")
13 heures / 24 heures                      TIME / DUR.   …T13:00 / PT24H             "N heures" is a clock time
                                                                                     only after à, vers, dès...
il y a trois jours / il y a deux semaines  DATE          2024-12-25 / 2024-W50       granularity of the unit
il y a plusieurs années                    DATE          PAST_REF
trois jours / quelques heures              DURATION      P3D / PTXH
(depuis) plusieurs années                  DURATION      PXY                         "depuis" is a signal,
                                                                                     outside the span
(depuis) 2012                              DATE          2012                        the date it names
(depuis) le 12 décembre                    DATE          2024-12-12                  (Guidelines 1.1, 10.2)
plus de / moins de / près de trois ans     DURATION      P3Y                 MORE_THAN / LESS_THAN / APPROX
ces dernières semaines                     DURATION      PXW                         a period ending at the DCT
le lendemain / la veille                   DATE          anchor + 1 / − 1            anchor = the last day-date
deux semaines plus tard                    DATE          anchor + 2 weeks            before it in the text,
                                                                                     else the DCT
chaque vendredi / tous les jours           SET           XXXX-WXX-5 / P1D
les années 1990 / le XXe siècle            DATE          199 / 19
récemment / actuellement / prochainement   DATE          PAST_REF / PRESENT_REF / FUTURE_REF
=========================================  ============  ==================  ======  =========================

``anchor`` is ``"DCT"`` when the value was computed from the DCT, ``None`` when the expression is
absolute ("le 1er janvier 2016", "trois jours") or resolved against another expression of the text.
Tense: ``find_timexes`` treats a sentence as future when it has a future-tense marker (sera, aura,
…eront, prochain…) and no past-tense one; everything else is past (news reports the past).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from secnews.core.extras import require
from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.model import timex3 as tx

__all__ = ["TimexMatch", "find_timexes", "normalize", "parse_dct_value"]

register(
    Rule(
        "TIMEX_BAD_DCT",
        "Unusable document creation time",
        "error",
        "cannot resolve time expressions against the DCT {value!r}: {detail}",
        "Relative dates ('jeudi dernier', 'hier') are resolved against meta.published, which must be an "
        "ISO date (2024-12-28) or date-time with offset.",
        "normalisation",
    ),
)


@dataclass(frozen=True)
class TimexMatch:
    """One time expression: its span in the text and its TIMEX3 normalisation."""

    start: int
    end: int
    text: str
    type: str
    value: str | None
    mod: str | None
    anchor: str | None


# ---------------------------------------------------------------------------------------------------
# folding: same length as the input, so offsets carry over


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {cp: chr(cp + 32) for cp in range(ord("A"), ord("Z") + 1)}
    for cp in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(cp))[0].lower()
        if len(base) == 1 and base != chr(cp):
            table[cp] = base
    for ch in "\u2019\u2018\u02bc\u0060\u00b4":
        table[ord(ch)] = "'"
    for ch in "\u00a0\u202f\u2009\u2007\u2002\u2003":
        table[ord(ch)] = " "
    for ch in "\u2010\u2011":
        table[ord(ch)] = "-"
    return table


_FOLD = str.maketrans(_fold_table())


def _fold(text: str) -> str:
    return text.translate(_FOLD)


# ---------------------------------------------------------------------------------------------------
# vocabulary

WEEKDAYS = tx.WEEKDAYS_FR
MONTHS: dict[str, int] = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_MONTH_ABBR: dict[str, int] = {
    "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_NUM_WORDS: dict[str, int] = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
}  # fmt: skip
_FUZZY_COUNTS = {"plusieurs", "quelques", "des", "de nombreux", "de nombreuses", "nombreuses", "nombreux"}
_APPROX_NOUNS: dict[str, int | None] = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "centaine": 100, "dizaines": None, "centaines": None,
}  # fmt: skip
#: unit word -> (TIMEX3 unit letter, True when it belongs after the "T" of a duration)
_UNITS: dict[str, tuple[str, bool]] = {
    "seconde": ("S", True), "minute": ("M", True), "heure": ("H", True), "h": ("H", True),
    "jour": ("D", False), "journee": ("D", False), "semaine": ("W", False), "mois": ("M", False),
    "an": ("Y", False), "annee": ("Y", False), "decennie": ("DE", False), "siecle": ("CE", False),
    "millenaire": ("ML", False),
}  # fmt: skip
_POD: dict[str, str] = {
    "matin": "MO", "matinee": "MO", "apres-midi": "AF", "soir": "EV", "soiree": "EV", "nuit": "NI",
    "journee": "DT",
}  # fmt: skip
_DEICTIC_OFFSET = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "apres-demain": 2}
_SEASONS = {"printemps": "SP", "ete": "SU", "automne": "FA", "hiver": "WI"}
_HOLIDAYS = {"noel": (12, 25), "nouvel an": (1, 1), "jour de l'an": (1, 1), "saint-sylvestre": (12, 31),
             "toussaint": (11, 1)}  # fmt: skip
_REFS = {"recemment": "PAST_REF", "dernierement": "PAST_REF", "autrefois": "PAST_REF", "jadis": "PAST_REF",
         "actuellement": "PRESENT_REF", "en ce moment": "PRESENT_REF", "a l'heure actuelle": "PRESENT_REF",
         "prochainement": "FUTURE_REF", "bientot": "FUTURE_REF", "a l'avenir": "FUTURE_REF"}  # fmt: skip

_L = r"(?<![\w])"  # left word boundary that lets a hyphen through ("mi-janvier")
_LH = r"(?<![\w-])"  # strict: "demain" is not inside "après-demain"
_R = r"(?![\w-])"
_WD = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_MON = r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
_MON_ANY = rf"(?:{_MON}|(?:janv|fevr?|avr|juil|sept|oct|nov|dec)\.?)"
_DAYNUM = r"(?:1er|1re|1ᵉʳ|1ʳᵉ|premier|3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_NW = "|".join(sorted(_NUM_WORDS, key=len, reverse=True))
_NUM = (
    rf"(?:\d{{1,4}}(?:[.,]5)?|(?:{_NW})(?:[\s-]+(?:et[\s-]+)?(?:{_NW})){{0,6}}|plusieurs|quelques|des"
    r"|de\s+nombreu(?:x|ses)|(?:une?|des)\s+(?:"
    + "|".join(_APPROX_NOUNS)
    + r")\s+d(?:e\s+|')|(?:une\s+)?demi-)"
)
_UNIT = r"(?:secondes?|minutes?|heures?|h|jours?|journees?|semaines?|mois|ans|annees?|an|decennies?|siecles?|millenaires?)"
_POD_RE = r"(?:matin|matinee|apres-midi|soir|soiree|nuit|journee)"
_TZ = (
    r"(?:heure\s+locale|heures?\s+locales?|locales?|gmt|utc(?:\s?[+-]\s?\d{1,2})?"
    r"|heure\s+(?:francaise|de\s+paris|de\s+bamako|de\s+niamey|de\s+ouagadougou))"
)
_DES_CTX = re.compile(r"(?:^|[^\w])(?:depuis|pendant|durant|il\s+y\s+a|dans|en|pour)\s+$")
_CLOCK_CTX = re.compile(
    r"(?:^|[\s(,])(?:a|vers|des|depuis|jusqu'a|avant|apres|de|entre|et|partir de|environ|autour de"
    r"|aux alentours de|aux environs de|peu avant|peu apres)\s+$"
)
_YEAR_CTX = re.compile(
    r"(?:^|[^\w])(?:en|depuis|des|jusqu'en|jusqu'a|avant|apres|fin|debut|mi-?|milieu|courant|entre|de|d'"
    r"|a|et|ou|au|pour|vers|l'an|annee|annees|printemps|ete|automne|hiver|,)\s*$"
)
_MONTH_CTX = re.compile(
    r"(?:^|[^\w])(?:en|depuis|des|jusqu'en|jusqu'a|avant|apres|fin|debut|mi-?|milieu|courant|d'|de|"
    r"mois\s+d[e'])\s*$"
)
_FUNCTION_WORDS = frozenset(
    re.split(
        r"\s+",
        "et ou a au aux dans de des du par pour lors le la les l' selon quand alors puis avec contre sur qui "
        "que il elle ils elles on ce cette en apres avant jusqu'a jusqu'en mais car donc ni soit depuis "
        "dont sont est ont pendant durant deja",
    )
)


# ---------------------------------------------------------------------------------------------------
# the context a rule sees


@dataclass
class _Ctx:
    folded: str
    dct: date
    dct_time: time | None
    past: bool
    sent_starts: list[int] = field(default_factory=lambda: [0])
    sent_past: list[bool] = field(default_factory=lambda: [True])

    def past_at(self, pos: int) -> bool:
        if len(self.sent_starts) == 1:
            return self.past
        return self.sent_past[bisect.bisect_right(self.sent_starts, pos) - 1]

    def before(self, pos: int, width: int = 40) -> str:
        return self.folded[max(0, pos - width) : pos]


@dataclass
class _Cand:
    """A candidate expression while it is being resolved (mutable; becomes a TimexMatch at the end)."""

    start: int
    end: int
    type: str
    value: str | None
    mod: str | None = None
    anchor: str | None = "DCT"
    day: date | None = None  # the calendar day it names, if it names one
    gran: str = ""  # day | month | year | week | season | decade | century | ref | dur | set | clock
    clock: tuple[int, int] | None = None  # a time of day still waiting for its day
    pod: str | None = None
    rel: tuple[str, float | None, int] | None = None  # (unit, count, sign): resolved against an anchor
    count: float | None = None  # a duration's count (None = X)
    unit: str | None = None  # a duration's unit code


# ---------------------------------------------------------------------------------------------------
# calendar helpers


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _weekday_day(dct: date, wd: int, rel: str | None, past: bool, this: bool = False) -> date:
    """The day a weekday names (SCHEMA-v1 section 5): "dernier" and a bare weekday in a past sentence are
    strictly before the DCT, "prochain" and a bare future one strictly after; only "ce <jour>" (``this``)
    can be the DCT itself ("ce samedi" in a Saturday article is today)."""
    if rel in ("dernier", "derniere", "passe", "passee"):
        return tx.last_weekday_before(dct, wd)
    if rel in ("prochain", "prochaine"):
        return tx.next_weekday_after(dct, wd)
    if this and dct.isoweekday() == wd:
        return dct
    return tx.last_weekday_before(dct, wd) if past else tx.next_weekday_after(dct, wd)


def _pick(cands: list[date], dct: date, past: bool, wd: int | None) -> date | None:
    """The candidate closest before/at (past) or after/at the DCT; a written weekday may overrule."""
    before = [c for c in cands if c <= dct]
    after = [c for c in cands if c >= dct]
    near_before = max(before) if before else None
    near_after = min(after) if after else None
    pair = [near_before, near_after] if past else [near_after, near_before]
    order = [c for c in pair if c is not None]
    if wd is not None:
        for c in order:
            if c.isoweekday() == wd:
                return c
    return order[0] if order else None


def _day_month_year(dct: date, d: int, m: int, past: bool, wd: int | None) -> date | None:
    cands = []
    for y in range(dct.year - 4, dct.year + 5):
        try:
            cands.append(date(y, m, d))
        except ValueError:
            continue
    near = [c for c in cands if abs(c.year - dct.year) <= 1] or cands
    return _pick(near, dct, past, wd)


def _day_only(dct: date, d: int, past: bool, wd: int | None) -> date | None:
    cands = []
    for k in range(-2, 3):
        y, m = _add_months(dct.year, dct.month, k)
        try:
            cands.append(date(y, m, d))
        except ValueError:
            continue
    return _pick(cands, dct, past, wd)


def _month_year(dct: date, m: int, past: bool) -> int:
    if past:
        return dct.year if m <= dct.month else dct.year - 1
    return dct.year if m >= dct.month else dct.year + 1


def _daynum(s: str) -> int:
    return int(s) if s.isdigit() else 1  # 1er, 1re, 1ᵉʳ, premier


def _month(s: str) -> int:
    s = s.rstrip(".")
    return MONTHS.get(s) or _MONTH_ABBR[s]


def _number(s: str) -> tuple[float | None, bool]:
    """(count, approximate) of a French count ("vingt-trois", "une dizaine de", "plusieurs": None)."""
    s = " ".join(s.split())
    if s in _FUZZY_COUNTS:
        return None, False
    if s.endswith("demi-"):
        return 0.5, False
    m = re.match(r"(?:une?|des) (\w+) d", s)
    if m:
        return _APPROX_NOUNS[m.group(1)], True
    if s[0].isdigit():
        return float(s.replace(",", ".")), False
    total, cur = 0, 0
    for w in re.split(r"[\s-]+", s):
        if w == "et":
            continue
        v = _NUM_WORDS[w]
        if v == 100:
            cur = (cur or 1) * 100
        elif v == 1000:
            total, cur = total + (cur or 1) * 1000, 0
        elif v == 20 and cur % 100 == 4:
            cur += 76  # quatre-vingt(s)
        else:
            cur += v
    return float(total + cur), False


def _fmt_count(n: float | None) -> str:
    if n is None:
        return "X"
    return str(int(n)) if n == int(n) else f"{n:g}"


def _duration_value(n: float | None, unit: str, is_time: bool) -> str:
    if unit == "H" and n is not None and n != int(n):
        minutes = round(n * 60)
        h, mi = divmod(minutes, 60)
        return "PT" + (f"{h}H" if h else "") + (f"{mi}M" if mi else "")
    return ("PT" if is_time else "P") + _fmt_count(n) + unit


def _unit_of(word: str) -> tuple[str, bool]:
    w = word.rstrip("s") if word not in ("mois", "ans") else ("mois" if word == "mois" else "an")
    return _UNITS[w]


def _shift(base: date, base_time: time | None, unit: str, n: float, sign: int) -> tuple[str, date | None]:
    """The value n units before/after ``base``, at the granularity of the unit (TIMEX3 practice)."""
    k = round(n) * sign
    if unit == "D":
        d = base + timedelta(days=k)
        return d.isoformat(), d
    if unit == "W":
        return _iso_week(base + timedelta(weeks=k)), None
    if unit == "M":
        y, m = _add_months(base.year, base.month, k)
        return f"{y:04d}-{m:02d}", None
    if unit == "Y":
        return f"{base.year + k:04d}", None
    if unit == "DE":
        return f"{(base.year + 10 * k) // 10:03d}", None
    if unit == "CE":
        return f"{(base.year + 100 * k) // 100:02d}", None
    step = {"H": timedelta(hours=1), "MIN": timedelta(minutes=1), "S": timedelta(seconds=1)}.get(unit)
    if step is None:
        return base.isoformat(), base
    if base_time is None:  # a date-only DCT: count from its noon, answer with a day ("il y a 48h")
        d = (datetime.combine(base, time(12, 0)) + step * k).date()
        return d.isoformat(), d
    dt = datetime.combine(base, base_time) + step * k
    return dt.strftime("%Y-%m-%dT%H:%M"), dt.date()


# ---------------------------------------------------------------------------------------------------
# rules: (regex over folded text, handler(match, ctx) -> candidate or None)

_Handler = Callable[[re.Match[str], _Ctx], "_Cand | None"]
_RULES: list[tuple[re.Pattern[str], _Handler, tuple[str, ...]]] = []


def _rule(pattern: str, needs: tuple[str, ...] = ()) -> Callable[[_Handler], _Handler]:
    """Register a rule; ``needs``: literals one of which any match contains (a cheap pre-check)."""

    def deco(fn: _Handler) -> _Handler:
        _RULES.append((re.compile(pattern), fn, needs))
        return fn

    return deco


def _day_cand(m: re.Match[str], d: date, anchor: str | None = "DCT", start: int | None = None) -> _Cand:
    return _Cand(m.start() if start is None else start, m.end(), "DATE", d.isoformat(), anchor=anchor, day=d,
                 gran="day")  # fmt: skip


@_rule(
    rf"{_L}(?:(?:le|ce|l')\s*)?(?:(?P<wd>{_WD})\s+)?(?P<d>{_DAYNUM})\s+(?P<m>{_MON_ANY})(?![\w])"
    rf"(?:\s+(?P<y>{_YEAR})(?!\d))?(?:\s+(?P<rel>dernier|prochain){_R})?"
)
def _full_date(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    d, mon = _daynum(m["d"]), _month(m["m"])
    wd = WEEKDAYS[m["wd"]] if m["wd"] else None
    if m["y"]:
        return _day_cand(m, date(int(m["y"]), mon, d), anchor=None)
    past = m["rel"] != "prochain" and (m["rel"] == "dernier" or ctx.past_at(m.start()))
    day = _day_month_year(ctx.dct, d, mon, past, wd)
    return _day_cand(m, day) if day else None


@_rule(rf"{_L}(?:(?:le|ce)\s+)?(?P<wd>{_WD})\s+(?P<d>{_DAYNUM})(?=\s*(?:[,;.)]|$|(?:au|et|a|dans|vers)\s))")
def _weekday_daynum(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    day = _day_only(ctx.dct, _daynum(m["d"]), ctx.past_at(m.start()), WEEKDAYS[m["wd"]])
    return _day_cand(m, day) if day else None


@_rule(
    r"(?<![\w/.:-])(?P<d>[0-3]?\d)(?P<s>[/.-])(?P<m>[01]?\d)(?P=s)(?P<y>\d{4}|\d{2})(?![\w/-]|[.:]\d)",
    needs=("/", ".", "-"),
)
def _numeric_date(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    y = int(m["y"])
    if len(m["y"]) == 2:
        if m["s"] != "/":
            return None  # "1.2.16" is a version number more often than a date
        y += 2000 if y <= ctx.dct.year % 100 else 1900
    return _day_cand(m, date(y, int(m["m"]), int(m["d"])), anchor=None)


@_rule(
    r"(?<![\w/.:-])(?P<y>\d{4})-(?P<m>\d\d)(?:-(?P<d>\d\d)(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?)?(?![\w/-]|[.:]\d)",
    needs=("-",),
)
def _iso_date(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    y, mo = int(m["y"]), int(m["m"])
    if not m["d"]:
        date(y, mo, 1)  # raises on a bad month
        return _Cand(m.start(), m.end(), "DATE", f"{y:04d}-{mo:02d}", anchor=None, gran="month")
    d = date(y, mo, int(m["d"]))
    if m["h"]:
        return _Cand(m.start(), m.end(), "TIME", f"{d.isoformat()}T{m['h']}:{m['mi']}", anchor=None, day=d,
                     gran="day", clock=None)  # fmt: skip
    return _day_cand(m, d, anchor=None)


@_rule(rf"{_L}(?:(?P<det>le\s+mois\s+d[e']|mois\s+d[e'])\s*)?(?P<m>{_MON})(?:\s+(?P<y>{_YEAR})(?!\d))?{_R}")
def _month_rule(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    mon = MONTHS[m["m"]]
    if m["y"]:
        return _Cand(m.start(), m.end(), "DATE", f"{int(m['y']):04d}-{mon:02d}", anchor=None, gran="month")
    if not m["det"] and not _MONTH_CTX.search(ctx.before(m.start())):
        return None
    y = _month_year(ctx.dct, mon, ctx.past_at(m.start()))
    return _Cand(m.start(), m.end(), "DATE", f"{y:04d}-{mon:02d}", gran="month")


@_rule(rf"(?:(?<=mi-)|(?<![\w/.,:-]))(?:(?P<det>l'an(?:nee)?|annee)\s+)?(?P<y>{_YEAR})(?![\w/:]|[.,-]\d)")
def _year_rule(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if not m["det"]:
        if not _YEAR_CTX.search(ctx.before(m.start())):
            return None
        nxt = re.match(r"\s+([a-z'][\w'-]*)", ctx.folded[m.end() : m.end() + 30])
        if nxt and nxt.group(1) not in _FUNCTION_WORDS:
            return None  # "plus de 2000 morts": a count, not a year
    return _Cand(m.start(), m.end(), "DATE", m["y"], anchor=None, gran="year")


@_rule(rf"{_L}(?:les\s+)?annees\s+(?P<y>(?:1[5-9]|20)\d0|\d0){_R}", needs=("annees",))
def _decade(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    y = m["y"]
    value = y[:3] if len(y) == 4 else ("20" if y in ("00", "10") else "19") + y[0]
    return _Cand(m.start(), m.end(), "DATE", value, anchor=None, gran="decade")


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def _roman(s: str) -> int:
    total = 0
    for a, b in zip(s, [*s[1:], ""], strict=True):
        v = _ROMAN[a]
        total += -v if b and _ROMAN[b] > v else v
    return total


@_rule(rf"{_L}(?:(?:le|du|au)\s+)?(?P<c>[ivxl]{{1,6}}|\d{{1,2}})(?:e|eme|er)\s+siecle{_R}", needs=("siecle",))
def _century(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    c = int(m["c"]) if m["c"].isdigit() else _roman(m["c"])
    if not 1 <= c <= 30:
        return None
    start = m.start("c") if m.group(0).startswith(("du", "au")) else m.start()
    return _Cand(start, m.end(), "DATE", f"{c - 1:02d}", anchor=None, gran="century")


@_rule(rf"{_L}le\s+siecle\s+(?:dernier|passe){_R}", needs=("siecle",))
def _last_century(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    return _Cand(m.start(), m.end(), "DATE", f"{ctx.dct.year // 100 - 1:02d}", gran="century")


@_rule(
    rf"{_LH}(?P<w>avant-hier|apres-demain|hier|aujourd'hui|demain){_R}", needs=("hier", "demain", "aujourd")
)
def _deictic(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    offset = _DEICTIC_OFFSET[m["w"]]
    return _day_cand(m, ctx.dct + timedelta(days=offset))


@_rule(
    rf"{_LH}(?P<w>la\s+veille|le\s+lendemain|le\s+surlendemain|l'avant-veille){_R}",
    needs=("veille", "lendemain"),
)
def _anchored_day(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    w = m["w"].split()[-1]
    offset = {"veille": -1, "lendemain": 1, "surlendemain": 2, "l'avant-veille": -2}[w]
    c = _day_cand(m, ctx.dct + timedelta(days=offset))
    c.rel = ("D", float(abs(offset)), 1 if offset > 0 else -1)
    return c


@_rule(
    rf"{_L}(?:(?P<det>ce|le)\s+)?(?P<wd>{_WD})(?:\s+(?P<rel>dernier|passe|prochain))?{_R}"
    rf"(?:\s+(?P<pod>matin|soir|apres-midi|midi){_R})?"
)
def _weekday(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    day = _weekday_day(ctx.dct, WEEKDAYS[m["wd"]], m["rel"], ctx.past_at(m.start()), m["det"] == "ce")
    c = _day_cand(m, day)
    if m["pod"]:
        _set_pod(c, m["pod"])
    return c


def _set_pod(c: _Cand, pod: str) -> None:
    assert c.day is not None
    if pod == "midi":
        c.type, c.value = "TIME", f"{c.day.isoformat()}T12:00"
    else:
        c.type, c.value = "TIME", f"{c.day.isoformat()}T{_POD[pod]}"
    c.pod = pod


@_rule(
    rf"{_L}(?:(?:dans\s+)?(?:la\s+|l'))?(?P<pod>nuit|matinee|soiree|apres-midi|journee)\s+(?:de|du|d')\s*"
    rf"(?:(?P<wd1>{_WD})(?:\s+(?P<rel>dernier|passe|prochain))?"
    rf"|(?P<d1>{_DAYNUM})(?:\s+(?P<m1>{_MON})(?:\s+(?P<y1>{_YEAR})(?!\d))?)?|(?P<deic>avant-hier|hier|demain))"
    rf"(?:\s+(?:a|au)\s+(?:(?P<wd2>{_WD})\s*)?(?:(?P<d2>{_DAYNUM})\s+(?P<m2>{_MON})(?:\s+(?P<y>{_YEAR}))?)?)?{_R}",
    needs=("nuit", "matinee", "soiree", "apres-midi", "journee"),
)
def _part_of_day_of(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "(dans) la nuit de mardi à mercredi", "la soirée du 24 décembre": TIME, the part of the first day.

    "dans" is part of the span here (the brief's span convention: it makes the expression). A night
    "de X à Y" belongs to X (TIMEX3 NI), so only the first day is resolved; the second is checked by
    the reader, not by the value.
    """
    if m["pod"] != "nuit" and (m["wd2"] or m["d2"]):
        return None  # "la matinée du 3 au 5": not one part of one day
    first = _first_day_of_part(m, ctx, ctx.past_at(m.start()))
    if first is None:
        return None
    anchor = None if (m["y"] or m["y1"]) else "DCT"
    return _Cand(m.start(), m.end(), "TIME", f"{first.isoformat()}T{_POD[m['pod']]}", anchor=anchor, day=first,
                 gran="day", pod=m["pod"])  # fmt: skip


def _first_day_of_part(m: re.Match[str], ctx: _Ctx, past: bool) -> date | None:
    """The day a "nuit de/du ..." starts on. A past night "de vendredi à samedi" in a Saturday article is
    the one that just ended (first weekday strictly before the DCT); a future one may start on the DCT."""
    if m["deic"]:
        return ctx.dct + timedelta(days=_DEICTIC_OFFSET[m["deic"]])
    if m["d2"]:
        mon, d = _month(m["m2"]), _daynum(m["d2"])
        wd2 = WEEKDAYS[m["wd2"]] if m["wd2"] else None
        second = date(int(m["y"]), mon, d) if m["y"] else _day_month_year(ctx.dct, d, mon, past, wd2)
        return second - timedelta(days=1) if second else None
    if m["wd1"]:
        return _weekday_day(ctx.dct, WEEKDAYS[m["wd1"]], m["rel"], past, this=not past)
    if m["d1"] and m["m1"]:
        d, mon = _daynum(m["d1"]), _month(m["m1"])
        return date(int(m["y1"]), mon, d) if m["y1"] else _day_month_year(ctx.dct, d, mon, past, None)
    if m["d1"]:
        return _day_only(ctx.dct, _daynum(m["d1"]), past, None)
    return None


@_rule(
    rf"{_L}(?:le\s+)?(?P<d>{_DAYNUM})(?:\s+(?P<m1>{_MON}))?(?=(?:\s+(?:au|et)\s+|\s*[-–]\s*)(?:le\s+)?"
    rf"{_DAYNUM}\s+(?P<m>{_MON})(?![\w])(?:\s+(?P<y>{_YEAR})(?!\d))?)",
    needs=(" au ", " et ", "-", "–"),
)
def _range_first_day(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """The first day of "du 3 au 5 janvier 2016", "les 3 et 4 janvier": its month and year are written
    after the second day (which the full-date rule finds on its own)."""
    d = _daynum(m["d"])
    mon = _month(m["m1"] or m["m"])
    if m["y"]:
        y = int(m["y"]) - (1 if m["m1"] and mon > _month(m["m"]) else 0)  # "du 28 décembre au 2 janvier 2017"
        return _day_cand(m, date(y, mon, d), anchor=None)
    day = _day_month_year(ctx.dct, d, mon, ctx.past_at(m.start()), None)
    return _day_cand(m, day) if day else None


@_rule(rf"{_L}(?P<w>ce\s+matin|ce\s+soir|cet\s+apres-midi|cette\s+(?:matinee|soiree|nuit|journee)|ce\s+midi"
       rf"|la\s+nuit\s+derniere|hier\s+soir){_R}", needs=("ce", "hier", "nuit"))  # fmt: skip
def _this_pod(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    w = m["w"].split()[-1]
    day = ctx.dct
    if w == "derniere" or (w == "nuit" and ctx.past_at(m.start())):
        w, day = "nuit", ctx.dct - timedelta(days=1)
    elif w == "soir" and m["w"].startswith("hier"):
        day = ctx.dct - timedelta(days=1)
    c = _day_cand(m, day)
    _set_pod(c, w)
    return c


_REL_PERIOD = {"derniere": -1, "dernier": -1, "passee": -1, "passe": -1, "precedente": -1, "precedent": -1,
               "prochaine": 1, "prochain": 1, "suivante": 1, "suivant": 1, "en cours": 0, "courant": 0,
               "-ci": 0}  # fmt: skip


@_rule(
    rf"{_L}(?P<det>la|cette|le|ce|l'|cet)\s*(?P<u>semaine|mois|annee|an|week-end)(?P<ci>-ci)?"
    rf"(?:\s+(?P<rel>derniere?|passee?|prochaine?|precedente?|suivante?|en\s+cours|courante?))?{_R}"
)
def _relative_period(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    rel = " ".join(m["rel"].split()) if m["rel"] else None
    if rel is None:
        if m["det"] not in ("cette", "ce", "cet") and not m["ci"]:
            return None
        shift = 0
    else:
        shift = _REL_PERIOD[rel.rstrip("e") if rel.rstrip("e") in _REL_PERIOD else rel]
    anchored = rel is not None and rel.startswith(("precedent", "suivant"))
    u = m["u"]
    if u == "week-end":
        base = ctx.dct if ctx.dct.isoweekday() >= 6 or not ctx.past_at(m.start()) else ctx.dct - timedelta(7)
        value = _iso_week(base + timedelta(weeks=shift)) + "-WE"
        return _Cand(m.start(), m.end(), "DATE", value, gran="week")
    code = {"semaine": "W", "mois": "M", "annee": "Y", "an": "Y"}[u]
    value, _ = _shift(ctx.dct, None, code, abs(shift), 1 if shift >= 0 else -1)
    gran = {"W": "week", "M": "month", "Y": "year"}[code]
    c = _Cand(m.start(), m.end(), "DATE", value, gran=gran)
    if anchored:
        c.rel = (code, 1.0, shift)
    return c


@_rule(rf"{_L}(?P<w>debut|fin|milieu|mi-)\s*(?P<p>de\s+l'annee|d'annee|du\s+mois|de\s+mois|de\s+(?:la\s+)?semaine)"
       rf"(?!\s+(?:\d|{_MON}|derni|prochain|precedent|suivant)){_R}", needs=("debut", "fin", "milieu", "mi-"))  # fmt: skip
def _edge_of_current(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    mod = {"debut": "START", "fin": "END", "milieu": "MID", "mi-": "MID"}[m["w"]]
    p = m["p"]
    if "annee" in p:
        value, gran = f"{ctx.dct.year:04d}", "year"
    elif "mois" in p:
        value, gran = f"{ctx.dct.year:04d}-{ctx.dct.month:02d}", "month"
    else:
        value, gran = _iso_week(ctx.dct), "week"
    return _Cand(m.start(), m.end(), "DATE", value, mod=mod, gran=gran)


@_rule(rf"{_L}(?:(?P<det>l'|cet\s+|le\s+|ce\s+)\s*)?(?P<s>printemps|ete|automne|hiver)"
       rf"(?:\s+(?P<rel>dernier|prochain|passe)|\s+(?P<y>{_YEAR}))?{_R}", needs=("printemps", "ete", "automne", "hiver"))  # fmt: skip
def _season(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    code = _SEASONS[m["s"]]
    if m["y"]:
        return _Cand(m.start(), m.end(), "DATE", f"{m['y']}-{code}", anchor=None, gran="season")
    if not m["rel"] and not (m["det"] and m["det"].strip() in ("cet", "ce")):
        return None
    start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    y = ctx.dct.year
    past = ctx.past_at(m.start())
    if m["rel"] in ("dernier", "passe") or (m["rel"] is None and past):
        y = y if start_month <= ctx.dct.month else y - 1
        if m["rel"]:
            y -= 1 if start_month <= ctx.dct.month and ctx.dct.month < start_month + 3 else 0
    elif m["rel"] == "prochain":
        y = y if start_month > ctx.dct.month else y + 1
    return _Cand(m.start(), m.end(), "DATE", f"{y:04d}-{code}", gran="season")


@_rule(rf"{_L}(?:(?:a|le|la|de)\s+)?(?P<h>noel|nouvel\s+an|jour\s+de\s+l'an|saint-sylvestre|toussaint)"
       rf"(?:\s+(?P<y>{_YEAR}))?{_R}", needs=("noel", "nouvel", "jour de l", "sylvestre", "toussaint"))  # fmt: skip
def _holiday(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    mon, d = _HOLIDAYS[" ".join(m["h"].split())]
    start = m.start("h")
    if m["y"]:
        day: date | None = date(int(m["y"]), mon, d)
        anchor = None
    else:
        day, anchor = _day_month_year(ctx.dct, d, mon, ctx.past_at(m.start()), None), "DCT"
    return _day_cand(m, day, anchor=anchor, start=start) if day else None


@_rule(
    rf"{_LH}(?P<w>" + "|".join(k.replace(" ", r"\s+") for k in _REFS) + rf"){_R}",
    needs=("ment", "bientot", "moment", "actuelle", "avenir", "autrefois", "jadis"),
)
def _ref(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    return _Cand(m.start(), m.end(), "DATE", _REFS[" ".join(m["w"].split())], gran="ref")


@_rule(
    r"(?<![\w,.:/-])(?P<h>[01]?\d|2[0-3])(?:\s?(?P<hu>h|heures?)(?:\s?(?P<mi>[0-5]\d)(?!\d)(?:\s?(?:min|minutes?))?)?"
    r"|:(?P<mi2>[0-5]\d))(?![\w:])"
    r"(?:\s+(?:du\s+(?P<p>matin|soir)|de\s+l'(?P<p2>apres-midi)))?"
    rf"(?:\s*\(\s*(?P<tz>{_TZ})\s*\)|\s+(?P<tz2>{_TZ})(?![\w+-]))?"
)
def _clock(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    h, mi = int(m["h"]), int(m["mi"] or m["mi2"] or 0)
    spelled = m["hu"] and m["hu"].startswith("heure")
    if (
        spelled
        and not (m["mi"] or m["p"] or m["p2"] or m["tz"] or m["tz2"])
        and not _CLOCK_CTX.search(ctx.before(m.start()))
    ):
        return None  # "24 heures", "trois heures": a duration unless a clock context says otherwise
    pod = m["p"] or m["p2"]
    if pod in ("soir", "apres-midi") and h < 12:
        h += 12
    c = _Cand(m.start(), m.end(), "TIME", f"{ctx.dct.isoformat()}T{h:02d}:{mi:02d}", gran="clock")
    c.clock = (h, mi)
    return c


@_rule(rf"(?<=\s)(?P<w>midi|minuit){_R}", needs=("midi", "minuit"))
def _noon(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if not _CLOCK_CTX.search(ctx.before(m.start())):
        return None
    h = 12 if m["w"] == "midi" else 0
    c = _Cand(m.start(), m.end(), "TIME", f"{ctx.dct.isoformat()}T{h:02d}:00", gran="clock")
    c.clock = (h, 0)
    return c


@_rule(rf"{_L}(?P<n>{_NUM})(?:(?<=[\d\s'-])\s*|\s+)(?P<u>{_UNIT})(?P<half>\s+et\s+demie?)?{_R}")
def _duration(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    n, approx = _number(m["n"])
    code, is_time = _unit_of(m["u"])
    if m["u"] == "h" and (n is None or n < 24):
        return None  # "12h" is a clock time; "48h" a duration
    if m["n"] == "des" and (m["u"] in ("ans", "an", "h") or not _DES_CTX.search(ctx.before(m.start()))):
        return None  # "des Journées mondiales": an article, not a count
    if m["half"] and n is not None:
        n += 0.5
    if m["n"].endswith("demi-") and not m["u"].startswith(("heure", "journee", "siecle", "h")):
        return None
    c = _Cand(m.start(), m.end(), "DURATION", _duration_value(n, code, is_time), anchor=None, gran="dur",
              mod="APPROX" if approx else None)  # fmt: skip
    c.count, c.unit = n, ("MIN" if code == "M" and is_time else code)
    return c


@_rule(
    rf"{_L}(?:ces|les)\s+(?:(?P<n>{_NUM})\s+)?derni(?:ers|eres)\s+(?P<u>{_UNIT})(?:\s+ecoule(?:e?s))?{_R}",
    needs=("derni",),
)
def _recent_period(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    n = _number(m["n"])[0] if m["n"] else None
    code, is_time = _unit_of(m["u"])
    return _Cand(m.start(), m.end(), "DURATION", _duration_value(n, code, is_time), anchor=None, gran="dur")


@_rule(rf"{_L}(?:les|ces)\s+(?P<n>{_NUM})\s+(?P<u>{_UNIT})\s+derni(?:ers|eres){_R}", needs=("derni",))
def _recent_period_post(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    return _recent_period(m, ctx)


@_rule(
    rf"{_L}(?:chaque|tous\s+les|toutes\s+les)\s+(?:(?P<n>{_NUM})\s+)?(?:(?P<wd>{_WD})s?|(?P<u>{_UNIT})"
    rf"|(?P<d>{_DAYNUM})\s+(?P<m>{_MON})|(?P<pod>matins?|soirs?|nuits?|apres-midi))"
    rf"(?:\s+(?P<pod2>matin|soir|apres-midi){_R})?{_R}",
    needs=("chaque", "tous", "toutes"),
)
def _set(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if m["wd"]:
        value = f"XXXX-WXX-{WEEKDAYS[m['wd']]}"
        if m["pod2"]:
            value += "T" + _POD[m["pod2"]]
    elif m["d"]:
        value = f"XXXX-{_month(m['m']):02d}-{_daynum(m['d']):02d}"
    elif m["pod"]:
        value = "XXXX-XX-XXT" + _POD[m["pod"].rstrip("s") if m["pod"] != "apres-midi" else "apres-midi"]
    else:
        n = _number(m["n"])[0] if m["n"] else 1.0
        code, is_time = _unit_of(m["u"])
        value = _duration_value(n, code, is_time)
    return _Cand(m.start(), m.end(), "SET", value, anchor=None, gran="set")


@_rule(rf"{_LH}(?P<w>quotidiennement|hebdomadairement|mensuellement|annuellement){_R}", needs=("ment",))
def _set_adverb(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    value = {
        "quotidiennement": "P1D",
        "hebdomadairement": "P1W",
        "mensuellement": "P1M",
        "annuellement": "P1Y",
    }
    return _Cand(m.start(), m.end(), "SET", value[m["w"]], anchor=None, gran="set")


# ---------------------------------------------------------------------------------------------------
# post-processing: modifiers and signals around a candidate, merges, anchors

_PERIOD_MOD = re.compile(
    r"(?<![\w-])(?P<w>debut|fin|mi-|mi|milieu|courant)\s*(?:de\s+l'|de\s+la\s+|du\s+|des\s+|de\s+|d')?$"
)
_APPROX = re.compile(
    r"(?<![\w-])(?:vers|aux\s+alentours\s+de|aux\s+environs\s+de|autour\s+de|environ|a\s+peu\s+pres"
    r"|approximativement)\s+$"
)
_DUR_MOD = re.compile(
    r"(?<![\w-])(?P<w>un\s+peu\s+plus\s+d|un\s+peu\s+moins\s+d|pas\s+moins\s+d|plus\s+d|moins\s+d|pres\s+d"
    r"|au\s+moins|au\s+plus|au\s+maximum|presque|quelque|a\s+peine|environ)(?:e\s+|'\s*|\s+)$"
)
_DUR_MODS = {"plus d": "MORE_THAN", "un peu plus d": "MORE_THAN", "moins d": "LESS_THAN", "pres d": "APPROX",
             "un peu moins d": "LESS_THAN", "pas moins d": "EQUAL_OR_MORE", "au moins": "EQUAL_OR_MORE",
             "au plus": "EQUAL_OR_LESS", "au maximum": "EQUAL_OR_LESS", "presque": "LESS_THAN",
             "quelque": "APPROX", "a peine": "EQUAL_OR_LESS", "environ": "APPROX"}  # fmt: skip
_AGO = re.compile(r"(?<![\w-])il\s+y\s+a\s+$")
_IN = re.compile(r"(?<![\w-])dans\s+$")
_SINCE = re.compile(r"(?<![\w-])depuis\s+(?:le\s+|l')?$")
_LATER = re.compile(
    r"^\s+(?P<w>plus\s+tard|plus\s+tot|auparavant|apres|avant)(?![\w-])(?P<end>\s*(?:[,.;:!?)]|$))?"
)
_APPROX_AFTER = re.compile(r"^\s+environ(?![\w-])")
_POD_AFTER = re.compile(
    rf"^\s+(?:(?:au|en|dans\s+la|dans\s+l'|en\s+fin\s+de|en\s+debut\s+de|tard\s+dans\s+la|tot\s+dans\s+la|tot\s+le"
    rf"|tard\s+le)\s+)?(?P<p>{_POD_RE}|midi){_R}"
)
_MERGE_GAP = re.compile(r"^\s*(?:,|\.\s*[-–]|,\s*a|a|des|,\s*vers|,\s*des)?\s*$")
_MERGE_GAP_REV = re.compile(r"^\s*(?:,|ce|le)?\s*$")
_SENT_END = re.compile(r"[.!?…]+[\s»\"]+|\n+")


def _apply_prefixes(c: _Cand, ctx: _Ctx, lo: int) -> None:
    """Extend a candidate over the words before it that change its meaning (fin, vers, plus de, il y a...)."""
    for _ in range(4):
        before = ctx.folded[max(lo, c.start - 40) : c.start]
        if c.gran in ("month", "year", "decade", "century", "season", "week") and c.mod is None:
            m = _PERIOD_MOD.search(before)
            if m:
                c.mod = {"debut": "START", "fin": "END", "mi-": "MID", "mi": "MID", "milieu": "MID"}.get(
                    m["w"]
                )
                c.start -= len(before) - m.start()
                continue
        if c.type == "DURATION" and c.gran == "dur":
            m = _DUR_MOD.search(before) if c.mod is None else None
            if m:
                c.mod = _DUR_MODS[" ".join(m["w"].split())]
                c.start -= len(before) - m.start()
                continue
            m = (_AGO.search(before) or _IN.search(before)) if c.unit is not None else None
            if m:  # "dans les dernières années" has no unit to count from the DCT: it stays a duration
                _to_offset(c, ctx, -1 if m.group(0).startswith("il") else 1)
                c.start -= len(before) - m.start()
                continue
        if _SINCE.search(before):  # "depuis" is a TimeML signal: outside the span, no mod (Guidelines 1.1)
            return
        if c.mod is None:
            m = _APPROX.search(before)
            if m and c.gran not in ("set", "ref"):
                c.mod = "APPROX"
                c.start -= len(before) - m.start()
                continue
        return


def _to_offset(c: _Cand, ctx: _Ctx, sign: int) -> None:
    """A duration after "il y a" / "dans" (or before "plus tard") becomes the date that far from the DCT."""
    if c.unit is None:  # callers only offer counted durations; an uncounted one stays as it is
        return
    mod = {"MORE_THAN": "BEFORE" if sign < 0 else "AFTER", "LESS_THAN": "AFTER" if sign < 0 else "BEFORE",
           "APPROX": "APPROX"}.get(c.mod or "")  # fmt: skip
    c.type, c.mod, c.anchor = "DATE", mod, "DCT"
    if c.count is None:
        c.value, c.gran = ("PAST_REF" if sign < 0 else "FUTURE_REF"), "ref"
        return
    value, day = _shift(ctx.dct, ctx.dct_time, c.unit, c.count, sign)
    c.value, c.day = value, day
    c.gran = "day" if day is not None else "offset"
    if "T" in value:
        c.type = "TIME"


def _apply_suffixes(c: _Cand, ctx: _Ctx, hi: int) -> None:
    after = ctx.folded[c.end : min(hi, c.end + 40)]
    if c.type == "DURATION" and c.gran == "dur" and c.unit is not None:
        m = _LATER.match(after)
        if m and (m["w"].startswith(("plus", "aupar")) or m["end"] is not None):
            sign = 1 if m["w"] in ("plus tard", "apres") else -1
            count, unit = c.count, c.unit
            _to_offset(c, ctx, sign)
            if count is not None and unit is not None:
                c.rel = (unit, count, sign)
            c.end += len(m.group(0)) - len(m["end"] or "")
            return
        m = _APPROX_AFTER.match(after)
        if m and c.mod is None:
            c.mod = "APPROX"
            c.end += m.end()
        return
    if c.gran == "day" and c.type == "DATE" and c.day is not None:
        m = _POD_AFTER.match(after)
        if m:
            _set_pod(c, "nuit" if m["p"] == "nuit" else m["p"])
            c.end += m.end()


def _merge(a: _Cand, b: _Cand, ctx: _Ctx) -> _Cand | None:
    """A day-date next to a clock time ("1er janvier 2016, 14h30"): one TIME on that day."""
    if a.day is not None and b.clock is not None and a.gran == "day":
        date_c, clock_c, gap_re = a, b, _MERGE_GAP
    elif b.day is not None and a.clock is not None and b.gran == "day":
        date_c, clock_c, gap_re = b, a, _MERGE_GAP_REV
    else:
        return None
    if not gap_re.match(ctx.folded[a.end : b.start]):
        return None
    assert date_c.day is not None and clock_c.clock is not None
    h, mi = clock_c.clock
    day = _clock_day(date_c, h)
    return replace(date_c, start=a.start, end=b.end, type="TIME", value=f"{day.isoformat()}T{h:02d}:{mi:02d}",
                   mod=clock_c.mod or date_c.mod, clock=None, day=day)  # fmt: skip


def _clock_day(day_c: _Cand, hour: int) -> date:
    """The day a clock time falls on when it is given inside a named night: "dans la nuit de mardi à
    mercredi, vers 3 h" is Wednesday 03:00 (the night is Tuesday's, TIMEX3 NI; the hour is after midnight)."""
    assert day_c.day is not None
    return day_c.day + timedelta(days=1) if day_c.pod == "nuit" and hour < 12 else day_c.day


# ---------------------------------------------------------------------------------------------------
# tense

_FUTURE = re.compile(
    r"(?<![\w-])(?:sera|seront|aura|auront|fera|feront|ira|iront|devra|devront|pourra|pourront|vont|va"
    r"|prochaine?s?|\w{3,}(?:eront|iront|dront)|\w{2,}(?:tera|sera|dera|lera|nera|vera|cera|gera|rera|dra))(?![\w-])"
)
_PAST = re.compile(
    r"(?<![\w-])(?:a|ont|avait|avaient|est|sont|etait|etaient|fut|furent|eut)\s+(?:\w+\s+)?"
    r"\w+(?:é|és|ée|ées|i|is|ie|u|us|ue|t)(?![\w-])|\w{2,}(?:ait|aient)(?![\w-])"
)


def _sentences(raw: str, folded: str, past: bool) -> tuple[list[int], list[bool]]:
    starts = [0] + [m.end() for m in _SENT_END.finditer(raw)]
    flags = []
    lowered = raw.lower()
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(raw)
        future = _FUTURE.search(folded, s, e) is not None and _PAST.search(lowered, s, e) is None
        flags.append(past and not future)
    return starts, flags


# ---------------------------------------------------------------------------------------------------
# driver


def parse_dct_value(dct: str | date | datetime) -> tuple[date, time | None]:
    """The DCT as (day, time of day or None); a bad DCT raises SecnewsError TIMEX_BAD_DCT."""
    if isinstance(dct, datetime):
        return dct.date(), dct.time().replace(tzinfo=None)
    if isinstance(dct, date):
        return dct, None
    if isinstance(dct, str):
        try:
            if len(dct) == 10:
                return date.fromisoformat(dct), None
            dt = datetime.fromisoformat(dct.replace("Z", "+00:00"))
            return dt.date(), dt.time().replace(tzinfo=None)
        except ValueError as exc:
            raise SecnewsError(make_finding("TIMEX_BAD_DCT", value=dct, detail=str(exc))) from None
    raise SecnewsError(
        make_finding("TIMEX_BAD_DCT", value=repr(dct), detail="not a date, datetime or ISO string")
    )


def _candidates(ctx: _Ctx) -> Iterator[_Cand]:
    for pattern, handler, needs in _RULES:
        if needs and not any(n in ctx.folded for n in needs):
            continue
        for m in pattern.finditer(ctx.folded):
            try:
                c = handler(m, ctx)
            except (ValueError, OverflowError, KeyError):
                continue  # 31 février, a DCT at the edge of the calendar: not a date
            if c is not None and c.end > c.start:
                yield c


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest spans first, then leftmost: a non-overlapping, maximal set."""
    chosen: list[_Cand] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        if all(c.end <= s or c.start >= e for s, e in taken):
            chosen.append(c)
            taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


def _resolve(ctx: _Ctx) -> list[_Cand]:
    cands = _select(list(_candidates(ctx)))
    for i, c in enumerate(cands):
        lo = cands[i - 1].end if i else 0
        hi = cands[i + 1].start if i + 1 < len(cands) else len(ctx.folded)
        _safely(c, _apply_prefixes, c, ctx, lo)
        _safely(c, _apply_suffixes, c, ctx, hi)
    merged: list[_Cand] = []
    for c in cands:
        if merged:
            m = _merge(merged[-1], c, ctx)
            if m is not None:
                merged[-1] = m
                continue
        merged.append(c)
    _anchor(merged, ctx)
    return merged


def _safely(c: _Cand, step: Callable[..., None], *args: Any) -> None:
    """Run a resolution step; past the calendar's ends (year 1, 9999) the value is unknown, not a crash."""
    try:
        step(*args)
    except (ValueError, OverflowError):
        c.value, c.day, c.rel = None, None, None


def _anchor(cands: list[_Cand], ctx: _Ctx) -> None:
    """Clock times take the day of their sentence; "le lendemain" the last day named before it."""
    last_day: date | None = None
    for i, c in enumerate(cands):
        if c.rel is not None and last_day is not None:
            _safely(c, _reanchor, c, last_day)
        elif c.clock is not None:
            pick = _sentence_day(cands, i, ctx)
            if pick is not None:
                h, mi = c.clock
                c.value, c.anchor = f"{_clock_day(pick, h).isoformat()}T{h:02d}:{mi:02d}", None
        if c.day is not None and c.type in ("DATE", "TIME"):
            last_day = c.day


def _reanchor(c: _Cand, last_day: date) -> None:
    assert c.rel is not None
    unit, n, sign = c.rel
    value, day = _shift(last_day, None, unit, n or 0, sign)
    if day is not None and c.value and "T" in c.value:
        value = day.isoformat() + c.value[c.value.index("T") :]  # "le lendemain soir"
    c.value, c.day, c.anchor = value, day, None


def _sentence_day(cands: list[_Cand], i: int, ctx: _Ctx) -> _Cand | None:
    starts = ctx.sent_starts
    k = bisect.bisect_right(starts, cands[i].start) - 1
    s, e = starts[k], starts[k + 1] if k + 1 < len(starts) else len(ctx.folded)
    same = [
        c for c in cands if s <= c.start < e and c is not cands[i] and c.day is not None and c.gran == "day"
    ]
    before = [c for c in same if c.start < cands[i].start]
    pick = before[-1] if before else (same[0] if same else None)
    return pick


def _finish(c: _Cand, raw: str) -> TimexMatch:
    value = c.value
    if value is not None and not (tx.value_is_well_formed(value) and tx.value_matches_type(c.type, value)):
        value = None  # never emit a malformed value; a null value is reviewable, a wrong one is not
    anchor = c.anchor if value is not None else None
    return TimexMatch(c.start, c.end, raw[c.start : c.end], c.type, value, c.mod, anchor)


def find_timexes(text: str, dct: str | date | datetime) -> list[TimexMatch]:
    """Every French time expression in ``text``: non-overlapping maximal spans, sorted, normalised."""
    day, tod = parse_dct_value(dct)
    folded = _fold(text)
    starts, flags = _sentences(text, folded, True)
    ctx = _Ctx(folded, day, tod, True, starts, flags)
    return [_finish(c, text) for c in _resolve(ctx)]


def normalize(expression: str, dct: str | date | datetime, *, past: bool = True) -> TimexMatch | None:
    """Normalise one expression (the span an annotator selected) against the DCT.

    Offsets in the result are into ``expression``; words outside the TIMEX3 extent (``en 2015``) are
    left out. ``None`` when neither the rules nor ``dateparser`` recognise a time expression.
    """
    day, tod = parse_dct_value(dct)
    ctx = _Ctx(_fold(expression), day, tod, past)
    cands = _resolve(ctx)
    if cands:
        best = max(cands, key=lambda c: (c.end - c.start, -c.start))
        return _finish(best, expression)
    return _dateparser_fallback(expression, day, past)


# ---------------------------------------------------------------------------------------------------
# dateparser: the maintained library, for what the rules do not cover

_FALLBACK_WORTHY = re.compile(r"[A-Za-zÀ-ÿ]{3}|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")
_DP_PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year", "time": "time"}


@lru_cache(maxsize=64)
def _date_data_parser(base: date, past: bool) -> Any:
    # imported lazily: ~0.1 s, only for the fallback
    DateDataParser = require("dateparser.date", "preannotate", "French date fallback").DateDataParser

    settings = {
        "RELATIVE_BASE": datetime.combine(base, time(12, 0)),
        "PREFER_DATES_FROM": "past" if past else "future",
        "RETURN_TIME_AS_PERIOD": True,
        "PARSERS": ["relative-time", "absolute-time", "custom-formats"],
    }
    return DateDataParser(languages=["fr"], settings=settings)


def _dateparser_fallback(expression: str, dct: date, past: bool) -> TimexMatch | None:
    stripped = expression.strip()
    if not stripped or len(stripped) > 60 or not _FALLBACK_WORTHY.search(stripped):
        return None  # bare numbers and noise: dateparser would invent a date
    try:
        data = _date_data_parser(dct, past).get_date_data(stripped)
    except Exception:  # a third-party parser must never break normalisation
        return None
    when = data.date_obj if data else None
    if when is None:
        return None
    period = _DP_PERIODS.get(data.period or "day", "day")
    if period == "time":
        type_, value = "TIME", when.strftime("%Y-%m-%dT%H:%M")
    elif period == "week":
        type_, value = "DATE", _iso_week(when.date())
    elif period == "month":
        type_, value = "DATE", when.strftime("%Y-%m")
    elif period == "year":
        type_, value = "DATE", f"{when.year:04d}"
    else:
        type_, value = "DATE", when.date().isoformat()
    start = expression.index(stripped)
    anchor = None if re.search(r"\d{4}", stripped) else "DCT"  # a written year: absolute
    c = _Cand(start, start + len(stripped), type_, value, anchor=anchor)
    return _finish(c, expression)
