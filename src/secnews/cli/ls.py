"""``secnews ls``: the Label Studio bridge (a thin face over :mod:`secnews.labelstudio`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from secnews.cli.options import paths_argument
from secnews.core.findings import Finding
from secnews.core.paths import documents_dir
from secnews.model.document import Document

if TYPE_CHECKING:
    from secnews.labelstudio.importer import ImportReport


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
    """Print every finding (errors of skipped tasks too, when the import was not strict)."""
    for f in findings:
        click.echo(f"{f.location()}: {f.severity} [{f.code}] {f.message}", err=True)


_STRICT_HELP = (
    "All or nothing: any bad task and nothing is written (default: bad tasks are skipped and reported)."
)


def _summary(report: ImportReport, dry_run: bool) -> None:
    """The counts, then one line per refused annotation; exit 1 when some were refused."""
    _warn(report.findings)
    for refusal in report.refused:
        click.echo(f"refused {refusal.line(report.server)}", err=True)
    verb = "would write" if dry_run else "wrote"
    click.echo(
        f"{report.tasks} tasks, {report.sets} annotation sets: {verb} {len(report.created)} new and "
        f"{len(report.updated)} updated documents, {report.unchanged} unchanged"
        + (
            f"; {len(report.refused)} refused (fix them in Label Studio and pull again)"
            if report.refused
            else ""
        )
    )
    if report.refused:
        sys.exit(1)


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
@click.option(
    "--users",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Server user id -> e-mail (CSV id,email or JSON), so sets are signed as `ls pull` signs them.",
)
@click.option("--strict", is_flag=True, help=_STRICT_HELP)
def import_cmd(export: Path, into: Path | None, dry_run: bool, users: Path | None, strict: bool) -> None:
    """Import a Label Studio JSON export into the corpus (each annotation checked alone; --strict: all or nothing).

    Takes the full export (`ls pull` makes one) and the UI's Export button / SDK as_json files
    (predictions as ids: the annotations are imported, with one warning). Every annotation and
    prediction becomes an annotation set (ls-<id>, ls-pred-<id>); documents are merged by id;
    re-importing the same export changes nothing. A bad task, span or relation is reported with its
    code, task and annotation and left out; the valid annotations are imported (exit 1). With
    --strict one bad annotation and nothing is written (exit 2). One import at a time writes into a
    corpus: a second one waits (SECNEWS_LOCK_TIMEOUT, 60 s).

    \b
    Examples:
      secnews ls import project-3-at-2026-11-27.json --users users.csv
      secnews ls import export.json --into /tmp/corpus --dry-run
      secnews ls import export.json --strict           # all or nothing
    """
    from secnews.labelstudio.importer import import_export
    from secnews.labelstudio.users import load_users

    user_map = load_users(users) if users else None
    with _progress("importing tasks") as advance:
        report = import_export(export, into, dry_run=dry_run, progress=advance, users=user_map, strict=strict)
    _summary(report, dry_run)


@command.command(name="export")
@paths_argument(exists=True)
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
@paths_argument(exists=True)
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
    "--set",
    "sets",
    multiple=True,
    help="What annotators see: set id, 'gold', 'annotator:<name>', 'kind:<kind>' or 'all' "
    "(default: kind:prediction, model predictions only, so passes stay blind).",
)
def push_cmd(paths: tuple[Path, ...], project: str, url: str | None, as_: str, sets: tuple[str, ...]) -> None:
    """Create or update a project with the generated config and push documents as tasks.

    By default annotators see model predictions only (never gold or a colleague's set). A document
    already in the project (same data.doc_id) is updated when its text or pre-annotations changed
    (content hash in the task data), skipped otherwise, never duplicated. The token is read from
    LABEL_STUDIO_API_KEY only, never from a flag.

    \b
    Examples:
      export LABEL_STUDIO_API_KEY=...   # from scripts/labelstudio-up
      secnews ls push --url http://127.0.0.1:8080 --project secnews-fr-pass-1
      secnews ls push --project secnews-fr-pass-2          # the second blind pass: its own project
      secnews ls push corpus/documents/wikinews-fr-2016-01-15-001.json --project review --set gold
    """
    from secnews.labelstudio.exporter import DEFAULT_PUSH_SETS
    from secnews.labelstudio.sync import push

    with _progress("pushing documents") as advance:
        report = push(
            _paths(paths),
            project=project,
            url=url,
            sets=list(sets) or DEFAULT_PUSH_SETS,
            as_=as_,  # type: ignore[arg-type]
            progress=advance,
        )
    state = (
        "created" if report.project_created else ("config updated" if report.config_updated else "existing")
    )
    click.echo(
        f"project {report.project_id} ({state}): {report.imported} tasks imported, "
        f"{len(report.updated)} updated, {len(report.skipped)} unchanged"
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
@click.option("--strict", is_flag=True, help=_STRICT_HELP)
def pull_cmd(project: str, url: str | None, into: Path | None, dry_run: bool, strict: bool) -> None:
    """Export a snapshot of a project (full predictions) and import it into the corpus.

    Each annotation is checked alone: valid ones are written, refused ones are listed with their
    code, task, annotator and the task's URL (exit 1). --strict writes nothing if any is refused.

    \b
    Examples:
      secnews ls pull --url http://127.0.0.1:8080 --project secnews-fr
      secnews ls pull --project secnews-fr-pass-2 --strict
      secnews ls pull --project 3 --into /tmp/corpus --dry-run
    """
    from secnews.labelstudio.sync import pull

    with _progress("importing tasks") as advance:
        report = pull(project=project, into=into, url=url, dry_run=dry_run, progress=advance, strict=strict)
    _summary(report, dry_run)
