"""Articles as JSON Lines: one object per line, e.g. the output of a scraper.

Fields: ``text`` and ``published`` (required), ``title``, ``url``, ``source``, ``license``, ``id``,
``authors``, ``notes``, ``collection``, ``source_id``, ``retrieved``. Any other field is an error:
a field we do not know would otherwise be silently lost. One bad line is reported and the others
are ingested.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from secnews.core.findings import Finding, SecnewsError, make_finding
from secnews.ingest.common import CorpusIndex, IngestResult, write_ingested
from secnews.ingest.text import document_from_text
from secnews.model.document import Document

REQUIRED = ("text", "published")
OPTIONAL = (
    "title",
    "url",
    "source",
    "license",
    "id",
    "authors",
    "notes",
    "collection",
    "source_id",
    "retrieved",
)


@dataclass
class BatchReport:
    results: list[IngestResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def _record_to_document(rec: Any, line: int, file: str) -> Document:
    if not isinstance(rec, dict):
        raise SecnewsError(
            make_finding("INGEST_BAD_RECORD", file=file, line=line, lineno=line, detail="not a JSON object")
        )
    for key in REQUIRED:
        if not rec.get(key):
            raise SecnewsError(
                make_finding("INGEST_MISSING_FIELD", file=file, line=line, lineno=line, field=key)
            )
    wrong = sorted(
        k
        for k in (*REQUIRED, *OPTIONAL)
        if k != "authors" and rec.get(k) is not None and not isinstance(rec[k], str)
    )
    if wrong:
        raise SecnewsError(
            make_finding(
                "INGEST_BAD_RECORD",
                file=file,
                line=line,
                lineno=line,
                detail=f"fields {wrong} must be strings",
            )
        )
    unknown = sorted(set(rec) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise SecnewsError(
            make_finding(
                "INGEST_BAD_RECORD", file=file, line=line, lineno=line, detail=f"unknown fields {unknown}"
            )
        )
    authors = rec.get("authors")
    if isinstance(authors, str):
        authors = [authors]
    if authors is not None and not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        raise SecnewsError(
            make_finding(
                "INGEST_BAD_RECORD",
                file=file,
                line=line,
                lineno=line,
                detail="authors must be a string or a list of strings",
            )
        )
    return document_from_text(
        rec["text"],
        published=rec["published"],
        doc_id=rec.get("id"),
        title=rec.get("title"),
        url=rec.get("url"),
        source=rec.get("source") or "unknown",
        license=rec.get("license") or "unknown",
        notes=rec.get("notes"),
        authors=authors,
        collection=rec.get("collection"),
        source_id=rec.get("source_id"),
        retrieved=rec.get("retrieved"),
    )


def iter_records(path: Path) -> Iterator[tuple[int, Any | Finding]]:
    """``(line number, parsed object or finding)`` for each non-blank line, streamed."""
    with Path(path).open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                yield n, orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                yield (
                    n,
                    make_finding(
                        "INGEST_BAD_RECORD", file=str(path), line=n, lineno=n, detail=f"invalid JSON: {exc}"
                    ),
                )


def ingest_jsonl(path: Path, out_dir: Path, *, progress: bool = False) -> BatchReport:
    """Ingest every line of a JSONL file; bad lines are reported with their line number."""
    report = BatchReport()
    index = CorpusIndex(out_dir)
    records: Any = iter_records(path)
    if progress:
        from tqdm import tqdm

        records = tqdm(records, desc="jsonl", unit="doc")
    for n, rec in records:
        if isinstance(rec, Finding):
            report.findings.append(rec)
            continue
        try:
            doc = _record_to_document(rec, n, str(path))
            report.results.append(write_ingested(doc, out_dir, index))
        except SecnewsError as exc:
            for f in exc.findings:
                f.line = f.line or n
                f.file = f.file or str(path)
            report.findings += exc.findings
    return report
