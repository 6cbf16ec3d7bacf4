"""LabelCodec.encode's fast path gives the index, or the coded error, that the taxonomy gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secnews.core.findings import SecnewsError
from secnews.core.taxonomy import load_taxonomy
from secnews.formats.rows import LabelCodec

SECTIONS = ("entity_types", "event_types", "roles", "timex_types", "mention_types")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(SECTIONS),
    st.one_of(
        st.sampled_from([n for s in SECTIONS for n in load_taxonomy().names(s)]),
        st.none(),
        st.text(max_size=6),
        st.integers(),
        st.booleans(),
        st.lists(st.integers(), max_size=1),
    ),
    st.booleans(),
)
def test_encode_is_the_taxonomy_position_or_a_coded_error(section: str, value: object, warm: bool) -> None:
    codec = LabelCodec()
    if warm:
        codec.names(section)  # the fast table exists before the first encode
    names = load_taxonomy().names(section)
    if value is None:
        assert codec.encode(section, value, "col") is None  # type: ignore[arg-type]
    elif isinstance(value, str) and value in names:
        assert codec.encode(section, value, "col") == names.index(value)
        assert codec.encode(section, value, "col") == names.index(value)  # second call: fast path
    else:
        for _ in range(2):
            with pytest.raises(SecnewsError) as err:
                codec.encode(section, value, "col", "doc-1")  # type: ignore[arg-type]
            assert err.value.findings[0].code == "CONVERT_BAD_LABEL"
            assert err.value.findings[0].doc_id == "doc-1"
