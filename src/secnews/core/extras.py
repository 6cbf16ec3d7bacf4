"""Optional dependencies: a command whose extra is not installed says which one to install.

``pip install secnews-fr`` is the core; pre-annotation, the Label Studio SDK and HTML extraction are
extras. Without this, ``secnews ingest html`` in a core install ended in a ``ModuleNotFoundError``
traceback; now it is a coded error that names the extra.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from secnews.core.findings import Rule, SecnewsError, make_finding, register

register(
    Rule(
        "EXTRA_MISSING",
        "Optional dependency missing",
        "error",
        "{feature} needs {module!r}, not installed: pip install 'secnews-fr[{extra}]'",
        "The core install (validate, convert, release) leaves out the heavy parts; each extra "
        "(preannotate, labelstudio, ingest) brings the libraries of its commands.",
        "project",
    ),
)


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or raise the coded error naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.split(".")[0] != exc.name.split(".")[0]:
            raise
        raise SecnewsError(
            make_finding("EXTRA_MISSING", module=module, extra=extra, feature=feature)
        ) from None
