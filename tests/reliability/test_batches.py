"""A batch never dies for one document: the bad one is reported with its code and the others go on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hostile_harness import FIXTURES, run_cli

from secnews.model.document import read_document


def test_preannotate_reports_the_bad_documents_and_writes_the_good(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(FIXTURES / "valid" / "fixture-base.json", docs / "fixture-base.json")
    bad = json.loads((FIXTURES / "valid" / "fixture-base.json").read_text(encoding="utf-8"))
    bad["id"], bad["meta"]["published"] = "bad-date", "2024-02-30"
    (docs / "bad-date.json").write_text(json.dumps(bad), encoding="utf-8")
    (docs / "broken.json").write_bytes(b'{"id": "broken", "text": ')
    before = {p.name: p.read_bytes() for p in docs.iterdir()}
    outcome = run_cli(["preannotate", str(docs), "--layers", "entities,timexes", "--no-cache"])
    output = outcome.stdout + outcome.stderr
    assert outcome.crash is None and "Traceback" not in output
    assert outcome.exit_code == 1, output
    assert "[MALFORMED_JSON]" in output and "broken.json" in output
    assert "bad-date.json" in output and "[TIMEX_BAD_DCT]" in output and "failed 2" in output
    assert (docs / "bad-date.json").read_bytes() == before["bad-date.json"]
    assert (docs / "broken.json").read_bytes() == before["broken.json"]
    good = read_document(docs / "fixture-base.json")
    assert any(a["id"] == "pred-secnews-rules" for a in good["annotations"])  # the batch went on


def test_ingest_html_directory_goes_on_after_a_bad_page(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(FIXTURES / "ingest" / "html" / "attaque-kayes.html", pages / "good.html")
    (pages / "empty.html").write_bytes(b"")
    outcome = run_cli(["ingest", "html", str(pages), "--into", str(tmp_path / "docs"), "-q"])
    output = outcome.stdout + outcome.stderr
    assert outcome.crash is None and "Traceback" not in output
    assert outcome.exit_code in (1, 2), output
    assert "[HTML_NO_TEXT]" in output and "empty" in output
    assert len(list((tmp_path / "docs").glob("*.json"))) == 1
