"""environ_set: variables set for a block, then back as they were (set, or unset)."""

from __future__ import annotations

import os

import pytest

from secnews.core.environ import environ_set


def test_variables_are_restored_or_removed_even_after_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECNEWS_T_SET", "before")
    monkeypatch.delenv("SECNEWS_T_UNSET", raising=False)
    with pytest.raises(RuntimeError), environ_set({"SECNEWS_T_SET": "inside", "SECNEWS_T_UNSET": "1"}):
        assert os.environ["SECNEWS_T_SET"] == "inside" and os.environ["SECNEWS_T_UNSET"] == "1"
        raise RuntimeError("the block fails")
    assert os.environ["SECNEWS_T_SET"] == "before"
    assert "SECNEWS_T_UNSET" not in os.environ
