"""French detokenisation of pre-tokenised text, with an exact offset map.

WiNER-fr (like many NER corpora) ships text in which a tokeniser inserted spaces: "Hilla , située",
"l' armée", "( Seine-Saint-Denis )", "14h30 . –". Annotations point into that text, so cleaning it
means moving every offset. We only ever *delete* characters (the inserted spaces, invisible format
characters) or replace one character by one character (a lone ``\\r``), so the map is a simple
monotone function: an original character that survives keeps its order, and a span maps to
``[map(start), map(end - 1) + 1)``. A span that starts or ends on a deleted character has no exact
image and is reported by the caller, never stretched or dropped.

sacremoses' French detokeniser was considered: it works on token lists, not on a string with
offsets, and its rules also touch what the source wrote deliberately (spaces before ``:;!?`` and
inside guillemets), so aligning back would be as much work as these few rules.

Rules (each deletes one space; everything else the source wrote stays as it is):

- ``x ,`` and ``x .`` (but not before an ellipsis ``...``): no space before a comma or a period.
- ``( x`` / ``x )`` and ``[ x`` / ``x ]``: no space inside brackets.
- ``l' armée``, ``d' AQMI``, ``qu' «``, ``aujourd' hui``, ``presqu' île`` (straight or curly
  apostrophe): elided words are joined to the next token.
- ``irako -syrienne``: a space before a hyphen that starts a word (the second half of a compound).

Kept on purpose: the French spaces before ``: ; ! ?`` and inside ``« »`` (the source's style),
thousands separators ("3 000"), "14 h 30", "M. Hollande", "U.S.A." (its trailing space goes).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

#: words that elide before a vowel (lower case); "aujourd'hui" and "presqu'île" are lexical elisions
ELIDING_WORDS: tuple[str, ...] = (
    "l",
    "d",
    "j",
    "m",
    "n",
    "s",
    "t",
    "c",
    "ç",
    "qu",
    "jusqu",
    "lorsqu",
    "puisqu",
    "quoiqu",
    "presqu",
    "quelqu",
    "aujourd",
    "entr",
)

_ELISION = re.compile(
    r"(?<![^\W\d_])(?:" + "|".join(sorted(ELIDING_WORDS, key=len, reverse=True)) + r")['\u2019]( )(?=\S)",
    re.IGNORECASE,
)
_BEFORE_PUNCT = re.compile(r"(?<=\S)( )(?:,|\.(?!\.))")
_AFTER_OPEN = re.compile(r"[(\[]( )(?=\S)")
_BEFORE_CLOSE = re.compile(r"(?<=\S)( )[)\]]")
_COMPOUND = re.compile(r"(?<=[^\W\d_])( )-(?=[^\W\d_])")

DETOK_RULES: tuple[re.Pattern[str], ...] = (_BEFORE_PUNCT, _AFTER_OPEN, _BEFORE_CLOSE, _ELISION, _COMPOUND)

#: invisible characters removed from any ingested text (zero-width spaces, bidi marks, BOM, soft hyphen)
_FORMAT_CATEGORIES = ("Cf",)


@dataclass
class OffsetMap:
    """A monotone map from offsets in an original text to offsets in its edited form.

    ``deleted`` holds the sorted original positions of removed characters; ``replaced`` the
    positions whose character changed (same length, so offsets are unaffected).
    """

    original_length: int
    deleted: list[int] = field(default_factory=list)
    replaced: dict[int, str] = field(default_factory=dict)

    def is_deleted(self, i: int) -> bool:
        k = bisect.bisect_left(self.deleted, i)
        return k < len(self.deleted) and self.deleted[k] == i

    def position(self, i: int) -> int:
        """New offset of original offset ``i`` (for a deleted char: where the next survivor lands)."""
        return i - bisect.bisect_left(self.deleted, i)

    def map_span(self, start: int, end: int, *, trim: bool = False) -> tuple[int, int] | None:
        """The image of ``[start, end)``, or ``None`` when an end of the span was deleted.

        With ``trim``, deleted characters at the ends (an invisible mark or a space the span
        swallowed) are left out instead; the image is still exactly ``apply(span text)``. ``None``
        then means nothing of the span survives.
        """
        if not 0 <= start < end <= self.original_length:
            return None
        if trim:
            while start < end and self.is_deleted(start):
                start += 1
            while end > start and self.is_deleted(end - 1):
                end -= 1
            if start == end:
                return None
        if self.is_deleted(start) or self.is_deleted(end - 1):
            return None
        return self.position(start), self.position(end - 1) + 1

    def apply(self, text: str, offset: int = 0) -> str:
        """The same edits applied to a piece of the original text that starts at ``offset``."""
        out = []
        for j, ch in enumerate(text):
            i = offset + j
            if self.is_deleted(i):
                continue
            out.append(self.replaced.get(i, ch))
        return "".join(out)


@dataclass
class Detokenized:
    text: str
    offsets: OffsetMap


def _invisible_edits(text: str) -> tuple[set[int], dict[int, str]]:
    deleted: set[int] = set()
    replaced: dict[int, str] = {}
    for i, ch in enumerate(text):
        if ch == "\r":
            if text[i + 1 : i + 2] == "\n":
                deleted.add(i)
            else:
                replaced[i] = "\n"
        elif ch not in "\n\t" and unicodedata.category(ch) in ("Cc", *_FORMAT_CATEGORIES):
            deleted.add(i)
    return deleted, replaced


def _survivors(text: str, deleted: set[int], replaced: dict[int, str]) -> tuple[list[int], str]:
    """Original positions of the surviving characters, and the text they spell."""
    keep = [i for i in range(len(text)) if i not in deleted]
    return keep, "".join(replaced.get(i, text[i]) for i in keep)


def detokenize(text: str, *, detok: bool = True, strip: bool = True) -> Detokenized:
    """Clean ``text`` (control and format characters; with ``detok`` the French spacing rules above;
    with ``strip`` leading and trailing whitespace, as deletions so that offsets follow).

    The rules run on the text without invisible characters and again until nothing changes, so the
    result is a fixed point (detokenising it again changes nothing). The input must already be NFC:
    composing characters would not be a one-to-one edit, so callers check NFC first
    (:func:`secnews.ingest.common.is_normalized`).
    """
    deleted, replaced = _invisible_edits(text)
    keep, current = _survivors(text, deleted, replaced)
    while detok:
        hits = {m.start(1) for rule in DETOK_RULES for m in rule.finditer(current)}
        if not hits:
            break
        deleted.update(keep[j] for j in hits)
        keep, current = _survivors(text, deleted, replaced)
    if strip:
        lead = len(current) - len(current.lstrip())
        trail = len(current) - len(current.rstrip())
        deleted.update(keep[:lead])
        deleted.update(keep[len(keep) - trail :])
    omap = OffsetMap(original_length=len(text), deleted=sorted(deleted), replaced=replaced)
    return Detokenized(text=omap.apply(text), offsets=omap)
