"""``secnews adjudicate``: merge annotation sets into gold, listing conflicts (a face over secnews.quality.adjudicate)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from secnews.cli.agreement import parse_sets
from secnews.cli.options import format_option, paths_argument
from secnews.core.findings import Finding
from secnews.core.fs import atomic_write_text
from secnews.core.paths import corpus_dir
from secnews.model.document import iter_documents, write_document
from secnews.quality.adjudicate import (
    AdjudicationResult,
    adjudicate,
    apply_adjudication,
    has_sets,
    load_resolutions,
    render_conflicts_markdown,
    render_conflicts_text,
    stale_resolutions,
)


def _echo_finding(f: Finding) -> None:
    click.echo(f"{f.location()}: {f.severity} [{f.code}] {f.message}", err=True)


@click.command()
@paths_argument()
@click.option(
    "--sets", "sets", required=True, metavar="A,B[,C]", help="Sets to merge: ids or annotator:<name>."
)
@click.option("--into", default="gold", show_default=True, help="Id of the gold set to write.")
@click.option(
    "--resolutions",
    "resolutions_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="YAML/JSON file: conflict id -> keep:<set> | drop | {decision: replace, value: {...}}.",
)
@click.option("--by", default=None, help="Adjudicator name recorded with resolutions that do not give one.")
@click.option(
    "--report", "report_file", type=click.Path(path_type=Path), help="Write the conflict report here."
)
@format_option(
    "text", "markdown", "json", help="Format of the conflict report (printed unless --report is given)."
)
@click.option("--force", is_flag=True, help="Replace an existing set with the --into id.")
@click.option("--dry-run", is_flag=True, help="Report only; write no document.")
def command(
    paths: tuple[Path, ...],
    sets: str,
    into: str,
    resolutions_file: Path | None,
    by: str | None,
    report_file: Path | None,
    fmt: str,
    force: bool,
    dry_run: bool,
) -> None:
    """Merge two or more annotation sets into a gold set; every disagreement must be resolved.

    Items all sets agree on are kept. Each conflict (a span in one set only, another label, other
    arguments, another timex value, other document labels) gets a stable id and is listed. A document
    is written (its gold set added, resolutions recorded in it) only when all its conflicts are
    resolved and the gold set validates; documents lacking one of the sets are skipped.

    \b
    Examples:
      secnews adjudicate corpus/documents/doc-1.json --sets ann-1,ann-2
      secnews adjudicate --sets annotator:alice,annotator:bob --format markdown --report conflicts.md
      secnews adjudicate corpus/documents/doc-1.json --sets ann-1,ann-2 --resolutions res.yaml --by carol
      secnews adjudicate doc-1.json --sets ann-1,ann-2 --resolutions res.yaml --into gold --force

    \b
    Resolutions file (the markdown report ends with a template to fill):
      c-3f2a9e01b7c4: keep:ann-2
      c-77d0c1aa2e19: {decision: drop, by: carol, note: "générique (guide §3.3)"}
      c-0b9e5d4c3a21: {decision: replace, base: ann-1, value: {type: DEATH, realis: ACTUAL}}

    Exit status: 0 every selected document adjudicated, 1 unresolved conflicts or an invalid gold
    set (those documents are not written), 2 usage error or unreadable input.
    """
    selectors = parse_sets(sets) or []
    targets = list(paths) or [corpus_dir()]
    missing = [p for p in targets if not p.exists()]
    if missing:
        click.echo(
            f"error [UNREADABLE_FILE] no such file or directory: {', '.join(map(str, missing))}", err=True
        )
        sys.exit(2)
    resolutions = load_resolutions(resolutions_file, by) if resolutions_file else {}
    results: list[AdjudicationResult] = []
    written = skipped = 0
    for path, doc in iter_documents(targets):
        if not has_sets(doc, selectors):
            skipped += 1
            continue
        result = adjudicate(doc, selectors, into, resolutions, force=force)
        results.append(result)
        if result.ok and result.merged is not None and not dry_run:
            write_document(apply_adjudication(doc, result.merged, force=True), path)
            written += 1
    findings = [f for r in results for f in r.findings] + stale_resolutions(results, resolutions)
    _emit_report(results, fmt, report_file)
    for f in findings:
        _echo_finding(f)
    failed = sum(1 for r in results if not r.ok)
    click.echo(
        f"{len(results)} documents adjudicated: {written} written, {failed} with open conflicts or errors, "
        f"{skipped} skipped (lacking a set)",
        err=True,
    )
    if failed or not results:
        sys.exit(1)


def _emit_report(results: list[AdjudicationResult], fmt: str, report_file: Path | None) -> None:
    if fmt == "json":
        payload = [
            {
                "document": r.doc_id,
                "sets": r.sets,
                "agreed": r.agreed,
                "conflicts": [c.to_dict() for c in r.conflicts],
            }
            for r in results
        ]
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "markdown":
        text = render_conflicts_markdown(results)
    else:
        text = render_conflicts_text(results)
    if report_file is not None:
        atomic_write_text(report_file, text)
    elif text.strip():
        click.echo(text, nl=False)
