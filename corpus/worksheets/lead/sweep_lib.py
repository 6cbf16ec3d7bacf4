"""Gold 1.1 sweep helpers: read, fix and re-validate gold sets (nothing is written unless the document validates)."""

import subprocess
import sys
from pathlib import Path

from secnews.model.document import gold_set, read_document, write_document
from secnews.validate.engine import validate_document

D = Path("corpus/documents")
_docs = {}


def doc(i):
    if i not in _docs:
        _docs[i] = read_document(D / f"{i}.json")
    return _docs[i]


def rec(d, rid):
    g = gold_set(d)
    for layer in ("entities", "events", "attributions", "timexes"):
        for r in g[layer]:
            if r["id"] == rid:
                return r
    raise KeyError(rid)


def setspan(d, r, start, end):
    r["start"], r["end"], r["text"] = start, end, d["text"][start:end]


def strip_lead(i, rid, n, key=None):
    d = doc(i)
    r = rec(d, rid)
    r = r[key] if key else r
    s = r["start"] + n
    while d["text"][s] == " ":
        s += 1
    setspan(d, r, s, r["end"])


def widen_word(i, rid, key=None):
    d = doc(i)
    r = rec(d, rid)
    r = r[key] if key else r
    t = d["text"]
    s, e = r["start"], r["end"]
    while s > 0 and t[s - 1].isalnum():
        s -= 1
    while e < len(t) and t[e].isalnum():
        e += 1
    setspan(d, r, s, e)


def move(i, rid, start, length, key=None):
    d = doc(i)
    r = rec(d, rid)
    r = r[key] if key else r
    setspan(d, r, start, start + length)


def content(i, aid, quote, near):
    d = doc(i)
    t = d["text"]
    a = rec(d, aid)
    s = t.index(quote, max(0, a["cue"]["start"] - near))
    a["content"].append({"start": s, "end": s + len(quote), "text": quote})


def next_id(g, prefix="E"):
    """The first free id ``<prefix><n>`` of an annotation set (ids are unique across its layers)."""
    used = {
        r["id"] for layer in ("entities", "events", "timexes", "attributions", "relations") for r in g[layer]
    }
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def save_all():
    bad = 0
    for i, d in _docs.items():
        errs = [f for f in validate_document(d) if f.severity == "error"]
        if errs:
            bad += 1
            print(i, [f.message for f in errs[:3]])
            continue
        write_document(d, D / f"{i}.json")
    print("saved", len(_docs) - bad, "failed", bad)


def write_post(doc_id):
    """A test document's corrected gold becomes corpus/adjudication/<doc>.post.yaml: adjudicate-1.1.py
    re-applies it after every re-merge of the two passes, so the correction survives."""
    dump = subprocess.run(
        [
            sys.executable,
            "-m",
            "secnews.cli.main",
            "annotate",
            "dump",
            f"corpus/documents/{doc_id}.json",
            "--set",
            "gold",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(f"corpus/adjudication/{doc_id}.post.yaml").write_text(dump, encoding="utf-8")
