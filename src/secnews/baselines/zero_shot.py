"""Zero-shot baselines: the rule pre-annotator and the French date normaliser on a release's documents.

Neither learns from train: they show how far the toolkit's own rules go, and the scorer compares them
with the trained taggers on the same test documents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from secnews.annotate.preannotate.corpus import predict_document
from secnews.annotate.timex_fr import find_timexes
from secnews.baselines.data import Row

Progress = Callable[[int], None] | None
LAYERS = ("entities", "events", "timexes", "attributions", "relations")


def _as_document(row: Row) -> Row:
    """The canonical document a ``documents`` row was made from (text and DCT are what the rules read)."""
    meta = {
        "published": row["published_iso"],
        "title": row.get("title"),
        "language": row.get("language") or "fr",
    }
    return {"id": row["id"], "text": row["text"], "meta": meta, "annotations": []}


def rule_predictions(rows: Sequence[Row], progress: Progress = None) -> list[Row]:
    """``documents``-shaped rows of the rule pre-annotator's prediction set (every layer)."""
    out = []
    for row in rows:
        ann, _findings = predict_document(_as_document(row))  # dropped records are reported, not scored
        out.append({"id": row["id"], "text": row["text"], **{k: ann.get(k) or [] for k in LAYERS}})
        if progress:
            progress(1)
    return out


def timex_predictions(rows: Sequence[Row], progress: Progress = None) -> list[Row]:
    """``documents``-shaped rows with the date normaliser's time expressions only."""
    out = []
    for row in rows:
        found = find_timexes(row["text"], row["published_iso"])
        timexes = [{"id": f"T{i}", "start": m.start, "end": m.end, "text": m.text, "type": m.type,
                    "value": m.value} for i, m in enumerate(found, 1)]  # fmt: skip
        out.append({"id": row["id"], "text": row["text"], "entities": [], "events": [], "attributions": [],
                    "timexes": timexes, "relations": []})  # fmt: skip
        if progress:
            progress(1)
    return out
