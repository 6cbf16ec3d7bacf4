"""What every ingest shares: text normalisation, ids, duplicate detection, safe writing.

Text never changes once annotated, so the ingest is the one place where it is cleaned (NFC, ``\\n``,
no control or invisible format characters), and a document already on disk is never clobbered:
re-running an ingest refreshes only the annotation set that ingest owns and keeps everybody else's
(gold sets, predictions), and refuses outright when the text would change. Two ids for one text
would leak test articles into training, so a text already present under another id is refused too.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from secnews.core.findings import Finding, Rule, SecnewsError, make_finding, register
from secnews.core.ids import DOCUMENT_ID_RE
from secnews.core.project import load_project
from secnews.model.document import SCHEMA_VERSION, Document, document_path, read_document, save_document

register(
    Rule(
        "INGEST_DUPLICATE",
        "Duplicate text",
        "error",
        "the same text is already in the corpus as {existing!r}; not ingested again as {doc_id!r}",
        "Two documents with one text would count twice and could leak between splits.",
        "ingest",
    ),
    Rule(
        "INGEST_TEXT_CHANGED",
        "Text would change",
        "error",
        "document {doc_id!r} exists with a different text; refusing to overwrite it "
        "(text never changes once annotated: ingest under a new id or remove the old document)",
        "Offsets of every annotation set point into the text; changing it would corrupt them.",
        "ingest",
    ),
    Rule(
        "INGEST_EMPTY_TEXT",
        "Empty text",
        "error",
        "no text to ingest{detail}",
        "A document without text cannot be annotated.",
        "ingest",
    ),
    Rule(
        "INGEST_BAD_DATE",
        "Bad publication date",
        "error",
        "publication date {value!r} is not an ISO date (YYYY-MM-DD) or date-time with offset",
        "meta.published is the document creation time every relative date is resolved against.",
        "ingest",
    ),
    Rule(
        "INGEST_BAD_ID",
        "Bad document id",
        "error",
        "cannot use {value!r} as a document id (^[a-z0-9][a-z0-9._-]{{0,127}}$)",
        "A document id names its file.",
        "ingest",
    ),
    Rule(
        "INGEST_MISSING_FIELD",
        "Missing field",
        "error",
        "line {lineno}: missing required field {field!r}",
        "Each JSONL record needs at least a text and a publication date.",
        "ingest",
    ),
    Rule(
        "INGEST_BAD_RECORD",
        "Bad record",
        "error",
        "line {lineno}: {detail}",
        "Each JSONL line must be one JSON object.",
        "ingest",
    ),
    Rule(
        "INGEST_NOT_NFC",
        "Source text not NFC",
        "error",
        "source text is not in Unicode NFC; its offsets cannot be re-mapped one to one",
        "BRAT offsets point into the source text as written; composing characters would shift them.",
        "ingest",
    ),
    Rule(
        "BRAT_UNMAPPABLE_SPAN",
        "Unmappable annotation",
        "error",
        "annotation {ann_id} [{start}, {end}) {text!r} cannot be mapped exactly onto the clean text: {detail}",
        "An annotation whose span starts or ends on a removed character has no exact image; it is "
        "reported, never stretched or dropped silently.",
        "ingest",
    ),
    Rule(
        "BRAT_SPAN_TRIMMED",
        "Annotation span trimmed",
        "warning",
        "annotation {ann_id} [{start}, {end}) {text!r} ended on a removed invisible character or space; "
        "kept as {new_text!r}",
        "Invisible marks (U+200F...) and inserted spaces are removed from the text; a span that "
        "swallowed one keeps exactly its remaining characters.",
        "ingest",
    ),
    Rule(
        "BRAT_BAD_LINE",
        "Unreadable BRAT line",
        "error",
        "line {lineno}: cannot parse {content!r}",
        "Every line of a .ann file must be a BRAT record.",
        "ingest",
    ),
    Rule(
        "BRAT_UNKNOWN_LABEL",
        "Unknown BRAT label",
        "error",
        "annotation {ann_id}: label {label!r} has no mapping to the secnews taxonomy",
        "Imported labels are mapped explicitly; an unmapped one would otherwise be lost.",
        "ingest",
    ),
    Rule(
        "BRAT_NOT_IMPORTED",
        "BRAT record not imported",
        "warning",
        "line {lineno}: {kind} record {ann_id} is kept in origin.extra.unimported, not as an annotation",
        "Relations, events, attributes and notes of other schemes have no secnews equivalent yet; "
        "they are kept verbatim so that nothing is dropped.",
        "ingest",
    ),
    Rule(
        "BRAT_DANGLING_REF",
        "BRAT record points at nothing",
        "error",
        "line {lineno}: {kind} record {ann_id} points at {target}, which the .ann file does not define",
        "A relation, event, attribute or note about a missing annotation means the .ann file is cut or "
        "edited by hand; kept verbatim it would carry a broken link into the corpus.",
        "ingest",
    ),
    Rule(
        "BRAT_SPAN_TEXT_MISMATCH",
        "BRAT span text mismatch",
        "error",
        "annotation {ann_id}: the .ann says {expected!r} but the text at [{start}, {end}) is {found!r}",
        "A BRAT span must quote the text it points at; otherwise the offsets are wrong.",
        "ingest",
    ),
    Rule(
        "BRAT_NO_ANN",
        "No annotation file",
        "warning",
        "{name} has no .ann file: ingested without an imported annotation set",
        "A text without annotations is still an article of the corpus.",
        "ingest",
    ),
    Rule(
        "DCT_MISMATCH",
        "Publication dates disagree",
        "warning",
        "file name date {file_date} and dateline date {dateline_date} differ; published = {chosen}",
        "The dateline is the date the article's relative dates refer to; the file name may record a "
        "later update.",
        "ingest",
    ),
    Rule(
        "DCT_NO_DATELINE",
        "No dateline",
        "warning",
        "no dateline found in the first lines; published = {chosen} from the file name",
        "The dateline is the in-text evidence of the publication date.",
        "ingest",
    ),
    Rule(
        "HTML_NO_TEXT",
        "No article text",
        "error",
        "{name}: the extractor found no article text",
        "The page may not be an article, or the extractor failed on it.",
        "ingest",
    ),
    Rule(
        "HTML_NO_DATE",
        "No publication date",
        "error",
        "{name}: no publication date; pass --published",
        "Every document needs its creation date to resolve relative dates.",
        "ingest",
    ),
)

ISO_DATE_RE = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$"
)
_INVISIBLE = ("Cc", "Cf")


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no control/format characters except ``\\n`` and ``\\t``, stripped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _INVISIBLE)
    return text.strip()


def is_normalized(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def text_hash(text: str) -> str:
    """Hash of the normalised text: the identity used for duplicate detection."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def slugify(text: str, max_len: int = 60) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:max_len].rstrip("-")


def make_doc_id(*, explicit: str | None, stem: str | None, title: str | None, text: str) -> str:
    """An explicit id; else the file stem when it is a valid id; else a title slug and a short hash."""
    if explicit:
        if not DOCUMENT_ID_RE.match(explicit):
            raise SecnewsError(make_finding("INGEST_BAD_ID", value=explicit))
        return explicit
    if stem and DOCUMENT_ID_RE.match(stem):
        return stem
    slug = slugify(title or text[:80]) or "doc"
    return f"{slug}-{text_hash(text)[:8]}"


def check_published(value: str, doc_id: str | None = None) -> str:
    if not isinstance(value, str) or not ISO_DATE_RE.match(value):
        raise SecnewsError(make_finding("INGEST_BAD_DATE", doc_id=doc_id, value=value))
    return value


def build_meta(
    *,
    published: str,
    source: str,
    license: str,
    title: str | None = None,
    url: str | None = None,
    collection: str | None = None,
    attribution: str | None = None,
    source_id: str | None = None,
    authors: list[str] | None = None,
    retrieved: str | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    """``meta`` with every canonical field present (optional ones null), so documents look alike."""
    return {
        "published": published,
        "source": source,
        "language": load_project().language,
        "license": license,
        "title": title,
        "url": url,
        "collection": collection,
        "attribution": attribution,
        "source_id": source_id,
        "authors": list(authors or []),
        "retrieved": retrieved,
        "notes": notes,
    }


def new_document(
    doc_id: str, text: str, meta: dict[str, Any], annotations: list[dict[str, Any]] | None = None
) -> Document:
    return {
        "schema_version": SCHEMA_VERSION,
        "id": doc_id,
        "text": text,
        "meta": meta,
        "annotations": list(annotations or []),
    }


class CorpusIndex:
    """Text hashes of the documents already in a directory, to refuse duplicates.

    Built once per ingest run (a streaming pass with orjson) and updated as documents are written,
    so a batch that contains the same article twice is caught too.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.by_hash: dict[str, str] = {}
        if self.directory.is_dir():
            for p in sorted(self.directory.glob("*.json")):
                try:
                    doc = orjson.loads(p.read_bytes())
                except (OSError, orjson.JSONDecodeError):
                    continue  # the validator reports broken files; ingest only needs the readable ones
                if isinstance(doc, dict) and isinstance(doc.get("text"), str):
                    self.by_hash.setdefault(text_hash(doc["text"]), str(doc.get("id", p.stem)))

    def owner(self, text: str) -> str | None:
        return self.by_hash.get(text_hash(text))

    def add(self, doc: Document) -> None:
        self.by_hash.setdefault(text_hash(doc["text"]), doc["id"])


Status = Literal["created", "updated", "unchanged"]


@dataclass
class IngestResult:
    doc_id: str
    path: Path
    status: Status
    findings: list[Finding] = field(default_factory=list)


def merge_into_existing(new: Document, old: Document, owned_sets: Iterable[str]) -> Document:
    """The existing document with ``new``'s meta and owned annotation sets; other sets untouched."""
    owned = set(owned_sets)
    new_sets = {a["id"]: a for a in new["annotations"]}
    merged_sets = []
    for ann in old.get("annotations", []):
        if ann.get("id") in owned:
            if ann["id"] in new_sets:
                merged_sets.append(new_sets.pop(ann["id"]))
        else:
            merged_sets.append(ann)
    merged_sets.extend(a for a in new["annotations"] if a["id"] in new_sets)
    meta = {**old.get("meta", {}), **new["meta"]}
    return {**old, "schema_version": new["schema_version"], "meta": meta, "annotations": merged_sets}


def validation_errors(doc: Document, file: str | None = None) -> list[Finding]:
    """The validator's errors for ``doc`` (none when the validator is not installed yet)."""
    try:
        from secnews.validate.engine import validate_document
    except ModuleNotFoundError as exc:  # pragma: no cover - only before the validator lands
        if exc.name != "secnews.validate.engine":
            raise
        return []
    return [f for f in validate_document(doc, file=file) if f.severity == "error"]


def write_ingested(
    doc: Document,
    directory: Path,
    index: CorpusIndex,
    *,
    owned_sets: Iterable[str] = (),
    findings: list[Finding] | None = None,
) -> IngestResult:
    """Write ``doc`` unless that would clobber or duplicate; idempotent (same bytes on a re-run)."""
    from secnews.model.document import dumps_document

    directory = Path(directory)
    findings = list(findings or [])
    if not doc["text"]:
        raise SecnewsError(make_finding("INGEST_EMPTY_TEXT", doc_id=doc["id"], detail=f" for {doc['id']!r}"))
    path = document_path(directory, doc["id"])
    if path.exists():
        old = read_document(path)
        if old.get("text") != doc["text"]:
            raise SecnewsError(make_finding("INGEST_TEXT_CHANGED", file=str(path), doc_id=doc["id"]))
        merged = merge_into_existing(doc, old, owned_sets)
        if dumps_document(merged) == dumps_document(old):
            return IngestResult(doc["id"], path, "unchanged", findings)
        errors = validation_errors(merged, str(path))
        if errors:
            raise SecnewsError(*errors)
        save_document(merged, directory)
        return IngestResult(doc["id"], path, "updated", findings)
    owner = index.owner(doc["text"])
    if owner is not None and owner != doc["id"]:
        raise SecnewsError(make_finding("INGEST_DUPLICATE", doc_id=doc["id"], existing=owner))
    errors = validation_errors(doc, str(path))
    if errors:
        raise SecnewsError(*errors)
    save_document(doc, directory)
    index.add(doc)
    return IngestResult(doc["id"], path, "created", findings)
