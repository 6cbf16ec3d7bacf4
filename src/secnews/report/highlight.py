"""One annotation set over its text as HTML: displaCy-like marks for entities and triggers, timex values on
hover, attribution cues and contents; nested and overlapping spans are cut into segments and re-opened,
so every character sits inside every span that covers it."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # ent | trig | timex | cue | content
    rec_id: str
    label: str
    title: str
    data: str = ""  # extra data-* attributes (already escaped)


def marks(ann: Record) -> list[Mark]:
    """Every span of the set's four layers as a mark."""
    out: list[Mark] = []
    for e in ann.get("entities") or []:
        title = f"{e['id']} {e['type']} {e.get('mention') or ''}" + (
            f" actor={e['actor']}" if e.get("actor") else ""
        )
        out.append(
            Mark(e["start"], e["end"], "ent", e["id"], e["type"], title, f' data-label="{escape(e["type"])}"')
        )
    for v in ann.get("events") or []:
        t = v["trigger"]
        args = " ".join(a["ref"] for a in v.get("arguments") or [])
        title = f"{v['id']} {v['type']} {v.get('realis') or ''}"
        data = f' data-label="{escape(v["type"])}" data-args="{escape(args)}"'
        out.append(Mark(t["start"], t["end"], "trig", v["id"], v["type"], title, data))
    for x in ann.get("timexes") or []:
        title = f"{x['id']} {x['type']} value={x.get('value')}" + (f" mod={x['mod']}" if x.get("mod") else "")
        data = f' data-label="{escape(x["type"])}" data-value="{escape(str(x.get("value")))}"'
        out.append(Mark(x["start"], x["end"], "timex", x["id"], x["type"], title, data))
    for a in ann.get("attributions") or []:
        c = a["cue"]
        title = f"{a['id']} {a.get('claim')} source={a.get('source')} {a.get('source_type') or ''}"
        out.append(Mark(c["start"], c["end"], "cue", a["id"], a.get("claim") or "CUE", title))
        for k, part in enumerate(a.get("content") or []):
            out.append(
                Mark(part["start"], part["end"], "content", f"{a['id']}-c{k}", "", f"{a['id']} content")
            )
    return out


def render_text(text: str, ann: Record, prefix: str) -> str:
    """The text with nested marks; the first segment of a span carries ``id="<prefix>-<record id>"``."""
    spans = [m for m in marks(ann) if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in spans), *(m.end for m in spans)})
    opened: set[Mark] = set()
    html: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = sorted(
            (m for m in spans if m.start <= a and b <= m.end), key=lambda m: (m.start, -m.end, m.kind)
        )
        for m in active:
            first = m not in opened
            opened.add(m)
            ident = f' id="{escape(prefix)}-{escape(m.rec_id)}"' if first and m.kind != "content" else ""
            html.append(
                f'<span class="{m.kind}"{ident} data-id="{escape(m.rec_id)}" title="{escape(m.title)}"{m.data}>'
            )
        html.append(escape(text[a:b]))
        for m in reversed(active):
            if m.end == b and m.label:
                html.append(f'<span class="lbl">{escape(m.label)}</span>')
            html.append("</span>")
    return "".join(html)


def _ref(prefix: str, refs: Mapping[str, Record], ref: str | None) -> str:
    if not ref:
        return "—"
    target = refs.get(ref)
    text = escape(target.get("text", "")) if target else "?"
    return f'<a href="#{escape(prefix)}-{escape(ref)}">{escape(ref)} {text}</a>'


def render_tables(ann: Record, prefix: str) -> str:
    """Events with their argument links, attributions with source/cue/content, timexes with values."""
    refs = {r["id"]: r for layer in ("entities", "timexes") for r in ann.get(layer) or []}
    parts = ['<h4>Events</h4><table class="events"><tr><th>trigger</th><th>type</th><th>realis</th>'
             "<th>arguments</th><th>fatalities</th></tr>"]  # fmt: skip
    for v in ann.get("events") or []:
        args = "<br>".join(
            f"{escape(a['role'])} → {_ref(prefix, refs, a['ref'])}" for a in v.get("arguments") or []
        )
        fat = v.get("fatalities") or {}
        toll = (
            ""
            if not fat
            else f"{fat.get('min')}–{fat.get('max')}"
            if fat.get("max") != fat.get("min")
            else str(fat.get("min"))
        )
        trig = f'<a href="#{escape(prefix)}-{escape(v["id"])}">{escape(v["id"])} {escape(v["trigger"]["text"])}</a>'
        parts.append(f'<tr data-event="{escape(v["id"])}"><td>{trig}</td><td>{escape(v["type"])}</td>'
                     f'<td>{escape(v.get("realis") or "")}</td><td>{args}</td><td>{escape(toll)}</td></tr>')  # fmt: skip
    parts.append('</table><h4>Attributions</h4><table class="attributions"><tr><th>cue</th><th>source</th>'
                 "<th>claim</th><th>content</th><th>events</th></tr>")  # fmt: skip
    for a in ann.get("attributions") or []:
        content = " … ".join(escape(c["text"]) for c in a.get("content") or [])
        events = ", ".join(
            f'<a href="#{escape(prefix)}-{escape(e)}">{escape(e)}</a>' for e in a.get("events") or []
        )
        cue = f'<a href="#{escape(prefix)}-{escape(a["id"])}">{escape(a["cue"]["text"])}</a>'
        parts.append(f"<tr><td>{cue}</td><td>{_ref(prefix, refs, a.get('source'))}</td>"
                     f"<td>{escape(str(a.get('claim')))} / {escape(str(a.get('certainty')))}</td>"
                     f"<td>{content}</td><td>{events}</td></tr>")  # fmt: skip
    parts.append('</table><h4>Time expressions</h4><table class="timexes"><tr><th>text</th><th>type</th>'
                 "<th>value</th><th>anchor</th></tr>")  # fmt: skip
    for x in ann.get("timexes") or []:
        parts.append(f'<tr><td><a href="#{escape(prefix)}-{escape(x["id"])}">{escape(x["text"])}</a></td>'
                     f'<td>{escape(x["type"])}</td><td class="value">{escape(str(x.get("value")))}</td>'
                     f'<td>{escape(str(x.get("anchor")))}</td></tr>')  # fmt: skip
    parts.append("</table>")
    return "".join(parts)


def render_set(text: str, ann: Record, prefix: str, tables: bool = True) -> str:
    counts = ", ".join(
        f"{len(ann.get(k) or [])} {k}" for k in ("entities", "events", "attributions", "timexes")
    )
    head = f"<h3>{escape(str(ann['id']))} <small>({escape(str(ann.get('status')))}; {counts})</small></h3>"
    body = f'<div class="text" data-set="{escape(str(ann["id"]))}" data-prefix="{escape(prefix)}">{render_text(text, ann, prefix)}</div>'
    return f'<div class="set">{head}{body}{render_tables(ann, prefix) if tables else ""}</div>'


def side_by_side(text: str, left: Record, right: Record, prefix: str = "p") -> str:
    """Two sets of one text in two columns (ids prefixed per column, so links stay in their column)."""
    cols = "".join(f'<div class="col">{render_set(text, ann, f"{prefix}{k}", tables=True)}</div>'
                   for k, ann in enumerate((left, right)))  # fmt: skip
    return f'<section class="compare"><h2>{escape(str(left["id"]))} vs {escape(str(right["id"]))}</h2><div class="side">{cols}</div></section>'


def set_labels(ann: Record) -> Sequence[str]:
    """The labels a set uses (for search): entity, event, ACLED-free types, timex types, claims."""
    out = [e["type"] for e in ann.get("entities") or []]
    out += [v["type"] for v in ann.get("events") or []]
    out += [x["type"] for x in ann.get("timexes") or []]
    out += [a["claim"] for a in ann.get("attributions") or [] if a.get("claim")]
    return out
