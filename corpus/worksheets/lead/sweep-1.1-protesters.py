"""Gold 1.1 sweep of rulings 6 and 7 over the gold sets written before schema 1.1.0.

Ruling 6: demonstrators and the Gilets jaunes movement are PROTESTER (never ORG or PER); casseurs,
pilleurs, émeutiers, and demonstrators who are the AGENT/PARTICIPANT of violence are RIOTER.
Ruling 7: looting, arson, vandalism during a demonstration is VIOLENT_DEMONSTRATION, not
LOOTING_PROPERTY_DESTRUCTION (a document that reports a demonstration and has protesters/rioters).
Named associations and websites ("Union Gilets Jaunes 84"), individuals ("ancien gilet jaune"),
places ("campement des gilets jaunes") and pupils who are victims ("trois lycéens français") keep their type.
Run from the repository root: python corpus/worksheets/lead/sweep-1.1-protesters.py
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from importlib import import_module

lib = import_module("sweep_lib")

PROTEST = re.compile(r"\b(gilets? jaunes?( libres)?|manifestant(e|s|es)?)\b", re.I)
RIOT = re.compile(r"\b(casseurs?|pilleurs?|émeutiers?|black blocs?)\b", re.I)
KEEP = re.compile(r"union gilets jaunes|ancien gilet jaune|gilet jaune officiel", re.I)
VIOLENT = {"VIOLENT_DEMONSTRATION", "LOOTING_PROPERTY_DESTRUCTION", "MOB_VIOLENCE", "ATTACK"}
DEMO = {
    "PEACEFUL_PROTEST",
    "PROTEST_WITH_INTERVENTION",
    "VIOLENT_DEMONSTRATION",
    "EXCESSIVE_FORCE_AGAINST_PROTESTERS",
}

changed = []
for path in sorted(lib.D.glob("*.json")):
    d = lib.doc(path.stem)
    g = lib.gold_set(d)
    violent_agents = {
        a["ref"]
        for ev in g["events"]
        if ev["type"] in VIOLENT
        for a in ev["arguments"]
        if a["role"] in ("AGENT", "PARTICIPANT")
    }
    n = 0
    for e in g["entities"]:
        if e["type"] not in ("ORG", "PER") or KEEP.search(e["text"]):
            continue
        if RIOT.search(e["text"]):
            e["type"], n = "RIOTER", n + 1
        elif PROTEST.search(e["text"]):
            e["type"], n = ("RIOTER" if e["id"] in violent_agents else "PROTESTER"), n + 1
    crowd = any(e["type"] in ("PROTESTER", "RIOTER") for e in g["entities"])
    if crowd and any(ev["type"] in DEMO for ev in g["events"]):
        for ev in g["events"]:
            if ev["type"] == "LOOTING_PROPERTY_DESTRUCTION":
                ev["type"] = "VIOLENT_DEMONSTRATION"
                ev["arguments"] = [a for a in ev["arguments"] if a["role"] != "SUPPORTER"]
                n += 1
    if n:
        changed.append((path.stem, n))
    else:
        del lib._docs[path.stem]
print(changed)
lib.save_all()
