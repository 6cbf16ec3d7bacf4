"""Inter-annotator agreement: statistics checked by hand, reports on hand-made pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_matching import aset, base_set, ent, make_doc

from secnews.cli.agreement import command
from secnews.model.document import write_document
from secnews.quality.agreement import (
    MISSING,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    observed_agreement,
    select_sets,
    span_units,
    unit_statistic,
)


# ------------------------------------------------------------------------------------------- statistics
def test_cohen_kappa_equals_the_hand_computation() -> None:
    # 2x2 table: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po 0.7, pe 0.5*0.6 + 0.5*0.4 = 0.5
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a"), ("a", "a")]) == 1.0  # a single category, perfect agreement
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


def test_krippendorff_alpha_equals_the_coincidence_matrix_computation() -> None:
    # units (a,a) (a,b) (b,b) (b,b): o_aa 2, o_ab = o_ba = 1, o_bb 4; n_a 3, n_b 5, n 8
    # alpha = 1 - Do/De = 1 - (2/8) / (2*3*5 / (8*7)) = 1 - 0.25 / (30/56)
    units = [["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]
    assert krippendorff_alpha(units) == pytest.approx(1 - 0.25 / (30 / 56))
    # a unit coded by one annotator only is not pairable and changes nothing
    assert krippendorff_alpha([*units, ["a", MISSING]]) == pytest.approx(1 - 0.25 / (30 / 56))
    assert krippendorff_alpha([["a", MISSING]]) is None
    assert krippendorff_alpha([["a", "a", "a"]]) == 1.0


def test_observed_agreement_counts_pairs_of_coders() -> None:
    assert observed_agreement([["a", "a", "b"]]) == pytest.approx(1 / 3)
    assert observed_agreement([["a", MISSING]]) is None


def test_unit_statistic_picks_kappa_for_two_coders_and_alpha_for_more() -> None:
    two = unit_statistic([["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]])
    assert two["statistic"] == "kappa"
    # kappa: po 0.75, pe = (3/8)(... ) -> compare to the formula on the same pairs
    assert two["value"] == round(cohen_kappa([("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]) or 0, 4)
    three = unit_statistic([["a", "a", "a"], ["a", "b", "b"]])
    assert three["statistic"] == "alpha"
    assert three["n"] == 2


# ------------------------------------------------------------------------------------------- sets
def test_default_sets_are_human_not_rejected_not_imported() -> None:
    doc = make_doc(
        base_set("ann-1", "alice"),
        base_set("ann-2", "bob"),
        aset("winer-fr", "winer-fr", kind="human", status="submitted"),
        aset("ann-3", "carol", status="rejected"),
        aset("pred-1", "model:x@1", kind="prediction"),
    )
    assert [a["id"] for a in select_sets(doc)] == ["ann-1", "ann-2"]
    assert [a["id"] for a in select_sets(doc, ["ann-1", "winer-fr"])] == ["ann-1", "winer-fr"]
    assert [a["id"] for a in select_sets(doc, ["annotator:bob", "ann-1"])] == ["ann-2", "ann-1"]
    assert select_sets(doc, ["ann-1", "ann-9"]) == []


def test_span_units_mark_missing_spans() -> None:
    a = aset("a", "x", entities=[ent("E1", "FAMa", "STATE_FORCE"), ent("E2", "Douentza", "GPE")])
    b = aset("b", "y", entities=[ent("E1", "FAMa", "ORG")])
    units = span_units([a, b], "entities", "type")
    assert units[0] == ["STATE_FORCE", "ORG"]
    assert units[1][0] == "GPE" and units[1][1] is MISSING


# ------------------------------------------------------------------------------------------- reports
def _pair_doc() -> dict:
    """Bob agrees with Alice on 3 of 5 entities exactly, shifts one span, retypes one."""
    a = base_set("ann-1", "alice")
    b = base_set("ann-2", "bob")
    b["entities"][2] = ent("E3", "la Katiba Serma", "ARMED_GROUP")  # shifted span
    b["entities"][3]["type"] = "LOC"  # Douentza retyped
    b["events"][1]["arguments"] = [{"role": "PLACE", "ref": "E4"}]  # PLACE on LOC: fine; TARGET dropped
    b["labels"] = {"relevant": True, "countries": ["ML", "BF"]}
    return make_doc(a, b)


def test_agreement_on_a_hand_made_pair() -> None:
    data = agreement([_pair_doc()]).to_dict()
    assert (data["documents"], data["pairs"], data["skipped"]) == (1, 1, 0)
    ents = data["spans"]["entities"]
    assert ents["exact"]["tp"] == 3 and ents["exact"]["f1"] == 0.6
    assert ents["overlap"]["tp"] == 4 and ents["overlap"]["f1"] == 0.8
    assert ents["exact"]["by_type"]["GPE"]["tp"] == 0
    assert data["spans"]["arguments"]["exact"]["tp"] == 3  # 4 vs 3 triples, TARGET of the strike missing
    # entity type on exactly matched spans: 4 units (the shifted one is two single-coder units)
    etype = data["labels"]["entities.type"]
    assert etype["statistic"] == "kappa"
    assert etype["n"] == 4
    assert etype["observed"] == 0.75
    assert data["labels"]["labels.relevant"]["value"] == 1.0
    countries = data["labels"]["labels.countries"]
    assert countries["n"] == 2 and countries["observed"] == 0.5
    assert data["spans"]["timex_values"]["exact"]["f1"] == 1.0


def test_three_annotators_use_alpha_and_pool_three_pairs() -> None:
    a, b, c = base_set("ann-1", "alice"), base_set("ann-2", "bob"), base_set("ann-3", "carol")
    c["events"][0]["realis"] = "GENERIC"
    data = agreement([make_doc(a, b, c)]).to_dict()
    assert data["pairs"] == 3
    assert data["labels"]["events.realis"]["statistic"] == "alpha"
    assert data["labels"]["events.realis"]["observed"] == pytest.approx(round(4 / 6, 4))
    assert data["spans"]["entities"]["exact"]["n_gold"] == 15  # 5 entities x 3 pairs


def test_document_with_one_set_is_skipped() -> None:
    report = agreement([make_doc(base_set())])
    assert report.documents == [] and report.skipped == ["test-doc-1"]


def test_cli_json_markdown_and_exit_status(tmp_path: Path) -> None:
    write_document(_pair_doc(), tmp_path / "test-doc-1.json")
    runner = CliRunner()
    res = runner.invoke(command, [str(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["spans"]["entities"]["exact"]["f1"] == 0.6
    res = runner.invoke(command, [str(tmp_path), "--markdown"])
    assert res.exit_code == 0
    assert "| entities | (all) | 0.600 | 0.800 |" in res.output
    res = runner.invoke(command, [str(tmp_path)])
    assert res.exit_code == 0 and "Span agreement" in res.output
    res = runner.invoke(command, [str(tmp_path), "--sets", "ann-1,ann-9"])
    assert res.exit_code == 1
