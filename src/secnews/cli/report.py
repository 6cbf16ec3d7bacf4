"""``secnews report``: the static HTML report of the corpus (opens from the file system)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from secnews.cli.options import paths_argument
from secnews.core.paths import corpus_dir, documents_dir
from secnews.model.document import iter_document_files
from secnews.report.site import DEFAULT_PAIRS, build_report


def _pairs(values: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for v in values:
        a, sep, b = v.partition(",")
        if not sep or not a or not b:
            raise click.BadParameter(
                f"{v!r}: give two set ids, e.g. gold,pred-secnews-rules", param_hint="--pair"
            )
        out.append((a, b))
    return out


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@paths_argument(exists=True)
@click.option("--pair", "pairs", multiple=True,
              help="Two set ids shown side by side, e.g. gold,pred-secnews-rules (repeatable) "
                   "[default: gold,pred-secnews-rules and pass-1,pass-2].")  # fmt: skip
@click.option("--agreement", "agreement_sets", default="pass-1,pass-2", show_default=True,
              help="The two sets whose agreement per layer is plotted.")  # fmt: skip
@click.option("--quiet", "-q", is_flag=True)
def command(
    out: Path, paths: tuple[Path, ...], pairs: tuple[str, ...], agreement_sets: str, quiet: bool
) -> None:
    """Build a static HTML site: statistics with plots, every document with its four layers, pairs of
    annotation sets side by side, search by label. No server: open OUT/index.html.

    \b
    Examples:
      secnews report build/report                          # the whole corpus
      secnews report build/report corpus/documents/000_7302031bc759a944.json --pair gold,pred-secnews-rules
      xdg-open build/report/index.html
    """
    targets = list(paths) or [documents_dir()]
    total = sum(1 for _ in iter_document_files(targets))
    with Progress(TextColumn("report"), BarColumn(), MofNCompleteColumn(), transient=True, disable=quiet,
                  console=Console(stderr=True)) as bar:  # fmt: skip
        task = bar.add_task("report", total=total)
        stats = build_report(
            out,
            targets,
            manifest=corpus_dir() / "splits.tsv",
            pairs=_pairs(pairs) if pairs else DEFAULT_PAIRS,
            agreement_sets=[s for s in agreement_sets.split(",") if s],
            progress=lambda n: bar.advance(task, n),
        )
    click.echo(f"{len(stats.docs)} documents -> {out / 'index.html'}")
