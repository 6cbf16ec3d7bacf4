"""Guide 1.2 census: for each of the 23 open questions of the 1.0.2 hand adjudication
(/work/briefs/open-questions-1.0.2.md, listed at the end of corpus/adjudication/*.review.md), count what
the `gold` sets of corpus/documents/*.json do now and print a few examples. Run from the repository root:

    python corpus/worksheets/lead/rulings-1.2-census.py [Q ...]

The figures are quoted in schema/GUIDELINES.md section 12; corpus/worksheets/lead/rulings-1.2.md keeps the
output before and after the 1.2 sweeps.
"""

import re
import sys
from collections import Counter, defaultdict
from datetime import date
from itertools import pairwise
from pathlib import Path

from secnews.model.document import gold_set, read_document

ROOT = Path(sys.argv[sys.argv.index("--root") + 1]) if "--root" in sys.argv else Path(".")
D = ROOT / "corpus/documents"
SPLIT = {}
for line in (ROOT / "corpus/splits.tsv").read_text(encoding="utf-8").splitlines():
    if line and not line.startswith("#") and not line.startswith("doc_id"):
        f = line.split("\t")
        SPLIT[f[0]] = f[1]

DOCS = []
for p in sorted(D.glob("*.json")):
    d = read_document(p)
    g = gold_set(d)
    if g is not None:
        DOCS.append((p.stem, d, g))

SHOW = 6


def ctx(t, s, e, w=45):
    return (t[max(0, s - w) : s] + "[" + t[s:e] + "]" + t[e : e + w]).replace("\n", " ")


def sentence_bounds(t):
    """Sentence ends: . ! ? followed by space/newline and an upper-case letter or a quote, or a blank line."""
    cuts = [0]
    for m in re.finditer(r"(?<=[.!?»])\s+(?=[«A-ZÀ-Ý0-9\"“])|\n+", t):
        cuts.append(m.end())
    cuts.append(len(t) + 1)
    return sorted(set(cuts))


def sent_of(bounds, pos):
    lo, hi = 0, len(bounds) - 1
    while lo < hi - 1:
        mid = (lo + hi) // 2
        if bounds[mid] <= pos:
            lo = mid
        else:
            hi = mid
    return lo


def byid(g):
    m = {}
    for layer in ("entities", "timexes", "events", "attributions"):
        for r in g[layer]:
            m[r["id"]] = r
    return m


def head(title):
    print()
    print("=" * 100)
    print(title)
    print("=" * 100)


def examples(rows, n=SHOW):
    for r in rows[:n]:
        print("   ", *r)


# --------------------------------------------------------------------------------------------------
def q1():
    head("Q1 calls to go somewhere (aller/venir/irons/allez) as planned protest events")
    verbs = re.compile(
        r"\b(aller|venir|allez|irons|iront|rendez-vous|rassembler|manifester|descendre)\b", re.I
    )
    ann, not_ann = [], []
    for i, d, g in DOCS:
        t = d["text"]
        trig = {(e["trigger"]["start"], e["trigger"]["end"]): e for e in g["events"]}
        for m in verbs.finditer(t):
            near = t[max(0, m.start() - 80) : m.start()]
            if not re.search(r"appel|appelé|appellé|appelle|invit|incit|exhort|n'|ne |nous", near, re.I):
                continue
            ev = trig.get((m.start(), m.end()))
            if ev:
                ann.append((i, ev["type"], ev["realis"], ctx(t, m.start(), m.end())))
            elif g["labels"].get("relevant"):
                not_ann.append((i, "-", ctx(t, m.start(), m.end())))
    print(
        f"  movement/protest verbs after a call word: annotated as event {len(ann)}, not annotated {len(not_ann)}"
    )
    print("  annotated by type/realis:", Counter((a[1], a[2]) for a in ann))
    examples(ann, 10)
    print("  not annotated:")
    examples(not_ann, 12)
    oth = Counter()
    for _i, _d, g in DOCS:
        for e in g["events"]:
            if (
                e["type"] in ("PEACEFUL_PROTEST", "VIOLENT_DEMONSTRATION", "PROTEST_WITH_INTERVENTION")
                and e["realis"] == "OTHER"
            ):
                oth[e["trigger"]["text"].lower()] += 1
    print("  protest events realis OTHER, by trigger:", dict(oth.most_common()))


def q2():
    head("Q2 «journée» (des gilets jaunes / cette journée / la 21ème journée): timex, event or both")
    tx_only, ev_only, both, none_ = [], [], [], []
    for i, d, g in DOCS:
        t = d["text"]
        for m in re.finditer(r"\bjournées?\b", t):
            s, e = m.start(), m.end()
            tx = [x for x in g["timexes"] if x["start"] <= s and e <= x["end"]]
            ev = [x for x in g["events"] if x["trigger"]["start"] == s]
            row = (
                i,
                ctx(t, s, e),
                "TIMEX " + tx[0]["text"] + " " + str(tx[0]["value"]) if tx else "",
                ev[0]["type"] if ev else "",
            )
            (both if tx and ev else tx_only if tx else ev_only if ev else none_).append(row)
    print(
        f"  occurrences: timex only {len(tx_only)}, event only {len(ev_only)}, both {len(both)}, neither {len(none_)}"
    )
    print("  timex only:")
    examples(tx_only, 12)
    print("  event only:")
    examples(ev_only, 12)
    print("  both:")
    examples(both)
    print("  neither (relevant docs):")
    examples([r for r in none_ if DOCMAP[r[0]][1]["labels"].get("relevant")], 8)


def q3():
    head("Q3 TIME of a measure (ban, curfew, closure): stamp of the announcement or time it takes effect")
    measure = re.compile(
        r"interdi|couvre-feu|ferm|évacu|état d'urgence|suspen|annul|restrict|bouclé|confin", re.I
    )
    rows = []
    for i, d, g in DOCS:
        t = d["text"]
        m = byid(g)
        b = sentence_bounds(t)
        for e in g["events"]:
            if e["type"] != "OTHER" or not measure.search(e["trigger"]["text"]):
                continue
            times = [m[a["ref"]] for a in e["arguments"] if a["role"] == "TIME"]
            s = sent_of(b, e["trigger"]["start"])
            stext = t[b[s] : b[s + 1]].strip()[:200]
            rows.append((i, e["id"], e["trigger"]["text"], [x["text"] for x in times], "|", stext))
    multi = [r for r in rows if len(r[3]) > 1]
    print(
        f"  OTHER measure events: {len(rows)}; with TIME {sum(1 for r in rows if r[3])}; with 2+ TIME {len(multi)}"
    )
    examples(rows, 40)


def q4():
    head("Q4 one entity both TARGET and PLACE of one event")
    rows = []
    tot = 0
    for i, _d, g in DOCS:
        m = byid(g)
        for e in g["events"]:
            roles = defaultdict(set)
            for a in e["arguments"]:
                roles[a["ref"]].add(a["role"])
            for ref, rs in roles.items():
                if {"TARGET", "PLACE"} <= rs:
                    rows.append((i, e["id"], e["type"], e["trigger"]["text"], m[ref]["id"], m[ref]["text"]))
            tot += any(
                a["role"] == "TARGET" and m[a["ref"]]["type"] in ("FAC", "GPE", "LOC") for a in e["arguments"]
            )
    print(
        f"  events with a place-type TARGET: {tot}; events with one entity as both TARGET and PLACE: {len(rows)}"
    )
    examples(rows, 30)


WD = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def q5():
    head("Q5 weekday that contradicts the explicit date")
    rows, ok = [], 0
    for i, d, g in DOCS:
        t = d["text"]
        for x in g["timexes"]:
            v = x.get("value") or ""
            mm = re.match(r"^(\d{4})-(\d{2})-(\d{2})", v)
            # a weekday written in the span or just before it
            before = t[max(0, x["start"] - 12) : x["start"]].lower()
            w = [
                k
                for k, n in enumerate(WD)
                if re.search(rf"\b{n}\b", x["text"].lower()) or re.search(rf"\b{n}\s+$", before)
            ]
            if not mm or not w or not re.search(r"\d", x["text"]):
                continue
            real = date(int(mm[1]), int(mm[2]), int(mm[3])).weekday()
            if real in w:
                ok += 1
            else:
                rows.append(
                    (
                        i,
                        x["id"],
                        repr(x["text"]),
                        v,
                        "written",
                        [WD[k] for k in w],
                        "real",
                        WD[real],
                        ctx(t, x["start"], x["end"], 20),
                    )
                )
    print(f"  weekday+date timexes: agree {ok}, contradict {len(rows)}")
    examples(rows, 20)


QUANT = [
    "autres",
    "d'autres",
    "quelque",
    "près de",
    "environ",
    "plus de",
    "moins de",
    "au moins",
    "une dizaine de",
    "près d'",
    "plus d'",
]


def q6():
    head(
        "Q6 «autres», «quelque», «près de», «environ», «plus de» before a noun/number: in the entity span or not"
    )
    inside, outside = defaultdict(list), defaultdict(list)
    for i, d, g in DOCS:
        t = d["text"]
        for e in g["entities"]:
            if e["mention"] != "NOM" and not re.match(r"^\d", e["text"]):
                continue
            low = e["text"].lower().replace("’", "'")
            before = t[max(0, e["start"] - 14) : e["start"]].lower().replace("’", "'")
            for q in ("autres", "quelque", "près de", "près d'", "environ", "plus de", "plus d'", "moins de"):
                if (
                    low.startswith(q + " ")
                    or (q.endswith("'") and low.startswith(q))
                    or low.startswith("d'" + q + " ")
                    or low.startswith("les " + q)
                ):
                    inside[q].append((i, e["id"], e["type"], repr(e["text"])))
                elif re.search(rf"(?:^|[\s'(]){re.escape(q)}\s*$", before) or (
                    q.endswith("'") and before.endswith(q)
                ):
                    outside[q].append((i, e["id"], e["type"], repr(ctx(t, e["start"], e["end"], 18))))
    for q in sorted(set(inside) | set(outside)):
        print(f"  {q!r}: inside {len(inside[q])}, outside {len(outside[q])}")
        examples(inside[q], 4)
        examples(outside[q], 4)
    # also: "autres" as the last word of the mention (e.g. «300 autres»), and «autre(s)» inside
    mid = [
        (i, e["id"], e["text"])
        for i, d, g in DOCS
        for e in g["entities"]
        if re.search(r"\bautres?\b", e["text"])
    ]
    print(f"  mentions containing autre(s) anywhere: {len(mid)}")
    examples(mid, 30)


def q7():
    head("Q7 date + hour: one timex or two")
    split, single = [], []
    for i, d, g in DOCS:
        t = d["text"]
        tx = sorted(g["timexes"], key=lambda x: x["start"])
        for a, b in pairwise(tx):
            gap = t[a["end"] : b["start"]]
            if (
                a["type"] == "DATE"
                and b["type"] == "TIME"
                and len(gap) <= 8
                and re.fullmatch(r"[\s,]*(à|vers|,)?[\s,]*", gap)
            ):
                split.append((i, a["id"], repr(a["text"]), "+", b["id"], repr(b["text"]), b["value"]))
            if (
                a["type"] == "TIME"
                and b["type"] == "TIME"
                and re.fullmatch(r"[\s,]*(à|vers|,)?[\s,]*", gap)
                and re.search(r"matin|soir|midi|nuit|après-midi", a["text"], re.I)
            ):
                split.append((i, a["id"], repr(a["text"]), "+", b["id"], repr(b["text"]), b["value"]))
        for x in tx:
            if (
                x["type"] == "TIME"
                and re.search(r"\d{1,2} ?h|heure", x["text"])
                and re.search(
                    r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)|matin|soir|nuit|demain|hier|aujourd)",
                    x["text"],
                    re.I,
                )
            ):
                single.append((i, x["id"], repr(x["text"]), x["value"]))
    print(
        f"  split into two adjacent timexes: {len(split)}; one timex with day/part-of-day and hour: {len(single)}"
    )
    print("  split:")
    examples(split, 14)
    print("  single:")
    examples(single, 14)


def q8():
    head("Q8 ages («26 ans») as DURATION timexes")
    ann, not_ann = [], []
    for i, d, g in DOCS:
        t = d["text"]
        if not g["labels"].get("relevant"):
            continue
        for m in re.finditer(r"\b(\d+|[a-z]+) ans\b", t):
            before = t[max(0, m.start() - 25) : m.start()]
            if not re.search(r"(âgée?s? de|de|d'|,)\s*$", before) and "âg" not in before:
                continue
            if re.search(
                r"depuis|il y a|pendant|plus de|après|durant|ces|des|dernières|prochaines", before[-14:]
            ):
                continue
            tx = [x for x in g["timexes"] if x["start"] <= m.start() and m.end() <= x["end"]]
            row = (i, ctx(t, m.start(), m.end(), 30), tx[0]["type"] + " " + str(tx[0]["value"]) if tx else "")
            (ann if tx else not_ann).append(row)
    print(f"  age-like «N ans» after de/âgé de: annotated timex {len(ann)}, not annotated {len(not_ann)}")
    print("  annotated by type:", Counter(r[2].split()[0] for r in ann))
    examples(ann, 10)
    print("  not annotated:")
    examples(not_ann, 20)


def q9():
    head("Q9 ministry names inside titles («ministre de la Justice»): nested ORG NAM or not")
    nested, not_nested = [], []
    for i, d, g in DOCS:
        t = d["text"]
        for m in re.finditer(
            r"\bministres? (?:de l'|de l’|de la |des |du |de )?([A-ZÉ][\wéèêàâîôûç'’\- ]*)", t
        ):
            s = m.start(1)
            word = re.match(
                r"[A-ZÉ][\wéèêàâîôûç\-]*(?: (?:et|de|des|du|la|l'|de la) [A-ZÉ][\wéèêàâîôûç\-]*)*", t[s:]
            )
            e = s + len(word.group(0))
            ent = [x for x in g["entities"] if x["start"] <= s < x["end"]]
            row = (i, ctx(t, m.start(), e, 10), [(x["text"], x["type"], x["mention"]) for x in ent])
            (
                nested if any(x["start"] >= m.start(1) or x["type"] == "ORG" for x in ent) else not_nested
            ).append(row)
    print(f"  «ministre de X»: X annotated {len(nested)}, not annotated {len(not_nested)}")
    examples(nested, 14)
    print("  not:")
    examples(not_nested, 14)


def q10():
    head("Q10 lower-case named events («guerre civile syrienne») as MISC NAM")
    misc_low = [
        (i, e["id"], e["text"], e["mention"])
        for i, d, g in DOCS
        for e in g["entities"]
        if e["type"] == "MISC" and e["text"][:1].islower()
    ]
    print(f"  MISC mentions starting lower-case: {len(misc_low)}")
    examples(misc_low, 30)
    rows = []
    for i, d, g in DOCS:
        t = d["text"]
        for m in re.finditer(
            r"\bguerre (civile|froide|d['’]\w+|du \w+|de \w+|en \w+|mondiale|\w+ienne|\w+aise)\b[\w ]{0,12}",
            t,
        ):
            ent = [x for x in g["entities"] if x["start"] <= m.start() < x["end"]]
            rows.append(
                (i, ctx(t, m.start(), m.end(), 5), [(x["text"], x["type"], x["mention"]) for x in ent])
            )
    print(f"  «guerre X» occurrences {len(rows)}, annotated {sum(1 for r in rows if r[2])}")
    examples(rows, 30)


VAGUE = {
    "revers",
    "cible",
    "ciblé",
    "ciblée",
    "ciblés",
    "enquête",
    "plainte",
    "recherché",
    "recherchée",
    "contrôle",
    "sommé",
    "alerte",
    "levée",
    "levé",
    "investigation",
    "perquisition",
    "perquisitions",
    "poursuites",
    "poursuivi",
    "procès",
    "condamné",
    "condamnée",
    "jugé",
    "audition",
    "entendu",
    "interrogé",
}


def q11():
    head("Q11 vague nouns and minor police/legal acts as event triggers")
    ann = Counter()
    ex = defaultdict(list)
    occ = Counter()
    for i, d, g in DOCS:
        t = d["text"]
        if not g["labels"].get("relevant"):
            continue
        trig = {e["trigger"]["start"]: e for e in g["events"]}
        for m in re.finditer(r"\b[\wéèêàâç-]+\b", t):
            w = m.group(0).lower()
            if w in VAGUE:
                occ[w] += 1
                e = trig.get(m.start())
                if e:
                    ann[w] += 1
                    ex[w].append((i, e["type"], e["realis"], ctx(t, m.start(), m.end(), 30)))
    for w in sorted(occ, key=lambda k: -occ[k]):
        print(f"  {w!r}: {ann[w]} / {occ[w]} occurrences are triggers")
        examples(ex[w], 3)


def q12():
    head("Q12 attribution content with inner guillemets vs split content spans")
    inner, split, direct = [], [], Counter()
    for i, _d, g in DOCS:
        for a in g["attributions"]:
            direct[a["quote"]] += 1
            if any("«" in c["text"] or "»" in c["text"] for c in a["content"]):
                inner.append((i, a["id"], a["quote"], [c["text"][:90] for c in a["content"]]))
            elif len(a["content"]) > 1:
                split.append((i, a["id"], a["quote"], [c["text"][:50] for c in a["content"]]))
    mixed_inner = sum(1 for r in inner if r[2] == "MIXED")
    mixed_split = sum(1 for r in split if r[2] == "MIXED")
    print(f"  attributions by quote: {dict(direct)}")
    print(
        f"  content with guillemets inside: {len(inner)} (MIXED {mixed_inner}); several content spans: {len(split)} (MIXED {mixed_split})"
    )
    examples(inner, 10)
    print("  split:")
    examples(split, 10)


def q13():
    head("Q13 arguments from another sentence; several PLACE/TIME per event")
    same, other = Counter(), Counter()
    rows = defaultdict(list)
    multi = Counter()
    mex = defaultdict(list)
    title_ev = [0, 0]
    for i, d, g in DOCS:
        t = d["text"]
        b = sentence_bounds(t)
        m = byid(g)
        for e in g["events"]:
            s = sent_of(b, e["trigger"]["start"])
            is_title = s == 0
            for a in e["arguments"]:
                r = m[a["ref"]]
                if sent_of(b, r["start"]) == s:
                    same[a["role"]] += 1
                else:
                    other[a["role"]] += 1
                    rows[a["role"]].append(
                        (i, e["id"], e["trigger"]["text"], a["role"], r["text"], "title" if is_title else "")
                    )
            if is_title:
                title_ev[0] += 1
                title_ev[1] += any(sent_of(b, m[a["ref"]]["start"]) != s for a in e["arguments"])
            for role in ("PLACE", "TIME"):
                k = [m[a["ref"]]["text"] for a in e["arguments"] if a["role"] == role]
                multi[(role, min(len(k), 3))] += 1
                if len(k) > 1:
                    mex[role].append((i, e["id"], e["trigger"]["text"], k))
    for role in sorted(set(same) | set(other)):
        print(f"  {role}: same sentence {same[role]}, other sentence {other[role]}")
    print(f"  title events: {title_ev[0]}, with an argument from the body: {title_ev[1]}")
    for role in ("PLACE", "TIME"):
        print(
            f"  {role} per event: 0:{multi[(role, 0)]} 1:{multi[(role, 1)]} 2+:{multi[(role, 2)] + multi[(role, 3)]}"
        )
        examples(mex[role], 8)
    for role in ("AGENT", "TARGET", "PLACE", "TIME"):
        print(f"  other-sentence {role}:")
        examples(rows[role], 5)


def q14():
    head("Q14 span of a description with age/origin («homme de 56 ans», «cogérant âgé de 29 ans»)")
    inside, outside = [], []
    for i, d, g in DOCS:
        t = d["text"]
        for e in g["entities"]:
            if e["type"] not in ("PER", "ARMED_GROUP", "PROTESTER", "RIOTER") or e["mention"] != "NOM":
                continue
            if re.search(r"\b(âgée?s? de|de \d+ ans|d['’]origine|de \w+ ans)\b", e["text"]):
                inside.append((i, e["id"], repr(e["text"])))
            elif re.match(
                r"\s*,?\s*(âgée?s? de|de \d+ ans|d['’]origine|de \w+ ans\b)", t[e["end"] : e["end"] + 30]
            ):
                outside.append((i, e["id"], repr(ctx(t, e["start"], e["end"], 25))))
    print(
        f"  NOM person mentions: age/origin inside the span {len(inside)}, right after the span (outside) {len(outside)}"
    )
    examples(inside, 20)
    print("  outside:")
    examples(outside, 20)


def q15():
    head("Q15 demonstration that turns violent: types of mentions linked by SAME_EVENT")
    pairs = Counter()
    ex = []
    for i, _d, g in DOCS:
        m = byid(g)
        for r in g["relations"]:
            if r["type"] != "SAME_EVENT":
                continue
            a, b = m.get(r["head"]), m.get(r["tail"])
            if not a or not b:
                continue
            k = tuple(sorted((a["type"], b["type"])))
            prot = {"PEACEFUL_PROTEST", "VIOLENT_DEMONSTRATION", "PROTEST_WITH_INTERVENTION"}
            if set(k) <= prot:
                pairs[k] += 1
                if k[0] != k[1]:
                    ex.append((i, a["trigger"]["text"], a["type"], "~", b["trigger"]["text"], b["type"]))
    print("  SAME_EVENT between protest/riot mentions:", dict(pairs))
    examples(ex, 12)
    both = [
        i
        for i, d, g in DOCS
        if {"PEACEFUL_PROTEST", "VIOLENT_DEMONSTRATION"} <= {e["type"] for e in g["events"]}
    ]
    print(f"  documents with both PEACEFUL_PROTEST and VIOLENT_DEMONSTRATION: {len(both)}")
    # «dégénéré», «tourne à l'affrontement»...
    rows = []
    for i, d, g in DOCS:
        t = d["text"]
        trig = {e["trigger"]["start"]: e for e in g["events"]}
        for mm in re.finditer(r"\b(dégénér\w*|tourn\w* (?:à|en) \w+)", t):
            e = trig.get(mm.start())
            rows.append((i, e["type"] if e else "-", ctx(t, mm.start(), mm.end(), 40)))
    print("  «dégénérer»/«tourner à»:")
    examples(rows, 10)


def q16():
    head("Q16 multi-word triggers («ouvert le feu» vs «feu»)")
    multi = Counter()
    feu = Counter()
    fex = []
    for i, d, g in DOCS:
        t = d["text"]
        for e in g["events"]:
            tt = e["trigger"]["text"]
            if " " in tt or "'" in tt or "’" in tt:
                multi[tt.lower()] += 1
            if re.search(r"\bfeu\b", tt):
                before = t[max(0, e["trigger"]["start"] - 14) : e["trigger"]["start"]]
                k = (
                    "ouvert le feu (whole)"
                    if re.search(r"ouv\w+ le feu", tt)
                    else ("feu after «ouvert le»" if re.search(r"ouv\w+ le\s*$", before) else "feu (other)")
                )
                feu[k] += 1
                fex.append((i, e["id"], k, ctx(t, e["trigger"]["start"], e["trigger"]["end"], 20)))
    print("  «feu» triggers:", dict(feu))
    examples(fex, 12)
    print(f"  multi-word triggers: {sum(multi.values())}:", dict(multi.most_common()))


def q17():
    head("Q17 anchors other than DCT")
    k = Counter()
    rows = []
    for i, d, g in DOCS:
        t = d["text"]
        m = byid(g)
        for x in g["timexes"]:
            a = x.get("anchor") or "DCT"
            if a == "DCT":
                k["DCT"] += 1
                continue
            an = m.get(a)
            before = t[max(0, an["start"] - 60) : an["start"]] if an else ""
            kind = (
                "communiqué/dépêche"
                if re.search(
                    r"communiqué|dépêche|déclaration|conférence|annonc|selon|AFP",
                    before + (t[an["end"] : an["end"] + 40] if an else ""),
                    re.I,
                )
                else "date in the narrative"
            )
            k[kind] += 1
            rows.append(
                (i, x["id"], repr(x["text"]), x["value"], "anchor", a, repr(an["text"]) if an else "?", kind)
            )
    print("  anchors:", dict(k))
    examples(rows, 30)
    # relative expressions anchored on DCT although a narrative date is the reference
    rel = re.compile(
        r"lendemain|veille|plus tard|plus tôt|auparavant|suivant|précédent|même jour|après|avant", re.I
    )
    rr = []
    for i, _d, g in DOCS:
        for x in g["timexes"]:
            if rel.search(x["text"]) and (x.get("anchor") or "DCT") == "DCT":
                rr.append((i, x["id"], repr(x["text"]), x["value"]))
    print(f"  relative-to-another-date expressions anchored DCT: {len(rr)}")
    examples(rr, 20)


def q18():
    head("Q18 «victime(s)» as event trigger")
    k = Counter()
    ex = []
    ents = 0
    for i, d, g in DOCS:
        t = d["text"]
        for e in g["events"]:
            if re.match(r"victimes?$", e["trigger"]["text"], re.I):
                k[e["type"]] += 1
                ex.append(
                    (
                        i,
                        e["id"],
                        e["type"],
                        e["fatalities"],
                        ctx(t, e["trigger"]["start"], e["trigger"]["end"], 35),
                    )
                )
        ents += sum(1 for e in g["entities"] if re.search(r"\bvictimes?\b", e["text"], re.I))
    print(f"  «victime(s)» triggers by type: {dict(k)}; entity mentions containing «victime(s)»: {ents}")
    examples(ex, 30)


def q19():
    head("Q19 speech that is not a claim (orders, shouts)")
    cues = Counter()
    rows = []
    for i, _d, g in DOCS:
        for a in g["attributions"]:
            c = a["cue"]["text"].lower()
            cues[c] += 1
            if re.search(r"cri|hurl|ordonn|lanc|scand|interpell|somm|invectiv|menac", c) or any(
                re.search(
                    r"allahou|akbar|dieu est grand|bougez|pas un geste|haut les mains|!", x["text"], re.I
                )
                for x in a["content"]
            ):
                rows.append(
                    (i, a["id"], a["cue"]["text"], a["claim"], [x["text"][:60] for x in a["content"]])
                )
    print(f"  attributions on orders/shouts/threats: {len(rows)}")
    examples(rows, 20)
    rr = []
    for i, d, g in DOCS:
        t = d["text"]
        for mm in re.finditer(r"(crian\w*|cri[ée]\w*|hurl\w+|scand\w+)\s*(?:[«:\"]|\w+ \w+ «)", t):
            s = mm.start()
            has = any(a["cue"]["start"] <= s < a["cue"]["end"] for a in g["attributions"])
            rr.append((i, has, ctx(t, s, mm.end(), 40)))
    print(
        f"  shouts in the text (criant/crié/hurlé/scandé): {len(rr)}, with an attribution {sum(1 for r in rr if r[1])}"
    )
    examples(rr, 12)


def q20():
    head("Q20 which mention carries a death toll")
    # For CAUSES attack -> DEATH with a toll: does the cause mention carry it? And its SAME_EVENT mates?
    carried, not_carried, rows = 0, 0, []
    mates_with, mates_without = 0, 0
    for i, _d, g in DOCS:
        m = byid(g)
        same = defaultdict(set)
        for r in g["relations"]:
            if r["type"] == "SAME_EVENT":
                same[r["head"]].add(r["tail"])
                same[r["tail"]].add(r["head"])
        for r in g["relations"]:
            if r["type"] != "CAUSES":
                continue
            c, dth = m.get(r["head"]), m.get(r["tail"])
            if (
                not c
                or not dth
                or dth["type"] != "DEATH"
                or not dth.get("fatalities")
                or dth["fatalities"].get("min") is None
            ):
                continue
            if c.get("fatalities") and c["fatalities"].get("min") is not None:
                carried += 1
            else:
                not_carried += 1
                rows.append(
                    (i, c["id"], c["trigger"]["text"], "-> DEATH", dth["trigger"]["text"], dth["fatalities"])
                )
            for mate in same[c["id"]]:
                mm = m.get(mate)
                if mm and mm["type"] not in ("DEATH", "INJURY"):
                    if mm.get("fatalities") and mm["fatalities"].get("min") is not None:
                        mates_with += 1
                    else:
                        mates_without += 1
    print(f"  CAUSES cause -> DEATH with toll: cause carries a toll {carried}, not {not_carried}")
    print(f"  SAME_EVENT mates of those causes: with toll {mates_with}, without {mates_without}")
    examples(rows, 15)


def q21():
    head("Q21 relevance: relevant documents with few ACTUAL events (analysis, background, forecast)")
    rows = []
    rel = Counter()
    for i, d, g in DOCS:
        r = g["labels"].get("relevant")
        rel[r] += 1
        if r:
            k = Counter(e["realis"] for e in g["events"])
            if k["ACTUAL"] <= 2 or k["ACTUAL"] < k["GENERIC"] + k["OTHER"]:
                rows.append((i, SPLIT.get(i), dict(k), d["meta"]["title"][:80]))
    print("  relevant:", dict(rel), f"; relevant with <=2 ACTUAL or mostly GENERIC/OTHER events: {len(rows)}")
    examples(rows, 25)
    print("  not relevant:")
    examples(
        [(i, SPLIT.get(i), d["meta"]["title"][:80]) for i, d, g in DOCS if not g["labels"].get("relevant")],
        40,
    )


def q22():
    head("Q22 elliptical live-blog entries; «en semaine», «Pendant ce temps» as timexes")
    for pat in (
        r"\ben semaine\b",
        r"\b[Pp]endant ce temps\b",
        r"\b[Ee]n même temps\b",
        r"\b[Aa]u même moment\b",
        r"\bentre-temps\b",
        r"\ben fin de semaine\b",
        r"\ble week-end\b",
        r"\bchaque (samedi|semaine|jour)\b",
    ):
        occ, ann, ex = 0, 0, []
        for i, d, g in DOCS:
            t = d["text"]
            for mm in re.finditer(pat, t):
                occ += 1
                tx = [x for x in g["timexes"] if x["start"] < mm.end() and mm.start() < x["end"]]
                ann += bool(tx)
                ex.append(
                    (
                        i,
                        tx[0]["type"] + " " + str(tx[0]["value"]) if tx else "-",
                        ctx(t, mm.start(), mm.end(), 25),
                    )
                )
        print(f"  {pat}: {occ} occurrences, {ann} annotated")
        examples(ex, 4)
    sets = [(i, x["text"], x["value"]) for i, d, g in DOCS for x in g["timexes"] if x["type"] == "SET"]
    print(f"  SET timexes: {len(sets)}")
    examples(sets, 10)
    # live-blog paragraphs starting with a time stamp and containing no event trigger
    rows = []
    for i, d, g in DOCS:
        t = d["text"]
        if "live" not in i and not re.search(r"Gilets jaunes :", d["meta"]["title"] or ""):
            continue
        for para in re.finditer(r"(?m)^(Puis |Et )?[Vv]ers \d{1,2} ?h ?\d*.*$", t):
            s, e = para.start(), para.end()
            evs = [x for x in g["events"] if s <= x["trigger"]["start"] < e]
            if not evs:
                rows.append((i, t[s:e][:120]))
    print(f"  stamped live-blog entries with no event trigger: {len(rows)}")
    examples(rows, 15)


def q23():
    head("Q23 same act named by two words of one sentence: SAME_EVENT pairs inside one sentence")
    rows = []
    k = Counter()
    for i, d, g in DOCS:
        t = d["text"]
        b = sentence_bounds(t)
        m = byid(g)
        for r in g["relations"]:
            if r["type"] not in ("SAME_EVENT", "CAUSES"):
                continue
            a, c = m.get(r["head"]), m.get(r["tail"])
            if not a or not c or "trigger" not in a or "trigger" not in c:
                continue
            if sent_of(b, a["trigger"]["start"]) == sent_of(b, c["trigger"]["start"]):
                k[(r["type"], a["type"] == c["type"])] += 1
                if r["type"] == "SAME_EVENT":
                    rows.append((i, a["trigger"]["text"], a["type"], "~", c["trigger"]["text"], c["type"]))
    print("  relations inside one sentence (type, same event type):", dict(k))
    examples(rows, 20)
    # «X par des tirs/lancés/jets»: event verb + «par des» + event noun
    pp = []
    for i, d, g in DOCS:
        t = d["text"]
        trig = {e["trigger"]["start"]: e for e in g["events"]}
        for mm in re.finditer(
            r"\b(\w+[ée]e?s?) (?:par|sous) (?:des|les|un|une|de) (tirs?|lancés?|jets?|coups?|frappes?|bombardements?|explosions?|balles?|cocktails?)\b",
            t,
        ):
            a, c = trig.get(mm.start(1)), trig.get(mm.start(2))
            pp.append(
                (i, (a["type"] if a else "-"), (c["type"] if c else "-"), ctx(t, mm.start(), mm.end(), 10))
            )
    print(
        f"  «<participle> par des <act noun>»: {len(pp)}; both annotated {sum(1 for r in pp if r[1] != '-' and r[2] != '-')}, "
        f"only participle {sum(1 for r in pp if r[1] != '-' and r[2] == '-')}, only noun {sum(1 for r in pp if r[1] == '-' and r[2] != '-')}"
    )
    examples(pp, 20)


DOCMAP = {i: (d, g) for i, d, g in DOCS}
ALL = [
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    q7,
    q8,
    q9,
    q10,
    q11,
    q12,
    q13,
    q14,
    q15,
    q16,
    q17,
    q18,
    q19,
    q20,
    q21,
    q22,
    q23,
]
if __name__ == "__main__":
    args = [a for k, a in enumerate(sys.argv[1:], 1) if a != "--root" and sys.argv[k - 1] != "--root"]
    want = {int(a.lstrip("Qq")) for a in args}
    print(f"gold sets: {len(DOCS)} documents")
    for k, f in enumerate(ALL, 1):
        if not want or k in want:
            f()
