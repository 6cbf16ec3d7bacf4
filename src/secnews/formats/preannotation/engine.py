"""The run: plan the shards still to do, hand them to an engine, report what was done.

The single-machine engine (``local``) reads a shard, predicts it in batches with ``nlp.pipe`` and
writes it; the Ray engine (``ray``, :mod:`secnews.formats.preannotation.ray_engine`) does the same
with the predictions spread over actors. Ray is imported only when that engine is asked for.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secnews.annotate.preannotate import LAYERS, load_nlp
from secnews.formats.preannotation.batch import DocResult, predict_batch
from secnews.formats.preannotation.inputs import (
    input_shards,
    row_document,
    shard_row_count,
    shard_rows,
    shard_shape,
)
from secnews.formats.preannotation.shards import clear_stale, pending, write_shard

ENGINES = ("local", "ray")
Progress = Callable[[int], None] | None
#: input rows read at a time by the local engine (a row group's worth; nlp.pipe batches within it)
READ_ROWS = 256


@dataclass
class RunReport:
    engine: str
    shards: int = 0
    skipped: int = 0
    written: int = 0
    documents: int = 0
    predicted: int = 0
    failed: int = 0
    seconds: float = 0.0
    findings: Counter[str] = field(default_factory=Counter)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def add(self, results: list[DocResult]) -> None:
        self.documents += len(results)
        for r in results:
            self.failed += r.failed
            self.predicted += not r.failed
            self.findings.update(f["code"] for f in r.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "shards": self.shards,
            "skipped": self.skipped,
            "written": self.written,
            "documents": self.documents,
            "predicted": self.predicted,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.docs_per_second, 2),
            "findings": dict(sorted(self.findings.items())),
        }


@dataclass(frozen=True)
class Plan:
    """The shards a run will do (and their row count, for a progress bar) and those it skips."""

    todo: list[Path]
    done: list[Path]
    rows: int


def plan_run(source: str | Path, out: Path) -> Plan:
    todo, done = pending(input_shards(source), out)
    return Plan(todo, done, sum(shard_row_count(p) for p in todo))


def predict_shard(
    path: Path, layers: tuple[str, ...], batch_size: int, progress: Progress = None
) -> list[DocResult]:
    """Every row of one shard through the pre-annotator, in row order."""
    shape = shard_shape(path)
    results: list[DocResult] = []
    for rows in shard_rows(path, READ_ROWS):
        got = predict_batch([row_document(r, shape) for r in rows], layers, batch_size)
        results.extend(got)
        if progress is not None:
            progress(len(got))
    return results


def _run_local(
    plan: Plan, out: Path, report: RunReport, layers: tuple[str, ...], batch_size: int, progress: Progress
) -> None:
    if plan.todo:
        load_nlp()  # not for a rerun with nothing left to do
    for path in plan.todo:
        results = predict_shard(path, layers, batch_size, progress)
        write_shard(out, path.name, results)
        report.add(results)
        report.written += 1


def preannotate_shards(
    source: str | Path,
    out: Path | str,
    *,
    engine: str = "local",
    layers: tuple[str, ...] = LAYERS,
    batch_size: int = 16,
    workers: int | None = None,
    progress: Progress = None,
    plan: Plan | None = None,
) -> RunReport:
    """Pre-annotate every input shard not yet done under ``out``; returns the run's report.

    ``workers`` is the Ray actor count (default: the cluster's CPUs); the local engine is one process.
    """
    out = Path(out)
    plan = plan or plan_run(source, out)
    clear_stale(out)
    report = RunReport(engine, shards=len(plan.todo) + len(plan.done), skipped=len(plan.done))
    started = time.perf_counter()
    if engine == "ray":
        from secnews.formats.preannotation.ray_engine import run_ray

        run_ray(plan, out, report, layers, batch_size, workers, progress)
    else:
        _run_local(plan, out, report, layers, batch_size, progress)
    report.seconds = time.perf_counter() - started
    return report
