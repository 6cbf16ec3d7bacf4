"""List the PLACE and TIME arguments of gold events that stand in another sentence than the trigger
(ruling 12.13: PLACE and TIME come from the trigger's sentence). Prints one tab-separated line per
argument: doc, split, event id, type, trigger, role, ref, argument text, sentence distance. Read-only.
Run from the repository root: python corpus/worksheets/lead/cross-sentence-args.py > /tmp/xargs.tsv
"""

import json
import re
import sys
from pathlib import Path


def sentence_bounds(t):
    """Sentence starts: after . ! ? » and spaces before an upper-case letter or a quote, or a line break."""
    cuts = [0]
    cuts += [m.end() for m in re.finditer(r"(?<=[.!?»])\s+(?=[«A-ZÀ-Ý0-9\"“])|\n+", t)]
    return sorted(set(cuts))


def sent_of(bounds, pos):
    lo = 0
    for i, b in enumerate(bounds):
        if b <= pos:
            lo = i
    return lo


split = {}
for line in Path("corpus/splits.tsv").read_text(encoding="utf-8").splitlines():
    if line and not line.startswith("#") and "\t" in line:
        parts = line.split("\t")
        split[parts[0]] = parts[1]
out = sys.stdout
for path in sorted(Path("corpus/documents").glob("*.json")):
    d = json.loads(path.read_text(encoding="utf-8"))
    g = next((a for a in d["annotations"] if a["id"] == "gold"), None)
    if g is None:
        continue
    b = sentence_bounds(d["text"])
    recs = {r["id"]: r for layer in ("entities", "timexes") for r in g[layer]}
    for e in g["events"]:
        s = sent_of(b, e["trigger"]["start"])
        for a in e["arguments"]:
            r = recs.get(a["ref"])
            if a["role"] not in ("PLACE", "TIME") or r is None:
                continue
            sa = sent_of(b, r["start"])
            if sa != s:
                row = [
                    d["id"],
                    split.get(d["id"], "-"),
                    e["id"],
                    e["type"],
                    e["trigger"]["text"],
                    a["role"],
                    a["ref"],
                    r["text"],
                    str(sa - s),
                ]
                out.write("\t".join(row) + "\n")
