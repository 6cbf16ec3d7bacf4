"""The baseline code on a tiny slice of the release (a few documents, one epoch): seconds, not minutes.
The real runs (all documents, the config's epochs) are recorded in benchmarks/baselines/results/."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secnews.baselines.data import spans_to_tags, split_rows, tags_to_spans, trigger_tags
from secnews.baselines.run import (
    Options,
    render_results,
    results_record,
    run_baselines,
    update_datasheet_block,
)
from secnews.baselines.taggers import event_predictions
from secnews.cli.main import main
from secnews.core.paths import project_root
from secnews.quality.score import score
from secnews.release.datasheet import baselines_markdown
from secnews.release.record import list_records

RELEASE = project_root() / "releases" / "0.1.0"


def test_trigger_tags_from_the_gold_score_as_the_gold(tmp_path: Path) -> None:
    """Gold triggers -> IOB tags on the release's tokens -> events rows: the scorer finds the gold again
    (up to the triggers that overlap another one, which a tagger cannot represent)."""
    rows, _ = split_rows(RELEASE, "ner", "test")
    docs, labels = split_rows(RELEASE, "documents", "test")
    preds = event_predictions(rows, trigger_tags(rows, docs, labels))
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    report = score(RELEASE / "events" / "test-00000-of-00001.parquet", path, bootstrap=0)
    assert report.metrics["trigger_cls"]["precision"] == 1.0
    assert report.metrics["trigger_cls"]["recall"] > 0.95


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(1, 3), st.sampled_from(["A", "B"])), max_size=6))
def test_spans_tags_round_trip(picks: list[tuple[int, int, str]]) -> None:
    starts = [i * 3 for i in range(12)]
    ends = [s + 2 for s in starts]
    spans, used = [], set()
    for first, length, label in picks:
        toks = set(range(first, first + length))
        if toks & used:
            continue
        used |= toks
        spans.append((starts[first], ends[first + length - 1], label))
    assert tags_to_spans(starts, ends, spans_to_tags(starts, ends, spans)) == sorted(spans)


@pytest.mark.slow
def test_every_baseline_on_a_slice(tmp_path: Path) -> None:
    opts = Options(
        max_epochs=1, limit=2, bootstrap=50, config=project_root() / "benchmarks/baselines/tagger.cfg"
    )
    results = run_baselines(RELEASE, ["ner", "triggers", "timex", "rules"], tmp_path, opts)
    by_name = {r.name: r for r in results}
    assert set(by_name["ner"].metrics) == {"ner"}
    assert {"trigger_id", "trigger_cls"} <= set(by_name["triggers"].metrics)
    assert by_name["timex"].metrics["timex_strict"]["f1"] > 0.5  # the rules know these dates
    assert by_name["rules"].metrics["entities"]["n_pred"] > 0
    ner_preds = [json.loads(x) for x in (tmp_path / "ner" / "predictions.jsonl").read_text().splitlines()]
    assert {"doc_id", "sentence_index", "ner_tags"} <= set(ner_preds[0]) and len(
        {p["doc_id"] for p in ner_preds}
    ) == 2
    assert (tmp_path / "ner" / "model" / "model-best" / "meta.json").exists()
    assert json.loads((tmp_path / "timex" / "score.json").read_text())["shape"] == "documents"
    record = results_record(RELEASE, results, "secnews baseline releases/0.1.0", opts)
    md = render_results(record)
    assert "secnews baseline releases/0.1.0" in md and "| timex | timex_strict |" in md
    sheet = tmp_path / "DATASHEET.md"
    sheet.write_text("a\n<!-- BEGIN GENERATED: baselines -->\nold\n<!-- END GENERATED: baselines -->\nb\n")
    assert update_datasheet_block(sheet, md)
    assert sheet.read_text().startswith("a\n<!-- BEGIN GENERATED: baselines -->\nScores on the **test**")


def test_cli_smoke_run_records_nothing(tmp_path: Path) -> None:
    results = tmp_path / "results"
    args = ["baseline", str(RELEASE), "--only", "timex", "--limit", "2", "--work", str(tmp_path / "w"),
            "--results", str(results)]  # fmt: skip
    assert main(args) == 0
    assert not results.exists()
    assert (tmp_path / "w" / "timex" / "predictions.jsonl").exists()
    assert main(["baseline", str(RELEASE), "--only", "nope"]) == 2


def test_card_and_datasheet_carry_the_recorded_results() -> None:
    """The newest release's card and DATASHEET.md show its recorded baselines, word for word, with their command."""
    record = list_records(project_root() / "corpus/releases")[-1]  # the newest
    md = baselines_markdown(record)
    assert md is not None and f"secnews baseline releases/{record.version}" in md
    card = (project_root() / "releases" / record.version / "README.md").read_text(encoding="utf-8")
    assert "## Baselines\n\n" + md in card
    assert md in (project_root() / "DATASHEET.md").read_text(encoding="utf-8")
    results = json.loads(
        (project_root() / f"benchmarks/baselines/results/{record.version}.json").read_text(encoding="utf-8")
    )
    assert {b["name"] for b in results["baselines"]} == {"ner", "triggers", "rules", "timex"}
    assert all(b["seconds"] < 15 * 60 for b in results["baselines"])  # the budget per baseline
    other = dataclasses.replace(record, files={**record.files, "ner/test-00000-of-00001.parquet": "0" * 64})
    assert baselines_markdown(other) is None  # figures belong to the data they were computed on
