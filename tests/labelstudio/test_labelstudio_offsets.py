"""UTF-16 <-> code point offsets, checked against the definition (encode and count)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from secnews.labelstudio.offsets import OffsetMap, same_modulo_whitespace, utf16_len

_chars = st.sampled_from([*"ab é\n«»", "🇲🇱", "🔥", "𝕊", "😢", "\u0301", "中"])
texts = st.lists(_chars, max_size=40).map("".join)


def _u16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


@given(texts)
def test_to_utf16_matches_encoding(text: str) -> None:
    omap = OffsetMap(text)
    assert omap.length_u16 == utf16_len(text) == len(text.encode("utf-16-le")) // 2
    for cp in range(len(text) + 1):
        assert omap.to_utf16(cp) == _u16(text, cp)


@given(texts)
def test_to_codepoint_inverts_and_refuses_surrogate_halves(text: str) -> None:
    omap = OffsetMap(text)
    boundaries = {_u16(text, cp): cp for cp in range(len(text) + 1)}
    for u in range(omap.length_u16 + 1):
        assert omap.to_codepoint(u) == boundaries.get(u)


def test_emoji_shifts_later_offsets() -> None:
    text = "Mali 🇲🇱 : Mopti"
    omap = OffsetMap(text)
    cp = text.index("Mopti")
    assert omap.to_utf16(cp) == cp + 2  # the flag is two astral characters
    assert omap.to_codepoint(omap.to_utf16(cp)) == cp
    assert omap.to_codepoint(6) is None  # inside the first regional indicator


def test_whitespace_collapsing_is_the_only_forgiven_difference() -> None:
    assert same_modulo_whitespace("l'armée malienne", "l'armée  malienne")
    assert not same_modulo_whitespace("l'armée malienne", "'armée  malienne")
    assert not same_modulo_whitespace("Mopti", "Mopt")
