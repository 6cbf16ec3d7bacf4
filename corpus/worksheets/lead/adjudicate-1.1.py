"""Gold 1.1 test split: adjudicate pass-1 (the earlier single gold pass) and pass-2 (an independent
annotator following Guidelines 1.1) into `gold`, by the written policy of corpus/adjudication/POLICY-1.1.md.

For every conflict `secnews adjudicate` lists, one decision with its reason:
- an item pass-2 has: keep:pass-2 (annotated under the one 1.1 text; the sweeps only brought pass-1
  part of the way);
- an item only pass-1 has, and no pass-2 item of the same layer overlaps it: keep:pass-1 (a
  mention one annotator found and nobody contradicts: recall was the audit's main finding);
- an item only pass-1 has that overlaps a pass-2 item (another boundary or trigger for the same
  thing): drop (pass-2's version is kept by the first rule).
Same event in both with pass-1's arguments a strict superset of pass-2's: keep:pass-1.
Odonyms: pass-1's FAC/NAM is kept and eponyms nested in a pass-2 odonym are dropped (Guidelines 10.3).
Manual decisions in corpus/adjudication/<doc>.manual.yaml override the policy (the hand review of 1.0.2 wrote
one for every conflict). Then corpus/adjudication/<doc>.post.yaml, if present, is applied: the reviewed gold
worksheet (dumped after the merge) that corrects items both passes agreed on; <doc>.review.md lists each.
Writes corpus/adjudication/<doc>.resolutions.yaml and <doc>.md, then merges. Run from the repository root.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from secnews.validate.guidelines import leading_determiner

SECNEWS = [sys.executable, "-m", "secnews.cli.main"]
ADJ = Path("corpus/adjudication")
DOCS = Path("corpus/documents")


def spans(doc: dict, set_id: str, layer: str) -> list[tuple[int, int]]:
    s = next(a for a in doc["annotations"] if a["id"] == set_id)
    if layer == "events":
        return [(e["trigger"]["start"], e["trigger"]["end"]) for e in s["events"]]
    if layer == "attributions":
        return [(a["cue"]["start"], a["cue"]["end"]) for a in s["attributions"]]
    if layer in ("entities", "timexes"):
        return [(e["start"], e["end"]) for e in s[layer]]
    return []


ODONYM = re.compile(
    r"^(rue|avenue|boulevard|place|quai|pont|porte|route|autoroute|impasse|allée|cours)\s.*[A-ZÀ-Ý]"
)


def odonyms(doc: dict, set_id: str) -> list[tuple[int, int, str]]:
    s = next(a for a in doc["annotations"] if a["id"] == set_id)
    return [
        (e["start"], e["end"], e["text"])
        for e in s["entities"]
        if e["type"] == "FAC" and ODONYM.match(e["text"])
    ]


def richer_args(one: str, two: str) -> bool:
    """Same type, realis and toll, and `one`'s arguments a strict superset of `two`'s."""
    if "; args: " not in one or "; args: " not in two:
        return False
    head1, args1 = one.split("; args: ", 1)
    head2, args2 = two.split("; args: ", 1)
    a1 = set() if args1 == "-" else set(args1.split(", "))
    a2 = set() if args2 == "-" else set(args2.split(", "))
    return head1 == head2 and a1 > a2


def breaks_guideline(c: dict) -> bool:
    """A span the validator refuses in a gold set (a leading determiner: Guidelines 10.11)."""
    return c["layer"] in ("entities", "events") and leading_determiner(c["text"]) is not None


def decide(doc: dict, c: dict, bad_pass2: list[tuple[int, int]]) -> dict:
    labels = c["labels"]
    span = None
    if "-" in c["where"] and c["where"].replace("-", "").isdigit():
        span = tuple(int(x) for x in c["where"].split("-"))
    if (
        c["layer"] == "entities"
        and ODONYM.match(c["text"])
        and labels.get("pass-1", "").startswith("FAC/NAM")
    ):
        return {"decision": "keep:pass-1", "note": "policy: odonyms are names, FAC/NAM (Guidelines 10.3)"}
    if c["layer"] == "entities" and span is not None:
        outer = odonyms(doc, "pass-2") + odonyms(doc, "pass-1")
        inside = [(a, b) for a, b, t in outer if a <= span[0] and span[1] <= b and (a, b) != span]
        if inside:
            return {
                "decision": "drop",
                "note": "policy: the eponym of an odonym is not annotated (Guidelines 10.3)",
            }
    if c["layer"] == "events" and richer_args(labels.get("pass-1", "—"), labels.get("pass-2", "—")):
        return {
            "decision": "keep:pass-1",
            "note": "policy: same event, pass-1 has every pass-2 argument and more",
        }
    if labels.get("pass-2", "—") != "—":
        return {"decision": "keep:pass-2", "note": "policy: pass-2 (guide 1.1)"}
    if span is not None:
        s, e = span
        if any(a < e and s < b for a, b in spans(doc, "pass-2", c["layer"])):
            return {"decision": "drop", "note": "policy: pass-2 annotates the same words differently"}
    return {"decision": "keep:pass-1", "note": "policy: pass-1 only, not contradicted (recall)"}


def main(doc_ids: list[str]) -> None:
    for doc_id in doc_ids:
        path = DOCS / f"{doc_id}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        run = subprocess.run(
            [*SECNEWS, "adjudicate", str(path), "--sets", "pass-1,pass-2", "--dry-run", "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        report = json.loads(run.stdout)[0]
        manual_path = ADJ / f"{doc_id}.manual.yaml"
        manual = yaml.safe_load(manual_path.read_text(encoding="utf-8")) if manual_path.exists() else {}
        bad = [
            tuple(int(x) for x in c["where"].split("-"))
            for c in report["conflicts"]
            if c["labels"].get("pass-1", "—") == "—" and breaks_guideline(c)
        ]
        res = {c["id"]: manual.get(c["id"]) or decide(doc, c, bad) for c in report["conflicts"]}
        for _ in range(6):  # a kept pass-1 relation may point at a pass-1 item the policy dropped
            (ADJ / f"{doc_id}.resolutions.yaml").write_text(
                "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in res.items()),
                encoding="utf-8",
            )
            done = subprocess.run(
                [
                    *SECNEWS,
                    "adjudicate",
                    str(path),
                    "--sets",
                    "pass-1,pass-2",
                    "--into",
                    "gold",
                    "--force",
                    "--resolutions",
                    str(ADJ / f"{doc_id}.resolutions.yaml"),
                    "--by",
                    "lead-i12",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            dangling = re.findall(r"ADJUDICATION_DANGLING_REF\] [^«]*? points at «(.+?)»", done.stderr)
            if done.returncode == 0 or not dangling:
                break
            revived = False
            for c in report["conflicts"]:
                if c["layer"] == "entities" and c["text"] in dangling and res[c["id"]]["decision"] == "drop":
                    res[c["id"]] = {
                        "decision": "keep:pass-1",
                        "note": "policy: an adjudicated event refers to it",
                    }
                    revived = True
            for c in report["conflicts"]:
                if (
                    not revived
                    and c["layer"] == "relations"
                    and any(f"«{t}»" in c["where"] for t in dangling)
                ):
                    res[c["id"]] = {
                        "decision": "drop",
                        "note": "policy: relation to an item pass-2 annotates differently",
                    }
        post = ADJ / f"{doc_id}.post.yaml"
        if done.returncode == 0 and post.exists():  # reviewed corrections to items both passes agreed on
            fixed = subprocess.run(
                [*SECNEWS, "annotate", "apply", str(post)], capture_output=True, text=True, check=False
            )
            print(
                doc_id,
                "post-adjudication corrections",
                "applied" if fixed.returncode == 0 else fixed.stderr[-2000:],
            )
        subprocess.run(
            [
                *SECNEWS,
                "adjudicate",
                str(path),
                "--sets",
                "pass-1,pass-2",
                "--format",
                "markdown",
                "--resolutions",
                str(ADJ / f"{doc_id}.resolutions.yaml"),
                "--dry-run",
                "--report",
                str(ADJ / f"{doc_id}.md"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        kinds = [v["decision"] for v in res.values()]
        print(
            doc_id,
            len(kinds),
            {k: kinds.count(k) for k in sorted(set(kinds))},
            "exit",
            done.returncode,
            done.stdout.strip().splitlines()[-1:],
            done.stderr.strip().splitlines()[:3],
        )


if __name__ == "__main__":
    main(sys.argv[1:])
