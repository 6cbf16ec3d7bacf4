"""Offsets between Python code points (canonical) and UTF-16 code units (Label Studio).

Label Studio indexes ``data.text`` as a JavaScript string: an astral character (emoji, some CJK,
mathematical letters) counts 2. Canonical offsets count code points. The two agree until the first
astral character, so the table only stores where astral characters are: converting a span is a
binary search (``O(log k)`` for ``k`` astral characters), and a text without any costs nothing.
Conversion happens only at the boundary (import and export), never inside the corpus.
"""

from __future__ import annotations

import re
from bisect import bisect_left

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


def same_modulo_whitespace(a: str, b: str) -> bool:
    """Whether two span texts agree once whitespace runs are collapsed.

    Label Studio's editor collapses runs of spaces in a region's ``value.text`` (an upstream bug:
    the offsets stay right, the copied text does not), so a strict comparison would reject correct
    spans. Only whitespace runs are forgiven: any other difference means the offsets are wrong.
    """
    return a == b or _WS.sub(" ", a) == _WS.sub(" ", b)


def utf16_len(text: str) -> int:
    return len(text) + len(_ASTRAL.findall(text))
