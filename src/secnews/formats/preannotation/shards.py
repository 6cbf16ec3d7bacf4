"""Output shards: named after their input shard, written atomically, the annotations file last.

``OUT/documents/<name>``, ``OUT/findings/<name>`` then ``OUT/annotations/<name>``: the folder is a
Parquet "Hub folder" that ``secnews convert`` and ``secnews ls export`` read as it is (documents and
annotations shards of one name align row for row). A shard counts as done once its annotations file
exists; each file is renamed into place whole, so a job killed at any moment leaves either a done
shard or one a rerun redoes, never a partial or duplicated one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from secnews.formats.parquet import write_parquet
from secnews.formats.preannotation.batch import FINDINGS_SCHEMA, DocResult
from secnews.formats.rows import Row

TABLES = ("documents", "findings", "annotations")  # in writing order: annotations marks a shard done


@dataclass(frozen=True)
class ShardOutput:
    """The three output files of one input shard."""

    out: Path
    name: str

    def path(self, table: str) -> Path:
        return self.out / table / self.name

    @property
    def done(self) -> bool:
        return self.path("annotations").exists()


def clear_stale(out: Path) -> int:
    """Remove temporary files a killed run left behind (``.<shard>.*.tmp``, ours only); returns how many."""
    stale = [t for table in TABLES for t in (out / table).glob(".*.parquet.*.tmp")]
    for t in stale:
        t.unlink(missing_ok=True)
    return len(stale)


def pending(inputs: Iterable[Path], out: Path) -> tuple[list[Path], list[Path]]:
    """The input shards still to do and those already done (their output's annotations file exists)."""
    todo: list[Path] = []
    done: list[Path] = []
    for p in inputs:
        (done if ShardOutput(out, p.name).done else todo).append(p)
    return todo, done


def write_shard(out: Path, name: str, results: list[DocResult]) -> None:
    """Write one shard's three files; the annotations file, written last, commits the shard."""
    target = ShardOutput(out, name)
    documents: list[Row] = []
    annotations: list[Row] = []
    findings: list[Row] = []
    for r in results:
        if r.document is not None and r.annotation is not None:
            documents.append(r.document)
            annotations.append(r.annotation)
        findings.extend(r.findings)
    write_parquet(documents, target.path("documents"), "documents")
    write_parquet(findings, target.path("findings"), "findings", schema=FINDINGS_SCHEMA)
    write_parquet(annotations, target.path("annotations"), "annotations")
