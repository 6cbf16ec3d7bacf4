"""Build the static report: ``index.html`` (statistics, plots, search by label, the document list) and one
page per document (its gold with the four layers, then each pair of sets side by side).

The folder is built aside and renamed into place, so a failed build leaves the previous report intact.
Pages link to one stylesheet and carry their small scripts inline: they open from the file system.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from secnews.core.fs import atomic_write_text
from secnews.core.taxonomy import load_taxonomy
from secnews.model.document import Document, annotation_set, gold_set, iter_documents
from secnews.quality.agreement import agreement
from secnews.release.splits import read_manifest
from secnews.report import plots
from secnews.report.assets import DOC_SCRIPT, INDEX_SCRIPT, STYLE
from secnews.report.highlight import render_set, set_labels, side_by_side

DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (("gold", "pred-secnews-rules"), ("pass-1", "pass-2"))
LAYERS = ("entities", "events", "attributions", "timexes")
Progress = Callable[[int], None] | None


@dataclass
class DocSummary:
    id: str
    title: str
    published: str
    split: str
    countries: list[str]
    counts: dict[str, int]
    sets: list[str]
    page: str


@dataclass
class Stats:
    """What the index shows: per-split label counts, ACLED groups, countries x years, agreement."""

    docs: list[DocSummary] = field(default_factory=list)
    labels: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)  # layer -> split -> label
    acled: Counter[str] = field(default_factory=Counter)
    country_year: dict[str, Counter[str]] = field(default_factory=dict)
    search: dict[str, dict[str, int]] = field(default_factory=dict)  # label -> doc -> count
    agreement: dict[str, Any] = field(default_factory=dict)


def page_name(doc_id: str) -> str:
    return f"docs/{doc_id}.html"


def _collect(stats: Stats, doc: Document, split: str, group_of: Mapping[str, str]) -> DocSummary:
    gold = gold_set(doc) or {}
    meta = doc["meta"]
    countries = list((gold.get("labels") or {}).get("countries") or [])
    for layer, key in (("entities", "type"), ("events", "type")):
        per = stats.labels.setdefault(layer, {})
        per.setdefault(split, Counter()).update(r[key] for r in gold.get(layer) or [])
    stats.acled.update(group_of.get(e["type"], "(outcome)") for e in gold.get("events") or [])
    year = str(meta.get("published") or "")[:4] or "?"
    for c in countries or ["(none)"]:
        stats.country_year.setdefault(c, Counter())[year] += 1
    for label, n in Counter(set_labels(gold)).items():
        stats.search.setdefault(label, {})[doc["id"]] = n
    return DocSummary(
        id=doc["id"], title=meta.get("title") or doc["id"], published=str(meta.get("published") or ""), split=split,
        countries=countries, counts={k: len(gold.get(k) or []) for k in LAYERS},
        sets=[str(a["id"]) for a in doc.get("annotations") or []], page=page_name(doc["id"]),
    )  # fmt: skip


# --------------------------------------------------------------------------- pages


def _page(title: str, body: str, depth: int, script: str = "") -> str:
    up = "../" * depth
    return (
        f'<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{up}style.css"></head><body>{body}'
        + (f"<script>{script}</script>" if script else "")
        + "</body></html>\n"
    )


def document_page(doc: Document, summary: DocSummary, pairs: Sequence[tuple[str, str]]) -> str:
    meta = doc["meta"]
    gold = gold_set(doc)
    head = (
        f'<nav><a href="../index.html">← corpus report</a></nav><h1>{escape(summary.title)}</h1>'
        f'<p class="meta"><code>{escape(doc["id"])}</code> · published {escape(summary.published)} · split '
        f"{escape(summary.split)} · {escape(str(meta.get('source') or ''))} · licence {escape(str(meta.get('license')))}"
        f" · countries {escape(', '.join(summary.countries) or '—')} · sets {escape(', '.join(summary.sets))}</p>"
        '<p class="legend"><span class="ent">entity</span> <span class="trig">event trigger</span> '
        '<span class="timex">time expression (value on hover)</span> <span class="cue">attribution cue</span> '
        '<span class="content">attributed content</span></p>'
    )
    body = [head]
    if gold is not None:
        body.append(f'<section class="gold"><h2>Gold</h2>{render_set(doc["text"], gold, "g")}</section>')
    else:
        body.append('<p class="warn">No gold set.</p>')
    for k, (a, b) in enumerate(pairs):
        left, right = annotation_set(doc, a), annotation_set(doc, b)
        if left is not None and right is not None:
            body.append(side_by_side(doc["text"], left, right, prefix=f"p{k}s"))
    return _page(summary.title, "".join(body), 1, DOC_SCRIPT)


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _agreement_rows(data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for layer, modes in sorted((data.get("spans") or {}).items()):
        exact = modes.get("exact", {}).get("f1")
        overlap = modes.get("overlap", {}).get("f1")
        rows.append((escape(layer), f"{exact:.3f}" if exact is not None else "—",
                     f"{overlap:.3f}" if overlap is not None else "—"))  # fmt: skip
    return rows


def index_page(stats: Stats, agreement_sets: Sequence[str]) -> str:
    splits = sorted({d.split for d in stats.docs}, key=lambda s: ["train", "validation", "test"].index(s)
                    if s in ("train", "validation", "test") else 9)  # fmt: skip
    n = Counter(d.split for d in stats.docs)
    parts = [
        "<h1>secnews-fr: corpus report</h1>",
        f"<p>{len(stats.docs)} documents (" + ", ".join(f"{escape(s)} {n[s]}" for s in splits) + "). "
        "Every document page shows the gold set's four layers; pairs of sets are shown side by side.</p>",
        '<section id="search"><h2>Search by label</h2><input id="q" list="labels" placeholder="PER, AIR_DRONE_STRIKE, DATE…"'
        ' autocomplete="off"><datalist id="labels">'
        + "".join(f'<option value="{escape(lb)}">' for lb in sorted(stats.search))
        + '</datalist> <span id="count"></span><ul id="results"></ul></section>',
        '<section id="stats"><h2>Statistics</h2>',
    ]
    for layer, title in (
        ("entities", "Entities per type and split"),
        ("events", "Events per type and split"),
    ):
        per = {s: dict(stats.labels.get(layer, {}).get(s, {})) for s in splits}
        parts.append(f'<figure class="plot" id="plot-{layer}">{plots.grouped_bars(title, per)}</figure>')
    parts.append(
        f'<figure class="plot" id="plot-acled">{plots.grouped_bars("Events per ACLED group (gold)", {"events": dict(stats.acled)})}</figure>'
    )
    years = sorted({y for c in stats.country_year.values() for y in c})
    cy = {c: dict(v) for c, v in stats.country_year.items()}
    parts.append(
        f'<figure class="plot" id="plot-countries">{plots.stacked_bars("Documents per country and year", cy, years)}</figure>'
    )
    if stats.agreement.get("documents"):
        ag = stats.agreement
        per_layer = {
            mode: {layer: m[mode]["f1"] for layer, m in ag["spans"].items() if m.get(mode)}
            for mode in ("exact", "overlap")
        }
        parts.append(
            f"<h3>Agreement per layer ({escape(' vs '.join(agreement_sets))}, {ag['documents']} documents)</h3>"
        )
        parts.append(
            f'<figure class="plot" id="plot-agreement">{plots.grouped_bars("Span F1 between the two passes", per_layer)}</figure>'
        )
        parts.append(_table(["layer", "exact F1", "overlap F1"], _agreement_rows(ag)))
    parts.append('</section><section id="documents"><h2>Documents</h2>')
    rows = [
        (f'<a href="{escape(d.page)}">{escape(d.title)}</a>', f"<code>{escape(d.id)}</code>", escape(d.published),
         escape(d.split), escape(", ".join(d.countries)), *(str(d.counts[k]) for k in LAYERS))
        for d in stats.docs
    ]  # fmt: skip
    parts.append(_table(["title", "id", "published", "split", "countries", *LAYERS], rows) + "</section>")
    index = json.dumps({"labels": stats.search, "titles": {d.id: d.title for d in stats.docs},
                        "pages": {d.id: d.page for d in stats.docs}}, ensure_ascii=False, sort_keys=True)  # fmt: skip
    safe = index.replace("</", "<\\/")  # no "</script>" inside the JSON
    parts.append(f'<script type="application/json" id="label-index">{safe}</script>')
    return _page("secnews-fr report", "".join(parts), 0, INDEX_SCRIPT)


# --------------------------------------------------------------------------- the site


def build_report(
    out: Path,
    paths: Sequence[Path],
    manifest: Path | None = None,
    pairs: Sequence[tuple[str, str]] = DEFAULT_PAIRS,
    agreement_sets: Sequence[str] = ("pass-1", "pass-2"),
    progress: Progress = None,
) -> Stats:
    """Write the report of the documents under ``paths`` to ``out`` (built aside, renamed into place)."""
    split_of = (
        {k: e.split for k, e in read_manifest(manifest).entries.items()}
        if manifest and manifest.exists()
        else {}
    )
    group_of = {
        r["name"]: r.get("acled_event_type") or "(outcome)" for r in load_taxonomy().sections["event_types"]
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build.", dir=out.parent))
    stats = Stats()
    try:
        site = work / "site"
        (site / "docs").mkdir(parents=True)
        atomic_write_text(site / "style.css", STYLE)
        docs: list[Document] = []
        for _path, doc in iter_documents(paths):
            summary = _collect(stats, doc, split_of.get(doc["id"], "unsplit"), group_of)
            stats.docs.append(summary)
            atomic_write_text(site / summary.page, document_page(doc, summary, pairs))
            if len([a for a in doc.get("annotations") or [] if a["id"] in agreement_sets]) >= 2:
                docs.append(doc)
            if progress:
                progress(1)
        stats.agreement = agreement(docs, list(agreement_sets)).to_dict() if docs else {}
        atomic_write_text(site / "index.html", index_page(stats, agreement_sets))
        os.chmod(site, 0o755)
        if out.exists():
            os.replace(out, work / "previous")
        os.replace(site, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return stats
