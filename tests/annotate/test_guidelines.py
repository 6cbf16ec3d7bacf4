"""The annotation guide: generated from the taxonomy, never stale, examples quoted from the corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from secnews.annotate.guidelines import (
    GUIDE_SECTIONS,
    check_guidelines,
    guidelines_path,
    hint,
    missing_definitions,
    render_guidelines,
    render_section,
    write_guidelines,
)
from secnews.core.paths import schema_dir
from secnews.core.taxonomy import load_taxonomy, parse_taxonomy

SHARED = Path("/work/shared")
EXAMPLE_RE = re.compile(r"^> \*(?P<src>[^*]+)\* — (?P<quote>.+)$", re.MULTILINE)


def _guide() -> str:
    return guidelines_path().read_text(encoding="utf-8")


def test_guide_is_up_to_date_with_the_taxonomy() -> None:
    findings = check_guidelines()
    assert findings == [], "\n".join(f.message for f in findings)
    assert render_guidelines(_guide()) == _guide()


def test_every_label_has_its_french_definition_in_the_guide() -> None:
    tax = load_taxonomy()
    guide = _guide()
    for section in GUIDE_SECTIONS:
        for name in tax.names(section):
            assert f"| `{name}` | " in guide, (section, name)
            assert hint(section, name).replace("|", "\\|") in guide, (section, name)


def test_hint_is_the_taxonomy_french_text() -> None:
    tax = load_taxonomy()
    assert hint("entity_types", "STATE_FORCE") == tax.record("entity_types", "STATE_FORCE")["fr"]
    assert "neutralisé" in hint("event_types", "DEATH")
    with pytest.raises(KeyError):
        hint("entity_types", "NOPE")


def test_a_stale_table_is_reported() -> None:
    guide = _guide().replace(hint("claims", "BLAME"), "Définition modifiée à la main.")
    codes = [(f.code, f.context.get("section")) for f in check_guidelines(guide)]
    assert codes == [("GUIDELINES_STALE", "claims")]
    assert render_guidelines(guide) == _guide()  # regenerating restores the table


def test_a_missing_block_and_a_label_without_definition_are_reported() -> None:
    guide = re.sub(
        r"<!-- BEGIN GENERATED: timex_mods -->.*?<!-- END GENERATED -->\n", "", _guide(), flags=re.S
    )
    assert [f.code for f in check_guidelines(guide)] == ["GUIDELINES_MISSING_SECTION"]
    data = yaml.safe_load((schema_dir() / "taxonomy.yaml").read_text(encoding="utf-8"))
    data["claims"].append({"name": "RUMOUR", "en": "A rumour."})
    tax = parse_taxonomy(data)
    missing = missing_definitions(tax)
    assert [(f.code, f.context["value"], f.context["lang"]) for f in missing] == [
        ("LABEL_WITHOUT_DEFINITION", "RUMOUR", "fr")
    ]
    assert "| `RUMOUR` |  |" in render_section("claims", tax)


def test_write_guidelines_regenerates_in_place(tmp_path: Path) -> None:
    stale = tmp_path / "GUIDELINES.md"
    stale.write_text(_guide().replace(hint("realis", "GENERIC"), "obsolète"), encoding="utf-8")
    assert write_guidelines(stale) is True
    assert stale.read_text(encoding="utf-8") == _guide()
    assert write_guidelines(stale) is False


def _normalise(text: str) -> str:
    """Detokenised comparison: WiNER texts are pre-tokenised ("l' armée", "Lahore .")."""
    return "".join(text.replace("’", "'").split())


def _source_text(src: str) -> str | None:
    if src.startswith("winer-fr "):
        art = src.split()[1]
        path = SHARED / "sources" / "winer-fr" / art[:4] / art[5:7] / f"{art}.txt"
    else:
        path = SHARED / "seeds" / f"{src}.txt"
    return path.read_text(encoding="utf-8") if path.exists() else None


def test_examples_are_quoted_verbatim_from_the_corpus() -> None:
    examples = EXAMPLE_RE.findall(_guide())
    assert len(examples) >= 15
    assert {s for s, _ in examples} >= {"000_7302031bc759a944", "winer-fr 2016_01_14-003"}
    checked = 0
    for src, quote in examples:
        text = _source_text(src)
        if text is None:
            continue
        assert _normalise(quote) in _normalise(text), (src, quote)
        checked += 1
    if checked == 0:
        pytest.skip("corpus sources not available on this machine")


def test_guide_states_the_key_decision_rules() -> None:
    guide = _guide()
    for rule in (
        "« les FAMa » → `FAMa`",
        "`DEATH`",
        "`RESPONSIBILITY_CLAIM` **seulement**",
        "`BLAME`",
        "ANONYMOUS_SECURITY_SOURCE",
        "« jeudi dernier » dans un article du samedi 28",
        "`2024-12-26`",
        "« au moins 12 » → min 12, max null",
        "« entre 10 et 15 »",
        "`plusieurs années` DURATION PXY",
        "English summary",
    ):
        assert rule in guide, rule
