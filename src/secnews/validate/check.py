"""What every check shares: the context findings are added to, the set it looks at, and the
:class:`Check` record that declares which codes it may emit.

A check's codes are written next to it (as frictionless-py's checks list their errors), so the rule
table is read where the rules are enforced, and a test can hold each check to its declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from secnews.core.findings import Finding, make_finding
from secnews.core.taxonomy import Taxonomy

T = TypeVar("T")

#: id -> (layer, record) over every layer of a set (attribution contents included, as "content")
RecordIndex = dict[str, tuple[str, dict[str, Any]]]


@dataclass
class Context:
    """Where we are, so every finding names file, document, set, record and JSON path; the taxonomy
    the document is checked against."""

    file: str | None
    doc_id: str | None
    findings: list[Finding]
    tax: Taxonomy
    set_id: str | None = None
    set_index: int | None = None

    def add(self, code: str, path: str | tuple[Any, ...], record: str | None = None, **ctx: Any) -> None:
        """Add a finding; a tuple ``path`` is relative to the current annotation set."""
        if isinstance(path, tuple):
            path = self.set_path() + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
        self.findings.append(
            make_finding(
                code,
                file=self.file,
                doc_id=self.doc_id,
                annotation_set=self.set_id,
                annotation_id=record,
                path=path,
                **ctx,
            )
        )

    def set_path(self) -> str:
        return f"$.annotations[{self.set_index}]"


@dataclass(slots=True)
class SetScope:
    """One annotation set of a structurally valid document and what its checks look up.

    Built once per set so that the record index is not recomputed by every check.
    """

    text: str
    ann: dict[str, Any]
    index: RecordIndex
    duplicate_ids: dict[str, int]
    dct: date | None


@dataclass(frozen=True, slots=True)
class Check(Generic[T]):
    """A named pass over a document (``T`` = dict) or an annotation set (``T`` = :class:`SetScope`)."""

    name: str
    codes: tuple[str, ...]
    run: Callable[[Context, T], None]


def check(*codes: str) -> Callable[[Callable[[Context, T], None]], Check[T]]:
    """Declare a check and the codes it may emit (the test of the catalogue holds it to them)."""

    def wrap(fn: Callable[[Context, T], None]) -> Check[T]:
        return Check(fn.__name__, codes, fn)

    return wrap
