"""The generated labeling config: current, parseable by the SDK, and shaped for French annotators."""

from __future__ import annotations

import colorsys
import copy
import xml.etree.ElementTree as ET

import pytest
from label_studio_sdk.label_interface import LabelInterface

from secnews.core.countries import COUNTRIES
from secnews.core.taxonomy import load_taxonomy, parse_taxonomy
from secnews.labelstudio import config as C


@pytest.fixture(scope="module")
def xml() -> str:
    return C.build_config()


@pytest.fixture(scope="module")
def root(xml: str) -> ET.Element:
    return ET.fromstring(xml)


def test_checked_in_config_is_current() -> None:
    assert C.config_is_current(), "schema/labelstudio.xml is stale: run `secnews ls config`"


def test_generation_is_deterministic(xml: str) -> None:
    assert C.build_config() == xml


def test_sdk_parses_every_control(xml: str) -> None:
    li = LabelInterface(xml)
    names = {c.name for c in li.controls}
    expected = {
        *C.LAYER_CONTROLS,
        *C.REGION_CHOICES,
        C.TIMEX_ANCHOR,
        *C.REGION_TEXTAREAS,
        C.RELEVANT,
        C.COUNTRIES_CONTROL,
    }
    assert expected <= names


def test_one_labels_control_per_layer_with_taxonomy_values(root: ET.Element) -> None:
    tax = load_taxonomy()
    labels = {el.get("name"): [lab.get("value") for lab in el] for el in root.iter("Labels")}
    assert set(labels) == set(C.LAYER_CONTROLS)
    assert labels[C.ENTITY] == tax.names("entity_types")
    assert labels[C.EVENT] == tax.names("event_types")


def _hue(colour: str) -> float:
    rgb = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(*rgb)[0] * 360


def _hue_distance(a: float, b: float) -> float:
    return min(abs(a - b), 360 - abs(a - b))


def test_french_hints_and_group_colours(root: ET.Element) -> None:
    """Each label has its own shade (distinct in the text), within its group's hue (groups stay readable)."""
    tax = load_taxonomy()
    for control, section, key, groups in (
        (C.ENTITY, "entity_types", "group", C.ENTITY_GROUP_COLOURS),
        (C.EVENT, "event_types", "acled_event_type", C.EVENT_GROUP_COLOURS),
    ):
        labs = {lab.get("value"): lab for lab in root.find(f"Labels[@name='{control}']")}
        colours = [lab.get("background") for lab in labs.values()]
        assert len(set(colours)) == len(colours), f"{control}: two labels share a colour"
        for name in tax.names(section):
            rec = tax.record(section, name)
            assert labs[name].get("hint") == rec["fr"]
            base = groups[rec.get(key)]
            if len({base[1:3], base[3:5], base[5:7]}) > 1:  # a grey group has no hue to stay near
                assert _hue_distance(_hue(labs[name].get("background")), _hue(base)) <= 25.0, name


def test_hotkeys_are_unique(root: ET.Element) -> None:
    keys = [el.get("hotkey") for el in root.iter() if el.get("hotkey")]
    assert len(keys) == len(set(keys)) and len(keys) > 30


def test_per_region_controls_show_only_for_their_layer(root: ET.Element) -> None:
    for el in root.iter("Choices"):
        name = el.get("name")
        if name in C.REGION_CHOICES:
            assert el.get("perRegion") == "true"
            assert el.get("visibleWhen") == "region-selected"
            assert el.get("whenTagName") == C.REGION_CHOICES[name][1]
    panels = {p.get("whenTagName"): p for p in root.iter("View") if p.get("visibleWhen") == "region-selected"}
    for name, layer in C.REGION_TEXTAREAS.items():
        area = panels[layer].find(f"TextArea[@name='{name}']")
        assert area is not None and area.get("perRegion") == "true" and area.get("maxSubmissions") == "1"


def test_relations_cover_roles_links_and_relation_types(root: ET.Element) -> None:
    tax = load_taxonomy()
    values = [r.get("value") for r in root.find("Relations")]
    for name in (*tax.names("roles"), *tax.names("relation_types"), *C.ATTRIBUTION_RELATIONS):
        assert name in values


def test_publication_date_shown_above_the_text(root: ET.Element) -> None:
    order = [el for el in root.iter() if el.tag in ("Header", "Text")]
    published = next(i for i, el in enumerate(order) if el.get("value") == "$published")
    text = next(i for i, el in enumerate(order) if el.tag == "Text")
    assert published < text
    assert order[text].get("granularity") == "symbol" and order[text].get("value") == "$text"


def test_document_choices(root: ET.Element) -> None:
    rel = root.find(f".//Choices[@name='{C.RELEVANT}']")
    assert [c.get("value") for c in rel] == [C.YES, C.NO] and rel.get("perRegion") is None
    cty = root.find(f".//Choices[@name='{C.COUNTRIES_CONTROL}']")
    assert cty.get("choice") == "multiple"
    assert [c.get("value") for c in cty] == [code for code, _ in COUNTRIES]
    assert {"ML", "BF", "NE", "FR"} <= {c.get("value") for c in cty}


def test_labels_and_hints_are_escaped() -> None:
    """A hostile hint or label value survives as data, not markup (the builder escapes)."""
    data = copy.deepcopy(
        {s: [dict(r) for r in load_taxonomy().sections[s]] for s in load_taxonomy().sections}
    )
    data["entity_types"][0]["fr"] = "a <b>\"gras\"</b> & 'cité' ]]>"
    data["entity_types"].append({"name": "X&<Y>", "group": "thing", "fr": "x"})
    tax = parse_taxonomy({"schema_version": "1.0.0", **data})
    xml = C.build_config(tax)
    root = ET.fromstring(xml)
    labs = root.find(f"Labels[@name='{C.ENTITY}']")
    assert labs[0].get("hint") == data["entity_types"][0]["fr"]
    assert labs[-1].get("value") == "X&<Y>"
    LabelInterface(xml)


def test_every_per_region_control_has_a_french_caption(root: ET.Element) -> None:
    """A per-region value without a caption is a bare "1" in the panel: which of min/max is it?"""
    for panel in (p for p in root.iter("View") if p.get("visibleWhen") == "region-selected"):
        children = list(panel)
        for i, el in enumerate(children):
            if el.get("perRegion") == "true":
                before = children[i - 1]
                assert before.tag == "Header" and before.get("value") == C.CAPTIONS[el.get("name")]
