"""``secnews report`` as a person sees it: the whole corpus rendered, opened in a real headless Chromium
(Debian's ``chromium``, driven by Playwright; never a downloaded browser)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from secnews.cli.main import main
from secnews.core.paths import corpus_dir, documents_dir
from secnews.model.document import gold_set, iter_documents
from secnews.report.highlight import render_text

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEED = "000_7302031bc759a944"
#: the text as rendered, without the label badges displaCy-like marks add
TEXT_JS = "el => { const c = el.cloneNode(true); c.querySelectorAll('.lbl').forEach(x => x.remove()); return c.textContent; }"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    assert main(["report", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _page(browser: Any, errors: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    return page


def test_every_document_renders_its_whole_text_without_a_console_error(report: Path, browser: Any) -> None:
    errors: list[str] = []
    page = _page(browser, errors)
    docs = list(iter_documents([documents_dir()]))
    assert len(docs) == len(list((report / "docs").glob("*.html")))
    for _path, doc in docs:
        page.goto((report / "docs" / f"{doc['id']}.html").as_uri())
        if gold_set(doc) is not None:
            shown = page.eval_on_selector(".gold .text", TEXT_JS)
            assert shown == doc["text"], doc["id"]
    page.close()
    assert errors == []


def test_seed_document_layers_in_chromium(report: Path, browser: Any, tmp_path: Path) -> None:
    errors: list[str] = []
    page = _page(browser, errors)
    page.goto((report / "docs" / f"{SEED}.html").as_uri())
    fama = page.locator("#g-E1")
    assert fama.get_attribute("data-label") == "STATE_FORCE"
    assert page.eval_on_selector("#g-E1", TEXT_JS) == "Forces Armées Maliennes"
    assert "value=2024-12-26" in (page.locator("#g-T3").get_attribute("title") or "")  # jeudi dernier
    strike = page.locator("#g-V3")
    assert strike.get_attribute("data-label") == "AIR_DRONE_STRIKE"
    strike.hover()  # the trigger outlines its arguments: the agent is the Malian forces
    assert "hl" in (fama.get_attribute("class") or "")
    assert page.locator(".compare .side .col").count() == 2  # gold vs pred-secnews-rules
    assert page.locator(".gold table.events a[href='#g-E1']").count() >= 1
    page.screenshot(path=tmp_path / "seed.png", full_page=True)
    assert (tmp_path / "seed.png").stat().st_size > 10_000
    page.close()
    assert errors == []


def test_index_plots_and_search_by_label(report: Path, browser: Any, tmp_path: Path) -> None:
    errors: list[str] = []
    page = _page(browser, errors)
    page.goto((report / "index.html").as_uri())
    for plot in ("entities", "events", "acled", "countries", "agreement"):
        box = page.locator(f"#plot-{plot} svg").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100, plot
    page.fill("#q", "AIR_DRONE_STRIKE")
    hits = page.locator("#results li")
    assert hits.count() >= 2
    assert page.locator(f"#results a[href='docs/{SEED}.html']").count() == 1
    page.screenshot(path=tmp_path / "index.png")
    hits.first.locator("a").click()
    assert page.locator(".trig[data-label='AIR_DRONE_STRIKE']").count() >= 1
    page.goto((report / "index.html").as_uri() + "?label=nothing-such")
    assert page.locator("#results li").count() == 0 and page.text_content("#count") == "0 results"
    page.close()
    assert errors == []


def test_search_index_counts_the_gold(report: Path) -> None:
    html = (report / "index.html").read_text(encoding="utf-8")
    raw = html.split('id="label-index">', 1)[1].split("</script>", 1)[0].replace("<\\/", "</")
    index = json.loads(raw)
    seed = json.loads((documents_dir() / f"{SEED}.json").read_text(encoding="utf-8"))
    gold = gold_set(seed)
    assert gold is not None
    assert index["labels"]["AIR_DRONE_STRIKE"][SEED] == sum(
        e["type"] == "AIR_DRONE_STRIKE" for e in gold["events"]
    )
    assert (corpus_dir() / "splits.tsv").exists()


def test_overlapping_spans_keep_every_character() -> None:
    text = "abcdefgh"
    ann = {"entities": [{"id": "E1", "start": 0, "end": 5, "type": "ORG", "text": "abcde"},
                        {"id": "E2", "start": 3, "end": 8, "type": "PER", "text": "defgh"}],
           "timexes": [{"id": "T1", "start": 2, "end": 4, "type": "DATE", "value": "2024", "text": "cd"}]}  # fmt: skip
    html = render_text(text, ann, "g")
    assert html.count('id="g-E1"') == html.count('id="g-E2"') == 1
    assert html.count("<span") == html.count("</span>")
    assert 'title="T1 DATE value=2024"' in html
