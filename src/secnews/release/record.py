"""Release records (``corpus/releases/<version>.json``): versions, reading, and the splits they freeze.

A record is what a release promises: the files and their checksums, the documents and their splits.
Every later step (building the next version, verifying a folder, the card, the datasheet, the
Croissant metadata) starts from records, so this module depends on nothing else of the release.
It also holds the catalogue of the release's coded findings, so any module that reports one has them
registered by importing the record it reports about.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.release.splits import Entry, Manifest

RECORD_FORMAT = 1
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")

register(
    Rule(
        "RELEASE_BAD_VERSION",
        "Bad release version",
        "error",
        "version {version!r}: {detail}",
        "Versions are semantic (MAJOR.MINOR.PATCH): major for a schema change that breaks loading, minor for "
        "new or removed documents or labels, patch for corrections.",
        "release",
    ),
    Rule(
        "RELEASE_VERSION_EXISTS",
        "Released version would change",
        "error",
        "version {version} is already recorded with different content ({detail}); a published version never "
        "changes: release a new version, or pass --force if {version} was never published",
        "Researchers cite a version and expect it never to change.",
        "release",
    ),
    Rule(
        "RELEASE_NO_DOCUMENTS",
        "Nothing to release",
        "error",
        "no document is releasable (gold set, valid, known licence): {detail}",
        "A release holds only gold, valid, redistributable documents.",
        "release",
    ),
    Rule(
        "RELEASE_SPLIT_MOVED",
        "Released document changed split",
        "error",
        "{doc} was released in {was} by {version} and would now be in {now}",
        "A later version must never move a released document between splits.",
        "release",
    ),
    Rule(
        "RELEASE_NO_RECORD",
        "No release record",
        "error",
        "no release record for {detail}",
        "Verification compares a folder with the record written when the release was built.",
        "release",
    ),
    Rule(
        "RELEASE_CHECKSUM_MISMATCH",
        "Checksum mismatch",
        "error",
        "{name}: sha256 {found} differs from the {against} ({expected})",
        "A released file differs from the bytes recorded when the release was built.",
        "release",
    ),
    Rule(
        "RELEASE_MISSING_FILE",
        "Released file missing",
        "error",
        "{name} is recorded in the release but missing from the folder",
        "Every file of a release is recorded with its checksum.",
        "release",
    ),
    Rule(
        "RELEASE_EXTRA_FILE",
        "Unrecorded file in release",
        "error",
        "{name} is in the folder but not in the release record",
        "A release folder holds exactly the recorded files (no caches, no stray edits).",
        "release",
    ),
    Rule(
        "RELEASE_LOAD_FAILED",
        "Release does not load",
        "error",
        "{reader} cannot load {what}: {detail}",
        "Checksums prove the bytes are the recorded ones, not that users can read them: a zero-row "
        "shard passed verification while datasets.load_dataset failed on it.",
        "release",
    ),
    Rule(
        "RELEASE_BUILD_FAILED",
        "Release build process died",
        "error",
        "{process} {detail}; nothing was written",
        "A large release scans and builds in worker processes; one that is killed (out of memory, a "
        "signal) fails the release with this error instead of a hang or a traceback, and leaves no "
        "half-built folder.",
        "release",
    ),
    Rule(
        "RELEASE_CROISSANT_INVALID",
        "Invalid Croissant metadata",
        "error",
        "croissant.json does not validate: {detail}",
        "Croissant metadata is validated with mlcroissant before a release is written.",
        "release",
    ),
    Rule(
        "RELEASE_NO_TOKEN",
        "No Hugging Face token",
        "error",
        "set HF_TOKEN to push a release (the token is read from the environment only)",
        "Tokens never appear on a command line or in logs.",
        "release",
    ),
    Rule(
        "RELEASE_DATASHEET_MARKERS",
        "Datasheet markers missing",
        "warning",
        "{datasheet} has no '<!-- BEGIN GENERATED: {section} -->' ... '<!-- END GENERATED: {section} -->' block; left unchanged",
        "Only the generated blocks of DATASHEET.md are rewritten; the hand-written parts are kept.",
        "release",
    ),
)


# --------------------------------------------------------------------------- versions


def parse_version(version: str) -> tuple[int, int, int]:
    m = SEMVER_RE.match(version or "")
    if not m:
        raise SecnewsError(
            make_finding(
                "RELEASE_BAD_VERSION", version=version, detail="expected MAJOR.MINOR.PATCH, e.g. 0.1.0"
            )
        )
    return int(m[1]), int(m[2]), int(m[3])


def bump_kind(old: str, new: str) -> str | None:
    """``major``, ``minor`` or ``patch`` (the highest component that grew), None if not greater."""
    a, b = parse_version(old), parse_version(new)
    if b <= a:
        return None
    if b[0] > a[0]:
        return "major"
    return "minor" if b[1] > a[1] else "patch"


BUMP_RANK = {"patch": 0, "minor": 1, "major": 2}


def required_bump(prev: ReleaseRecord, new: ReleaseRecord) -> str:
    """The smallest bump the change needs: major (schema major), minor (documents in/out, labels), patch."""
    old_schema, new_schema = parse_version(prev.schema_version), parse_version(new.schema_version)
    if new_schema[0] != old_schema[0]:
        return "major"
    if new_schema != old_schema or set(prev.documents) != set(new.documents):
        return "minor"
    old_labels = prev.statistics.get("labels", {}).get("all", {})
    new_labels = new.statistics.get("labels", {}).get("all", {})
    for layer in set(old_labels) | set(new_labels):
        if set(old_labels.get(layer, {})) != set(new_labels.get(layer, {})):
            return "minor"  # a label type appears or disappears
    return "patch"


# --------------------------------------------------------------------------- records


@dataclass
class ReleaseRecord:
    """``corpus/releases/<version>.json``: everything needed to verify and compare releases."""

    version: str
    date: str
    schema_version: str
    previous: str | None
    splits: dict[str, list[str]]
    documents: dict[str, str]  # doc id -> sha256 of the canonical document
    files: dict[str, str]  # relative path -> sha256
    counts: dict[str, dict[str, int]]  # config -> split -> rows
    statistics: dict[str, Any]
    excluded: list[dict[str, Any]]
    split_params: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    format: int = RECORD_FORMAT
    #: the maintainers' account of what changed and why (Markdown), in the CHANGELOG and the card;
    #: kept out of the JSON when empty, so records written before it keep their bytes
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        extra = {"notes": self.notes} if self.notes else {}
        return {
            **extra,
            "format": self.format,
            "version": self.version,
            "date": self.date,
            "schema_version": self.schema_version,
            "previous": self.previous,
            "split_params": self.split_params,
            "counts": self.counts,
            "statistics": self.statistics,
            "sources": self.sources,
            "excluded": self.excluded,
            "files": self.files,
            "splits": self.splits,
            "documents": self.documents,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ReleaseRecord:
        return cls(
            version=d["version"],
            date=d["date"],
            schema_version=d["schema_version"],
            previous=d.get("previous"),
            splits={s: list(v) for s, v in d["splits"].items()},
            documents=dict(d.get("documents", {})),
            files=dict(d["files"]),
            counts=d.get("counts", {}),
            statistics=d.get("statistics", {}),
            excluded=list(d.get("excluded", [])),
            split_params=d.get("split_params", {}),
            sources=list(d.get("sources", [])),
            format=d.get("format", RECORD_FORMAT),
            notes=str(d.get("notes") or ""),
        )

    def split_of(self) -> dict[str, str]:
        return {doc_id: s for s, ids in self.splits.items() for doc_id in ids}


def dumps_record(record: ReleaseRecord) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_record(path: Path | str) -> ReleaseRecord:
    path = Path(path)
    try:
        return ReleaseRecord.from_dict(orjson.loads(path.read_bytes()))
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise SecnewsError(
            make_finding("RELEASE_NO_RECORD", file=str(path), detail=f"{path} ({exc})")
        ) from None


def list_records(records_dir: Path | str) -> list[ReleaseRecord]:
    """Every record under ``records_dir``, oldest version first."""
    records_dir = Path(records_dir)
    if not records_dir.is_dir():
        return []
    found = []
    for p in records_dir.glob("*.json"):
        if SEMVER_RE.match(p.stem):
            found.append(read_record(p))
    return sorted(found, key=lambda r: parse_version(r.version))


# --------------------------------------------------------------------------- splits frozen by records


def frozen_from_records(
    records: Sequence[ReleaseRecord], line: int | None = None
) -> dict[str, tuple[str, str]]:
    """doc id -> (split, first version) from every record (of release line ``line`` when given), oldest first."""
    out: dict[str, tuple[str, str]] = {}
    for rec in records:
        if line is not None and parse_version(rec.version)[0] != line:
            continue
        for doc_id, split in rec.split_of().items():
            out.setdefault(doc_id, (split, rec.version))
    return out


def merge_records_into_manifest(manifest: Manifest, frozen: Mapping[str, tuple[str, str]]) -> Manifest:
    entries = dict(manifest.entries)
    for doc_id, (split, version) in frozen.items():
        e = entries.get(doc_id)
        if e is not None and e.released is not None and e.split != split:
            raise SecnewsError(
                make_finding("RELEASE_SPLIT_MOVED", doc=doc_id, was=split, version=version, now=e.split)
            )
        entries[doc_id] = Entry(split, version, e.group if e else None)
    return Manifest(entries=entries, params=manifest.params)
