"""Label Studio full JSON export -> canonical documents, streamed, validated, merged, all or nothing.

The export is read task by task: each task's bytes are cut from the stream and parsed alone by
orjson (memory stays flat whatever the export's size; see :class:`_TaskTexts`). Each task
becomes a document: its text, its meta, one annotation set per annotation and per prediction. The
document is merged with the corpus copy (by document id, then by annotation-set id) and validated
by :func:`secnews.validate.engine.validate_document`. Changed documents are written to a staging
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

import orjson

import secnews.labelstudio.errors  # noqa: F401  (registers the LS_* rules)
from secnews.core.findings import Finding, Rule, SecnewsError, make_finding, register
from secnews.core.fs import gc_free_worker, without_cyclic_gc
from secnews.core.ids import DOCUMENT_ID_RE
from secnews.core.paths import documents_dir
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.labelstudio.common import CANONICAL_META_KEYS, SECNEWS_KEY, content_digest
from secnews.labelstudio.offsets import OffsetMap
from secnews.labelstudio.results import REGION_IDS_KEY, Where, read_result
from secnews.model.document import SCHEMA_VERSION, dumps_document

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
    """Stream ``(index, task)`` from a full JSON export; malformed JSON raises a coded error.

    Each task's JSON text is cut out of the stream by :func:`_iter_task_texts` and parsed on its own
    by orjson: much faster than building the objects event by event (ijson), and memory still holds
    one task and one read block, whatever the size of the export.
    """
    for index, (text, task) in enumerate(_checked_tasks(fh, source, parse=True)):
        if task is _UNPARSED:
            try:
                task = orjson.loads(text)
            except orjson.JSONDecodeError as exc:  # the splitter saw one complete value: not expected
                raise SecnewsError(_malformed(source, f"task #{index}: {exc}")) from None
        yield index, task


def _iter_export_texts(fh: BinaryIO, source: str) -> Iterator[tuple[int, bytes]]:
    """``(index, JSON text of the task)``; the checks of :func:`iter_export` without parsing tasks."""
    for index, (text, _) in enumerate(_checked_tasks(fh, source, parse=False)):
        yield index, text


def _checked_tasks(fh: BinaryIO, source: str, *, parse: bool) -> Iterator[tuple[bytes, Any]]:
    first = _first_byte(fh)
    if first != b"[":
        found = "nothing" if not first else ("an object" if first == b"{" else f"{first!r}")
        raise SecnewsError(make_finding("LS_NOT_AN_EXPORT", file=source, found=found))
    try:
        yield from _iter_task_texts(fh, parse=parse)
    except _Malformed as exc:
        raise SecnewsError(_malformed(source, str(exc))) from None


def _malformed(source: str, detail: str) -> Finding:
    return make_finding("LS_MALFORMED_EXPORT", file=source, detail=detail[:300])


class _Malformed(Exception):
    """The export is not one JSON list (the message says where, in bytes from the ``[``)."""


_JSON_WS = frozenset(b" \t\n\r")
_READ_BLOCK = 1 << 20  # bytes per read: large reads, few Python-level steps
_MIN_WINDOW = 1 << 14
_AFTER_VALUE = "unexpected content after document"
_NEEDS_MORE = "unexpected end of data"
_MAX_MISSES = 8
#: ``bytes.translate`` deletes these: what is left of a slice are its UTF-8 continuation bytes
_NOT_CONTINUATION = bytes(b for b in range(256) if b & 0xC0 != 0x80)


class _TaskTexts:
    """Cuts the top-level JSON list into the bytes of its elements, holding one read block.

    A task's end is found by orjson itself: parsing a window that starts at the task and runs past
    its end fails with "unexpected content after document" at the first character after the value.
    A window that ends inside the task fails with "unexpected end of data" and is doubled. There is
    no Python-level scanning of strings, escapes or brackets, so a bracket or an escaped quote in a
    string cannot mislead it: the parser that finds the end is the one that then reads the task.
    Windows are bytes (orjson reads them without a decoding step) cut at a character boundary;
    orjson reports positions in characters, converted back to bytes by :func:`_byte_offset`.
    """

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.buf = b""
        self.pos = 0  # next unread byte of buf
        self.offset = 0  # bytes of the export (from its "[") before buf[0], for messages
        self.eof = False
        self.misses = 0  # wrong guesses of line_value in a row

    def fill(self, need: int) -> bool:
        """Make ``need`` bytes available after ``pos`` if the file has them; False at its end."""
        while len(self.buf) - self.pos < need and not self.eof:
            block = self.fh.read(_READ_BLOCK)
            self.eof = not block
            self.offset += self.pos
            self.buf = self.buf[self.pos :] + block
            self.pos = 0
        return len(self.buf) - self.pos >= need

    def where(self, at: int = 0) -> str:
        return f"byte {self.offset + self.pos + at}"

    def skip_ws(self) -> int:
        """The next byte that is not JSON whitespace (-1 at the end of the file), not consumed."""
        while True:
            if not self.fill(1):
                return -1
            buf, pos, n = self.buf, self.pos, len(self.buf)
            while pos < n and buf[pos] in _JSON_WS:
                pos += 1
            self.pos = pos
            if pos < n:
                return buf[pos]

    def line_value(self, guess: int) -> tuple[bytes, Any] | None:
        """The value starting at ``pos`` and its task, if its end can be told from the layout (else None).

        A raw newline cannot occur inside a JSON string or number, so an export's line structure
        shows where its tasks end, in the two layouts exports come in:

        - one task a line (``[{...},\\n{...}]``, what ``secnews ls export`` and ``jq -c`` write): the
          text up to the next newline, less a ``,`` or ``]``;
        - indented (``json.dump(indent=n)``, what Label Studio writes): a task whose line starts with
          indentation ``ind`` ends at the first line that is ``ind`` and its closing bracket
          (the lines inside it are indented deeper).

        A guess that parses *is* the value (a JSON value has no proper prefix that is itself a whole
        value), and the task comes out of this single parse instead of a parse to find the end plus
        one to read. A wrong guess costs one failed parse; after ``_MAX_MISSES`` in a row, guessing
        stops for the file.
        """
        window = 2 * max(guess, _MIN_WINDOW)  # searching is cheap: room for a task twice the last
        self.fill(window)
        buf, pos = self.buf, self.pos
        limit = pos + window
        end = buf.find(b"\n", pos, limit)
        while end > pos and buf[end - 1] in _JSON_WS:
            end -= 1
        if end > pos and buf[end - 1] in (_COMMA, _CLOSE):
            end -= 1
        got = self._parsed(end)
        if got is None and buf[pos] in _OPENERS:
            line = buf.rfind(b"\n", 0, pos) + 1
            ind = buf[line:pos]
            if line and not ind.strip(b" \t"):
                close = buf.find(b"\n" + ind + _OPENERS[buf[pos]], pos, limit)
                if close > 0:
                    got = self._parsed(close + len(ind) + 2)
        self.misses = 0 if got is not None else self.misses + 1
        return got

    def _parsed(self, end: int) -> tuple[bytes, Any] | None:
        """``buf[pos:end]`` and its value, consumed, if it is one whole JSON value."""
        if end <= self.pos:
            return None
        text = self.buf[self.pos : end]
        try:
            task = orjson.loads(text)
        except orjson.JSONDecodeError:
            return None
        self.pos = end
        return text, task

    def value(self, guess: int) -> bytes:
        """The bytes of the JSON value starting at ``pos`` (consumed), or :class:`_Malformed`."""
        window, previous = max(guess, _MIN_WINDOW), None
        while True:
            whole = not self.fill(window + 1)  # +1: a window short of the end is never "whole"
            end = min(self.pos + window, len(self.buf))
            for _ in range(3):  # never cut a character in two (that would be invalid UTF-8)
                if end < len(self.buf) and self.buf[end] & 0xC0 == 0x80:
                    end -= 1
            piece = self.buf[self.pos : end]
            try:
                orjson.loads(piece)
            except orjson.JSONDecodeError as exc:
                if exc.msg == _AFTER_VALUE:
                    cut = _byte_offset(piece, exc.pos)
                    self.pos += cut
                    return piece[:cut]
                error = f"{exc.msg} at {self.where(_byte_offset(piece, exc.pos))}"
                if whole:
                    raise _Malformed(error) from None
                if exc.msg != _NEEDS_MORE:
                    # a real error stays where it is when the window grows; one due to the cut moves
                    if previous == (exc.msg, exc.pos):
                        raise _Malformed(error) from None
                    previous = (exc.msg, exc.pos)
            else:  # the whole window is one value: the list is never closed, or a number goes on
                if whole:
                    raise _Malformed(f"unexpected end of data after {self.where()} (the list is not closed)")
            window *= 2


def _byte_offset(data: bytes, chars: int) -> int:
    """The byte offset in UTF-8 ``data`` of character offset ``chars`` (orjson counts characters).

    A character is one lead byte and its continuation bytes: the offset is ``chars`` plus the
    continuation bytes before it, found by a fixed point that counts only the bytes it adds (each
    round in C, by ``bytes.translate``), then moved past the continuation bytes of a last character.
    """
    at = chars + len(data[:chars].translate(None, _NOT_CONTINUATION))
    done = chars
    while True:
        more = len(data[done:at].translate(None, _NOT_CONTINUATION))
        if not more:
            break
        done, at = at, at + more
    while at < len(data) and data[at] & 0xC0 == 0x80:
        at += 1
    return at


#: the task of a text that :func:`_iter_task_texts` did not parse (``None`` is a JSON value)
_UNPARSED: Any = object()


def _iter_task_texts(fh: BinaryIO, *, parse: bool = False) -> Iterator[tuple[bytes, Any]]:
    """``(JSON text, task)`` of each element of the list that starts at ``fh``'s position (its ``[``).

    The task is :data:`_UNPARSED` unless ``parse`` and :meth:`_TaskTexts.line_value` could read it
    in one parse (then it comes with its text).
    """
    reader = _TaskTexts(fh)
    reader.fill(1)
    reader.pos += 1  # the "[" checked by _first_byte
    nxt = reader.skip_ws()
    if nxt == _CLOSE:
        reader.pos += 1
    else:
        size = 0
        while True:
            if nxt in (-1, _COMMA, _CLOSE):
                raise _Malformed(f"expected a task at {reader.where()}, found {_shown(nxt)}")
            guess = size + size // 4 + 256
            got = reader.line_value(guess) if parse and reader.misses < _MAX_MISSES else None
            if got is None:
                got = reader.value(guess), _UNPARSED
            size = len(got[0])
            yield got
            nxt = reader.skip_ws()
            if nxt == _CLOSE:
                reader.pos += 1
                break
            if nxt != _COMMA:
                raise _Malformed(f"expected ',' or ']' at {reader.where()}, found {_shown(nxt)}")
            reader.pos += 1
            nxt = reader.skip_ws()
    if reader.skip_ws() != -1:
        raise _Malformed(f"trailing data after the list at {reader.where()}")


_COMMA, _CLOSE = ord(","), ord("]")
_OPENERS = {ord("{"): b"}", ord("["): b"]"}  # a task's first byte -> its closing bracket


def _shown(byte: int) -> str:
    return "the end of the file" if byte < 0 else repr(bytes([byte]))


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
        from secnews.validate.engine import validate_document
    except ModuleNotFoundError as exc:  # the validator ships with the toolkit; tolerate a partial install
        if exc.name != "secnews.validate.engine":
            raise
        return None
    return validate_document


class _Staging:
    """Changed documents wait here (same file system as the corpus) until the import commits."""

    def __init__(self, into: Path) -> None:
        self.into = into
        self.dir: Path | None = None
        self.names: list[str] = []
        self.staged: set[str] = set()  # = names, for lookups without a stat per task
        self.seen: set[str] = set()
        self.made_into = False

    def path_for(self, doc_id: str) -> Path:
        """The staged copy of a document if this import wrote one, else the corpus file."""
        if self.dir is not None and doc_id in self.staged:
            return self.dir / f"{doc_id}.json"
        return self.into / f"{doc_id}.json"

    def ensure(self) -> Path:
        if self.dir is None:
            self.made_into = not self.into.exists()
            self.into.mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix=".ls-import-", dir=self.into))
        return self.dir

    def put(self, doc_id: str, data: bytes | None, part: Path | None = None) -> None:
        path = self.ensure() / f"{doc_id}.json"
        if doc_id not in self.staged:
            self.names.append(doc_id)
            self.staged.add(doc_id)
        if part is not None:
            os.replace(part, path)
            return
        _write_file(path, data or b"")

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


def _write_file(path: Path, data: bytes) -> None:
    """Create or truncate ``path`` with ``data`` at the system-call level.

    ``open()`` adds an ``fstat``, an ``isatty`` probe and two buffer objects per file; with one file
    per task that is a third of the cost of writing a 40 kB document.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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
        with _open_export(export) as fh, without_cyclic_gc():
            workers = _auto_jobs(export) if jobs is None else jobs
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


def _serial_steps(fh: BinaryIO, ctx: _StepContext, staging: _Staging) -> Iterator[tuple[None, _Outcome]]:
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
    gc_free_worker()


def _worker_step(payload: bytes, index: int) -> _Outcome:
    """Convert one task in a worker; the document goes to a part file (not back through the pipe)."""
    ctx = _WORKER_CTX
    assert ctx is not None and ctx.stage_dir is not None
    out = _step(orjson.loads(payload), ctx, None, index)
    if out.data is not None and out.doc_id is not None:
        out.part = ctx.stage_dir / f"{out.doc_id}.{index}.part"
        _write_file(out.part, out.data)
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
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    window: deque[tuple[bytes, Any]] = deque()
    worker_ctx = _StepContext(ctx.into, ctx.tax, ctx.validate, ctx.source, ctx.users, stage_dir)
    with ProcessPoolExecutor(
        jobs, mp_context=mp.get_context("fork"), initializer=_worker_init, initargs=(worker_ctx,)
    ) as pool:
        for index, text in _iter_export_texts(fh, ctx.source):
            window.append((text, pool.submit(_worker_step, text, index)))
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


#: an exponent's "e" and what follows; the digit before it is checked by hand (see canonical_bytes)
_EXPONENT_TAIL = re.compile(rb"e[-+]?\d")
_DIGITS = frozenset(b"0123456789")


def canonical_bytes(doc: dict[str, Any]) -> bytes:
    """The bytes :func:`secnews.model.document.dumps_document` writes, 15x faster (orjson).

    orjson with sorted keys and 2-space indent writes the same bytes as ``json.dumps(indent=2,
    sort_keys=True, ensure_ascii=False)`` except for floats in exponent notation (``1e-05`` vs
    ``1e-5``): any output that may hold one (even inside a string) takes the reference path. A test
    checks both agree on real and synthetic documents.
    """
    data = orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    if _has_exponent(data):
        return dumps_document(doc).encode("utf-8")
    return data


def _has_exponent(data: bytes) -> bool:
    """Whether ``data`` holds a digit, ``e``, an optional sign and a digit (``1e-5``, ``2e16``).

    The same test as the regex ``\\de[-+]?\\d`` but 5x faster on French text: a pattern that starts
    with the literal ``e`` is found by a fast literal scan, while one that starts with ``\\d`` is tried
    at every digit of every offset. Matches cannot overlap (the only ``e`` of a match is its first
    character), so no candidate is skipped.
    """
    for m in _EXPONENT_TAIL.finditer(data):
        at = m.start()
        if at and data[at - 1] in _DIGITS:
            return True
    return False


def _open_export(export: Path) -> BinaryIO:
    try:
        return open(export, "rb")
    except OSError as exc:
        raise SecnewsError(
            make_finding("UNREADABLE_FILE", file=str(export), detail=exc.strerror or str(exc))
        ) from None
