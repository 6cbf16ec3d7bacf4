"""The official scorer: a system's predictions against the gold of a release split.

Submissions use the release's own shapes (``ner``, ``events`` or ``documents`` configs), as Parquet (a
file or a folder of shards) or JSON Lines, so a researcher writes predictions with the same ``datasets``
features they loaded. Label columns may be ``ClassLabel`` integers or label names: names are read from
the ``huggingface`` features stored in the gold Parquet files, so the scorer needs no taxonomy.

Metrics, each with precision, recall, F1 and a bootstrap confidence interval over documents:

- ``ner`` (token rows): exact span F1 per type, micro and macro, with seqeval's chunking of IOB2 tags
  (an ``I-`` tag after ``O`` or another type opens a chunk, as conlleval does).
- ``events`` (one row per mention) and ``documents``: trigger identification (span) and classification
  (span + type); argument identification (event span and type + argument span) and role
  classification (+ role), as in ACE 2005 evaluations.
- ``documents`` also: entities (character spans, exact), timexes (strict and relaxed span F1, value
  accuracy on strictly matched spans: P = R = F1 = accuracy), attributions (cue span; source span on matched cues; content
  character-overlap F1 on matched cues).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.quality.matching import Counts

register(
    Rule(
        "SCORE_UNREADABLE",
        "Unreadable submission",
        "error",
        "cannot read {what} {source!r}: {detail}",
        "Gold and predictions are Parquet files/folders or JSON Lines in a release config's shape.",
        "score",
    ),
    Rule(
        "SCORE_SHAPE_MISMATCH",
        "Submission shape",
        "error",
        "{detail}",
        "Gold and predictions must be in the same release config (ner, events or documents).",
        "score",
    ),
)

Row = dict[str, Any]
Item = tuple[Any, ...]
#: per document: metric name -> (gold items, predicted items)
DocItems = dict[str, tuple[set[Item], set[Item]]]


# --------------------------------------------------------------------------- reading


def _files(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in suffixes)
    return [path]


def _names_from_parquet(files: Sequence[Path]) -> dict[str, list[str]]:
    """ClassLabel names per column (nested ``arguments.role`` too) from the stored ``datasets`` features."""
    meta = pq.read_schema(files[0]).metadata or {}
    if b"huggingface" not in meta:
        return {}
    features = json.loads(meta[b"huggingface"])["info"]["features"]
    names: dict[str, list[str]] = {}

    def walk(prefix: str, feats: Mapping[str, Any]) -> None:
        for key, feat in feats.items():
            if isinstance(feat, list):  # a list of structs, written as [{...}]
                feat = {"feature": feat[0], "_type": "List"}
            inner = feat.get("feature", feat) if feat.get("_type") in ("Sequence", "List") else feat
            if inner.get("_type") == "ClassLabel":
                names[prefix + key] = inner["names"]
            elif isinstance(inner, dict) and "_type" not in inner:
                walk(f"{prefix}{key}.", inner)

    walk("", features)
    return names


def read_rows(path: Path | str, what: str = "file") -> tuple[list[Row], dict[str, list[str]]]:
    """Rows of a Parquet file/folder or a JSON Lines file, and the ClassLabel names Parquet carries."""
    path = Path(path)
    try:
        if path.suffix in (".jsonl", ".json"):
            with open(path, encoding="utf-8") as fh:
                return [json.loads(line) for line in fh if line.strip()], {}
        files = _files(path, (".parquet",))
        if not files:
            raise FileNotFoundError("no .parquet file")
        table = pa.concat_tables([pq.read_table(f) for f in files], promote_options="permissive")
        return table.to_pylist(), _names_from_parquet(files)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise SecnewsError(
            make_finding("SCORE_UNREADABLE", what=what, source=str(path), detail=str(exc))
        ) from None


def shape_of(rows: Sequence[Row]) -> str:
    """Which release config the rows come from (by the columns only that config has)."""
    keys = set(rows[0]) if rows else set()
    if "ner_tags" in keys:
        return "ner"
    if "event_id" in keys:
        return "events"
    if "text" in keys and "entities" in keys:
        return "documents"
    raise SecnewsError(
        make_finding("SCORE_SHAPE_MISMATCH", detail=f"rows of no known config (columns {sorted(keys)})")
    )


class Labels:
    """Turns a label column's value (ClassLabel int or name) into its name."""

    def __init__(self, names: Mapping[str, list[str]]) -> None:
        self.names = names

    def __call__(self, column: str, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and column in self.names:
            return self.names[column][value]
        return value


# --------------------------------------------------------------------------- items per metric


def iob_chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, first token, last token) chunks of IOB2 tags, as seqeval's default ``get_entities``."""
    chunks: list[tuple[str, int, int]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        opens = prefix == "B" or (prefix == "I" and typ != kind) or prefix == "S"
        if start >= 0 and (prefix == "O" or opens or typ != kind):
            chunks.append((kind, start, i - 1))
            start, kind = -1, ""
        if opens:
            start, kind = i, typ
    return chunks


def _ner_items(rows: Iterable[Row], labels: Labels) -> dict[str, set[Item]]:
    out: dict[str, set[Item]] = {}
    for row in rows:
        tags = [labels("ner_tags", t) for t in row["ner_tags"]]
        key = row.get("sentence_index", 0)
        out.setdefault(row["doc_id"], set()).update((key, *c) for c in iob_chunks(tags))
    return out


def _event_items(
    events: Iterable[Row], labels: Labels, spans: Callable[[Row], Iterable[Row]], prefix: str = ""
) -> dict[str, set[Item]]:
    """Trigger and argument items; ``prefix`` is where the event columns sit (``events.`` in documents)."""
    items: dict[str, set[Item]] = {m: set() for m in ("trigger_id", "trigger_cls", "arg_id", "arg_cls")}
    for ev in events:
        span, typ = ev["trigger"], labels(prefix + "type", ev["type"])
        items["trigger_id"].add((span[0], span[1]))
        items["trigger_cls"].add((span[0], span[1], typ))
        for arg in spans(ev):
            role = labels(prefix + "arguments.role", arg["role"])
            items["arg_id"].add((typ, span[0], span[1], arg["start"], arg["end"]))
            items["arg_cls"].add((typ, span[0], span[1], arg["start"], arg["end"], role))
    return items


def _events_rows_items(rows: Iterable[Row], labels: Labels) -> dict[str, dict[str, set[Item]]]:
    by_doc: dict[str, list[Row]] = {}
    for row in rows:
        ev = {"trigger": (row["trigger_start"], row["trigger_end"]), "type": row["type"],
              "arguments": [a for a in row.get("arguments") or [] if a.get("start") is not None]}  # fmt: skip
        by_doc.setdefault(row["doc_id"], []).append(ev)
    return {d: _event_items(evs, labels, lambda e: e["arguments"]) for d, evs in by_doc.items()}


def _document_items(row: Row, labels: Labels) -> dict[str, set[Item]]:
    """Every metric's items of one ``documents`` row (its gold layers)."""
    ents = {e["id"]: e for e in row.get("entities") or []}
    tmx = {t["id"]: t for t in row.get("timexes") or []}
    refs = {**ents, **tmx}

    def args(ev: Row) -> Iterator[Row]:
        for a in ev.get("arguments") or []:
            target = refs.get(a["ref"])
            if target is not None:
                yield {"role": a["role"], "start": target["start"], "end": target["end"]}

    events = [{"trigger": (e["trigger"]["start"], e["trigger"]["end"]), "type": e["type"], "arguments": e.get("arguments")}
              for e in row.get("events") or []]  # fmt: skip
    items = _event_items(events, labels, args, prefix="events.")
    items["entities"] = {(e["start"], e["end"], labels("entities.type", e["type"])) for e in ents.values()}
    items["timex_strict"] = {(t["start"], t["end"]) for t in tmx.values()}
    items["timex_value"] = {(t["start"], t["end"], t.get("value")) for t in tmx.values()}
    items["cue"] = {(a["cue"]["start"], a["cue"]["end"]) for a in row.get("attributions") or []}
    items["source"] = set()
    items["content"] = set()
    for a in row.get("attributions") or []:
        cue = (a["cue"]["start"], a["cue"]["end"])
        src = ents.get(a.get("source") or "")
        items["source"].add((*cue, (src["start"], src["end"]) if src else None))
        items["content"].update(
            (*cue, i) for c in a.get("content") or [] for i in range(c["start"], c["end"])
        )
    return items


# --------------------------------------------------------------------------- counting


def _prf(c: Counts) -> dict[str, float]:
    """P/R/F1 as seqeval gives them: nothing predicted (or nothing to find) scores 0, not 1.

    (``Counts.scores`` counts agreement on nothing as perfect, which suits agreement, not a scorer.)
    """
    p = c.tp / c.n_pred if c.n_pred else 0.0
    r = c.tp / c.n_gold if c.n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def _count(gold: set[Item], pred: set[Item]) -> Counts:
    return Counts(len(gold & pred), len(gold), len(pred))


def _overlaps(a: Item, b: Item) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _relaxed(gold: set[Item], pred: set[Item]) -> Counts:
    """Overlap matching, one to one, in text order (a predicted span counts for one gold span only)."""
    free = sorted(pred)
    tp = 0
    for g in sorted(gold):
        hit = next((p for p in free if _overlaps(g, p)), None)
        if hit is not None:
            free.remove(hit)
            tp += 1
    return Counts(tp, len(gold), len(pred))


def _value_accuracy(gold: set[Item], pred: set[Item]) -> Counts:
    """Among strictly matched timex spans, how many have the gold value.

    A wrong value counts as both a false positive and a false negative, so precision, recall and F1 all
    equal the accuracy (and the bootstrap interval is the accuracy's).
    """
    pred_values = {(s, e): v for s, e, v in pred}
    matched = [(g, pred_values[g[:2]]) for g in gold if g[:2] in pred_values]
    right = sum(1 for g, v in matched if v == g[2])
    return Counts(right, len(matched), len(matched))


def _on_matched_cues(gold: set[Item], pred: set[Item]) -> Counts:
    """Items of attributions whose cue was found: scored only where the cue matched."""
    gold_cues, pred_cues = {g[:2] for g in gold}, {p[:2] for p in pred}
    both = gold_cues & pred_cues
    return _count({g for g in gold if g[:2] in both}, {p for p in pred if p[:2] in both})


COUNTERS: dict[str, Callable[[set[Item], set[Item]], Counts]] = {
    "timex_relaxed": _relaxed,
    "timex_value": _value_accuracy,
    "source": _on_matched_cues,
    "content": _on_matched_cues,
}
#: the item set a derived metric is counted on
SOURCE_OF = {"timex_relaxed": "timex_strict"}


# --------------------------------------------------------------------------- the report


@dataclass
class ScoreReport:
    """Scores per metric (micro P/R/F1 with a bootstrap interval) and per type where types exist."""

    shape: str
    documents: int
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_type: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "shape": self.shape,
            "documents": self.documents,
            "metrics": self.metrics,
            "by_type": self.by_type,
        }

    def to_markdown(self) -> str:
        lines = [f"# Scores ({self.shape}, {self.documents} documents)", "",
                 "| metric | P | R | F1 | 95% CI (F1) | gold | pred |", "|---|---|---|---|---|---|---|"]  # fmt: skip
        for name, m in self.metrics.items():
            lo, hi = m["f1_ci"]
            lines.append(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                         f"[{lo:.3f}, {hi:.3f}] | {m['n_gold']} | {m['n_pred']} |")  # fmt: skip
        for name, types in self.by_type.items():
            lines += [
                "",
                f"## {name} by type",
                "",
                "| type | P | R | F1 | support |",
                "|---|---|---|---|---|",
            ]
            for typ, s in types.items():
                lines.append(
                    f"| {typ} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {int(s['support'])} |"
                )
        return "\n".join(lines) + "\n"


def _doc_counts(items: Mapping[str, DocItems], metric: str) -> dict[str, Counts]:
    counter = COUNTERS.get(metric, _count)
    return {doc: counter(*per[metric]) for doc, per in items.items() if metric in per}


def _bootstrap(per_doc: Mapping[str, Counts], rounds: int, seed: int) -> tuple[float, float]:
    """Percentile interval of micro F1 when documents are resampled with replacement."""
    docs = sorted(per_doc)
    if not docs or rounds <= 0:
        return (0.0, 0.0)
    rng = random.Random(seed)
    f1s = []
    for _ in range(rounds):
        total = sum((per_doc[doc] for doc in rng.choices(docs, k=len(docs))), Counts())
        f1s.append(_prf(total)["f1"])
    f1s.sort()
    return (f1s[int(0.025 * (rounds - 1))], f1s[int(0.975 * (rounds - 1))])


def _by_type(items: Mapping[str, DocItems], metric: str, type_at: int) -> dict[str, dict[str, float]]:
    """Per-type P/R/F1 (the type is the item's field ``type_at``), plus micro and macro averages."""
    per: dict[str, Counts] = {}
    for gold, pred in (v[metric] for v in items.values() if metric in v):
        for typ in {i[type_at] for i in gold | pred}:
            counts = _count({g for g in gold if g[type_at] == typ}, {p for p in pred if p[type_at] == typ})
            per[typ] = per.get(typ, Counts()) + counts
    out = {
        t: {**_prf(c), "support": float(c.n_gold)} for t, c in sorted(per.items(), key=lambda kv: str(kv[0]))
    }
    if out:
        micro = sum(per.values(), Counts())
        out["micro avg"] = {**_prf(micro), "support": float(micro.n_gold)}
        out["macro avg"] = {k: sum(v[k] for t, v in out.items() if t != "micro avg") / len(per)
                            for k in ("precision", "recall", "f1", "support")}  # fmt: skip
    return out


def _pair(
    gold: Mapping[str, dict[str, set[Item]]], pred: Mapping[str, dict[str, set[Item]]]
) -> dict[str, DocItems]:
    """Gold and predicted items per document; a document the system skipped has no predictions."""
    out: dict[str, DocItems] = {}
    for doc, metrics in gold.items():
        mine = pred.get(doc, {})
        out[doc] = {m: (g, mine.get(m, set())) for m, g in metrics.items()}
        for derived, base in SOURCE_OF.items():
            if base in metrics:
                out[doc][derived] = (metrics[base], mine.get(base, set()))
    return out


TYPED = {"ner": 1, "entities": 2, "trigger_cls": 2, "arg_cls": 5}


def _items(rows: Sequence[Row], shape: str, labels: Labels) -> dict[str, dict[str, set[Item]]]:
    if shape == "ner":
        return {doc: {"ner": spans} for doc, spans in _ner_items(rows, labels).items()}
    if shape == "events":
        return _events_rows_items(rows, labels)
    return {row["id"]: _document_items(row, labels) for row in rows}


def score(gold: Path | str, pred: Path | str, bootstrap: int = 1000, seed: int = 0) -> ScoreReport:
    """Score ``pred`` against ``gold`` (same release config); see the module docstring for the metrics."""
    gold_rows, names = read_rows(gold, "gold")
    pred_rows, pred_names = read_rows(pred, "predictions")
    shape = shape_of(gold_rows)
    if pred_rows and shape_of(pred_rows) != shape:
        detail = f"gold is '{shape}' but predictions are '{shape_of(pred_rows)}'"
        raise SecnewsError(make_finding("SCORE_SHAPE_MISMATCH", detail=detail))
    labels = Labels({**names, **pred_names})
    items = _pair(_items(gold_rows, shape, labels), _items(pred_rows, shape, labels))
    report = ScoreReport(shape=shape, documents=len(items))
    metrics = sorted({m for per in items.values() for m in per}, key=_metric_order)
    for metric in metrics:
        per_doc = _doc_counts(items, metric)
        total = sum(per_doc.values(), Counts())
        lo, hi = _bootstrap(per_doc, bootstrap, seed)
        report.metrics[metric] = {**_prf(total), "f1_ci": [lo, hi], "n_gold": total.n_gold,
                                  "n_pred": total.n_pred}  # fmt: skip
        if metric in TYPED:
            report.by_type[metric] = _by_type(items, metric, TYPED[metric])
    return report


_ORDER = ["ner", "entities", "trigger_id", "trigger_cls", "arg_id", "arg_cls", "timex_strict", "timex_relaxed",
          "timex_value", "cue", "source", "content"]  # fmt: skip


def _metric_order(name: str) -> int:
    return _ORDER.index(name) if name in _ORDER else len(_ORDER)


def seqeval_tags(rows: Iterable[Row], names: Mapping[str, list[str]]) -> list[list[str]]:
    """Tag names per sentence in row order: what ``seqeval`` is given in the cross-check test."""
    labels = Labels(names)
    return [[labels("ner_tags", t) for t in row["ner_tags"]] for row in rows]
