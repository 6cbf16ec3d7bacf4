"""Pre-annotating documents on disk: stream, parse in batches, write each prediction set atomically.

Documents are read lazily and fed to ``nlp.pipe`` in batches (the parse dominates the cost; batching
is what makes it fast on two cores). A document that cannot be read or lacks a text is reported as a
coded finding and skipped; the others are written only when their bytes change, so re-running on an
unchanged corpus touches no file.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secnews.annotate.preannotate.build import LAYERS, build_prediction_set, checked, replace_set
from secnews.annotate.preannotate.pipeline import load_nlp
from secnews.core.findings import Finding, SecnewsError, make_finding
from secnews.model.document import dumps_document, iter_document_files, read_document, write_document

Record = dict[str, Any]


@dataclass
class PreannotateReport:
    documents: int = 0
    written: int = 0
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    records: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "written": self.written,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.docs_per_second, 2),
            "records": dict(sorted(self.records.items())),
            "findings": [f.to_dict() for f in self.findings],
        }


def _usable(doc: Any, path: Path) -> Finding | None:
    """Why a parsed JSON value cannot be pre-annotated (None when it can)."""
    if not isinstance(doc, dict):
        return make_finding("PREANNOTATE_BAD_DOCUMENT", file=str(path), detail="not a JSON object")
    text = doc.get("text")
    meta = doc.get("meta")
    if not isinstance(text, str) or not text:
        return make_finding("PREANNOTATE_BAD_DOCUMENT", file=str(path), detail="no text")
    if not isinstance(meta, dict) or not isinstance(meta.get("published"), str):
        return make_finding("PREANNOTATE_BAD_DOCUMENT", file=str(path), detail="no meta.published date")
    if not isinstance(doc.get("annotations", []), list):
        return make_finding("PREANNOTATE_BAD_DOCUMENT", file=str(path), detail="annotations is not a list")
    return None


def _readable(files: Iterable[Path], report: PreannotateReport) -> Iterator[tuple[str, tuple[Path, Record]]]:
    for path in files:
        try:
            doc = read_document(path)
        except SecnewsError as exc:
            report.failed += 1
            report.findings.extend(exc.findings)
            continue
        problem = _usable(doc, path)
        if problem is not None:
            report.failed += 1
            report.findings.append(problem)
            continue
        yield doc["text"], (path, doc)


def predict_document(
    doc: Record, layers: tuple[str, ...] = LAYERS, parsed: Any = None
) -> tuple[Record, list[Finding]]:
    """The checked prediction set of one in-memory document (parsing it unless ``parsed`` is given)."""
    nlp = load_nlp()
    problem = _usable(doc, Path(str(doc.get("id", "<document>")) if isinstance(doc, dict) else "<document>"))
    if problem is not None:
        raise SecnewsError(problem)
    parsed = parsed if parsed is not None else nlp(doc["text"])
    try:
        ann = build_prediction_set(doc, parsed, nlp, layers)
    except SecnewsError:
        raise
    except ValueError as exc:  # an unusable DCT surfaces here from the timex rules
        raise SecnewsError(
            make_finding("PREANNOTATE_BAD_DOCUMENT", doc_id=doc.get("id"), detail=str(exc))
        ) from None
    except Exception as exc:
        raise SecnewsError(
            make_finding(
                "PREANNOTATE_BAD_DOCUMENT",
                doc_id=doc.get("id"),
                detail=f"the rules failed on this document ({type(exc).__name__}: {exc}); please report it",
            )
        ) from None
    return checked(doc, ann)


def preannotate_paths(
    paths: Iterable[Path | str],
    layers: tuple[str, ...] = LAYERS,
    *,
    batch_size: int = 16,
    write: bool = True,
    progress: Any = None,
) -> PreannotateReport:
    """Pre-annotate every document under ``paths`` (files or directories), replacing only our set.

    ``progress`` is called with the number of documents done after each one (a progress bar's
    ``advance``); ``write=False`` computes everything and writes nothing (a dry run, a benchmark).
    """
    report = PreannotateReport()
    nlp = load_nlp()
    files = list(iter_document_files(paths))
    started = time.perf_counter()
    stream = _readable(files, report)
    for parsed, (path, doc) in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        try:
            ann, notes = predict_document(doc, layers, parsed)
        except SecnewsError as exc:
            report.failed += 1
            for f in exc.findings:  # a rule deep in the pipeline does not know which file it read
                f.file, f.doc_id = f.file or str(path), f.doc_id or doc.get("id")
            report.findings.extend(exc.findings)
            continue
        report.findings.extend(notes)
        report.documents += 1
        for layer in LAYERS:
            report.records[layer] += len(ann[layer])
        new_doc = replace_set(doc, ann)
        if write and dumps_document(new_doc) != path.read_text(encoding="utf-8"):
            write_document(new_doc, path)
            report.written += 1
        else:
            report.unchanged += 1
        if progress is not None:
            progress(1)
    report.seconds = time.perf_counter() - started
    return report


def count_documents(paths: Iterable[Path | str]) -> int:
    """How many files a run will visit (for a progress bar's total)."""
    return sum(1 for _ in iter_document_files(paths))
