"""Ingest of new articles: plain text (the seed), JSONL, saved HTML, and the command line."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from secnews.cli.main import main as cli_main
from secnews.core.findings import SecnewsError
from secnews.core.paths import corpus_dir
from secnews.ingest.common import CorpusIndex, normalize_text, text_hash
from secnews.ingest.html import ingest_html
from secnews.ingest.jsonl import ingest_jsonl
from secnews.ingest.text import document_from_text, ingest_text
from secnews.model.document import read_document
from secnews.validate.engine import validate_document

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
SEED = corpus_dir() / "sources" / "seeds" / "000_7302031bc759a944.txt"


def _errors(doc: dict) -> list:
    return [f for f in validate_document(doc) if f.severity == "error"]


def test_normalize_text() -> None:
    decomposed = "Se\u0301gou\r\nBamako\u200b\x07\t ok  "
    out = normalize_text(decomposed)
    assert out == "Ségou\nBamako\t ok"
    assert unicodedata.is_normalized("NFC", out)
    assert text_hash(decomposed) == text_hash(out)


def test_seed_ingest(tmp_path: Path) -> None:
    result = ingest_text(
        SEED,
        tmp_path,
        published="2024-12-28",
        doc_id="000_7302031bc759a944",
        title="Mali : un coup dur pour la Katiba Serma",
        notes="scraped",
    )
    doc = read_document(result.path)
    raw = SEED.read_text(encoding="utf-8")
    assert doc["text"] == unicodedata.normalize("NFC", raw).strip()
    assert doc["text"].startswith("date 2024-12 Les Forces Armées Maliennes")
    assert doc["annotations"] == []
    assert (doc["meta"]["source"], doc["meta"]["license"], doc["meta"]["published"]) == (
        "unknown",
        "unknown",
        "2024-12-28",
    )
    assert _errors(doc) == []


def test_default_ids(tmp_path: Path) -> None:
    ok = document_from_text("Un texte.", published="2025-01-01", stem="good_id-1")
    assert ok["id"] == "good_id-1"
    slug = document_from_text(
        "Un autre texte.", published="2025-01-01", stem="Bad Name!", title="Mali : l’attaque"
    )
    assert slug["id"].startswith("mali-l-attaque-") and len(slug["id"]) == len("mali-l-attaque-") + 8
    with pytest.raises(SecnewsError) as exc:
        document_from_text("x", published="2025-01-01", doc_id="Bad Id")
    assert exc.value.findings[0].code == "INGEST_BAD_ID"


def test_duplicate_text_under_another_id_is_refused(tmp_path: Path) -> None:
    ingest_text(SEED, tmp_path, published="2024-12-28", doc_id="seed-a")
    copy = tmp_path / "copy.txt"
    copy.write_text("\n\n" + SEED.read_text(encoding="utf-8").replace("\n", "\r\n") + "  ", encoding="utf-8")
    with pytest.raises(SecnewsError) as exc:
        ingest_text(copy, tmp_path, published="2024-12-28", doc_id="seed-b", index=CorpusIndex(tmp_path))
    (finding,) = exc.value.findings
    assert finding.code == "INGEST_DUPLICATE" and "seed-a" in finding.message
    assert not (tmp_path / "seed-b.json").exists()
    again = ingest_text(SEED, tmp_path, published="2024-12-28", doc_id="seed-a")
    assert again.status == "unchanged"


def test_bad_date_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SecnewsError) as exc:
        ingest_text(SEED, tmp_path, published="28/12/2024")
    assert exc.value.findings[0].code == "INGEST_BAD_DATE"
    assert not list(tmp_path.glob("*.json"))


def test_jsonl_reports_bad_lines_and_ingests_the_rest(tmp_path: Path) -> None:
    report = ingest_jsonl(FIXTURES / "articles.jsonl", tmp_path)
    assert [r.status for r in report.results] == ["created", "created"]
    codes = [(f.line, f.code) for f in report.findings]
    assert codes == [
        (4, "INGEST_MISSING_FIELD"),
        (5, "INGEST_BAD_RECORD"),
        (6, "INGEST_BAD_RECORD"),
        (7, "INGEST_DUPLICATE"),
        (8, "INGEST_BAD_DATE"),
    ]
    first = read_document(tmp_path / "jsonl-001.json")
    assert first["meta"]["authors"] == ["A. Auteur"] and first["meta"]["license"] == "CC0-1.0"
    second = read_document(report.results[1].path)
    assert second["meta"]["authors"] == ["B. Auteur"] and second["id"].startswith("burkina-faso-des-vdp-tues")
    assert all(_errors(read_document(r.path)) == [] for r in report.results)


def test_html_page(tmp_path: Path) -> None:
    report = ingest_html(FIXTURES / "html", tmp_path)
    assert report.errors == []
    (result,) = report.results
    doc = read_document(result.path)
    meta = doc["meta"]
    assert meta["title"] == "Mali : attaque contre un poste militaire près de Kayes"
    assert meta["published"] == "2025-07-01"
    assert meta["source"] == "Le Journal du Sahel"
    assert meta["url"] == "https://journal-du-sahel.example/2025/07/01/mali-attaque-kayes"
    assert meta["authors"] == ["Aminata Traoré"]
    assert "Forces armées maliennes (FAMa)" in doc["text"]
    assert "Tous droits réservés" not in doc["text"] and "Accueil" not in doc["text"]
    assert _errors(doc) == []


def test_html_published_override_and_missing_date(tmp_path: Path) -> None:
    report = ingest_html(
        FIXTURES / "html" / "attaque-kayes.html", tmp_path, published="2025-06-30", doc_id="kayes"
    )
    assert read_document(tmp_path / "kayes.json")["meta"]["published"] == "2025-06-30"
    page = tmp_path / "nodate.html"
    body = "".join(
        f"<p>Paragraphe {i} : des hommes armés ont attaqué un village du centre du Mali.</p>"
        for i in range(8)
    )
    page.write_text(f"<html><body><article>{body}</article></body></html>", encoding="utf-8")
    report = ingest_html(page, tmp_path / "out")
    assert [f.code for f in report.errors] == ["HTML_NO_DATE"]


def test_cli_text_and_coded_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = cli_main(
        [
            "ingest",
            "text",
            str(SEED),
            "--published",
            "2024-12-28",
            "--id",
            "seed-cli",
            "--title",
            "Mali : un coup dur pour la Katiba Serma",
            "--into",
            str(tmp_path),
        ]
    )
    assert rc == 0
    assert (
        read_document(tmp_path / "seed-cli.json")["meta"]["title"]
        == "Mali : un coup dur pour la Katiba Serma"
    )
    rc = cli_main(
        [
            "ingest",
            "text",
            str(SEED),
            "--published",
            "2024-12-28",
            "--id",
            "seed-other",
            "--into",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert rc == 2 and "[INGEST_DUPLICATE]" in err and "Traceback" not in err


def test_cli_jsonl_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = cli_main(["ingest", "jsonl", str(FIXTURES / "articles.jsonl"), "--into", str(tmp_path), "-q"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "2 documents (2 created" in err and "[INGEST_MISSING_FIELD]" in err


def test_cli_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for sub in ("brat", "text", "jsonl", "html"):
        assert cli_main(["ingest", sub, "--help"]) == 0
        assert "secnews ingest " + sub in capsys.readouterr().out
