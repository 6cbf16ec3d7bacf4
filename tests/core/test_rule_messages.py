"""Every registered rule's message template renders: each field filled, no ``{placeholder}`` left.

``make_finding`` takes the location (``file``, ``path``, ``doc_id``, ``line``...) as keyword arguments
of its own; a template naming one of them printed it literally (five RELEASE_*/LS_* rules, then
INGEST_DUPLICATE, INGEST_TEXT_CHANGED, SPLITS_BAD_MANIFEST and ACTORS_INVALID), until the location
filled the template too. This renders every rule of :func:`secnews.core.findings.all_rules` with a
distinct value per field, the location ones passed as the location.
"""

from __future__ import annotations

import re
import string

import pytest

from secnews.core.findings import all_rules, make_finding

RULES = all_rules()
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(![rsa])?(:[^{}]*)?\}")


def _fields(template: str) -> list[tuple[str, str]]:
    """(field name, format spec) of every replacement field of a template."""
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name]


def _value(name: str, spec: str) -> object:
    """A value the field's format spec accepts, recognisable in the rendered message."""
    if spec and spec[-1] in "dfegn%":
        return 7 if spec[-1] == "d" else 7.25
    return f"<{name}>"


def test_the_catalogue_is_whole() -> None:
    assert len(RULES) >= 100  # every RULE_MODULES module was imported
    assert len({r.code for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_template_renders_every_field(rule: object) -> None:
    template: str = rule.template  # type: ignore[attr-defined]
    code: str = rule.code  # type: ignore[attr-defined]
    fields = _fields(template)
    context = {name: _value(name, spec) for name, spec in fields}
    if "line" in context:
        context["line"] = 7
    finding = make_finding(code, **context)  # type: ignore[arg-type]
    assert not PLACEHOLDER.search(finding.message), f"{code}: {finding.message!r}"
    for name, value in context.items():
        assert (
            str(value) if isinstance(value, str) else format(value, dict(fields)[name])
        ) in finding.message or (repr(value) in finding.message), (
            f"{code}: field {name} not rendered in {finding.message!r}"
        )
    assert finding.severity == rule.severity  # type: ignore[attr-defined]
    assert rule.description.strip(), f"{code}: no description"  # type: ignore[attr-defined]
