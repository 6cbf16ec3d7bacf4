"""The ``secnews`` command line: a thin face over the library.

Each sub-command lives in ``secnews.cli.<name>`` as a click command or group named ``command``
that calls a library function. They are imported only when invoked, so ``secnews validate`` does not
pay for importing spaCy or ``datasets``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import click

from secnews.core.findings import SecnewsError
from secnews.core.paths import use_project

#: sub-command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("secnews.cli.validate", "Validate canonical documents (structure and meaning)."),
    "schema": ("secnews.cli.schema", "Build or check schema/document.schema.json from the taxonomy."),
    "synth": ("secnews.cli.synth", "Generate valid synthetic documents (tests, benchmarks)."),
    "ls": ("secnews.cli.ls", "Label Studio bridge: config, import, export, push, pull."),
    "convert": (
        "secnews.cli.convert",
        "Convert between canonical JSON, JSONL, Parquet and Label Studio.",
    ),
    "splits": ("secnews.cli.splits", "Assign and check train/validation/test splits."),
    "release": ("secnews.cli.release", "Build, verify and publish a versioned release."),
    "ingest": (
        "secnews.cli.ingest",
        "Ingest articles (BRAT, text, JSONL, HTML) as canonical documents.",
    ),
    "preannotate": ("secnews.cli.preannotate", "Write model pre-annotations as prediction sets."),
    "evaluate": ("secnews.cli.evaluate", "Score one annotation set against another."),
    "score": ("secnews.cli.score", "Official scorer: predictions against a release split's gold."),
    "agreement": ("secnews.cli.agreement", "Inter-annotator agreement per layer and type."),
    "adjudicate": ("secnews.cli.adjudicate", "Merge annotation sets into gold, listing conflicts."),
    "annotate": ("secnews.cli.annotate", "Author annotation sets from quote-based YAML files."),
    "export": ("secnews.cli.export", "Export gold events in other shapes (ACLED rows)."),
    "baseline": ("secnews.cli.baseline", "Train and score the reproducible CPU baselines."),
    "report": ("secnews.cli.report", "Build the static HTML report of the corpus."),
    "init": ("secnews.cli.init", "Create a new corpus project (secnews.toml, schema/, corpus/, CI)."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n, (mod, _) in COMMANDS.items() if importlib.util.find_spec(mod) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, help_text = COMMANDS[cmd_name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        cmd: click.Command = module.command
        cmd.name = cmd_name
        if not cmd.help:
            cmd.help = help_text
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, COMMANDS[n][1]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="secnews-fr")
@click.option(
    "--project",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The corpus project (a folder with secnews.toml). Default: SECNEWS_HOME, else the nearest "
    "folder at or above the working directory that has one.",
)
def cli(project: Path | None) -> None:
    """secnews-fr: build, validate and publish an annotated security-news corpus.

    \b
    Examples:
      secnews validate                          # the project found from the working directory
      secnews --project ~/corpora/cyber release 0.1.0
      secnews init my-corpus --taxonomy my-taxonomy.yaml
    """
    if project is not None:
        use_project(project)


def report_error(exc: SecnewsError) -> None:
    for f in exc.findings:
        click.echo(f"{f.location()}: {f.severity} [{f.code}] {f.message}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: coded errors are printed, never shown as tracebacks (exit status 2)."""
    try:
        cli.main(args=argv, prog_name="secnews", standalone_mode=False)
    except SecnewsError as exc:
        report_error(exc)
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
