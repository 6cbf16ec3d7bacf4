"""Loading a built release the way its users will: every config with ``datasets``, every record set
with ``mlcroissant``, row counts per split held to the release record.

``release --verify`` runs this after the checksums: matching bytes do not prove a folder loads (a
zero-row shard once passed verification and broke ``load_dataset``). Both readers run offline.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path

from secnews.core.environ import environ_set
from secnews.core.findings import Finding, make_finding
from secnews.release.croissant import CROISSANT_FILE
from secnews.release.record import ReleaseRecord

Progress = Callable[[str], None] | None


def _offline() -> AbstractContextManager[None]:
    """No network for either reader, whatever the caller's environment says."""
    return environ_set({"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"})


def _expected(record: ReleaseRecord, config: str) -> dict[str, int]:
    """The non-empty splits of a config (empty ones have no shard and are not loadable by design)."""
    return {s: n for s, n in record.counts[config].items() if n > 0}


def _mismatch(reader: str, what: str, expected: Mapping[str, int], found: Mapping[str, int]) -> Finding:
    return make_finding(
        "RELEASE_LOAD_FAILED",
        reader=reader,
        what=what,
        detail=f"rows per split {dict(sorted(found.items()))}, the record says {dict(sorted(expected.items()))}",
    )


def check_datasets(folder: Path, record: ReleaseRecord, progress: Progress = None) -> list[Finding]:
    """``datasets.load_dataset(folder, config)`` for every config, into a throw-away cache."""
    import datasets

    findings: list[Finding] = []
    with _offline(), tempfile.TemporaryDirectory(prefix="secnews-verify-") as cache:
        for config in sorted(record.counts):
            if progress is not None:
                progress(f"datasets: {config}")
            expected = _expected(record, config)
            try:
                loaded = datasets.load_dataset(str(folder), config, cache_dir=cache)
            except Exception as exc:
                findings.append(
                    make_finding(
                        "RELEASE_LOAD_FAILED",
                        file=str(folder),
                        reader="datasets",
                        what=f"config {config}",
                        detail=f"{type(exc).__name__}: {exc}"[:500],
                    )
                )
                continue
            found = {s: loaded[s].num_rows for s in loaded}
            if found != expected:
                findings.append(_mismatch("datasets", f"config {config}", expected, found))
    return findings


def check_croissant(folder: Path, record: ReleaseRecord, progress: Progress = None) -> list[Finding]:
    """Every record set of ``croissant.json`` read whole with mlcroissant, counted by its split field."""
    import mlcroissant as mlc

    findings: list[Finding] = []
    with _offline():
        try:
            dataset = mlc.Dataset(jsonld=folder / CROISSANT_FILE)
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}"[:500]
            return [
                make_finding("RELEASE_LOAD_FAILED", reader="mlcroissant", what=CROISSANT_FILE, detail=detail)
            ]
        for config in sorted(record.counts):
            if progress is not None:
                progress(f"mlcroissant: {config}")
            found: Counter[str] = Counter()
            try:
                for rec in dataset.records(record_set=config):
                    split = rec.get(f"{config}/split")
                    found[split.decode() if isinstance(split, bytes) else str(split)] += 1
            except Exception as exc:
                findings.append(
                    make_finding(
                        "RELEASE_LOAD_FAILED",
                        reader="mlcroissant",
                        what=f"record set {config}",
                        detail=f"{type(exc).__name__}: {exc}"[:500],
                    )
                )
                continue
            expected = _expected(record, config)
            if dict(found) != expected:
                findings.append(_mismatch("mlcroissant", f"record set {config}", expected, found))
    return findings


def check_loads(folder: Path | str, record: ReleaseRecord, progress: Progress = None) -> list[Finding]:
    """Both readers; the findings (empty = every config and record set loads with the recorded rows)."""
    folder = Path(folder)
    return [*check_datasets(folder, record, progress), *check_croissant(folder, record, progress)]
