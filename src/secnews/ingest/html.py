"""Saved news pages (HTML) -> documents, with trafilatura as the maintained article extractor.

Annotators save pages from their browser; trafilatura finds the article body and the page metadata
(title, date, canonical URL, site name, author). ``--published`` overrides the page's date, which
extractors sometimes take from a "last updated" field; a page with no date at all is refused,
because a document without its creation date cannot have its relative dates resolved.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from secnews.core.extras import require
from secnews.core.findings import SecnewsError, make_finding
from secnews.ingest.common import CorpusIndex, check_published, write_ingested
from secnews.ingest.jsonl import BatchReport
from secnews.ingest.text import document_from_text
from secnews.model.document import Document

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def extract_html(html: str | bytes, *, url: str | None = None) -> dict[str, Any]:
    """Article text and metadata of a page: keys text, title, date, url, sitename, author."""
    trafilatura = require("trafilatura", "ingest", "HTML extraction (secnews ingest html)")
    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if result is None:
        return {}
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return {k: data.get(k) for k in ("text", "title", "date", "url", "sitename", "author")}


def _authors(author: str | None) -> list[str]:
    return [a.strip() for a in re.split(r";|\s+et\s+|,", author or "") if a.strip()]


def document_from_html(
    path: Path,
    *,
    published: str | None = None,
    doc_id: str | None = None,
    source: str | None = None,
    license: str = "unknown",
    url: str | None = None,
) -> Document:
    path = Path(path)
    try:
        html = path.read_bytes()
    except OSError as exc:
        raise SecnewsError(
            make_finding("UNREADABLE_FILE", file=str(path), detail=exc.strerror or str(exc))
        ) from None
    data = extract_html(html, url=url)
    if not (data.get("text") or "").strip():
        raise SecnewsError(make_finding("HTML_NO_TEXT", file=str(path), name=path.name))
    date = published or data.get("date")
    if not date:
        raise SecnewsError(make_finding("HTML_NO_DATE", file=str(path), name=path.name))
    check_published(date, doc_id)
    return document_from_text(
        data["text"],
        published=date,
        doc_id=doc_id,
        stem=path.stem,
        title=data.get("title"),
        url=url or data.get("url"),
        source=source or data.get("sitename") or "unknown",
        license=license,
        authors=_authors(data.get("author")),
        source_id=path.name,
        notes="Extracted from a saved HTML page with trafilatura.",
    )


def find_html(target: Path) -> list[Path]:
    target = Path(target)
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.suffix.lower() in HTML_SUFFIXES)
    return [target]


def ingest_html(
    target: Path,
    out_dir: Path,
    *,
    published: str | None = None,
    doc_id: str | None = None,
    source: str | None = None,
    license: str = "unknown",
    url: str | None = None,
    progress: bool = False,
) -> BatchReport:
    """Ingest one saved page or every page under a directory; one bad page does not stop the others."""
    report = BatchReport()
    index = CorpusIndex(out_dir)
    pages: Any = find_html(target)
    if doc_id and len(pages) > 1:
        raise SecnewsError(make_finding("INGEST_BAD_ID", value=doc_id))
    if progress:
        from tqdm import tqdm

        pages = tqdm(pages, desc="html", unit="page")
    for page in pages:
        try:
            doc = document_from_html(
                page, published=published, doc_id=doc_id, source=source, license=license, url=url
            )
            report.results.append(write_ingested(doc, out_dir, index))
        except SecnewsError as exc:
            for f in exc.findings:
                f.file = f.file or str(page)
            report.findings += exc.findings
    return report
