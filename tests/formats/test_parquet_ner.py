"""The ``ner`` and ``events`` tables: French tokenisation, nesting rule, tags back to spans."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from secnews.core.taxonomy import load_taxonomy
from secnews.formats.arrow_schema import ner_tag_names
from secnews.formats.tables import event_rows, ner_rows, resolve_nesting, spans_from_tags
from secnews.model.synth import documents, generate_document
from secnews.model.tokenize_fr import sentences, tokenize

TAGS = ner_tag_names()
TYPES = load_taxonomy().entity_types


def _texts(text: str, cuts: tuple[int, ...] = ()) -> list[str]:
    tokens = tokenize(text, cuts)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    return [t.text for t in tokens]


def test_french_elisions_hyphens_apostrophes() -> None:
    assert _texts("l'armée d'AQMI") == ["l'", "armée", "d'", "AQMI"]
    assert _texts("l’armée d’AQMI") == ["l’", "armée", "d’", "AQMI"]
    assert _texts("Al-Qaïda") == ["Al", "-", "Qaïda"]
    assert _texts("a-t-il dit") == ["a", "-t", "-il", "dit"]
    assert _texts("Niamey  \n\n Gao") == ["Niamey", "Gao"]  # whitespace tokens dropped


def test_tokens_split_at_entity_boundaries() -> None:
    assert _texts("pro-JNIM") == ["pro-JNIM"]  # spaCy keeps this hyphenated word whole...
    assert _texts("pro-JNIM", cuts=(4,)) == ["pro-", "JNIM"]  # ...so an entity "JNIM" splits it
    assert _texts("JNIMistes", cuts=(4,)) == ["JNIM", "istes"]


def test_sentences_do_not_split_an_entity() -> None:
    text = "Il a vu Boko. Haram a fui. Puis il est parti."
    assert len(sentences(text)) == 3
    start = text.index("Boko")
    kept = sentences(text, keep_together=[(start, text.index("Haram") + 5)])
    assert len(kept) == 2 and kept[0].start == 0 and kept[0].end == text.index("fui.") + 4


def _entity(eid: str, start: int, end: int, text: str, etype: str) -> dict[str, Any]:
    return {
        "id": eid,
        "start": start,
        "end": end,
        "text": text[start:end],
        "type": etype,
        "mention": "NAM",
        "actor": None,
    }


def test_nesting_keeps_outermost() -> None:
    text = "la Katiba Serma a attaqué"
    outer = _entity("E1", 3, 15, text, "ARMED_GROUP")
    inner = _entity("E2", 10, 15, text, "GPE")
    crossing = _entity("E3", 13, 25, text, "MISC")
    kept = resolve_nesting([inner, crossing, outer], TYPES)
    assert [e["id"] for e in kept] == ["E1"]


def _doc_with(text: str, entities: list[dict[str, Any]]) -> dict[str, Any]:
    doc = generate_document(1, sentences=1)
    doc["text"] = text
    gold = doc["annotations"][0]
    gold.update({"entities": entities, "events": [], "attributions": [], "timexes": [], "relations": []})
    return doc


def test_ner_rows_on_hand_made_document() -> None:
    text = "L'attaque d’AQMI contre Al-Qaïda à Ménaka. La Katiba Serma a revendiqué."
    ents = [
        _entity("E1", text.index("AQMI"), text.index("AQMI") + 4, text, "ARMED_GROUP"),
        _entity("E2", text.index("Al-Qaïda"), text.index("Al-Qaïda") + 8, text, "ARMED_GROUP"),
        _entity("E3", text.index("Katiba"), text.index("Serma") + 5, text, "ARMED_GROUP"),
        _entity("E4", text.index("Serma"), text.index("Serma") + 5, text, "GPE"),
    ]
    rows = ner_rows(_doc_with(text, ents))
    assert [r["sentence_index"] for r in rows] == [0, 1]
    first = rows[0]
    tagged = dict(zip(first["tokens"], [TAGS[i] for i in first["ner_tags"]], strict=True))
    assert tagged["d’"] == "O" and tagged["AQMI"] == "B-ARMED_GROUP"
    assert [TAGS[i] for i in first["ner_tags"][first["tokens"].index("Al") :][:3]] == [
        "B-ARMED_GROUP",
        "I-ARMED_GROUP",
        "I-ARMED_GROUP",
    ]
    spans = {s for r in rows for s in spans_from_tags(r, TAGS)}
    assert spans == {(e["start"], e["end"], e["type"]) for e in ents[:3]}  # E4 nested: dropped


@settings(max_examples=25, deadline=None)
@given(documents())
def test_tags_give_back_the_kept_entities(doc: dict[str, Any]) -> None:
    gold = doc["annotations"][0]
    rows = ner_rows(doc)
    spans = [s for r in rows for s in spans_from_tags(r, TAGS)]
    kept = resolve_nesting(gold["entities"], TYPES)
    assert spans == [(e["start"], e["end"], e["type"]) for e in kept]
    for r in rows:
        assert [doc["text"][s:e] for s, e in zip(r["token_starts"], r["token_ends"], strict=True)] == r[
            "tokens"
        ]
        assert len(r["ner_tags"]) == len(r["tokens"])
    assert [r["sentence_index"] for r in rows] == list(range(len(rows)))


def test_no_gold_no_rows() -> None:
    doc = generate_document(2, sentences=2)
    for ann in doc["annotations"]:
        ann["status"] = "draft"
    assert ner_rows(doc) == [] and event_rows(doc) == []


def test_event_rows_resolve_arguments_attribution_and_date() -> None:
    doc = generate_document(11, sentences=3)
    gold = doc["annotations"][0]
    rows = event_rows(doc)
    assert len(rows) == len(gold["events"])
    tax = load_taxonomy()
    entities = {e["id"]: e for e in gold["entities"]}
    timexes = {t["id"]: t for t in gold["timexes"]}
    for row, ev in zip(rows, gold["events"], strict=True):
        assert tax.names("event_types")[row["type"]] == ev["type"]
        assert row["acled_sub_event_type"] == tax.record("event_types", ev["type"])["acled_sub_event_type"]
        assert doc["text"][row["trigger_start"] : row["trigger_end"]] == row["trigger_text"]
        for arg, src in zip(row["arguments"], ev["arguments"], strict=True):
            target = entities.get(src["ref"]) or timexes[src["ref"]]
            assert (arg["text"], arg["start"], arg["end"]) == (target["text"], target["start"], target["end"])
            assert arg["entity_type"] == ("TIMEX" if src["ref"] in timexes else target["type"])
        time_args = [a["ref"] for a in ev["arguments"] if a["role"] == "TIME"]
        assert row["date"] == (timexes[time_args[0]]["value"] if time_args else None)
        expected = [a["id"] for a in gold["attributions"] if ev["id"] in a["events"]]
        assert [a["id"] for a in row["attributions"]] == expected
        assert row["published_iso"] == doc["meta"]["published"]


def test_event_rows_from_another_set() -> None:
    doc = copy.deepcopy(generate_document(4, sentences=2, sets=2))
    pred = doc["annotations"][1]
    assert len(event_rows(doc, set=pred["id"])) == len(pred["events"])


def test_sentences_follow_the_spacy_pipeline() -> None:
    """``sentences`` applies the sentencizer's rule to token arrays (speed): its sentences and tokens
    must stay those of the spaCy pipeline's ``Doc.sents`` (whitespace tokens dropped)."""
    from secnews.model.tokenize_fr import french_pipeline

    texts = [
        "",
        "   ",
        "Quoi ?! Oui... « Non. » Fin",
        "A. B. C",
        "!!! ??? ...",
        "Il a dit : « Partez ! » puis il est parti.\n\nLe 3. mars, M. Dupont (né en 1950.) est là.",
        *(generate_document(seed, sentences=6)["text"] for seed in range(20)),
    ]
    for text in texts:
        expected = [
            [(t.idx, t.idx + len(t.text), t.text) for t in sent if not t.is_space]
            for sent in french_pipeline()(text).sents
        ]
        got = [[(t.start, t.end, t.text) for t in s.tokens] for s in sentences(text)]
        assert got == [s for s in expected if s], text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30)), max_size=20),
    st.lists(st.integers(0, 30), max_size=15),
)
def test_merging_sentences_follows_every_span_that_crosses_a_boundary(
    pieces: list[tuple[int, int]], lengths: list[int]
) -> None:
    """The binary-search merge gives what checking every span against every boundary gives."""
    from secnews.model.tokenize_fr import _merge_spans

    spans = sorted((s, s + n) for s, n in pieces)
    starts = [0]
    for n in lengths:
        starts.append(starts[-1] + n + 1)
    bounds = [*starts, starts[-1] + 5]
    sents = [(a, b - 1, [a], [a + 1], ["x"]) for a, b in itertools.pairwise(bounds)]

    def brute(sents: list[Any]) -> list[Any]:
        out = [sents[0]] if sents else []
        for sent in sents[1:]:
            prev = out[-1]
            if any(s < prev[1] and e > sent[0] for s, e in spans):
                out[-1] = (prev[0], sent[1], prev[2] + sent[2], prev[3] + sent[3], prev[4] + sent[4])
            else:
                out.append(sent)
        return out

    expected = brute(copy.deepcopy(sents))
    assert _merge_spans(copy.deepcopy(sents), spans) == expected


_PIECES = ["a", "é", " ", "  ", "\n", "\t", "\u00a0", ".", "!", "?", "...", "…", "«", "»", "'", "’", "-", ";",
           ":", ",", "(", ")", "M.", "l'", "3", "Al-Qaïda", "?!", "\r\n", "etc."]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_sentences_follow_the_spacy_pipeline_on_odd_text(pieces: list[str]) -> None:
    """The sentencizer's rule on token arrays keeps giving the pipeline's sentences and tokens on
    text made of punctuation, quotes, ellipses and every kind of whitespace."""
    from secnews.model.tokenize_fr import french_pipeline

    text = "".join(pieces)
    expected = [
        [(t.idx, t.idx + len(t.text), t.text) for t in sent if not t.is_space]
        for sent in french_pipeline()(text).sents
    ]
    got = [[(t.start, t.end, t.text) for t in s.tokens] for s in sentences(text)]
    assert got == [s for s in expected if s]
