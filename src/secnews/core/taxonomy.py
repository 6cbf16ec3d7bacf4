"""The taxonomy (``schema/taxonomy.yaml``) loaded once and queried by every other module.

Keeping the label lists in one YAML file means the JSON Schema, the Label Studio config, the Arrow
``ClassLabel`` names and the validator cannot drift apart: they are all derived from this object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.core.paths import schema_dir
from secnews.core.yamlfile import safe_load_file

register(
    Rule(
        "TAXONOMY_INVALID",
        "Invalid taxonomy",
        "error",
        "{detail}",
        "Every label of the JSON Schema, the Label Studio config and the Arrow ClassLabels comes from "
        "schema/taxonomy.yaml: it must exist, be YAML, and hold every label section with named records.",
        "project",
    ),
)

#: sections that are plain lists of ``{name: ...}`` records, in file order (order = ClassLabel index)
LABEL_SECTIONS: tuple[str, ...] = (
    "entity_types",
    "mention_types",
    "roles",
    "event_types",
    "realis",
    "source_types",
    "claims",
    "certainty",
    "quote_types",
    "timex_types",
    "timex_mods",
    "relation_types",
    "annotation_kinds",
    "annotation_statuses",
    "document_labels",
)

#: the pseudo entity type a role uses to say it points at a timex, not an entity
TIMEX_REF = "TIMEX"


@dataclass(frozen=True)
class Taxonomy:
    """An immutable view of ``taxonomy.yaml`` with the lookups the toolkit needs."""

    schema_version: str
    sections: dict[str, tuple[dict[str, Any], ...]]
    path: Path | None = None
    _index: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict, repr=False, compare=False)

    _roles_of: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _accepts: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for section, records in self.sections.items():
            self._index[section] = {r["name"]: r for r in records}
        # hot lookups of the validator, computed once
        self._roles_of.update({r["name"]: frozenset(r["roles"]) for r in self.sections["event_types"]})
        self._accepts.update({r["name"]: frozenset(r["accepts"]) for r in self.sections["roles"]})

    def names(self, section: str) -> list[str]:
        """Label names of a section in their append-only order (their ClassLabel index)."""
        return [r["name"] for r in self.sections[section]]

    def record(self, section: str, name: str) -> dict[str, Any]:
        return self._index[section][name]

    def has(self, section: str, name: str) -> bool:
        return name in self._index[section]

    def allowed_roles(self, event_type: str) -> frozenset[str]:
        return self._roles_of[event_type]

    def role_accepts(self, role: str) -> frozenset[str]:
        """Entity types a role may point at (``TIMEX`` means the role points at a timex)."""
        return self._accepts[role]

    def relation_layers(self, relation_type: str) -> tuple[str, str]:
        rec = self._index["relation_types"][relation_type]
        return rec["head"], rec["tail"]

    @property
    def entity_types(self) -> list[str]:
        return self.names("entity_types")

    @property
    def event_types(self) -> list[str]:
        return self.names("event_types")


def _fail(path: Path | None, detail: str) -> SecnewsError:
    where = str(path) if path else "taxonomy"
    return SecnewsError(make_finding("TAXONOMY_INVALID", file=where, detail=f"{where}: {detail}"))


def parse_taxonomy(data: Any, path: Path | None = None) -> Taxonomy:
    """The taxonomy of a parsed YAML mapping (a coded error naming what is missing or malformed)."""
    if not isinstance(data, dict):
        raise _fail(path, "not a mapping of label sections")
    missing = [s for s in LABEL_SECTIONS if s not in data]
    if missing:
        raise _fail(path, f"lacks sections: {', '.join(missing)}")
    if "schema_version" not in data:
        raise _fail(path, "lacks schema_version")
    for section in LABEL_SECTIONS:
        records = data[section]
        if not isinstance(records, list) or not all(isinstance(r, dict) and "name" in r for r in records):
            raise _fail(path, f"section {section} must be a list of records with a name")
    for key, section in (("roles", "event_types"), ("accepts", "roles")):
        lacking = [r["name"] for r in data[section] if not isinstance(r.get(key), list)]
        if lacking:
            raise _fail(path, f"{section} without a {key} list: {', '.join(map(str, lacking))}")
    sections = {s: tuple(data[s]) for s in LABEL_SECTIONS}
    return Taxonomy(schema_version=str(data["schema_version"]), sections=sections, path=path)


def read_taxonomy(path: Path) -> Taxonomy:
    try:
        data = safe_load_file(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _fail(path, str(exc).replace("\n", " ")) from None
    return parse_taxonomy(data, path)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load a taxonomy file; without a path, the project's (cached)."""
    if path is None:
        return _default_taxonomy()
    return read_taxonomy(path)


@cache
def _default_taxonomy() -> Taxonomy:
    return read_taxonomy(schema_dir() / "taxonomy.yaml")


def clear_cache() -> None:
    _default_taxonomy.cache_clear()
