"""``secnews release``: build, verify and publish a versioned release."""

from __future__ import annotations

import time
from pathlib import Path

import click

from secnews.cli.options import records_option
from secnews.core.findings import SecnewsError
from secnews.core.paths import corpus_dir, documents_dir, project_root

#: what the build's progress steps mean, as the release command prints them
STEP_WORDS = {"scanned": "scanned", "planned": "split", "parquet": "wrote Parquet of"}


@click.command()
@click.argument("version", required=False)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Default: releases/VERSION.")
@click.option(
    "--documents",
    "docs_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Default: corpus/documents.",
)
@click.option(
    "--verify", "verify_dir", type=click.Path(path_type=Path), default=None, help="Verify a built folder."
)
@click.option(
    "--push", "repo_id", default=None, help="Upload to this Hub dataset repo and tag it (token: HF_TOKEN)."
)
@click.option("--date", default=None, help="Release date YYYY-MM-DD (default: the record's, else today).")
@click.option(
    "--force", is_flag=True, help="Rebuild a recorded version whose content changed (never a published one)."
)
@click.option("--max-shard-rows", type=click.IntRange(min=1), default=None, help="Rows per Parquet shard.")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes for scanning and building."
)
@records_option()
@click.option("--manifest", type=click.Path(path_type=Path), default=None, help="Default: corpus/splits.tsv.")
@click.option("--no-datasheet", is_flag=True, help="Do not regenerate DATASHEET.md's generated blocks.")
@click.option(
    "--notes",
    "notes_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Markdown file: what changed in this version and why (recorded; in CHANGELOG.md and the card). "
    "A rebuild keeps the recorded notes.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Validate every document again instead of reusing `secnews validate`'s verdicts of unchanged files.",
)
@click.option(
    "--no-load",
    is_flag=True,
    help="With --verify: checksums only, without loading every config and record set.",
)
def command(
    version: str | None,
    out: Path | None,
    docs_dir: Path | None,
    verify_dir: Path | None,
    repo_id: str | None,
    date: str | None,
    force: bool,
    max_shard_rows: int | None,
    jobs: int | None,
    records_dir: Path | None,
    manifest: Path | None,
    no_datasheet: bool,
    notes_file: Path | None,
    no_cache: bool,
    no_load: bool,
) -> None:
    """Build release VERSION into releases/VERSION (Parquet, card, Croissant, SHA256SUMS, CHANGELOG).

    \b
    Examples:
      secnews release 0.1.0                          # build (idempotent: same inputs, same bytes)
      secnews validate && secnews release 0.1.0      # the scan reuses validate's verdicts of unchanged files
      secnews release 1.0.2 --notes corpus/releases/1.0.2.notes.md   # what changed, in CHANGELOG and card
      secnews release --verify releases/0.1.0        # checksums, then load it with datasets and mlcroissant
      secnews release --verify releases/0.1.0 --no-load   # checksums only
      HF_TOKEN=... secnews release 0.1.0 --push org/secnews-fr
    """
    from secnews.release.build import build_release
    from secnews.release.verify import verify_release

    if verify_dir is not None:
        findings = verify_release(verify_dir, records_dir=records_dir)
        if findings:
            raise SecnewsError(*findings)
        click.echo(f"{verify_dir}: every checksum matches the release record")
        if not no_load:
            _check_loads(verify_dir, records_dir)
        if version is None:
            return
    if version is None:
        raise click.UsageError("give a VERSION to build or push, or --verify DIR")
    folder = out or project_root() / "releases" / version
    started = time.perf_counter()

    def step(name: str, n: int) -> None:  # a large release takes tens of seconds: say where it is
        click.echo(
            f"  {STEP_WORDS.get(name, name)} {n} documents ({time.perf_counter() - started:.1f} s)", err=True
        )

    record = build_release(
        version,
        docs_dir or documents_dir(),
        folder,
        records_dir=records_dir or corpus_dir() / "releases",
        manifest_path=manifest or corpus_dir() / "splits.tsv",
        date=date,
        force=force,
        max_shard_rows=max_shard_rows,
        jobs=jobs,
        datasheet=None if no_datasheet or out is not None else _datasheet(),
        use_cache=not no_cache,
        notes=notes_file.read_text(encoding="utf-8") if notes_file is not None else None,
        progress=step,
    )
    docs = record.statistics["documents"]
    click.echo(
        f"release {record.version} ({record.date}): "
        + ", ".join(f"{s} {docs.get(s, 0)}" for s in ("train", "validation", "test"))
        + f" documents; {len(record.excluded)} excluded; {folder} in {time.perf_counter() - started:.1f} s"
    )
    if repo_id is not None:
        from secnews.release.publish import push_release

        result = push_release(folder, repo_id, version=version, records_dir=records_dir)
        click.echo(f"pushed {folder} to {repo_id} and tagged {result.version} ({result.commit})")


def _datasheet() -> Path | None:
    """The project's DATASHEET.md, whose generated blocks a release refreshes (a new project has none)."""
    path = project_root() / "DATASHEET.md"
    return path if path.exists() else None


def _check_loads(folder: Path, records_dir: Path | None) -> None:
    """Load the verified folder with both readers its users have; raise the coded findings if any fails."""
    from secnews.release.loadcheck import check_loads
    from secnews.release.record import read_record
    from secnews.release.verify import folder_version

    version = folder_version(folder) or folder.name
    record = read_record((records_dir or corpus_dir() / "releases") / f"{version}.json")
    findings = check_loads(folder, record, progress=lambda step: click.echo(f"  loading ({step})", err=True))
    if findings:
        raise SecnewsError(*findings)
    configs = ", ".join(sorted(record.counts))
    click.echo(
        f"{folder}: every config loads with datasets and every record set with mlcroissant ({configs})"
    )
