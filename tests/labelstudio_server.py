"""pytest plugin: a real Label Studio server for the ``labelstudio`` integration tests.

Wire it in ``tests/conftest.py`` with ``pytest_plugins = ["labelstudio_server"]``.

The server runs from its own venv (``SECNEWS_LS_VENV``, default ``.venv-labelstudio`` at the
repository root, created when missing: label-studio pins pyarrow<25), on a free port of 127.0.0.1
only, from a copy of a migrated template data dir (``SECNEWS_LS_TEMPLATE``, default
``~/.cache/secnews/labelstudio-template-<version>``: the ~30 s migration is paid once per machine,
the copy starts in a few seconds). It is stopped by pid when the session ends, even on failure.
The start times are printed in the terminal summary.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from secnews.labelstudio import server as S

ROOT = Path(__file__).resolve().parents[1]
_TIMES: dict[str, float] = {}


def _venv() -> Path:
    return Path(os.environ.get("SECNEWS_LS_VENV", ROOT / ".venv-labelstudio"))


def _template() -> Path:
    return Path(os.environ.get("SECNEWS_LS_TEMPLATE", S.default_template()))


@pytest.fixture(scope="session")
def labelstudio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S.Server]:
    """A running server (``.url``, ``.credentials.token``, ``.pid``) shared by the whole session."""
    venv, template = _venv(), _template()
    t0 = time.monotonic()
    S.ensure_venv(venv)
    _TIMES["venv ready (s)"] = time.monotonic() - t0
    template.parent.mkdir(parents=True, exist_ok=True)
    with open(
        template.parent / f".{template.name}.lock", "w"
    ) as lock:  # parallel sessions share one template
        fcntl.flock(lock, fcntl.LOCK_EX)
        cold = S.prepare_template(template, venv)
    if cold:
        _TIMES["cold start, fresh database (s)"] = cold
    data_dir = tmp_path_factory.mktemp("labelstudio-data")
    S.copy_template(template, data_dir)
    server = S.start(data_dir, venv)
    _TIMES["start from template (s)"] = server.started_in
    try:
        yield server
    finally:
        S.stop(server.pid)


@pytest.fixture()
def labelstudio_env(labelstudio_server: S.Server, monkeypatch: pytest.MonkeyPatch) -> S.Server:
    """The server's URL and token in the environment, as ``secnews ls push/pull`` read them."""
    monkeypatch.setenv("LABEL_STUDIO_URL", labelstudio_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", labelstudio_server.credentials.token)
    return labelstudio_server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _TIMES:
        terminalreporter.section("Label Studio server")
        for name, seconds in _TIMES.items():
            terminalreporter.write_line(f"{name}: {seconds:.1f}")
