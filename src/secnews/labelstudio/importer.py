"""Label Studio full JSON export -> canonical documents, streamed, validated, merged.

This module ties the steps together: the export is read task by task
(:mod:`secnews.labelstudio.export_reader`), each task becomes a document
(:mod:`secnews.labelstudio.tasks`), which is merged with the corpus copy
(:mod:`secnews.labelstudio.merge`) and validated by :func:`secnews.validate.engine.validate_document`.
Changed documents are staged next to the corpus (:mod:`secnews.labelstudio.staging`) and moved into
place only when the whole export has been read without an error. A bad export therefore writes
nothing, and re-importing the same export writes nothing either (an unchanged document is not
rewritten: the files stay byte-identical).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from secnews.core.findings import Finding, SecnewsError, make_finding
from secnews.core.fs import gc_free_worker, without_cyclic_gc
from secnews.core.ids import DOCUMENT_ID_RE
from secnews.core.lock import corpus_lock
from secnews.core.paths import documents_dir
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.labelstudio.export_reader import iter_export, iter_export_texts, open_export
from secnews.labelstudio.merge import merge_documents
from secnews.labelstudio.refusals import Refusal
from secnews.labelstudio.staging import Staging, recover, write_file
from secnews.labelstudio.tasks import task_doc_id, task_to_document
from secnews.model.document import canonical_bytes
from secnews.validate.engine import validate_document


@dataclass
class ImportReport:
    """What an import did (or would have done): counts and every finding."""

    tasks: int = 0
    documents: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    sets: int = 0
    findings: list[Finding] = field(default_factory=list)
    written: bool = False
    #: annotations (or whole tasks) a lenient import left out, each with its findings
    refused: list[Refusal] = field(default_factory=list)
    #: the server a pull came from (refusals name their task's URL on it)
    server: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_existing(path: Path, findings: list[Finding]) -> dict[str, Any] | None:
    """The corpus copy of a document, None when there is none (one failed open, not a stat first)."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        findings.append(make_finding("MALFORMED_JSON", file=str(path), detail=str(exc)))
        return None


def import_export(
    export: Path | str,
    into: Path | str | None = None,
    *,
    dry_run: bool = False,
    validate: bool = True,
    progress: Callable[[int], None] | None = None,
    taxonomy: Taxonomy | None = None,
    users: dict[int, str] | None = None,
    jobs: int | None = None,
    strict: bool = True,
) -> ImportReport:
    """Import a Label Studio full JSON export into a corpus directory (all or nothing, or per annotation).

    ``strict`` (the library's default): raises :class:`SecnewsError` with every error finding when
    anything is wrong, in which case no file of the corpus has been touched. Not ``strict`` (what the
    CLI and a team's pull do): each annotation is checked alone; the valid ones are written and the
    others are listed in ``report.refused`` (a task that cannot become a document is refused whole).
    An export that cannot be read as a whole (malformed JSON, not a list) is refused either way.
    ``jobs`` worker processes convert and validate tasks while this process parses and writes
    (default: 2 for exports over 16 MB on a machine with 3+ cores, else 1 = no worker); memory stays
    bounded by a small window of tasks. One import at a time writes into a corpus
    (:func:`secnews.core.lock.corpus_lock`), and an import killed halfway is finished or discarded by
    the next one (:func:`secnews.labelstudio.staging.recover`).
    """
    export, into = Path(export), Path(into) if into is not None else documents_dir()
    tax = taxonomy or load_taxonomy()
    ctx = _StepContext(into, tax, validate, str(export), users, strict=strict)
    with corpus_lock(into):
        if not dry_run:
            recover(into)
        report, staging = ImportReport(), Staging(into)
        try:
            with open_export(export) as fh, without_cyclic_gc():
                workers = _auto_jobs(export) if jobs is None else jobs
                for outcome in _outcomes(fh, ctx, workers, staging):
                    _apply(outcome, report, staging)
                    if progress:
                        progress(1)
            _collapse_repeated(report)
            if not report.ok:
                raise SecnewsError(*report.errors)
            if not dry_run:
                staging.commit()
                report.written = bool(staging.names)
            return report
        finally:
            staging.discard()


def _outcomes(fh: BinaryIO, ctx: _StepContext, workers: int, staging: Staging) -> Iterator[_Outcome]:
    """Each task's outcome, in export order, serially or from ``workers`` processes.

    A worker reads the corpus copy, not this import's staged one: a document that comes back in a
    later task is converted again here, merged into what this import already staged.
    """
    steps: Iterator[tuple[bytes | None, _Outcome]]
    if workers > 1:
        steps = _parallel_steps(fh, ctx, workers, staging.ensure())
    else:
        steps = _serial_steps(fh, ctx, staging)
    for task, outcome in steps:
        if outcome.doc_id in staging.seen and task is not None:  # the same document again
            if outcome.part is not None:
                outcome.part.unlink(missing_ok=True)
            outcome = _step(orjson.loads(task), ctx, staging.path_for(outcome.doc_id))
        yield outcome


@dataclass
class _StepContext:
    """What every task's step needs, picklable so that worker processes get it once at start-up."""

    into: Path
    tax: Taxonomy
    validate: bool
    source: str
    users: dict[int, str] | None
    stage_dir: Path | None = None  # set for worker processes: they write their documents there
    strict: bool = True


@dataclass
class _Outcome:
    """What one task did: the document id, its new bytes (None: nothing to write), the findings."""

    doc_id: str | None
    data: bytes | None = None
    created: bool = False
    unchanged: bool = False
    sets: int = 0
    findings: list[Finding] = field(default_factory=list)
    part: Path | None = None  # a worker wrote ``data`` to this file instead of returning it
    refused: list[Refusal] = field(default_factory=list)


def _auto_jobs(export: Path) -> int:
    """Workers only pay off on big exports and when a core is left for the parsing process."""
    try:
        big = export.stat().st_size > 16 * 2**20
    except OSError:
        big = False
    cpus = os.cpu_count() or 1
    return min(2, cpus - 1) if big and cpus >= 3 else 1  # on 2 cores the pipe costs what workers save


def _serial_steps(fh: BinaryIO, ctx: _StepContext, staging: Staging) -> Iterator[tuple[None, _Outcome]]:
    """Steps in this process; a task merges into this import's staged copy if it wrote one."""
    for index, task in iter_export(fh, ctx.source):
        doc_id = _peek_doc_id(task)
        yield None, _step(task, ctx, staging.path_for(doc_id) if doc_id else None, index)


def _peek_doc_id(task: Any) -> str | None:
    """The task's document id if it has a valid one (to find its staged copy before converting it)."""
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return None
    doc_id = task_doc_id(task, task["data"])
    return doc_id if DOCUMENT_ID_RE.match(doc_id) else None


_WORKER_CTX: _StepContext | None = None


def _worker_init(ctx: _StepContext) -> None:
    """Hand the context to the worker once, instead of pickling it with every task."""
    global _WORKER_CTX
    _WORKER_CTX = ctx
    gc_free_worker()


def _worker_step(payload: bytes, index: int) -> _Outcome:
    """Convert one task in a worker; the document goes to a part file (not back through the pipe)."""
    ctx = _WORKER_CTX
    assert ctx is not None and ctx.stage_dir is not None
    out = _step(orjson.loads(payload), ctx, None, index)
    if out.data is not None and out.doc_id is not None:
        out.part = ctx.stage_dir / f"{out.doc_id}.{index}.part"
        write_file(out.part, out.data)
        out.data = None
    return out


def _parallel_steps(
    fh: BinaryIO, ctx: _StepContext, jobs: int, stage_dir: Path
) -> Iterator[tuple[bytes, _Outcome]]:
    """Cut tasks here, parse, convert and validate them in ``jobs`` processes; outcomes in order.

    Each task goes to its worker as the bytes cut from the export (this process never parses it:
    a document that comes back twice is parsed again from them). At most ``8 * jobs`` tasks are in
    flight, so memory does not grow with the export.
    """
    import multiprocessing as mp  # only a parallel import pays for the process-pool machinery
    from concurrent.futures import ProcessPoolExecutor

    window: deque[tuple[bytes, Any]] = deque()
    worker_ctx = _StepContext(
        ctx.into, ctx.tax, ctx.validate, ctx.source, ctx.users, stage_dir, strict=ctx.strict
    )
    with ProcessPoolExecutor(
        jobs, mp_context=mp.get_context("fork"), initializer=_worker_init, initargs=(worker_ctx,)
    ) as pool:
        for index, text in iter_export_texts(fh, ctx.source):
            window.append((text, pool.submit(_worker_step, text, index)))
            if len(window) >= 8 * jobs:
                task0, fut = window.popleft()
                yield task0, fut.result()
        while window:
            task0, fut = window.popleft()
            yield task0, fut.result()


def _step(task: Any, ctx: _StepContext, path: Path | None, index: int = 0) -> _Outcome:
    """Convert one task, merge it with the corpus copy, validate; pure but for reading that copy."""
    converted = task_to_document(
        task, index, taxonomy=ctx.tax, file=ctx.source, users=ctx.users, lenient=not ctx.strict
    )
    out = _Outcome(None, findings=list(converted.findings), refused=list(converted.refused))
    new = converted.doc
    if new is None or _has_error(converted.findings):
        return _refuse_task(out, task, ctx)
    out.doc_id, out.sets = new["id"], len(new["annotations"])
    old = _read_existing(path or ctx.into / f"{new['id']}.json", out.findings)
    task_id = task.get("id")
    while True:
        merged = merge_documents(old, new, task_id, out.findings)
        if _has_error(out.findings):
            return _refuse_task(out, task, ctx)
        if merged == old:
            out.unchanged = True
            return out
        problems = _validation_errors(merged, new["id"], ctx.into, task_id) if ctx.validate else []
        if not problems:
            break
        if ctx.strict or not _drop_blamed_sets(new, problems, task, out):
            out.findings += problems
            return _refuse_task(out, task, ctx)
    out.sets = len(new["annotations"])
    out.created, out.data = old is None, canonical_bytes(merged)
    return out


def _has_error(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def _refuse_task(out: _Outcome, task: Any, ctx: _StepContext) -> _Outcome:
    """Strict: the errors stay in the findings (the import fails). Lenient: the task is refused whole."""
    if ctx.strict or not _has_error(out.findings):
        return out
    errors = [f for f in out.findings if f.severity == "error"]
    out.findings = [f for f in out.findings if f.severity != "error"]
    task_id = task.get("id") if isinstance(task, dict) else None
    project = task.get("project") if isinstance(task, dict) else None
    out.refused.append(Refusal(task_id, None, None, errors, project))
    out.data, out.doc_id, out.sets = None, None, 0
    return out


def _drop_blamed_sets(new: dict[str, Any], problems: list[Finding], task: Any, out: _Outcome) -> bool:
    """Take the sets the validator blames out of ``new`` (each a refusal); False if one is not the
    task's own (then the task as a whole is refused)."""
    own = {a["id"]: a for a in new["annotations"]}
    blamed: dict[str, list[Finding]] = {}
    for f in problems:
        if f.code == "LS_INVALID_DOCUMENT":
            continue
        if f.annotation_set is None or f.annotation_set not in own:
            return False
        blamed.setdefault(f.annotation_set, []).append(f)
    if not blamed:
        return False
    for set_id, findings in blamed.items():
        annotator = own[set_id].get("annotator")
        out.refused.append(Refusal(task.get("id"), annotator, set_id, findings, task.get("project")))
    new["annotations"] = [a for a in new["annotations"] if a["id"] not in blamed]
    return True


def _validation_errors(doc: dict[str, Any], doc_id: str, into: Path, task_id: Any) -> list[Finding]:
    """The validator's errors, then ``LS_INVALID_DOCUMENT`` naming the task (none when valid)."""
    problems = [f for f in validate_document(doc, file=str(into / f"{doc_id}.json")) if f.severity == "error"]
    if not problems:
        return []
    first = problems[0]
    return [
        *problems,
        make_finding(
            "LS_INVALID_DOCUMENT",
            doc_id=doc_id,
            task=task_id,
            rule=first.code,
            detail=f"{first.location()}: {first.message}",
        ),
    ]


#: warnings said once for the whole export (with a count), not once a task
_ONCE = {"LS_PREDICTIONS_AS_IDS": "task", "LS_ANNOTATOR_UNRESOLVED": "user"}


def _collapse_repeated(report: ImportReport) -> None:
    """One warning per code of ``_ONCE``, counting the tasks (or annotations) it concerns."""
    for code, key in _ONCE.items():
        found = [f for f in report.findings if f.code == code]
        if len(found) < 2:
            continue
        count = len({f.context.get("task") for f in found}) if key == "task" else len(found)
        report.findings = [f for f in report.findings if f.code != code]
        ctx = {"task": found[0].context.get("task"), "user": found[0].context.get("user")}
        report.findings.append(make_finding(code, file=found[0].file, count=count, **ctx))


def _apply(outcome: _Outcome, report: ImportReport, staging: Staging) -> None:
    """Count the outcome and stage its document, unless an error means nothing will be written."""
    report.tasks += 1
    report.findings.extend(outcome.findings)
    report.refused.extend(outcome.refused)
    has_error = _has_error(outcome.findings)
    staging.failed = staging.failed or has_error  # not report.ok: a scan of all findings a task
    if outcome.doc_id is None:
        return
    staging.seen.add(outcome.doc_id)
    report.documents += 1
    report.sets += outcome.sets
    report.unchanged += outcome.unchanged
    has_doc = outcome.data is not None or outcome.part is not None
    if has_doc and not has_error:
        (report.created if outcome.created else report.updated).append(outcome.doc_id)
        if not staging.failed:  # after the first error nothing will be written: stop staging
            staging.put(outcome.doc_id, outcome.data, outcome.part)
