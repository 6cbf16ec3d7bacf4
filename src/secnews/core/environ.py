"""Environment variables set for the length of a block, then restored as they were."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


@contextmanager
def environ_set(values: Mapping[str, str]) -> Iterator[None]:
    """Set ``values`` in ``os.environ`` inside the block; afterwards each variable is back to its old
    value, or unset if it was. The libraries we drive (``datasets``, ``huggingface_hub``, the Label
    Studio SDK, the CLI under test) read their settings from the environment, not from arguments."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
