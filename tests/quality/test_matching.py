"""The matching core shared by agreement and evaluation, on hand-made pairs with known scores."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from secnews.quality.matching import Counts, layer_scores, match_spans, merge_counts, pair_counts, prf

TEXT = (
    "Les FAMa ont annoncé jeudi dernier la mort de Moussa Himma Diallo, chef de la Katiba Serma, "
    "tué par une frappe de drone près de Douentza. Selon une source sécuritaire, la frappe a visé un camp."
)
DCT = "2024-12-28"


# ------------------------------------------------------------------------------------------- builders
def span(needle: str, occurrence: int = 1) -> dict[str, Any]:
    """The span of the n-th occurrence of ``needle`` in TEXT (tests state spans by their words)."""
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(needle, start + 1)
    return {"start": start, "end": start + len(needle), "text": needle}


def ent(rid: str, needle: str, etype: str, mention: str = "NAM", occurrence: int = 1) -> dict[str, Any]:
    return {"id": rid, **span(needle, occurrence), "type": etype, "mention": mention, "actor": None}


def tmx(rid: str, needle: str, ttype: str, value: str | None) -> dict[str, Any]:
    return {"id": rid, **span(needle), "type": ttype, "value": value, "anchor": "DCT", "mod": None}


def ev(
    rid: str,
    needle: str,
    etype: str,
    args: list[tuple[str, str]] = (),  # type: ignore[assignment]
    realis: str = "ACTUAL",
    fatalities: dict[str, int | None] | None = None,
    occurrence: int = 1,
) -> dict[str, Any]:
    return {
        "id": rid,
        "type": etype,
        "trigger": span(needle, occurrence),
        "realis": realis,
        "fatalities": fatalities,
        "arguments": [{"role": r, "ref": ref} for r, ref in args],
    }


def att(
    rid: str, cue: str, source: str | None, content: str, events: list[str], **labels: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "source": source,
        "cue": span(cue),
        "content": [span(content)],
        "events": events,
        "source_type": labels.get("source_type", "STATE_MILITARY"),
        "claim": labels.get("claim", "ASSERTION"),
        "certainty": labels.get("certainty", "CERTAIN"),
        "quote": labels.get("quote", "INDIRECT"),
    }


def aset(set_id: str, annotator: str, **layers: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": set_id,
        "kind": layers.pop("kind", "human"),
        "annotator": annotator,
        "status": layers.pop("status", "submitted"),
        "created": "2025-01-02T10:00:00Z",
        "updated": None,
        "origin": None,
        "labels": layers.pop("labels", {"relevant": True, "countries": ["ML"]}),
    }
    for layer in ("entities", "events", "attributions", "timexes", "relations"):
        out[layer] = layers.pop(layer, [])
    assert not layers, layers
    return out


def make_doc(*sets: dict[str, Any], doc_id: str = "test-doc-1") -> dict[str, Any]:
    return {
        "schema_version": "1.0.0",
        "id": doc_id,
        "text": TEXT,
        "meta": {"published": DCT, "source": "test", "language": "fr", "license": "CC0-1.0"},
        "annotations": list(sets),
    }


def base_set(set_id: str = "ann-1", annotator: str = "alice") -> dict[str, Any]:
    """A complete, valid set over TEXT: the reference the tests perturb."""
    return aset(
        set_id,
        annotator,
        entities=[
            ent("E1", "FAMa", "STATE_FORCE"),
            ent("E2", "Moussa Himma Diallo", "PER"),
            ent("E3", "Katiba Serma", "ARMED_GROUP"),
            ent("E4", "Douentza", "GPE"),
            ent("E5", "source sécuritaire", "PER", "NOM"),
        ],
        timexes=[tmx("T1", "jeudi dernier", "DATE", "2024-12-26")],
        events=[
            ev("V1", "mort", "DEATH", [("TARGET", "E2"), ("TIME", "T1")], fatalities={"min": 1, "max": 1}),
            ev("V2", "frappe", "AIR_DRONE_STRIKE", [("PLACE", "E4"), ("TARGET", "E2")]),
        ],
        attributions=[
            att("A1", "ont annoncé", "E1", "la mort de Moussa Himma Diallo", ["V1"]),
            att(
                "A2",
                "Selon",
                "E5",
                "la frappe a visé un camp",
                ["V2"],
                source_type="ANONYMOUS_SECURITY_SOURCE",
            ),
        ],
        relations=[{"id": "R1", "type": "CAUSES", "head": "V2", "tail": "V1"}],
    )


# ------------------------------------------------------------------------------------------- prf
def test_prf_known_values() -> None:
    assert prf(3, 4, 4) == (0.75, 0.75, 0.75)
    p, r, f1 = prf(2, 4, 2)
    assert (p, r) == (1.0, 0.5)
    assert f1 == pytest.approx(2 / 3)
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)  # nothing to find, nothing found
    assert prf(0, 3, 0) == (0.0, 0.0, 0.0)


def test_counts_add_and_dict() -> None:
    total = Counts(1, 2, 2) + Counts(2, 2, 3)
    assert (total.tp, total.n_gold, total.n_pred) == (3, 4, 5)
    assert total.to_dict()["f1"] == round(6 / 9, 4)


# ------------------------------------------------------------------------------------------- match_spans
def test_exact_three_of_four_entities_give_f1_075_and_overlap_counts_the_shifted_one() -> None:
    gold = [
        ent("E1", "FAMa", "STATE_FORCE"),
        ent("E2", "Moussa Himma Diallo", "PER"),
        ent("E3", "Katiba Serma", "ARMED_GROUP"),
        ent("E4", "Douentza", "GPE"),
    ]
    pred = copy.deepcopy(gold)
    pred[2] = ent("E3", "la Katiba Serma", "ARMED_GROUP")  # shifted: the determiner included
    scores = layer_scores(aset("a", "x", entities=gold), aset("b", "y", entities=pred))["entities"]
    assert scores["exact"]["tp"] == 3
    assert scores["exact"]["f1"] == 0.75
    assert scores["overlap"]["tp"] == 4
    assert scores["overlap"]["f1"] == 1.0


def test_typed_matching_counts_a_type_disagreement_as_miss_and_by_type() -> None:
    gold = [ent("E1", "FAMa", "STATE_FORCE"), ent("E2", "Katiba Serma", "ARMED_GROUP")]
    pred = [ent("E1", "FAMa", "STATE_FORCE"), ent("E2", "Katiba Serma", "ORG")]
    s = layer_scores(aset("a", "x", entities=gold), aset("b", "y", entities=pred))["entities"]["exact"]
    assert (s["tp"], s["n_gold"], s["n_pred"]) == (1, 2, 2)
    assert s["by_type"]["STATE_FORCE"]["f1"] == 1.0
    assert s["by_type"]["ARMED_GROUP"] == {"tp": 0, "n_gold": 1, "n_pred": 0, "p": 0.0, "r": 0.0, "f1": 0.0}
    assert s["by_type"]["ORG"]["n_pred"] == 1


def test_match_spans_is_one_to_one_and_prefers_exact_to_a_larger_overlap() -> None:
    gold = [{"start": 10, "end": 20}]
    pred = [{"start": 5, "end": 25}, {"start": 10, "end": 20}]
    assert match_spans(gold, pred, "overlap") == [(0, 1)]
    # two gold spans overlapping the same pred span: only one gets it (the larger overlap)
    gold2 = [{"start": 0, "end": 4}, {"start": 6, "end": 20}]
    assert match_spans(gold2, [{"start": 2, "end": 18}], "overlap") == [(1, 0)]
    assert match_spans(gold2, [{"start": 2, "end": 18}], "exact") == []


def test_match_spans_key_and_bad_mode() -> None:
    a = [{"start": 0, "end": 4, "type": "X"}]
    b = [{"start": 0, "end": 4, "type": "Y"}]
    assert match_spans(a, b, "exact") == [(0, 0)]
    assert match_spans(a, b, "exact", key=lambda r: r["type"]) == []
    with pytest.raises(ValueError):
        match_spans(a, b, "fuzzy")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- layers
def test_identical_sets_score_one_everywhere() -> None:
    scores = layer_scores(base_set(), base_set("ann-2", "bob"))
    for layer, modes in scores.items():
        for mode, s in modes.items():
            assert s["f1"] == 1.0, (layer, mode)


def test_arguments_follow_spans_not_ids_and_a_role_change_is_a_miss() -> None:
    a = base_set()
    b = base_set("ann-2", "bob")
    # renumber b's entities: ids differ, spans do not
    ids = {e["id"]: f"X{i}" for i, e in enumerate(b["entities"])}
    for e in b["entities"]:
        e["id"] = ids[e["id"]]
    for v in b["events"]:
        for arg in v["arguments"]:
            arg["ref"] = ids.get(arg["ref"], arg["ref"])
    for at in b["attributions"]:
        at["source"] = ids.get(at["source"], at["source"])
    assert layer_scores(a, b)["arguments"]["exact"]["f1"] == 1.0
    b["events"][1]["arguments"][1]["role"] = "AGENT"  # TARGET -> AGENT on the strike
    s = layer_scores(a, b)["arguments"]["exact"]
    assert (s["tp"], s["n_gold"], s["n_pred"]) == (3, 4, 4)
    assert s["by_type"]["TARGET"]["tp"] == 1
    assert s["by_type"]["AGENT"]["n_pred"] == 1


def test_arguments_of_an_unmatched_event_all_miss() -> None:
    a, b = base_set(), base_set("ann-2", "bob")
    b["events"][0]["type"] = "INJURY"
    s = layer_scores(a, b)["arguments"]["exact"]
    assert (s["tp"], s["n_gold"]) == (2, 4)


def test_attribution_cue_match_and_source_agreement() -> None:
    a, b = base_set(), base_set("ann-2", "bob")
    b["attributions"][1]["source"] = None  # same cue, but "the article" as source
    scores = layer_scores(a, b)
    assert scores["attributions"]["exact"]["tp"] == 2
    assert scores["attribution_sources"]["exact"]["tp"] == 1
    assert scores["attribution_sources"]["exact"]["f1"] == 0.5


def test_symmetric_relations_match_reversed_but_causes_does_not() -> None:
    a, b = base_set(), base_set("ann-2", "bob")
    a["relations"].append({"id": "R2", "type": "SAME_AS", "head": "E2", "tail": "E3"})
    b["relations"].append({"id": "R2", "type": "SAME_AS", "head": "E3", "tail": "E2"})
    assert layer_scores(a, b)["relations"]["exact"]["tp"] == 2
    b["relations"][0].update(head="V1", tail="V2")  # CAUSES reversed
    s = layer_scores(a, b)["relations"]["exact"]
    assert s["tp"] == 1
    assert s["by_type"]["CAUSES"]["tp"] == 0


def test_timex_values_are_compared_on_matched_spans() -> None:
    a, b = base_set(), base_set("ann-2", "bob")
    a["timexes"].append(tmx("T2", "près de Douentza", "DATE", "2024-12-27"))  # nonsense, fine for matching
    b["timexes"].append(tmx("T2", "près de Douentza", "DATE", "2024-12-25"))
    s = layer_scores(a, b)["timex_values"]["exact"]
    assert (s["tp"], s["n_gold"]) == (1, 2)
    assert s["f1"] == 0.5


def test_labels_and_merge_counts() -> None:
    a = base_set()
    b = base_set("ann-2", "bob")
    b["labels"] = {"relevant": False, "countries": ["ML", "BF"]}
    c = pair_counts(a, b)
    assert c["labels"]["exact"]["by_type"]["relevant"].tp == 0
    assert c["labels"]["exact"]["by_type"]["countries"].tp == 1
    total = merge_counts(pair_counts(a, a), c)
    assert total["entities"]["exact"]["all"].n_gold == 10
    assert total["labels"]["exact"]["by_type"]["relevant"].tp == 1
