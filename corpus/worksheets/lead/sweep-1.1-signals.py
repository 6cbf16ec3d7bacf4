"""Gold 1.1 sweep of ruling 2: signals ("depuis", "jusqu'à", "avant"...) leave the timex span; a
"depuis + date" becomes the DATE it names; a mod that only the signal gave is dropped."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import D, doc, gold_set, save_all, setspan

SIGNAL = re.compile(r"^(depuis|avant|après|jusqu['’]à|pendant|dès|à partir d[eu'’])\s*", re.I)
DATES = {  # (doc, timex) -> (type, value, mod) of the date a "depuis" names (DCT in the comment)
    ("wikinews-fr-2016-07-03-001", "T4"): ("DATE", "2016", "START"),  # le début de l'année
    ("wikinews-fr-2016-09-25-002", "T4"): ("DATE", "2016-09", None),  # septembre
    ("wikinews-fr-2016-12-12-001", "T13"): ("DATE", "2012", None),
    ("wikinews-fr-2017-01-22-001", "T3"): ("DATE", "2015-03", None),  # mars 2015
    ("wikinews-fr-2017-03-23-002", "T9"): ("DATE", "2003", None),
    ("wikinews-fr-2017-03-29-004", "T3"): ("DATE", "2017-03", "START"),  # le début du mois
    ("wikinews-fr-2017-04-22-002", "T17"): ("DATE", "2016-12", None),  # le mois de décembre dernier
    ("wikinews-fr-2017-04-22-002", "T19"): ("DATE", "2017-03", None),  # le mois dernier (DCT 2017-04-22)
    ("wikinews-fr-2018-04-30-001", "T5"): ("DATE", "1995", None),
}
SIGNAL_MODS = {"BEFORE", "AFTER", "EQUAL_OR_LESS", "ON_OR_BEFORE", "ON_OR_AFTER"}
for path in sorted(D.glob("*.json")):
    d = doc(path.stem)
    n = 0
    for t in gold_set(d)["timexes"]:
        m = SIGNAL.match(t["text"])
        if not m:
            continue
        setspan(d, t, t["start"] + m.end(), t["end"])
        if (path.stem, t["id"]) in DATES:
            t["type"], t["value"], t["mod"] = DATES[(path.stem, t["id"])]
        elif t["mod"] in SIGNAL_MODS or (
            t["mod"] == "APPROX" and not re.search(r"près|environ|vers|aine", t["text"])
        ):
            t["mod"] = None
        n += 1
        print(path.stem, t["id"], repr(t["text"]), t["type"], t["value"], t["mod"])
    if not n:
        del __import__("sweep_lib")._docs[path.stem]
save_all()
