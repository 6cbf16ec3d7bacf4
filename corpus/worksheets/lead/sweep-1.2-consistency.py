"""Gold 1.0.2 consistency sweep (/work/briefs/consistency-1.0.2.md; census: consistency-1.0.2.py). Every case
the census printed was read; the lists below are the decisions, by entity id. Rulings: 10.3 (odonyms, lower-case
heads), 3.1 (lower-case institution = NOM), 10.6 (the movement is never ORG) and the new 12.25 (names nested in
odonyms, stations and facility names), 12.26 (lower-case heads outside odonyms), 12.27 (demonyms) of
schema/GUIDELINES.md. Nothing is written unless the document validates (sweep_lib.save_all); an entity is only
removed when no event argument, attribution source or relation points at it.

Test documents: the fixed gold set is dumped to corpus/adjudication/<doc>.post.yaml (re-applied by
adjudicate-1.1.py) and a line is appended to <doc>.review.md. Run from the repository root.
"""

import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from sweep_lib import _docs, doc, gold_set, next_id, rec, save_all, setspan, write_post

W = "wikinews-fr-"
SPLIT = {}
for line in Path("corpus/splits.tsv").read_text(encoding="utf-8").splitlines():
    if line and not line.startswith("#") and not line.startswith("doc_id"):
        f = line.split("\t")
        SPLIT[f[0]] = f[1]
LOG = defaultdict(list)


def log(i, what):
    LOG[i].append(what)
    print(i, what)


def refs(g, eid):
    return (
        [v["id"] for v in g["events"] for a in v["arguments"] if a["ref"] == eid]
        + [a["id"] for a in g["attributions"] if a["source"] == eid]
        + [r["id"] for r in g["relations"] if eid in (r["head"], r["tail"])]
    )


def drop(i, eid, why):
    d = doc(W + i)
    g = gold_set(d)
    e = rec(d, eid)
    assert not refs(g, eid), (i, eid, refs(g, eid))
    g["entities"] = [x for x in g["entities"] if x["id"] != eid]
    log(W + i, f"{why}: {eid} «{e['text']}» {e['type']}/{e['mention']} removed")


def retype(i, eid, why, type=None, mention=None):
    d = doc(W + i)
    e = rec(d, eid)
    old = f"{e['type']}/{e['mention']}"
    e["type"] = type or e["type"]
    e["mention"] = mention or e["mention"]
    if e["type"] not in (
        "STATE_FORCE",
        "ARMED_GROUP",
        "MILITIA",
        "MULTINATIONAL_FORCE",
        "PROTESTER",
        "RIOTER",
    ):
        e["actor"] = None
    log(W + i, f"{why}: {eid} «{e['text']}» {old} -> {e['type']}/{e['mention']}")


def shrink(i, eid, sub, why, type=None):
    """The facility's own name carries the mention (10.3: «gare Saint-Lazare» -> «Saint-Lazare» FAC/NAM)."""
    d = doc(W + i)
    e = rec(d, eid)
    old = e["text"]
    s = e["start"] + old.index(sub)
    setspan(d, e, s, s + len(sub))
    e["mention"] = "NAM"
    e["type"] = type or e["type"]
    log(W + i, f"{why}: {eid} «{old}» -> «{e['text']}» {e['type']}/NAM")


def add_in(i, eid, sub, type, why):
    d = doc(W + i)
    g = gold_set(d)
    o = rec(d, eid)
    s = o["start"] + o["text"].index(sub)
    if any(x["start"] == s and x["end"] == s + len(sub) for x in g["entities"]):
        return
    new = {
        "actor": None,
        "end": s + len(sub),
        "id": next_id(g),
        "mention": "NAM",
        "start": s,
        "text": d["text"][s : s + len(sub)],
        "type": type,
    }
    g["entities"].append(new)
    log(W + i, f"{why}: + {new['id']} «{new['text']}» {type}/NAM (inside {eid} «{o['text']}»)")


# ---------------------------------------------------------------- 12.25 names nested in odonyms and station names
R = "12.25 name nested in an odonym/station"
for i, ids in {
    "2017-01-30-001": ["E12", "E21"],  # chemin Sainte-Foy, pont de l'île d'Orléans
    "2017-04-02-004": ["E11"],  # pont du Rialto
    "2017-06-22-001": ["E8"],  # avenue des Champs-Élysées
    "2018-09-10-001": ["E18"],  # (MK2) Quai de Seine
    "2018-12-08-001": ["E583"],  # rond point des Champs-Élysées
    "2018-12-15-001": [
        "E46",
        "E69",
        "E160",
        "E164",
        "E181",
        "E182",
        "E209",
        "E211",
        "E218",
        "E221",
        "E238",
        "E241",
        "E243",
        "E247",
        "E266",
        "E284",
        "E298",
        "E316",
        "E346",
        "E370",
        "E375",
    ],
    "2018-12-22-001": [
        "E67",
        "E68",
        "E72",
        "E73",  # stations Champs-Elysées Clemenceau, Charles-de-Gaulle Etoile
        "E83",
        "E86",
        "E219",
        "E231",
        "E265",
        "E361",
        "E371",
        "E501",
        "E535",
    ],
    "2018-12-27-001": ["E23"],  # rond-point du Portugal
}.items():
    for eid in ids:
        drop(i, eid, R)
# kept: Gurmençon in «Porte d'Aspe de Gurmençon» (the commune where the zone is, 3.3).
# roundabouts designated by their situation stay NOM with the place nested (10.3 «rond-point de l'autoroute A36»)
retype(
    "2018-12-28-001", "E72", "10.3 situational roundabout", mention="NOM"
)  # rond-point de Charleville (Hirson)
retype("2018-12-28-001", "E39", "10.3 situational roundabout", mention="NOM")  # rond-point de L'Escapade

# ---------------------------------------------------------------- 12.25 eponyms in facility / place names
R = "12.25 eponym in a facility name"
drop("2016-06-12-006", "E59", R)  # Centre culturel Tjibaou
drop("2017-02-16-003", "E63", R)  # Tour Eiffel
drop("2018-12-15-001", "E201", R)  # Printemps Haussmann
drop("2016-03-27-001", "E11", R)  # Iqbal in Gulshan-e-Iqbal
drop("2018-12-15-001", "E96", "12.25 France in Île-de-France")
drop("2018-12-15-001", "E104", "12.25 France in Île-de-France")
drop("2018-12-15-001", "E186", "12.25 France in Île-de-France")
drop("2018-12-15-001", "E214", "12.25 France in Île-de-France")

# ---------------------------------------------------------------- 12.26 lower-case heads: whole NOM, own name FAC/NAM
R = "12.26 lower-case head"
# the nested name is the facility's own name (not the person it honours)
for i, eid in (
    ("2016-01-04-002", "E15"),
    ("2016-06-28-002", "E4"),
    ("2016-07-15-001", "E15"),
    ("2017-03-17-003", "E4"),
    ("2017-04-10-001", "E8"),
    ("2017-04-10-001", "E15"),
    ("2018-12-01-001", "E172"),
    ("2018-12-24-001", "E115"),
):
    retype(i, eid, R + " (facility's own name)", type="FAC")
# «église Saint-Pierre et Saint-Paul»: one church, one name
d = doc(W + "2017-04-10-001")
e30 = rec(d, "E30")
e31 = rec(d, "E31")
setspan(d, e30, e30["start"], e31["end"])
e30["type"] = "FAC"
log(W + "2017-04-10-001", f"{R} (facility's own name): E30 «Saint-Pierre» PER/NAM -> «{e30['text']}» FAC/NAM")
drop("2017-04-10-001", "E31", R + " (merged into E30)")
# whole NOM (PLACE/TARGET, or its nested name only locates it)
for i, eid in (
    ("2016-01-04-002", "E14"),
    ("2016-01-04-002", "E22"),
    ("2016-01-14-003", "E9"),
    ("2016-03-27-001", "E9"),
    ("2016-06-28-002", "E3"),
    ("2016-08-13-001", "E7"),
    ("2016-08-13-001", "E15"),
    ("2016-09-05-002", "E7"),
    ("2016-12-12-001", "E58"),
    ("2017-01-25-006", "E10"),
    ("2017-02-17-002", "E7"),
    ("2017-03-17-003", "E3"),
    ("2017-05-26-001", "E10"),
    ("2017-06-20-001", "E2"),
    ("2017-10-01-004", "E2"),
    ("2017-10-01-004", "E5"),
    ("2017-10-03-001", "E5"),
    ("2018-09-17-001", "E4"),
    ("2018-09-17-001", "E13"),
    ("2018-12-01-002", "E36"),
    ("2018-12-08-001", "E110"),
    ("2018-12-08-001", "E111"),
    ("2018-12-08-001", "E118"),
    ("2018-12-08-001", "E233"),
    ("2018-12-08-001", "E548"),
    ("2018-12-08-001", "E788"),
    ("2018-12-15-001", "E72"),
    ("2018-12-15-001", "E227"),
    ("2018-12-15-001", "E331"),
    ("2018-12-22-001", "E77"),
    ("2018-12-22-001", "E124"),
    ("2018-12-22-001", "E262"),
    ("2018-12-22-001", "E365"),
    ("2018-12-27-001", "E66"),
):
    retype(i, eid, R, mention="NOM")
# the facility's own name nested (FAC/NAM), added where missing
for i, eid, sub in (
    ("2016-01-04-002", "E22", "Al-Fateh"),
    ("2017-01-25-006", "E10", "Dayah"),
    ("2017-10-03-001", "E5", "Mandalay Bay"),
    ("2018-09-17-001", "E4", "Maximilien"),
    ("2018-09-17-001", "E13", "Maximilien"),
    ("2018-12-15-001", "E331", "Halles"),
    ("2018-12-22-001", "E262", "Saint-Lazare"),
):
    add_in(i, eid, sub, "FAC", R + " (own name nested)")
retype("2017-10-01-004", "E3", R + " (the station's name, as «Saint-Charles» in 2018-12-01-001)", type="FAC")
retype("2017-10-01-004", "E6", R + " (the station's name, as «Saint-Charles» in 2018-12-01-001)", type="FAC")
# not PLACE/TARGET: the own name alone (10.3 «gare Saint-Lazare» -> «Saint-Lazare» seul)
for i, eid in (
    ("2018-12-15-001", "E55"),
    ("2018-12-15-001", "E65"),
    ("2018-12-15-001", "E171"),
    ("2018-12-01-002", "E52"),
):
    drop(i, eid, R + " (not PLACE/TARGET: the nested own name stays alone)")
for i, eid, sub in (
    ("2018-12-08-001", "E178", "Saint-Lazare"),
    ("2018-12-08-001", "E482", "Saint-Lazare"),
    ("2018-12-08-001", "E512", "Saint-Lazare"),
    ("2018-12-08-001", "E520", "Saint-Lazare"),
    ("2018-12-08-001", "E574", "Saint-Lazare"),
    ("2018-12-08-001", "E455", "Bichat"),
    ("2018-12-08-001", "E516", "Bichât"),
    ("2018-12-22-001", "E156", "Saint-Lazare"),
    ("2018-12-22-001", "E208", "Notre-Dame"),
    ("2018-09-17-001", "E19", "Maximilien"),
    ("2018-12-27-001", "E87", "Droulez"),
):
    shrink(i, eid, sub, R + " (not PLACE/TARGET: own name alone)")

# ---------------------------------------------------------------- 3.1 lower-case institution: «préfecture de police de Paris» NOM
for i, eid in (
    ("2018-12-01-002", "E8"),
    ("2018-12-06-001", "E101"),
    ("2018-12-08-001", "E93"),
    ("2018-12-15-001", "E252"),
    ("2018-12-22-001", "E147"),
    ("2018-12-22-001", "E350"),
):
    retype(i, eid, "3.1 lower-case institution", mention="NOM")

# ---------------------------------------------------------------- 10.6 the movement is never ORG; 3.1 description after «un»
retype("2018-12-01-002", "E38", "10.6 movement", type="PROTESTER")
rec(doc(W + "2018-12-01-002"), "E38")["actor"] = "gilets-jaunes"
retype("2017-09-28-001", "E17", "3.1 description («un Gouvernement régional autonome uni»)", mention="NOM")

# ---------------------------------------------------------------- 12.27 demonyms are NOM
for i, eid in (
    ("2016-01-12-002", "E13"),
    ("2017-02-17-002", "E42"),
    ("2017-02-17-002", "E43"),
    ("2018-12-15-001", "E306"),
):
    retype(i, eid, "12.27 demonym", mention="NOM")

from secnews.validate.engine import validate_document  # noqa: E402

bad = {i: [f.message for f in validate_document(d) if f.severity == "error"] for i, d in _docs.items()}
bad = {i: m for i, m in bad.items() if m}
if bad:
    sys.exit(f"not written, documents do not validate: {bad}")
save_all()

for i in sorted(LOG):
    if SPLIT.get(i) != "test":
        continue
    write_post(i)
    lines = "".join(f"  - {x}\n" for x in LOG[i])
    with Path(f"corpus/adjudication/{i}.review.md").open("a", encoding="utf-8") as fh:
        fh.write(
            f"\nGold 1.0.2 consistency sweep (lead, `corpus/worksheets/lead/sweep-1.2-consistency.py`, rulings 10.3, "
            f"12.25-12.27 of GUIDELINES.md), {len(LOG[i])} item(s) changed in `{i}.post.yaml`:\n{lines}"
        )
