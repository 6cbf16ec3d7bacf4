"""List gold-vs-WiNER name disagreements that no note explains; note the names WiNER left unannotated.

A disagreement is explained when its surface string appears in a note line of
corpus/notes/winer-fr/<doc>.md. A gold name (NAM) that no WiNER annotation even overlaps is a name
WiNER missed: it gets one WINER_ERROR line per distinct string ("not annotated by WiNER"). What is left
(type or boundary disagreements) is printed for review. Run from the repository root.
"""

import collections
import json
import re
from pathlib import Path

COL = {"GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "PER": "PER"}
COL.update(
    dict.fromkeys(
        ["ORG", "STATE_FORCE", "ARMED_GROUP", "MILITIA", "MULTINATIONAL_FORCE", "PROTESTER", "RIOTER"], "ORG"
    )
)
NOTES = Path("corpus/notes/winer-fr")
left = 0
for path in sorted(Path("corpus/documents").glob("*.json")):
    d = json.loads(path.read_text(encoding="utf-8"))
    sets = {s["id"]: s for s in d["annotations"]}
    if "winer-fr" not in sets:
        continue

    def names(s):
        return {
            (e["start"], e["end"], COL[e["type"]]): e
            for e in s["entities"]
            if e["mention"] == "NAM" and e["type"] in COL
        }

    gold, winer = names(sets["gold"]), names(sets["winer-fr"])
    allw = [(e["start"], e["end"]) for e in sets["winer-fr"]["entities"]]
    note = NOTES / f"{d['id']}.md"
    text = note.read_text(encoding="utf-8") if note.exists() else f"# {d['id']}\n"

    def explained(s, text=text):
        return re.search(re.escape(s), text) is not None

    missed = collections.Counter()
    for key in sorted(set(gold) - set(winer)):
        e = gold[key]
        if explained(e["text"]):
            continue
        if not any(s < key[1] and key[0] < t for s, t in allw):
            missed[(e["text"], e["type"])] += 1
        else:
            left += 1
            print("REVIEW", d["id"], "gold", e["text"], e["type"])
    for key in sorted(set(winer) - set(gold)):
        e = winer[key]
        if not explained(e["text"]):
            left += 1
            print("REVIEW", d["id"], "winer", e["text"], e["type"], e.get("source_label"))
    if missed:
        lines = [
            f"- WINER_ERROR: {t}{f' (x{n})' if n > 1 else ''} — not annotated by WiNER (name missed); gold {ty} NAM."
            for (t, ty), n in sorted(missed.items())
        ]
        note.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
print("left for review:", left)
