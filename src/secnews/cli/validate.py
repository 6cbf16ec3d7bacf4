"""``secnews validate``: the CI gate for annotation pull requests."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from secnews.cli.options import format_option, paths_argument
from secnews.core.findings import all_rules
from secnews.core.paths import corpus_dir
from secnews.validate.engine import ValidationReport, open_verdict_cache, validate_paths
from secnews.validate.render import render_report, render_rules


@click.command()
@paths_argument()
@format_option(
    "text",
    "json",
    "github",
    "markdown",
    help="text for people, json for tools (report object), github for Actions annotations.",
)
@click.option("--list-rules", is_flag=True, help="Print the rule catalogue and exit.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option(
    "--allow-empty", is_flag=True, help="Accept finding no document (a new project); otherwise exit 2."
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes."
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Re-validate every file (default: files whose bytes are unchanged keep their findings from "
    ".secnews_cache/, which a new toolkit version, schema, taxonomy or actor registry invalidates).",
)
def command(
    paths: tuple[Path, ...],
    fmt: str,
    list_rules: bool,
    strict: bool,
    allow_empty: bool,
    jobs: int,
    no_cache: bool,
) -> None:
    """Validate canonical documents: JSON Schema structure, then the semantic rules.

    PATHS are files or directories (searched for *.json); default: the project's corpus/ (the project
    is the nearest folder with secnews.toml, or `secnews --project DIR`).

    \b
    Examples:
      secnews validate                                  # the whole corpus
      secnews validate corpus/documents/000_7302031bc759a944.json
      secnews validate --format json > report.json      # {valid, stats, findings}
      secnews validate --format github                  # ::error lines for pull requests
      secnews validate -j 2 /tmp/bench                  # large corpora: one worker per core
      secnews validate --no-cache                       # ignore the verdicts of unchanged files
      secnews validate --allow-empty                    # a new project with no document yet
      secnews --project ../other-corpus validate        # another project's corpus and schema
      secnews validate --list-rules                     # the catalogue of codes
      secnews validate --list-rules --format markdown > docs/rules.md

    Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage error, unreadable input or no document
    (missing paths and unreadable files are findings of the report, so --format json always prints one).
    """
    if list_rules:
        # the markdown page ends with its own newline (docs/rules.md is this output, byte for byte)
        click.echo(render_rules(all_rules(), fmt), nl=fmt != "markdown")
        return
    targets = list(paths) or [corpus_dir()]
    cache = None if no_cache else open_verdict_cache()
    report = validate_paths(targets, jobs=jobs, cache=cache, allow_empty=allow_empty)
    if cache is not None:
        cache.save()
    click.echo(render_report(report, fmt))
    sys.exit(_exit_status(report, strict))


def _exit_status(report: ValidationReport, strict: bool) -> int:
    if any(f.code in _INPUT_CODES for f in report.findings):
        return 2
    if not report.valid or (strict and report.findings):
        return 1
    return 0


_INPUT_CODES = {"UNREADABLE_FILE", "BAD_ENCODING", "NO_DOCUMENTS"}
