"""Inter-annotator agreement: how far two or more human annotation sets of a document agree.

The figures go into DATASHEET.md, so each one must say what it measures:

- span F1 per layer and type, exact and overlap, pooled over every pair of sets of every document
  (a micro-average: with three annotators the three pairs all count) — see :mod:`secnews.quality.matching`;
- chance-corrected agreement on labels: Cohen's kappa when every document has exactly two sets,
  Krippendorff's alpha (nominal) otherwise; on the labels of spans the annotators both marked
  (exactly the same span, whatever its label: entity type and mention, event type and realis,
  attribution source_type/claim/certainty/quote, timex type) and on document labels (``relevant``;
  ``countries`` as one yes/no unit per country named by anyone);
- argument, attribution (cue + source), relation F1 and timex value agreement, from matching.

The statistics are computed here, without scikit-learn: kappa is a five-line formula checked by a
hand computation in the tests; alpha comes from the ``krippendorff`` package.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from secnews.model.document import Document, annotation_set, iter_documents
from secnews.quality.matching import MODES, PairCounts, counts_to_dict, merge_counts, pair_counts

Record = dict[str, Any]

#: set ids / annotators of imported annotations that are not an annotator's work on our guidelines
IMPORTED_SETS = frozenset({"winer-fr"})

#: span attributes compared on exactly matched spans, per layer
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "entities": ("type", "mention"),
    "events": ("type", "realis"),
    "attributions": ("source_type", "claim", "certainty", "quote"),
    "timexes": ("type",),
}

#: a unit's value for an annotator who did not mark it (distinct from a null label)
MISSING: Any = object()


# --------------------------------------------------------------------------------------------- sets
def is_human_set(ann: Record) -> bool:
    """Whether a set counts as an annotator's work by default (imported sets never do)."""
    return (
        ann.get("kind") == "human"
        and ann.get("status") != "rejected"
        and ann.get("id") not in IMPORTED_SETS
        and ann.get("annotator") not in IMPORTED_SETS
    )


def select_sets(doc: Document, selectors: Sequence[str] | None = None) -> list[Record]:
    """The sets to compare: the named ones (ids or ``annotator:<name>``), else every human set.

    A document lacking one of the named sets yields ``[]`` (it is skipped, not an error: a corpus
    mixes documents annotated by different people).
    """
    if selectors:
        found = [annotation_set(doc, s) for s in selectors]
        if any(a is None for a in found):
            return []
        uniq = {id(a): a for a in found if a is not None}
        return list(uniq.values())
    return [a for a in doc.get("annotations", []) if is_human_set(a)]


# --------------------------------------------------------------------------------------------- statistics
def cohen_kappa(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    """Cohen's kappa of two coders' labels; ``None`` without pairs.

    A single category used by both coders on every item (po = pe = 1) is reported as 1.0: the
    annotators agree perfectly and there is nothing chance could explain away.
    """
    n = len(pairs)
    if n == 0:
        return None
    po = sum(1 for a, b in pairs if a == b) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if pe == 1.0:
        return 1.0
    return (po - pe) / (1 - pe)


def krippendorff_alpha(units: Sequence[Sequence[Any]]) -> float | None:
    """Nominal Krippendorff's alpha; each unit lists one value per coder (``MISSING`` if none)."""
    pairable = [[v for v in u if v is not MISSING] for u in units]
    pairable = [u for u in pairable if len(u) >= 2]
    if not pairable:
        return None
    domain = sorted({repr(v) for u in pairable for v in u})
    if len(domain) == 1:
        return 1.0
    import krippendorff

    code = {v: i for i, v in enumerate(domain)}
    width = max(len(u) for u in units)
    matrix = [
        [float(code[repr(u[c])]) if c < len(u) and u[c] is not MISSING else math.nan for u in units]
        for c in range(width)
    ]
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def observed_agreement(units: Sequence[Sequence[Any]]) -> float | None:
    """Share of agreeing coder pairs over all pairable values (the raw figure beside kappa/alpha)."""
    agree = total = 0
    for u in units:
        vals = [v for v in u if v is not MISSING]
        for a, b in combinations(vals, 2):
            total += 1
            agree += int(a == b)
    return agree / total if total else None


def unit_statistic(units: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """Kappa if every unit has exactly two coders, else alpha; with the raw agreement and ``n``."""
    two_coders = all(len(u) == 2 for u in units)
    if two_coders:
        pairs = [(a, b) for a, b in units if a is not MISSING and b is not MISSING]
        stat, value = "kappa", cohen_kappa(pairs)
    else:
        stat, value = "alpha", krippendorff_alpha(units)
    n = sum(1 for u in units if sum(v is not MISSING for v in u) >= 2)
    obs = observed_agreement(units)
    return {
        "statistic": stat,
        "value": None if value is None else round(value, 4),
        "observed": None if obs is None else round(obs, 4),
        "n": n,
    }


# --------------------------------------------------------------------------------------------- units
def _span_key(layer: str, rec: Record) -> tuple[int, int]:
    span = rec["trigger"] if layer == "events" else rec["cue"] if layer == "attributions" else rec
    return span["start"], span["end"]


def span_units(sets: Sequence[Record], layer: str, attribute: str) -> list[list[Any]]:
    """One unit per span marked by anyone: each set's label there, ``MISSING`` where it marked nothing."""
    by_set: list[dict[tuple[int, int], Record]] = []
    for ann in sets:
        index: dict[tuple[int, int], Record] = {}
        for rec in ann.get(layer) or []:
            index.setdefault(_span_key(layer, rec), rec)
        by_set.append(index)
    spans = sorted(set().union(*by_set)) if by_set else []
    return [[idx[s].get(attribute) if s in idx else MISSING for idx in by_set] for s in spans]


def label_units(sets: Sequence[Record]) -> dict[str, list[list[Any]]]:
    """Document-label units: one for ``relevant``, one yes/no per country anyone named."""
    labels = [a.get("labels") or {} for a in sets]
    relevant = [[lb.get("relevant") if lb.get("relevant") is not None else MISSING for lb in labels]]
    named = sorted({c for lb in labels for c in lb.get("countries") or []})
    countries = [[c in (lb.get("countries") or []) for lb in labels] for c in named]
    return {"relevant": relevant, "countries": countries}


# --------------------------------------------------------------------------------------------- report
@dataclass
class AgreementReport:
    """Agreement over a corpus: pooled pair counts, and the units behind kappa/alpha."""

    documents: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pairs: int = 0
    sets_per_document: Counter[int] = field(default_factory=Counter)
    counts: PairCounts = field(default_factory=dict)
    units: dict[str, list[list[Any]]] = field(default_factory=dict)

    def add_document(self, doc_id: str, sets: Sequence[Record]) -> None:
        if len(sets) < 2:
            self.skipped.append(doc_id)
            return
        self.documents.append(doc_id)
        self.sets_per_document[len(sets)] += 1
        for a, b in combinations(sets, 2):
            merge_counts(self.counts, pair_counts(a, b))
            self.pairs += 1
        for layer, attrs in ATTRIBUTES.items():
            for attr in attrs:
                self.units.setdefault(f"{layer}.{attr}", []).extend(span_units(sets, layer, attr))
        for name, units in label_units(sets).items():
            self.units.setdefault(f"labels.{name}", []).extend(units)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "skipped": len(self.skipped),
            "pairs": self.pairs,
            "sets_per_document": {str(k): v for k, v in sorted(self.sets_per_document.items())},
            "spans": counts_to_dict(self.counts),
            "labels": {name: unit_statistic(units) for name, units in sorted(self.units.items())},
        }


def agreement(docs: Iterable[Document], sets: Sequence[str] | None = None) -> AgreementReport:
    """Agreement over documents (any iterable: the corpus is streamed, one document at a time)."""
    report = AgreementReport()
    for doc in docs:
        report.add_document(str(doc.get("id")), select_sets(doc, sets))
    return report


def agreement_paths(paths: Iterable[Path | str], sets: Sequence[str] | None = None) -> AgreementReport:
    """:func:`agreement` over the document files under ``paths``."""
    return agreement((doc for _, doc in iter_documents(paths)), sets)


# --------------------------------------------------------------------------------------------- rendering
def _fmt(x: Any) -> str:
    return "n/a" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def span_rows(data: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """(layer, type, exact F1, overlap F1, n A, n B) rows, layer totals first then types."""
    rows = []
    for layer, modes in data["spans"].items():
        exact, overlap = modes.get(MODES[0], {}), modes.get(MODES[1], {})
        rows.append(
            (
                layer,
                "(all)",
                _fmt(exact.get("f1")),
                _fmt(overlap.get("f1")),
                _fmt(exact.get("n_gold")),
                _fmt(exact.get("n_pred")),
            )
        )
        for t, c in exact.get("by_type", {}).items():
            o = overlap.get("by_type", {}).get(t, {})
            rows.append((layer, t, _fmt(c["f1"]), _fmt(o.get("f1")), _fmt(c["n_gold"]), _fmt(c["n_pred"])))
    return rows


def label_rows(data: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [
        (name, s["statistic"], _fmt(s["value"]), _fmt(s["observed"]), str(s["n"]))
        for name, s in data["labels"].items()
    ]


_SPAN_HEAD = ("layer", "type", "F1 exact", "F1 overlap", "n (first set)", "n (second set)")
_LABEL_HEAD = ("label", "statistic", "value", "raw agreement", "units")


def _summary(data: dict[str, Any]) -> str:
    return (
        f"{data['documents']} documents with 2+ sets ({data['skipped']} skipped), "
        f"{data['pairs']} pairs of sets"
    )


def render_markdown(data: dict[str, Any]) -> str:
    """The report as Markdown tables, to paste into DATASHEET.md."""

    def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return out

    lines = ["### Inter-annotator agreement", "", _summary(data) + ".", ""]
    lines += ["Span agreement (F1 pooled over pairs of sets):", ""]
    lines += table(_SPAN_HEAD, span_rows(data))
    lines += ["", "Label agreement (Cohen's kappa with two sets, else Krippendorff's alpha, nominal):", ""]
    lines += table(_LABEL_HEAD, label_rows(data))
    return "\n".join(lines) + "\n"


def render_rich(data: dict[str, Any]) -> list[Any]:
    """Rich tables for the terminal."""
    from rich.table import Table

    spans = Table(title="Span agreement (F1, pooled over pairs of sets)")
    for h in _SPAN_HEAD:
        left = h in ("layer", "type")
        spans.add_column(h, justify="left" if left else "right", no_wrap=left)
    for row in span_rows(data):
        spans.add_row(*row, style="bold" if row[1] == "(all)" else None)
    labels = Table(title="Label agreement (kappa: 2 sets; alpha: more)")
    for h in _LABEL_HEAD:
        labels.add_column(h, justify="left" if h == "label" else "right", no_wrap=h == "label")
    for label_row in label_rows(data):
        labels.add_row(*label_row)
    return [_summary(data), spans, labels]
