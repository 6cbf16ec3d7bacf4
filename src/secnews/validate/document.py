"""The document as a whole: its file name, its text, its publication date and its annotation sets.

Text rules protect offsets: every span is code points into the NFC text with ``\\n`` line ends, so
anything that would shift or hide characters is reported before any span is looked at.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from typing import Any

from secnews.core.findings import Rule, register
from secnews.model import timex3 as tx
from secnews.validate.check import Context, SetScope, check

register(
    Rule(
        "FILE_NAME_MISMATCH",
        "File name mismatch",
        "error",
        "file is named {stem!r} but the document id is {doc!r}",
        "A document lives in corpus/documents/<id>.json so that ids and files cannot drift apart.",
        "document",
    ),
    Rule(
        "TEXT_NOT_NFC",
        "Text not NFC",
        "error",
        "text is not in Unicode NFC form (first difference near offset {offset})",
        "Offsets are code points of the NFC text; a decomposed accent would shift every later offset.",
        "document",
    ),
    Rule(
        "TEXT_CONTROL_CHAR",
        "Control character in text",
        "error",
        "text contains control character U+{codepoint} at offset {offset}",
        "Only \\n and \\t are allowed: control characters break tools and tokenisers.",
        "document",
    ),
    Rule(
        "TEXT_CRLF",
        "Carriage return in text",
        "error",
        "text contains a carriage return at offset {offset}",
        "The canonical text uses \\n line ends; \\r\\n shifts offsets in Label Studio (a known upstream bug).",
        "document",
    ),
    Rule(
        "TEXT_INVISIBLE_CHAR",
        "Invisible character in text",
        "warning",
        "text contains invisible character U+{codepoint} at offset {offset}",
        "Zero-width characters, BOMs and bidirectional controls are copy-paste debris (or a trick) that makes spans "
        "look equal when they are not.",
        "document",
    ),
    Rule(
        "BAD_PUBLISHED_DATE",
        "Bad publication date",
        "error",
        "meta.published {value!r} is not a real date",
        "The DCT anchors every relative date; it must be a real calendar date.",
        "document",
    ),
    Rule(
        "MULTIPLE_GOLD",
        "Several gold sets",
        "error",
        "{count} annotation sets have status 'gold' ({sets})",
        "A release takes the gold set; with two, which one is gold would be a guess.",
        "document",
    ),
    Rule(
        "DUPLICATE_SET_ID",
        "Duplicate annotation set id",
        "error",
        "annotation set id {value!r} is used {count} times",
        "Annotation sets are merged by id on import: ids must be unique within a document.",
        "document",
    ),
    Rule(
        "GOLD_IS_PREDICTION",
        "Gold set is a prediction",
        "error",
        "annotation set {value!r} is a model prediction but has status 'gold'",
        "Gold is made by people (by correcting or adjudicating); a model's output is never gold as is.",
        "document",
    ),
    Rule(
        "PREDICTION_ANNOTATOR",
        "Prediction annotator format",
        "warning",
        "prediction set annotator {value!r} should read 'model:<name>@<version>'",
        "Naming the model and version lets evaluations compare model versions.",
        "document",
    ),
)

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: zero-width characters, BOMs and the bidirectional controls (a right-to-left override makes a span
#: display as other text than it holds: the "Trojan Source" trick)
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


@check("FILE_NAME_MISMATCH")
def file_name(ctx: Context, doc: Any) -> None:
    """Runs on any input, even one the schema rejects: a misnamed file is worth knowing either way."""
    doc_id = doc.get("id") if isinstance(doc, dict) else None
    if ctx.file is None or not isinstance(doc_id, str):
        return
    stem = os.path.splitext(os.path.basename(ctx.file))[0]
    if stem != doc_id:
        ctx.add("FILE_NAME_MISMATCH", "$.id", stem=stem, doc=doc_id)


@check("TEXT_NOT_NFC", "TEXT_CRLF", "TEXT_CONTROL_CHAR", "TEXT_INVISIBLE_CHAR")
def text(ctx: Context, doc: dict[str, Any]) -> None:
    """The first offending character of each kind (one is enough to find the rest)."""
    value = doc["text"]
    if not unicodedata.is_normalized("NFC", value):
        nfc = unicodedata.normalize("NFC", value)
        offset = next(
            (i for i, (a, b) in enumerate(zip(value, nfc, strict=False)) if a != b), min(len(value), len(nfc))
        )
        ctx.add("TEXT_NOT_NFC", "$.text", offset=offset)
    if "\r" in value:
        ctx.add("TEXT_CRLF", "$.text", offset=value.index("\r"))
    m = _CONTROL_RE.search(value.replace("\r", "\n"))
    if m:
        ctx.add("TEXT_CONTROL_CHAR", "$.text", codepoint=f"{ord(m.group()):04X}", offset=m.start())
    m = _INVISIBLE_RE.search(value)
    if m:
        ctx.add("TEXT_INVISIBLE_CHAR", "$.text", codepoint=f"{ord(m.group()):04X}", offset=m.start())


@check("BAD_PUBLISHED_DATE")
def published(ctx: Context, doc: dict[str, Any]) -> None:
    """The schema checks the date's shape; this checks it is a day of the calendar."""
    value = doc["meta"]["published"]
    if tx.parse_dct(value) is None:
        ctx.add("BAD_PUBLISHED_DATE", "$.meta.published", value=value)


@check("MULTIPLE_GOLD", "DUPLICATE_SET_ID")
def annotation_sets(ctx: Context, doc: dict[str, Any]) -> None:
    """One gold set at most, and set ids unique (imports merge sets by id)."""
    sets = doc["annotations"]
    golds = [a["id"] for a in sets if a["status"] == "gold"]
    if len(golds) > 1:
        ctx.add("MULTIPLE_GOLD", "$.annotations", count=len(golds), sets=", ".join(golds))
    ids = [a["id"] for a in sets]
    if len(set(ids)) == len(ids):
        return
    for set_id, count in Counter(ids).items():
        if count > 1:
            ctx.add("DUPLICATE_SET_ID", "$.annotations", value=set_id, count=count)


@check("GOLD_IS_PREDICTION", "PREDICTION_ANNOTATOR")
def set_header(ctx: Context, scope: SetScope) -> None:
    """A model's set is never gold as is, and names the model it came from."""
    ann = scope.ann
    if ann["kind"] != "prediction":
        return
    if ann["status"] == "gold":
        ctx.add("GOLD_IS_PREDICTION", (), value=ann["id"])
    if not ann["annotator"].startswith("model:"):
        ctx.add("PREDICTION_ANNOTATOR", ("annotator",), value=ann["annotator"])
