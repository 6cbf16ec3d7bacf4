"""Scanning the corpus: which documents a release may hold (valid, gold, licensed) and their split metadata.

A scan keeps no text, so 100k of them fit in memory; large corpora are scanned in worker processes.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from secnews.core.findings import Finding, SecnewsError
from secnews.core.fs import gc_free_worker, without_cyclic_gc
from secnews.model.document import (
    Document,
    annotation_set,
    gold_set,
    iter_document_files,
    parse_document_bytes,
)
from secnews.release.splits import DocMeta, doc_meta, prepare_minhash
from secnews.release.workers import fork_map
from secnews.validate.cache import Verdict, content_hash, stored_findings
from secnews.validate.engine import validate_document

UNKNOWN_LICENSE = "unknown"
#: the two independent passes the card compares on the test split (pass-1/pass-2 agreement)
AGREEMENT_SETS = ("pass-1", "pass-2")
#: below this many files, scanning runs in-process (a worker pool costs more than it saves)
POOL_MIN_FILES = 2000


@dataclass
class Scan:
    """One document as the release sees it (small: no text kept)."""

    id: str
    path: str
    reasons: list[str]
    digest: str
    meta: DocMeta | None
    license: str | None = None
    source: str | None = None
    collection: str | None = None
    title: str | None = None
    url: str | None = None
    attribution: str | None = None
    #: the gold set's ``countries`` label (the card's composition), kept so the card need not read
    #: every document a third time
    countries: tuple[str, ...] = ()
    #: the document holds both :data:`AGREEMENT_SETS`: the card reads it again for their agreement
    #: (only those: re-reading a 10k-document test split cost more than a second of the build)
    compared: bool = False

    @property
    def eligible(self) -> bool:
        return not self.reasons


def exclusion_reasons(doc: Document, findings: Sequence[Finding] | None = None) -> list[str]:
    """Why a document cannot be released (empty: it can): invalid, no gold set, licence unknown."""
    findings = validate_document(doc) if findings is None else findings
    reasons = []
    if any(f.severity == "error" for f in findings):
        codes = sorted({f.code for f in findings if f.severity == "error"})
        reasons.append("invalid (" + ", ".join(codes) + ")")
    if isinstance(doc, dict) and gold_set(doc) is None:
        reasons.append("no gold set")
    meta = doc.get("meta") if isinstance(doc, dict) else None
    if not isinstance(meta, dict) or str(meta.get("license", UNKNOWN_LICENSE)).lower() in (
        "",
        UNKNOWN_LICENSE,
    ):
        reasons.append("licence unknown (cannot be redistributed until cleared)")
    return reasons


def document_digest(doc: Document) -> str:
    return hashlib.sha256(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)).hexdigest()


def scan_file(path: Path | str, verdict: Verdict | None = None) -> Scan:
    """Read, validate and summarise one document file (runs in worker processes).

    ``verdict``: what ``secnews validate`` stored for this path (its verdict cache); when the file's
    bytes still hash to it, its findings are reused instead of validating again (the same findings:
    the cache is keyed by the validator's rules and the content).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return _unreadable(path, "UNREADABLE_FILE")
    try:
        doc = parse_document_bytes(data, path)
    except SecnewsError as exc:
        return _unreadable(path, ", ".join(sorted({f.code for f in exc.findings})))
    findings = _stored(verdict, data) if verdict is not None else None
    if findings is None:
        findings = validate_document(doc, file=str(path))
    reasons = exclusion_reasons(doc, findings)
    raw_meta, raw_id = doc.get("meta"), doc.get("id")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    doc_id = raw_id if isinstance(raw_id, str) else path.stem
    return Scan(
        id=doc_id,
        path=str(path),
        reasons=reasons,
        digest=document_digest(doc),
        meta=doc_meta(doc) if not reasons else None,
        license=meta.get("license"),
        source=meta.get("source"),
        collection=meta.get("collection"),
        title=meta.get("title"),
        url=meta.get("url"),
        attribution=meta.get("attribution"),
        countries=_gold_countries(doc),
        compared=all(annotation_set(doc, s) is not None for s in AGREEMENT_SETS),
    )


def _gold_countries(doc: Document) -> tuple[str, ...]:
    labels = (gold_set(doc) or {}).get("labels") or {}
    named = labels.get("countries") if isinstance(labels, dict) else None
    return tuple(c for c in named if isinstance(c, str)) if isinstance(named, list) else ()


def _unreadable(path: Path, codes: str) -> Scan:
    return Scan(id=path.stem, path=str(path), reasons=[f"unreadable ({codes})"], digest="", meta=None)


def _stored(verdict: Verdict, data: bytes) -> list[Finding] | None:
    """The stored findings when the bytes are those they were found in; else None (validate)."""
    digest, found = verdict
    return stored_findings(found) if content_hash(data) == digest else None


def scan_order(paths: Iterable[Path | str]) -> list[Path]:
    """The document files under ``paths`` in the order a release scans them (by name, then path)."""
    return sorted(iter_document_files(paths), key=lambda p: (p.name, str(p)))


def scan_corpus(paths: Iterable[Path | str], jobs: int | None = None) -> list[Scan]:
    """Scan every document file under ``paths`` (sorted), in parallel on large corpora."""
    return scan_files(scan_order(paths), jobs)


#: what the forked scan workers read: the files and the verdict lookup, inherited at fork (sending
#: each worker its paths and verdicts, pickled one by one, kept the parent busy for seconds)
_SCAN_INPUT: tuple[Sequence[Path], Callable[[Path], Verdict | None] | None] | None = None
#: files per worker task: results come back in batches of this many scans
SCAN_BATCH = 512


def scan_files(
    files: Sequence[Path],
    jobs: int | None,
    verdicts: Callable[[Path], Verdict | None] | None = None,
) -> list[Scan]:
    """Scan ``files`` in order, in forked worker processes when there are enough of them.

    ``verdicts`` gives the stored verdict of a file (the validator's cache), checked in the worker.
    """
    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    if jobs <= 1 or len(files) < POOL_MIN_FILES:
        with without_cyclic_gc():
            return [scan_file(p, verdicts(p) if verdicts is not None else None) for p in files]
    prepare_minhash()
    global _SCAN_INPUT
    _SCAN_INPUT = (files, verdicts)
    try:
        batches = fork_map(
            _scan_batch, range(0, len(files), SCAN_BATCH), jobs, gc_free_worker, "a scan worker"
        )
        return [scan for batch in batches for scan in batch]
    finally:
        _SCAN_INPUT = None


def _scan_batch(first: int) -> list[Scan]:
    """The scans of ``SCAN_BATCH`` files from index ``first`` (runs in a forked worker)."""
    if _SCAN_INPUT is None:  # only ever called through scan_files' pool, which sets it before the fork
        raise RuntimeError("_scan_batch runs in scan_files' workers")
    files, verdicts = _SCAN_INPUT
    return [
        scan_file(p, verdicts(p) if verdicts is not None else None) for p in files[first : first + SCAN_BATCH]
    ]


def sources_summary(scans: Iterable[Scan]) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for s in scans:
        counts[(s.source or "", s.collection or "", s.license or "")] += 1
    return [
        {"source": src, "collection": col or None, "license": lic, "documents": n}
        for (src, col, lic), n in sorted(counts.items())
    ]
