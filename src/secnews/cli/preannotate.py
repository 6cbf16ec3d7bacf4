"""``secnews preannotate``: write the rule-based model's prediction set into canonical documents."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from secnews.core.paths import documents_dir


def _layers(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    from secnews.annotate.preannotate.build import parse_layers

    try:
        return parse_layers(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
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
    default=16,
    show_default=True,
    help="Documents per spaCy batch.",
)
@click.option("--dry-run", is_flag=True, help="Predict and report, write nothing.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools (the run report with its findings).",
)
def command(
    paths: tuple[Path, ...], layers: tuple[str, ...], batch_size: int, dry_run: bool, fmt: str
) -> None:
    """Pre-annotate documents with spaCy fr_core_news_md + secnews rules.

    Each document gets (or has replaced) one annotation set, id `pred-secnews-rules`, kind
    `prediction`, annotator `model:secnews-rules+fr_core_news_md@<toolkit>+<model>`; every other set
    is kept. Output is deterministic: a second run on unchanged documents rewrites nothing.
    PATHS are files or directories (searched for *.json); default: corpus/documents.

    \b
    Examples:
      secnews preannotate                                   # the whole corpus/documents
      secnews preannotate corpus/documents/000_7302031bc759a944.json
      secnews preannotate --layers entities,timexes my_articles/
      secnews preannotate --dry-run --format json corpus/documents > run.json
      secnews evaluate --gold winer-fr --pred pred-secnews-rules   # then score it

    Exit status: 0 done, 1 some documents could not be pre-annotated, 2 no such path.
    """
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
    columns = (TextColumn("pre-annotating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, disable=fmt == "json") as bar:
        task = bar.add_task("pre-annotating", total=total)
        report = preannotate_paths(
            targets, layers, batch_size=batch_size, write=not dry_run, progress=lambda k: bar.advance(task, k)
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
