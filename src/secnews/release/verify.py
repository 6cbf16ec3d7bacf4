"""Verifying a release folder: every file's sha256 against SHA256SUMS and the release record.

A published version never changes, so any difference (a flipped byte, a missing shard, a stray file)
is reported with the file it concerns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from secnews.core.findings import Finding, make_finding
from secnews.core.paths import corpus_dir
from secnews.release.card import front_matter
from secnews.release.record import ReleaseRecord, read_record

SUMS_FILE = "SHA256SUMS"


def sha256_file(path: Path, bufsize: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(bufsize):
            h.update(chunk)
    return h.hexdigest()


def folder_checksums(folder: Path) -> dict[str, str]:
    """Relative POSIX path -> sha256 of every file of a release folder except SHA256SUMS, sorted."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            rel = p.relative_to(folder).as_posix()
            if rel != SUMS_FILE:
                out[rel] = sha256_file(p)
    return dict(sorted(out.items()))


def render_sums(sums: Mapping[str, str]) -> str:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(sums.items()))


def parse_sums(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            digest, _, path = line.partition("  ")
            out[path.lstrip("*")] = digest
    return out


def folder_version(folder: Path | str) -> str | None:
    """The version a release folder declares in its card (``secnews_release``)."""
    return front_matter(Path(folder) / "README.md").get("secnews_release") or None


def verify_release(
    folder: Path | str,
    record: ReleaseRecord | Path | str | None = None,
    records_dir: Path | str | None = None,
) -> list[Finding]:
    """Recompute every checksum of a release folder and compare with SHA256SUMS and the record.

    The record defaults to ``<records_dir>/<version>.json`` where the version is the one the
    folder's card declares (``corpus/releases`` by default). Returns the findings (empty = verified).
    """
    folder = Path(folder)
    if record is None:
        version = folder_version(folder) or folder.name
        base = Path(records_dir) if records_dir is not None else corpus_dir() / "releases"
        record_path = base / f"{version}.json"
        if not record_path.exists():
            return [
                make_finding(
                    "RELEASE_NO_RECORD", file=str(folder), detail=f"version {version} ({record_path})"
                )
            ]
        record = read_record(record_path)
    elif not isinstance(record, ReleaseRecord):
        record = read_record(record)
    actual = folder_checksums(folder)
    sums_path = folder / SUMS_FILE
    listed: dict[str, str] = {}
    if sums_path.exists():
        actual[SUMS_FILE] = sha256_file(sums_path)
        listed = parse_sums(sums_path.read_text(encoding="utf-8"))
    return [
        *_against_record(folder, record.files, actual),
        *_against_sums(sums_path, listed, record.files, actual),
        *(
            make_finding("RELEASE_EXTRA_FILE", file=str(folder / name), path=name, name=name)
            for name in sorted(set(actual) - set(record.files))
        ),
    ]


def _against_record(folder: Path, recorded: Mapping[str, str], actual: Mapping[str, str]) -> list[Finding]:
    """Recorded files that are missing or whose bytes changed."""
    findings = []
    for name, expected in sorted(recorded.items()):
        found = actual.get(name)
        if found is None:
            findings.append(
                make_finding("RELEASE_MISSING_FILE", file=str(folder / name), path=name, name=name)
            )
        elif found != expected:
            findings.append(
                make_finding(
                    "RELEASE_CHECKSUM_MISMATCH",
                    file=str(folder / name),
                    path=name,
                    name=name,
                    found=found[:16],
                    expected=expected[:16],
                    against="release record",
                )
            )
    return findings


def _against_sums(
    sums_path: Path, listed: Mapping[str, str], recorded: Mapping[str, str], actual: Mapping[str, str]
) -> list[Finding]:
    """Lines of SHA256SUMS that disagree with files matching the record: SHA256SUMS itself was edited."""
    findings = []
    for name, expected in sorted(listed.items()):
        found = actual.get(name)
        if found is not None and found != expected and recorded.get(name) == found:
            findings.append(
                make_finding(
                    "RELEASE_CHECKSUM_MISMATCH",
                    file=str(sums_path),
                    path=name,
                    name=name,
                    found=found[:16],
                    expected=expected[:16],
                    against=SUMS_FILE,
                )
            )
    return findings
