"""The guideline lexicons and heuristics (the fixtures test each rule end to end)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from secnews.validate.guidelines import cuts_word, finite_verb, leading_determiner

WORDS = st.lists(st.text(alphabet="abcdéè", min_size=1, max_size=6), min_size=1, max_size=6)


@given(WORDS, st.data())
def test_whole_words_never_cut_and_inner_offsets_always_are(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    i = data.draw(st.integers(0, len(words) - 1))
    start = sum(len(w) + 1 for w in words[:i])
    assert not cuts_word(text, start, start + len(words[i]))
    if len(words[i]) > 1:
        assert cuts_word(text, start + 1, start + len(words[i]))
        assert cuts_word(text, start, start + len(words[i]) - 1)


def test_operation_inside_cooperation_is_cut() -> None:
    text = "en coopération avec la coalition"
    start = text.index("opération")
    assert cuts_word(text, start, start + len("opération"))


def test_leading_determiners() -> None:
    assert leading_determiner("l'attaque") == "l'"
    assert leading_determiner("L’attentat") == "l'"
    assert leading_determiner("les FAMa") == "les"
    assert leading_determiner("un des policiers") is None  # a pronoun heading the mention
    assert leading_determiner("attaque") is None
    assert leading_determiner("la") is None  # a one-word span is its own head ("La" of a name)


def test_finite_verbs_in_timexes() -> None:
    assert finite_verb("cette journée a fait") == "a"
    assert finite_verb("Cette journée est") == "est"
    assert finite_verb("il y a trois jours") is None
    assert finite_verb("il y avait deux ans") is None
    assert finite_verb("le 15 mars") is None
