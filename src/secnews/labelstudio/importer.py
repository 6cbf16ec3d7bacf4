"""Label Studio full JSON export -> canonical documents, streamed, validated, merged, all or nothing.

The export is read task by task with ``ijson`` (memory stays flat whatever its size). Each task
becomes a document: its text, its meta, one annotation set per annotation and per prediction. The
document is merged with the corpus copy (by document id, then by annotation-set id) and validated
by :func:`secnews.validate.validate_document`. Changed documents are written to a staging
directory next to the corpus; only when the whole export has been read without an error are they
moved into place. A bad export therefore writes nothing, and re-importing the same export writes
nothing either (an unchanged document is not rewritten: the files stay byte-identical).

Rules for what Label Studio gives:

- Set ids are stable across re-imports: ``ls-<annotation id>`` and ``ls-pred-<prediction id>``
  (unless the task came from :mod:`secnews.labelstudio.exporter` and the set is unchanged, in which
  case its own header is restored). Status: cancelled -> ``rejected``, ground truth -> ``reviewed``
  (gold is decided by adjudication), otherwise ``submitted``. An annotation whose ``updated_at`` is
  older than the corpus copy's does not replace it (a warning says so).
- The task text must be the canonical text: NFC with ``\\n`` line ends. A task whose text contains
  ``\\r`` is refused (``LS_CRLF_TEXT``): Label Studio's offsets on CRLF text are unreliable
  (upstream bug), and remapping them would be a guess.
- The document id is ``data.doc_id`` (tasks exported by this toolkit carry it), else
  ``ls-<project>-<task id>``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import ijson
import orjson

import secnews.labelstudio.errors  # noqa: F401  (registers the LS_* rules)
from secnews.catalogue import Finding, Rule, SecnewsError, make_finding, register
from secnews.document import DOCUMENT_ID_RE, SCHEMA_VERSION, dumps_document
from secnews.labelstudio.common import CANONICAL_META_KEYS, SECNEWS_KEY, content_digest
from secnews.labelstudio.offsets import OffsetMap
from secnews.labelstudio.results import REGION_IDS_KEY, Where, read_result
from secnews.paths import documents_dir
from secnews.taxonomy import Taxonomy, load_taxonomy

register(
    Rule(
        "LS_STALE_ANNOTATION",
        "Older annotation kept out",
        "warning",
        "task {task}: set {set} in the export (updated {new}) is older than the corpus copy ({old}); "
        "kept the corpus copy",
        "An import never replaces a newer annotation with an older one.",
        "labelstudio",
    ),
    Rule(
        "LS_DATA_FIELD_IGNORED",
        "Task field not imported",
        "warning",
        "task {task}: data field {field!r} is not a document field and is not imported",
        "Only the text and the canonical meta fields become part of a document.",
        "labelstudio",
    ),
)

#: annotation fields that become canonical fields or ``origin`` keys (the rest go to origin.extra)
_ANNOTATION_KNOWN = {
    "id",
    "result",
    "completed_by",
    "lead_time",
    "ground_truth",
    "was_cancelled",
    "created_at",
    "updated_at",
    "task",
    "project",
    "parent_prediction",
    "model_version",
    "score",
}
#: fields that change on every export without the annotation changing (never kept)
_VOLATILE = {"created_ago", "result_count"}
_DISPLAY_ONLY = {"text", "doc_id", SECNEWS_KEY, "id"}


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
    part: Path | None = None  # a worker wrote ``data`` to this file instead of returning it
    written: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


# ----------------------------------------------------------------------------------------- reading
def iter_export(fh: BinaryIO, source: str = "<export>") -> Iterator[tuple[int, Any]]:
    """Stream ``(index, task)`` from a full JSON export; malformed JSON raises a coded error."""
    first = _first_byte(fh)
    if first != b"[":
        found = "nothing" if not first else ("an object" if first == b"{" else f"{first!r}")
        raise SecnewsError(make_finding("LS_NOT_AN_EXPORT", file=source, found=found))
    try:
        yield from enumerate(ijson.items(fh, "item", use_float=True))
    except (ijson.JSONError, ValueError, UnicodeDecodeError) as exc:
        raise SecnewsError(make_finding("LS_MALFORMED_EXPORT", file=source, detail=str(exc)[:300])) from None


def _first_byte(fh: BinaryIO) -> bytes:
    while True:
        b = fh.read(1)
        if not b or not b.isspace():
            if b == b"\xef":  # a UTF-8 BOM
                fh.read(2)
                continue
            break
    fh.seek(fh.tell() - len(b))
    return b


def _doc_id(task: dict[str, Any], data: dict[str, Any]) -> str:
    if data.get("doc_id") is not None:
        return str(data["doc_id"])
    project = task.get("project")
    if project is None:
        anns = task.get("annotations") or task.get("predictions") or [{}]
        project = anns[0].get("project") if isinstance(anns[0], dict) else None
    return f"ls-{project if project is not None else 0}-{task.get('id')}"


def _meta(
    data: dict[str, Any], ours: dict[str, Any], task_id: Any, findings: list[Finding]
) -> dict[str, Any]:
    if isinstance(ours.get("meta"), dict):
        return dict(ours["meta"])
    meta: dict[str, Any] = {"source": "labelstudio", "language": "fr", "license": "unknown"}
    for key in CANONICAL_META_KEYS:
        if key in data and data[key] not in (None, ""):
            meta[key] = data[key]
    for key in data:
        if key not in CANONICAL_META_KEYS and key not in _DISPLAY_ONLY:
            findings.append(make_finding("LS_DATA_FIELD_IGNORED", task=task_id, field=key))
    return meta


def _annotator(completed_by: Any, users: dict[int, str] | None = None) -> str:
    if users and isinstance(completed_by, int) and completed_by in users:
        return users[completed_by]
    if isinstance(completed_by, dict):
        return str(completed_by.get("email") or completed_by.get("username") or completed_by.get("id"))
    return "unknown" if completed_by is None else str(completed_by)


def _status(ann: dict[str, Any]) -> str:
    if ann.get("was_cancelled"):
        return "rejected"
    if ann.get("ground_truth"):
        return "reviewed"
    return "submitted"


def _strip_volatile(value: Any) -> Any:
    """Drop fields that change with the clock, not with the annotation (``created_ago``), at any depth."""
    if isinstance(value, dict):
        return {k: _strip_volatile(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, list):
        return [_strip_volatile(v) for v in value]
    return value


def _extra(item: dict[str, Any], region_ids: dict[str, str]) -> dict[str, Any]:
    extra = {
        k: _strip_volatile(v) for k, v in item.items() if k not in _ANNOTATION_KNOWN and k not in _VOLATILE
    }
    if region_ids:
        extra[REGION_IDS_KEY] = dict(sorted(region_ids.items()))
    return extra


def _ls_header(
    item: dict[str, Any],
    kind: str,
    task: dict[str, Any],
    region_ids: dict[str, str],
    users: dict[int, str] | None = None,
) -> dict[str, Any]:
    """The canonical header of an annotation or prediction made in Label Studio."""
    is_pred = kind == "prediction"
    model_version = item.get("model_version")
    origin = {
        "tool": "labelstudio",
        "project": item.get("project", task.get("project")),
        "task": task.get("id"),
        "annotation": None if is_pred else item.get("id"),
        "prediction": item.get("id") if is_pred else item.get("parent_prediction"),
        "completed_by": None if is_pred else _scalar(item.get("completed_by")),
        "lead_time": item.get("lead_time"),
        "ground_truth": item.get("ground_truth"),
        "was_cancelled": item.get("was_cancelled"),
        "model_version": str(model_version) if model_version not in (None, "") else None,
        "score": item.get("score"),
        "extra": _extra(item, region_ids),
    }
    return {
        "id": f"ls-pred-{item.get('id')}" if is_pred else f"ls-{item.get('id')}",
        "kind": kind,
        "annotator": f"model:{model_version or 'unknown'}"
        if is_pred
        else _annotator(item.get("completed_by"), users),
        "status": "submitted" if is_pred else _status(item),
        "created": item.get("created_at"),
        "updated": item.get("updated_at"),
        "origin": origin,
    }


def _scalar(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("email") or value.get("id")
    return value


# ----------------------------------------------------------------------------------------- task -> doc
@dataclass
class _TaskDoc:
    doc: dict[str, Any] | None
    findings: list[Finding]
    restored_order: dict[str, int]


def task_to_document(
    task: Any,
    index: int = 0,
    *,
    taxonomy: Taxonomy | None = None,
    file: str | None = None,
    users: dict[int, str] | None = None,
) -> _TaskDoc:
    """Convert one exported task into a document (None with findings when it cannot be)."""
    tax = taxonomy or load_taxonomy()
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return _TaskDoc(
            None,
            [make_finding("LS_BAD_TASK", file=file, index=index, detail=f"got {type(task).__name__}")],
            {},
        )
    data, task_id = task["data"], task.get("id", f"#{index}")
    text = data.get("text")
    if not isinstance(text, str) or not text:
        return _TaskDoc(None, [make_finding("LS_TASK_WITHOUT_TEXT", file=file, task=task_id)], {})
    if "\r" in text:
        return _TaskDoc(None, [make_finding("LS_CRLF_TEXT", file=file, task=task_id)], {})
    if not unicodedata.is_normalized("NFC", text):
        return _TaskDoc(None, [make_finding("LS_TEXT_NOT_NFC", file=file, task=task_id)], {})
    doc_id = _doc_id(task, data)
    if not DOCUMENT_ID_RE.match(doc_id):
        return _TaskDoc(None, [make_finding("LS_BAD_DOCUMENT_ID", file=file, task=task_id, value=doc_id)], {})
    ours = data.get(SECNEWS_KEY) if isinstance(data.get(SECNEWS_KEY), dict) else {}
    findings: list[Finding] = []
    doc = {
        "schema_version": ours.get("schema_version", SCHEMA_VERSION),
        "id": doc_id,
        "text": text,
        "meta": _meta(data, ours, task_id, findings),
        "annotations": [],
    }
    exported = [s for s in ours.get("sets", []) if isinstance(s, dict) and isinstance(s.get("header"), dict)]
    used: set[int] = set()
    restored_order: dict[str, int] = {}
    omap = OffsetMap(text)
    for kind, key in (("human", "annotations"), ("prediction", "predictions")):
        items = task.get(key) or []
        for item in items:
            ann = _item_to_set(item, kind, task, text, omap, tax, findings, doc_id, file, users)
            if ann is None:
                continue
            pos = _match_exported(ann, kind, exported, used)
            if pos is not None:
                header = exported[pos]["header"]
                ann = {**header, **{k: ann[k] for k in ann if k not in header and k != "origin"}}
                restored_order[ann["id"]] = pos
            doc["annotations"].append(ann)
    # restored sets first, in their exported order; then the sets made in Label Studio
    doc["annotations"].sort(key=lambda a: restored_order.get(a["id"], len(exported)))
    return _TaskDoc(doc, findings, restored_order)


def _item_to_set(
    item: Any,
    kind: str,
    task: dict[str, Any],
    text: str,
    omap: OffsetMap,
    tax: Taxonomy,
    findings: list[Finding],
    doc_id: str,
    file: str | None,
    users: dict[int, str] | None = None,
) -> dict[str, Any] | None:
    what = "prediction" if kind == "prediction" else "annotation"
    if not isinstance(item, dict):
        findings.append(
            make_finding(
                "LS_MISSING_RESULT", file=file, doc_id=doc_id, what=what, ann="?", task=task.get("id")
            )
        )
        return None
    where = Where(task.get("id"), what, item.get("id"), doc_id=doc_id, file=file)
    where.set_id = f"ls-pred-{item.get('id')}" if kind == "prediction" else f"ls-{item.get('id')}"
    parsed = read_result(item.get("result"), text, omap, where, tax)
    findings.extend(parsed.findings)
    if not parsed.ok:
        return None
    return {
        **_ls_header(item, kind, task, parsed.region_ids, users),
        "labels": parsed.labels,
        **parsed.layers,
    }


def _match_exported(
    ann: dict[str, Any], kind: str, exported: list[dict[str, Any]], used: set[int]
) -> int | None:
    want = "prediction" if kind == "prediction" else "annotation"
    digest = content_digest(ann)
    for pos, entry in enumerate(exported):
        if pos not in used and entry.get("as") == want and entry.get("digest") == digest:
            used.add(pos)
            return pos
    return None


# ----------------------------------------------------------------------------------------- merge
def merge_documents(
    old: dict[str, Any] | None, new: dict[str, Any], task_id: Any, findings: list[Finding]
) -> dict[str, Any]:
    """The corpus document with the task's sets merged in (by set id; newer replaces older)."""
    if old is None:
        return new
    if old.get("text") != new["text"]:
        at = next(
            (i for i, (a, b) in enumerate(zip(old.get("text", ""), new["text"], strict=False)) if a != b),
            min(len(old.get("text", "")), len(new["text"])),
        )
        findings.append(
            make_finding("LS_TEXT_CONFLICT", doc_id=new["id"], task=task_id, doc=new["id"], at=at)
        )
        return old
    merged = dict(old)
    annotations = list(old.get("annotations", []))
    position = {a.get("id"): i for i, a in enumerate(annotations)}
    for ann in new["annotations"]:
        i = position.get(ann["id"])
        if i is None:
            position[ann["id"]] = len(annotations)
            annotations.append(ann)
        elif annotations[i] != ann:
            if _older(ann.get("updated"), annotations[i].get("updated")):
                findings.append(
                    make_finding(
                        "LS_STALE_ANNOTATION",
                        doc_id=new["id"],
                        annotation_set=ann["id"],
                        task=task_id,
                        set=ann["id"],
                        new=ann.get("updated"),
                        old=annotations[i].get("updated"),
                    )
                )
            else:
                annotations[i] = ann
    merged["annotations"] = annotations
    return merged


def _older(new: Any, old: Any) -> bool:
    return isinstance(new, str) and isinstance(old, str) and new < old


# ----------------------------------------------------------------------------------------- import
def _validator() -> Callable[..., list[Finding]] | None:
    try:
        from secnews.validate import validate_document
    except ModuleNotFoundError as exc:  # the validator ships with the toolkit; tolerate a partial install
        if exc.name != "secnews.validate":
            raise
        return None
    return validate_document


class _Staging:
    """Changed documents wait here (same file system as the corpus) until the import commits."""

    def __init__(self, into: Path) -> None:
        self.into = into
        self.dir: Path | None = None
        self.names: list[str] = []
        self.seen: set[str] = set()
        self.made_into = False

    def path_for(self, doc_id: str) -> Path:
        staged = self.dir / f"{doc_id}.json" if self.dir else None
        return staged if staged is not None and staged.exists() else self.into / f"{doc_id}.json"

    def ensure(self) -> Path:
        if self.dir is None:
            self.made_into = not self.into.exists()
            self.into.mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix=".ls-import-", dir=self.into))
        return self.dir

    def put(self, doc_id: str, data: bytes | None, part: Path | None = None) -> None:
        path = self.ensure() / f"{doc_id}.json"
        if not path.exists():
            self.names.append(doc_id)
        if part is not None:
            os.replace(part, path)
            return
        with open(path, "wb") as fh:
            fh.write(data or b"")

    def commit(self) -> None:
        if self.dir is None:
            return
        # one sync for all staged files (thousands of fsync calls cost more than the import itself),
        # then the renames: a crash leaves each document either old or new, never half written
        os.sync()
        for name in self.names:
            os.replace(self.dir / f"{name}.json", self.into / f"{name}.json")
        dir_fd = os.open(self.into, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self.made_into = False
        self.discard()

    def discard(self) -> None:
        """Forget staged files; a corpus directory this import created is removed again."""
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        if self.made_into:
            with contextlib.suppress(OSError):
                self.into.rmdir()
            self.made_into = False


def _read_existing(path: Path, findings: list[Finding]) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        return orjson.loads(path.read_bytes())
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
) -> ImportReport:
    """Import a Label Studio full JSON export into a corpus directory (all or nothing).

    Returns the report; raises :class:`SecnewsError` with every error finding when anything is
    wrong, in which case no file of the corpus has been touched. ``jobs`` worker processes convert
    and validate tasks while this process parses and writes (default: 2 for exports over 16 MB on
    a machine with 3+ cores, else 1 = no worker); memory stays bounded by a small window of tasks.
    """
    export, into = Path(export), Path(into) if into is not None else documents_dir()
    tax = taxonomy or load_taxonomy()
    ctx = _StepContext(into, tax, validate, str(export), users)
    report, staging = ImportReport(), _Staging(into)
    try:
        with _open_export(export) as fh:
            workers = _auto_jobs(export) if jobs is None else jobs
            if workers > 1:
                steps = _parallel_steps(fh, ctx, workers, staging.ensure())
            else:
                steps = _serial_steps(fh, ctx, staging)
            for task, outcome in steps:
                if outcome.doc_id in staging.seen and task is not None:  # the same document again
                    if outcome.part is not None:
                        outcome.part.unlink(missing_ok=True)
                    outcome = _step(task, ctx, staging.path_for(outcome.doc_id))
                _apply(outcome, report, staging)
                if progress:
                    progress(1)
        if not report.ok:
            raise SecnewsError(*report.errors)
        if not dry_run:
            staging.commit()
            report.written = bool(staging.names)
        return report
    finally:
        staging.discard()


@dataclass
class _StepContext:
    into: Path
    tax: Taxonomy
    validate: bool
    source: str
    users: dict[int, str] | None
    stage_dir: Path | None = None  # set for worker processes: they write their documents there


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


def _auto_jobs(export: Path) -> int:
    try:
        big = export.stat().st_size > 16 * 2**20
    except OSError:
        big = False
    cpus = os.cpu_count() or 1
    return min(2, cpus - 1) if big and cpus >= 3 else 1  # on 2 cores the pipe costs what workers save


def _serial_steps(fh: BinaryIO, ctx: _StepContext, staging: _Staging) -> Iterator[tuple[Any, _Outcome]]:
    for index, task in iter_export(fh, ctx.source):
        doc_id = _peek_doc_id(task)
        yield None, _step(task, ctx, staging.path_for(doc_id) if doc_id else None, index)


def _peek_doc_id(task: Any) -> str | None:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return None
    doc_id = _doc_id(task, task["data"])
    return doc_id if DOCUMENT_ID_RE.match(doc_id) else None


_WORKER_CTX: _StepContext | None = None


def _worker_init(ctx: _StepContext) -> None:
    global _WORKER_CTX
    _WORKER_CTX = ctx


def _worker_step(payload: bytes, index: int) -> _Outcome:
    """Convert one task in a worker; the document goes to a part file (not back through the pipe)."""
    ctx = _WORKER_CTX
    assert ctx is not None and ctx.stage_dir is not None
    out = _step(orjson.loads(payload), ctx, None, index)
    if out.data is not None and out.doc_id is not None:
        out.part = ctx.stage_dir / f"{out.doc_id}.{index}.part"
        out.part.write_bytes(out.data)
        out.data = None
    return out


def _parallel_steps(
    fh: BinaryIO, ctx: _StepContext, jobs: int, stage_dir: Path
) -> Iterator[tuple[Any, _Outcome]]:
    """Parse here, convert and validate in ``jobs`` processes, yield outcomes in export order.

    At most ``8 * jobs`` tasks are in flight, so memory does not grow with the export.
    """
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    window: deque[tuple[Any, Any]] = deque()
    worker_ctx = _StepContext(ctx.into, ctx.tax, ctx.validate, ctx.source, ctx.users, stage_dir)
    with ProcessPoolExecutor(
        jobs, mp_context=mp.get_context("fork"), initializer=_worker_init, initargs=(worker_ctx,)
    ) as pool:
        for index, task in iter_export(fh, ctx.source):
            window.append((task, pool.submit(_worker_step, orjson.dumps(task), index)))
            if len(window) >= 8 * jobs:
                task0, fut = window.popleft()
                yield task0, fut.result()
        while window:
            task0, fut = window.popleft()
            yield task0, fut.result()


def _step(task: Any, ctx: _StepContext, path: Path | None, index: int = 0) -> _Outcome:
    """Convert one task, merge it with the corpus copy, validate; pure but for reading that copy."""
    converted = task_to_document(task, index, taxonomy=ctx.tax, file=ctx.source, users=ctx.users)
    out = _Outcome(None, findings=list(converted.findings))
    new = converted.doc
    if new is None or any(f.severity == "error" for f in converted.findings):
        return out
    out.doc_id, out.sets = new["id"], len(new["annotations"])
    old = _read_existing(path or ctx.into / f"{new['id']}.json", out.findings)
    task_id = task.get("id")
    merged = merge_documents(old, new, task_id, out.findings)
    if any(f.severity == "error" for f in out.findings) or merged == old:
        out.unchanged = merged == old
        return out
    check = _validator() if ctx.validate else None
    if check is not None:
        problems = [
            f for f in check(merged, file=str(ctx.into / f"{new['id']}.json")) if f.severity == "error"
        ]
        if problems:
            first = problems[0]
            out.findings += [
                *problems,
                make_finding(
                    "LS_INVALID_DOCUMENT",
                    doc_id=new["id"],
                    task=task_id,
                    rule=first.code,
                    detail=f"{first.location()}: {first.message}",
                ),
            ]
            return out
    out.created, out.data = old is None, canonical_bytes(merged)
    return out


def _apply(outcome: _Outcome, report: ImportReport, staging: _Staging) -> None:
    report.tasks += 1
    report.findings.extend(outcome.findings)
    if outcome.doc_id is None:
        return
    staging.seen.add(outcome.doc_id)
    report.documents += 1
    report.sets += outcome.sets
    report.unchanged += outcome.unchanged
    has_doc = outcome.data is not None or outcome.part is not None
    if has_doc and not any(f.severity == "error" for f in outcome.findings):
        (report.created if outcome.created else report.updated).append(outcome.doc_id)
        if report.ok:  # after the first error nothing will be written: stop staging
            staging.put(outcome.doc_id, outcome.data, outcome.part)


_EXPONENT = re.compile(rb"\de[-+]?\d")


def canonical_bytes(doc: dict[str, Any]) -> bytes:
    """The bytes :func:`secnews.document.dumps_document` writes, 15x faster (orjson).

    orjson with sorted keys and 2-space indent writes the same bytes as ``json.dumps(indent=2,
    sort_keys=True, ensure_ascii=False)`` except for floats in exponent notation (``1e-05`` vs
    ``1e-5``): any output that may hold one (even inside a string) takes the reference path. A test
    checks both agree on real and synthetic documents.
    """
    data = orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    if _EXPONENT.search(data):
        return dumps_document(doc).encode("utf-8")
    return data


def _open_export(export: Path) -> BinaryIO:
    try:
        return open(export, "rb")
    except OSError as exc:
        raise SecnewsError(
            make_finding("UNREADABLE_FILE", file=str(export), detail=exc.strerror or str(exc))
        ) from None
