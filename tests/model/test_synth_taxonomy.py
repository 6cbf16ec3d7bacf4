"""synth on another project's taxonomy: built-in types map onto types the same roles accept."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from secnews.core.findings import SecnewsError
from secnews.core.taxonomy import load_taxonomy, parse_taxonomy
from secnews.model.synth import label_map

ROOT = Path(__file__).resolve().parents[2]
CYBER = ROOT / "tests" / "fixtures" / "projects" / "cyber-taxonomy.yaml"


def test_this_repository_s_taxonomy_maps_onto_itself() -> None:
    entities, events = label_map(load_taxonomy(ROOT / "schema" / "taxonomy.yaml"))
    assert all(k == v for k, v in entities.items()) and all(k == v for k, v in events.items())


def test_another_taxonomy_gets_types_its_roles_accept() -> None:
    tax = load_taxonomy(CYBER)
    entities, events = label_map(tax)
    assert entities["ARMED_GROUP"] == "THREAT_ACTOR" and entities["WEAPON"] == "MALWARE"
    assert entities["GPE"] == "GPE" and set(events.values()) <= set(tax.event_types)
    for role, builtin in (("AGENT", "MILITIA"), ("TARGET", "VEHICLE"), ("PLACE", "LOC")):
        assert entities[builtin] in tax.role_accepts(role)


def test_a_taxonomy_without_the_templates_roles_is_a_coded_error() -> None:
    data = yaml.safe_load(CYBER.read_text(encoding="utf-8"))
    data["roles"] = [r for r in data["roles"] if r["name"] != "INSTRUMENT"]
    for ev in data["event_types"]:
        ev["roles"] = [r for r in ev["roles"] if r != "INSTRUMENT"]
    with pytest.raises(SecnewsError) as err:
        label_map(parse_taxonomy(data))
    assert (
        err.value.findings[0].code == "SYNTH_TAXONOMY_UNSUPPORTED"
        and "INSTRUMENT" in err.value.findings[0].message
    )
