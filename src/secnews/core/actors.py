"""The actor registry (``schema/actors.yaml``): stable ids for the actors of security news.

An entity mention's ``actor`` field points here so that "GSIM", "JNIM" and "le Groupe de soutien à
l'islam et aux musulmans" count as one actor in statistics, ACLED mapping and evaluation. Lookup is
deliberately an *exact* match after normalisation (case, accents, apostrophes, hyphens, a leading
French article): a fuzzy match would silently attach the wrong actor, which is worse than none.

Ambiguous aliases ("FDS" is the Sahel states' forces or the Syrian Democratic Forces) are listed in
the YAML's ``ambiguous`` section; they resolve only with a country hint, otherwise lookup returns
``None`` and :meth:`ActorRegistry.candidates` lists the options.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.core.ids import ACTOR_ID_RE
from secnews.core.paths import schema_dir
from secnews.core.yamlfile import safe_load_text

register(
    Rule(
        "ACTORS_INVALID",
        "Invalid actor registry",
        "error",
        "actor registry {file}: {detail}",
        "schema/actors.yaml must have unique ids, known types and parents, and unambiguous aliases "
        "(or aliases declared in its `ambiguous` section).",
        "schema",
    ),
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DASHES = re.compile(r"[\s\u2010\u2011\u2012\u2013\u2014-]+")
_ARTICLE = re.compile(r"^(?:l'\s*|(?:le|la|les)\s+)")


def normalize_alias(surface: str) -> str:
    """The lookup key of a surface form: lower case, no accents, one apostrophe, no leading article.

    Hyphens and spaces are one separator, so "Al-Qaïda" and "Al Qaida" meet; the article is dropped
    once so that "l'armée malienne" finds "armée malienne" (but "Les Républicains" would need its own
    alias, which it does not: it is not an actor here).
    """
    s = unicodedata.normalize("NFKD", surface.translate(_APOSTROPHES))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold().strip()
    s = _DASHES.sub(" ", s)
    s = re.sub(r"'\s+", "'", s)
    s = _ARTICLE.sub("", s, count=1)
    return s.strip()


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    acled_actor_type: str | None
    country: str | None
    wikidata: str | None
    parent: str | None
    aliases_fr: tuple[str, ...]
    aliases_en: tuple[str, ...]
    notes: str | None = None

    @property
    def all_aliases(self) -> tuple[str, ...]:
        """The canonical name and every alias, deduplicated, in file order."""
        seen: dict[str, None] = {}
        for a in (self.name, *self.aliases_fr, *self.aliases_en):
            seen.setdefault(a, None)
        return tuple(seen)


@dataclass
class ActorRegistry:
    actors: dict[str, Actor]
    ambiguous: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None
    _index: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[str]] = {}
        for actor in self.actors.values():
            for alias in actor.all_aliases:
                ids = index.setdefault(normalize_alias(alias), [])
                if actor.id not in ids:
                    ids.append(actor.id)
        self._index = {k: tuple(v) for k, v in index.items()}
        self._ambiguous = {normalize_alias(k): v for k, v in self.ambiguous.items()}

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def ids(self) -> list[str]:
        return list(self.actors)

    def __len__(self) -> int:
        return len(self.actors)

    def candidates(self, surface: str) -> list[Actor]:
        """Every actor that has this surface form as an alias (more than one when ambiguous)."""
        return [self.actors[i] for i in self._index.get(normalize_alias(surface), ())]

    def lookup(self, surface: str, *, country: str | None = None) -> Actor | None:
        """The one actor this surface names, or ``None`` (unknown, or ambiguous without a resolving hint).

        ``country`` (ISO alpha-2) resolves an ambiguous alias when exactly one candidate has that
        country; an ambiguous entry's ``default`` applies otherwise.
        """
        key = normalize_alias(surface)
        ids = self._index.get(key, ())
        if len(ids) == 1:
            return self.actors[ids[0]]
        if not ids:
            return None
        if country:
            hits = [i for i in ids if self.actors[i].country == country.upper()]
            if len(hits) == 1:
                return self.actors[hits[0]]
        default = self._ambiguous.get(key, {}).get("default")
        return self.actors.get(default) if default else None

    def is_ambiguous(self, surface: str) -> bool:
        return len(self._index.get(normalize_alias(surface), ())) > 1

    def aliases(self, *, include_ambiguous: bool = False) -> Iterator[tuple[str, Actor]]:
        """``(alias, actor)`` pairs as written in the registry, e.g. to build a spaCy PhraseMatcher.

        Ambiguous aliases are left out by default: a matcher cannot resolve them without context.
        """
        for actor in self.actors.values():
            for alias in actor.all_aliases:
                if include_ambiguous or not self.is_ambiguous(alias):
                    yield alias, actor


def _fail(path: Path, detail: str) -> SecnewsError:
    return SecnewsError(make_finding("ACTORS_INVALID", file=str(path), detail=detail))


def _actor_from_record(rec: dict[str, Any], path: Path) -> Actor:
    known = {
        "id",
        "name",
        "type",
        "acled_actor_type",
        "country",
        "wikidata",
        "parent",
        "aliases_fr",
        "aliases_en",
        "notes",
    }
    unknown = set(rec) - known
    if unknown:
        raise _fail(path, f"actor {rec.get('id')!r} has unknown keys {sorted(unknown)}")
    try:
        return Actor(
            id=rec["id"],
            name=rec["name"],
            type=rec["type"],
            acled_actor_type=rec.get("acled_actor_type"),
            country=rec.get("country"),
            wikidata=rec.get("wikidata"),
            parent=rec.get("parent"),
            aliases_fr=tuple(rec.get("aliases_fr") or ()),
            aliases_en=tuple(rec.get("aliases_en") or ()),
            notes=rec.get("notes"),
        )
    except KeyError as exc:
        raise _fail(path, f"actor {rec.get('id')!r} lacks {exc.args[0]!r}") from None


def parse_actors(data: dict[str, Any], path: Path) -> ActorRegistry:
    """Build and check a registry from parsed YAML (structural checks only; see :func:`check_registry`)."""
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise _fail(path, "expected a mapping with an `actors` list")
    actors: dict[str, Actor] = {}
    for rec in data["actors"]:
        actor = _actor_from_record(rec, path)
        if actor.id in actors:
            raise _fail(path, f"duplicate actor id {actor.id!r}")
        actors[actor.id] = actor
    return ActorRegistry(actors=actors, ambiguous=dict(data.get("ambiguous") or {}), path=path)


def check_registry(reg: ActorRegistry) -> list[str]:
    """Every problem of a registry, as messages (empty when it is sound). Used by tests and CI."""
    from secnews.core.taxonomy import load_taxonomy

    tax = load_taxonomy()
    problems: list[str] = []
    for a in reg.actors.values():
        if not ACTOR_ID_RE.match(a.id):
            problems.append(f"{a.id}: id is not a slug")
        if not tax.has("entity_types", a.type):
            problems.append(f"{a.id}: type {a.type!r} is not an entity type")
        if a.parent is not None and a.parent not in reg.actors:
            problems.append(f"{a.id}: parent {a.parent!r} is not an actor")
        if a.country is not None and not re.fullmatch(r"[A-Z]{2}", a.country):
            problems.append(f"{a.id}: country {a.country!r} is not ISO alpha-2")
        if a.wikidata is not None and not re.fullmatch(r"Q[1-9][0-9]*", a.wikidata):
            problems.append(f"{a.id}: wikidata {a.wikidata!r} is not a Q-id")
    declared = {normalize_alias(k): v for k, v in reg.ambiguous.items()}
    for key, ids in reg._index.items():
        if len(ids) > 1:
            entry = declared.get(key)
            if entry is None:
                problems.append(f"alias {key!r} names {list(ids)} but is not declared ambiguous")
            elif set(entry.get("candidates", [])) != set(ids):
                problems.append(
                    f"ambiguous alias {key!r}: candidates {entry.get('candidates')} != {list(ids)}"
                )
    for key, entry in declared.items():
        if entry.get("default") is not None and entry["default"] not in entry.get("candidates", []):
            problems.append(f"ambiguous alias {key!r}: default is not a candidate")
    return problems


def load_actors(path: Path | None = None) -> ActorRegistry:
    """Load ``schema/actors.yaml`` once per process (coded error when it is unreadable or malformed).

    Cached by file, whether it is named or not: the Label Studio config and the validator used to
    ask by default and by path, and the registry was parsed twice.
    """
    if path is None:
        path = schema_dir() / "actors.yaml"
        if not path.exists():  # a project without a registry (another team's): no actor ids to offer or check
            return _no_registry(path)
    return _read_actors(Path(path))


@cache
def _no_registry(path: Path) -> ActorRegistry:
    return parse_actors({"actors": []}, path)


@cache
def _read_actors(path: Path) -> ActorRegistry:
    try:
        data = safe_load_text(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _fail(path, str(exc)) from None
    return parse_actors(data, path)
