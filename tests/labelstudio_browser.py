"""Opening a Label Studio task in Debian's headless Chromium, as an annotator would (Playwright).

Used by the browser test (``tests/labelstudio/test_labelstudio_browser.py``) and by the opening-time
benchmark (``benchmarks/ls_open.py``). Playwright drives ``/usr/bin/chromium`` (``apt-get install
chromium``; never a downloaded browser) in a new empty profile, with the flags that keep it off the
network.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_REGION_CLASS = re.compile(r"\bhtx-highlight-(?P<id>.+)-\d+\b")


def chromium_available() -> bool:
    return shutil.which(CHROMIUM) is not None


@dataclass
class OpenedTask:
    """What the editor drew: each region's DOM text (joined over its highlight spans) and timings."""

    region_texts: dict[str, str]
    highlights: int
    seconds: float
    spans: list[tuple[str, str]]  # (class, text) of each highlight, for failure messages
    #: main-thread busy seconds of the page (Chromium's TaskDuration): steadier than the wall clock
    #: on a loaded machine
    busy: float = 0.0


@contextmanager
def logged_in_page(url: str, email: str, password: str) -> Iterator[Any]:
    """A Chromium page logged into the server (a new empty profile, closed afterwards)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="secnews-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            page = context.new_page()
            page.goto(f"{url}/user/login/")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", password)
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_url(lambda u: "/user/login" not in u, timeout=60_000, wait_until="commit")
            yield page
        finally:
            context.close()


_SPANS = (
    "() => Array.from(document.querySelectorAll('.htx-highlight')).map(e => [e.className, e.textContent])"
)


def _region_texts(spans: list[list[str]]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for cls, text in spans:
        m = _REGION_CLASS.search(cls)
        if m:
            texts[m["id"]] = texts.get(m["id"], "") + text
    return texts


def open_task(
    page: Any, url: str, project: int, task: int, regions: int, timeout: float = 120.0
) -> OpenedTask:
    """Open a task in the editor and wait until ``regions`` regions are drawn; how long it took.

    The clock runs from the navigation to the moment the last expected region is in the DOM (polled
    every 50 ms from here, so a client-side redirect of the editor cannot end the wait early): what
    an annotator waits for before they can work.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    busy0 = _task_duration(cdp)
    t0 = time.monotonic()
    page.goto(f"{url}/projects/{project}/data?task={task}", wait_until="commit")
    spans: list[list[str]] = []
    while time.monotonic() - t0 < timeout:
        try:
            spans = page.evaluate(_SPANS)
        except Exception:  # the page navigated while being read: read it again
            spans = []
        if len(_region_texts(spans)) >= regions:
            break
        time.sleep(0.05)
    seconds = time.monotonic() - t0
    busy = _task_duration(cdp) - busy0
    cdp.detach()
    return OpenedTask(_region_texts(spans), len(spans), seconds, [(c, t) for c, t in spans], busy)


def _task_duration(cdp: Any) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return float(next((m["value"] for m in metrics if m["name"] == "TaskDuration"), 0.0))
