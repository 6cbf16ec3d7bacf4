"""The validator: JSON Schema structure first, then the semantic checks of schema v1, over files.

Each check lives with the rules it enforces (:mod:`secnews.validate.structure`, ``document``,
``labels``, ``references``, ``spans``, ``events``, ``attributions``, ``timexes``, ``relations``);
this module only decides the order they run in. Semantic checks run on structurally valid documents:
on a broken structure they would only repeat the structural error in worse words.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secnews.core.findings import Finding, Rule, SecnewsError, make_finding, register
from secnews.core.fs import gc_free_worker, without_cyclic_gc
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.model import timex3 as tx
from secnews.model.document import iter_document_files, parse_document_bytes, read_document
from secnews.validate.attributions import attributions
from secnews.validate.cache import Stamp, VerdictCache, content_hash, open_cache
from secnews.validate.check import Check, Context, SetScope
from secnews.validate.document import annotation_sets, file_name, published, set_header, text
from secnews.validate.events import events
from secnews.validate.guidelines import (
    attribution_parts,
    event_targets_and_types,
    span_words,
    word_boundaries,
)
from secnews.validate.labels import labels
from secnews.validate.references import index_records, record_ids
from secnews.validate.relations import relations
from secnews.validate.spans import entities
from secnews.validate.structure import structure, structure_is_valid
from secnews.validate.timexes import timexes

register(
    Rule(
        "NO_DOCUMENTS",
        "No documents",
        "error",
        "no document (*.json) found under {paths}",
        "A CI gate that validates nothing must not pass: a wrong path or an empty checkout would look "
        "valid. `secnews validate --allow-empty` accepts an empty corpus (a new project).",
        "input",
    ),
)

#: checks of a structurally valid document as a whole, in the order their findings are reported
DOCUMENT_CHECKS: tuple[Check[dict[str, Any]], ...] = (text, published, annotation_sets)
#: checks of each annotation set of a structurally valid document
SET_CHECKS: tuple[Check[SetScope], ...] = (
    set_header,
    labels,
    record_ids,
    entities,
    events,
    attributions,
    timexes,
    relations,
    word_boundaries,
    span_words,
    attribution_parts,
    event_targets_and_types,
)
#: every check the validator runs (``file_name`` and ``structure`` run on any input)
CHECKS: tuple[Check[Any], ...] = (file_name, structure, *DOCUMENT_CHECKS, *SET_CHECKS)


def validate_document(
    doc: Any, *, file: str | None = None, taxonomy: Taxonomy | None = None
) -> list[Finding]:
    """Every finding for one parsed document (structure, then meaning). Never raises on bad input."""
    doc_id = doc.get("id") if isinstance(doc, dict) else None
    ctx = Context(file, doc_id if isinstance(doc_id, str) else None, [], taxonomy or load_taxonomy())
    file_name.run(ctx, doc)
    if not isinstance(doc, dict) or not structure_is_valid(doc):
        structure.run(ctx, doc)
        return ctx.findings
    for doc_check in DOCUMENT_CHECKS:
        doc_check.run(ctx, doc)
    dct = tx.parse_dct(doc["meta"]["published"])
    for i, ann in enumerate(doc["annotations"]):
        ctx.set_index, ctx.set_id = i, ann["id"]
        scope = SetScope(doc["text"], ann, *index_records(ann), dct)
        for set_check in SET_CHECKS:
            set_check.run(ctx, scope)
    return ctx.findings


@dataclass
class ValidationReport:
    """The validator's verdict over many files (frictionless-style: valid, stats, findings)."""

    valid: bool = True
    stats: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "stats": self.stats, "findings": [f.to_dict() for f in self.findings]}


def validate_file(path: Path) -> list[Finding]:
    """Findings for one file; unreadable (missing) or malformed files become findings too."""
    try:
        doc = read_document(path)
    except SecnewsError as exc:
        return exc.findings
    return validate_document(doc, file=str(path))


def _check_file(item: tuple[Path, Stamp | None]) -> tuple[Stamp | None, list[Finding] | None]:
    """(the file's stamp, its findings); findings are None when its bytes hash to the ``known``
    stamp's hash. Runs in the worker: the read and the hash are spread over the pool."""
    path, known = item
    try:
        st = os.stat(path)
        data = path.read_bytes()
    except OSError:
        return None, validate_file(path)  # the same UNREADABLE_FILE finding, never cached
    stamp = (content_hash(data), st.st_mtime_ns, st.st_size)
    if known is not None and stamp[0] == known[0]:
        return stamp, None
    try:
        doc = parse_document_bytes(data, path)
    except SecnewsError as exc:
        return stamp, exc.findings
    return stamp, validate_document(doc, file=str(path))


def _unchanged(path: Path, known: Stamp | None) -> bool:
    """Whether the file's mtime and size are those stored with its verdict: no need to read it."""
    if known is None:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_mtime_ns, st.st_size) == known[1:]


def _findings_stream(files: Iterable[Path], jobs: int, cache: VerdictCache | None) -> Iterator[list[Finding]]:
    """Findings per file, in file order; with ``jobs > 1`` files are spread over worker processes.

    With a cache, a file whose bytes are unchanged keeps its stored findings: the parent stats every
    file and hands the workers only the others (none at all: no pool is started).
    """
    if cache is None:
        if jobs <= 1:
            yield from map(validate_file, files)
            return
        with _pool(jobs) as pool:
            yield from pool.imap(validate_file, files, chunksize=256)
        return
    items = [(p, cache.known(p)) for p in files]
    fresh = [_unchanged(p, known) for p, known in items]
    pending = [item for item, ok in zip(items, fresh, strict=True) if not ok]
    if jobs <= 1 or len(pending) < 2 * jobs:
        yield from _through_cache(items, fresh, map(_check_file, pending), cache)
        return
    with _pool(jobs) as pool:
        yield from _through_cache(items, fresh, pool.imap(_check_file, pending, chunksize=64), cache)


def _through_cache(
    items: list[tuple[Path, Stamp | None]],
    fresh: list[bool],
    results: Iterator[tuple[Stamp | None, list[Finding] | None]],
    cache: VerdictCache,
) -> Iterator[list[Finding]]:
    """Merge, in file order, the stored verdicts of fresh files and the results for the others."""
    for (path, known), ok in zip(items, fresh, strict=True):
        stamp, found = (known, None) if ok else next(results)
        if found is None and stamp is not None:
            found = cache.findings(path, stamp)
            if found is not None:
                yield found
                continue
            stamp, found = _check_file((path, None))  # an unreadable entry: validate the file here
        found = found or []
        if stamp is not None:
            cache.store(path, stamp, found)
        yield found


def _pool(jobs: int) -> Any:
    import multiprocessing as mp  # only a parallel run pays for it

    return mp.get_context("fork").Pool(jobs, initializer=gc_free_worker)


def validate_paths(
    paths: Iterable[Path | str],
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    cache: VerdictCache | None = None,
    allow_empty: bool = True,
) -> ValidationReport:
    """Validate every document file under ``paths`` (streamed: one document per worker in memory).

    With a ``cache`` (:func:`open_verdict_cache`), unchanged files keep their stored findings and
    the cache is updated (the caller saves it); the report counts them in ``stats["cached"]``.
    A path that does not exist is reported as an unreadable file; finding no document at all is a
    ``NO_DOCUMENTS`` error unless ``allow_empty``.
    """
    started = time.perf_counter()
    paths = list(paths)
    load_taxonomy()  # a broken project is a coded error even when there is nothing to validate
    report = ValidationReport()
    by_code: Counter[str] = Counter()
    files = 0
    with without_cyclic_gc():
        for found in _findings_stream(iter_document_files(paths), jobs, cache):
            files += 1
            if found:
                report.findings.extend(found)
                by_code.update(f.code for f in found)
            if progress:
                progress(1)
    if files == 0 and not allow_empty:
        none = make_finding("NO_DOCUMENTS", paths=", ".join(map(str, paths)))
        report.findings.append(none)
        by_code[none.code] += 1
    errors = sum(1 for f in report.findings if f.severity == "error")
    report.valid = errors == 0
    report.stats = {
        "files": files,
        "errors": errors,
        "warnings": len(report.findings) - errors,
        "by_code": dict(sorted(by_code.items())),
        "seconds": round(time.perf_counter() - started, 3),
    }
    if cache is not None:
        report.stats["cached"] = cache.hits
    return report


#: every code a file's verdict may contain (the cache's fingerprint covers these rules)
VERDICT_CODES: tuple[str, ...] = (
    "UNREADABLE_FILE",
    "BAD_ENCODING",
    "MALFORMED_JSON",
    "NOT_AN_OBJECT",
    *sorted({code for chk in CHECKS for code in chk.codes}),
)


def open_verdict_cache(directory: Path | None = None) -> VerdictCache:
    """The verdict cache of this validator (``.secnews_cache/`` unless ``directory`` is given)."""
    return open_cache(VERDICT_CODES, directory)
