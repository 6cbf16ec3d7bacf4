"""Gold 1.1: TARGETs added where EVENT_MISSING_TARGET pointed at the real victim (ruling 9)."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import doc, gold_set, rec, save_all

FIXES = [  # (document, event, entity texts of the victims, occurrence window: entities near the trigger)
    ("wikinews-fr-2016-12-30-001", "V4", ["4 assaillants"]),
    ("wikinews-fr-2017-01-08-004", "V15", ["Jordanien", "Érythréen", "Soudanais"]),
    ("wikinews-fr-2017-01-20-004", "V22", ["deux personnes"]),
    ("wikinews-fr-2017-10-20-002", "V4", ["soixantaine de personnes"]),
    ("wikinews-fr-2018-09-22-001", "V2", ["foule de manifestants"]),
    ("wikinews-fr-2018-12-08-001", "V53", ["homme"]),
    ("wikinews-fr-2018-12-22-001", "V84", ["700 manifestants"]),
]
for doc_id, ev_id, texts in FIXES:
    d = doc(doc_id)
    ev = rec(d, ev_id)
    t0 = ev["trigger"]["start"]
    for text in texts:
        ents = [e for e in gold_set(d)["entities"] if e["text"] == text]
        ent = min(ents, key=lambda e: abs(e["start"] - t0))
        ev["arguments"].append({"role": "TARGET", "ref": ent["id"]})
        print(doc_id, ev_id, "TARGET", ent["id"], text)
save_all()
