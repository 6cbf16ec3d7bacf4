"""The catalogue of bad and hostile inputs, as data: one :class:`Case` per input, per command.

Each case breaks one thing in an otherwise good input (the valid fixture document, the fixture Label
Studio export, the fixture BRAT pair, a small article), so the code it must produce is the one that
names that break. Cases are grouped by command; :data:`CASES` is the whole catalogue.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import Callable
from typing import Any

import pyarrow as pa
from hostile_harness import BASE_DOC, FIXTURES, Case

Doc = dict[str, Any]


def doc_bytes(change: Callable[[Doc], Any] | None = None, *, raw: bool = False) -> bytes:
    """The valid fixture document with one change, as canonical-looking JSON bytes."""
    doc = copy.deepcopy(BASE_DOC)
    if change is not None:
        result = change(doc)
        if result is not None:
            doc = result
    return json.dumps(doc, ensure_ascii=raw is False, indent=2, sort_keys=True).encode("utf-8")


def gold(doc: Doc) -> Doc:
    ann: Doc = doc["annotations"][0]
    return ann


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    """A change that sets ``path`` (dotted, integers index lists) in the document."""

    def change(doc: Doc) -> None:
        parts = path.split(".")
        node: Any = doc
        for p in parts[:-1]:
            node = node[int(p)] if p.isdigit() else node[p]
        last = parts[-1]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _prefix_text(prefix: str) -> Callable[[Doc], None]:
    """Put ``prefix`` before the text without moving the offsets (so every span is now off)."""

    def change(doc: Doc) -> None:
        doc["text"] = prefix + doc["text"]

    return change


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


# ---------------------------------------------------------------------------------------------- validate

BAD = "in/fixture-base.json"


def validate_case(cid: str, data: bytes, codes: tuple[str, ...], names: tuple[str, ...] = ()) -> Case:
    """``secnews validate`` on one broken copy of the valid fixture."""
    return Case(f"validate-{cid}", "validate", ("validate", "{w}/" + BAD), {BAD: data}, codes, names)


def _dup_entity(doc: Doc) -> None:
    gold(doc)["entities"].append(copy.deepcopy(gold(doc)["entities"][0]))


def _dangling_relation(doc: Doc) -> None:
    gold(doc)["relations"][0]["tail"] = "V99"


def _nfd(doc: Doc) -> None:
    doc["text"] = unicodedata.normalize("NFD", doc["text"])


VALIDATE: list[Case] = [
    validate_case("empty", b"", ("MALFORMED_JSON",), ("fixture-base.json",)),
    validate_case("whitespace-only", b"  \n\t\n", ("MALFORMED_JSON",)),
    validate_case("truncated", doc_bytes()[:500], ("MALFORMED_JSON",), ("fixture-base.json",)),
    validate_case("bom", b"\xef\xbb\xbf" + doc_bytes(), ("BAD_ENCODING", "MALFORMED_JSON")),
    validate_case("latin-1", doc_bytes(raw=True).decode("utf-8").encode("latin-1"), ("BAD_ENCODING",)),
    validate_case("utf-16", doc_bytes().decode("utf-8").encode("utf-16"), ("BAD_ENCODING",)),
    validate_case("array", b"[1, 2]", ("NOT_AN_OBJECT",)),
    validate_case("deeply-nested", _nested(200_000), ("MALFORMED_JSON", "NOT_AN_OBJECT")),
    validate_case(
        "deeply-nested-field",
        doc_bytes().replace(b'"labels": {', b'"labels": {"deep": ' + _nested(100_000) + b", ", 1),
        ("MALFORMED_JSON", "UNKNOWN_FIELD", "SCHEMA"),
    ),
    validate_case(
        "off-by-one", doc_bytes(_set("annotations.0.entities.0.start", 34)), ("SPAN_TEXT_MISMATCH",), ("E1",)
    ),
    validate_case(
        "past-the-end",
        doc_bytes(_set("annotations.0.entities.0.end", 10**6)),
        ("SPAN_OUT_OF_RANGE",),
        ("E1",),
    ),
    validate_case(
        "huge-offset",
        doc_bytes(_set("annotations.0.entities.0.end", 10**40)),
        ("SPAN_OUT_OF_RANGE", "BAD_VALUE", "SCHEMA"),
    ),
    validate_case(
        "negative",
        doc_bytes(_set("annotations.0.entities.0.start", -3)),
        ("BAD_VALUE", "SPAN_OUT_OF_RANGE", "SCHEMA"),
    ),
    validate_case(
        "reversed", doc_bytes(_set("annotations.0.entities.0.start", 40)), ("SPAN_INVERTED",), ("E1",)
    ),
    validate_case("offset-string", doc_bytes(_set("annotations.0.entities.0.start", "33")), ("WRONG_TYPE",)),
    validate_case("offset-float", doc_bytes(_set("annotations.0.entities.0.start", 33.5)), ("WRONG_TYPE",)),
    validate_case(
        "offset-nan",
        doc_bytes().replace(b'"start": 33', b'"start": NaN', 1),
        ("WRONG_TYPE", "MALFORMED_JSON"),
    ),
    validate_case(
        "text-mismatch",
        doc_bytes(_set("annotations.0.entities.0.text", "FAMA")),
        ("SPAN_TEXT_MISMATCH",),
        ("E1",),
    ),
    validate_case(
        "unknown-label",
        doc_bytes(_set("annotations.0.entities.0.type", "TERRORIST")),
        ("BAD_VALUE", "UNKNOWN_LABEL"),
        ("E1",),
    ),
    validate_case(
        "html-label",
        doc_bytes(_set("annotations.0.entities.0.type", "<script>alert(1)</script>")),
        ("BAD_VALUE", "UNKNOWN_LABEL"),
        ("E1",),
    ),
    validate_case("dangling-relation", doc_bytes(_dangling_relation), ("DANGLING_REF",), ("R1",)),
    validate_case("duplicate-id", doc_bytes(_dup_entity), ("DUPLICATE_ID",), ("E1",)),
    validate_case("id-dotdot", doc_bytes(_set("id", "../../etc/passwd")), ("BAD_DOCUMENT_ID",)),
    validate_case("id-absolute", doc_bytes(_set("id", "/tmp/x")), ("BAD_DOCUMENT_ID",)),
    validate_case("id-case", doc_bytes(_set("id", "Fixture-Base")), ("BAD_DOCUMENT_ID",)),
    validate_case("nul", doc_bytes(_prefix_text("\x00")), ("TEXT_CONTROL_CHAR",)),
    validate_case(
        "crlf", doc_bytes(lambda d: _set("text", d["text"].replace("\n", "\r\n"))(d)), ("TEXT_CRLF",)
    ),
    validate_case(
        "lone-surrogate",
        doc_bytes().replace(b'"text": "Mali', b'"text": "\\ud800Mali', 1),
        ("MALFORMED_JSON",),
    ),
    validate_case("nfd", doc_bytes(_nfd), ("TEXT_NOT_NFC",)),
    validate_case("zero-width", doc_bytes(_prefix_text("\u200b")), ("TEXT_INVISIBLE_CHAR",)),
    validate_case("bidi", doc_bytes(_prefix_text("\u202e")), ("TEXT_INVISIBLE_CHAR",)),
    validate_case(
        "astral-before-spans", doc_bytes(_prefix_text("\U0001f600")), ("SPAN_TEXT_MISMATCH",), ("E6",)
    ),
    validate_case("feb-30", doc_bytes(_set("meta.published", "2024-02-30")), ("BAD_PUBLISHED_DATE",)),
    validate_case("year-0", doc_bytes(_set("meta.published", "0000-01-01")), ("BAD_PUBLISHED_DATE",)),
    validate_case(
        "timex-feb-30",
        doc_bytes(_set("annotations.0.timexes.0.value", "2024-02-30")),
        ("TIMEX_VALUE_SYNTAX", "TIMEX_DCT_INCONSISTENT"),
        ("T1",),
    ),
    validate_case(
        "timex-weekday",
        doc_bytes(_set("annotations.0.timexes.1.value", "2024-12-25")),
        ("TIMEX_WEEKDAY_MISMATCH",),
        ("T2",),
    ),
]


# ---------------------------------------------------------------------------------------------- ls import

EXPORT = "in/export.json"
_LS_TASKS: list[Doc] = [
    t
    for t in json.loads((FIXTURES / "labelstudio" / "export-full.json").read_text(encoding="utf-8"))
    if "\r" not in t["data"]["text"]
]


def export_bytes(change: Callable[[list[Doc]], Any] | None = None) -> bytes:
    tasks = copy.deepcopy(_LS_TASKS)
    if change is not None:
        change(tasks)
    return json.dumps(tasks, ensure_ascii=False).encode("utf-8")


def _region(tasks: list[Doc], control: str = "entity") -> Doc:
    region: Doc = next(r for r in tasks[0]["annotations"][0]["result"] if r.get("from_name") == control)
    return region


def _value(key: str, value: Any) -> Callable[[list[Doc]], None]:
    def change(tasks: list[Doc]) -> None:
        _region(tasks)["value"][key] = value

    return change


def _task(key: str, value: Any) -> Callable[[list[Doc]], None]:
    def change(tasks: list[Doc]) -> None:
        tasks[0]["data"][key] = value

    return change


def _first_relation(tasks: list[Doc]) -> Doc:
    rel: Doc = next(r for r in tasks[0]["annotations"][0]["result"] if r.get("type") == "relation")
    return rel


def ls_case(cid: str, data: bytes, codes: tuple[str, ...], names: tuple[str, ...] = ()) -> Case:
    """``secnews ls import`` of one broken copy of the fixture export into a corpus holding one document."""
    argv = ("ls", "import", "{w}/" + EXPORT, "--into", "{w}/corpus/documents", "--strict")
    return Case(f"ls-import-{cid}", "ls import", argv, {EXPORT: data}, codes, names)


def _dup_region_ids(tasks: list[Doc]) -> None:
    result = tasks[0]["annotations"][0]["result"]
    entity = [r for r in result if r.get("from_name") == "entity"]
    entity[1]["id"] = entity[0]["id"]


def _reversed(tasks: list[Doc]) -> None:
    value = _region(tasks)["value"]
    value["start"], value["end"] = value["end"], value["start"]


LS_IMPORT: list[Case] = [
    ls_case("empty", b"", ("LS_MALFORMED_EXPORT", "LS_NOT_AN_EXPORT")),
    ls_case("truncated", export_bytes()[:-40], ("LS_MALFORMED_EXPORT",)),
    ls_case("bom-then-garbage", b"\xef\xbb\xbf" + export_bytes()[:-2], ("LS_MALFORMED_EXPORT",)),
    ls_case(
        "latin-1",
        export_bytes().decode("utf-8").encode("latin-1", "replace"),
        ("LS_MALFORMED_EXPORT", "BAD_ENCODING"),
    ),
    ls_case("object", b'{"id": 1}', ("LS_NOT_AN_EXPORT",)),
    ls_case("task-not-object", b"[1, 2]", ("LS_BAD_TASK",)),
    ls_case("deeply-nested", _nested(200_000), ("LS_MALFORMED_EXPORT", "LS_BAD_TASK")),
    ls_case(
        "no-text", export_bytes(lambda t: t[0]["data"].pop("text")), ("LS_TASK_WITHOUT_TEXT",), ("task 1",)
    ),
    ls_case("text-number", export_bytes(_task("text", 42)), ("LS_TASK_WITHOUT_TEXT",), ("task 1",)),
    ls_case(
        "off-by-one",
        export_bytes(lambda t: _value("start", _region(t)["value"]["start"] + 1)(t)),
        ("LS_SPAN_TEXT_MISMATCH",),
        ("task 1", "annotation 1"),
    ),
    ls_case("past-the-end", export_bytes(_value("end", 10_000)), ("LS_OFFSET_OUT_OF_RANGE",), ("task 1",)),
    ls_case(
        "negative", export_bytes(_value("start", -1)), ("LS_BAD_SPAN", "LS_OFFSET_OUT_OF_RANGE"), ("task 1",)
    ),
    ls_case("reversed", export_bytes(_reversed), ("LS_BAD_SPAN",), ("task 1",)),
    ls_case(
        "offset-string", export_bytes(_value("start", "0")), ("LS_BAD_SPAN", "LS_BAD_VALUE"), ("task 1",)
    ),
    ls_case("offset-null", export_bytes(_value("end", None)), ("LS_BAD_SPAN", "LS_BAD_VALUE"), ("task 1",)),
    ls_case("region-text", export_bytes(_value("text", "Mal1")), ("LS_SPAN_TEXT_MISMATCH",), ("task 1",)),
    ls_case(
        "unknown-label", export_bytes(_value("labels", ["TERRORIST"])), ("LS_UNKNOWN_LABEL",), ("task 1",)
    ),
    ls_case(
        "html-label",
        export_bytes(_value("labels", ["<img src=x onerror=alert(1)>"])),
        ("LS_UNKNOWN_LABEL",),
        ("task 1",),
    ),
    ls_case(
        "labels-not-list",
        export_bytes(_value("labels", "GPE")),
        ("LS_BAD_LABELS", "LS_BAD_VALUE"),
        ("task 1",),
    ),
    ls_case(
        "dangling-relation",
        export_bytes(lambda t: _first_relation(t).update(to_id="NoSuchReg1")),
        ("LS_RELATION_MISSING_REGION",),
        ("task 1",),
    ),
    ls_case(
        "duplicate-region-ids",
        export_bytes(_dup_region_ids),
        ("LS_REGION_CONFLICT", "LS_BAD_ITEM", "DUPLICATE_ID", "LS_INVALID_DOCUMENT"),
        ("task 1",),
    ),
    ls_case(
        "doc-id-dotdot",
        export_bytes(_task("doc_id", "../../etc/passwd")),
        ("LS_BAD_DOCUMENT_ID",),
        ("task 1",),
    ),
    ls_case(
        "doc-id-absolute", export_bytes(_task("doc_id", "/tmp/owned")), ("LS_BAD_DOCUMENT_ID",), ("task 1",)
    ),
    ls_case("doc-id-nul", export_bytes(_task("doc_id", "abc\x00def")), ("LS_BAD_DOCUMENT_ID",), ("task 1",)),
    ls_case("crlf", export_bytes(_task("text", "a\r\nb")), ("LS_CRLF_TEXT",), ("task 1",)),
    ls_case(
        "nfd",
        export_bytes(lambda t: _task("text", unicodedata.normalize("NFD", t[0]["data"]["text"]))(t)),
        ("LS_TEXT_NOT_NFC",),
        ("task 1",),
    ),
    ls_case(
        "lone-surrogate",
        export_bytes().replace(b'"text": "Mali', b'"text": "\\udc00Mali', 1),
        (
            "LS_MALFORMED_EXPORT",
            "LS_BAD_VALUE",
            "LS_OFFSET_SPLITS_CHARACTER",
            "LS_SPAN_TEXT_MISMATCH",
            "LS_INVALID_DOCUMENT",
        ),
    ),
    ls_case(
        "bad-published",
        export_bytes(_task("published", "2024-02-30")),
        ("LS_INVALID_DOCUMENT", "BAD_PUBLISHED_DATE", "LS_BAD_VALUE"),
        ("task 1",),
    ),
    ls_case(
        "result-not-list",
        export_bytes(lambda t: t[0]["annotations"][0].update(result={"a": 1})),
        ("LS_MISSING_RESULT",),
        ("task 1",),
    ),
    ls_case(
        "item-not-object",
        export_bytes(lambda t: t[0]["annotations"][0]["result"].append("x")),
        ("LS_BAD_ITEM",),
        ("task 1",),
    ),
]

# ---------------------------------------------------------------------------------------------- convert


def _parquet_pair() -> dict[str, bytes]:
    """The valid fixture converted to a Parquet pair (bytes), the base every Parquet case breaks."""
    import tempfile
    from pathlib import Path

    from secnews.formats.convert import convert

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs"
        src.mkdir()
        (src / "fixture-base.json").write_bytes((FIXTURES / "valid" / "fixture-base.json").read_bytes())
        convert(src, Path(tmp) / "pq", dst_format="parquet")
        return {p.name: p.read_bytes() for p in (Path(tmp) / "pq").iterdir()}


def _parquet_with(table: str, change: Callable[[Any], Any]) -> dict[str, bytes]:
    import io

    import pyarrow.parquet as pq

    pair = _parquet_pair()
    t = change(pq.read_table(io.BytesIO(pair[table])))
    buf = io.BytesIO()
    pq.write_table(t, buf)
    pair[table] = buf.getvalue()
    return {f"in/pq/{k}": v for k, v in pair.items()}


def convert_case(
    cid: str,
    files: dict[str, bytes],
    argv: tuple[str, ...],
    codes: tuple[str, ...],
    names: tuple[str, ...] = (),
) -> Case:
    return Case(f"convert-{cid}", "convert", ("convert", *argv), files, codes, names)


_OUT = "{w}/out/back"

CONVERT: list[Case] = [
    convert_case(
        "dst-without-format",
        {},
        ("{w}/corpus/documents", "{w}/out/pq"),
        ("CONVERT_UNKNOWN_FORMAT",),
        ("--to",),
    ),
    convert_case(
        "missing-src",
        {},
        ("{w}/nope", _OUT, "--to", "canonical"),
        ("UNREADABLE_FILE", "CONVERT_UNKNOWN_FORMAT"),
    ),
    convert_case(
        "jsonl-malformed",
        {"in/a.jsonl": b'{"id": "x"\n'},
        ("{w}/in/a.jsonl", _OUT, "--to", "canonical"),
        ("MALFORMED_JSON", "CONVERT_BAD_DOCUMENT"),
    ),
    convert_case(
        "jsonl-empty-line-garbage",
        {"in/a.jsonl": doc_bytes().replace(b"\n", b"") + b"\n\x00\xff\n"},
        ("{w}/in/a.jsonl", _OUT, "--to", "canonical"),
        ("MALFORMED_JSON", "BAD_ENCODING", "CONVERT_BAD_DOCUMENT"),
    ),
    convert_case(
        "jsonl-invalid-doc",
        {"in/a.jsonl": doc_bytes(_set("id", "../x")).replace(b"\n", b"") + b"\n"},
        ("{w}/in/a.jsonl", _OUT, "--to", "canonical"),
        ("BAD_DOCUMENT_ID", "CONVERT_BAD_DOCUMENT"),
    ),
    convert_case(
        "parquet-truncated",
        {k: v[: len(v) // 2] for k, v in _parquet_with("documents.parquet", lambda t: t).items()},
        ("{w}/in/pq", _OUT, "--to", "canonical"),
        ("PARQUET_UNREADABLE",),
    ),
    convert_case(
        "parquet-missing-column",
        _parquet_with("documents.parquet", lambda t: t.drop_columns(["text"])),
        ("{w}/in/pq", _OUT, "--to", "canonical"),
        ("PARQUET_MISSING_COLUMN",),
        ("text",),
    ),
    convert_case(
        "parquet-extra-column",
        _parquet_with("documents.parquet", lambda t: t.append_column("evil", t.column("id"))),
        ("{w}/in/pq", _OUT, "--to", "canonical"),
        ("PARQUET_UNKNOWN_COLUMN",),
        ("evil",),
    ),
    convert_case(
        "parquet-wrong-type",
        _parquet_with(
            "documents.parquet",
            lambda t: t.set_column(
                t.schema.get_field_index("text"),
                "text",
                pa.array([[len(x)] for x in t.column("text").to_pylist()]),
            ),
        ),
        ("{w}/in/pq", _OUT, "--to", "canonical"),
        ("PARQUET_WRONG_TYPE",),
        ("text",),
    ),
    convert_case(
        "parquet-not-parquet",
        {"in/pq/documents.parquet": b"PAR1 not really", "in/pq/annotations.parquet": b""},
        ("{w}/in/pq", _OUT, "--to", "canonical"),
        ("PARQUET_UNREADABLE",),
    ),
    convert_case(
        "labelstudio-bad",
        {"in/export.json": b"[{]"},
        ("{w}/in/export.json", _OUT, "--to", "canonical"),
        ("LS_MALFORMED_EXPORT", "MALFORMED_JSON"),
    ),
    convert_case(
        "invalid-canonical-validate",
        {"in/docs/fixture-base.json": doc_bytes(_dangling_relation)},
        ("{w}/in/docs", "{w}/out/a.jsonl", "--validate"),
        ("DANGLING_REF",),
        ("R1",),
    ),
]

# ---------------------------------------------------------------------------------------------- ingest

_BRAT = FIXTURES / "ingest" / "brat" / "2016" / "01"
_BRAT_TXT = (_BRAT / "2016_01_15-001.txt").read_bytes()
_BRAT_ANN = (_BRAT / "2016_01_15-001.ann").read_bytes()
_ARTICLE = "Niger : une patrouille attaquée près de Tillabéri\n\nNiamey, 3 janvier 2025. Une patrouille a été prise en embuscade jeudi."


def brat_case(
    cid: str, txt: bytes | None, ann: bytes | None, codes: tuple[str, ...], names: tuple[str, ...] = ()
) -> Case:
    """``secnews ingest brat`` of one broken pair."""
    files: dict[str, bytes] = {}
    if txt is not None:
        files["in/brat/2016_01_15-001.txt"] = txt
    if ann is not None:
        files["in/brat/2016_01_15-001.ann"] = ann
    argv = ("ingest", "brat", "{w}/in/brat", "--into", "{w}/corpus/documents", "-q")
    return Case(f"ingest-brat-{cid}", "ingest brat", argv, files, codes, names)


def text_case(
    cid: str, data: bytes, codes: tuple[str, ...], *extra: str, published: str = "2025-01-03"
) -> Case:
    argv = (
        "ingest",
        "text",
        "{w}/in/a.txt",
        "--published",
        published,
        "--into",
        "{w}/corpus/documents",
        *extra,
    )
    return Case(f"ingest-text-{cid}", "ingest text", argv, {"in/a.txt": data}, codes)


def jsonl_case(cid: str, data: bytes, codes: tuple[str, ...], names: tuple[str, ...] = ()) -> Case:
    argv = ("ingest", "jsonl", "{w}/in/a.jsonl", "--into", "{w}/corpus/documents", "-q")
    return Case(f"ingest-jsonl-{cid}", "ingest jsonl", argv, {"in/a.jsonl": data}, codes, names)


def html_case(cid: str, data: bytes, codes: tuple[str, ...]) -> Case:
    argv = ("ingest", "html", "{w}/in/page.html", "--into", "{w}/corpus/documents", "-q")
    return Case(f"ingest-html-{cid}", "ingest html", argv, {"in/page.html": data}, codes, ("page",))


def _line(**fields: Any) -> bytes:
    record = {"text": _ARTICLE, "published": "2025-01-03", "title": "t", "license": "CC0-1.0"}
    record.update(fields)
    return json.dumps({k: v for k, v in record.items() if v is not None}).encode() + b"\n"


INGEST: list[Case] = [
    brat_case(
        "span-past-end",
        _BRAT_TXT,
        _BRAT_ANN + b"T99\tLocation 5000 5010\tnowhere\n",
        ("BRAT_UNMAPPABLE_SPAN", "BRAT_SPAN_TEXT_MISMATCH", "BRAT_BAD_LINE"),
        ("T99",),
    ),
    brat_case(
        "span-reversed",
        _BRAT_TXT,
        _BRAT_ANN + b"T99\tLocation 12 0\tBurkina Faso\n",
        ("BRAT_UNMAPPABLE_SPAN", "BRAT_SPAN_TEXT_MISMATCH", "BRAT_BAD_LINE"),
        ("T99",),
    ),
    brat_case(
        "span-negative",
        _BRAT_TXT,
        _BRAT_ANN + b"T99\tLocation -1 12\tBurkina Faso\n",
        ("BRAT_UNMAPPABLE_SPAN", "BRAT_SPAN_TEXT_MISMATCH", "BRAT_BAD_LINE"),
        ("T99",),
    ),
    brat_case(
        "span-text",
        _BRAT_TXT,
        _BRAT_ANN.replace(b"\tBurkina Faso", b"\tBurkina Fasso", 1),
        ("BRAT_SPAN_TEXT_MISMATCH",),
        ("T1",),
    ),
    brat_case("bad-line", _BRAT_TXT, _BRAT_ANN + b"T100\tLocation zero twelve\n", ("BRAT_BAD_LINE",)),
    brat_case(
        "unknown-label",
        _BRAT_TXT,
        _BRAT_ANN + b"T99\t<script> 0 12\tBurkina Faso\n",
        ("BRAT_UNKNOWN_LABEL",),
        ("T99",),
    ),
    brat_case(
        "dangling-relation",
        _BRAT_TXT,
        _BRAT_ANN + b"R9\tPart-of Arg1:T2 Arg2:T404\n",
        ("BRAT_DANGLING_REF",),
        ("R9", "T404"),
    ),
    brat_case(
        "latin-1-text", _BRAT_TXT.decode("utf-8").encode("latin-1", "replace"), _BRAT_ANN, ("BAD_ENCODING",)
    ),
    brat_case("binary-ann", _BRAT_TXT, b"\xff\xfe\x00garbage", ("BAD_ENCODING", "BRAT_BAD_LINE")),
    brat_case("empty-text", b"", b"", ("INGEST_EMPTY_TEXT",)),
    text_case("empty", b"", ("INGEST_EMPTY_TEXT",)),
    text_case("whitespace", " \n\t\u00a0\u200b ".encode(), ("INGEST_EMPTY_TEXT",)),
    text_case("latin-1", _ARTICLE.encode("latin-1"), ("BAD_ENCODING",)),
    text_case("utf-16", _ARTICLE.encode("utf-16"), ("BAD_ENCODING",)),
    text_case("feb-30", _ARTICLE.encode(), ("INGEST_BAD_DATE", "BAD_PUBLISHED_DATE"), published="2024-02-30"),
    text_case("year-0", _ARTICLE.encode(), ("INGEST_BAD_DATE", "BAD_PUBLISHED_DATE"), published="0000-06-01"),
    text_case("id-dotdot", _ARTICLE.encode(), ("INGEST_BAD_ID",), "--id", "../../etc/passwd"),
    text_case("id-absolute", _ARTICLE.encode(), ("INGEST_BAD_ID",), "--id", "/tmp/owned"),
    text_case("id-case", _ARTICLE.encode(), ("INGEST_BAD_ID",), "--id", "Fixture-Base"),
    text_case("lone-surrogate", b"\xed\xa0\x80" + _ARTICLE.encode(), ("BAD_ENCODING",)),
    text_case(
        "feb-29-not-leap",
        b"<script>alert(1)</script> Bamako.",
        ("BAD_PUBLISHED_DATE",),
        published="2025-02-29",
    ),
    text_case("text-changed", _ARTICLE.encode(), ("INGEST_TEXT_CHANGED",), "--id", "fixture-base"),
    jsonl_case("malformed", b'{"text": \n', ("INGEST_BAD_RECORD", "MALFORMED_JSON"), ("line 1",)),
    jsonl_case("not-object", b"[1]\n", ("INGEST_BAD_RECORD",), ("line 1",)),
    jsonl_case("missing-text", _line(text=None), ("INGEST_MISSING_FIELD",), ("line 1",)),
    jsonl_case("text-not-string", _line(text=["a"]), ("INGEST_BAD_RECORD", "INGEST_EMPTY_TEXT"), ("line 1",)),
    jsonl_case("bad-date", _line(published="2025-13-45"), ("INGEST_BAD_DATE",)),
    jsonl_case("bad-id", _line(id="../x"), ("INGEST_BAD_ID",)),
    jsonl_case(
        "lone-surrogate",
        _line().replace(b"Niger", b"\\ud800Niger", 1),
        ("INGEST_BAD_RECORD", "BAD_ENCODING", "MALFORMED_JSON"),
    ),
    jsonl_case("deeply-nested", _nested(200_000) + b"\n", ("INGEST_BAD_RECORD", "MALFORMED_JSON")),
    html_case("empty", b"", ("HTML_NO_TEXT",)),
    html_case("binary", bytes(range(256)) * 8, ("HTML_NO_TEXT", "BAD_ENCODING")),
    html_case("script-only", b"<html><body><script>alert(1)</script></body></html>", ("HTML_NO_TEXT",)),
]

# ---------------------------------------------------------------------------------------------- preannotate


def pre_case(cid: str, data: bytes, codes: tuple[str, ...], names: tuple[str, ...] = ()) -> Case:
    argv = ("preannotate", "{w}/in/docs", "--layers", "entities,timexes", "--no-cache")
    return Case(f"preannotate-{cid}", "preannotate", argv, {"in/docs/fixture-base.json": data}, codes, names)


PREANNOTATE: list[Case] = [
    pre_case("malformed", b"{", ("MALFORMED_JSON", "PREANNOTATE_BAD_DOCUMENT")),
    pre_case("not-object", b"[]", ("NOT_AN_OBJECT", "PREANNOTATE_BAD_DOCUMENT")),
    pre_case(
        "no-text",
        doc_bytes(lambda d: {k: v for k, v in d.items() if k != "text"}),
        ("MISSING_FIELD", "PREANNOTATE_BAD_DOCUMENT"),
    ),
    pre_case(
        "bad-published",
        doc_bytes(_set("meta.published", "2024-02-30")),
        ("TIMEX_BAD_DCT", "BAD_PUBLISHED_DATE", "PREANNOTATE_BAD_DOCUMENT"),
    ),
    pre_case(
        "year-0",
        doc_bytes(_set("meta.published", "0000-01-01")),
        ("TIMEX_BAD_DCT", "BAD_PUBLISHED_DATE", "PREANNOTATE_BAD_DOCUMENT"),
    ),
    pre_case("text-number", doc_bytes(_set("text", 12)), ("WRONG_TYPE", "PREANNOTATE_BAD_DOCUMENT")),
    pre_case(
        "latin-1",
        doc_bytes(raw=True).decode("utf-8").encode("latin-1"),
        ("BAD_ENCODING", "PREANNOTATE_BAD_DOCUMENT"),
    ),
]

# ---------------------------------------------------------------------------------------------- annotate apply

_WORKSHEET = """doc: fixture-base
set: {id: pass-x, kind: human, annotator: me, status: submitted}
labels:
  countries: [ML]
  relevant: true
entities:
- [E1, FAMa, STATE_FORCE, NAM, fama]
- [E6, Mali, GPE, NAM]
timexes:
- [T1, ce samedi 28 décembre, DATE, '2024-12-28', null, DCT]
events: []
attributions: []
relations: []
"""


def ws_case(cid: str, text: str | bytes, codes: tuple[str, ...], names: tuple[str, ...] = ()) -> Case:
    data = text.encode("utf-8") if isinstance(text, str) else text
    argv = ("annotate", "apply", "{w}/in/ws.yaml", "--into", "{w}/corpus/documents")
    return Case(f"annotate-apply-{cid}", "annotate apply", argv, {"in/ws.yaml": data}, codes, names)


ANNOTATE: list[Case] = [
    ws_case("empty", "", ("BAD_WORKSHEET",)),
    ws_case("malformed-yaml", "doc: [", ("BAD_WORKSHEET",)),
    ws_case(
        "yaml-alias-bomb",
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ndoc: *c\n",
        ("BAD_WORKSHEET",),
    ),
    ws_case("quote-not-found", _WORKSHEET.replace("[E1, FAMa,", "[E1, FAMA,"), ("QUOTE_NOT_FOUND",), ("E1",)),
    ws_case(
        "unknown-label",
        _WORKSHEET.replace("STATE_FORCE", "TERRORIST"),
        ("INVALID_RESULT", "BAD_WORKSHEET", "UNKNOWN_LABEL"),
        ("E1",),
    ),
    ws_case(
        "missing-doc",
        _WORKSHEET.replace("doc: fixture-base", "doc: nowhere"),
        ("BAD_WORKSHEET", "UNREADABLE_FILE"),
        ("nowhere",),
    ),
    ws_case(
        "doc-dotdot",
        _WORKSHEET.replace("doc: fixture-base", "doc: ../../etc/passwd"),
        ("BAD_WORKSHEET", "BAD_DOCUMENT_ID", "UNREADABLE_FILE"),
    ),
    ws_case(
        "timex-feb-30",
        _WORKSHEET.replace("'2024-12-28'", "'2024-02-30'"),
        ("INVALID_RESULT", "TIMEX_VALUE_SYNTAX", "BAD_WORKSHEET"),
        ("T1",),
    ),
    ws_case(
        "dangling-relation",
        _WORKSHEET.replace("relations: []", "relations:\n- [R1, CAUSES, V2, V1]"),
        ("INVALID_RESULT", "DANGLING_REF", "BAD_WORKSHEET"),
        ("R1",),
    ),
    ws_case("latin-1", _WORKSHEET.encode("latin-1", "replace"), ("BAD_WORKSHEET", "BAD_ENCODING")),
]

# ---------------------------------------------------------------------------------------------- splits, release

_MANIFEST_HEAD = (
    b"# params: scheme=hash ratios=0.8,0.1,0.1 seed=0 threshold=0.6\ndoc_id\tsplit\treleased\tgroup\n"
)


def splits_case(cid: str, manifest: bytes | None, codes: tuple[str, ...], *extra: str) -> Case:
    files = {} if manifest is None else {"corpus/splits.tsv": manifest}
    argv = (
        "splits",
        "{w}/corpus/documents",
        "--manifest",
        "{w}/corpus/splits.tsv",
        "--records",
        "{w}/corpus/releases",
        *extra,
    )
    return Case(f"splits-{cid}", "splits", argv, files, codes)


def release_case(cid: str, files: dict[str, bytes], codes: tuple[str, ...], *argv: str) -> Case:
    return Case(f"release-{cid}", "release", ("release", *argv), files, codes)


_REL = (
    "--documents",
    "{w}/corpus/documents",
    "--records",
    "{w}/corpus/releases",
    "--manifest",
    "{w}/corpus/splits.tsv",
    "--no-datasheet",
)

SPLITS_RELEASE: list[Case] = [
    splits_case("bad-ratios", None, ("SPLITS_BAD_OPTION",), "--ratios", "80/10"),
    splits_case("negative-ratios", None, ("SPLITS_BAD_OPTION",), "--ratios", "-10/60/50"),
    splits_case("threshold", None, ("SPLITS_BAD_OPTION",), "--threshold", "7"),
    splits_case(
        "manifest-garbage",
        _MANIFEST_HEAD + b"fixture-base\tnowhere\t\tfixture-base\n",
        ("SPLITS_BAD_MANIFEST",),
    ),
    splits_case("manifest-short-row", _MANIFEST_HEAD + b"fixture-base\n", ("SPLITS_BAD_MANIFEST",)),
    splits_case("manifest-binary", b"\xff\xfe\x00\x01", ("SPLITS_BAD_MANIFEST", "BAD_ENCODING")),
    release_case("bad-version", {}, ("RELEASE_BAD_VERSION",), "../../x", "--out", "{w}/out/rel", *_REL),
    release_case(
        "feb-30",
        {},
        ("RELEASE_BAD_VERSION", "BAD_DATE", "SPLITS_BAD_OPTION"),
        "0.9.0",
        "--date",
        "2024-02-30",
        "--out",
        "{w}/out/rel",
        *_REL,
    ),
    release_case(
        "no-documents",
        {},
        ("RELEASE_NO_DOCUMENTS",),
        "0.9.0",
        "--out",
        "{w}/out/rel",
        "--documents",
        "{w}/in/none",
        "--records",
        "{w}/corpus/releases",
        "--manifest",
        "{w}/corpus/splits.tsv",
        "--no-datasheet",
    ),
    release_case(
        "verify-missing",
        {},
        ("RELEASE_NO_RECORD", "UNREADABLE_FILE", "RELEASE_MISSING_FILE"),
        "--verify",
        "{w}/nowhere",
        "--records",
        "{w}/corpus/releases",
    ),
    release_case(
        "verify-garbage",
        {"in/rel/SHA256SUMS": b"\x00\xff", "in/rel/croissant.json": b"{"},
        ("RELEASE_NO_RECORD", "RELEASE_CHECKSUM_MISMATCH", "RELEASE_MISSING_FILE", "UNREADABLE_FILE"),
        "--verify",
        "{w}/in/rel",
        "--records",
        "{w}/corpus/releases",
    ),
]

# ---------------------------------------------------------------------------------------------- ls export, ls pull

LS_OTHER: list[Case] = [
    Case(
        "ls-export-invalid",
        "ls export",
        ("ls", "export", "{w}/in/docs", "--out", "{w}/out/t.json"),
        {"in/docs/fixture-base.json": doc_bytes(_dangling_relation)},
        ("DANGLING_REF",),
        ("R1",),
    ),
    Case(
        "ls-export-malformed",
        "ls export",
        ("ls", "export", "{w}/in/docs", "--out", "{w}/out/t.json"),
        {"in/docs/fixture-base.json": b"{"},
        ("MALFORMED_JSON",),
    ),
    Case(
        "ls-pull-no-url",
        "ls pull",
        ("ls", "pull", "--project", "x", "--into", "{w}/corpus/documents"),
        {},
        ("LS_NO_URL", "LS_NO_TOKEN"),
        env={"LABEL_STUDIO_URL": "", "LABEL_STUDIO_API_KEY": ""},
    ),
    Case(
        "ls-pull-refused",
        "ls pull",
        ("ls", "pull", "--project", "x", "--url", "http://127.0.0.1:9", "--into", "{w}/corpus/documents"),
        {},
        ("LS_SERVER_ERROR",),
        env={"LABEL_STUDIO_API_KEY": "not-a-token"},
    ),
]

# ---------------------------------------------------------------------------------------------- at scale, across files

_BIG = "Mali : " + "un long texte sans fin. " * (50 * 2**20 // 24)  # 50 MB of text


def _big_doc(doc: Doc) -> None:
    doc["text"] = _BIG
    ann = gold(doc)
    ann.update(entities=[], events=[], attributions=[], timexes=[], relations=[])
    ann["entities"].append(
        {"actor": None, "end": 5, "id": "E1", "mention": "NAM", "start": 1, "text": "Mali", "type": "GPE"}
    )


def _other_id(doc_id: str) -> Callable[[Doc], None]:
    return _set("id", doc_id)


SCALE: list[Case] = [
    validate_case("50mb-text-off-by-one", doc_bytes(_big_doc), ("SPAN_TEXT_MISMATCH",), ("E1",)),
    jsonl_case(
        "50mb-line-no-date",
        json.dumps({"text": _BIG}).encode() + b"\n",
        ("INGEST_MISSING_FIELD",),
        ("line 1",),
    ),
    Case(
        "validate-duplicate-doc-across-files",
        "validate",
        ("validate", "{w}/in/docs"),
        {"in/docs/fixture-base.json": doc_bytes(), "in/docs/copy.json": doc_bytes()},
        ("DUPLICATE_DOCUMENT_ID", "FILE_NAME_MISMATCH"),
        ("copy.json",),
    ),
    Case(
        "validate-case-only-file-name",
        "validate",
        ("validate", "{w}/in/docs"),
        {"in/docs/Fixture-Base.json": doc_bytes()},
        ("FILE_NAME_MISMATCH",),
        ("Fixture-Base",),
    ),
    text_case("case-only-id-clash", _ARTICLE.encode(), ("INGEST_BAD_ID",), "--id", "FIXTURE-BASE"),
]

CASES: list[Case] = [
    *VALIDATE,
    *LS_IMPORT,
    *CONVERT,
    *INGEST,
    *PREANNOTATE,
    *ANNOTATE,
    *SPLITS_RELEASE,
    *LS_OTHER,
    *SCALE,
]
