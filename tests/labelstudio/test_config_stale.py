"""A stale labeling config is a coded finding that names the file (not a literal template field)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from secnews.core.findings import SecnewsError
from secnews.labelstudio.config import build_config, check_config


def test_current_config_passes(tmp_path: Path) -> None:
    path = tmp_path / "labelstudio.xml"
    path.write_text(build_config(), encoding="utf-8")
    assert check_config(path) == path


def test_stale_config_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "labelstudio.xml"
    path.write_text("<View/>\n", encoding="utf-8")
    with pytest.raises(SecnewsError) as info:
        check_config(path)
    [finding] = info.value.findings
    assert finding.code == "LS_CONFIG_STALE" and finding.file == str(path)
    assert finding.message.startswith(f"{path} is not the config") and "{" not in finding.message


def test_cli_check_prints_the_file(tmp_path: Path) -> None:
    path = tmp_path / "labelstudio.xml"
    path.write_text("<View/>\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "secnews.cli", "ls", "config", "--check", "--out", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode != 0 and "LS_CONFIG_STALE" in r.stdout + r.stderr
    assert f"{path} is not the config" in r.stdout + r.stderr
