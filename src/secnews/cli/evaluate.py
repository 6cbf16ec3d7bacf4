"""``secnews evaluate``: score one annotation set against another (model vs gold, annotator vs annotator)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from secnews.cli.options import format_option, paths_argument
from secnews.core.paths import documents_dir

WINER_COLLAPSE = "GPE,LOC,FAC->LOC; ORG,STATE_FORCE,ARMED_GROUP,MILITIA,MULTINATIONAL_FORCE->ORG"


@click.command()
@paths_argument()
@click.option(
    "--gold", "gold", required=True, help="Reference set: an id (winer-fr), 'gold', or 'annotator:<name>'."
)
@click.option(
    "--pred",
    "pred",
    required=True,
    help="Set to score: an id (pred-secnews-rules), 'gold' or 'annotator:<name>'.",
)
@click.option(
    "--layers",
    default=",".join(("entities", "timexes", "events", "attributions", "relations", "labels")),
    show_default=True,
    help="Comma-separated layers to score.",
)
@click.option(
    "--types", default=None, help="Keep only these types (after collapsing), in the layers they belong to."
)
@click.option(
    "--collapse-types",
    "collapse",
    default=None,
    help="Map fine types onto coarse ones before matching: 'A,B->C; D,E->F' (both sets).",
)
@click.option("--mentions", default=None, help="Keep only entities with these mention kinds, e.g. NAM.")
@format_option("table", "json", help="table for people, json for tools.")
def command(
    paths: tuple[Path, ...],
    gold: str,
    pred: str,
    layers: str,
    types: str | None,
    collapse: str | None,
    mentions: str | None,
    fmt: str,
) -> None:
    """Precision / recall / F1 per layer and type, exact and overlap span matching.

    Also: span-only detection scores, timex value accuracy (matched timexes with a gold value),
    argument matching (event matched + role + argument span matched) and attribution matching (cue,
    then cue + source). PATHS are files or directories; default: corpus/documents. Documents that lack
    either set are counted as missing, not scored.

    \b
    Examples:
      # pre-annotation against gold
      secnews evaluate --gold gold --pred pred-secnews-rules
      # one annotator against another
      secnews evaluate --gold annotator:annotator-1 --pred annotator:annotator-2 --format json
      # entities against WiNER's Person/Location/Organization (names only, our types collapsed)
      secnews evaluate --gold winer-fr --pred pred-secnews-rules --layers entities --mentions NAM \\
        --collapse-types "GPE,LOC,FAC->LOC; ORG,STATE_FORCE,ARMED_GROUP,MILITIA,MULTINATIONAL_FORCE->ORG" \\
        --types PER,LOC,ORG
      # timex detection against WiNER's Date/Hour (see the "span only" row)
      secnews evaluate --gold winer-fr --pred pred-secnews-rules --layers timexes

    Exit status: 0 scored, 1 no document had both sets, 2 bad option or unreadable input.
    """
    from rich.console import Console

    from secnews.model.document import iter_documents
    from secnews.quality.evaluate import evaluate, parse_collapse, parse_list, render_table

    try:
        mapping = parse_collapse(collapse)
        layer_list = parse_list(layers) or ()
        targets = list(paths) or [documents_dir()]
        missing = [p for p in targets if not p.exists()]
        if missing:
            click.echo(
                f"error [UNREADABLE_FILE] no such file or directory: {', '.join(map(str, missing))}", err=True
            )
            sys.exit(2)
        docs = (doc for _path, doc in iter_documents(targets))
        report = evaluate(
            docs,
            gold,
            pred,
            layers=layer_list,
            types=parse_list(types),
            collapse=mapping,
            mentions=parse_list(mentions),
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=140)
        console.print(render_table(report))
    sys.exit(0 if report["documents"] else 1)
