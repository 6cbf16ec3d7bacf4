"""``secnews convert``: canonical JSON, JSONL, Parquet, Hub folder and Label Studio, both ways."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from secnews.formats.convert import convert
from secnews.formats.parquet import DEFAULT_BATCH_SIZE
from secnews.formats.registry import FORMATS

_FORMAT = click.Choice(FORMATS)


@click.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("dst", type=click.Path(path_type=Path))
@click.option("--from", "src_format", type=_FORMAT, help="Format of SRC (default: inferred from the path).")
@click.option("--to", "dst_format", type=_FORMAT, help="Format of DST (default: inferred from the path).")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Documents per Parquet row group (memory grows with it, not with the corpus).",
)
@click.option("--validate", is_flag=True, help="Validate each document first; stop at the first invalid one.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def command(
    src: Path,
    dst: Path,
    src_format: str | None,
    dst_format: str | None,
    batch_size: int,
    validate: bool,
    quiet: bool,
) -> None:
    """Convert a corpus between formats, streaming, writing atomically.

    \b
    Formats (inferred from the path unless --from/--to):
      canonical    a directory of <id>.json documents (corpus/documents)
      jsonl        one document per line (*.jsonl)
      parquet      a directory with documents.parquet + annotations.parquet (lossless;
                   inferred when it exists or its name ends in "parquet")
      hf           a loadable dataset folder: <config>/train-*.parquet + README.md, for
                   the documents, annotations, ner and events configs (write; read back too)
      labelstudio  a Label Studio export (*.json array) / Label Studio tasks to import

    \b
    Examples:
      secnews convert corpus/documents build/parquet            # canonical -> Parquet pair
      secnews convert build/parquet /tmp/roundtrip --to canonical
      secnews convert corpus/documents corpus.jsonl
      secnews convert corpus.jsonl build/parquet
      secnews convert corpus/documents build/hf --to hf         # load_dataset("build/hf", "ner")
      secnews convert export.json build/parquet                 # Label Studio export -> Parquet
      secnews convert build/parquet tasks.json                  # Parquet -> Label Studio tasks
      duckdb -c "SELECT count(*) FROM 'build/parquet/annotations.parquet'"

    Exit status: 0 done, 2 bad input (coded findings printed, nothing half-written).
    """
    with Progress(
        TextColumn("converting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=quiet,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("converting", total=None)
        summary = convert(
            src,
            dst,
            src_format,
            dst_format,
            batch_size=batch_size,
            on_document=lambda _doc: bar.advance(task),
            validate=validate,
        )
    counts = ", ".join(
        f"{k} {v}" for k, v in summary.items() if k in ("documents", "annotation_sets", "rows")
    )
    click.echo(f"{summary['from']} {summary['src']} -> {summary['to']} {summary['dst']}: {counts}")
