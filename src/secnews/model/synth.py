"""Valid synthetic documents, for property tests and benchmarks.

Real gold documents are few and precious; tests and benchmarks need many documents that exercise every
field (all layers, nested spans, optional keys present and absent, astral characters that break UTF-16
offsets) and that are *valid by construction*. Sentences are assembled from French templates while the
offsets of every slot are recorded, so spans are exact without searching the text afterwards.

Another project's taxonomy (``secnews init --taxonomy``) may name its entity and event types
differently: each built-in type is then replaced by the first of the project's types that every role
it fills accepts (:func:`label_map`), and ``meta.language`` is the project's, so ``secnews synth``
gives valid documents for any project whose taxonomy has the roles the templates use.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.core.project import load_project
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.model.document import save_document
from secnews.model.timex3 import MONTHS_FR

register(
    Rule(
        "SYNTH_TAXONOMY_UNSUPPORTED",
        "Taxonomy unsupported by synth",
        "error",
        "synthetic documents need {what} in the taxonomy",
        "`secnews synth` fills the roles AGENT, TARGET, INSTRUMENT, PLACE and TIME of its templates: a "
        "taxonomy must have them, and types they accept, to get valid synthetic documents.",
        "project",
    ),
)

_NAMES: dict[str, list[str]] = {
    "PER": [
        "Moussa Himma Diallo",
        "Amadou Koufa",
        "Iyad Ag Ghaly",
        "des civils",
        "trois villageois",
        "Aïcha Traoré",
    ],
    "STATE_FORCE": [
        "les FAMa",
        "l'armée burkinabè",
        "la gendarmerie",
        "l'état-major général des armées",
        "les FDS",
    ],
    "ARMED_GROUP": [
        "la Katiba Serma",
        "le GSIM",
        "l'EIGS",
        "Boko Haram",
        "des terroristes",
        "la Katiba Macina",
    ],
    "MILITIA": ["les VDP", "Dan Na Ambassagou", "des miliciens"],
    "MULTINATIONAL_FORCE": ["la MINUSMA", "la force Barkhane", "la Force conjointe du G5 Sahel"],
    "ORG": ["l'AES", "la CEDEAO", "Médecins sans frontières", "le gouvernement de transition"],
    "GPE": ["Douentza", "Mopti", "Djibo", "Niamey", "Ouagadougou", "Ménaka", "Tombouctou", "Gao"],
    "LOC": ["le centre du pays", "la zone des trois frontières", "le fleuve Niger", "la forêt de Wagadou"],
    "FAC": ["le camp militaire", "la base de Tessalit", "le pont de Boulkessi", "l'hôtel Splendid"],
    "WEAPON": ["des drones", "un engin explosif improvisé", "des obus", "une grenade", "des fusils d'assaut"],
    "VEHICLE": ["un pick-up", "des motos", "un camion-citerne"],
}
_ASTRAL = ["🔥", "𝕊", "😢", "🇲🇱", "𝒜"]
_CUES = ["a annoncé", "a indiqué", "a affirmé", "a revendiqué", "a démenti", "selon"]
_TRIGGERS = [
    ("ATTACK", "attaqué", ["AGENT", "TARGET", "PLACE", "TIME"]),
    ("AIR_DRONE_STRIKE", "frappé", ["AGENT", "TARGET", "INSTRUMENT", "PLACE", "TIME"]),
    ("ARMED_CLASH", "affronté", ["AGENT", "TARGET", "PLACE", "TIME"]),
    ("ABDUCTION_FORCED_DISAPPEARANCE", "enlevé", ["AGENT", "TARGET", "PLACE", "TIME"]),
    ("ARRESTS", "interpellé", ["AGENT", "TARGET", "PLACE", "TIME"]),
    ("DEATH", "tué", ["AGENT", "TARGET", "PLACE", "TIME"]),
    ("LOOTING_PROPERTY_DESTRUCTION", "incendié", ["AGENT", "TARGET", "PLACE", "TIME"]),
]
_ROLE_TYPES = {
    "AGENT": ["STATE_FORCE", "ARMED_GROUP", "MILITIA", "MULTINATIONAL_FORCE"],
    "TARGET": ["PER", "STATE_FORCE", "FAC", "VEHICLE"],
    "INSTRUMENT": ["WEAPON"],
    "PLACE": ["GPE", "LOC", "FAC"],
}
_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@dataclass
class _Builder:
    """Appends text while recording the offsets of what is appended."""

    rng: random.Random
    dct: date
    parts: list[str] = field(default_factory=list)
    length: int = 0
    n: int = 0

    def put(self, s: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        return start, self.length

    def next_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _timex_phrase(rng: random.Random, dct: date) -> tuple[str, str, str]:
    """(surface, type, value) of a time expression consistent with the DCT."""
    kind = rng.randrange(5)
    if kind == 0:
        wd = rng.randrange(7)
        delta = (dct.isoweekday() - (wd + 1)) % 7 or 7
        return f"{_WEEKDAYS[wd]} dernier", "DATE", (dct - timedelta(days=delta)).isoformat()
    if kind == 1:
        return "hier", "DATE", (dct - timedelta(days=1)).isoformat()
    if kind == 2:
        day = dct - timedelta(days=rng.randrange(1, 60))
        return (
            f"{_WEEKDAYS[day.isoweekday() - 1]} {day.day} {MONTHS_FR[day.month - 1]} {day.year}",
            "DATE",
            day.isoformat(),
        )
    if kind == 3:
        n = rng.randrange(2, 9)
        return f"{n} ans", "DURATION", f"P{n}Y"  # "depuis" is a signal, outside the span (ruling 2)
    return "vers 19 h 30", "TIME", f"{dct.isoformat()}T19:30"


#: leading articles of the names above (lower case, so a sentence never starts with one)
_ARTICLES = ("les ", "la ", "le ", "l'", "des ", "un ", "une ", "du ")


def _entity(b: _Builder, etype: str, layer: dict[str, list[Any]], astral: bool) -> str:
    name = b.rng.choice(_NAMES[etype])
    if astral and b.rng.random() < 0.3:
        name = name + " " + b.rng.choice(_ASTRAL)
    article = next((a for a in _ARTICLES if name.startswith(a)), "")
    if article:  # the article is written but stays outside the span (Guidelines 1.1, ruling 11)
        b.put(article)
        name = name[len(article) :]
    start, end = b.put(name)
    ent: dict[str, Any] = {
        "id": b.next_id("E"),
        "start": start,
        "end": end,
        "text": name,
        "type": etype,
        "mention": "NOM" if name[0].islower() else "NAM",
        "actor": None,
    }
    if b.rng.random() < 0.2:
        ent["source_label"] = "Organization" if etype not in ("PER", "GPE", "LOC") else "Location"
    layer["entities"].append(ent)
    if etype == "ARMED_GROUP" and name.startswith("Katiba ") and b.rng.random() < 0.5:
        inner = name[len("Katiba ") :].split(" ")[0]
        s = start + len("Katiba ")
        layer["entities"].append(
            {
                "id": b.next_id("E"),
                "start": s,
                "end": s + len(inner),
                "text": inner,
                "type": "GPE",
                "mention": "NAM",
                "actor": None,
            }
        )
    return ent["id"]


def _sentence(b: _Builder, layer: dict[str, list[Any]], astral: bool) -> None:
    rng = b.rng
    if astral and rng.random() < 0.2:
        b.put(rng.choice(_ASTRAL) + " ")
    source = _entity(b, rng.choice(["STATE_FORCE", "ARMED_GROUP", "ORG"]), layer, astral)
    b.put(" ")
    cue_text = rng.choice(_CUES[:-1])
    cs, ce = b.put(cue_text)
    b.put(" que ")
    content_start = b.length
    etype, verb, roles = rng.choice(_TRIGGERS)
    args: list[dict[str, str]] = []
    args.append({"role": "AGENT", "ref": _entity(b, rng.choice(_ROLE_TYPES["AGENT"]), layer, astral)})
    b.put(" a ")
    ts, te = b.put(verb)
    b.put(" ")
    args.append({"role": "TARGET", "ref": _entity(b, rng.choice(_ROLE_TYPES["TARGET"]), layer, astral)})
    if "INSTRUMENT" in roles:
        b.put(" avec ")
        args.append({"role": "INSTRUMENT", "ref": _entity(b, "WEAPON", layer, astral)})
    b.put(" à ")
    args.append({"role": "PLACE", "ref": _entity(b, rng.choice(_ROLE_TYPES["PLACE"]), layer, astral)})
    b.put(" ")
    surface, ttype, value = _timex_phrase(rng, b.dct)
    if ttype == "DURATION":
        b.put("depuis ")
    xs, xe = b.put(surface)
    tid = b.next_id("T")
    layer["timexes"].append(
        {
            "id": tid,
            "start": xs,
            "end": xe,
            "text": surface,
            "type": ttype,
            "value": value,
            "anchor": "DCT",
            "mod": "APPROX" if ttype == "TIME" else None,
        }
    )
    if ttype != "DURATION":
        args.append({"role": "TIME", "ref": tid})
    content_end = b.length
    b.put(". ")
    ev_id = b.next_id("V")
    low = rng.randrange(0, 20)
    layer["events"].append(
        {
            "id": ev_id,
            "type": etype,
            "trigger": {"start": ts, "end": te, "text": verb},
            "realis": rng.choice(["ACTUAL", "ACTUAL", "GENERIC", "OTHER"]),
            "fatalities": rng.choice(
                [None, {"min": low, "max": None}, {"min": low, "max": low + rng.randrange(5)}]
            ),
            "arguments": args,
        }
    )
    content: dict[str, Any] = {
        "start": content_start,
        "end": content_end,
        "text": b.text[content_start:content_end],
    }
    if rng.random() < 0.3:
        content["id"] = b.next_id("C")
    layer["attributions"].append(
        {
            "id": b.next_id("A"),
            "source": source,
            "cue": {"start": cs, "end": ce, "text": cue_text},
            "content": [content],
            "events": [ev_id],
            "source_type": rng.choice(["STATE_MILITARY", "ARMED_GROUP", "MEDIA", None]),
            "claim": rng.choice(["ASSERTION", "RESPONSIBILITY_CLAIM", "DENIAL", "CASUALTY_TOLL"]),
            "certainty": rng.choice(["CERTAIN", "PROBABLE", "UNDERSPECIFIED"]),
            "quote": "INDIRECT",
        }
    )


def _entity_map(tax: Taxonomy) -> dict[str, str]:
    roles_of: dict[str, set[str]] = {t: set() for t in _NAMES}
    for role, types in _ROLE_TYPES.items():
        for t in types:
            roles_of[t].add(role)
    for role in ("AGENT", "TARGET", "INSTRUMENT", "PLACE", "TIME"):
        if not tax.has("roles", role):
            raise SecnewsError(make_finding("SYNTH_TAXONOMY_UNSUPPORTED", what=f"the role {role}"))
    out = {}
    for builtin, roles in roles_of.items():
        fits = [t for t in tax.entity_types if all(t in tax.role_accepts(r) for r in roles)]
        if not fits:
            raise SecnewsError(
                make_finding("SYNTH_TAXONOMY_UNSUPPORTED", what=f"an entity type accepted by {sorted(roles)}")
            )
        out[builtin] = builtin if builtin in fits else fits[0]
    return out


def _event_map(tax: Taxonomy) -> dict[str, str]:
    out = {}
    for builtin, _verb, roles in _TRIGGERS:
        fits = [t for t in tax.event_types if set(roles) <= tax.allowed_roles(t)]
        if not fits:
            raise SecnewsError(
                make_finding("SYNTH_TAXONOMY_UNSUPPORTED", what=f"an event type with roles {roles}")
            )
        out[builtin] = builtin if builtin in fits else fits[0]
    return out


_MAPS: dict[int, tuple[Taxonomy, dict[str, str], dict[str, str]]] = {}


def label_map(tax: Taxonomy) -> tuple[dict[str, str], dict[str, str]]:
    """Built-in entity and event types -> the taxonomy's (the identity for this repository's)."""
    hit = _MAPS.get(id(tax))
    if hit is None or hit[0] is not tax:
        hit = _MAPS[id(tax)] = (tax, _entity_map(tax), _event_map(tax))
    return hit[1], hit[2]


def _relabel(layers: dict[str, list[Any]], tax: Taxonomy) -> None:
    entities, events = label_map(tax)
    for ent in layers["entities"]:
        ent["type"] = entities[ent["type"]]
    for ev in layers["events"]:
        ev["type"] = events[ev["type"]]


def _empty_layers() -> dict[str, list[Any]]:
    return {"entities": [], "events": [], "attributions": [], "timexes": [], "relations": []}


def _relations(b: _Builder, layer: dict[str, list[Any]]) -> None:
    evs = layer["events"]
    if len(evs) >= 2:
        layer["relations"].append(
            {"id": b.next_id("R"), "type": "CAUSES", "head": evs[0]["id"], "tail": evs[1]["id"]}
        )
    by_text: dict[str, str] = {}
    for ent in layer["entities"]:
        first = by_text.setdefault(ent["text"], ent["id"])
        if first != ent["id"]:
            layer["relations"].append(
                {"id": b.next_id("R"), "type": "SAME_AS", "head": ent["id"], "tail": first}
            )


def _annotation_set(
    rng: random.Random, set_id: str, kind: str, status: str, layers: dict[str, Any], dct: date
) -> dict[str, Any]:
    ann: dict[str, Any] = {
        "id": set_id,
        "kind": kind,
        "annotator": "model:synth@1.0" if kind == "prediction" else f"annotator-{rng.randrange(1, 6)}",
        "status": status,
        "created": f"{dct.isoformat()}T10:{rng.randrange(60):02d}:00Z",
        "updated": rng.choice([None, f"{dct.isoformat()}T11:00:00Z"]),
        "origin": rng.choice(
            [
                None,
                {
                    "tool": "labelstudio",
                    "project": 1,
                    "task": rng.randrange(1, 999),
                    "annotation": rng.randrange(1, 9999),
                    "lead_time": 12.5,
                    "extra": {"unique_id": f"u{rng.randrange(10**6)}"},
                },
            ]
        ),
        "labels": {
            "relevant": rng.choice([True, False, None]),
            "countries": rng.choice([[], ["ML"], ["ML", "BF"]]),
        },
        **layers,
    }
    if kind == "prediction":
        for layer in ("entities", "events", "timexes"):
            for rec in ann[layer]:
                rec["score"] = round(rng.random(), 3)
    return ann


def generate_document(
    seed: int, *, sentences: int = 8, astral: bool | None = None, sets: int = 2
) -> dict[str, Any]:
    """A random valid document; the same seed always gives the same document."""
    rng = random.Random(seed)
    dct = date(2016, 1, 1) + timedelta(days=rng.randrange(3650))
    astral = rng.random() < 0.3 if astral is None else astral
    b = _Builder(rng=rng, dct=dct)
    layers = _empty_layers()
    title = f"Attaque près de {rng.choice(_NAMES['GPE'])}"
    b.put(title + "\n\n")
    for i in range(sentences):
        _sentence(b, layers, astral)
        if i % 3 == 2:
            b.put("\n\n")
    _relations(b, layers)
    tax = load_taxonomy()
    _relabel(layers, tax)
    text = b.text.rstrip()
    meta: dict[str, Any] = {
        "title": title,
        "published": dct.isoformat(),
        "source": "synthetic",
        "url": None,
        "language": load_project().language,
        "license": "CC0-1.0",
        "collection": "synth",
    }
    if rng.random() < 0.5:
        meta["notes"] = "generated by secnews.model.synth"
    annotations = [_annotation_set(rng, "gold", "human", "gold", layers, dct)]
    if sets > 1:
        pred_layers = {k: [dict(r) for r in v] for k, v in layers.items()}
        annotations.append(_annotation_set(rng, "pred-1", "prediction", "submitted", pred_layers, dct))
    return {
        "schema_version": tax.schema_version,
        "id": f"synth-{seed:08d}",
        "text": text,
        "meta": meta,
        "annotations": annotations,
    }


def iter_corpus(n: int, seed: int = 0, **opts: Any) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield generate_document(seed * 1_000_003 + i, **opts)


def generate_corpus(n: int, out_dir: Path, seed: int = 0, progress: Any = None, **opts: Any) -> int:
    """Write ``n`` documents under ``out_dir``; returns how many were written."""
    out_dir = Path(out_dir)
    count = 0
    for doc in iter_corpus(n, seed, **opts):
        save_document(doc, out_dir)
        count += 1
        if progress:
            progress(1)
    return count


def documents(**opts: Any) -> Any:
    """A hypothesis strategy of valid documents (shrinks towards short documents with few sentences)."""
    from hypothesis import strategies as st

    return st.builds(
        lambda seed, n, astral, sets: generate_document(seed, sentences=n, astral=astral, sets=sets, **opts),
        st.integers(0, 2**31 - 1),
        st.integers(1, 6),
        st.booleans(),
        st.integers(1, 2),
    )
