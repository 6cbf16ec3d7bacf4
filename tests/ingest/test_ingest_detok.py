"""French detokenisation: the tricky cases, and the offset map's exactness on any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secnews.ingest.detok import detokenize


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("l' armée", "l'armée"),
        ("d' AQMI", "d'AQMI"),
        ("aujourd' hui", "aujourd'hui"),
        ("jusqu' à", "jusqu'à"),
        ("qu' il", "qu'il"),
        ("c' est", "c'est"),
        ("n' a", "n'a"),
        ("s' est", "s'est"),
        ("presqu' île", "presqu'île"),
        ("l’ État", "l’État"),  # the curly apostrophe is kept as written
        ("L' attentat", "L'attentat"),
        ("qu' « il", "qu'« il"),
        ("(Drôme )", "(Drôme)"),
        ("( Drôme)", "(Drôme)"),
        ("[d' Orly ], qu'il", "[d'Orly], qu'il"),
        ("Hilla , située", "Hilla, située"),
        ("« les terroristes »", "« les terroristes »"),  # the source spaces its guillemets: kept
        ("« fascisme » , autrefois", "« fascisme », autrefois"),
        ("Il dit : « Non ! » ; puis ?", "Il dit : « Non ! » ; puis ?"),  # French spaces before : ; ! ?
        ("14 h 30", "14 h 30"),
        ("3 000", "3 000"),
        ("U.S.A .", "U.S.A."),
        ("etc .", "etc."),
        ("bancaire, ...)", "bancaire, ...)"),  # an ellipsis is not a period
        ("M. Hollande", "M. Hollande"),
        ("1er janvier 2016, 14h30 . –", "1er janvier 2016, 14h30. –"),
        ("irako -syrienne", "irako-syrienne"),
        ("Marseille - visant", "Marseille - visant"),  # a spaced dash stays a dash
        ("'tensions' de", "'tensions' de"),  # a closing quote is not an elision
        ("ils' ont", "ils' ont"),
        ("UTC+1 , 120 000", "UTC+1, 120 000"),  # WiNER has no "3 , 5" decimals: a comma is a comma
        ("x\u200by\u200f", "xy"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("  titre  \n", "titre"),
    ],
)
def test_tricky_cases(source: str, expected: str) -> None:
    assert detokenize(source).text == expected


def test_dont_join_what_stays_apart() -> None:
    text = "Le 3 000e soldat , M. X et l'O.N.U. : « Oui » ; 14 h 30 ! La ville de Gao ?"
    out = detokenize(text).text
    assert out == "Le 3 000e soldat, M. X et l'O.N.U. : « Oui » ; 14 h 30 ! La ville de Gao ?"


def test_span_mapping_removes_inner_space_only() -> None:
    text = "selon l' armée , hier"
    det = detokenize(text)
    s, e = text.index("l' armée"), text.index("l' armée") + len("l' armée")
    ns, ne = det.offsets.map_span(s, e)
    assert det.text[ns:ne] == "l'armée" == det.offsets.apply(text[s:e], s)


def test_span_ending_on_removed_space_is_not_exact() -> None:
    text = "Hilla , située"
    det = detokenize(text)
    assert det.offsets.map_span(0, 6) is None
    assert det.offsets.map_span(0, 6, trim=True) == (0, 5)
    assert det.offsets.map_span(5, 6, trim=True) is None  # only a removed space: nothing survives


_alphabet = st.sampled_from([*"ab lLdqu'’,.()[]-«»:\n\u200b\r", "qu", "aujourd", "..."])


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=40).map("".join))
def test_offset_map_is_exact(text: str) -> None:
    det = detokenize(text)
    om = det.offsets
    assert len(det.text) == len(text) - len(om.deleted)
    for i, ch in enumerate(text):
        if not om.is_deleted(i):
            assert det.text[om.position(i)] == om.replaced.get(i, ch)
    for s in range(len(text)):
        for e in range(s + 1, len(text) + 1):
            mapped = om.map_span(s, e, trim=True)
            expected = om.apply(text[s:e], s)
            if mapped is None:
                assert expected == ""
            else:
                assert det.text[mapped[0] : mapped[1]] == expected


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_detok_is_idempotent_on_its_output(text: str) -> None:
    once = detokenize(text).text
    assert detokenize(once).text == once
