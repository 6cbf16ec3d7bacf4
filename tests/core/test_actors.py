"""The actor registry: sound file, and lookups that tolerate only harmless surface variation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from secnews.core.actors import check_registry, load_actors, normalize_alias, parse_actors
from secnews.core.findings import SecnewsError
from secnews.core.paths import schema_dir
from secnews.core.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def reg():
    return load_actors()


def test_registry_is_sound(reg) -> None:
    assert check_registry(reg) == []
    assert len(reg) >= 50


def test_ids_unique_in_file() -> None:
    data = yaml.safe_load((schema_dir() / "actors.yaml").read_text(encoding="utf-8"))
    ids = [a["id"] for a in data["actors"]]
    assert len(ids) == len(set(ids))


def test_types_are_taxonomy_entity_types(reg) -> None:
    types = set(load_taxonomy().names("entity_types"))
    assert {a.type for a in reg.actors.values()} <= types


def test_parents_exist_and_have_no_cycle(reg) -> None:
    for actor in reg.actors.values():
        seen = {actor.id}
        parent = actor.parent
        while parent is not None:
            assert parent in reg.actors, f"{actor.id}: unknown parent {parent}"
            assert parent not in seen, f"{actor.id}: cycle through {parent}"
            seen.add(parent)
            parent = reg.actors[parent].parent


def test_aliases_unambiguous_unless_declared(reg) -> None:
    declared = {normalize_alias(k) for k in reg.ambiguous}
    for key, ids in reg._index.items():
        if len(ids) > 1:
            assert key in declared, f"{key} -> {ids}"


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("GSIM", "jnim"),
        ("JNIM", "jnim"),
        ("jnim", "jnim"),
        ("la Katiba Serma", "katiba-serma"),
        ("l'armée malienne", "fama"),
        ("l’armée malienne", "fama"),
        ("L' Armée malienne", "fama"),
        ("les FAMa", "fama"),
        ("Etat islamique", "ei"),
        ("État Islamique", "ei"),
        ("Daech", "ei"),
        ("Al Qaida", "al-qaida"),
        ("AL-QAÏDA", "al-qaida"),
        ("EIGS", "eigs"),
        ("ISSP", "eigs"),
        ("CEDEAO", "cedeao"),
        ("ECOWAS", "cedeao"),
        ("opération Sentinelle", "sentinelle"),
        ("plan Vigipirate", "vigipirate"),
    ],
)
def test_lookup_tolerates_case_accents_articles(reg, surface: str, expected: str) -> None:
    actor = reg.lookup(surface)
    assert actor is not None, surface
    assert actor.id == expected


@pytest.mark.parametrize("surface", ["Katiba", "armée", "terroristes", "Serma", "Al", "le", ""])
def test_lookup_is_exact_not_fuzzy(reg, surface: str) -> None:
    assert reg.lookup(surface) is None


def test_ambiguous_alias_needs_a_country(reg) -> None:
    assert reg.is_ambiguous("FDS")
    assert reg.lookup("FDS") is None
    assert {a.id for a in reg.candidates("FDS")} == {"fds-sahel", "fds-syrie"}
    assert reg.lookup("FDS", country="SY").id == "fds-syrie"
    assert reg.lookup("la gendarmerie nationale", country="ml").id == "gendarmerie-nationale-ml"


def test_aliases_feed_a_matcher_without_ambiguity(reg) -> None:
    pairs = list(reg.aliases())
    assert ("Katiba Serma", reg.get("katiba-serma")) in pairs
    assert all(not reg.is_ambiguous(alias) for alias, _ in pairs)
    assert len(list(reg.aliases(include_ambiguous=True))) > len(pairs)


def test_types_follow_recorded_rules(reg) -> None:
    assert reg.get("sentinelle").type == "STATE_FORCE"
    assert reg.get("vigipirate").type == "MISC"
    assert reg.get("minusma").type == "MULTINATIONAL_FORCE"
    assert reg.get("aes").type == "ORG"
    assert reg.get("katiba-serma").parent == "jnim"


def test_malformed_registry_is_a_coded_error(tmp_path: Path) -> None:
    bad = {"actors": [{"id": "x", "name": "X", "type": "ORG"}, {"id": "x", "name": "Y", "type": "ORG"}]}
    with pytest.raises(SecnewsError) as exc:
        parse_actors(bad, tmp_path / "a.yaml")
    assert exc.value.findings[0].code == "ACTORS_INVALID"


def test_undeclared_ambiguity_is_reported(tmp_path: Path) -> None:
    data = {
        "actors": [
            {"id": "a", "name": "Alpha", "type": "ORG", "aliases_fr": ["AB"]},
            {"id": "b", "name": "Beta", "type": "NOPE", "aliases_fr": ["ab"], "parent": "zz"},
        ]
    }
    problems = check_registry(parse_actors(data, tmp_path / "a.yaml"))
    assert any("not declared ambiguous" in p for p in problems)
    assert any("not an entity type" in p for p in problems)
    assert any("parent 'zz'" in p for p in problems)
