"""Every hostile input of the catalogue: a coded finding, exit 1 or 2, no traceback, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cases import CASES
from hostile_harness import Case, check_case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)
