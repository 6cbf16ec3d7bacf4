"""The annotation guide (``schema/GUIDELINES.md``) and the UI hints, from one source: the taxonomy.

Annotators read definitions in two places, the guide and the Label Studio hints; if those were typed
twice they would drift. So the short definitions live only in ``schema/taxonomy.yaml`` (``fr``/``en``),
:func:`hint` is what the UI shows, and the guide's label tables are generated between markers::

    <!-- BEGIN GENERATED: entity_types -->
    ...
    <!-- END GENERATED -->

Everything outside the markers (decision rules, examples) is written by hand. :func:`render_guidelines`
rewrites the generated blocks; :func:`check_guidelines` reports a stale guide or a label without a
definition, and a test runs it so CI fails before the guide and the UI disagree.
Regenerate with ``python -m secnews.annotate.guidelines``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from secnews.core.findings import Finding, Rule, SecnewsError, make_finding, register
from secnews.core.fs import atomic_write_text
from secnews.core.paths import schema_dir
from secnews.core.taxonomy import LABEL_SECTIONS, Taxonomy, load_taxonomy

register(
    Rule(
        "GUIDELINES_STALE",
        "Guidelines out of date",
        "error",
        "generated section {section!r} differs from the taxonomy; run python -m secnews.annotate.guidelines",
        "The guide's label tables are generated from schema/taxonomy.yaml so the guide and the UI agree.",
        "guidelines",
    ),
    Rule(
        "GUIDELINES_MISSING_SECTION",
        "Guidelines section missing",
        "error",
        "no generated block for {section!r} (expected <!-- BEGIN GENERATED: {section} -->)",
        "Every label section the annotators use must be defined in the guide.",
        "guidelines",
    ),
    Rule(
        "LABEL_WITHOUT_DEFINITION",
        "Label without definition",
        "error",
        "{section} label {value!r} has no {lang!r} definition in the taxonomy",
        "Each label needs a French definition (the UI hint and the guide) and an English one (the datasheet).",
        "guidelines",
    ),
)

#: the taxonomy sections annotators choose from, each with a generated table in the guide
GUIDE_SECTIONS: tuple[str, ...] = (
    "document_labels",
    "entity_types",
    "mention_types",
    "event_types",
    "roles",
    "realis",
    "source_types",
    "claims",
    "certainty",
    "quote_types",
    "timex_types",
    "timex_mods",
    "relation_types",
)

_BLOCK_RE = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- END GENERATED -->)", re.DOTALL
)


def guidelines_path() -> Path:
    return schema_dir() / "GUIDELINES.md"


def hint(section: str, name: str, taxonomy: Taxonomy | None = None) -> str:
    """The text the annotation UI shows for a label: its French definition from the taxonomy."""
    tax = taxonomy or load_taxonomy()
    return str(tax.record(section, name).get("fr") or "").strip()


def missing_definitions(taxonomy: Taxonomy | None = None) -> list[Finding]:
    """A finding for every label of a guide section lacking a French or English definition."""
    tax = taxonomy or load_taxonomy()
    out = []
    for section in GUIDE_SECTIONS:
        for name in tax.names(section):
            for lang in ("fr", "en"):
                if not str(tax.record(section, name).get(lang) or "").strip():
                    out.append(
                        make_finding("LABEL_WITHOUT_DEFINITION", section=section, value=name, lang=lang)
                    )
    return out


# --------------------------------------------------------------------------------------------- tables
def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ").strip()


def _table(head: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _plain(section: str, tax: Taxonomy) -> str:
    return _table(
        ["Étiquette", "Définition"], [[f"`{n}`", hint(section, n, tax)] for n in tax.names(section)]
    )


def _entity_types(section: str, tax: Taxonomy) -> str:
    rows = []
    for n in tax.names(section):
        rec = tax.record(section, n)
        rows.append(
            [f"`{n}`", hint(section, n, tax), rec.get("ace") or "", rec.get("acled_actor_type") or "—"]
        )
    return _table(["Étiquette", "Définition", "ACE", "Type d'acteur ACLED"], rows)


def _event_types(section: str, tax: Taxonomy) -> str:
    rows = []
    for n in tax.names(section):
        rec = tax.record(section, n)
        acled = rec.get("acled_event_type") or "— (issue)"
        roles = ", ".join(rec.get("roles") or [])
        rows.append([f"`{n}`", acled, hint(section, n, tax), roles])
    return _table(["Étiquette", "Catégorie ACLED", "Définition", "Rôles admis"], rows)


def _roles(section: str, tax: Taxonomy) -> str:
    rows = [
        [f"`{n}`", hint(section, n, tax), ", ".join(sorted(tax.role_accepts(n)))] for n in tax.names(section)
    ]
    return _table(
        ["Rôle", "Définition", "Pointe vers (types d'entité ; TIMEX = expression temporelle)"], rows
    )


def _relation_types(section: str, tax: Taxonomy) -> str:
    rows = []
    for n in tax.names(section):
        head, tail = tax.relation_layers(n)
        rows.append([f"`{n}`", hint(section, n, tax), f"{head} → {tail}"])
    return _table(["Relation", "Définition", "De → vers"], rows)


_RENDERERS: dict[str, Callable[[str, Taxonomy], str]] = {
    "entity_types": _entity_types,
    "event_types": _event_types,
    "roles": _roles,
    "relation_types": _relation_types,
}


def render_section(section: str, taxonomy: Taxonomy | None = None) -> str:
    """The generated Markdown table of one taxonomy section."""
    if section not in LABEL_SECTIONS:
        raise KeyError(section)
    tax = taxonomy or load_taxonomy()
    return _RENDERERS.get(section, _plain)(section, tax)


# --------------------------------------------------------------------------------------------- the guide
def render_guidelines(text: str | None = None, taxonomy: Taxonomy | None = None) -> str:
    """The guide with every generated block rewritten from the taxonomy (hand-written text untouched)."""
    tax = taxonomy or load_taxonomy()
    source = guidelines_path().read_text(encoding="utf-8") if text is None else text

    def repl(m: re.Match[str]) -> str:
        return m.group(1) + render_section(m.group("name"), tax) + m.group(4)

    return _BLOCK_RE.sub(repl, source)


def check_guidelines(text: str | None = None, taxonomy: Taxonomy | None = None) -> list[Finding]:
    """Findings for a stale or incomplete guide, and for labels without definitions."""
    tax = taxonomy or load_taxonomy()
    file = str(guidelines_path())
    source = guidelines_path().read_text(encoding="utf-8") if text is None else text
    blocks = {m.group("name"): m.group("body") for m in _BLOCK_RE.finditer(source)}
    out = missing_definitions(tax)
    for section in GUIDE_SECTIONS:
        if section not in blocks:
            out.append(make_finding("GUIDELINES_MISSING_SECTION", file=file, section=section))
        elif blocks[section] != render_section(section, tax):
            out.append(make_finding("GUIDELINES_STALE", file=file, section=section))
    return out


def write_guidelines(path: Path | None = None, taxonomy: Taxonomy | None = None) -> bool:
    """Regenerate the guide in place (atomically); ``True`` if it changed."""
    path = path or guidelines_path()
    old = path.read_text(encoding="utf-8")
    new = render_guidelines(old, taxonomy)
    missing = [s for s in GUIDE_SECTIONS if f"<!-- BEGIN GENERATED: {s} -->" not in new]
    if missing:
        raise SecnewsError(
            *(make_finding("GUIDELINES_MISSING_SECTION", file=str(path), section=s) for s in missing)
        )
    if new != old:
        atomic_write_text(path, new)
    return new != old


if __name__ == "__main__":  # pragma: no cover - a maintenance entry point
    changed = write_guidelines()
    print(f"{guidelines_path()}: {'regenerated' if changed else 'up to date'}")
    sys.exit(0)
