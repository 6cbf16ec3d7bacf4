"""Matching two annotation sets of one document: the core shared by agreement and evaluation.

Agreement (two annotators) and evaluation (gold vs a model) ask the same question — which records of
set A correspond to which records of set B — so both use these pure functions and report numbers that
mean the same thing. Records are matched one to one:

- spans (entities, timexes, event triggers, attribution cues) ``exact`` (same start and end) or by
  ``overlap`` (the spans share at least one character; exact pairs first, then the largest overlap);
- optionally only within a ``key`` (usually the type): typed scores ask "same span *and* same label";
- events by trigger span and type; arguments as triples (matched event, role, matched argument), the
  argument matched by its span whatever its type (a type disagreement is counted once, on entities);
- attributions by cue span; ``attribution_sources`` also requires the same source (both the article,
  or matched source entities);
- relations as (type, matched head, matched tail), SAME_AS and SAME_EVENT being symmetric;
- timex values on exactly matched spans (``timex_values``: the share of matched timexes whose values
  are equal, stored as counts with ``n_gold == n_pred == matched``).

Counts (:class:`Counts`) add up over documents, so corpus scores are micro-averages: compute
:func:`pair_counts` per document, :func:`merge_counts` them, and :func:`counts_to_dict` the total.
The first set is called ``gold`` and the second ``pred``; for agreement the scores are symmetric
except that precision and recall swap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Record = dict[str, Any]
Mode = Literal["exact", "overlap"]
MODES: tuple[Mode, ...] = ("exact", "overlap")

#: the layers :func:`pair_counts` scores, in report order
SCORED_LAYERS: tuple[str, ...] = (
    "entities",
    "events",
    "arguments",
    "attributions",
    "attribution_sources",
    "timexes",
    "timex_values",
    "relations",
    "labels",
)

#: relation types whose direction carries no meaning
SYMMETRIC_RELATIONS = frozenset({"SAME_AS", "SAME_EVENT"})


# --------------------------------------------------------------------------------------------- counts
def prf(tp: int, n_gold: int, n_pred: int) -> tuple[float, float, float]:
    """Precision, recall, F1. Nothing to find and nothing found is perfect agreement (1, 1, 1)."""
    if n_gold == 0 and n_pred == 0:
        return 1.0, 1.0, 1.0
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * tp / (n_gold + n_pred)
    return p, r, f1


@dataclass
class Counts:
    """True positives and the sizes of both sides: what adds up across documents."""

    tp: int = 0
    n_gold: int = 0
    n_pred: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.n_gold + other.n_gold, self.n_pred + other.n_pred)

    @property
    def scores(self) -> tuple[float, float, float]:
        return prf(self.tp, self.n_gold, self.n_pred)

    def to_dict(self) -> dict[str, Any]:
        p, r, f1 = self.scores
        return {
            "tp": self.tp,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(f1, 4),
        }


# --------------------------------------------------------------------------------------------- spans
def record_span(rec: Record) -> tuple[int, int]:
    """The span a record is matched on: the trigger of an event, the cue of an attribution, else itself."""
    span = rec.get("trigger") or rec.get("cue") or rec
    return int(span["start"]), int(span["end"])


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(
    gold: Sequence[Record],
    pred: Sequence[Record],
    mode: Mode = "exact",
    key: Callable[[Record], Hashable] | None = None,
    span: Callable[[Record], tuple[int, int]] = record_span,
) -> list[tuple[int, int]]:
    """One-to-one matches ``(i, j)`` between ``gold[i]`` and ``pred[j]``, sorted by ``i``.

    ``key`` restricts matches to records with equal keys (e.g. ``lambda r: r["type"]``). In overlap
    mode, identical spans are paired first, then the largest overlaps, ties broken by position, so the
    result is deterministic and an exact match is never lost to a mere overlap.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    keyf = key or (lambda _r: None)
    gspans = [span(r) for r in gold]
    pspans = [span(r) for r in pred]
    candidates: list[tuple[int, int, int, int]] = []
    for i, (g, gr) in enumerate(zip(gspans, gold, strict=True)):
        gk = keyf(gr)
        for j, (p, pr) in enumerate(zip(pspans, pred, strict=True)):
            exact = g == p
            ov = _overlap(g, p)
            if (exact or (mode == "overlap" and ov > 0)) and keyf(pr) == gk:
                candidates.append((0 if exact else 1, -ov, i, j))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _type_key(field: str) -> Callable[[Record], Hashable]:
    return lambda r: r.get(field)


def _layer(ann: Record, layer: str) -> list[Record]:
    return list(ann.get(layer) or [])


# --------------------------------------------------------------------------------------------- alignments
def id_alignment(gold: Record, pred: Record, mode: Mode = "exact") -> dict[str, str]:
    """Gold record id -> pred record id for entities, timexes and events, matched by span only.

    This is how a reference (an argument, a relation end, an attribution source) is followed from one
    set into the other: by where it points in the text, not by its label.
    """
    out: dict[str, str] = {}
    for layer in ("entities", "timexes", "events"):
        g, p = _layer(gold, layer), _layer(pred, layer)
        for i, j in match_spans(g, p, mode):
            out[g[i]["id"]] = p[j]["id"]
    return out


def _typed_counts(
    gold: list[Record], pred: list[Record], mode: Mode, field: str | None
) -> tuple[Counts, dict[str, Counts], list[tuple[int, int]]]:
    """Layer counts (typed by ``field`` when given) and the same per type."""
    key = _type_key(field) if field else None
    pairs = match_spans(gold, pred, mode, key=key)
    total = Counts(len(pairs), len(gold), len(pred))
    by_type: dict[str, Counts] = defaultdict(Counts)
    if field:
        for r in gold:
            by_type[str(r.get(field))].n_gold += 1
        for r in pred:
            by_type[str(r.get(field))].n_pred += 1
        for i, _ in pairs:
            by_type[str(gold[i].get(field))].tp += 1
    return total, dict(by_type), pairs


def _argument_counts(gold: Record, pred: Record, mode: Mode) -> tuple[Counts, dict[str, Counts]]:
    g_ev, p_ev = _layer(gold, "events"), _layer(pred, "events")
    ev_pairs = dict(match_spans(g_ev, p_ev, mode, key=_type_key("type")))
    refs = id_alignment(gold, pred, mode)
    by_role: dict[str, Counts] = defaultdict(Counts)
    p_triples: set[tuple[int, str, str]] = set()
    for j, ev in enumerate(p_ev):
        for arg in ev.get("arguments") or []:
            p_triples.add((j, arg["role"], arg["ref"]))
            by_role[arg["role"]].n_pred += 1
    for i, ev in enumerate(g_ev):
        for arg in ev.get("arguments") or []:
            by_role[arg["role"]].n_gold += 1
            paired = ev_pairs.get(i)
            target = refs.get(arg["ref"])
            if paired is not None and target is not None and (paired, arg["role"], target) in p_triples:
                p_triples.discard((paired, arg["role"], target))
                by_role[arg["role"]].tp += 1
    total = sum(by_role.values(), Counts())
    return total, dict(by_role)


def _attribution_counts(gold: Record, pred: Record, mode: Mode) -> tuple[Counts, Counts]:
    """(cue matches, cue matches whose sources also agree)."""
    g, p = _layer(gold, "attributions"), _layer(pred, "attributions")
    pairs = match_spans(g, p, mode)
    refs = id_alignment(gold, pred, mode)
    same_source = sum(
        1
        for i, j in pairs
        if (g[i].get("source") is None and p[j].get("source") is None)
        or (
            g[i].get("source") is not None
            and refs.get(g[i]["source"]) is not None  # an unmatched source never agrees with "the article"
            and refs.get(g[i]["source"]) == p[j].get("source")
        )
    )
    return Counts(len(pairs), len(g), len(p)), Counts(same_source, len(g), len(p))


def _relation_key(rel: Record, head: str | None, tail: str | None) -> tuple[str, Any, Any]:
    if rel["type"] in SYMMETRIC_RELATIONS and head is not None and tail is not None:
        head, tail = sorted((head, tail))
    return rel["type"], head, tail


def _relation_counts(gold: Record, pred: Record, mode: Mode) -> tuple[Counts, dict[str, Counts]]:
    refs = id_alignment(gold, pred, mode)
    by_type: dict[str, Counts] = defaultdict(Counts)
    p_keys: list[tuple[str, Any, Any]] = []
    for rel in _layer(pred, "relations"):
        p_keys.append(_relation_key(rel, rel["head"], rel["tail"]))
        by_type[rel["type"]].n_pred += 1
    for rel in _layer(gold, "relations"):
        by_type[rel["type"]].n_gold += 1
        head, tail = refs.get(rel["head"]), refs.get(rel["tail"])
        k = _relation_key(rel, head, tail)
        if head is not None and tail is not None and k in p_keys:
            p_keys.remove(k)
            by_type[rel["type"]].tp += 1
    return sum(by_type.values(), Counts()), dict(by_type)


def _timex_value_counts(gold: Record, pred: Record) -> tuple[Counts, dict[str, Counts]]:
    g, p = _layer(gold, "timexes"), _layer(pred, "timexes")
    by_type: dict[str, Counts] = defaultdict(Counts)
    for i, j in match_spans(g, p, "exact"):
        c = by_type[str(g[i].get("type"))]
        c.n_gold += 1
        c.n_pred += 1
        c.tp += int(g[i].get("value") == p[j].get("value"))
    return sum(by_type.values(), Counts()), dict(by_type)


def _label_counts(gold: Record, pred: Record) -> dict[str, Counts]:
    gl, pl = gold.get("labels") or {}, pred.get("labels") or {}
    g_rel, p_rel = gl.get("relevant"), pl.get("relevant")
    relevant = Counts(
        int(g_rel == p_rel and g_rel is not None), int(g_rel is not None), int(p_rel is not None)
    )
    g_c, p_c = set(gl.get("countries") or []), set(pl.get("countries") or [])
    return {"relevant": relevant, "countries": Counts(len(g_c & p_c), len(g_c), len(p_c))}


# --------------------------------------------------------------------------------------------- API
#: {layer: {mode: {"all": Counts, "by_type": {type: Counts}}}}
PairCounts = dict[str, dict[str, dict[str, Any]]]

_SPAN_LAYERS = {"entities": "type", "events": "type", "timexes": "type"}


def pair_counts(gold: Record, pred: Record, modes: Sequence[Mode] = MODES) -> PairCounts:
    """Counts of every scored layer for two annotation sets of the same document.

    ``timex_values`` and ``labels`` do not depend on the mode (values are compared on exact spans);
    they are repeated under each mode so that every layer has the same shape.
    """
    out: PairCounts = {layer: {} for layer in SCORED_LAYERS}
    values_all, values_by = _timex_value_counts(gold, pred)
    labels = _label_counts(gold, pred)
    for mode in modes:
        for layer, field in _SPAN_LAYERS.items():
            total, by_type, _ = _typed_counts(_layer(gold, layer), _layer(pred, layer), mode, field)
            out[layer][mode] = {"all": total, "by_type": by_type}
        args, by_role = _argument_counts(gold, pred, mode)
        out["arguments"][mode] = {"all": args, "by_type": by_role}
        cues, sources = _attribution_counts(gold, pred, mode)
        out["attributions"][mode] = {"all": cues, "by_type": {}}
        out["attribution_sources"][mode] = {"all": sources, "by_type": {}}
        rels, rel_by = _relation_counts(gold, pred, mode)
        out["relations"][mode] = {"all": rels, "by_type": rel_by}
        out["timex_values"][mode] = {"all": values_all, "by_type": values_by}
        out["labels"][mode] = {"all": sum(labels.values(), Counts()), "by_type": labels}
    return out


def merge_counts(total: PairCounts, new: PairCounts) -> PairCounts:
    """Add ``new`` into ``total`` (in place) and return it: corpus scores are sums of document counts."""
    for layer, modes in new.items():
        for mode, entry in modes.items():
            slot = total.setdefault(layer, {}).setdefault(mode, {"all": Counts(), "by_type": {}})
            slot["all"] = slot["all"] + entry["all"]
            for t, c in entry["by_type"].items():
                slot["by_type"][t] = slot["by_type"].get(t, Counts()) + c
    return total


def counts_to_dict(counts: PairCounts) -> dict[str, Any]:
    """JSON-ready scores: ``{layer: {mode: {tp, n_gold, n_pred, p, r, f1, by_type: {...}}}}``."""
    return {
        layer: {
            mode: {
                **entry["all"].to_dict(),
                "by_type": {t: c.to_dict() for t, c in sorted(entry["by_type"].items())},
            }
            for mode, entry in modes.items()
        }
        for layer, modes in counts.items()
    }


def layer_scores(gold: Record, pred: Record, modes: Sequence[Mode] = MODES) -> dict[str, Any]:
    """P/R/F1 per layer, mode and type for two annotation sets of one document."""
    return counts_to_dict(pair_counts(gold, pred, modes))
