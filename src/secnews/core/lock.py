"""One writer at a time per corpus directory: an advisory lock on the directory itself.

Two imports into one corpus would each stage and rename documents; interleaved, a document could end
with the sets of one and the text of the other's merge base. The lock is ``flock`` on the directory's
own file descriptor (no lock file is created, so a locked run leaves the tree byte-identical); the
kernel drops it when the process dies, even by ``kill -9``, so a crashed run never blocks the next.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from secnews.core.findings import Rule, SecnewsError, make_finding, register

#: seconds a second writer waits for the first before giving up (override: SECNEWS_LOCK_TIMEOUT)
DEFAULT_TIMEOUT = 60.0

register(
    Rule(
        "CORPUS_LOCKED",
        "Corpus in use",
        "error",
        "{directory} is being written by another secnews process; waited {waited:.0f} s",
        "Two writers into one corpus would interleave their documents; the second waits, then stops "
        "without writing anything.",
        "input",
    )
)


def _lock_target(directory: Path) -> Path:
    """The directory itself, or its nearest existing ancestor when the run is about to create it."""
    target = directory.absolute()
    while not target.exists() and target != target.parent:
        target = target.parent
    return target


@contextlib.contextmanager
def corpus_lock(directory: Path | str, timeout: float | None = None) -> Iterator[None]:
    """Hold the write lock of ``directory`` for the block; wait up to ``timeout`` seconds for it."""
    if timeout is None:
        timeout = float(os.environ.get("SECNEWS_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    target = _lock_target(Path(directory))
    fd = os.open(target, os.O_RDONLY)
    try:
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= timeout:
                    raise SecnewsError(
                        make_finding(
                            "CORPUS_LOCKED", file=str(directory), directory=str(directory), waited=waited
                        )
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
