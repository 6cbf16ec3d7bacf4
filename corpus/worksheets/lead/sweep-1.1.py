import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from sweep_lib import *
# determiners in entities
strip_lead("000_7302031bc759a944", "E23", 2)
for i, r in [("wikinews-fr-2016-12-19-001","E15"),("wikinews-fr-2017-01-08-004","E17"),("wikinews-fr-2017-01-08-004","E32"),
             ("wikinews-fr-2017-01-08-004","E33"),("wikinews-fr-2017-01-08-004","E34"),("wikinews-fr-2017-02-16-003","E26")]:
    strip_lead(i, r, 2 if rec(doc(i), r)["text"].lower().startswith("un ") else 3)
# determiners in triggers
for i, rs in [("wikinews-fr-2016-07-25-002",["V6","V10"]),("wikinews-fr-2017-02-17-002",["V4","V8","V12","V16","V18"]),
              ("wikinews-fr-2017-03-17-002",["V5","V6","V12","V15"]),("wikinews-fr-2017-04-16-002",["V11"]),("wikinews-fr-2017-06-22-001",["V3"])]:
    for r in rs:
        strip_lead(i, r, 2, "trigger")
# words cut
for i, r in [("wikinews-fr-2017-02-20-002","V1"),("wikinews-fr-2017-04-06-004","V2"),("wikinews-fr-2017-04-19-006","V4"),("wikinews-fr-2017-10-13-001","V1")]:
    widen_word(i, r, "trigger")
d = doc("wikinews-fr-2017-03-30-001"); r = rec(d, "T5"); setspan(d, r, r["start"] - 3, r["end"])  # "les17": typo in the source
# "opération" inside "coopération": every later mention was shifted by one
move("wikinews-fr-2016-08-24-003", "V4", 343, 9, "trigger")
move("wikinews-fr-2016-08-24-003", "V7", 536, 9, "trigger")
# verbs in timexes
for r, n in [("T11", len("Cette journée")), ("T13", len("cette journée"))]:
    d = doc("wikinews-fr-2018-12-08-001"); x = rec(d, r); setspan(d, x, x["start"], x["start"] + n)
# attributions without content
content("wikinews-fr-2016-01-10-001", "A8", "l'essai de la bombe H", 0)
content("wikinews-fr-2017-02-17-002", "A2", "L'attentat", 40)
content("wikinews-fr-2017-10-03-001", "A1", "l'attentat", 0)
content("wikinews-fr-2017-10-03-001", "A2", "l'attentat", 0)
# WiNER leftovers in a test document: a square and a street typed PER
d = doc("wikinews-fr-2018-12-01-001"); e = rec(d, "E179"); e["type"] = "GPE"
e = rec(d, "E191"); t = d["text"]; s = t.rindex("rue de la Boetie", 0, e["end"]); setspan(d, e, s, e["end"]); e["type"] = "FAC"; e["mention"] = "NOM"
save_all()
import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from sweep_lib import *
d = doc("wikinews-fr-2018-12-01-001"); g = gold_set(d)
g["entities"] = [e for e in g["entities"] if e["id"] != "E191"]
for ev in g["events"]:
    for a in ev["arguments"]:
        if a["ref"] == "E191": a["ref"] = "E190"
    seen=set(); ev["arguments"] = [a for a in ev["arguments"] if not ((a["role"],a["ref"]) in seen or seen.add((a["role"],a["ref"])))]
for a in g["attributions"]:
    if a["source"] == "E191": a["source"] = "E190"
save_all()
import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from sweep_lib import *
d = doc("wikinews-fr-2016-01-14-003"); rec(d, "E10")["type"] = "FAC"   # "à proximité du café Starbucks": the café, a place
save_all()
import sys; sys.path.insert(0, "corpus/worksheets/lead")
from sweep_lib import *
d = doc("wikinews-fr-2016-02-21-003"); e = rec(d, "E7"); setspan(d, e, e["start"] + 1, e["end"] - 1)
save_all()
