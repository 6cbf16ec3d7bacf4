"""A command whose extra is missing names the extra to install (a coded error, not a traceback)."""

from __future__ import annotations

import pytest

from secnews.core.extras import require
from secnews.core.findings import SecnewsError


def test_an_installed_module_is_returned() -> None:
    assert require("json", "ingest", "x").dumps([1]) == "[1]"


def test_a_missing_module_names_its_extra() -> None:
    with pytest.raises(SecnewsError) as err:
        require("secnews_no_such_module.sub", "ingest", "HTML extraction")
    finding = err.value.findings[0]
    assert finding.code == "EXTRA_MISSING" and "secnews-fr[ingest]" in finding.message
    assert "HTML extraction" in finding.message
