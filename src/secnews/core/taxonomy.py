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

from secnews.core.paths import schema_dir

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


def parse_taxonomy(data: dict[str, Any], path: Path | None = None) -> Taxonomy:
    missing = [s for s in LABEL_SECTIONS if s not in data]
    if missing:
        raise ValueError(f"taxonomy {path or ''} lacks sections: {', '.join(missing)}")
    sections = {s: tuple(data[s]) for s in LABEL_SECTIONS}
    return Taxonomy(schema_version=str(data["schema_version"]), sections=sections, path=path)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load a taxonomy file; without a path, the project's (cached)."""
    if path is None:
        return _default_taxonomy()
    with open(path, encoding="utf-8") as fh:
        return parse_taxonomy(yaml.safe_load(fh), path)


@cache
def _default_taxonomy() -> Taxonomy:
    path = schema_dir() / "taxonomy.yaml"
    with open(path, encoding="utf-8") as fh:
        return parse_taxonomy(yaml.safe_load(fh), path)
