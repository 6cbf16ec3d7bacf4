"""The catalogue of coded findings (in the style of frictionless-py's error catalogue).

Every problem the toolkit can report, in any module, is a :class:`Rule` with a stable ``code``, a
human ``name``, a ``severity``, a message ``template`` and a ``description`` of why the rule exists.
Codes are part of the public interface: CI logs, pull-request annotations and users' scripts match on
them, so a code is never renamed or reused.

Modules outside the validator (the Label Studio bridge, the Parquet reader, ingest) register their own
rules with :func:`register` at import time; :func:`all_rules` imports them so ``--list-rules`` and the
rendered doc page show the whole catalogue.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    template: str
    description: str
    category: str = "document"


@dataclass
class Finding:
    """One reported problem: the rule, and where it was found."""

    code: str
    severity: Severity
    message: str
    file: str | None = None
    doc_id: str | None = None
    annotation_set: str | None = None
    annotation_id: str | None = None
    path: str | None = None
    line: int | None = None
    context: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: v for k, v in d.items() if v not in (None, {})}

    def location(self) -> str:
        parts = [p for p in (self.file or self.doc_id, self.annotation_set, self.annotation_id) if p]
        where = " > ".join(parts) if parts else "<input>"
        return f"{where} {self.path}" if self.path else where


class SecnewsError(Exception):
    """An error that carries coded findings; the CLI prints them instead of a traceback."""

    def __init__(self, *findings: Finding) -> None:
        self.findings = list(findings)
        super().__init__("; ".join(f"[{f.code}] {f.message}" for f in self.findings))

    def __reduce__(self) -> tuple[type[SecnewsError], tuple[Finding, ...]]:
        """Rebuilt from its findings: an error raised in a worker process reaches the parent whole
        (the default pickling passes the message string where findings are expected)."""
        return (type(self), tuple(self.findings))


_RULES: dict[str, Rule] = {}

#: modules that register rules of their own; imported lazily by :func:`all_rules`
RULE_MODULES: tuple[str, ...] = (
    "secnews.validate.structure",
    "secnews.validate.document",
    "secnews.validate.labels",
    "secnews.validate.references",
    "secnews.validate.spans",
    "secnews.validate.events",
    "secnews.validate.attributions",
    "secnews.validate.timexes",
    "secnews.validate.relations",
    "secnews.validate.guidelines",
    "secnews.labelstudio.errors",
    "secnews.formats.arrow_schema",
    "secnews.ingest",
    "secnews.release.record",
    "secnews.annotate.worksheets",
    "secnews.annotate.timex_fr",
    "secnews.quality.adjudicate",
    "secnews.annotate.guidelines",
    "secnews.annotate.preannotate.pipeline",
    "secnews.formats.preannotation.inputs",
    "secnews.formats.preannotation.ray_engine",
    "secnews.labelstudio.tasks",
    "secnews.labelstudio.merge",
    "secnews.labelstudio.users",
    "secnews.release.splits",
    "secnews.core.actors",
    "secnews.quality.score",
    "secnews.formats.acled",
    "secnews.core.paths",
    "secnews.core.project",
    "secnews.core.taxonomy",
    "secnews.validate.engine",
    "secnews.model.synth",
    "secnews.release.scaffold",
    "secnews.core.extras",
    "secnews.core.lock",
)


def register(*rules: Rule) -> None:
    for rule in rules:
        old = _RULES.get(rule.code)
        if old is not None and old != rule:
            raise ValueError(f"rule code {rule.code} registered twice with different definitions")
        _RULES[rule.code] = rule


def get_rule(code: str) -> Rule:
    return _RULES[code]


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by category then code."""
    for mod in RULE_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
    return sorted(_RULES.values(), key=lambda r: (r.category, r.code))


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def make_finding(
    code: str,
    *,
    file: str | None = None,
    doc_id: str | None = None,
    annotation_set: str | None = None,
    annotation_id: str | None = None,
    path: str | None = None,
    line: int | None = None,
    **context: Any,
) -> Finding:
    """A finding for rule ``code``, its message filled from the template and ``context``.

    The location arguments fill the template too: a template that names ``{file}`` or ``{doc_id}``
    would otherwise print the placeholder itself, since those never reach ``context``.
    """
    rule = _RULES[code]
    location: dict[str, str | int | None] = {"file": file, "doc_id": doc_id, "annotation_set": annotation_set}
    location.update(annotation_id=annotation_id, path=path, line=line)
    fields = {k: v for k, v in location.items() if v is not None}
    message = rule.template.format_map(_SafeDict({**fields, **context}))
    return Finding(
        code=code,
        severity=rule.severity,
        message=message,
        file=file,
        doc_id=doc_id,
        annotation_set=annotation_set,
        annotation_id=annotation_id,
        path=path,
        line=line,
        context={k: v for k, v in context.items() if isinstance(v, (str, int, float, bool, type(None)))},
    )


register(
    Rule(
        "UNREADABLE_FILE",
        "Unreadable file",
        "error",
        "cannot read file: {detail}",
        "The file is missing or cannot be opened.",
        "input",
    ),
    Rule(
        "BAD_ENCODING",
        "Bad encoding",
        "error",
        "file is not valid UTF-8: {detail}",
        "Canonical documents are UTF-8; any other encoding would corrupt offsets.",
        "input",
    ),
    Rule(
        "MALFORMED_JSON",
        "Malformed JSON",
        "error",
        "file is not valid JSON: {detail}",
        "The file cannot be parsed as JSON.",
        "input",
    ),
    Rule(
        "NOT_AN_OBJECT",
        "Not a JSON object",
        "error",
        "a document must be a JSON object, found {found}",
        "A canonical document is one JSON object per file.",
        "input",
    ),
    Rule(
        "BAD_DOCUMENT_ID",
        "Bad document id",
        "error",
        "document id {value!r} does not match ^[a-z0-9][a-z0-9._-]{{0,127}}$",
        "A document id names a file and appears in URLs and splits: lower-case ASCII, digits, '.', '_' and '-'.",
        "document",
    ),
)
