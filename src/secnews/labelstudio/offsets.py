"""Region offsets as Label Studio counts them (code points), and the UTF-16 reading of older files.

Label Studio 1.23's editor draws and stores ``value.start``/``value.end`` in code points (checked
in Chromium on an emoji text: the region over "Bamako" after a flag starts at the code-point index),
exactly as canonical offsets count, so tasks are written with the canonical numbers unchanged.

Older exports and scripts that followed the JavaScript string length count UTF-16 units instead (an
astral character, such as an emoji or a flag half, counts 2). :func:`read_span` therefore checks each
region against its own ``text``: the code-point reading first; where only the UTF-16 reading
matches, it converts and says so (the caller warns); where neither matches, it refuses. The table
of :class:`OffsetMap` only stores where astral characters are: converting is a binary search, and a
text without any costs nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_WS = re.compile(r"\s+")


class OffsetMap:
    """Convert offsets of one text in both directions.

    ``_cp`` holds the code-point index of each astral character, ``_u16`` its UTF-16 index; a
    UTF-16 offset equal to ``_u16[i] + 1`` falls inside the i-th character's surrogate pair.
    """

    __slots__ = ("_cp", "_u16", "bmp_only", "length_cp", "length_u16")

    def __init__(self, text: str) -> None:
        self._cp = [m.start() for m in _ASTRAL.finditer(text)]
        self._u16 = [cp + i for i, cp in enumerate(self._cp)]
        self.length_cp = len(text)
        self.length_u16 = len(text) + len(self._cp)
        #: no astral character: both offsets are the same number (callers may skip the conversion)
        self.bmp_only = not self._cp

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code-point offset ``cp`` (astral characters before it count twice)."""
        if not self._cp:
            return cp
        return cp + bisect_left(self._cp, cp)

    def to_codepoint(self, u16: int) -> int | None:
        """Code-point offset of UTF-16 offset ``u16``; None when it falls inside a surrogate pair."""
        if not self._u16:
            return u16
        before = bisect_left(self._u16, u16)  # astral characters starting strictly before u16
        if before and self._u16[before - 1] + 1 == u16:
            return None
        return u16 - before


@dataclass(frozen=True, slots=True)
class SpanReading:
    """How a region's offsets were read: code points (``utf16`` False) or converted from UTF-16.

    ``error`` names why neither reading fits (``LS_OFFSET_OUT_OF_RANGE``, ``LS_SPAN_TEXT_MISMATCH``
    or ``LS_OFFSET_SPLITS_CHARACTER``); ``start``/``end`` are then the code-point reading's, for the
    message.
    """

    start: int
    end: int
    utf16: bool = False
    error: str | None = None


def read_span(text: str, omap: OffsetMap, start: int, end: int, found: object) -> SpanReading:
    """Code-point offsets of a region ``[start, end)`` whose own text is ``found`` (None: not given).

    The code-point reading wins whenever it fits (it is what the editor writes); the UTF-16 one is
    tried only on a text with astral characters and only when the region's text confirms it, since
    without a text to check, converting would be a guess.
    """
    in_range = end <= omap.length_cp
    if in_range and (
        found is None or (isinstance(found, str) and same_modulo_whitespace(found, text[start:end]))
    ):
        return SpanReading(start, end)
    if not omap.bmp_only and end <= omap.length_u16:
        cps, cpe = omap.to_codepoint(start), omap.to_codepoint(end)
        if cps is not None and cpe is not None and cps < cpe:
            if found is None or (isinstance(found, str) and same_modulo_whitespace(found, text[cps:cpe])):
                return SpanReading(cps, cpe, utf16=True)
        elif not in_range:
            return SpanReading(start, end, error="LS_OFFSET_SPLITS_CHARACTER")
    if not in_range:
        return SpanReading(start, end, error="LS_OFFSET_OUT_OF_RANGE")
    return SpanReading(start, end, error="LS_SPAN_TEXT_MISMATCH")


def same_modulo_whitespace(a: str, b: str) -> bool:
    """Whether two span texts agree once whitespace runs are collapsed.

    Label Studio's editor collapses runs of spaces in a region's ``value.text`` (an upstream bug:
    the offsets stay right, the copied text does not), so a strict comparison would reject correct
    spans. Only whitespace runs are forgiven: any other difference means the offsets are wrong.
    """
    return a == b or _WS.sub(" ", a) == _WS.sub(" ", b)


def utf16_len(text: str) -> int:
    return len(text) + len(_ASTRAL.findall(text))
