"""Generated documentation pages must match the code that generates them."""

from __future__ import annotations

from pathlib import Path

from secnews.catalogue import all_rules
from secnews.report import render_rules_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_rules_page_is_fresh() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == render_rules_markdown(all_rules()), "run `make docs`"


def test_every_rule_is_documented_with_a_stable_code() -> None:
    rules = all_rules()
    codes = [r.code for r in rules]
    assert len(codes) == len(set(codes))
    for r in rules:
        assert r.code.isupper() and " " not in r.code
        assert r.severity in ("error", "warning")
        assert r.description.strip() and r.template.strip()
