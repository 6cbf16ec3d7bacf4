"""Gold 1.0.2 audit notes judged acceptable but inconsistent (/work/briefs/consistency-1.0.2.md, last item),
settled by rulings 12.28 (the place named in an agreement's name is its PLACE) and 12.29 (a confession is a
RESPONSIBILITY_CLAIM; the leader of an armed group speaks as ARMED_GROUP) of schema/GUIDELINES.md.
Census (consistency-1.0.2.py J): PLACE from an agreement's name 11 mentions (Minsk, 2016-01-31-001 and
2017-10-12-001) vs 1 without (Matignon, 2016-06-12-006); self-attributions 3 RESPONSIBILITY_CLAIM
(2016-06-12-006 «a avoué», 2016-09-19-001 «ont reconnu» x2) vs 4 ASSERTION (2018-02-15-002); armed-group
leaders as sources 5 ARMED_GROUP vs 1 OTHER (2017-04-02-004). Run from the repository root."""

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import doc, rec, save_all, write_post

W = "wikinews-fr-"
LOG = {}

# 12.28: «Après la paix des accords de Matignon en 1988»: Matignon (FAC NAM, nested) is where the accords were signed
v14 = rec(doc(W + "2016-06-12-006"), "V14")
if not any(a["role"] == "PLACE" for a in v14["arguments"]):
    v14["arguments"].insert(0, {"role": "PLACE", "ref": "E56"})
    LOG.setdefault(W + "2016-06-12-006", []).append(
        "12.28 V14 «accords» AGREEMENT: + PLACE E56 «Matignon» (the place named in the agreement's name)"
    )
# 12.29: Lelandais's confession (avoue, avoué, admet être responsable, dit ... il l'a tuée) is a claim of his own act
for aid in ("A1", "A3", "A4", "A6"):
    a = rec(doc(W + "2018-02-15-002"), aid)
    print(aid, a["cue"]["text"], a["claim"], "-> RESPONSIBILITY_CLAIM")
    a["claim"] = "RESPONSIBILITY_CLAIM"
# 12.29: «celui qui est considéré comme le chef du groupe avait affirmé» (the Venice jihadist cell) speaks as ARMED_GROUP
a = rec(doc(W + "2017-04-02-004"), "A3")
print("A3", a["cue"]["text"], a["source_type"], "-> ARMED_GROUP")
a["source_type"] = "ARMED_GROUP"
save_all()

for i, lines in LOG.items():  # test documents
    write_post(i)
    with Path(f"corpus/adjudication/{i}.review.md").open("a", encoding="utf-8") as fh:
        fh.write(
            "\nGold 1.0.2 audit-notes sweep (lead, `corpus/worksheets/lead/sweep-1.2-consistency-audit.py`, ruling 12.28), "
            f"{len(lines)} item(s) changed in `{i}.post.yaml`:\n" + "".join(f"  - {x}\n" for x in lines)
        )
