"""``secnews annotate``: author annotation sets from quote-based YAML worksheets."""

from __future__ import annotations

from pathlib import Path

import click

from secnews.annotate.worksheets import apply_worksheet, dump_worksheet
from secnews.core.paths import documents_dir
from secnews.model.document import read_document


@click.group()
def command() -> None:
    """Write annotation sets by quoting spans instead of typing offsets.

    \b
    Examples:
      secnews annotate dump corpus/documents/000_7302031bc759a944.json --set pred-secnews-rules \\
          --as-id gold --annotator annotator-a --status gold > ws.yaml
      $EDITOR ws.yaml                       # correct the suggestions span by span
      secnews annotate apply ws.yaml        # validates the whole document, then writes it
    """


@command.command("apply")
@click.argument("worksheets", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--into",
    type=click.Path(path_type=Path),
    default=None,
    help="Documents directory (default corpus/documents).",
)
def apply(worksheets: tuple[Path, ...], into: Path | None) -> None:
    """Build each worksheet's set into its document (atomic; nothing written if invalid)."""
    for ws in worksheets:
        path = apply_worksheet(ws, into or documents_dir())
        click.echo(f"{ws} -> {path}")


@command.command("dump")
@click.argument("document", type=click.Path(exists=True, path_type=Path))
@click.option("--set", "set_id", required=True, help="Annotation set id to dump.")
@click.option("--as-id", default=None, help="Write the worksheet for a new set id (e.g. gold).")
@click.option("--annotator", default=None, help="Annotator of the new set.")
@click.option("--status", default=None, help="Status of the new set (draft, submitted, gold...).")
def dump(document: Path, set_id: str, as_id: str | None, annotator: str | None, status: str | None) -> None:
    """Print a worksheet of an existing set (e.g. a prediction to correct)."""
    doc = read_document(document)
    as_set = None
    if as_id or annotator or status:
        as_set = {
            "id": as_id or set_id,
            "kind": "human",
            "annotator": annotator or "unknown",
            "status": status or "submitted",
        }
    click.echo(dump_worksheet(doc, set_id, as_set), nl=False)
