"""``secnews baseline``: train and score the reproducible CPU baselines on a release."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from secnews.baselines.run import (
    BASELINES,
    CONFIG,
    Options,
    render_results,
    results_record,
    run_baselines,
    update_datasheet_block,
    write_results,
)
from secnews.core.paths import project_root


@click.command()
@click.argument("release", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--only", default=",".join(BASELINES), show_default=True, help="Baselines to run, comma-separated."
)
@click.option("--work", type=click.Path(path_type=Path), default=Path("build/baselines"), show_default=True,
              help="Models, predictions (release shapes) and score reports go here.")  # fmt: skip
@click.option("--results", type=click.Path(path_type=Path), default=None,
              help="Where <version>.json/.md are recorded [default: benchmarks/baselines/results].")  # fmt: skip
@click.option("--seed", default=0, show_default=True)
@click.option("--max-epochs", type=click.IntRange(min=1), default=None, help="Override the config's epochs.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="First N documents of each split only (a smoke run; nothing is recorded).")  # fmt: skip
@click.option("--config", type=click.Path(exists=True, path_type=Path), default=None,
              help="spaCy training config [default: benchmarks/baselines/tagger.cfg].")  # fmt: skip
@click.option("--no-datasheet", is_flag=True, help="Do not rewrite DATASHEET.md's baselines block.")
def command(release: Path, only: str, work: Path, results: Path | None, seed: int, max_epochs: int | None,
            limit: int | None, config: Path | None, no_datasheet: bool) -> None:  # fmt: skip
    """Train on train, tune on validation, score on test with the official scorer; record the results.

    \b
    Baselines: ner (spaCy NER), triggers (event-trigger tagger), rules (the rule pre-annotator,
    zero-shot), timex (the date normaliser, zero-shot). Each writes its predictions in the
    release's shape under --work and is scored by `secnews score`.

    \b
    Examples:
      secnews baseline releases/0.1.0                      # all four; records benchmarks/baselines/results/0.1.0.*
      secnews baseline releases/0.1.0 --only timex,rules   # the zero-shot ones (a minute)
      secnews baseline releases/0.1.0 --limit 3 --max-epochs 1 --work /tmp/smoke   # a smoke run
      secnews score releases/0.1.0/ner/test-00000-of-00001.parquet build/baselines/ner/predictions.jsonl
    """
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(BASELINES))
    if unknown:
        raise click.BadParameter(
            f"unknown baselines {unknown}; choose from {sorted(BASELINES)}", param_hint="--only"
        )
    root = project_root()
    opts = Options(seed=seed, max_epochs=max_epochs, limit=limit, config=config or root / CONFIG)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True, console=Console(stderr=True)) as bar:  # fmt: skip
        task = bar.add_task("baselines", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        out = run_baselines(release, names, work, opts, progress)
    record = results_record(release, out, _command(release, names, seed, max_epochs), opts)
    if limit is None:
        js, md = write_results(record, results or root / "benchmarks" / "baselines" / "results")
        click.echo(f"recorded {js} and {md}", err=True)
        if not no_datasheet and not update_datasheet_block(root / "DATASHEET.md", render_results(record)):
            click.echo("DATASHEET.md has no baselines markers: not updated", err=True)
    click.echo(render_results(record), nl=False)


def _command(release: Path, names: list[str], seed: int, max_epochs: int | None) -> str:
    """The command line that reproduces the recorded run."""
    parts = ["secnews", "baseline", str(release), "--only", ",".join(names)]
    if seed:
        parts += ["--seed", str(seed)]
    if max_epochs is not None:
        parts += ["--max-epochs", str(max_epochs)]
    return " ".join(shlex.quote(p) for p in parts)
