"""Adjudication: agreed items kept, conflicts listed with stable ids, gold only once all are resolved."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from test_matching import base_set, ent, make_doc, tmx

from secnews.cli.adjudicate import command
from secnews.model.document import read_document, write_document
from secnews.model.synth import documents
from secnews.quality.adjudicate import (
    adjudicate,
    apply_adjudication,
    conflict_id,
    parse_resolutions,
    render_conflicts_markdown,
)
from secnews.quality.matching import layer_scores
from secnews.validate.engine import validate_document

NOW = "2025-01-03T09:00:00Z"


def _doc() -> dict:
    """Alice and Bob agree on everything but four things (one per kind of conflict)."""
    a = base_set("ann-1", "alice")
    b = base_set("ann-2", "bob")
    b["entities"][2]["type"] = "MILITIA"  # same span, another type
    b["entities"].append(ent("E6", "camp", "FAC", "NOM"))  # a span only Bob marked
    b["timexes"][0]["value"] = "2024-12-19"  # another value... inconsistent with the DCT: must not win
    b["labels"] = {"relevant": True, "countries": ["ML", "BF"]}  # other document labels
    return make_doc(a, b)


def _by_layer(conflicts: list) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in conflicts:
        out.setdefault(c.layer, []).append(c)
    return out


def test_conflicts_are_listed_and_no_gold_while_unresolved() -> None:
    res = adjudicate(_doc(), ["ann-1", "ann-2"], now=NOW)
    assert res.merged is None and not res.ok
    layers = _by_layer(res.conflicts)
    assert sorted(layers) == ["entities", "labels", "timexes"]
    assert [c.text for c in layers["entities"]] == ["Katiba Serma", "camp"]
    katiba = layers["entities"][0]
    assert katiba.labels == {"ann-1": "ARMED_GROUP/NAM", "ann-2": "MILITIA/NAM"}
    assert "[Katiba Serma]" in katiba.context
    assert layers["entities"][1].labels["ann-1"] == "—"
    assert layers["labels"][0].where == "countries"
    assert {f.code for f in res.findings} == {"ADJUDICATION_UNRESOLVED"}
    assert len(res.findings) == 4
    assert all(f.doc_id == "test-doc-1" and f.annotation_set == "gold" for f in res.findings)
    # what they agree on is counted: 4 other entities, timex-free events etc., relevant
    assert res.agreed >= 10


def test_conflict_ids_are_stable_and_independent_of_set_order() -> None:
    doc = _doc()
    one = {c.id for c in adjudicate(doc, ["ann-1", "ann-2"]).conflicts}
    two = {c.id for c in adjudicate(doc, ["annotator:bob", "annotator:alice"]).conflicts}
    assert one == two
    start = doc["text"].index("Katiba Serma")
    assert conflict_id("test-doc-1", "entities", (start, start + 12)) in one


def test_resolved_conflicts_give_a_valid_gold_set_with_resolutions_recorded() -> None:
    doc = _doc()
    ids = {c.layer + ":" + c.text: c.id for c in adjudicate(doc, ["ann-1", "ann-2"]).conflicts}
    resolutions = parse_resolutions(
        {
            ids["entities:Katiba Serma"]: "keep:ann-1",
            ids["entities:camp"]: {"decision": "keep:annotator:bob", "note": "lieu de la frappe"},
            ids["timexes:jeudi dernier"]: {"decision": "keep:ann-1", "by": "dave"},
            ids["labels:countries"]: {"decision": "replace", "value": ["ML"]},
        },
        by="carol",
    )
    res = adjudicate(doc, ["ann-1", "ann-2"], resolutions=resolutions, now=NOW)
    assert res.ok, [f.message for f in res.findings]
    gold = res.merged
    assert gold is not None
    assert (gold["id"], gold["status"], gold["kind"], gold["annotator"]) == (
        "gold",
        "gold",
        "human",
        "adjudicated",
    )
    assert gold["labels"] == {"relevant": True, "countries": ["ML"]}
    types = {e["text"]: e["type"] for e in gold["entities"]}
    assert types["Katiba Serma"] == "ARMED_GROUP" and types["camp"] == "FAC"
    assert gold["timexes"][0]["value"] == "2024-12-26"
    recorded = {r["conflict"]: r for r in gold["adjudication"]["resolutions"]}
    assert gold["adjudication"]["sets"] == ["ann-1", "ann-2"]
    assert recorded[ids["timexes:jeudi dernier"]]["by"] == "dave"
    assert recorded[ids["entities:camp"]] == {
        "conflict": ids["entities:camp"],
        "decision": "keep:annotator:bob",
        "note": "lieu de la frappe",
        "by": "carol",
    }
    assert recorded[ids["labels:countries"]]["decision"] == 'replace:["ML"]'
    # ids unique, references remapped onto the merged records (by span)
    all_ids = [
        r["id"]
        for layer in ("entities", "events", "attributions", "timexes", "relations")
        for r in gold[layer]
    ]
    assert len(all_ids) == len(set(all_ids))
    by_id = {r["id"]: r for layer in ("entities", "timexes", "events") for r in gold[layer]}
    death = next(v for v in gold["events"] if v["type"] == "DEATH")
    assert {by_id[a["ref"]]["text"] for a in death["arguments"]} == {"Moussa Himma Diallo", "jeudi dernier"}
    assert by_id[gold["attributions"][0]["source"]]["text"] == "FAMa"
    findings = validate_document(apply_adjudication(doc, gold))
    assert [f for f in findings if f.severity == "error" and f.annotation_set in ("gold", None)] == []
    # Bob's own set keeps its wrong value (adjudication does not touch the input sets)
    assert [f.code for f in findings if f.annotation_set == "ann-2"] == ["TIMEX_DCT_INCONSISTENT"]


def test_replace_decision_overrides_fields() -> None:
    doc = _doc()
    cid = next(c.id for c in adjudicate(doc, ["ann-1", "ann-2"]).conflicts if c.text == "Katiba Serma")
    other = {c.id: "keep:ann-1" for c in adjudicate(doc, ["ann-1", "ann-2"]).conflicts if c.id != cid}
    res = adjudicate(
        doc,
        ["ann-1", "ann-2"],
        resolutions=parse_resolutions({**other, cid: {"decision": "replace", "value": {"mention": "NOM"}}}),
        now=NOW,
    )
    assert res.ok
    katiba = next(e for e in res.merged["entities"] if e["text"] == "Katiba Serma")  # type: ignore[index]
    assert (katiba["type"], katiba["mention"]) == ("ARMED_GROUP", "NOM")


def test_bad_decision_and_dangling_reference_are_coded_findings() -> None:
    doc = _doc()
    conflicts = adjudicate(doc, ["ann-1", "ann-2"]).conflicts
    bad = {c.id: "keep:ann-9" for c in conflicts}
    res = adjudicate(doc, ["ann-1", "ann-2"], resolutions=parse_resolutions(bad))
    assert res.merged is None
    assert {f.code for f in res.findings} == {"ADJUDICATION_BAD_DECISION"}
    # Katiba Serma dropped while nothing refers to it: fine; a referenced entity dropped: dangling
    b = doc["annotations"][1]
    b["entities"][1]["type"] = (
        "ORG"  # Moussa Himma Diallo retyped by Bob -> a conflict on a referenced entity
    )
    conflicts = adjudicate(doc, ["ann-1", "ann-2"]).conflicts
    drop_all = {c.id: "drop" if c.text == "Moussa Himma Diallo" else "keep:ann-1" for c in conflicts}
    res = adjudicate(doc, ["ann-1", "ann-2"], resolutions=parse_resolutions(drop_all))
    assert res.merged is None
    dangling = [f for f in res.findings if f.code == "ADJUDICATION_DANGLING_REF"]
    assert dangling and "«Moussa Himma Diallo»" in dangling[0].message


def test_missing_set_existing_target_and_report() -> None:
    doc = _doc()
    res = adjudicate(doc, ["ann-1", "ann-9"])
    assert [f.code for f in res.findings] == ["ADJUDICATION_MISSING_SET"]
    doc["annotations"].append({**base_set("gold", "old"), "status": "draft"})
    res = adjudicate(doc, ["ann-1", "ann-2"])
    assert "ADJUDICATION_TARGET_EXISTS" in {f.code for f in res.findings}
    md = render_conflicts_markdown([res])
    assert "## test-doc-1" in md and "| ann-2 | MILITIA/NAM |" in md
    template = md.split("```yaml\n")[1].split("```")[0]
    assert set(yaml.safe_load(template)) == {c.id for c in res.conflicts}


def test_identical_sets_merge_without_conflicts() -> None:
    doc = make_doc(base_set("ann-1", "alice"), base_set("ann-2", "bob"))
    doc["annotations"][1]["timexes"].append(tmx("T9", "Douentza", "DATE", None))
    doc["annotations"][0]["timexes"].append(tmx("T9", "Douentza", "DATE", None))
    res = adjudicate(doc, ["ann-1", "ann-2"], now=NOW)
    # agreed, but a gold timex needs a value: the gold set does not validate
    assert res.conflicts == [] and res.merged is None
    assert "TIMEX_VALUE_MISSING" in {f.code for f in res.findings}


def test_cli_unresolved_writes_nothing_then_resolved_writes_gold(tmp_path: Path) -> None:
    path = tmp_path / "test-doc-1.json"
    write_document(_doc(), path)
    before = path.read_bytes()
    runner = CliRunner()
    report = tmp_path / "conflicts.md"
    res = runner.invoke(
        command, [str(path), "--sets", "ann-1,ann-2", "--format", "markdown", "--report", str(report)]
    )
    assert res.exit_code == 1
    assert path.read_bytes() == before
    text = report.read_text(encoding="utf-8")
    assert "UNRESOLVED" in text
    resolutions = tmp_path / "res.yaml"
    resolutions.write_text(text.split("```yaml\n")[1].split("```")[0], encoding="utf-8")
    res = runner.invoke(
        command, [str(path), "--sets", "ann-1,ann-2", "--resolutions", str(resolutions), "--by", "carol"]
    )
    assert res.exit_code == 0, res.output
    doc = read_document(path)
    gold = next(a for a in doc["annotations"] if a["id"] == "gold")
    assert len(gold["adjudication"]["resolutions"]) == 4
    assert all(r["by"] == "carol" for r in gold["adjudication"]["resolutions"])
    findings = validate_document(doc, file=str(path))
    assert [f for f in findings if f.severity == "error" and f.annotation_set in ("gold", None)] == []
    # running again needs --force to replace the gold set
    res = runner.invoke(command, [str(path), "--sets", "ann-1,ann-2", "--resolutions", str(resolutions)])
    assert res.exit_code == 1
    res = runner.invoke(
        command, [str(path), "--sets", "ann-1,ann-2", "--resolutions", str(resolutions), "--force"]
    )
    assert res.exit_code == 0, res.output


@settings(max_examples=15, deadline=None)
@given(documents())
def test_two_identical_human_copies_merge_into_a_valid_identical_gold(doc: dict) -> None:
    """Synthetic documents exercise nesting, astral characters, content ids, relations and anchors."""
    first = {**doc["annotations"][0], "id": "ann-1", "status": "submitted", "annotator": "alice"}
    second = {**copy.deepcopy(first), "id": "ann-2", "annotator": "bob"}
    doc = {**doc, "annotations": [first, second]}
    res = adjudicate(doc, ["ann-1", "ann-2"], now=NOW)
    assert res.conflicts == []
    assert res.ok, [f.message for f in res.findings]
    gold = res.merged
    assert gold is not None
    for layer in ("entities", "events", "attributions", "timexes", "relations"):
        assert len(gold[layer]) == len(first[layer])
    assert sorted(e["text"] for e in gold["entities"]) == sorted(e["text"] for e in first["entities"])
    assert layer_scores(first, gold)["arguments"]["exact"]["f1"] == 1.0
    assert layer_scores(first, gold)["relations"]["exact"]["f1"] == 1.0


def test_symmetric_relation_direction_is_not_a_conflict() -> None:
    """Two annotators linking the same pair with SAME_EVENT in opposite directions agree."""
    import copy

    from secnews.model.synth import generate_document
    from secnews.quality.adjudicate import adjudicate

    doc = generate_document(11, sentences=3, sets=1)
    gold = doc["annotations"][0]
    evs = [e["id"] for e in gold["events"]]
    a = copy.deepcopy(gold)
    a.update(id="ann-a", status="submitted", annotator="a")
    a["relations"] = [{"id": "R1", "type": "SAME_EVENT", "head": evs[0], "tail": evs[1]}]
    b = copy.deepcopy(a)
    b.update(id="ann-b", annotator="b")
    b["relations"] = [{"id": "R9", "type": "SAME_EVENT", "head": evs[1], "tail": evs[0]}]
    doc["annotations"] = [a, b]
    result = adjudicate(doc, ["ann-a", "ann-b"])
    conflicts = result[1] if isinstance(result, tuple) else result.conflicts
    assert not [c for c in conflicts if c.layer == "relations"]
