"""Gold 1.0.2, ruling 12.24: a hostage-taking ("prise d'otage(s)"), even a deadly one, is
ABDUCTION_FORCED_DISAPPEARANCE (the taxonomy's own gloss), its deaths DEATH events; 10 of 13 hostage
triggers already were, the superseded annotator brief had said ATTACK for a massacre. Run from the
repository root."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import doc, gold_set, save_all, setspan

for doc_id, ids in (("wikinews-fr-2017-01-20-004", ("V22",)), ("wikinews-fr-2018-03-10-002", ("V1", "V2"))):
    for v in gold_set(doc(doc_id))["events"]:
        if v["id"] in ids:
            print(
                doc_id,
                v["id"],
                v["type"],
                "->",
                "ABDUCTION_FORCED_DISAPPEARANCE",
                [a["role"] for a in v["arguments"]],
            )
            v["type"] = "ABDUCTION_FORCED_DISAPPEARANCE"
save_all()

# 1.0.2 audit, item v21: the party to the Astana ceasefire talks is the branch Ahrar al-Cham leads
# ("Elle ... sa participation aux négociations de cessez-le-feu", 12.13: the pronoun takes the nearest
# earlier mention of its referent, "ce dernier" = Ahrar al-Cham).
v20 = next(v for v in gold_set(doc("wikinews-fr-2017-02-03-002"))["events"] if v["id"] == "V20")
if not any(a["ref"] == "E36" for a in v20["arguments"]):
    v20["arguments"].insert(0, {"role": "PARTICIPANT", "ref": "E36"})
save_all()

# WiNER-notes review: 2017-01-20-004 T9 took in the conjunction ("le 19 décembre ou encore"): the span
# ends with the date (10.11), like its neighbours T8 «le 14 juillet» and T10 «le 8 janvier».
t9 = next(x for x in gold_set(doc("wikinews-fr-2017-01-20-004"))["timexes"] if x["id"] == "T9")
if t9["text"].endswith(" ou"):
    setspan(doc("wikinews-fr-2017-01-20-004"), t9, t9["start"], t9["end"] - 3)
save_all()
