"""``secnews splits``: assign train/validation/test splits (frozen, group-aware) or check leakage."""

from __future__ import annotations

import json
from pathlib import Path

import click

from secnews.cli.options import format_option, paths_argument, records_option
from secnews.core.paths import corpus_dir, documents_dir


@click.command()
@paths_argument()
@click.option(
    "--manifest",
    type=click.Path(path_type=Path),
    default=None,
    help="Split manifest (default: corpus/splits.tsv).",
)
@click.option(
    "--scheme", type=click.Choice(["hash", "temporal"]), default=None, help="Default: the manifest's (hash)."
)
@click.option(
    "--ratios", default=None, help="train/validation/test, e.g. 80/10/10 (default: the manifest's)."
)
@click.option("--seed", type=int, default=None, help="Seed of the group hash (default: the manifest's, 0).")
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Near-duplicate word 3-gram Jaccard (default: the manifest's, 0.6).",
)
@records_option()
@click.option(
    "--line",
    type=int,
    default=None,
    help="Release line (major version) whose released rows stay frozen; a new line re-deals every document.",
)
@click.option(
    "--cover",
    type=int,
    default=None,
    help="Every event type with at least this many gold mentions gets a test document (0: off).",
)
@click.option("--check", is_flag=True, help="Report leakage (near-duplicates across splits); exit 1 if any.")
@click.option("--dry-run", is_flag=True, help="Print the counts, do not write the manifest.")
@format_option("text", "json")
def command(
    paths: tuple[Path, ...],
    manifest: Path | None,
    scheme: str | None,
    ratios: str | None,
    seed: int | None,
    threshold: float | None,
    records_dir: Path | None,
    line: int | None,
    cover: int | None,
    check: bool,
    dry_run: bool,
    fmt: str,
) -> None:
    """Assign splits to the releasable documents (gold set, valid, known licence) in the manifest.

    Released rows never move; the others are (re)assigned deterministically, near-duplicates and
    reports of the same event together, stratified by event type and source.

    \b
    Examples:
      secnews splits                       # update corpus/splits.tsv
      secnews splits --scheme temporal --ratios 70/15/15 --dry-run
      secnews splits --check               # leakage pairs with their Jaccard similarity
      secnews splits --line 1 --ratios 70/10/20 --cover 20   # start release line 1.x
    """
    from secnews.model.document import read_document
    from secnews.release.record import frozen_from_records, list_records, merge_records_into_manifest
    from secnews.release.scan import scan_corpus
    from secnews.release.splits import (
        assign_splits,
        check_leakage,
        read_manifest,
        split_counts,
        write_manifest,
    )

    manifest_path = manifest or corpus_dir() / "splits.tsv"
    scans = scan_corpus(list(paths) or [documents_dir()])
    metas = [s.meta for s in scans if s.eligible and s.meta is not None]
    read = read_manifest(manifest_path)
    if line is not None:
        read.params.line = line
    current = merge_records_into_manifest(
        read, frozen_from_records(list_records(records_dir or corpus_dir() / "releases"), read.params.line)
    )
    if check:
        path_of = {s.id: s.path for s in scans}
        leaks = check_leakage(
            metas, current, threshold, text_of=lambda i: read_document(Path(path_of[i]))["text"]
        )
        if fmt == "json":
            click.echo(json.dumps([p.to_dict() for p in leaks], indent=1))
        else:
            for p in leaks:
                click.echo(
                    f"{p.a} ({p.split_a})  {p.b} ({p.split_b})  Jaccard {p.similarity:.3f}  {p.reason}"
                )
            click.echo(
                f"{len(leaks)} leaking pairs among {len(current.entries)} documents of {manifest_path}"
            )
        raise SystemExit(1 if leaks else 0)
    new = assign_splits(
        metas, current, ratios=ratios, scheme=scheme, seed=seed, threshold=threshold, line=line, cover=cover
    )
    counts = split_counts(new)
    excluded = sum(1 for s in scans if not s.eligible)
    if fmt == "json":
        click.echo(json.dumps({"counts": counts, "excluded": excluded, "params": new.params.to_dict()}))
    else:
        click.echo(
            ", ".join(f"{k}: {v}" for k, v in counts.items())
            + f" ({excluded} documents not releasable: no gold set, invalid or licence unknown)"
        )
    if not dry_run:
        write_manifest(new, manifest_path)
        if fmt == "text":
            click.echo(f"wrote {manifest_path}")
