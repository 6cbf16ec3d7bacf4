"""Generated documentation pages must match the code that generates them."""

from __future__ import annotations

from pathlib import Path

from secnews.core.findings import all_rules
from secnews.validate.render import render_rules_markdown

ROOT = Path(__file__).resolve().parents[2]


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


def test_every_module_that_registers_rules_is_in_the_catalogue_list() -> None:
    """A module registering rules but missing from RULE_MODULES would hide its codes from --list-rules."""
    from secnews.core.findings import RULE_MODULES

    src = ROOT / "src"
    for path in (src / "secnews").rglob("*.py"):
        if path.name == "findings.py" or "\nregister(" not in path.read_text(encoding="utf-8"):
            continue
        module = ".".join(path.relative_to(src).with_suffix("").parts)
        package = module.rsplit(".", 1)[0]
        assert module in RULE_MODULES or (package in RULE_MODULES and module.endswith(".common")), module
