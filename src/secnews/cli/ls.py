"""``secnews ls``: the Label Studio bridge (a thin face over :mod:`secnews.labelstudio`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from secnews.core.findings import Finding
from secnews.core.paths import documents_dir
from secnews.model.document import Document


@contextmanager
def _progress(label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (a counter when the total is unknown, e.g. a streamed export)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _warn(findings: list[Finding]) -> None:
    for f in findings:
        if f.severity == "warning":
            click.echo(f"{f.location()}: warning [{f.code}] {f.message}", err=True)


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [documents_dir()]


def _documents(paths: list[Path]) -> Iterator[Document]:
    """Documents of canonical files and folders, or of Parquet (a pair, a Hub folder, prediction shards)."""
    from secnews.formats.parquet import DEFAULT_BATCH_SIZE
    from secnews.formats.registry import get_format, infer_format
    from secnews.model.document import iter_documents

    for p in paths:
        if p.is_dir() and infer_format(p, "src") in ("parquet", "hf"):
            yield from get_format(infer_format(p, "src")).read(p, DEFAULT_BATCH_SIZE)
        else:
            yield from (doc for _, doc in iter_documents([p]))


@click.group(name="ls")
def command() -> None:
    """Label Studio bridge: labeling config, import, export, push, pull.

    \b
    Examples:
      secnews ls config                              # regenerate schema/labelstudio.xml
      secnews ls import export.json                  # a full JSON export -> corpus/documents
      secnews ls export --out tasks.json --set gold  # documents -> importable tasks
      LABEL_STUDIO_API_KEY=... secnews ls push --url http://127.0.0.1:8080 --project secnews
      LABEL_STUDIO_API_KEY=... secnews ls pull --url http://127.0.0.1:8080 --project secnews
    """


@command.command(name="config")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the config (default: schema/labelstudio.xml).",
)
@click.option("--check", is_flag=True, help="Do not write: exit 1 if the file is stale.")
def config_cmd(out: Path | None, check: bool) -> None:
    """Generate the labeling config from schema/taxonomy.yaml.

    \b
    Examples:
      secnews ls config                   # write schema/labelstudio.xml if it changed
      secnews ls config --check           # CI: fail when the checked-in file is stale
      secnews ls config --out /tmp/c.xml  # write elsewhere
    """
    from secnews.labelstudio.config import check_config, write_config

    if check:
        click.echo(f"{check_config(out)}: up to date")
        return
    path, changed = write_config(out)
    click.echo(f"{path}: {'written' if changed else 'unchanged'}")


@command.command(name="import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus directory to merge into (default: corpus/documents).",
)
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
def import_cmd(export: Path, into: Path | None, dry_run: bool) -> None:
    """Import a Label Studio full JSON export into the corpus (all or nothing).

    Every annotation and prediction becomes an annotation set (ls-<id>, ls-pred-<id>); documents
    are merged by id; re-importing the same export changes nothing. Any bad task, span or relation
    is reported with its code, task and annotation, and then nothing is written.

    \b
    Examples:
      secnews ls import project-3-at-2026-11-27.json
      secnews ls import export.json --into /tmp/corpus --dry-run
    """
    from secnews.labelstudio.importer import import_export

    with _progress("importing tasks") as advance:
        report = import_export(export, into, dry_run=dry_run, progress=advance)
    _warn(report.findings)
    verb = "would write" if dry_run else "wrote"
    click.echo(
        f"{report.tasks} tasks, {report.sets} annotation sets: {verb} {len(report.created)} new and "
        f"{len(report.updated)} updated documents, {report.unchanged} unchanged"
    )


@command.command(name="export")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Tasks file to write."
)
@click.option(
    "--as",
    "as_",
    type=click.Choice(["predictions", "annotations"]),
    default="predictions",
    show_default=True,
    help="Load the sets as pre-annotations (for review) or as annotations.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    help="Sets to include: an id, 'gold', 'annotator:<name>' or 'kind:<kind>' (default: all).",
)
def export_cmd(paths: tuple[Path, ...], out: Path, as_: str, sets: tuple[str, ...]) -> None:
    """Export canonical documents as importable Label Studio tasks.

    \b
    Examples:
      secnews ls export --out tasks.json                          # whole corpus, all sets as predictions
      secnews ls export corpus/documents/seed.json --out t.json --set gold --as annotations
      secnews ls export --out review.json --set kind:prediction
      secnews ls export build/preds --out tasks.json    # Parquet shards of `secnews preannotate --out`
    """
    from secnews.labelstudio.exporter import export_document_stream

    n = export_document_stream(_documents(_paths(paths)), out, sets=list(sets) or None, as_=as_)  # type: ignore[arg-type]
    click.echo(f"{out}: {n} tasks")


@command.command(name="push")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--project", required=True, help="Project title (created when missing) or id.")
@click.option(
    "--url", default=None, help="Server URL (default: $LABEL_STUDIO_URL). Token: $LABEL_STUDIO_API_KEY."
)
@click.option(
    "--as",
    "as_",
    type=click.Choice(["predictions", "annotations"]),
    default="predictions",
    show_default=True,
    help="Load the sets as pre-annotations or as annotations.",
)
@click.option(
    "--set", "sets", multiple=True, help="Sets to pre-annotate with (id, 'gold', 'annotator:<name>')."
)
def push_cmd(paths: tuple[Path, ...], project: str, url: str | None, as_: str, sets: tuple[str, ...]) -> None:
    """Create or update a project with the generated config and push documents as tasks.

    Documents already in the project (same data.doc_id) are skipped. The token is read from
    LABEL_STUDIO_API_KEY only, never from a flag.

    \b
    Examples:
      export LABEL_STUDIO_API_KEY=...   # from scripts/labelstudio-up
      secnews ls push --url http://127.0.0.1:8080 --project "secnews-fr"
      secnews ls push corpus/documents/wikinews-fr-2016-01-15-001.json --project secnews-fr --set gold
    """
    from secnews.labelstudio.sync import push

    with _progress("pushing documents") as advance:
        report = push(
            _paths(paths),
            project=project,
            url=url,
            sets=list(sets) or None,
            as_=as_,  # type: ignore[arg-type]
            progress=advance,
        )
    state = (
        "created" if report.project_created else ("config updated" if report.config_updated else "existing")
    )
    click.echo(
        f"project {report.project_id} ({state}): {report.imported} tasks imported, "
        f"{len(report.skipped)} already present"
    )


@command.command(name="pull")
@click.option("--project", required=True, help="Project title or id.")
@click.option(
    "--url", default=None, help="Server URL (default: $LABEL_STUDIO_URL). Token: $LABEL_STUDIO_API_KEY."
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus directory to merge into (default: corpus/documents).",
)
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
def pull_cmd(project: str, url: str | None, into: Path | None, dry_run: bool) -> None:
    """Export a snapshot of a project (full predictions) and import it into the corpus.

    \b
    Examples:
      secnews ls pull --url http://127.0.0.1:8080 --project secnews-fr
      secnews ls pull --project 3 --into /tmp/corpus --dry-run
    """
    from secnews.labelstudio.sync import pull

    with _progress("importing tasks") as advance:
        report = pull(project=project, into=into, url=url, dry_run=dry_run, progress=advance)
    _warn(report.findings)
    verb = "would write" if dry_run else "wrote"
    click.echo(
        f"{report.tasks} tasks, {report.sets} annotation sets: {verb} {len(report.created)} new and "
        f"{len(report.updated)} updated documents, {report.unchanged} unchanged"
    )
