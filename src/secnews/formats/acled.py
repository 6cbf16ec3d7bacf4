"""Gold events as ACLED-shaped rows, for conflict researchers who work in ACLED's columns.

One row per reported event: mentions of one event joined by ``SAME_EVENT`` relations are one row (ACLED
codes events, not mentions), and only ``ACTUAL`` events of a type with an ACLED mapping are rows (the
outcome types ``DEATH``/``INJURY`` feed the fatalities of the event that ``CAUSES`` them; generic,
hypothetical or future events are not ACLED events). Every value is taken from the annotations, never
guessed, and every row carries the character offsets of the text it was read from (``evidence_*``
columns), so a researcher can check a coding against the sentence.

- ``event_date``/``time_precision``: the TIMEX3 value of the event's ``TIME`` argument (1 = day, 2 =
  week, 3 = month or year), else of an outcome it ``CAUSES`` (a death shares the day of the strike that
  caused it); without one, the publication date (DCT) with precision 3: the event was reported by then,
  its day is unknown.
- ``event_type``/``sub_event_type``: the taxonomy's ACLED mapping of the event type.
- ``actor1``/``actor2``: the ``AGENT`` (else the first ``PARTICIPANT``) and the ``TARGET`` (else the
  second ``PARTICIPANT``); the registry's canonical name and ACLED actor type when the mention names a
  registered actor (``schema/actors.yaml``), else the mention and its entity type's ACLED actor type.
  ``interaction``: ACLED's two-digit code, lower actor type first (``X0`` for a sole actor).
- ``country``/``admin1``/``location``: from the ``PLACE`` argument (a country mention gives the
  country; another place is the location) and the document's ``countries`` label.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from secnews.core.actors import ActorRegistry, load_actors, normalize_alias
from secnews.core.countries import COUNTRIES
from secnews.core.findings import Finding, Rule, make_finding, register
from secnews.core.fs import atomic_write_bytes, atomic_write_text
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.model.document import Document, gold_set
from secnews.model.tokenize_fr import sentence_spans

register(
    Rule(
        "ACLED_NO_GOLD",
        "No gold set to export",
        "warning",
        "document {doc} has no gold set: none of its events is exported",
        "Only adjudicated gold events are exported as ACLED rows.",
        "export",
    ),
    Rule(
        "ACLED_NO_ACTOR1",
        "Event without a first actor",
        "warning",
        "event {event} ({type}) has no AGENT or PARTICIPANT argument: its row has an empty actor1",
        "ACLED codes every event with an actor1; the row is kept (the event is in the gold) so the gap is visible.",
        "export",
    ),
)

#: the ACLED columns written, in ACLED's order, then the evidence columns
COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "country", "admin1", "location", "source",
    "source_scale", "notes", "fatalities", "doc_id", "event_ids", "secnews_type", "actor1_id",
    "actor2_id", "evidence_trigger_start", "evidence_trigger_end", "evidence_sentence_start",
    "evidence_sentence_end", "evidence_actor1_start", "evidence_actor1_end", "evidence_actor2_start",
    "evidence_actor2_end", "evidence_place_start", "evidence_place_end", "evidence_time_start",
    "evidence_time_end",
)  # fmt: skip
INT_COLUMNS = frozenset(
    {"year", "time_precision", "fatalities", "inter1", "inter2"}
    | {c for c in COLUMNS if c.startswith("evidence_")}
)
#: ACLED's disorder type of each event type (codebook 2023)
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
COUNTRY_NAMES = dict(COUNTRIES)
_COUNTRY_BY_NAME = {normalize_alias(name): code for code, name in COUNTRIES}
_FIRST_CODE = re.compile(r"^\s*(\d)")

Row = dict[str, Any]


@dataclass
class ExportResult:
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0


def actor_type_code(label: str | None) -> int | None:
    """The first ACLED actor-type digit of a label such as "2 Rebel Groups / 3 Political Militias"."""
    m = _FIRST_CODE.match(label or "")
    return int(m.group(1)) if m else None


def interaction_code(inter1: int | None, inter2: int | None) -> str:
    """ACLED's interaction: both actor types, lower first; a sole actor is ``X0``."""
    if inter1 is None:
        return ""
    if inter2 is None:
        return f"{inter1}0"
    lo, hi = sorted((inter1, inter2))
    return f"{lo}{hi}"


def time_precision(value: str | None) -> int | None:
    """ACLED time precision of a TIMEX3 date value (None when it is no date)."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", value):
        return 1
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        return 2
    if re.fullmatch(r"\d{4}(-\d{2})?", value) or re.fullmatch(r"\d{4}-(Q\d|H\d|SP|SU|FA|WI)", value):
        return 3
    return None


def _date_of(value: str) -> str:
    """The first day a TIMEX3 date value covers (ACLED's event_date is a day)."""
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        import datetime as dt

        year, week = int(value[:4]), int(value[6:8])
        return dt.date.fromisocalendar(year, week, 1).isoformat()
    parts = value[:10].split("-")
    if len(parts) >= 2 and parts[1].isdigit():
        return "-".join([parts[0], parts[1], parts[2] if len(parts) > 2 else "01"])
    return f"{value[:4]}-01-01"


# --------------------------------------------------------------------------- clustering


def _clusters(events: Sequence[Row], relations: Iterable[Row]) -> list[list[Row]]:
    """Mentions of one event (``SAME_EVENT``), each cluster in text order, clusters in text order."""
    parent = {e["id"]: e["id"] for e in events}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in relations:
        if r["type"] == "SAME_EVENT" and r["head"] in parent and r["tail"] in parent:
            parent[root(r["head"])] = root(r["tail"])
    groups: dict[str, list[Row]] = {}
    for e in sorted(events, key=lambda e: e["trigger"]["start"]):
        groups.setdefault(root(e["id"]), []).append(e)
    return list(groups.values())


def _representative(cluster: Sequence[Row]) -> Row:
    """The mention with the most arguments (first in the text on a tie): its trigger is the evidence."""
    return max(cluster, key=lambda e: (len(e.get("arguments") or []), -e["trigger"]["start"]))


def _arg(cluster: Sequence[Row], roles: Sequence[str], nth: int = 0) -> str | None:
    """The ``nth`` distinct argument with one of ``roles`` over the cluster (representative first)."""
    seen: list[str] = []
    for e in [_representative(cluster), *cluster]:
        for a in e.get("arguments") or []:
            if a["role"] in roles and a["ref"] not in seen:
                seen.append(a["ref"])
    return seen[nth] if len(seen) > nth else None


# --------------------------------------------------------------------------- one document


@dataclass
class _Context:
    doc: Document
    gold: Row
    taxonomy: Taxonomy
    actors: ActorRegistry
    sentences: list[tuple[int, int]]

    @property
    def refs(self) -> dict[str, Row]:
        return {x["id"]: x for x in [*(self.gold.get("entities") or []), *(self.gold.get("timexes") or [])]}


def _actor(ctx: _Context, ref: str | None) -> tuple[str, str, int | None, Row | None]:
    """(name, registry id, ACLED actor type, mention) of an argument."""
    ent = ctx.refs.get(ref or "")
    if ent is None or "mention" not in ent:
        return "", "", None, None
    actor = ctx.actors.get(ent["actor"]) if ent.get("actor") else None
    if actor is not None:
        return actor.name, actor.id, actor_type_code(actor.acled_actor_type), ent
    kind = ctx.taxonomy.record("entity_types", ent["type"]).get("acled_actor_type")
    return ent["text"], "", actor_type_code(kind), ent


def _place(ctx: _Context, ref: str | None) -> tuple[str, str, Row | None]:
    """(ISO code, location) of a PLACE argument; a mention naming a country gives the code only."""
    ent = ctx.refs.get(ref or "")
    labels = ctx.gold.get("labels") or {}
    doc_countries = labels.get("countries") or []
    default = doc_countries[0] if len(doc_countries) == 1 else ""
    if ent is None:
        return default, "", None
    code = _COUNTRY_BY_NAME.get(normalize_alias(ent["text"]))
    if code:
        return code, "", ent
    return default, ent["text"], ent


def _fatalities(cluster: Sequence[Row], caused: Sequence[Sequence[Row]]) -> int | None:
    """The cluster's own lowest reported toll, else the sum of the outcomes it causes."""

    def own(c: Sequence[Row]) -> int | None:
        tolls = [
            e["fatalities"]["min"]
            for e in c
            if e.get("fatalities") and e["fatalities"].get("min") is not None
        ]
        return max(tolls) if tolls else None

    mine = own(cluster)
    if mine is not None:
        return mine
    tolls = [t for t in (own(c) for c in caused) if t is not None]
    return sum(tolls) if tolls else None


def _sentence(ctx: _Context, start: int) -> tuple[int, int]:
    return next(((s, e) for s, e in ctx.sentences if s <= start < e), (start, start))


def _span(ent: Row | None) -> tuple[int | None, int | None]:
    return (ent["start"], ent["end"]) if ent else (None, None)


def _time(ctx: _Context, cluster: Sequence[Row], caused: Sequence[Sequence[Row]]) -> Row | None:
    """The event's own TIME, else that of an outcome it causes: a strike's day is the day of the death
    it caused (ruling 12.13 puts the TIME only on the mention whose sentence gives it)."""
    for mentions in (cluster, *caused):
        ref = _arg(mentions, ("TIME",))
        if ref and ref in ctx.refs:
            return ctx.refs[ref]
    return None


def _row(ctx: _Context, cluster: Sequence[Row], caused: Sequence[Sequence[Row]], n: int) -> Row:
    rep = _representative(cluster)
    rec = ctx.taxonomy.record("event_types", rep["type"])
    meta = ctx.doc["meta"]
    a1 = _arg(cluster, ("AGENT",)) or _arg(cluster, ("PARTICIPANT",))
    a2 = _arg(cluster, ("TARGET",)) or _arg(
        cluster, ("PARTICIPANT",), 1 if a1 == _arg(cluster, ("PARTICIPANT",)) else 0
    )
    name1, id1, inter1, ent1 = _actor(ctx, a1)
    name2, id2, inter2, ent2 = _actor(ctx, a2)
    iso, location, place = _place(ctx, _arg(cluster, ("PLACE",)))
    time = _time(ctx, cluster, caused)
    precision = time_precision(time.get("value")) if time else None
    date = _date_of(time["value"]) if time and precision else meta["published"]
    s_start, s_end = _sentence(ctx, rep["trigger"]["start"])
    ts, te = _span(time if precision else None)
    return {
        "event_id_cnty": f"{ctx.doc['id']}-{n}",
        "event_date": date,
        "year": int(date[:4]),
        "time_precision": precision or 3,
        "disorder_type": DISORDER.get(rec["acled_event_type"], ""),
        "event_type": rec["acled_event_type"],
        "sub_event_type": rec["acled_sub_event_type"],
        "actor1": name1,
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": name2,
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": interaction_code(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": iso,
        "country": COUNTRY_NAMES.get(iso, ""),
        "admin1": "",
        "location": location,
        "source": meta.get("source") or "",
        "source_scale": "",
        "notes": ctx.doc["text"][s_start:s_end],
        "fatalities": _fatalities(cluster, caused),
        "doc_id": ctx.doc["id"],
        "event_ids": " ".join(e["id"] for e in cluster),
        "secnews_type": rep["type"],
        "actor1_id": id1,
        "actor2_id": id2,
        "evidence_trigger_start": rep["trigger"]["start"],
        "evidence_trigger_end": rep["trigger"]["end"],
        "evidence_sentence_start": s_start,
        "evidence_sentence_end": s_end,
        "evidence_actor1_start": _span(ent1)[0],
        "evidence_actor1_end": _span(ent1)[1],
        "evidence_actor2_start": _span(ent2)[0],
        "evidence_actor2_end": _span(ent2)[1],
        "evidence_place_start": _span(place)[0],
        "evidence_place_end": _span(place)[1],
        "evidence_time_start": ts,
        "evidence_time_end": te,
    }


def document_rows(
    doc: Document, taxonomy: Taxonomy | None = None, actors: ActorRegistry | None = None
) -> tuple[list[Row], list[Finding]]:
    """The ACLED rows of one document's gold events, and warnings for what a row could not hold."""
    gold = gold_set(doc)
    if gold is None:
        return [], [make_finding("ACLED_NO_GOLD", doc_id=doc["id"], doc=doc["id"])]
    taxonomy = taxonomy or load_taxonomy()
    ctx = _Context(
        doc, gold, taxonomy, actors or load_actors(), [(s[0], s[1]) for s in sentence_spans(doc["text"])]
    )
    events = [e for e in gold.get("events") or [] if e.get("realis", "ACTUAL") == "ACTUAL"]
    clusters = _clusters(events, gold.get("relations") or [])
    cluster_of = {e["id"]: i for i, c in enumerate(clusters) for e in c}
    causes: dict[int, set[int]] = {}
    for r in gold.get("relations") or []:
        if r["type"] == "CAUSES" and r["head"] in cluster_of and r["tail"] in cluster_of:
            causes.setdefault(cluster_of[r["head"]], set()).add(cluster_of[r["tail"]])
    rows: list[Row] = []
    findings: list[Finding] = []
    for i, cluster in enumerate(clusters):
        rep = _representative(cluster)
        if not taxonomy.record("event_types", rep["type"]).get("acled_event_type"):
            continue  # an outcome (DEATH, INJURY): its toll goes to the event that causes it
        outcomes = [clusters[j] for j in sorted(causes.get(i, ())) if j != i]
        row = _row(ctx, cluster, outcomes, len(rows) + 1)
        if not row["actor1"]:
            findings.append(make_finding("ACLED_NO_ACTOR1", doc_id=doc["id"], annotation_set="gold",
                                         annotation_id=rep["id"], event=rep["id"], type=rep["type"]))  # fmt: skip
        rows.append(row)
    return rows, findings


def export_rows(docs: Iterable[Document]) -> Iterator[tuple[list[Row], list[Finding]]]:
    taxonomy, actors = load_taxonomy(), load_actors()
    for doc in docs:
        yield document_rows(doc, taxonomy, actors)


# --------------------------------------------------------------------------- writing


def arrow_table(rows: Sequence[Row]) -> pa.Table:
    """The rows as an Arrow table with fixed column types (nullable integers stay integers)."""
    schema = pa.schema([(c, pa.int64() if c in INT_COLUMNS else pa.string()) for c in COLUMNS])
    return pa.Table.from_pylist([{c: r.get(c) for c in COLUMNS} for r in rows], schema=schema)


def write_csv(rows: Sequence[Row], path: Path) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({c: "" if r.get(c) is None else r[c] for c in COLUMNS})
    atomic_write_text(path, buf.getvalue())


def write_parquet(rows: Sequence[Row], path: Path) -> None:
    sink = pa.BufferOutputStream()
    pq.write_table(arrow_table(rows), sink, compression="zstd")
    atomic_write_bytes(path, sink.getvalue().to_pybytes())


WRITERS = {".csv": write_csv, ".parquet": write_parquet}


def write_rows(rows: Sequence[Row], path: Path) -> None:
    """CSV or Parquet, by the file's suffix."""
    WRITERS[path.suffix](rows, path)


def counts_by(rows: Sequence[Row], key: str) -> Mapping[str, int]:
    out: dict[str, int] = {}
    for r in rows:
        out[r[key]] = out.get(r[key], 0) + 1
    return dict(sorted(out.items()))
