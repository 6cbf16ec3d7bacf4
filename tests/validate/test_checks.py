"""Each check emits only the codes it declares, and every declared code is a registered rule.

The invalid fixtures (tests/fixtures/invalid/<CODE>.json) each break one rule; running the real
engine with every check wrapped in a spy shows which check emitted which finding.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from secnews.core.findings import RULE_MODULES, all_rules
from secnews.validate import engine
from secnews.validate.check import Check, Context
from secnews.validate.references import REF_CODES
from secnews.validate.spans import SPAN_CODES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCUMENTS = sorted((FIXTURES / "valid").glob("*.json")) + sorted((FIXTURES / "invalid").glob("*.json"))
VALIDATE_SRC = Path(engine.__file__).parent


def _parsed(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None  # MALFORMED_JSON, BAD_ENCODING: reported by the reader, before any check


def _spy(check: Check[Any], emitted: dict[str, set[str]]) -> Check[Any]:
    def run(ctx: Context, subject: Any) -> None:
        before = len(ctx.findings)
        check.run(ctx, subject)
        emitted[check.name].update(f.code for f in ctx.findings[before:])

    return Check(check.name, check.codes, run)


@pytest.fixture(scope="module")
def emitted() -> Iterator[dict[str, set[str]]]:
    """check name -> codes it emitted over every fixture (the engine's own loop, spied on)."""
    seen: dict[str, set[str]] = defaultdict(set)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "file_name", _spy(engine.file_name, seen))
        mp.setattr(engine, "structure", _spy(engine.structure, seen))
        mp.setattr(engine, "DOCUMENT_CHECKS", tuple(_spy(c, seen) for c in engine.DOCUMENT_CHECKS))
        mp.setattr(engine, "SET_CHECKS", tuple(_spy(c, seen) for c in engine.SET_CHECKS))
        for path in DOCUMENTS:
            doc = _parsed(path)
            if doc is not None:
                engine.validate_document(doc, file=str(path))
        yield seen


@pytest.mark.parametrize("check", engine.CHECKS, ids=lambda c: c.name)
def test_check_emits_only_declared_codes(check: Check[Any], emitted: dict[str, set[str]]) -> None:
    assert emitted[check.name] <= set(check.codes)


@pytest.mark.parametrize("check", engine.CHECKS, ids=lambda c: c.name)
def test_every_declared_code_is_registered(check: Check[Any]) -> None:
    assert set(check.codes) <= {r.code for r in all_rules()}


@pytest.mark.parametrize("check", engine.CHECKS, ids=lambda c: c.name)
def test_every_declared_code_is_emitted_by_a_fixture(check: Check[Any], emitted: dict[str, set[str]]) -> None:
    """A declared code no fixture triggers is either untested or no longer emitted.

    The codes of the shared span and reference helpers need a fixture through one of their callers,
    not through each (a shifted span is the same finding in an entity or a trigger).
    """
    shared = set(SPAN_CODES) | set(REF_CODES)
    assert set(check.codes) - shared - emitted[check.name] == set()
    assert set(check.codes) & shared <= set().union(*emitted.values())


def test_every_finding_comes_from_a_check(emitted: dict[str, set[str]]) -> None:
    """The engine only orders checks: every fixture's code is emitted by one of them."""
    codes = {path.stem.split("--")[0] for path in DOCUMENTS if _parsed(path) is not None}
    assert codes - {"fixture-base"} <= set().union(*emitted.values())


def test_every_code_in_the_validator_source_is_declared() -> None:
    """A code added to a check's body without its declaration is caught even before it has a fixture."""
    declared = {code for check in engine.CHECKS for code in check.codes}
    for path in VALIDATE_SRC.glob("*.py"):
        used = set(re.findall(r'\.add\(\s*"([A-Z_]+)"', path.read_text(encoding="utf-8")))
        assert used <= declared, path.name


def test_rule_modules_name_the_validator_modules() -> None:
    registering = {
        f"secnews.validate.{p.stem}"
        for p in VALIDATE_SRC.glob("*.py")
        if "\nregister(" in p.read_text("utf-8")
    }
    assert registering and registering <= set(RULE_MODULES)
