"""Gold 1.0.2 audit: a seeded random sample of gold annotations, printed with their context.

Usage (from the repository root): python corpus/worksheets/lead/audit-sample-1.0.2.py > corpus/adjudication/AUDIT-1.0.2-sample.txt
40 entities, 30 events, 20 attributions, 25 timexes drawn uniformly from every `gold` set of the corpus
(seed 1202); each line gives the document, the record and what to judge; the span is [[bracketed]] in
its context. The auditors' verdicts are in corpus/adjudication/AUDIT-1.0.2.md.
"""

import json
import random
from pathlib import Path

PREFIX = {"entities": "n", "events": "v", "attributions": "a", "timexes": "t"}
SEED, SIZES = 1202, {"entities": 40, "events": 30, "attributions": 20, "timexes": 25}
docs = {
    p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path("corpus/documents").glob("*.json"))
}


def ctx(text: str, s: int, e: int, width: int = 110) -> str:
    return (text[max(0, s - width) : s] + "[[" + text[s:e] + "]]" + text[e : e + width]).replace("\n", " ")


def describe(layer: str, rec: dict, gold: dict) -> tuple[str, int, int]:
    by_id = {r["id"]: r for lay in ("entities", "timexes", "events") for r in gold[lay]}

    def name(i):
        return f"{i}«{by_id[i]['text'] if 'text' in by_id.get(i, {}) else by_id.get(i, {}).get('trigger', {}).get('text', '?')}»"

    if layer == "entities":
        return f"{rec['type']}/{rec['mention']} actor={rec.get('actor')}", rec["start"], rec["end"]
    if layer == "timexes":
        return (
            f"{rec['type']} value={rec['value']} mod={rec.get('mod')} anchor={rec.get('anchor')}",
            rec["start"],
            rec["end"],
        )
    if layer == "events":
        args = ", ".join(f"{a['role']}={name(a['ref'])}" for a in rec["arguments"]) or "-"
        tol = rec.get("fatalities")
        return (
            f"{rec['type']} {rec['realis']} toll={tol and [tol['min'], tol['max']]}; args: {args}",
            rec["trigger"]["start"],
            rec["trigger"]["end"],
        )
    content = " | ".join(c["text"] for c in rec["content"])
    return (
        f"source={rec['source'] and name(rec['source'])} {rec['source_type']} {rec['claim']} {rec['certainty']} {rec['quote']}; "
        f"events={[name(v) for v in rec['events']]}; content: {content}",
        rec["cue"]["start"],
        rec["cue"]["end"],
    )


rng = random.Random(SEED)
for layer, k in SIZES.items():
    pool = [
        (d, r) for d, doc in docs.items() for s in doc["annotations"] if s["id"] == "gold" for r in s[layer]
    ]
    print(f"===== {layer} {len(pool)}")
    for n, (d, rec) in enumerate(rng.sample(pool, k)):
        gold = next(s for s in docs[d]["annotations"] if s["id"] == "gold")
        what, s, e = describe(layer, rec, gold)
        print(f"{PREFIX[layer]}{n} {d} {rec['id']} {what}")
        print(f"    {ctx(docs[d]['text'], s, e)}")
