"""``secnews init``: scaffold a new corpus project."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--taxonomy",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="The project's taxonomy.yaml (default: the toolkit's own).",
)
@click.option("--name", default=None, help="The dataset's name (default: the directory's name).")
@click.option(
    "--language",
    "languages",
    multiple=True,
    help="ISO 639-1 code of the documents' language (repeatable; default: fr).",
)
def command(directory: Path, taxonomy: Path | None, name: str | None, languages: tuple[str, ...]) -> None:
    """Create a corpus project in DIRECTORY: secnews.toml, schema/, corpus/documents/, CI, pre-commit.

    The JSON Schema and the Label Studio config are generated from the taxonomy; edit secnews.toml to
    describe the dataset (its card and Croissant metadata are built from it).

    \b
    Examples:
      secnews init my-corpus                                   # the toolkit's own taxonomy
      secnews init cyber-news --taxonomy cyber.yaml --language en
      cd cyber-news && secnews synth 20 --out corpus/documents && secnews validate
      secnews release 0.1.0 && secnews release --verify releases/0.1.0
    """
    from secnews.release.scaffold import init_project

    scaffold = init_project(directory, taxonomy=taxonomy, name=name, languages=list(languages) or None)
    click.echo(f"created project {scaffold.identity.name} in {scaffold.root} ({len(scaffold.files)} files)")
