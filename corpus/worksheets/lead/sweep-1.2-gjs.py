"""Gold 1.0.2, ruling 10.6: the abbreviation "Gjs" of the Gilets jaunes is a PROTESTER (or a RIOTER when
it is the AGENT of a violent demonstration or of looting/destruction), never an ORG; 2018-12-08-001
still typed its 28 "Gjs" ORG (noticed by the live-blog re-annotation of 12-15 and 12-22). Run from the
repository root."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import doc, gold_set, save_all

VIOLENT = {"VIOLENT_DEMONSTRATION", "LOOTING_PROPERTY_DESTRUCTION"}
for doc_id in ("wikinews-fr-2018-12-08-001", "wikinews-fr-2018-12-28-001"):
    g = gold_set(doc(doc_id))
    rioters = {
        a["ref"] for v in g["events"] if v["type"] in VIOLENT for a in v["arguments"] if a["role"] == "AGENT"
    }
    for e in g["entities"]:
        if e["text"] in ("Gjs", "GJs", "Gj") and e["type"] == "ORG":
            e["type"] = "RIOTER" if e["id"] in rioters else "PROTESTER"
            print(doc_id, e["id"], e["start"], "->", e["type"])
save_all()
