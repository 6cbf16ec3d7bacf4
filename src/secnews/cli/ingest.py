"""``secnews ingest``: turn articles (BRAT, text, JSONL, saved HTML) into canonical documents.

A thin face over :mod:`secnews.ingest`: parse options, call the library, print a summary. Coded
errors on some articles are printed and make the exit status 2 after the others are written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import click

from secnews.core.findings import Finding, SecnewsError
from secnews.core.paths import documents_dir
from secnews.ingest.common import IngestResult

_INTO = click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Documents directory (default corpus/documents).",
)
_QUIET = click.option("--quiet", "-q", is_flag=True, help="Print only the summary and the problems.")


def _finish(results: Iterable[IngestResult], findings: list[Finding], *, quiet: bool, started: float) -> None:
    results = list(results)
    if not quiet:
        for r in results:
            click.echo(f"{r.status:9} {r.doc_id} -> {r.path}")
    for f in findings:
        if f.severity != "error":
            click.echo(f"{f.location()}: {f.severity} [{f.code}] {f.message}", err=True)
    counts = {s: sum(1 for r in results if r.status == s) for s in ("created", "updated", "unchanged")}
    errors = [f for f in findings if f.severity == "error"]
    warnings = len(findings) - len(errors)
    click.echo(
        f"{len(results)} documents ({counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged), {len(errors)} errors, {warnings} warnings "
        f"in {time.perf_counter() - started:.1f}s",
        err=True,
    )
    if errors:
        raise SecnewsError(*errors)


@click.group()
def command() -> None:
    """Ingest articles as canonical documents (NFC text, full meta, atomic writes).

    Every ingest refuses a text already in the corpus under another id, never changes the text of
    an existing document, and keeps the annotation sets others have added to it.

    \b
    Examples:
      secnews ingest brat corpus/sources/winer-fr
      secnews ingest text article.txt --published 2024-12-28 --title "Mali : ..." --source "Studio Tamani"
      secnews ingest jsonl scraped.jsonl
      secnews ingest html saved-pages/ --license unknown
    """


@command.command("brat")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_INTO
@click.option("--published", default=None, help="Override every article's publication date (ISO).")
@_QUIET
def brat(directory: Path, into: Path | None, published: str | None, quiet: bool) -> None:
    """BRAT .txt/.ann pairs (e.g. WiNER-fr): detokenised text, annotations re-mapped, none dropped.

    \b
    Example:
      secnews ingest brat corpus/sources/winer-fr
      secnews ingest brat corpus/sources/winer-fr --into /tmp/docs -q

    WiNER's own entities become the human set "winer-fr" (types mapped, original label in
    source_label); an annotation that cannot be re-mapped exactly is reported, never dropped.
    """
    from secnews.ingest.brat import ingest_brat

    started = time.perf_counter()
    report = ingest_brat(directory, into or documents_dir(), published=published, progress=not quiet)
    if not quiet:
        for label in sorted(set(report.counts_before) | set(report.counts_after)):
            click.echo(
                f"  {label:14} before {report.counts_before[label]:5}  after {report.counts_after[label]:5}",
                err=True,
            )
    _finish(report.results, report.findings, quiet=quiet, started=started)


@command.command("text")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--published", required=True, help="Publication date: YYYY-MM-DD or ISO date-time with offset.")
@click.option(
    "--id",
    "doc_id",
    default=None,
    help="Document id (default: the file stem if valid, else title slug + hash).",
)
@click.option("--title", default=None)
@click.option("--url", default=None)
@click.option("--source", default="unknown", show_default=True, help="Publisher, e.g. 'Studio Tamani'.")
@click.option(
    "--license", "license_", default="unknown", show_default=True, help="SPDX-like id, e.g. CC-BY-4.0."
)
@click.option("--notes", default=None, help="What is known about the article's provenance.")
@click.option("--author", "authors", multiple=True, help="An author (repeatable).")
@_INTO
def text(
    file: Path,
    published: str,
    doc_id: str | None,
    title: str | None,
    url: str | None,
    source: str,
    license_: str,
    notes: str | None,
    authors: tuple[str, ...],
    into: Path | None,
) -> None:
    """One UTF-8 text file as one document (no annotation set).

    \b
    Example:
      secnews ingest text corpus/sources/seeds/000_7302031bc759a944.txt --published 2024-12-28 \\
          --title "Mali : un coup dur pour la Katiba Serma" --notes "French news article, scraped"
    """
    from secnews.ingest.text import ingest_text

    started = time.perf_counter()
    result = ingest_text(
        file,
        into or documents_dir(),
        published=published,
        doc_id=doc_id,
        title=title,
        url=url,
        source=source,
        license=license_,
        notes=notes,
        authors=list(authors),
    )
    _finish([result], result.findings, quiet=False, started=started)


@command.command("jsonl")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_INTO
@_QUIET
def jsonl(file: Path, into: Path | None, quiet: bool) -> None:
    """One article per line: {"text", "published", "title", "url", "source", "license", "id", "authors"}.

    \b
    Example:
      echo '{"text": "Bamako, 3 janvier ...", "published": "2025-01-03", "source": "AMAP"}' > a.jsonl
      secnews ingest jsonl a.jsonl

    Bad lines are reported with their line number; the other lines are ingested.
    """
    from secnews.ingest.jsonl import ingest_jsonl

    started = time.perf_counter()
    report = ingest_jsonl(file, into or documents_dir(), progress=not quiet)
    _finish(report.results, report.findings, quiet=quiet, started=started)


@command.command("html")
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option("--published", default=None, help="Publication date; overrides the page's own.")
@click.option("--id", "doc_id", default=None, help="Document id (single page only).")
@click.option("--url", default=None, help="The page's URL when the saved page lacks it.")
@click.option("--source", default=None, help="Publisher (default: the page's site name).")
@click.option("--license", "license_", default="unknown", show_default=True)
@_INTO
@_QUIET
def html(
    target: Path,
    published: str | None,
    doc_id: str | None,
    url: str | None,
    source: str | None,
    license_: str,
    into: Path | None,
    quiet: bool,
) -> None:
    """Saved news pages (a file or a directory of .html): article text and metadata via trafilatura.

    \b
    Examples:
      secnews ingest html ~/pages/attaque-kayes.html --published 2025-07-01
      secnews ingest html ~/pages/ --license unknown
    """
    from secnews.ingest.html import ingest_html

    started = time.perf_counter()
    report = ingest_html(
        target,
        into or documents_dir(),
        published=published,
        doc_id=doc_id,
        source=source,
        license=license_,
        url=url,
        progress=not quiet,
    )
    _finish(report.results, report.findings, quiet=quiet, started=started)
