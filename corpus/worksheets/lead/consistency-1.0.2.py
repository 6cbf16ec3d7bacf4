"""Census for the gold consistency problems of /work/briefs/consistency-1.0.2.md (WiNER-notes review and
1.0.2 audit). Each section finds EVERY case of one pattern in the `gold` sets of corpus/documents/*.json and
prints it with its context, the roles/sources/relations that point at it, and its split. The decisions are
taken case by case in sweep-1.2-consistency.py (rulings 10.3, 12.25-12.2x of schema/GUIDELINES.md).
Run from the repository root:  python corpus/worksheets/lead/consistency-1.0.2.py [SECTION ...]
"""

import re
import sys
from collections import Counter
from pathlib import Path

from secnews.model.document import gold_set, read_document

D = Path("corpus/documents")
SPLIT = {}
for line in Path("corpus/splits.tsv").read_text(encoding="utf-8").splitlines():
    if line and not line.startswith("#") and not line.startswith("doc_id"):
        f = line.split("\t")
        SPLIT[f[0]] = f[1]
DOCS = [(p.stem, d, gold_set(d)) for p in sorted(D.glob("*.json")) for d in [read_document(p)] if gold_set(d)]

ODONYM = re.compile(
    r"(rue|avenue|av\.|boulevard|bd|place|pont|quai|porte|cours|cour|voie|chemin|rond[- ]points?|"
    r"promenade|allée|impasse|square|carrefour|passage|parvis|esplanade)\b",
    re.I,
)
STATION = re.compile(r"(station|métro)\b", re.I)


def ctx(t, s, e, w=50):
    return (t[max(0, s - w) : s] + "[" + t[s:e] + "]" + t[e : e + w]).replace("\n", " ")


def uses(g, eid):
    u = [f"{v['id']}:{a['role']}" for v in g["events"] for a in v["arguments"] if a["ref"] == eid]
    u += [f"{a['id']}:source" for a in g["attributions"] if a["source"] == eid]
    u += [f"{r['id']}:{r['type']}" for r in g["relations"] if eid in (r["head"], r["tail"])]
    return u


def inside(g, o):
    return [i for i in g["entities"] if i is not o and o["start"] <= i["start"] and i["end"] <= o["end"]]


def outer(g, i):
    return [o for o in g["entities"] if o is not i and o["start"] <= i["start"] and i["end"] <= o["end"]]


def show(i, d, g, e, note=""):
    print(
        f"  {i[12:]} [{SPLIT.get(i)}] {e['id']} «{e['text']}» {e['type']}/{e['mention']} {uses(g, e['id'])} {note}"
    )
    print(f"      … {ctx(d['text'], e['start'], e['end'])} …")


def head(title):
    print("\n" + "=" * 100 + "\n" + title + "\n" + "=" * 100)


def s_eponyms():
    """Names nested in an odonym (street, square, bridge, roundabout) or a station name (10.3 précision)."""
    head("A. names nested in odonyms / station names (10.3: the eponym is not annotated)")
    n = Counter()
    for i, d, g in DOCS:
        for o in g["entities"]:
            if o["type"] != "FAC" or o["mention"] != "NAM":
                continue
            is_odo = ODONYM.match(o["text"])
            is_sta = STATION.search(d["text"][max(0, o["start"] - 25) : o["start"]]) and not is_odo
            if not (is_odo or is_sta):
                continue
            for e in inside(g, o):
                n[e["type"]] += 1
                show(i, d, g, e, f"in {o['id']} «{o['text']}»" + (" (station)" if is_sta else ""))
    # eponyms annotated alone, right after a street word the odonym span does not cover
    for i, d, g in DOCS:
        t = d["text"]
        for e in g["entities"]:
            if (
                e["type"] == "PER"
                and e["mention"] == "NAM"
                and ODONYM.search(t[max(0, e["start"] - 12) : e["start"]].split(" ", 1)[-1])
                and not outer(g, e)
            ):
                n["alone"] += 1
                show(i, d, g, e, "PER after a street word, no odonym span")
    print("  count:", dict(n))


def s_buildings():
    """Person names nested in a building/park/place name that is not an odonym (palais Brognard, lycée Alexis de Tocqueville)."""
    head("B. person (eponym) names nested in other facility / place names")
    n = 0
    for i, d, g in DOCS:
        for o in g["entities"]:
            if o["type"] not in ("FAC", "GPE", "LOC") or ODONYM.match(o["text"]):
                continue
            for e in inside(g, o):
                if e["type"] == "PER" and e["mention"] == "NAM":
                    n += 1
                    show(i, d, g, e, f"in {o['id']} «{o['text']}» {o['type']}/{o['mention']}")
    print("  count:", n)


def show_overlaps(g, m, label):
    """Print ``label`` and every gold entity overlapping the match ``m``, with its uses."""
    es = [e for e in g["entities"] if e["start"] < m.end() and m.start() < e["end"]]
    print(
        label,
        "; ".join(f"{e['id']} «{e['text']}» {e['type']}/{e['mention']} {uses(g, e['id'])}" for e in es)
        or "-",
    )


def s_gare():
    """gare + name: 10.3 «gare Saint-Lazare» -> «Saint-Lazare» FAC/NAM (and «gare Saint-Lazare» FAC/NOM only as PLACE/TARGET)."""
    head("C. «gare (de) X»")
    for i, d, g in DOCS:
        for m in re.finditer(r"\b[gG]are (de |d'|d’|du )?[A-ZÉ][\w'’-]+( [A-ZÉ][\w-]+)?", d["text"]):
            show_overlaps(g, m, f"  {i[12:]} «{m.group(0)}»:")


def s_lower_heads():
    """FAC (and LOC/GPE) NAM whose span starts with a lower-case common noun and is not an odonym (10.3)."""
    head("D. lower-case head typed NAM (not an odonym)")
    n = 0
    for i, d, g in DOCS:
        for e in g["entities"]:
            if (
                e["type"] == "FAC"
                and e["mention"] == "NAM"
                and e["text"][0].islower()
                and not ODONYM.match(e["text"])
            ):
                n += 1
                show(
                    i,
                    d,
                    g,
                    e,
                    "nested: "
                    + ", ".join(f"{x['id']} {x['text']} {x['type']}/{x['mention']}" for x in inside(g, e)),
                )
    print("  count:", n)
    head("D'. the same names with an upper-case head, or as NOM, elsewhere")
    for i, d, g in DOCS:
        for e in g["entities"]:
            if (
                re.match(
                    r"(jardin|parc|château|cathédrale|préfecture de police|aéroport|lycée|palais)\b",
                    e["text"],
                    re.I,
                )
                and e["type"] == "FAC"
            ):
                show(i, d, g, e)


def s_prefecture():
    head("E. «préfecture de police (de Paris)» as an institution or a building")
    for i, d, g in DOCS:
        for e in g["entities"]:
            if re.match(r"préfecture de police", e["text"], re.I):
                show(i, d, g, e)


def s_idf():
    head("F. «France» inside «Île-de-France»")
    for i, d, g in DOCS:
        for m in re.finditer(r"[IÎ]le[- ]de[- ]France", d["text"]):
            show_overlaps(g, m, f"  {i[12:]} [{SPLIT.get(i)}] @{m.start()}:")


def s_movement_org():
    """The movement (gilets jaunes, Gjs) typed ORG (10.6: never ORG)."""
    head("G. protest movement typed ORG/PER")
    for i, d, g in DOCS:
        for e in g["entities"]:
            if re.search(r"\bgilets?\b|\bgj", e["text"], re.I) and e["type"] in ("ORG", "PER"):
                show(i, d, g, e)


def s_indefinite_nam():
    """NAM right after an indefinite determiner («un Gouvernement régional autonome»): a description, not a name."""
    head("H. NAM after an indefinite determiner")
    for i, d, g in DOCS:
        t = d["text"]
        for e in g["entities"]:
            pre = t[max(0, e["start"] - 6) : e["start"]]
            if e["mention"] == "NAM" and re.search(r"(^|\s)(un|une|des|d'un|d'une)\s$", pre, re.I):
                show(i, d, g, e)


DEMONYM = re.compile(
    r"^[A-ZÉ][a-zéèëïî]+(ais|aises|ois|oises|ains|aines|iens|iennes|ens|ennes|ois|ans|anes|ites|istes|is|ques|es)$"
)


def s_demonyms():
    """Capitalised demonym nouns (Camerounais, Iraniens, Asiatiques) and how they are annotated."""
    head("I. demonym nouns")
    n = Counter()
    skip = {"Gilets", "Champs", "Élysées", "Etats", "États", "Nations"}
    for i, d, g in DOCS:
        t = d["text"]
        for m in re.finditer(
            r"\b[A-ZÉ][a-zéèëïî]+(?:ais|aises|ois|oises|ains|aines|iens|iennes|éens|éennes|ites|ques|ans)\b",
            t,
        ):
            if m.group(0) in skip:
                continue
            if re.search(r"[.!?»\n]\s*$", t[max(0, m.start() - 3) : m.start()]) or m.start() == 0:
                pass
            es = [e for e in g["entities"] if e["start"] == m.start() and e["end"] == m.end()]
            # only plural/agentive uses as nouns: preceded by a determiner or a numeral
            if not re.search(
                r"(\b(les|des|de|d'|deux|trois|\d+)\s|d'|l')$", t[max(0, m.start() - 6) : m.start()], re.I
            ):
                continue
            key = f"{es[0]['type']}/{es[0]['mention']}" if es else "-"
            n[key] += 1
            if es:
                show(i, d, g, es[0])
            else:
                print(f"  {i[12:]} [{SPLIT.get(i)}] not annotated: … {ctx(t, m.start(), m.end())} …")
    print("  count:", dict(n))


def s_audit():
    """Audit notes: PLACE taken from an agreement's name; confessions' claim type; armed-group leaders' source type."""
    head("J. agreement names, confessions, armed-group leaders as sources")
    for i, d, g in DOCS:
        E = {e["id"]: e for e in g["entities"]}
        t = d["text"]
        for v in g["events"]:
            if v["type"] != "AGREEMENT":
                continue
            names = [
                o
                for o in g["entities"]
                if o["type"] == "MISC" and o["start"] <= v["trigger"]["start"] < o["end"]
            ]
            for o in names:
                nested = [x for x in inside(g, o) if x["type"] in ("GPE", "LOC", "FAC")]
                place = [a["ref"] for a in v["arguments"] if a["role"] == "PLACE"]
                print(
                    f"  {i[12:]} {v['id']} «{o['text']}» nested {[x['text'] for x in nested]} PLACE {[E[r]['text'] for r in place if r in E]}"
                )
        for a in g["attributions"]:
            if re.search(r"avou|aveu|reconn|confess|admet|admis", a["cue"]["text"], re.I):
                print(f"  {i[12:]} {a['id']} cue «{a['cue']['text']}» {a['claim']} {a['source_type']}")
            s = E.get(a["source"])
            if (
                s
                and s["type"] == "PER"
                and re.search(
                    r"\b(chef|leaders?|porte-parole|émir|dirigeant)\b",
                    t[max(0, s["start"] - 60) : s["end"] + 40],
                    re.I,
                )
            ):
                print(
                    f"  {i[12:]} {a['id']} source «{s['text']}» {a['source_type']} … {ctx(t, s['start'], s['end'], 40)} …"
                )


SECTIONS = {
    "A": s_eponyms,
    "B": s_buildings,
    "C": s_gare,
    "D": s_lower_heads,
    "E": s_prefecture,
    "F": s_idf,
    "G": s_movement_org,
    "H": s_indefinite_nam,
    "I": s_demonyms,
    "J": s_audit,
}
for k in sys.argv[1:] or SECTIONS:
    SECTIONS[k]()
