"""``secnews export``: the corpus in other communities' shapes (ACLED rows for conflict researchers)."""

from __future__ import annotations

from pathlib import Path

import click

from secnews.cli.options import paths_argument
from secnews.core.paths import documents_dir
from secnews.formats.acled import WRITERS, counts_by, export_rows, write_rows
from secnews.model.document import iter_documents


@click.group()
def command() -> None:
    """Export gold annotations in other shapes (ACLED)."""


@command.command("acled")
@paths_argument(exists=True)
@click.option(
    "--out",
    "outs",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="Output file, .csv or .parquet (repeat for both).",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not print the warnings and the summary.")
def acled(paths: tuple[Path, ...], outs: tuple[Path, ...], quiet: bool) -> None:
    """Gold events as ACLED-shaped rows (one per reported event) with evidence offsets.

    \b
    Examples:
      secnews export acled --out build/acled.csv                    # the whole corpus
      secnews export acled corpus/documents/000_7302031bc759a944.json --out seed.csv --out seed.parquet
      duckdb -c "SELECT event_type, count(*) FROM 'build/acled.parquet' GROUP BY 1"

    Columns: ACLED's (event_date, time_precision, event_type, sub_event_type, actor1, inter1, actor2,
    inter2, interaction, country, location, fatalities, source, notes = the sentence...) then
    doc_id, event_ids and evidence_* character offsets into the document's text.
    """
    for out in outs:
        if out.suffix not in WRITERS:
            raise click.BadParameter(f"{out}: use a .csv or .parquet file name", param_hint="--out")
    rows, findings = [], []
    for _path, doc in iter_documents(list(paths) or [documents_dir()]):
        doc_rows, doc_findings = next(export_rows([doc]))
        rows.extend(doc_rows)
        findings.extend(doc_findings)
    for out in outs:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_rows(rows, out)
    if not quiet:
        for f in findings:
            click.echo(f"{f.location()}: {f.severity} [{f.code}] {f.message}", err=True)
        groups = ", ".join(f"{k} {v}" for k, v in counts_by(rows, "event_type").items())
        click.echo(f"{len(rows)} ACLED rows ({groups}) -> {', '.join(map(str, outs))}")
