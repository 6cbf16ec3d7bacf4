"""The worker processes of a release build: forked, results in order, and a killed one is a coded error.

A ``multiprocessing.Pool`` whose worker is killed (out of memory, a signal) waits for that worker's
task forever; an executor notices (``BrokenProcessPool``), and the release fails with
``RELEASE_BUILD_FAILED`` naming the kind of process it lost.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from secnews.core.findings import SecnewsError, make_finding

T = TypeVar("T")
R = TypeVar("R")


def fork_map(
    fn: Callable[[T], R], items: Iterable[T], jobs: int, initializer: Callable[[], None], who: str
) -> list[R]:
    """``[fn(x) for x in items]`` in ``jobs`` forked processes (they inherit this one's memory: fork
    a process that holds what the workers need, and only that); ``who`` names them in the error."""
    with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork"), initializer=initializer) as pool:
        try:
            return list(pool.map(fn, items))
        except BrokenProcessPool:
            raise SecnewsError(
                make_finding(
                    "RELEASE_BUILD_FAILED", process=who, detail="was killed (out of memory, or a signal)"
                )
            ) from None
