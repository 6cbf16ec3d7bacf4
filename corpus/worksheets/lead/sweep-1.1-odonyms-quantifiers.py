"""Gold 1.1 sweeps: odonyms with a proper name are NAM (ruling 3 as precised in GUIDELINES 10.3:
"rue Vignon", "porte Maillot"; 202 of 210 already were); "plusieurs"/"quelques" are inside a nominal
span like numerals (ruling 10.11: 37 of 63 already were)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import D, _docs, doc, gold_set, save_all, setspan

ODONYM = re.compile(
    r"^(rue|avenue|boulevard|place|quai|pont|porte|route|autoroute|impasse|allée|cours)\s.*[A-ZÀ-Ý]"
)
for path in sorted(D.glob("*.json")):
    d = doc(path.stem)
    t = d["text"]
    n = 0
    for e in gold_set(d)["entities"]:
        if e["type"] == "FAC" and e["mention"] == "NOM" and ODONYM.match(e["text"]):
            e["mention"] = "NAM"
            n += 1
            print(path.stem, e["id"], e["text"], "NOM -> NAM")
        if e["mention"] == "NOM":
            m = re.search(
                r"(?:^|[\s'’(])((?:quelques|plusieurs|Quelques|Plusieurs) )$",
                t[max(0, e["start"] - 12) : e["start"]],
            )
            if m:
                setspan(d, e, e["start"] - len(m.group(1)), e["end"])
                n += 1
                print(path.stem, e["id"], repr(e["text"]))
    if not n:
        del _docs[path.stem]
save_all()
