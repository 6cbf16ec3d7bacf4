"""Gold 1.0.2, guideline 3.2 / 10.11: the numeral that counts a nominal mention is inside its span.

The 1.0.2 audit found "30 000 combattants pro-régime" annotated as "combattants pro-régime"; a census
(400 NOM mentions start with their numeral) found 31 that leave it out. Each was read: the numeral is
moved into the span, except ranges ("entre 60 et 90", "de 650 à 830": left as they are, the guideline
has no rule for them) and "un des deux blindés" (the mention is the one vehicle). Approximators stay
outside (12.6: "plus de 700 policiers" -> "700 policiers"). Also from the audit: 2018-12-15-001 "province"
(E10, E20: no event there, 10.4) and the eponym "Kléber" (E367) nested in "place Kléber" (10.3) are removed.
For a test document the corrected gold is also written to corpus/adjudication/<doc>.post.yaml
(re-applied after every re-merge). Run from the repository root.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import doc, gold_set, save_all, setspan, write_post

NUMERAL = re.compile(
    r"(?<![\w.,:])((?:\d{1,3}(?:[.  \u202f]\d{3})+|\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|cent|mille)"
    r"(?:[  \u202f](?:\d{3}|mille|cents?))*)[  \u202f]$",
    re.I,
)
SKIP = {  # read and left as they are
    ("wikinews-fr-2016-02-08-002", "E18"): "range «de 650 à 830»",
    ("wikinews-fr-2016-03-30-005", "E28"): "range «entre 5 000 et 10 000»",
    ("wikinews-fr-2016-09-19-001", "E18"): "range «entre 60 et 90»",
    ("wikinews-fr-2018-12-08-001", "E712"): "«un des deux blindés»: the mention is one vehicle",
}
REMOVE = {"wikinews-fr-2018-12-15-001": ("E10", "E20", "E367")}
with open("corpus/splits.tsv", encoding="utf-8") as splits:
    TEST = {line.split("\t")[0] for line in splits if "\ttest\t" in line}

touched = set()
for name in sorted(os.listdir("corpus/documents")):
    doc_id = name[:-5]
    d = doc(doc_id)
    text = d["text"]
    for e in gold_set(d)["entities"]:
        if e["mention"] != "NOM" or (doc_id, e["id"]) in SKIP:
            continue
        m = NUMERAL.search(text[max(0, e["start"] - 25) : e["start"]])
        if m:
            start = e["start"] - len(m.group(0))
            print(doc_id, e["id"], repr(e["text"]), "->", repr(text[start : e["end"]]))
            setspan(d, e, start, e["end"])
            touched.add(doc_id)
for doc_id, ids in REMOVE.items():
    g = gold_set(doc(doc_id))
    assert not any(a["ref"] in ids for v in g["events"] for a in v["arguments"])
    g["entities"] = [e for e in g["entities"] if e["id"] not in ids]
    g["relations"] = [r for r in g["relations"] if r["head"] not in ids and r["tail"] not in ids]
    touched.add(doc_id)
    print(doc_id, "removed", ids)
save_all()
for doc_id in sorted(touched & TEST):
    post = f"corpus/adjudication/{doc_id}.post.yaml"
    write_post(doc_id)
    with open(f"corpus/adjudication/{doc_id}.review.md", "a", encoding="utf-8") as f:
        f.write(
            "\n- Gold 1.0.2 numeral sweep (lead, `corpus/worksheets/lead/sweep-1.2-numerals.py`): the counting "
            "numeral moved inside its nominal mention (3.2); `post.yaml` re-dumped.\n"
        )
    print("post", post)
