"""The Label Studio labeling config, generated from ``schema/taxonomy.yaml``.

The config is built as an XML tree (``xml.etree.ElementTree``: every label and hint is escaped by
the serializer), never by string concatenation, and written to ``schema/labelstudio.xml`` where a
test checks it is not stale. Its control names are the contract between the exporter and the
importer, so they are constants here and nowhere else.

What the French annotator sees: the title and the publication date above the text (the date is
what "jeudi dernier" resolves against), one ``<Labels>`` bar per layer where each label has its own
shade of its taxonomy group's hue (actors red, places green, things blue; one hue per ACLED event
type), hotkeys and the taxonomy's French text as the hint, a filter box for the 27 event types,
per-region attributes (each under a French caption) that appear only when a region of the right
layer is selected, relations for argument roles and attribution links, and the document-level
questions at the bottom.
"""

from __future__ import annotations

import colorsys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import secnews.labelstudio.errors  # noqa: F401  (registers LS_CONFIG_STALE)
from secnews.core.actors import load_actors
from secnews.core.countries import COUNTRIES
from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_write_text
from secnews.core.paths import schema_dir
from secnews.core.taxonomy import TIMEX_REF, Taxonomy, load_taxonomy

TEXT = "text"

# Labels controls, one per layer
ENTITY = "entity"
EVENT = "event"
TIMEX = "timex"
CUE = "cue"
CONTENT = "content"
LAYER_CONTROLS: tuple[str, ...] = (ENTITY, EVENT, TIMEX, CUE, CONTENT)
TIMEX_LABEL = "TIMEX"
CUE_LABEL = "CUE"
CONTENT_LABEL = "CONTENT"

# per-region Choices: control -> (taxonomy section, region layer control)
REGION_CHOICES: dict[str, tuple[str, str]] = {
    "mention": ("mention_types", ENTITY),
    "realis": ("realis", EVENT),
    "source_type": ("source_types", CUE),
    "claim": ("claims", CUE),
    "certainty": ("certainty", CUE),
    "quote": ("quote_types", CUE),
    "timex_type": ("timex_types", TIMEX),
    "timex_mod": ("timex_mods", TIMEX),
}
TIMEX_ANCHOR = "timex_anchor"  # a single choice "DCT"; an anchor on another timex is an ANCHOR relation
DCT = "DCT"

#: per-region single choice of an entity's actor: a drop-down of the ids of schema/actors.yaml, so an
#: id cannot be mistyped (a free-text box let 'gendarmerie-ml' through to the validator)
ACTOR = "actor"

# per-region TextAreas: control -> region layer control
REGION_TEXTAREAS: dict[str, str] = {
    "fatalities_min": EVENT,
    "fatalities_max": EVENT,
    "timex_value": TIMEX,
}

# document-level Choices
RELEVANT = "relevant"
COUNTRIES_CONTROL = "countries"
YES, NO = "yes", "no"

# relation labels beyond the argument roles and the taxonomy's relation types
REL_SOURCE = "SOURCE"
REL_CONTENT = "CONTENT"
REL_REPORTS = "REPORTS"
REL_ANCHOR = "ANCHOR"
ATTRIBUTION_RELATIONS: dict[str, str] = {
    REL_SOURCE: "Source de l'attribution : de l'indice (cue) vers l'entité qui parle.",
    REL_CONTENT: "Contenu rapporté : de l'indice (cue) vers un passage « contenu ».",
    REL_REPORTS: "Événement rapporté : de l'indice (cue) vers le déclencheur de l'événement.",
    REL_ANCHOR: "Ancrage temporel : d'une expression temporelle vers celle dont elle dépend.",
}

ENTITY_GROUP_COLOURS: dict[str | None, str] = {"actor": "#e6194b", "place": "#3cb44b", "thing": "#4363d8"}
EVENT_GROUP_COLOURS: dict[str | None, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#17becf",
    None: "#7f7f7f",
}
#: how far (degrees) the labels of one group may move away from the group's hue: wide where the
#: neighbouring groups are far on the colour wheel, narrow for the red/orange/brown event groups
ENTITY_HUE_SPREAD = 24.0
EVENT_HUE_SPREAD: dict[str | None, float] = {
    "Battles": 8.0,
    "Explosions/Remote violence": 8.0,
    "Riots": 6.0,
    "Violence against civilians": 14.0,
    "Protests": 16.0,
    "Strategic developments": 22.0,
}
TIMEX_COLOUR = "#bcbd22"
CUE_COLOUR = "#e377c2"
CONTENT_COLOUR = "#f7b6d2"

ENTITY_HOTKEYS = "abcdefghijkl"
EVENT_HOTKEYS = [f"shift+{c}" for c in "abcdeghijklmnopqrstuvwxyz"]  # shift+f opens the filter
OTHER_HOTKEYS = {TIMEX: "t", CUE: "q", CONTENT: "w"}

DEFAULT_CONFIG_PATH_NAME = "labelstudio.xml"


@dataclass(frozen=True)
class ControlSpec:
    """The label values each control accepts (what the importer checks regions against)."""

    layer_labels: dict[str, frozenset[str]]
    region_choices: dict[str, frozenset[str]]
    relation_labels: tuple[str, ...]
    countries: frozenset[str]
    #: argument role -> the layer controls its target may be (entity, timex)
    role_targets: dict[str, tuple[str, ...]]
    relation_types: frozenset[str]


def config_path() -> Path:
    return schema_dir() / DEFAULT_CONFIG_PATH_NAME


_SPECS: dict[int, tuple[Taxonomy, ControlSpec]] = {}


def control_spec(taxonomy: Taxonomy | None = None) -> ControlSpec:
    """The accepted values per control, computed once per taxonomy object."""
    tax = taxonomy or load_taxonomy()
    hit = _SPECS.get(id(tax))
    if hit is not None and hit[0] is tax:
        return hit[1]
    spec = _control_spec(tax)
    _SPECS[id(tax)] = (tax, spec)
    return spec


def _control_spec(tax: Taxonomy) -> ControlSpec:
    layer_labels = {
        ENTITY: frozenset(tax.names("entity_types")),
        EVENT: frozenset(tax.names("event_types")),
        TIMEX: frozenset([TIMEX_LABEL]),
        CUE: frozenset([CUE_LABEL]),
        CONTENT: frozenset([CONTENT_LABEL]),
    }
    choices = {name: frozenset(tax.names(section)) for name, (section, _) in REGION_CHOICES.items()}
    choices[TIMEX_ANCHOR] = frozenset([DCT])
    choices[ACTOR] = frozenset(load_actors().ids())
    relation_labels = (*tax.names("roles"), *ATTRIBUTION_RELATIONS, *tax.names("relation_types"))
    role_targets = {}
    for role in tax.names("roles"):
        accepts = tax.role_accepts(role)
        role_targets[role] = tuple(
            c for c, ok in ((TIMEX, TIMEX_REF in accepts), (ENTITY, bool(accepts - {TIMEX_REF}))) if ok
        )
    return ControlSpec(
        layer_labels,
        choices,
        relation_labels,
        frozenset(code for code, _ in COUNTRIES),
        role_targets,
        frozenset(tax.names("relation_types")),
    )


def _sub(parent: ET.Element, tag: str, **attrs: str | None) -> ET.Element:
    """A child element; attributes given as None are left out (keeps the XML minimal)."""
    return ET.SubElement(parent, tag, {_attr(k): v for k, v in attrs.items() if v is not None})


def _attr(name: str) -> str:
    """Python keyword names to Label Studio's camelCase attributes (to_name -> toName)."""
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _header(view: ET.Element) -> None:
    box = _sub(view, "View", style="padding: 0 1em; border-left: 4px solid #4363d8")
    _sub(box, "Header", value="$title", size="4")
    _sub(
        box, "Header", value="Date de publication (référence pour « jeudi dernier », « hier »...) :", size="6"
    )
    _sub(box, "Header", value="$published", size="5")


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def shades(base: str, n: int, spread: float) -> list[str]:
    """``n`` distinct colours around the hue of ``base``: hue stepped across +-``spread`` degrees,
    lightness alternating dark/light so that neighbours in the label bar differ most."""
    if n <= 1:
        return [base.lower()] * n
    h, light, sat = colorsys.rgb_to_hls(*(int(base[i : i + 2], 16) / 255 for i in (1, 3, 5)))
    out = []
    for i in range(n):
        dh = (-spread + 2 * spread * i / (n - 1)) / 360
        dl = (-0.09, 0.09, 0.0)[i % 3]
        lum = min(max(light + dl, 0.28), 0.62)
        out.append(_hex(colorsys.hls_to_rgb((h + dh) % 1.0, lum, sat)))
    # distinct even for grey groups (no hue to move): fall back on lightness steps
    if len(set(out)) < n:
        out = [_hex(colorsys.hls_to_rgb(h, 0.30 + 0.30 * i / (n - 1), sat)) for i in range(n)]
    return out


def label_colours(
    tax: Taxonomy,
    section: str,
    group_key: str,
    group_colours: dict[str | None, str],
    spread: float | dict[str | None, float],
) -> dict[str, str]:
    """Label name -> background: a distinct shade of its group's colour (taxonomy order within a group)."""
    groups: dict[str | None, list[str]] = {}
    for name in tax.names(section):
        groups.setdefault(tax.record(section, name).get(group_key), []).append(name)
    colours: dict[str, str] = {}
    for group, names in groups.items():
        base = group_colours.get(group, "#aaaaaa")
        width = spread.get(group, 12.0) if isinstance(spread, dict) else spread
        colours.update(zip(names, shades(base, len(names), width), strict=True))
    return colours


def _label_control(
    view: ET.Element, name: str, tax: Taxonomy, section: str, colours: dict[str, str], hotkeys: Sequence[str]
) -> ET.Element:
    """One ``<Labels>`` control listing a taxonomy section, each label with its shade, hotkey and French hint."""
    control = _sub(view, "Labels", name=name, to_name=TEXT, show_inline="true")
    for i, label in enumerate(tax.names(section)):
        _sub(
            control,
            "Label",
            value=label,
            background=colours[label],
            hotkey=hotkeys[i] if i < len(hotkeys) else None,
            hint=tax.record(section, label).get("fr"),
        )
    return control


def _labels(view: ET.Element, tax: Taxonomy) -> None:
    ent_colours = label_colours(tax, "entity_types", "group", ENTITY_GROUP_COLOURS, ENTITY_HUE_SPREAD)
    ev_colours = label_colours(tax, "event_types", "acled_event_type", EVENT_GROUP_COLOURS, EVENT_HUE_SPREAD)
    _label_control(view, ENTITY, tax, "entity_types", ent_colours, ENTITY_HOTKEYS)
    _sub(
        view,
        "Filter",
        name="event_filter",
        to_name=EVENT,
        hotkey="shift+f",
        minlength="0",
        placeholder="Filtrer les types d'événement (ACLED)",
    )
    _label_control(view, EVENT, tax, "event_types", ev_colours, EVENT_HOTKEYS)
    tim = _sub(view, "Labels", name=TIMEX, to_name=TEXT, show_inline="true")
    _sub(
        tim,
        "Label",
        value=TIMEX_LABEL,
        background=TIMEX_COLOUR,
        hotkey=OTHER_HOTKEYS[TIMEX],
        hint="Expression temporelle (date, heure, durée, ensemble) : choisir ensuite type, valeur, mod.",
    )
    att = _sub(view, "View", style="display: flex; gap: 1em")
    cue = _sub(att, "Labels", name=CUE, to_name=TEXT, show_inline="true")
    _sub(
        cue,
        "Label",
        value=CUE_LABEL,
        background=CUE_COLOUR,
        hotkey=OTHER_HOTKEYS[CUE],
        hint="Indice d'attribution (« a annoncé », « selon », « a revendiqué ») : relier à la source "
        "(SOURCE), aux contenus (CONTENT) et aux événements rapportés (REPORTS).",
    )
    con = _sub(att, "Labels", name=CONTENT, to_name=TEXT, show_inline="true")
    _sub(
        con,
        "Label",
        value=CONTENT_LABEL,
        background=CONTENT_COLOUR,
        hotkey=OTHER_HOTKEYS[CONTENT],
        hint="Contenu rapporté d'une attribution.",
    )


def _relations(view: ET.Element, tax: Taxonomy) -> None:
    rels = _sub(view, "Relations")
    for name in tax.names("roles"):
        _sub(rels, "Relation", value=name, hint=tax.record("roles", name).get("fr"))
    for name, hint in ATTRIBUTION_RELATIONS.items():
        _sub(rels, "Relation", value=name, hint=hint)
    for name in tax.names("relation_types"):
        _sub(rels, "Relation", value=name, hint=tax.record("relation_types", name).get("fr"))


#: the French caption above each per-region control (a value without a caption is a bare "1")
CAPTIONS: dict[str, str] = {
    "mention": "Type de mention",
    ACTOR: "Acteur (registre schema/actors.yaml, si l'entité en est un)",
    "realis": "Realis : l'événement a-t-il eu lieu ?",
    "fatalities_min": "Morts : minimum rapporté",
    "fatalities_max": "Morts : maximum rapporté (fourchette)",
    "source_type": "Type de source",
    "claim": "Type d'énoncé",
    "certainty": "Certitude",
    "quote": "Citation",
    "timex_type": "Type",
    "timex_mod": "Modificateur (mod)",
    TIMEX_ANCHOR: "Ancrage",
    "timex_value": "Valeur normalisée (TIMEX3)",
}
# Label Studio 1.23 renders every <Header> as the same <h4> whatever its size: the style makes the
# panel title stand out and the captions read as small grey field labels
_TITLE_STYLE = "margin: 0.4em 0 0.2em; font-size: 1.15em"
_CAPTION_STYLE = "margin: 0.7em 0 0.1em; font-size: 0.85em; font-weight: 400; color: #666"
_PANEL_BORDER = {ENTITY: "#e6194b", EVENT: "#ff7f0e", CUE: CUE_COLOUR, TIMEX: TIMEX_COLOUR}


def _caption(panel: ET.Element, name: str) -> None:
    _sub(panel, "Header", value=CAPTIONS[name], size="6", style=_CAPTION_STYLE, underline="false")


def _region_panel(view: ET.Element, tax: Taxonomy, layer: str, title: str) -> None:
    panel = _sub(
        view,
        "View",
        visible_when="region-selected",
        when_tag_name=layer,
        style=f"margin-top: 0.5em; padding: 0 1em 0.5em; border-left: 4px solid {_PANEL_BORDER[layer]}",
    )
    _sub(panel, "Header", value=title, size="5", style=_TITLE_STYLE)
    for name, (section, owner) in REGION_CHOICES.items():
        if owner != layer:
            continue
        _caption(panel, name)
        ch = _sub(
            panel,
            "Choices",
            name=name,
            to_name=TEXT,
            per_region="true",
            choice="single",
            show_inline="true",
            visible_when="region-selected",
            when_tag_name=layer,
        )
        for value in tax.names(section):
            _sub(ch, "Choice", value=value, hint=tax.record(section, value).get("fr"))
    if layer == ENTITY:
        _actor_choices(panel)
    if layer == TIMEX:
        _caption(panel, TIMEX_ANCHOR)
        anchor = _sub(
            panel,
            "Choices",
            name=TIMEX_ANCHOR,
            to_name=TEXT,
            per_region="true",
            choice="single",
            visible_when="region-selected",
            when_tag_name=layer,
        )
        _sub(
            anchor,
            "Choice",
            value=DCT,
            hint="Ancrée sur la date de publication (sinon : relation ANCHOR vers une autre expression).",
        )
    for name, owner in REGION_TEXTAREAS.items():
        if owner == layer:
            _caption(panel, name)
            _sub(
                panel,
                "TextArea",
                name=name,
                to_name=TEXT,
                per_region="true",
                max_submissions="1",
                editable="true",
                rows="1",
                placeholder=_PLACEHOLDERS[name],
            )


def _actor_choices(panel: ET.Element) -> None:
    """The actor drop-down: one choice per registry id, its canonical name as the hint, sorted by id.

    A project without a registry gets no drop-down (Label Studio refuses a Choices with no Choice)."""
    registry = load_actors()
    if not registry.ids():
        return
    _caption(panel, ACTOR)
    box = _sub(
        panel,
        "Choices",
        name=ACTOR,
        to_name=TEXT,
        per_region="true",
        choice="single",
        layout="select",
        visible_when="region-selected",
        when_tag_name=ENTITY,
    )
    for actor_id in sorted(registry.ids()):
        actor = registry.get(actor_id)
        _sub(box, "Choice", value=actor_id, hint=actor.name if actor else None)


_PLACEHOLDERS = {
    "fatalities_min": "morts : minimum rapporté (entier)",
    "fatalities_max": "morts : maximum rapporté (entier, si fourchette)",
    "timex_value": "valeur TIMEX3, ex. 2024-12-26, 2024-W52, P3D, PAST_REF",
}


def _document_choices(view: ET.Element, tax: Taxonomy) -> None:
    box = _sub(view, "View", style="margin-top: 1em")
    _sub(box, "Header", value=tax.record("document_labels", RELEVANT).get("fr"), size="6")
    rel = _sub(box, "Choices", name=RELEVANT, to_name=TEXT, choice="single", show_inline="true")
    _sub(rel, "Choice", value=YES, html="oui", hint="oui (exporté : yes)")
    _sub(rel, "Choice", value=NO, html="non", hint="non (exporté : no)")
    _sub(box, "Header", value=tax.record("document_labels", COUNTRIES_CONTROL).get("fr"), size="6")
    cty = _sub(
        box,
        "Choices",
        name=COUNTRIES_CONTROL,
        to_name=TEXT,
        choice="multiple",
        layout="select",
        allow_nested="false",
    )
    for code, name in COUNTRIES:
        _sub(cty, "Choice", value=code, hint=name)


def build_config(taxonomy: Taxonomy | None = None) -> str:
    """The labeling config XML for a taxonomy (the project's by default), deterministic."""
    tax = taxonomy or load_taxonomy()
    view = ET.Element("View")
    view.append(
        ET.Comment(
            f" generated by `secnews ls config` from schema/taxonomy.yaml and schema/actors.yaml "
            f"(schema {tax.schema_version}); do not edit by hand "
        )
    )
    _header(view)
    _labels(view, tax)
    _relations(view, tax)
    _sub(view, "Text", name=TEXT, value="$text", granularity="symbol")
    _region_panel(view, tax, ENTITY, "Entité")
    _region_panel(view, tax, EVENT, "Événement")
    _region_panel(view, tax, CUE, "Attribution")
    _region_panel(view, tax, TIMEX, "Expression temporelle")
    _document_choices(view, tax)
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


def write_config(path: Path | None = None, taxonomy: Taxonomy | None = None) -> tuple[Path, bool]:
    """Write the generated config (atomically) unless it is already current; returns (path, changed)."""
    path = Path(path) if path else config_path()
    xml = build_config(taxonomy)
    if path.exists() and path.read_text(encoding="utf-8") == xml:
        return path, False
    atomic_write_text(path, xml)
    return path, True


def config_is_current(path: Path | None = None, taxonomy: Taxonomy | None = None) -> bool:
    path = Path(path) if path else config_path()
    return path.exists() and path.read_text(encoding="utf-8") == build_config(taxonomy)


def check_config(path: Path | None = None, taxonomy: Taxonomy | None = None) -> Path:
    """The config's path if it is current, else ``LS_CONFIG_STALE``: a coded finding CI prints like any other."""
    path = Path(path) if path else config_path()
    if not config_is_current(path, taxonomy):
        raise SecnewsError(make_finding("LS_CONFIG_STALE", file=str(path), config=str(path)))
    return path
