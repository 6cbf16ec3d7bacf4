"""``secnews synth``: valid synthetic documents for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import Progress

from secnews.model.synth import generate_corpus


@click.command()
@click.argument("n", type=click.IntRange(min=1))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Directory to write into.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same corpus.")
@click.option(
    "--sentences", type=click.IntRange(min=1), default=4, show_default=True, help="Sentences per document."
)
@click.option(
    "--sets",
    type=click.IntRange(1, 2),
    default=2,
    show_default=True,
    help="Gold only (1) or gold + prediction (2).",
)
def command(n: int, out: Path, seed: int, sentences: int, sets: int) -> None:
    """Write N valid synthetic documents (all layers, astral characters, optional keys).

    \b
    Examples:
      secnews synth 100 --out /tmp/synth
      secnews synth 100000 --out /tmp/bench --sentences 3 --sets 1 --seed 7
      secnews validate /tmp/synth
    """
    with Progress(transient=True) as bar:
        task = bar.add_task("generating", total=n)
        written = generate_corpus(
            n, out, seed=seed, sentences=sentences, sets=sets, progress=lambda k: bar.advance(task, k)
        )
    click.echo(f"wrote {written} documents to {out}")
