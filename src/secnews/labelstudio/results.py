"""One annotation set <-> one Label Studio ``result`` list, in both directions.

Label Studio stores regions flat: a ``labels`` item per span, then per-region ``choices`` and
``textarea`` items repeating the span's ``id``, then ``relation`` items joining ids. The canonical
set is nested (an event owns its arguments, an attribution its cue and contents). The importer
joins by region id; the exporter flattens. Both use the control names of
:mod:`secnews.labelstudio.config`, so the generated config, the exporter and the importer agree.

Round-trip rules (canonical -> LS -> canonical is the identity):

- Record ids are region ids. An LS id that is not a valid canonical id is mapped to
  ``ls.<hash>`` and the original kept in ``origin.extra["secnews_region_ids"]`` so exporting the
  set again restores it. A content span without an id gets the region id ``<cue id>~c<n>``, which
  no canonical id can look like, and loses it again on import.
- Order is kept: records in each layer follow the order of their regions; arguments, contents and
  reported events follow the order of their relations.
- Fields the editor has no control for travel in the region's ``meta`` (``source_label``, a
  ``fatalities`` object whose bounds are both null) and ``score`` in the region's ``score``.
- SAME_AS / SAME_EVENT / CAUSES relations carry their canonical id in the relation item; one drawn in
  the editor has none and gets ``rel-<hash of type, head, tail>``, stable across re-imports.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from secnews.core.findings import Finding, make_finding
from secnews.core.ids import RECORD_ID_RE
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.labelstudio import config as C
from secnews.labelstudio.offsets import OffsetMap, read_span
from secnews.model.document import LAYERS

GENERATED_CONTENT_ID_RE = re.compile(r"^(?P<cue>.+)~c(?P<n>\d+)$")
REGION_IDS_KEY = "secnews_region_ids"

Result = list[dict[str, Any]]


def empty_layers() -> dict[str, list[Any]]:
    return {layer: [] for layer in LAYERS}


def mapped_id(ls_id: str) -> str:
    """A valid canonical id for an LS region id that is not one (deterministic)."""
    return "ls." + hashlib.sha1(ls_id.encode("utf-8")).hexdigest()[:12]


def relation_key(rel_type: str, head: str, tail: str) -> str:
    """What identifies a record relation across a round trip through the editor."""
    return f"{rel_type}|{head}|{tail}"


def derived_relation_id(rel_type: str, head: str, tail: str) -> str:
    return "rel-" + hashlib.sha1(f"{rel_type}|{head}|{tail}".encode()).hexdigest()[:12]


# ------------------------------------------------------------------------------------------ import
_DOC, _LAYER, _CHOICE, _TEXTAREA = range(4)
_KINDS: dict[str, int] = {
    C.RELEVANT: _DOC,
    C.COUNTRIES_CONTROL: _DOC,
    **dict.fromkeys(C.LAYER_CONTROLS, _LAYER),
    **dict.fromkeys((*C.REGION_CHOICES, C.TIMEX_ANCHOR, C.ACTOR), _CHOICE),
    **dict.fromkeys(C.REGION_TEXTAREAS, _TEXTAREA),
}


#: region attribute control -> the layer control of the regions it applies to (one lookup per value)
_OWNER: dict[str, str] = {
    **C.REGION_TEXTAREAS,
    C.TIMEX_ANCHOR: C.TIMEX,
    C.ACTOR: C.ENTITY,
    **{control: layer for control, (_, layer) in C.REGION_CHOICES.items()},
}


@dataclass
class Where:
    """Names what is being read, for the findings (task, annotation or prediction, region)."""

    task: Any
    what: str  # "annotation" | "prediction"
    ann: Any
    doc_id: str | None = None
    set_id: str | None = None
    file: str | None = None

    def finding(self, code: str, region: str | None = None, **ctx: Any) -> Finding:
        return make_finding(
            code,
            file=self.file,
            doc_id=self.doc_id,
            annotation_set=self.set_id,
            annotation_id=region,
            task=self.task,
            what=self.what,
            ann=self.ann,
            region=region,
            **ctx,
        )


@dataclass(slots=True)
class _Region:
    ls_id: str
    cid: str
    control: str
    label: str
    start: int
    end: int
    text: str
    item: dict[str, Any]
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Parsed:
    """What a result list became: labels and layers, the region-id map, and the findings."""

    labels: dict[str, Any]
    layers: dict[str, list[Any]]
    region_ids: dict[str, str]
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


class _Reader:
    """Reads one result list against one text; collects findings instead of stopping at the first."""

    def __init__(
        self,
        result: Result,
        text: str,
        omap: OffsetMap,
        where: Where,
        tax: Taxonomy,
        relation_ids: dict[str, str] | None = None,
    ) -> None:
        self.result, self.text, self.omap, self.where, self.tax = result, text, omap, where, tax
        self.relation_ids = relation_ids or {}
        self.spec = C.control_spec(tax)
        self.findings: list[Finding] = []
        self.regions: dict[str, _Region] = {}
        self.order: list[_Region] = []
        self.attrs: dict[str, dict[str, Any]] = {}
        self.relations: list[dict[str, Any]] = []
        self.labels: dict[str, Any] = {"relevant": None, "countries": []}
        self.region_ids: dict[str, str] = {}
        self.utf16_regions: list[str] = []  # regions whose offsets only fit when read as UTF-16

    def err(self, code: str, region: str | None = None, **ctx: Any) -> None:
        self.findings.append(self.where.finding(code, region, **ctx))

    # -------------------------------------------------------------------------------- items
    def read(self) -> None:
        """Sort the items: relations aside, region attributes joined by id, spans read.

        A result holds tens of items per region, so the common case is handled here without a call
        per item: a well-formed single choice of a region goes straight into its attributes (the
        same checks as :meth:`_choice` and :meth:`_attr`); anything else takes :meth:`_item`, which
        reports findings. Likewise a labelled span whose label, offsets and text all check out when
        read as code points is recorded here (the checks of :meth:`_span`).
        """
        kinds, choices_of, attrs, text_name = _KINDS, self.spec.region_choices, self.attrs, C.TEXT
        labels_of, regions, order, text = self.spec.layer_labels, self.regions, self.order, self.text
        plain_len = self.omap.length_cp  # code points, as the editor counts
        record_id = RECORD_ID_RE.match
        for index, item in enumerate(self.result):
            if not isinstance(item, dict):
                self.err("LS_BAD_ITEM", index=index, detail=f"is a {type(item).__name__}, not an object")
                continue
            if item.get("type") == "relation":
                self.relations.append(item)
                continue
            control: Any = item.get("from_name")  # Any: narrowed by the ``type(...) is`` tests below
            kind = kinds.get(control) if type(control) is str else None
            if kind == _CHOICE:
                value, region = item.get("value"), item.get("id")
                if (
                    type(value) is dict
                    and type(region) is str
                    and region
                    and item.get("to_name", text_name) == text_name
                ):
                    choices = value.get("choices")
                    if (
                        type(choices) is list
                        and len(choices) == 1
                        and type(choices[0]) is str  # a list or dict here is unhashable: slow path
                        and choices[0] in choices_of[control]
                    ):
                        slot = attrs.get(region)
                        if slot is None:
                            attrs[region] = {control: choices[0]}
                            continue
                        if control not in slot:
                            slot[control] = choices[0]
                            continue
            elif kind == _LAYER:
                value, region = item.get("value"), item.get("id")
                if (
                    type(value) is dict
                    and type(region) is str
                    and region
                    and region not in regions
                    and item.get("to_name", text_name) == text_name
                ):
                    labels, start, end = value.get("labels"), value.get("start"), value.get("end")
                    if (
                        type(labels) is list
                        and len(labels) == 1
                        and type(labels[0]) is str
                        and labels[0] in labels_of[control]
                        and type(start) is int
                        and type(end) is int
                        and 0 <= start < end <= plain_len
                    ):
                        span_text = text[start:end]
                        if value.get("text", span_text) == span_text and record_id(region):
                            reg = _Region(region, region, control, labels[0], start, end, span_text, item)
                            regions[region] = reg
                            order.append(reg)
                            continue
            self._item(index, item)

    def _item(self, index: int, item: dict[str, Any]) -> None:
        control: Any = item.get("from_name")  # a str whenever ``kind`` is not None
        value, region = item.get("value"), item.get("id")
        kind = _KINDS.get(control) if isinstance(control, str) else None
        if kind is None or not isinstance(value, dict):
            if not isinstance(control, str) or not isinstance(value, dict):
                self.err("LS_BAD_ITEM", index=index, detail="lacks a 'from_name' string or a 'value' object")
            else:
                self.err("LS_UNKNOWN_CONTROL", str(region), control=control)
            return
        if kind == _DOC:
            self._document_choice(control, value, region)
        elif item.get("to_name", C.TEXT) != C.TEXT:
            self.err("LS_UNKNOWN_CONTROL", str(region), control=f"{control} -> {item.get('to_name')}")
        elif not isinstance(region, str) or not region:
            self.err("LS_BAD_ITEM", index=index, detail=f"of control {control!r} has no region id")
        elif kind == _LAYER:
            self._span(region, control, value, item)
        elif kind == _CHOICE and control == C.ACTOR and item.get("type") == "textarea":
            self._attr(region, control, self._typed_actor(region, value))
        elif kind == _CHOICE:
            self._attr(region, control, self._choice(region, control, value))
        else:
            self._attr(region, control, self._textarea(region, control, value))

    def _document_choice(self, control: str, value: dict[str, Any], region: Any) -> None:
        choices = value.get("choices")
        if not isinstance(choices, list):
            self.err("LS_BAD_LABELS", str(region), detail=f"{control}: 'choices' is not a list")
            return
        if control == C.RELEVANT:
            if len(choices) != 1 or choices[0] not in (C.YES, C.NO):
                self.err("LS_UNKNOWN_LABEL", str(region), control=control, label=choices)
                return
            self.labels["relevant"] = choices[0] == C.YES
            return
        bad = [c for c in choices if not _known(c, self.spec.countries)]
        if bad:
            self.err("LS_UNKNOWN_LABEL", str(region), control=control, label=bad[0])
            return
        self.labels["countries"] = list(choices)

    def _choice(self, region: str, control: str, value: dict[str, Any]) -> str | None:
        choices = value.get("choices")
        if not isinstance(choices, list) or len(choices) != 1:
            self.err("LS_BAD_LABELS", region, detail=f"{control} needs exactly one choice, got {choices!r}")
            return None
        if not _known(choices[0], self.spec.region_choices[control]):
            self.err("LS_UNKNOWN_LABEL", region, control=control, label=choices[0])
            return None
        return choices[0]

    def _typed_actor(self, region: str, value: dict[str, Any]) -> str | None:
        """An actor typed in the free-text box of configs before the drop-down (older exports)."""
        typed = self._textarea(region, C.ACTOR, value)
        if typed is not None and typed not in self.spec.region_choices[C.ACTOR]:
            self.err("LS_UNKNOWN_LABEL", region, control=C.ACTOR, label=typed)
            return None
        return typed

    def _textarea(self, region: str, control: str, value: dict[str, Any]) -> str | None:
        """The typed value; empty or blank means "not given" (the editor saves an empty box so)."""
        texts = value.get("text")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            self.err("LS_BAD_VALUE", region, detail=f"{control}: 'text' is not a list of strings")
            return None
        texts = [t.strip() for t in texts if t.strip()]
        if len(texts) > 1:
            self.err("LS_BAD_VALUE", region, detail=f"{control}: several values {texts!r}, one expected")
            return None
        return texts[0] if texts else None

    def _attr(self, region: str, control: str, val: Any) -> None:
        slot = self.attrs.setdefault(region, {})
        if control in slot:
            self.err("LS_REGION_CONFLICT", region, detail=f"two {control!r} values for one region")
        slot[control] = val

    def _span(self, region: str, control: str, value: dict[str, Any], item: dict[str, Any]) -> None:
        labels = value.get("labels")
        if region in self.regions:
            self.err("LS_REGION_CONFLICT", region, detail="two labelled regions share this id")
            return
        if not isinstance(labels, list) or len(labels) != 1:
            self.err(
                "LS_BAD_LABELS", region, detail=f"{control} region needs exactly one label, got {labels!r}"
            )
            return
        if not _known(labels[0], self.spec.layer_labels[control]):
            self.err("LS_UNKNOWN_LABEL", region, control=control, label=labels[0])
            return
        span = self._offsets(region, value)
        if span is None:
            return
        cid = self._canonical_id(region, control)
        reg = _Region(region, cid, control, labels[0], span[0], span[1], self.text[span[0] : span[1]], item)
        self.regions[region] = reg
        self.order.append(reg)

    def _canonical_id(self, region: str, control: str) -> str:
        if RECORD_ID_RE.match(region):
            return region
        if control == C.CONTENT and GENERATED_CONTENT_ID_RE.match(region):
            return region  # an exported id-less content span: the id is dropped when joined
        cid = mapped_id(region)
        self.region_ids[cid] = region
        return cid

    def _offsets(self, region: str, value: dict[str, Any]) -> tuple[int, int] | None:
        """Code-point offsets of a region, read as the editor writes them or converted from UTF-16."""
        start, end = value.get("start"), value.get("end")
        if type(start) is not int or type(end) is not int or not 0 <= start < end:
            self.err("LS_BAD_SPAN", region, detail=f"start {start!r} / end {end!r} are not 0 <= start < end")
            return None
        found = value.get("text")
        got = read_span(self.text, self.omap, start, end, found)
        if got.error == "LS_OFFSET_OUT_OF_RANGE":
            self.err(got.error, region, end=end, length=self.omap.length_cp)
        elif got.error == "LS_OFFSET_SPLITS_CHARACTER":
            self.err(got.error, region, offset=start)
        elif got.error is not None:
            self.err(got.error, region, found=found, expected=self.text[start:end])
        if got.error is not None:
            return None
        if got.utf16:
            self.utf16_regions.append(region)
        return got.start, got.end

    # -------------------------------------------------------------------------------- joining
    def join(self) -> dict[str, list[Any]]:
        for region, slot in self.attrs.items():
            reg = self.regions.get(region)
            if reg is None:
                if not any(f.annotation_id == region for f in self.findings):
                    self.err(
                        "LS_REGION_CONFLICT",
                        region,
                        detail=f"attributes {sorted(slot)} belong to no labelled region",
                    )
                continue
            for control in slot:
                if _OWNER[control] != reg.control:
                    self.err(
                        "LS_REGION_CONFLICT",
                        region,
                        detail=f"attribute {control!r} does not apply to a {reg.control} region",
                    )
            reg.attrs = slot
        layers = empty_layers()
        links = self._relations(layers)
        self._records(layers, links)
        return layers

    def _relations(self, layers: dict[str, list[Any]]) -> dict[str, Any]:
        """Sort relations into arguments, attribution links, anchors and record relations."""
        roles = self.spec.role_targets
        rel_types = self.spec.relation_types
        links: dict[str, Any] = {
            "args": {},
            "source": {},
            "content": {},
            "reports": {},
            "anchor": {},
            "content_owner": {},
        }
        regions = self.regions
        for rel in self.relations:
            labels = rel.get("labels") or []
            from_id, to_id = rel.get("from_id"), rel.get("to_id")
            a = regions.get(from_id) if isinstance(from_id, str) else None
            b = regions.get(to_id) if isinstance(to_id, str) else None
            name = "/".join(map(str, labels)) if isinstance(labels, list) else str(labels)
            if a is None or b is None:
                missing = str(from_id if a is None else to_id)
                if not any(f.annotation_id == missing for f in self.findings):
                    self.err("LS_RELATION_MISSING_REGION", missing, label=name or "(no label)")
                continue
            if not isinstance(labels, list) or not labels:
                self._bad_rel(rel, name or "(no label)", "has no label (choose a role or a relation type)")
                continue
            ends = [a, b]
            for label in labels:
                if not isinstance(label, str):  # a list or object: unhashable, and no label anyway
                    self.err("LS_UNKNOWN_LABEL", str(from_id), control="relation", label=label)
                elif label in roles:
                    self._argument(rel, label, ends, links)
                elif label in (C.REL_SOURCE, C.REL_CONTENT, C.REL_REPORTS):
                    self._attribution_link(rel, label, ends, links)
                elif label == C.REL_ANCHOR:
                    self._anchor(rel, ends, links)
                elif label in rel_types:
                    self._record_relation(rel, label, ends, layers, len(labels) == 1)
                else:
                    self.err("LS_UNKNOWN_LABEL", str(from_id), control="relation", label=label)
        return links

    def _bad_rel(self, rel: dict[str, Any], label: str, detail: str) -> None:
        self.err(
            "LS_BAD_RELATION",
            str(rel.get("from_id")),
            label=label,
            from_id=rel.get("from_id"),
            to_id=rel.get("to_id"),
            detail=detail,
        )

    def _pair(
        self, ends: list[_Region], first: str, second: tuple[str, ...]
    ) -> tuple[_Region, _Region] | None:
        """The (first-layer, other) endpoints whatever the drawing direction, or None."""
        a, b = ends
        if a.control == first and b.control in second:
            return a, b
        if b.control == first and a.control in second:
            return b, a
        return None

    def _argument(self, rel: dict[str, Any], role: str, ends: list[_Region], links: dict[str, Any]) -> None:
        targets = self.spec.role_targets[role]
        pair = self._pair(ends, C.EVENT, targets)
        if pair is None:
            self._bad_rel(
                rel,
                role,
                f"a role joins an event to {' or '.join(targets)}, not "
                f"{ends[0].control} and {ends[1].control}",
            )
            return
        links["args"].setdefault(pair[0].ls_id, []).append({"role": role, "ref": pair[1].cid})

    def _attribution_link(
        self, rel: dict[str, Any], label: str, ends: list[_Region], links: dict[str, Any]
    ) -> None:
        other = {C.REL_SOURCE: C.ENTITY, C.REL_CONTENT: C.CONTENT, C.REL_REPORTS: C.EVENT}[label]
        pair = self._pair(ends, C.CUE, (other,))
        if pair is None:
            self._bad_rel(
                rel,
                label,
                f"{label} joins a cue to a {other} region, not {ends[0].control} and {ends[1].control}",
            )
            return
        cue, target = pair
        if label == C.REL_SOURCE:
            if cue.ls_id in links["source"]:
                self._bad_rel(rel, label, "the cue already has a source")
                return
            links["source"][cue.ls_id] = target.cid
        elif label == C.REL_CONTENT:
            owner = links["content_owner"].setdefault(target.ls_id, cue.ls_id)
            if owner != cue.ls_id:
                self._bad_rel(rel, label, f"the content region already belongs to cue {owner}")
                return
            links["content"].setdefault(cue.ls_id, []).append(target)
        else:
            links["reports"].setdefault(cue.ls_id, []).append(target.cid)

    def _directed(
        self, rel: dict[str, Any], ends: list[_Region], label: str, symmetric: bool
    ) -> tuple[_Region, _Region] | None:
        direction = rel.get("direction", "right")
        if direction == "left":
            return ends[1], ends[0]
        if direction == "bi" and not symmetric:
            self._bad_rel(rel, label, "a directed relation cannot be bidirectional")
            return None
        return ends[0], ends[1]

    def _anchor(self, rel: dict[str, Any], ends: list[_Region], links: dict[str, Any]) -> None:
        if ends[0].control != C.TIMEX or ends[1].control != C.TIMEX:
            self._bad_rel(rel, C.REL_ANCHOR, "ANCHOR joins two timex regions")
            return
        pair = self._directed(rel, ends, C.REL_ANCHOR, symmetric=False)
        if pair is None:
            return
        if pair[0].ls_id in links["anchor"]:
            self._bad_rel(rel, C.REL_ANCHOR, "the timex already has an anchor")
            return
        links["anchor"][pair[0].ls_id] = pair[1].cid

    def _record_relation(
        self, rel: dict[str, Any], label: str, ends: list[_Region], layers: dict[str, list[Any]], single: bool
    ) -> None:
        head_layer, tail_layer = self.tax.relation_layers(label)
        want = {"entities": C.ENTITY, "events": C.EVENT, "timexes": C.TIMEX}
        pair = self._directed(rel, ends, label, symmetric=label != "CAUSES")
        if pair is None:
            return
        head, tail = pair
        if head.control != want.get(head_layer) or tail.control != want.get(tail_layer):
            self._bad_rel(rel, label, f"{label} joins {head_layer} to {tail_layer}")
            return
        rid = rel.get("id") if single else None
        if not (isinstance(rid, str) and RECORD_ID_RE.match(rid)):
            # the editor drops relation ids on any edit: the id the pushed task had for the same
            # (type, head, tail) comes back, else one derived from them, so a diff shows only real changes
            key = relation_key(label, head.cid, tail.cid)
            rid = self.relation_ids.get(key) or derived_relation_id(label, head.cid, tail.cid)
        layers["relations"].append({"id": rid, "type": label, "head": head.cid, "tail": tail.cid})

    # -------------------------------------------------------------------------------- records
    def _records(self, layers: dict[str, list[Any]], links: dict[str, Any]) -> None:
        for reg in self.order:
            if reg.control == C.ENTITY:
                layers["entities"].append(self._entity(reg))
            elif reg.control == C.EVENT:
                layers["events"].append(self._event(reg, links))
            elif reg.control == C.TIMEX:
                layers["timexes"].append(self._timex(reg, links))
            elif reg.control == C.CUE:
                layers["attributions"].append(self._attribution(reg, links))
            elif reg.ls_id not in links["content_owner"]:
                self.err(
                    "LS_REGION_CONFLICT",
                    reg.ls_id,
                    detail="content region is linked to no cue (draw a CONTENT relation from its cue)",
                )

    def _span_dict(self, reg: _Region) -> dict[str, Any]:
        return {"start": reg.start, "end": reg.end, "text": reg.text}

    def _extras(self, reg: _Region, rec: dict[str, Any], allow_source_label: bool = True) -> dict[str, Any]:
        meta = reg.item.get("meta")
        if allow_source_label and isinstance(meta, dict) and isinstance(meta.get("source_label"), str):
            rec["source_label"] = meta["source_label"]
        score = reg.item.get("score")
        if score is not None:
            if isinstance(score, (int, float)) and not isinstance(score, bool) and 0 <= score <= 1:
                rec["score"] = score
            else:
                self.err("LS_BAD_VALUE", reg.ls_id, detail=f"score {score!r} is not a number in [0, 1]")
        return rec

    def _entity(self, reg: _Region) -> dict[str, Any]:
        rec = {
            "id": reg.cid,
            **self._span_dict(reg),
            "type": reg.label,
            "mention": reg.attrs.get("mention"),
            "actor": reg.attrs.get("actor"),
        }
        return self._extras(reg, rec)

    def _int(self, reg: _Region, control: str) -> int | None:
        raw = reg.attrs.get(control)
        if raw is None:
            return None
        if not re.fullmatch(r"\d{1,9}", raw):
            self.err("LS_BAD_VALUE", reg.ls_id, detail=f"{control} {raw!r} is not a whole number >= 0")
            return None
        return int(raw)

    def _event(self, reg: _Region, links: dict[str, Any]) -> dict[str, Any]:
        low, high = self._int(reg, "fatalities_min"), self._int(reg, "fatalities_max")
        meta = reg.item.get("meta")
        if not isinstance(meta, dict):
            meta = {}
        fatalities: dict[str, Any] | None = None
        if low is not None or high is not None or meta.get("fatalities_empty") is True:
            fatalities = {"min": low, "max": high}
        rec = {
            "id": reg.cid,
            "type": reg.label,
            "trigger": self._span_dict(reg),
            "realis": reg.attrs.get("realis"),
            "fatalities": fatalities,
            "arguments": links["args"].get(reg.ls_id, []),
        }
        return self._extras(reg, rec)

    def _timex(self, reg: _Region, links: dict[str, Any]) -> dict[str, Any]:
        anchor = links["anchor"].get(reg.ls_id)
        if reg.attrs.get(C.TIMEX_ANCHOR) == C.DCT:
            if anchor is not None:
                self.err(
                    "LS_REGION_CONFLICT",
                    reg.ls_id,
                    detail="timex is anchored both on the DCT and on another timex",
                )
            anchor = C.DCT
        if reg.attrs.get("timex_type") is None:
            self.err("LS_BAD_VALUE", reg.ls_id, detail="timex region has no timex_type choice")
        rec = {
            "id": reg.cid,
            **self._span_dict(reg),
            "type": reg.attrs.get("timex_type"),
            "value": reg.attrs.get("timex_value"),
            "anchor": anchor,
            "mod": reg.attrs.get("timex_mod"),
        }
        return self._extras(reg, rec)

    def _attribution(self, reg: _Region, links: dict[str, Any]) -> dict[str, Any]:
        content = []
        for con in links["content"].get(reg.ls_id, []):
            span = self._span_dict(con)
            if not GENERATED_CONTENT_ID_RE.match(con.ls_id) or con.cid != con.ls_id:
                span["id"] = con.cid
            content.append(span)
        rec = {
            "id": reg.cid,
            "source": links["source"].get(reg.ls_id),
            "cue": self._span_dict(reg),
            "content": content,
            "events": links["reports"].get(reg.ls_id, []),
            **{name: reg.attrs.get(name) for name in ("source_type", "claim", "certainty", "quote")},
        }
        return self._extras(reg, rec, allow_source_label=False)


def _known(value: Any, allowed: Container[str]) -> bool:
    """``value in allowed`` for any JSON value: a list or object in an export is unhashable, so
    testing it against a set would raise instead of reporting an unknown label."""
    return isinstance(value, str) and value in allowed


def read_result(
    result: Any,
    text: str,
    omap: OffsetMap,
    where: Where,
    taxonomy: Taxonomy | None = None,
    relation_ids: dict[str, str] | None = None,
) -> Parsed:
    """Parse one annotation's or prediction's ``result`` into canonical labels and layers.

    ``relation_ids`` (:func:`relation_key` -> id, from the pushed task) names the relations the
    editor returns without their id.
    """
    tax = taxonomy or load_taxonomy()
    if not isinstance(result, list):
        return Parsed(
            {"relevant": None, "countries": []}, empty_layers(), {}, [where.finding("LS_MISSING_RESULT")]
        )
    reader = _Reader(result, text, omap, where, tax, relation_ids)
    reader.read()
    layers = reader.join()
    if reader.utf16_regions:
        reader.findings.append(
            where.finding(
                "LS_OFFSETS_UTF16",
                reader.utf16_regions[0],
                count=len(reader.utf16_regions),
                first=reader.utf16_regions[0],
            )
        )
    return Parsed(reader.labels, layers, reader.region_ids, reader.findings)


# ------------------------------------------------------------------------------------------ export
class _Writer:
    """Flattens one canonical set into result items (offsets in code points, as the editor counts)."""

    def __init__(self, ann: dict[str, Any]) -> None:
        self.ann = ann
        extra = (ann.get("origin") or {}).get("extra") or {}
        self.to_ls: dict[str, str] = {cid: ls for cid, ls in (extra.get(REGION_IDS_KEY) or {}).items()}
        self.items: Result = []
        self.rels: Result = []

    def ls_id(self, cid: str) -> str:
        return self.to_ls.get(cid, cid)

    def region(
        self,
        cid: str,
        control: str,
        label: str,
        span: dict[str, Any],
        rec: dict[str, Any] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> str:
        rid = self.ls_id(cid)
        value = {"start": span["start"], "end": span["end"], "text": span["text"]}
        item: dict[str, Any] = {
            "id": rid,
            "from_name": control,
            "to_name": C.TEXT,
            "type": "labels",
            "value": {**value, "labels": [label]},
        }
        if rec is not None and "score" in rec:
            item["score"] = rec["score"]
        if rec is not None and "source_label" in rec:
            meta = {**(meta or {}), "source_label": rec["source_label"]}
        if meta:
            item["meta"] = meta
        self.items.append(item)
        self._span_values[rid] = value
        return rid

    _span_values: dict[str, dict[str, Any]]

    def choice(self, rid: str, control: str, choice: str | None) -> None:
        if choice is None:
            return
        self.items.append(
            {
                "id": rid,
                "from_name": control,
                "to_name": C.TEXT,
                "type": "choices",
                "value": {**self._span_values[rid], "choices": [choice]},
            }
        )

    def textarea(self, rid: str, control: str, text: str | int | None) -> None:
        if text is None:
            return
        span = self._span_values[rid]
        self.items.append(
            {
                "id": rid,
                "from_name": control,
                "to_name": C.TEXT,
                "type": "textarea",
                "value": {"start": span["start"], "end": span["end"], "text": [str(text)]},
            }
        )

    def relation(self, from_id: str, to_id: str, label: str, rid: str | None = None) -> None:
        rel: dict[str, Any] = {
            "from_id": from_id,
            "to_id": to_id,
            "type": "relation",
            "direction": "right",
            "labels": [label],
        }
        if rid is not None:
            rel["id"] = rid
        self.rels.append(rel)

    def write(self) -> Result:
        self._span_values = {}
        ann = self.ann
        for ent in ann["entities"]:
            rid = self.region(ent["id"], C.ENTITY, ent["type"], ent, ent)
            self.choice(rid, "mention", ent.get("mention"))
            self.choice(rid, C.ACTOR, ent.get("actor"))
        for ev in ann["events"]:
            fat = ev.get("fatalities")
            empty = fat is not None and fat.get("min") is None and fat.get("max") is None
            rid = self.region(
                ev["id"],
                C.EVENT,
                ev["type"],
                ev["trigger"],
                ev,
                {"fatalities_empty": True} if empty else None,
            )
            self.choice(rid, "realis", ev.get("realis"))
            if fat:
                self.textarea(rid, "fatalities_min", fat.get("min"))
                self.textarea(rid, "fatalities_max", fat.get("max"))
            for arg in ev["arguments"]:
                self.relation(rid, self.ls_id(arg["ref"]), arg["role"])
        for tmx in ann["timexes"]:
            rid = self.region(tmx["id"], C.TIMEX, C.TIMEX_LABEL, tmx, tmx)
            self.choice(rid, "timex_type", tmx.get("type"))
            self.choice(rid, "timex_mod", tmx.get("mod"))
            self.textarea(rid, "timex_value", tmx.get("value"))
            if tmx.get("anchor") == C.DCT:
                self.choice(rid, C.TIMEX_ANCHOR, C.DCT)
            elif tmx.get("anchor") is not None:
                self.relation(rid, self.ls_id(tmx["anchor"]), C.REL_ANCHOR)
        for att in ann["attributions"]:
            self._attribution(att)
        for rel in ann["relations"]:
            self.relation(self.ls_id(rel["head"]), self.ls_id(rel["tail"]), rel["type"], rel["id"])
        self._document_labels()
        return self.items + self.rels

    def _attribution(self, att: dict[str, Any]) -> None:
        rid = self.region(
            att["id"], C.CUE, C.CUE_LABEL, att["cue"], {k: att[k] for k in ("score",) if k in att}
        )
        for name in ("source_type", "claim", "certainty", "quote"):
            self.choice(rid, name, att.get(name))
        if att.get("source") is not None:
            self.relation(rid, self.ls_id(att["source"]), C.REL_SOURCE)
        for n, span in enumerate(att["content"]):
            cid = span.get("id") or f"{att['id']}~c{n}"
            self.relation(rid, self.region(cid, C.CONTENT, C.CONTENT_LABEL, span), C.REL_CONTENT)
        for ev_id in att["events"]:
            self.relation(rid, self.ls_id(ev_id), C.REL_REPORTS)

    def _document_labels(self) -> None:
        labels = self.ann.get("labels") or {}
        if labels.get("relevant") is not None:
            self.items.append(
                {
                    "id": "doc-relevant",
                    "from_name": C.RELEVANT,
                    "to_name": C.TEXT,
                    "type": "choices",
                    "value": {"choices": [C.YES if labels["relevant"] else C.NO]},
                }
            )
        if labels.get("countries"):
            self.items.append(
                {
                    "id": "doc-countries",
                    "from_name": C.COUNTRIES_CONTROL,
                    "to_name": C.TEXT,
                    "type": "choices",
                    "value": {"choices": list(labels["countries"])},
                }
            )


def write_result(ann: dict[str, Any]) -> Result:
    """The LS result list of one canonical annotation set (regions, attributes, then relations)."""
    return _Writer(ann).write()
