"""Scoring one annotation set against another over a corpus: model against gold, annotator against annotator.

The matching itself is ``secnews.quality.matching`` (shared with agreement, so an F1 means the same thing in
both reports). This module adds what a *comparison across schemes* needs before matching:

- selecting the two sets in each document (by id, ``gold``, or ``annotator:<name>``);
- restricting to some types (``types``) and mentions (``mentions``: WiNER has names only);
- collapsing fine types onto coarse ones (``collapse``), e.g. our STATE_FORCE/ARMED_GROUP/... onto
  WiNER's Organization, GPE/LOC onto Location;

and reports, besides matching's typed scores, span-only *detection* scores (is there a mention here,
whatever its type) and the accuracy of timex values on matched timexes whose gold value is known.
Documents lacking either set are counted and listed, never silently scored as empty.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from secnews.core.taxonomy import load_taxonomy
from secnews.model.document import Document, annotation_set
from secnews.quality.matching import (
    MODES,
    SCORED_LAYERS,
    Counts,
    Mode,
    match_spans,
    merge_counts,
    pair_counts,
)

Record = dict[str, Any]
#: layers whose records carry a ``type`` that --types and --collapse-types act on
TYPED_LAYERS: dict[str, str] = {"entities": "entity_types", "timexes": "timex_types", "events": "event_types"}
#: user-facing layer names -> the matching layers they report
LAYER_GROUPS: dict[str, tuple[str, ...]] = {
    "entities": ("entities",),
    "timexes": ("timexes",),
    "events": ("events", "arguments"),
    "attributions": ("attributions", "attribution_sources"),
    "relations": ("relations",),
    "labels": ("labels",),
}
DEFAULT_LAYERS: tuple[str, ...] = tuple(LAYER_GROUPS)


def parse_collapse(spec: str | None) -> dict[str, str]:
    """``"GPE,LOC->LOC; ORG,STATE_FORCE->ORG"`` -> ``{"GPE": "LOC", "LOC": "LOC", ...}``.

    A type may be collapsed once; a malformed group raises ``ValueError`` naming it.
    """
    mapping: dict[str, str] = {}
    for group in (spec or "").split(";"):
        group = group.strip()
        if not group:
            continue
        if group.count("->") != 1:
            raise ValueError(f"collapse group {group!r} must read 'A,B->C'")
        sources, target = (part.strip() for part in group.split("->"))
        names = [s.strip() for s in sources.split(",") if s.strip()]
        if not names or not target:
            raise ValueError(f"collapse group {group!r} must read 'A,B->C'")
        for name in names:
            if name in mapping and mapping[name] != target:
                raise ValueError(f"type {name!r} is collapsed twice ({mapping[name]!r} and {target!r})")
            mapping[name] = target
    return mapping


def parse_list(spec: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if spec is None:
        return None
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out = tuple(s.strip() for s in items if s.strip())
    return out or None


# ----------------------------------------------------------------------------------------- preparing sets
def _filtered_layers(types: Sequence[str] | None, collapse: Mapping[str, str]) -> set[str]:
    """The typed layers a --types list applies to: those where one of its names is a type."""
    if not types:
        return set()
    tax = load_taxonomy()
    out = set()
    for layer, section in TYPED_LAYERS.items():
        names = set(tax.names(section))
        names |= {target for source, target in collapse.items() if source in names}
        if names & set(types):
            out.add(layer)
    return out


def prepare_set(
    ann: Record,
    *,
    types: Sequence[str] | None = None,
    collapse: Mapping[str, str] | None = None,
    mentions: Sequence[str] | None = None,
) -> Record:
    """A copy of the set with types collapsed, then restricted to ``types`` and ``mentions``.

    References to removed records are removed too (an argument pointing at a filtered-out entity
    cannot be matched and should not be counted as missed).
    """
    collapse = collapse or {}
    out = copy.deepcopy(ann)
    restricted = _filtered_layers(types, collapse)
    removed: set[str] = set()
    for layer in TYPED_LAYERS:
        kept = []
        for rec in out.get(layer) or []:
            rec["type"] = collapse.get(rec.get("type"), rec.get("type"))
            drop = (layer in restricted and rec["type"] not in (types or ())) or (
                layer == "entities" and mentions and rec.get("mention") not in mentions
            )
            if drop:
                removed.add(rec["id"])
            else:
                kept.append(rec)
        out[layer] = kept
    for ev in out.get("events") or []:
        ev["arguments"] = [a for a in ev.get("arguments") or [] if a["ref"] not in removed]
    for att in out.get("attributions") or []:
        if att.get("source") in removed:
            att["source"] = None
    out["relations"] = [
        r for r in out.get("relations") or [] if r["head"] not in removed and r["tail"] not in removed
    ]
    return out


# ----------------------------------------------------------------------------------------- extra scores
def detection_counts(gold: Record, pred: Record, layers: Iterable[str], mode: Mode) -> dict[str, Counts]:
    """Span-only matches (type ignored) for the typed layers: "is something marked here?"."""
    out = {}
    for layer in layers:
        g, p = list(gold.get(layer) or []), list(pred.get(layer) or [])
        out[layer] = Counts(len(match_spans(g, p, mode)), len(g), len(p))
    return out


def value_counts(gold: Record, pred: Record, mode: Mode) -> Counts:
    """Timex values on span-matched timexes whose gold value is known: tp = equal values, n = matched."""
    g = [t for t in gold.get("timexes") or [] if t.get("value") is not None]
    p = list(pred.get("timexes") or [])
    pairs = match_spans(g, p, mode)
    correct = sum(1 for i, j in pairs if g[i]["value"] == p[j].get("value"))
    return Counts(correct, len(pairs), len(pairs))


# ----------------------------------------------------------------------------------------- API
def evaluate(
    docs: Iterable[Document],
    gold: str,
    pred: str,
    *,
    layers: Sequence[str] = DEFAULT_LAYERS,
    types: Sequence[str] | None = None,
    collapse: Mapping[str, str] | None = None,
    mentions: Sequence[str] | None = None,
) -> dict[str, Any]:
    """P/R/F1 of set ``pred`` against set ``gold`` over ``docs`` (micro-averaged), as a JSON-ready dict.

    ``scores[layer][mode]`` has ``tp, n_gold, n_pred, p, r, f1, by_type``; ``detection`` has the
    span-only scores of entities, timexes and events; ``timex_value_accuracy[mode]`` the share of
    matched timexes (gold value known) whose values are equal.
    """
    unknown = sorted(set(layers) - set(LAYER_GROUPS))
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(unknown)}; choose from {', '.join(LAYER_GROUPS)}")
    wanted = [m for group in layers for m in LAYER_GROUPS[group]]
    typed = [layer for layer in TYPED_LAYERS if layer in layers]
    total: dict[str, Any] = {}
    detection: dict[str, dict[str, Counts]] = {mode: {} for mode in MODES}
    values = {mode: Counts() for mode in MODES}
    scored: list[str] = []
    missing: dict[str, list[str]] = {"gold": [], "pred": []}
    for doc in docs:
        doc_id = str(doc.get("id"))
        g_raw, p_raw = annotation_set(doc, gold), annotation_set(doc, pred)
        if g_raw is None or p_raw is None:
            for side, raw in (("gold", g_raw), ("pred", p_raw)):
                if raw is None:
                    missing[side].append(doc_id)
            continue
        g = prepare_set(g_raw, types=types, collapse=collapse, mentions=mentions)
        p = prepare_set(p_raw, types=types, collapse=collapse, mentions=mentions)
        merge_counts(total, pair_counts(g, p))
        for mode in MODES:
            for layer, c in detection_counts(g, p, typed, mode).items():
                detection[mode][layer] = detection[mode].get(layer, Counts()) + c
            values[mode] = values[mode] + value_counts(g, p, mode)
        scored.append(doc_id)
    return _report(
        gold,
        pred,
        scored,
        missing,
        total,
        detection,
        values,
        wanted,
        typed,
        {
            "layers": list(layers),
            "types": list(types or []),
            "collapse": dict(collapse or {}),
            "mentions": list(mentions or []),
        },
    )


def _scores(counts: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for layer in SCORED_LAYERS:
        if layer not in wanted:
            continue
        modes = counts.get(layer) or {mode: {"all": Counts(), "by_type": {}} for mode in MODES}
        out[layer] = {
            mode: {
                **entry["all"].to_dict(),
                "by_type": {t: c.to_dict() for t, c in sorted(entry["by_type"].items())},
            }
            for mode, entry in modes.items()
        }
    return out


def _report(
    gold: str,
    pred: str,
    scored: list[str],
    missing: dict[str, list[str]],
    total: dict[str, Any],
    detection: Mapping[str, dict[str, Counts]],
    values: Mapping[Mode, Counts],
    wanted: list[str],
    typed: list[str],
    options: dict[str, Any],
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "gold": gold,
        "pred": pred,
        "documents": len(scored),
        "missing": {side: {"count": len(ids), "ids": ids} for side, ids in missing.items()},
        "options": options,
        "scores": _scores(total, wanted),
        "detection": {
            layer: {mode: detection[mode].get(layer, Counts()).to_dict() for mode in MODES} for layer in typed
        },
    }
    if "timexes" in typed:
        report["timex_value_accuracy"] = {
            mode: {
                "matched": c.n_gold,
                "correct": c.tp,
                "accuracy": round(c.tp / c.n_gold, 4) if c.n_gold else None,
            }
            for mode, c in values.items()
        }
    return report


# ----------------------------------------------------------------------------------------- table
def render_table(report: dict[str, Any]) -> Any:
    """A rich table: one row per layer (bold) and per type, exact and overlap P/R/F1 side by side."""
    from rich.table import Table

    title = (
        f"{report['pred']} against {report['gold']} on {report['documents']} documents"
        f" (missing gold {report['missing']['gold']['count']}, missing pred {report['missing']['pred']['count']})"
    )
    table = Table(title=title)
    for name in ("layer / type", "gold", "pred"):
        table.add_column(name, justify="left" if name.startswith("layer") else "right")
    for mode in MODES:
        for metric in ("P", "R", "F1"):
            table.add_column(f"{mode} {metric}", justify="right")

    def row(label: str, entry: dict[str, Any], bold: bool = False) -> None:
        cells = [
            f"[bold]{label}[/bold]" if bold else f"  {label}",
            str(entry["exact"]["n_gold"]),
            str(entry["exact"]["n_pred"]),
        ]
        for mode in MODES:
            cells += [f"{entry[mode][k]:.3f}" for k in ("p", "r", "f1")]
        table.add_row(*cells)

    for layer, modes in report["scores"].items():
        row(layer, modes, bold=True)
        for t in modes["exact"]["by_type"]:
            row(t, {m: modes[m]["by_type"].get(t) or modes["exact"]["by_type"][t] for m in MODES})
        if layer in report["detection"]:
            row("(any type: span only)", report["detection"][layer])
    acc = report.get("timex_value_accuracy")
    if acc:
        parts = [
            f"{m}: {a['correct']}/{a['matched']}"
            + (f" = {a['accuracy']:.3f}" if a["accuracy"] is not None else "")
            for m, a in acc.items()
        ]
        table.caption = "timex value accuracy on matched timexes with a gold value — " + "; ".join(parts)
    return table
