"""Test split double annotation: the existing single gold pass becomes set `pass-1` (status submitted),
so that `secnews adjudicate --sets pass-1,pass-2 --into gold --force` can merge it with the independent
second pass. Only documents whose `pass-2` set has been applied are touched. Usage: make-pass-1.py ID..."""

import copy
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import doc, gold_set, save_all, setspan

from secnews.validate.guidelines import _sentence_start, leading_determiner

for doc_id in sys.argv[1:]:
    d = doc(doc_id)
    ids = [s["id"] for s in d["annotations"]]
    if "pass-2" not in ids:
        print("skip", doc_id, ids)
        continue
    second = next(s for s in d["annotations"] if s["id"] == "pass-2")
    for rec in [*second["entities"], *(e["trigger"] for e in second["events"])]:
        word = leading_determiner(rec["text"])
        keep = (
            rec.get("mention") == "NAM"
            and rec["text"][0].isupper()
            and not _sentence_start(d["text"], rec["start"])
        )
        if word and not keep:  # Guidelines 10.11, mechanical: "Un homme" -> "homme"
            start = rec["start"] + len(rec["text"]) - len(rec["text"][len(word) :].lstrip())
            print("pass-2 determiner stripped", doc_id, repr(rec["text"]))
            setspan(d, rec, start, rec["end"])
    if "pass-1" in ids:
        continue
    first = copy.deepcopy(gold_set(d))
    first.pop("adjudication", None)
    first.update(id="pass-1", status="submitted")
    d["annotations"].append(first)
    print("pass-1 <- gold", doc_id, first["annotator"])
save_all()
