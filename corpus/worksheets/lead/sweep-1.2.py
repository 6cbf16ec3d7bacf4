"""Gold 1.2 sweeps: bring the gold sets in line with Guidelines section 12 (rulings on the 23 open
questions of the 1.0.2 hand adjudication). Each sweep selects its cases by a pattern, and the cases were
read one by one (the lists below name the ones kept or left out, and why). Nothing is written unless the
document validates (sweep_lib.save_all). Documents others are editing are never touched (PROTECTED).

Test documents (split `test`): their gold is rebuilt by adjudicate-1.1.py, which applies
corpus/adjudication/<doc>.post.yaml after the merge; this script writes the fixed gold set there (a dump of
the set, as `secnews annotate dump --set gold`) and appends a line to <doc>.review.md.

Run from the repository root:  python corpus/worksheets/lead/sweep-1.2.py
Per-document counts go to corpus/worksheets/lead/rulings-1.2-sweeps.tsv.
"""

import os
import re
import sys
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import D, _docs, doc, gold_set, next_id, save_all, setspan, write_post

PROTECTED = {
    "wikinews-fr-2018-12-06-001",
    "wikinews-fr-2018-12-24-001",
    "wikinews-fr-2018-12-15-001",
    "wikinews-fr-2018-12-22-001",
    "wikinews-fr-2018-03-23-001",
}
SPLIT = {}
for line in Path("corpus/splits.tsv").read_text(encoding="utf-8").splitlines():
    if line and not line.startswith("#") and not line.startswith("doc_id"):
        f = line.split("\t")
        SPLIT[f[0]] = f[1]
IDS = [p.stem for p in sorted(D.glob("*.json")) if p.stem not in PROTECTED]
COUNTS = defaultdict(Counter)  # doc -> ruling -> changed items
LOG = defaultdict(list)  # doc -> lines for the review file


def log(i, ruling, what):
    COUNTS[i][ruling] += 1
    LOG[i].append(f"{ruling}: {what}")
    print(i, ruling, what)


def remove_event(i, g, eid):
    g["events"] = [e for e in g["events"] if e["id"] != eid]
    g["relations"] = [r for r in g["relations"] if eid not in (r["head"], r["tail"])]
    for a in g["attributions"]:
        a["events"] = [x for x in a["events"] if x != eid]


def ents_at(g, s, e):
    return [x for x in g["entities"] if x["start"] == s and x["end"] == e]


# ---------------------------------------------------------------- 12.6 «autre(s)» in, approximators out
AUTRES = re.compile(r"(?:^|[\s'’(])(autres? )$", re.I)
APPROX = re.compile(r"^(plus de|près de|quelque|environ|moins de|au moins) (?=\d|[a-zé])", re.I)


def sweep_autres():
    for i in IDS:
        d = doc(i)
        t = d["text"]
        g = gold_set(d)
        for e in g["entities"]:
            if e["mention"] != "NOM":
                continue
            m = AUTRES.search(t[max(0, e["start"] - 10) : e["start"]])
            if m and not ents_at(g, e["start"] - len(m.group(1)), e["end"]):
                old = e["text"]
                setspan(d, e, e["start"] - len(m.group(1)), e["end"])
                log(i, "12.6", f"{e['id']} «{old}» -> «{e['text']}»")
            m = APPROX.match(e["text"])
            if m and not e["text"][m.end() :].lower().startswith(
                "un "
            ):  # «plus d'un million»: «un» would lead (10.11)
                old = e["text"]
                setspan(d, e, e["start"] + m.end(), e["end"])
                log(i, "12.6", f"{e['id']} «{old}» -> «{e['text']}»")


# ---------------------------------------------------------------- 12.7 date + hour: one timex
def sweep_date_hour():
    for i in IDS:
        d = doc(i)
        t = d["text"]
        g = gold_set(d)
        tx = sorted(g["timexes"], key=lambda x: x["start"])
        for a, b in pairwise(tx):
            gap = t[a["end"] : b["start"]]
            if gap not in (" ", ", ", " à ", " en "):
                continue
            if re.search(r"\d ?h|heure", a["text"]) or not re.search(
                r"\d ?h|heure|après-midi|matin|soir", b["text"]
            ):
                continue
            if b["type"] != "TIME" or a["type"] not in ("DATE", "TIME"):
                continue
            if not (b["value"] or "").startswith((a["value"] or "?")[:10]):
                continue  # the hour must fall on the day the first part names
            old = (a["text"], b["text"])
            setspan(d, b, a["start"], b["end"])
            for ev in g["events"]:
                args, seen = [], set()
                for x in ev["arguments"]:
                    ref = b["id"] if x["ref"] == a["id"] else x["ref"]
                    if (x["role"], ref) not in seen:
                        seen.add((x["role"], ref))
                        args.append({"role": x["role"], "ref": ref})
                ev["arguments"] = args
            if b.get("anchor") == a["id"]:
                b["anchor"] = (
                    a.get("anchor") or "DCT"
                )  # «hier en fin d'après-midi»: the merged timex takes «hier»'s anchor
            for x in g["timexes"]:
                if x.get("anchor") == a["id"]:
                    x["anchor"] = b["id"]
            g["timexes"] = [x for x in g["timexes"] if x["id"] != a["id"]]
            log(
                i,
                "12.7",
                f"{a['id']} «{old[0]}» + {b['id']} «{old[1]}» -> {b['id']} «{b['text']}» {b['value']}",
            )


# ---------------------------------------------------------------- 12.8 ages are DURATION timexes
AGES = [  # (doc, context with [[age]], value) — the three ages the census found unannotated
    ("wikinews-fr-2017-04-02-006", "Palestinien de [[17 ans]]", "P17Y"),
    ("wikinews-fr-2017-04-19-005", "homme de [[39 ans]]", "P39Y"),
    ("wikinews-fr-2018-12-08-001", "étudiante de [[20 ans]]", "P20Y"),
]


def locate(t, quote):
    pre, rest = quote.split("[[")
    inner, post = rest.split("]]")
    s = t.index(pre + inner + post) + len(pre)
    assert t.count(pre + inner + post) == 1, quote
    return s, s + len(inner)


def sweep_ages():
    for i, q, v in AGES:
        d = doc(i)
        g = gold_set(d)
        s, e = locate(d["text"], q)
        if any(x["start"] == s and x["end"] == e for x in g["timexes"]):
            continue
        g["timexes"].append(
            {
                "anchor": "DCT",
                "end": e,
                "id": next_id(g, "T"),
                "mod": None,
                "start": s,
                "text": d["text"][s:e],
                "type": "DURATION",
                "value": v,
            }
        )
        log(i, "12.8", f"+ «{d['text'][s:e]}» DURATION {v}")


# ---------------------------------------------------------------- 12.9 ministry names nested ORG/NAM
MINISTRIES = [
    ("wikinews-fr-2016-04-15-001", "ministre de la [[Défense]] de la Corée du Nord"),
    ("wikinews-fr-2018-12-08-001", "ministre de la [[Transition écologique]]"),
]


def sweep_ministries():
    for i, q in MINISTRIES:
        d = doc(i)
        g = gold_set(d)
        s, e = locate(d["text"], q)
        if ents_at(g, s, e):
            continue
        g["entities"].append(
            {
                "actor": None,
                "end": e,
                "id": next_id(g, "E"),
                "mention": "NAM",
                "start": s,
                "text": d["text"][s:e],
                "type": "ORG",
            }
        )
        log(i, "12.9", f"+ «{d['text'][s:e]}» ORG/NAM")


# ---------------------------------------------------------------- 12.14 age/origin outside a person's span
AGE_TAIL = re.compile(
    r",?\s+(?:(?:âgée?s? )?de (?:\d[\d ]*|\w+) ans|d['’]origine \w+|originaire de .*)(?:\s+d['’]origine \w+)?$"
)


def sweep_age_spans():
    for i in IDS:
        d = doc(i)
        g = gold_set(d)
        for e in g["entities"]:
            if e["mention"] != "NOM" or e["type"] not in ("PER", "ARMED_GROUP", "PROTESTER", "RIOTER"):
                continue
            m = AGE_TAIL.search(e["text"])
            if not m or m.start() == 0:
                continue
            new_end = e["start"] + m.start()
            if ents_at(g, e["start"], new_end):
                continue
            old = e["text"]
            setspan(d, e, e["start"], new_end)
            log(i, "12.14", f"{e['id']} «{old}» -> «{e['text']}»")


# ---------------------------------------------------------------- 12.16 «ouvert le feu» -> «feu»
def sweep_feu():
    for i in IDS:
        d = doc(i)
        g = gold_set(d)
        for ev in g["events"]:
            tr = ev["trigger"]
            m = re.fullmatch(r"(?:ouvert|ouvrent|ouvre|ouvrant|ouvrir) le (feu)", tr["text"])
            if m:
                old = tr["text"]
                setspan(d, tr, tr["start"] + m.start(1), tr["end"])
                log(i, "12.16", f"{ev['id']} «{old}» -> «{tr['text']}»")


# ---------------------------------------------------------------- 12.4 one role per entity in an event
def sweep_target_place():
    for i in IDS:
        d = doc(i)
        g = gold_set(d)
        ents = {e["id"]: e for e in g["entities"]}
        for ev in g["events"]:
            for a in list(ev["arguments"]):
                if a["role"] != "TARGET" or not any(
                    x["ref"] == a["ref"] and x["role"] == "PLACE" for x in ev["arguments"]
                ):
                    continue
                ent = ents[a["ref"]]
                drop = (
                    "PLACE" if ent["type"] == "FAC" else "TARGET"
                )  # a facility hit is the target; a town is the place
                ev["arguments"] = [
                    x for x in ev["arguments"] if not (x["ref"] == a["ref"] and x["role"] == drop)
                ]
                log(
                    i,
                    "12.4",
                    f"{ev['id']} «{ev['trigger']['text']}»: «{ent['text']}» {ent['type']} no longer {drop}",
                )


# ---------------------------------------------------------------- 12.18 «victime(s)» is no DEATH trigger
def sweep_victimes():
    for i in IDS:
        d = doc(i)
        g = gold_set(d)
        evs = {e["id"]: e for e in g["events"]}
        for ev in [
            e
            for e in g["events"]
            if re.fullmatch(r"victimes?", e["trigger"]["text"], re.I) and e["type"] == "DEATH"
        ]:
            causes = [
                evs[r["head"]]
                for r in g["relations"]
                if r["type"] == "CAUSES" and r["tail"] == ev["id"] and r["head"] in evs
            ]
            mates = [
                evs[r["head"] if r["tail"] == ev["id"] else r["tail"]]
                for r in g["relations"]
                if r["type"] == "SAME_EVENT" and ev["id"] in (r["head"], r["tail"])
            ]
            remove_event(i, g, ev["id"])
            log(i, "12.18", f"- {ev['id']} DEATH «{ev['trigger']['text']}» (toll {ev['fatalities']})")
            # keep what the mention carried: CAUSES cause -> the death mention it was SAME_EVENT with
            for c in causes:
                for m in mates:
                    if re.fullmatch(r"victimes?", m["trigger"]["text"], re.I):
                        continue  # dropped too
                    if (
                        m["type"] == "DEATH"
                        and m["id"] in evs
                        and not any({r["head"], r["tail"]} == {c["id"], m["id"]} for r in g["relations"])
                    ):
                        g["relations"].append(
                            {"head": c["id"], "id": next_id(g, "R"), "tail": m["id"], "type": "CAUSES"}
                        )
                        log(
                            i,
                            "12.18",
                            f"+ CAUSES {c['id']} «{c['trigger']['text']}» -> {m['id']} «{m['trigger']['text']}»",
                        )
                # the victims named in the dropped mention are the cause's TARGET (same sentence only, 12.13)
                for a in ev["arguments"]:
                    if (
                        a["role"] == "TARGET"
                        and not any(x["ref"] == a["ref"] for x in c["arguments"])
                        and abs(c["trigger"]["start"] - ev["trigger"]["start"]) < 120
                    ):
                        c["arguments"].append({"role": "TARGET", "ref": a["ref"]})
                        log(i, "12.18", f"+ TARGET {a['ref']} on {c['id']} «{c['trigger']['text']}»")


# ---------------------------------------------------------------- 12.20 the toll on the ACLED mention of its sentence
NOT_ACLED = {"DEATH", "INJURY", "OTHER"}
TOLL_EXCLUDED = {  # read: the sentence gives one more death, not the toll of the act
    (
        "wikinews-fr-2016-08-19-001",
        "V4",
    ),  # «un homme, blessé lors de l'attentat du 14 juillet 2016 à Nice, a succombé»
}


def sentence_of(t, pos):
    s = max(t.rfind(". ", 0, pos), t.rfind("\n", 0, pos))
    e = min([x for x in (t.find(". ", pos), t.find("\n", pos)) if x != -1] or [len(t)])
    return s, e


def sweep_tolls():
    for i in IDS:
        d = doc(i)
        t = d["text"]
        g = gold_set(d)
        evs = {e["id"]: e for e in g["events"]}
        for r in g["relations"]:
            if r["type"] != "CAUSES" or r["head"] not in evs or r["tail"] not in evs:
                continue
            c, dth = evs[r["head"]], evs[r["tail"]]
            if c["type"] in NOT_ACLED or dth["type"] != "DEATH" or not dth["fatalities"] or c["fatalities"]:
                continue
            if sentence_of(t, c["trigger"]["start"]) != sentence_of(t, dth["trigger"]["start"]):
                continue
            other = [
                x
                for x in g["relations"]
                if x["type"] == "CAUSES"
                and x["head"] == c["id"]
                and x["tail"] != dth["id"]
                and evs.get(x["tail"], {}).get("type") == "DEATH"
            ]
            mates = [
                x
                for x in g["relations"]
                if x["type"] == "SAME_EVENT"
                and c["id"] in (x["head"], x["tail"])
                and evs.get(x["tail"] if x["head"] == c["id"] else x["head"], {}).get("fatalities")
            ]
            if other or (i, c["id"]) in TOLL_EXCLUDED:
                continue  # several deaths of one act: read by hand (10.9 sums them)
            c["fatalities"] = dict(dth["fatalities"])
            log(
                i,
                "12.20",
                f"{c['id']} {c['type']} «{c['trigger']['text']}» toll {c['fatalities']} from {dth['id']} «{dth['trigger']['text']}»"
                + (" (a SAME_EVENT mate also has a toll)" if mates else ""),
            )


# ---------------------------------------------------------------- 12.17 anchor = the timex the value is computed from
ANCHORS = [  # (doc, timex text, anchor timex text) read one by one from the census list
    ("wikinews-fr-2016-05-03-001", "lendemain", "ce mardi 3 mai"),
    ("wikinews-fr-2017-03-19-001", "fin de matinée", "Ce samedi 18 mars"),
    ("wikinews-fr-2017-04-06-004", "le lendemain soir", "ce mercredi 29 mars"),
    # («l'année suivante» after «en 2012», 2017-04-10-001: an anchor must name a day, TIMEX_ANCHOR; left on DCT)
    ("wikinews-fr-2017-04-16-007", "le soir", "mardi soir"),
    ("wikinews-fr-2016-01-10-002", "le même soir", "le 7 janvier 2015"),
    ("wikinews-fr-2016-01-10-002", "soir", "le 7 janvier 2015"),  # «au soir de l'attentat»
    ("wikinews-fr-2016-01-10-002", "lendemain", "le 7 janvier 2015"),  # «au lendemain de la fusillade»
    ("wikinews-fr-2016-01-10-002", "le soir", "le 7 janvier 2015"),  # «le soir de la fusillade»
]


def sweep_anchors():
    for i, text, anchor in ANCHORS:
        d = doc(i)
        g = gold_set(d)
        tx = [x for x in g["timexes"] if x["text"] == text]
        if len(tx) != 1:
            print("SKIP anchor", i, text, len(tx))
            continue
        x = tx[0]
        if anchor is None:  # the nearest preceding timex that names a day other than the DCT's
            cands = [
                y
                for y in g["timexes"]
                if y["end"] <= x["start"]
                and re.match(r"\d{4}-\d\d-\d\d", y["value"] or "")
                and not (y["value"] or "").startswith(d["meta"]["published"])
            ]
            if not cands:
                print("SKIP anchor", i, text)
                continue
            an = max(cands, key=lambda y: y["start"])
        else:
            an = [y for y in g["timexes"] if y["text"] == anchor]
            before = [y for y in an if y["end"] <= x["start"]]
            if not an:
                print("SKIP anchor", i, text, anchor)
                continue
            an = max(before, key=lambda y: y["start"]) if before else an[0]  # the nearest preceding one
        if x.get("anchor") != an["id"]:
            old = x.get("anchor")
            x["anchor"] = an["id"]
            log(i, "12.17", f"{x['id']} «{x['text']}» {x['value']} anchor {old} -> {an['id']} «{an['text']}»")


# ---------------------------------------------------------------- 12.11 procedural acts and vague nouns are no events
VAGUE = {  # (doc, trigger) read one by one
    ("wikinews-fr-2016-09-05-002", "enquête"),
    ("wikinews-fr-2017-03-19-001", "enquête"),
    ("wikinews-fr-2017-03-30-001", "enquête"),
    ("wikinews-fr-2016-05-03-001", "recherché"),
    ("wikinews-fr-2017-04-06-004", "recherché"),
    ("wikinews-fr-2017-03-29-003", "plainte"),
    ("wikinews-fr-2018-12-07-001", "plainte"),
    ("wikinews-fr-2016-07-29-002", "revers"),
    ("wikinews-fr-2016-07-29-002", "cible"),
    ("wikinews-fr-2016-07-29-002", "ciblé"),
}


def sweep_vague():
    for i in IDS:
        d = doc(i)
        g = gold_set(d)
        for ev in list(g["events"]):
            if (i, ev["trigger"]["text"]) in VAGUE or (i, ev["trigger"]["text"].lower()) in VAGUE:
                remove_event(i, g, ev["id"])
                log(i, "12.11", f"- {ev['id']} {ev['type']}/{ev['realis']} «{ev['trigger']['text']}»")


# ---------------------------------------------------------------- 12.2 «journée» of a mobilisation: event, not timex
def sweep_journee():
    for i in IDS:
        d = doc(i)
        g = gold_set(d)
        trig = {(e["trigger"]["start"], e["trigger"]["end"]) for e in g["events"]}
        for x in list(g["timexes"]):
            m = re.search(r"journée", x["text"])
            if m and (x["start"] + m.start(), x["start"] + m.end()) in trig:
                g["timexes"] = [y for y in g["timexes"] if y["id"] != x["id"]]
                for ev in g["events"]:
                    ev["arguments"] = [a for a in ev["arguments"] if a["ref"] != x["id"]]
                log(i, "12.2", f"- timex {x['id']} «{x['text']}» (its «journée» is the mobilisation event)")


# ---------------------------------------------------------------- 12.13 title events: arguments of the title only
def sweep_title_args():
    for i in IDS:
        if not i.startswith("wikinews-fr-"):
            continue  # only Wikinews articles open with a title line
        d = doc(i)
        t = d["text"]
        g = gold_set(d)
        title_end = t.find("\n")
        if title_end < 0:
            continue
        m = {r["id"]: r for layer in ("entities", "timexes") for r in g[layer]}
        for ev in g["events"]:
            if ev["trigger"]["end"] > title_end:
                continue
            keep = [a for a in ev["arguments"] if m[a["ref"]]["end"] <= title_end]
            for a in ev["arguments"]:
                if a not in keep:
                    log(
                        i,
                        "12.13",
                        f"title {ev['id']} «{ev['trigger']['text']}»: - {a['role']} «{m[a['ref']]['text']}» (body)",
                    )
            ev["arguments"] = keep


SWEEPS = [
    sweep_autres,
    sweep_date_hour,
    sweep_ages,
    sweep_ministries,
    sweep_age_spans,
    sweep_feu,
    sweep_target_place,
    sweep_victimes,
    sweep_tolls,
    sweep_anchors,
    sweep_vague,
    sweep_journee,
    sweep_title_args,
]

if __name__ == "__main__":
    for f in SWEEPS:
        f()
    for i in list(_docs):
        if i not in COUNTS:
            del _docs[i]
    if os.environ.get("DRY"):
        print(
            {k: sum(c[k] for c in COUNTS.values()) for k in sorted({k for c in COUNTS.values() for k in c})}
        )
        sys.exit(0)
    save_all()
    rows = ["doc\tsplit\truling\tchanged"]
    for i in sorted(COUNTS):
        for k, n in sorted(COUNTS[i].items()):
            rows.append(f"{i}\t{SPLIT.get(i)}\t{k}\t{n}")
    Path("corpus/worksheets/lead/rulings-1.2-sweeps.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    # test documents: the fixed gold set becomes <doc>.post.yaml (re-applied after each merge)
    for i in sorted(COUNTS):
        if SPLIT.get(i) != "test":
            continue
        write_post(i)
        review = Path(f"corpus/adjudication/{i}.review.md")
        lines = "".join(f"  - {x}\n" for x in LOG[i])
        with review.open("a", encoding="utf-8") as fh:
            fh.write(
                f"\nGuidelines 1.2 sweep (lead, `corpus/worksheets/lead/sweep-1.2.py`, section 12 of GUIDELINES.md), "
                f"{sum(COUNTS[i].values())} item(s) changed in `{i}.post.yaml`:\n{lines}"
            )
