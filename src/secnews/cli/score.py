"""``secnews score``: the official scorer of predictions against a release split's gold."""

from __future__ import annotations

import json
from pathlib import Path

import click

from secnews.cli.options import format_option
from secnews.quality.score import score


@click.command()
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.argument("pred", type=click.Path(exists=True, path_type=Path))
@format_option("markdown", "json")
@click.option(
    "--bootstrap", default=1000, show_default=True, help="Bootstrap rounds over documents (0: none)."
)
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap resampling.")
def command(gold: Path, pred: Path, fmt: str, bootstrap: int, seed: int) -> None:
    """Score PRED against GOLD: both in one release config (ner, events or documents), Parquet or JSONL.

    \b
    Examples:
      secnews score releases/0.1.0/ner/test-00000-of-00001.parquet my_ner_predictions.parquet
      secnews score releases/0.1.0/documents/test-00000-of-00001.parquet preds.jsonl --format json
      secnews score gold.parquet preds.parquet --bootstrap 0          # no confidence intervals

    NER: seqeval-compatible exact span F1 per type (micro/macro). Events: trigger identification and
    classification, argument identification and role classification (ACE style). Documents also:
    entities, timexes (strict/relaxed span, value accuracy), attributions (cue, source, content).
    """
    report = score(gold, pred, bootstrap=bootstrap, seed=seed)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(report.to_markdown(), nl=False)
