"""Properties of reading region offsets: code points as the editor writes them, UTF-16 from older files.

Texts mix astral characters (emoji, flags, mathematical letters), ZWJ sequences, combining marks and
right-to-left runs, the characters where a code-point count, a UTF-16 count and what a reader sees
as one character all differ.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from secnews.labelstudio.exporter import document_to_task, tasks_to_export
from secnews.labelstudio.offsets import OffsetMap, read_span
from secnews.labelstudio.tasks import task_to_document
from secnews.model.synth import generate_document

PIECES = [
    *"ab é«»",
    "Mali",
    "🔥",
    "🇲🇱",  # a flag: two astral regional indicators
    "👨\u200d👩\u200d👧",  # ZWJ family: three astral characters joined by U+200D
    "𝕊",
    "e\u0301",  # combining acute accent
    "مالي",  # Arabic (right to left)
    "\u200f",  # right-to-left mark
    "שלום",
    "中",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join)


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


def _u16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


@settings(max_examples=300)
@given(text_and_span())
def test_code_point_regions_read_as_themselves(case: tuple[str, int, int]) -> None:
    text, start, end = case
    got = read_span(text, OffsetMap(text), start, end, text[start:end])
    assert (got.start, got.end, got.utf16, got.error) == (start, end, False, None)


@settings(max_examples=300)
@given(text_and_span())
def test_utf16_regions_are_converted_when_their_text_confirms_it(case: tuple[str, int, int]) -> None:
    text, start, end = case
    span = text[start:end]
    got = read_span(text, OffsetMap(text), _u16(text, start), _u16(text, end), span)
    assert got.error is None and text[got.start : got.end] == span
    cp_reading_fits = _u16(text, end) <= len(text) and text[_u16(text, start) : _u16(text, end)] == span
    # the code-point reading wins when it fits (that is what the editor writes), else it is converted
    assert got.utf16 is not cp_reading_fits
    if not cp_reading_fits:
        assert (got.start, got.end) == (start, end)


@settings(max_examples=300)
@given(text_and_span(), st.text(min_size=1, max_size=5))
def test_a_region_neither_reading_confirms_is_refused(case: tuple[str, int, int], said: str) -> None:
    text, start, end = case
    omap = OffsetMap(text)
    u16s, u16e = omap.to_codepoint(start), omap.to_codepoint(end)
    readings = {text[start:end]}
    if u16s is not None and u16e is not None and u16s < u16e:
        readings.add(text[u16s:u16e])
    if said in readings or " " in said or any(c.isspace() for c in said):
        return  # whitespace runs are forgiven, so only compare texts without them
    got = read_span(text, omap, start, end, said)
    assert got.error == "LS_SPAN_TEXT_MISMATCH"


@settings(max_examples=100)
@given(texts)
def test_past_the_end_in_both_readings_is_out_of_range(text: str) -> None:
    omap = OffsetMap(text)
    got = read_span(text, omap, 0, omap.length_u16 + 1, None)
    assert got.error == "LS_OFFSET_OUT_OF_RANGE"


def _utf16_task(doc: dict[str, Any]) -> dict[str, Any]:
    """An export of ``doc`` whose offsets count UTF-16 units, as files made before Label Studio 1.23."""
    task = next(tasks_to_export([document_to_task(doc)]))
    text = doc["text"]
    for pred in task["predictions"]:
        for item in pred["result"]:
            value = item.get("value") or {}
            if "start" in value:
                value["start"], value["end"] = _u16(text, value["start"]), _u16(text, value["end"])
    return task


def test_an_older_utf16_export_imports_at_the_same_offsets_with_one_warning_per_set() -> None:
    doc = next(
        d
        for d in (generate_document(s, sentences=4, astral=True) for s in range(200))
        if any(ord(c) > 0xFFFF for c in d["text"][: len(d["text"]) // 2])
    )
    converted = task_to_document(_utf16_task(doc))
    assert converted.doc == doc
    warnings = [f for f in converted.findings if f.code == "LS_OFFSETS_UTF16"]
    assert len(warnings) == len(doc["annotations"]) and all(f.severity == "warning" for f in warnings)
    assert not [f for f in converted.findings if f.severity == "error"]
