"""Gold 1.2 sweep, ruling 12.19: a shout or order already inside the content of another attribution gets no
second attribution of its own (census Q19: 4 of the 6 nested shouts had none; the 5 free-standing ones all
have one). The two nested ones that had a record, read: «crier « N'oubliez pas Alep… »» inside the
police's account (2016-12-19-002 A2) and «en criant "Dieu est grand"» inside the witness's account
(2018-09-22-001 A3). Run after sweep-1.2.py, from the repository root."""

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import doc, gold_set, save_all, write_post

DROP = [("wikinews-fr-2016-12-19-002", "A2", "crier"), ("wikinews-fr-2018-09-22-001", "A3", "criant")]
TEST = {"wikinews-fr-2018-09-22-001"}
rows = []
for i, aid, cue in DROP:
    g = gold_set(doc(i))
    a = next(x for x in g["attributions"] if x["id"] == aid)
    assert a["cue"]["text"] == cue, (i, aid, a["cue"]["text"])
    g["attributions"] = [x for x in g["attributions"] if x["id"] != aid]
    print(i, "12.19", f"- {aid} cue «{cue}» content {[c['text'] for c in a['content']]}")
    rows.append((i, aid, cue, [c["text"] for c in a["content"]]))
save_all()
with open("corpus/worksheets/lead/rulings-1.2-sweeps.tsv", "a", encoding="utf-8") as fh:
    for i, *_ in rows:
        split = "test" if i in TEST else "train"
        fh.write(f"{i}\t{split}\t12.19\t1\n")
for i, aid, cue, content in rows:
    if i not in TEST:
        continue
    write_post(i)
    with Path(f"corpus/adjudication/{i}.review.md").open("a", encoding="utf-8") as fh:
        fh.write(
            f"\nGuidelines 1.2 sweep (lead, `corpus/worksheets/lead/sweep-1.2-shouts.py`, GUIDELINES 12.19), 1 item changed "
            f"in `{i}.post.yaml`:\n  - 12.19: - {aid} cue «{cue}» {content}: the shout is already inside the witness's "
            "reported content (A2), no second attribution\n"
        )
