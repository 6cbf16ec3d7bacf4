"""One batch of documents in, one result per document out: its ``documents`` row, its prediction set as
an ``annotations`` row, and its findings as rows.

Both engines call :func:`predict_batch` on the same documents in the same order, so they write the same
rows; only who calls it (this process, or a Ray actor) differs. Whatever goes wrong with one document
(no text, an unusable date, an error in spaCy or in a rule) becomes a finding row for that document,
and the batch goes on.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow as pa

from secnews.annotate.preannotate import LAYERS, load_nlp, predict_document
from secnews.core.findings import Finding, SecnewsError, make_finding
from secnews.formats.rows import Row, encode_document
from secnews.model.document import Document

Record = dict[str, Any]

FINDINGS_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("code", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
        ("annotation_id", pa.string()),
    ]
)


@dataclass
class DocResult:
    """What one input row gives: rows to write (None when the document failed) and its findings."""

    document: Row | None = None
    annotation: Row | None = None
    findings: list[Row] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.annotation is None


def finding_row(f: Finding, doc_id: str | None) -> Row:
    return {
        "doc_id": f.doc_id or doc_id,
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "annotation_id": f.annotation_id,
    }


def _problem(doc: Document) -> Finding | None:
    """Why a document cannot go through spaCy at all (the text must be a string before parsing)."""
    text, meta = doc.get("text"), doc.get("meta")
    if not isinstance(text, str) or not text.strip():
        return make_finding("PREANNOTATE_BAD_DOCUMENT", doc_id=doc.get("id"), detail="no text")
    if not isinstance(meta, dict) or not isinstance(meta.get("published"), str):
        return make_finding("PREANNOTATE_BAD_DOCUMENT", doc_id=doc.get("id"), detail="no published date")
    return None


def _failure(doc_id: str | None, exc: BaseException) -> list[Row]:
    if isinstance(exc, SecnewsError):
        return [finding_row(f, doc_id) for f in exc.findings]
    detail = f"{type(exc).__name__}: {exc}"
    return [finding_row(make_finding("PREANNOTATE_FAILED", doc_id=doc_id, detail=detail), doc_id)]


def _parse_all(texts: list[str], batch_size: int) -> list[Any | BaseException]:
    """Parses in one ``nlp.pipe``; if the batch fails, each text alone, so only the culprit fails."""
    nlp = load_nlp()
    try:
        return list(nlp.pipe(texts, batch_size=batch_size))
    except Exception:
        out: list[Any | BaseException] = []
        for text in texts:
            try:
                out.append(nlp(text))
            except Exception as exc:
                out.append(exc)
        return out


Key = tuple[str, str, tuple[str, ...]]
#: prediction sets already computed by this process, by (text hash, published date, layers): a crawl
#: repeats syndicated dispatches word for word, and a set depends on nothing else of its document
CACHE_SIZE = 4096
_CACHE: OrderedDict[Key, tuple[Record, list[Finding]]] = OrderedDict()


def _key(doc: Document, layers: tuple[str, ...]) -> Key:
    digest = hashlib.blake2b(doc["text"].encode("utf-8"), digest_size=16).hexdigest()
    return digest, doc["meta"]["published"], layers


def _remember(key: Key, ann: Record, notes: list[Finding]) -> None:
    _CACHE[key] = (ann, notes)
    _CACHE.move_to_end(key)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)


def _from_set(doc: Document, ann: Record, notes: list[Finding]) -> DocResult:
    """The rows of a document whose prediction set is known; its findings name this document."""
    doc_id = doc.get("id")
    try:
        doc_row, ann_rows = encode_document({**doc, "annotations": [ann]})
    except Exception as exc:
        return DocResult(findings=_failure(doc_id, exc))
    return DocResult(doc_row, ann_rows[0], [finding_row(replace(f, doc_id=doc_id), doc_id) for f in notes])


def _predict_one(doc: Document, parsed: Any, layers: tuple[str, ...]) -> DocResult:
    try:
        ann, notes = predict_document(doc, layers, parsed)
    except Exception as exc:  # one document's failure is a finding, never the job's end
        return DocResult(findings=_failure(doc.get("id"), exc))
    _remember(_key(doc, layers), ann, notes)
    return _from_set(doc, ann, notes)


def predict_batch(
    docs: Sequence[Document | Finding], layers: tuple[str, ...] = LAYERS, batch_size: int = 16
) -> list[DocResult]:
    """One result per input, in input order (inputs that are already findings pass through).

    A text seen before (in this batch or an earlier one, same date and layers) is not parsed again.
    """
    results: list[DocResult | None] = [None] * len(docs)
    todo: list[int] = []
    seen: list[int] = []
    first: set[Key] = set()
    for i, doc in enumerate(docs):
        problem = doc if isinstance(doc, Finding) else _problem(doc)
        if problem is not None:
            results[i] = DocResult(findings=[finding_row(problem, problem.doc_id)])
            continue
        key = _key(doc, layers)  # type: ignore[arg-type]
        if key in _CACHE or key in first:
            seen.append(i)
        else:
            first.add(key)
            todo.append(i)
    parses = _parse_all([docs[i]["text"] for i in todo], batch_size)  # type: ignore[index]
    for i, parsed in zip(todo, parses, strict=True):
        doc = docs[i]
        assert not isinstance(doc, Finding)
        if isinstance(parsed, BaseException):
            results[i] = DocResult(findings=_failure(doc.get("id"), parsed))
        else:
            results[i] = _predict_one(doc, parsed, layers)
    for i in seen:
        doc = docs[i]
        assert not isinstance(doc, Finding)
        cached = _CACHE.get(_key(doc, layers))
        results[i] = (
            _from_set(doc, *cached) if cached else _predict_one(doc, _parse_all([doc["text"]], 1)[0], layers)
        )
    return [r for r in results if r is not None]
