"""Evaluation on hand-made gold/pred pairs whose scores are worked out by hand in the comments."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from secnews.cli.evaluate import command as evaluate_command
from secnews.model.document import save_document
from secnews.quality.evaluate import evaluate, parse_collapse, prepare_set
from secnews.validate.engine import validate_document

TEXT = "Les FAMa ont tué trois jihadistes à Mopti jeudi, a annoncé l'armée."


def span(text: str, start: int | None = None) -> dict[str, Any]:
    s = TEXT.index(text) if start is None else start
    return {"start": s, "end": s + len(text), "text": text}


def entity(rid: str, text: str, etype: str, mention: str = "NAM") -> dict[str, Any]:
    return {"id": rid, **span(text), "type": etype, "mention": mention, "actor": None}


def base_set(set_id: str, kind: str = "human") -> dict[str, Any]:
    return {
        "id": set_id,
        "kind": kind,
        "annotator": "model:test@1" if kind == "prediction" else set_id,
        "status": "submitted",
        "created": None,
        "updated": None,
        "origin": None,
        "labels": {"relevant": True, "countries": ["ML"]},
        "entities": [],
        "events": [],
        "attributions": [],
        "timexes": [],
        "relations": [],
    }


def gold_set() -> dict[str, Any]:
    g = base_set("gold-set")
    g["entities"] = [
        entity("E1", "FAMa", "STATE_FORCE"),
        entity("E2", "jihadistes", "ARMED_GROUP", "NOM"),
        entity("E3", "Mopti", "GPE"),
        entity("E4", "armée", "STATE_FORCE", "NOM"),
    ]
    g["timexes"] = [
        {"id": "T1", **span("jeudi"), "type": "DATE", "value": "2024-12-26", "anchor": "DCT", "mod": None}
    ]
    g["events"] = [
        {
            "id": "V1",
            "type": "DEATH",
            "trigger": span("tué"),
            "realis": "ACTUAL",
            "fatalities": None,
            "arguments": [{"role": "TARGET", "ref": "E2"}, {"role": "PLACE", "ref": "E3"}],
        }
    ]
    g["attributions"] = [
        {
            "id": "A1",
            "source": "E4",
            "cue": span("a annoncé"),
            "content": [span("Les FAMa ont tué trois jihadistes à Mopti jeudi")],
            "events": ["V1"],
            "source_type": "STATE_MILITARY",
            "claim": "ASSERTION",
            "certainty": "CERTAIN",
            "quote": "INDIRECT",
        }
    ]
    return g


def pred_set() -> dict[str, Any]:
    """Different ids on purpose: matching goes through spans, never through ids."""
    p = base_set("pred-x", "prediction")
    p["entities"] = [
        entity("P1", "FAMa", "STATE_FORCE"),  # exact, same type
        entity("P2", "trois jihadistes", "ARMED_GROUP", "NOM"),  # overlap only
        entity("P3", "Mopti", "LOC"),  # exact span, other type
        entity("P4", "Les", "ORG"),  # spurious
    ]
    p["timexes"] = [
        {"id": "P5", **span("jeudi"), "type": "DATE", "value": "2025-01-02", "anchor": "DCT", "mod": None}
    ]
    p["events"] = [
        {
            "id": "P6",
            "type": "DEATH",
            "trigger": span("tué"),
            "realis": "ACTUAL",
            "fatalities": None,
            "arguments": [{"role": "TARGET", "ref": "P2"}, {"role": "PLACE", "ref": "P3"}],
        }
    ]
    p["attributions"] = [
        {
            "id": "P7",
            "source": None,
            "cue": span("annoncé"),
            "content": [span("Les FAMa ont tué")],
            "events": [],
            "source_type": None,
            "claim": "ASSERTION",
            "certainty": "CERTAIN",
            "quote": "INDIRECT",
        }
    ]
    return p


def make_doc(doc_id: str = "eval-doc", sets: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "schema_version": "1.0.0",
        "id": doc_id,
        "text": TEXT,
        "meta": {"published": "2024-12-28", "source": "test", "language": "fr", "license": "unknown"},
        "annotations": sets if sets is not None else [gold_set(), pred_set()],
    }


def test_fixture_documents_are_valid() -> None:
    errors = [f for f in validate_document(make_doc()) if f.severity == "error"]
    assert errors == []


def test_entity_scores_exact_overlap_and_span_only() -> None:
    r = evaluate([make_doc()], "gold-set", "pred-x", layers=["entities"])
    ex, ov = r["scores"]["entities"]["exact"], r["scores"]["entities"]["overlap"]
    # typed exact: only FAMa (Mopti has the wrong type, jihadistes the wrong extent) -> 1/4, 1/4
    assert (ex["tp"], ex["n_gold"], ex["n_pred"]) == (1, 4, 4)
    assert ex["f1"] == pytest.approx(0.25)
    # typed overlap: FAMa + "trois jihadistes" -> 2/4
    assert ov["tp"] == 2
    assert ex["by_type"]["STATE_FORCE"]["r"] == pytest.approx(0.5)  # FAMa found, "armée" missed
    # span only: exact FAMa + Mopti = 2, overlap also jihadistes = 3
    assert r["detection"]["entities"]["exact"]["tp"] == 2
    assert r["detection"]["entities"]["overlap"]["tp"] == 3


def test_collapse_types_and_restrictions() -> None:
    collapse = parse_collapse("GPE,LOC->LOC; STATE_FORCE,ARMED_GROUP,ORG->ORG")
    r = evaluate([make_doc()], "gold-set", "pred-x", layers=["entities"], collapse=collapse)
    # Mopti now agrees (LOC = LOC): FAMa + Mopti exact
    assert r["scores"]["entities"]["exact"]["tp"] == 2
    r2 = evaluate(
        [make_doc()], "gold-set", "pred-x", layers=["entities"], collapse=collapse, mentions=["NAM"]
    )
    # names only: gold FAMa, Mopti; pred FAMa, Mopti, Les -> P 2/3, R 2/2
    ex = r2["scores"]["entities"]["exact"]
    assert (ex["tp"], ex["n_gold"], ex["n_pred"]) == (2, 2, 3)
    r3 = evaluate([make_doc()], "gold-set", "pred-x", layers=["entities"], collapse=collapse, types=["LOC"])
    assert r3["scores"]["entities"]["exact"]["n_gold"] == 1 and r3["scores"]["entities"]["exact"]["tp"] == 1


def test_timex_value_accuracy_counts_only_known_gold_values() -> None:
    doc = make_doc()
    r = evaluate([doc], "gold-set", "pred-x", layers=["timexes"])
    assert r["scores"]["timexes"]["exact"]["tp"] == 1
    assert r["timex_value_accuracy"]["exact"] == {"matched": 1, "correct": 0, "accuracy": 0.0}
    doc["annotations"][1]["timexes"][0]["value"] = "2024-12-26"
    assert (
        evaluate([doc], "gold-set", "pred-x", layers=["timexes"])["timex_value_accuracy"]["exact"]["accuracy"]
        == 1.0
    )
    doc["annotations"][0]["timexes"][0]["value"] = None  # a WiNER-like timex: no gold value, nothing to score
    assert (
        evaluate([doc], "gold-set", "pred-x", layers=["timexes"])["timex_value_accuracy"]["exact"]["matched"]
        == 0
    )


def test_arguments_follow_entity_matching_mode() -> None:
    r = evaluate([make_doc()], "gold-set", "pred-x", layers=["events"])
    assert r["scores"]["events"]["exact"]["tp"] == 1
    # exact: PLACE (Mopti, span-matched whatever its type) found, TARGET ("trois jihadistes") not
    assert r["scores"]["arguments"]["exact"]["tp"] == 1
    assert r["scores"]["arguments"]["overlap"]["tp"] == 2


def test_attributions_cue_then_source() -> None:
    r = evaluate([make_doc()], "gold-set", "pred-x", layers=["attributions"])
    assert r["scores"]["attributions"]["exact"]["tp"] == 0  # "annoncé" is not "a annoncé"
    assert r["scores"]["attributions"]["overlap"]["tp"] == 1
    doc = make_doc()
    doc["annotations"][1]["entities"].append(entity("P9", "armée", "STATE_FORCE", "NOM"))
    doc["annotations"][1]["attributions"][0]["source"] = "P9"
    r2 = evaluate([doc], "gold-set", "pred-x", layers=["attributions"])
    assert r2["scores"]["attribution_sources"]["overlap"]["tp"] == 1


def test_unmatched_source_does_not_agree_with_the_article() -> None:
    r = evaluate([make_doc()], "gold-set", "pred-x", layers=["attributions"])
    assert r["scores"]["attribution_sources"]["overlap"]["tp"] == 0  # gold source armée, pred the article


def test_identical_sets_score_one_and_missing_sets_are_listed() -> None:
    same = copy.deepcopy(gold_set())
    same["id"] = "copy"
    docs = [make_doc("a", [gold_set(), same]), make_doc("b", [gold_set()])]
    r = evaluate(docs, "gold-set", "copy")
    assert r["documents"] == 1 and r["missing"]["pred"]["ids"] == ["b"]
    for layer, modes in r["scores"].items():
        assert modes["exact"]["f1"] == 1.0, layer


def test_bad_options_raise_value_error() -> None:
    with pytest.raises(ValueError):
        parse_collapse("GPE,LOC")
    with pytest.raises(ValueError):
        parse_collapse("GPE->LOC; GPE->ORG")
    with pytest.raises(ValueError):
        evaluate([make_doc()], "gold-set", "pred-x", layers=["nope"])


def test_prepare_set_drops_references_to_filtered_entities() -> None:
    out = prepare_set(gold_set(), types=["GPE"])
    assert [e["text"] for e in out["entities"]] == ["Mopti"]
    assert [a["ref"] for a in out["events"][0]["arguments"]] == ["E3"]
    assert out["attributions"][0]["source"] is None


def test_cli_json_and_table(tmp_path: Path) -> None:
    save_document(make_doc(), tmp_path)
    runner = CliRunner()
    res = runner.invoke(
        evaluate_command, ["--gold", "gold-set", "--pred", "pred-x", "--format", "json", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["scores"]["entities"]["exact"]["tp"] == 1
    res = runner.invoke(
        evaluate_command, ["--gold", "gold-set", "--pred", "pred-x", "--layers", "entities", str(tmp_path)]
    )
    assert res.exit_code == 0 and "STATE_FORCE" in res.output
    res = runner.invoke(evaluate_command, ["--gold", "gold-set", "--pred", "nobody", str(tmp_path)])
    assert res.exit_code == 1
    res = runner.invoke(
        evaluate_command, ["--gold", "g", "--pred", "p", "--collapse-types", "A->", str(tmp_path)]
    )
    assert res.exit_code == 2
