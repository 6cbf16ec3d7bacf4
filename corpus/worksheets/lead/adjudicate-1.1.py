"""Gold 1.1 test split: adjudicate pass-1 (the earlier single gold pass) and pass-2 (an independent
annotator following Guidelines 1.1) into `gold`, by the written policy of corpus/adjudication/POLICY-1.1.md.

For every conflict `secnews adjudicate` lists, one decision with its reason:
- an item pass-2 has: keep:pass-2 (annotated under the one 1.1 text; the sweeps only brought pass-1
  part of the way);
- an item only pass-1 has, and no pass-2 item of the same layer overlaps it: keep:pass-1 (a
  mention one annotator found and nobody contradicts: recall was the audit's main finding);
- an item only pass-1 has that overlaps a pass-2 item (another boundary or trigger for the same
  thing): drop (pass-2's version is kept by the first rule).
Manual decisions in corpus/adjudication/<doc>.manual.yaml override the policy.
Writes corpus/adjudication/<doc>.resolutions.yaml and <doc>.md, then merges. Run from the repository root.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

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


def decide(doc: dict, c: dict) -> dict:
    labels = c["labels"]
    if labels.get("pass-2", "—") != "—":
        return {"decision": "keep:pass-2", "note": "policy: pass-2 (guide 1.1)"}
    if "-" in c["where"] and c["where"].replace("-", "").isdigit():
        s, e = (int(x) for x in c["where"].split("-"))
        if any(a < e and s < b for a, b in spans(doc, "pass-2", c["layer"])):
            return {"decision": "drop", "note": "policy: pass-2 annotates the same words differently"}
    return {"decision": "keep:pass-1", "note": "policy: pass-1 only, not contradicted (recall)"}


def main(doc_ids: list[str]) -> None:
    for doc_id in doc_ids:
        path = DOCS / f"{doc_id}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        run = subprocess.run(
            [*SECNEWS, "adjudicate", str(path), "--sets", "pass-1,pass-2", "--dry-run", "--format", "json"],
            capture_output=True, text=True, check=False,
        )
        report = json.loads(run.stdout)[0]
        manual_path = ADJ / f"{doc_id}.manual.yaml"
        manual = yaml.safe_load(manual_path.read_text(encoding="utf-8")) if manual_path.exists() else {}
        res = {c["id"]: manual.get(c["id"]) or decide(doc, c) for c in report["conflicts"]}
        for _ in range(6):  # a kept pass-1 relation may point at a pass-1 item the policy dropped
            (ADJ / f"{doc_id}.resolutions.yaml").write_text(
                "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in res.items()), encoding="utf-8"
            )
            done = subprocess.run(
                [*SECNEWS, "adjudicate", str(path), "--sets", "pass-1,pass-2", "--into", "gold", "--force",
                 "--resolutions", str(ADJ / f"{doc_id}.resolutions.yaml"), "--by", "lead-i12"],
                capture_output=True, text=True, check=False,
            )
            dangling = re.findall(r"ADJUDICATION_DANGLING_REF\] \w+ of \w+ points at «(.+?)»", done.stderr)
            if done.returncode == 0 or not dangling:
                break
            for c in report["conflicts"]:
                if c["layer"] == "relations" and any(f"«{t}»" in c["where"] for t in dangling):
                    res[c["id"]] = {"decision": "drop", "note": "policy: relation to an item pass-2 annotates differently"}
        subprocess.run(
            [*SECNEWS, "adjudicate", str(path), "--sets", "pass-1,pass-2", "--format", "markdown",
             "--resolutions", str(ADJ / f"{doc_id}.resolutions.yaml"), "--dry-run", "--report", str(ADJ / f"{doc_id}.md")],
            capture_output=True, text=True, check=False,
        )
        kinds = [v["decision"] for v in res.values()]
        print(doc_id, len(kinds), {k: kinds.count(k) for k in sorted(set(kinds))}, "exit", done.returncode,
              done.stdout.strip().splitlines()[-1:] , done.stderr.strip().splitlines()[:3])


if __name__ == "__main__":
    main(sys.argv[1:])
