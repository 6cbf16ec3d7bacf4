"""``secnews agreement``: inter-annotator agreement per layer and type (a face over secnews.quality.agreement)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from secnews.cli.options import format_option, paths_argument
from secnews.core.paths import corpus_dir
from secnews.quality.agreement import agreement_paths, render_markdown, render_rich


def parse_sets(value: str | None) -> list[str] | None:
    """``A,B`` -> ``["A", "B"]`` (None when not given)."""
    if not value:
        return None
    return [s.strip() for s in value.split(",") if s.strip()]


@click.command()
@paths_argument()
@click.option(
    "--sets",
    "sets",
    metavar="A,B[,C]",
    help="Sets to compare: ids or annotator:<name>. Default: every human set of each document "
    "(not rejected, not the imported winer-fr set).",
)
@format_option(
    "text", "json", "markdown", help="text: tables; json: every figure; markdown: tables for DATASHEET.md."
)
@click.option("--markdown", "markdown", is_flag=True, help="Same as --format markdown.")
def command(paths: tuple[Path, ...], sets: str | None, fmt: str, markdown: bool) -> None:
    """Inter-annotator agreement: span F1 (exact and overlap), kappa/alpha on labels.

    Only documents with two or more selected sets count; the others are reported as skipped.
    PATHS are files or directories (searched for *.json); default: corpus/.

    \b
    Examples:
      secnews agreement                                   # every human set of every document
      secnews agreement corpus/documents --sets ann-1,ann-2
      secnews agreement --sets annotator:alice,annotator:bob --format json > agreement.json
      secnews agreement --markdown >> DATASHEET.md        # tables for the datasheet

    Span F1 is pooled over every pair of sets (micro-average). Labels of spans both sets marked
    exactly (entity type, event realis, attribution claim...) and document labels get Cohen's kappa
    with two sets, Krippendorff's alpha with more.

    Exit status: 0 done, 1 no document with two sets, 2 usage error or unreadable input.
    """
    targets = list(paths) or [corpus_dir()]
    missing = [p for p in targets if not p.exists()]
    if missing:
        click.echo(
            f"error [UNREADABLE_FILE] no such file or directory: {', '.join(map(str, missing))}", err=True
        )
        sys.exit(2)
    report = agreement_paths(targets, parse_sets(sets))
    data = report.to_dict()
    fmt = "markdown" if markdown else fmt
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(render_markdown(data), nl=False)
    else:
        from rich.console import Console

        console = Console()
        for item in render_rich(data):
            console.print(item)
    if not report.documents:
        click.echo("no document has two or more of the selected annotation sets", err=True)
        sys.exit(1)
