"""Time expressions: ``secnews.annotate.timex_fr`` finds and normalises them; this module makes them records.

The rules live in ``timex_fr`` (shared with the annotation tools, so that a pre-annotated value and an
annotator's normalised value follow one convention). Here a value that does not pass the TIMEX3
checks of ``secnews.model.timex3`` is cleared rather than written: a prediction set must validate, and an
unnormalised timex (value null) is still useful to an annotator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from secnews.model import timex3 as tx

SCORE_TIMEX = 0.8


@dataclass(frozen=True, order=True)
class TimexGuess:
    start: int
    end: int
    type: str
    value: str | None
    anchor: str | None
    mod: str | None
    score: float


def _checked_value(match: Any) -> str | None:
    value = match.value
    if value is None or not tx.value_is_well_formed(value) or not tx.value_matches_type(match.type, value):
        return None
    return str(value)


def extract_timexes(text: str, published: str) -> list[TimexGuess]:
    """Timexes of a text against its DCT (``meta.published``); coded error when the DCT is unusable."""
    from secnews.annotate.timex_fr import find_timexes

    out = []
    for m in find_timexes(text, published):
        if m.end <= m.start or text[m.start : m.end] != m.text:
            continue
        value = _checked_value(m)
        anchor = m.anchor if value is not None and m.anchor == "DCT" else None
        mod = m.mod if value is not None else None
        out.append(TimexGuess(m.start, m.end, m.type, value, anchor, mod, SCORE_TIMEX))
    return sorted(set(out))
