"""The official scorer on the shipped release: agreement with seqeval, and each metric reacting to the
error it is meant to see."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from seqeval.metrics import classification_report

from secnews.core.findings import SecnewsError
from secnews.quality.score import iob_chunks, read_rows, score, seqeval_tags

RELEASE = Path(__file__).resolve().parents[2] / "releases" / "0.1.0"
NER = RELEASE / "ner" / "test-00000-of-00001.parquet"
DOCS = RELEASE / "documents" / "test-00000-of-00001.parquet"
EVENTS = RELEASE / "events" / "test-00000-of-00001.parquet"


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, default=str, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def _noisy_ner(rows: list[dict], names: list[str], seed: int) -> list[dict]:
    """Predictions with random tag errors, ill-formed IOB2 included (I- after O, type switches)."""
    rng = random.Random(seed)
    out = copy.deepcopy(rows)
    for row in out:
        row["ner_tags"] = [names[t] for t in row["ner_tags"]]
        for i in range(len(row["ner_tags"])):
            if rng.random() < 0.15:
                row["ner_tags"][i] = rng.choice(names)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ner_scores_equal_seqeval(tmp_path: Path, seed: int) -> None:
    rows, names = read_rows(NER)
    tag_names = names["ner_tags"]
    pred_rows = _noisy_ner(rows, tag_names, seed)
    report = score(NER, _jsonl(tmp_path / "pred.jsonl", pred_rows), bootstrap=0)
    ref = classification_report(seqeval_tags(rows, names), [r["ner_tags"] for r in pred_rows], output_dict=True,
                                zero_division=0)  # fmt: skip
    ours = report.by_type["ner"]
    assert 0.3 < report.metrics["ner"]["f1"] < 0.95  # the noise really hurts, but not everything
    for typ, ref_scores in ref.items():
        if typ == "weighted avg" or (typ not in ours and ref_scores["support"] == 0):
            continue
        for key in ("precision", "recall", "f1-score"):
            assert ours[typ][key.replace("-score", "")] == pytest.approx(ref_scores[key], abs=1e-9), (
                typ,
                key,
            )
    assert report.metrics["ner"]["f1"] == pytest.approx(ref["micro avg"]["f1-score"], abs=1e-9)


def test_iob_chunking_of_ill_formed_sequences() -> None:
    assert iob_chunks(["I-PER", "I-PER", "O", "B-GPE", "I-LOC", "I-LOC"]) == [
        ("PER", 0, 1),
        ("GPE", 3, 3),
        ("LOC", 4, 5),
    ]


def test_a_missing_event_costs_exactly_its_trigger(tmp_path: Path) -> None:
    rows, _ = read_rows(EVENTS)
    pred = _jsonl(tmp_path / "pred.jsonl", rows[1:])
    m = score(EVENTS, pred, bootstrap=0).metrics
    n = len(rows)
    assert m["trigger_id"]["recall"] == pytest.approx((n - 1) / n) and m["trigger_id"]["precision"] == 1.0
    assert m["arg_cls"]["n_gold"] - m["arg_cls"]["n_pred"] == len(rows[0]["arguments"])


def test_a_wrong_event_type_is_identified_but_not_classified(tmp_path: Path) -> None:
    rows, names = read_rows(EVENTS)
    pred = copy.deepcopy(rows)
    pred[0]["type"] = (pred[0]["type"] + 1) % len(names["type"])
    m = score(EVENTS, _jsonl(tmp_path / "p.jsonl", pred), bootstrap=0).metrics
    assert m["trigger_id"]["f1"] == 1.0 and m["trigger_cls"]["f1"] < 1.0


def _documents_with(tmp_path: Path, change) -> Path:
    table = pq.read_table(DOCS)
    rows = table.to_pylist()
    change(rows)
    out = tmp_path / "pred.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), out)
    return out


def test_timex_value_and_span_metrics_see_different_errors(tmp_path: Path) -> None:
    def wrong_value(rows: list[dict]) -> None:
        rows[0]["timexes"][0]["value"] = "1999-01-01"

    def shifted_span(rows: list[dict]) -> None:
        rows[0]["timexes"][0]["end"] -= 1

    m = score(DOCS, _documents_with(tmp_path, wrong_value), bootstrap=0).metrics
    value = m["timex_value"]
    assert m["timex_strict"]["f1"] == 1.0 and value["precision"] == value["recall"] == value["f1"] < 1.0
    m = score(DOCS, _documents_with(tmp_path, shifted_span), bootstrap=0).metrics
    assert m["timex_strict"]["f1"] < 1.0 and m["timex_relaxed"]["f1"] == 1.0


def test_attribution_source_is_scored_on_matched_cues(tmp_path: Path) -> None:
    def no_source(rows: list[dict]) -> None:
        for row in rows:
            for a in row["attributions"]:
                a["source"] = None

    m = score(DOCS, _documents_with(tmp_path, no_source), bootstrap=0).metrics
    assert m["cue"]["f1"] == 1.0 and m["source"]["f1"] < 1.0 and m["content"]["f1"] == 1.0


def test_bootstrap_interval_is_seeded_and_brackets_the_score(tmp_path: Path) -> None:
    rows, names = read_rows(NER)
    pred = _jsonl(tmp_path / "pred.jsonl", _noisy_ner(rows, names["ner_tags"], 5))
    a, b = score(NER, pred, bootstrap=300, seed=1), score(NER, pred, bootstrap=300, seed=1)
    lo, hi = a.metrics["ner"]["f1_ci"]
    assert a.metrics == b.metrics and lo < a.metrics["ner"]["f1"] < hi


def test_shape_mismatch_is_a_coded_error() -> None:
    with pytest.raises(SecnewsError) as err:
        score(NER, EVENTS)
    assert err.value.findings[0].code == "SCORE_SHAPE_MISMATCH"


def test_cli_json_and_markdown(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "secnews.cli", "score", str(DOCS), str(DOCS), "--bootstrap", "20"]
    out = subprocess.run([*run, "--format", "json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["metrics"]["trigger_cls"]["f1"] == 1.0
    md = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert "| trigger_cls | 1.000 | 1.000 | 1.000 |" in md.stdout
    bad = subprocess.run(
        [*run[:4], str(tmp_path / "missing.parquet"), str(DOCS)], capture_output=True, text=True
    )
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
