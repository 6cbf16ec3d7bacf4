"""corpus/adjudication/REPORT-1.1.md: one row per adjudicated test document (decisions by kind)."""

import json
import re
from collections import Counter
from pathlib import Path

import yaml

ADJ = Path("corpus/adjudication")
test = [
    line.split("\t")[0] for line in Path("corpus/splits.tsv").read_text().splitlines() if "\ttest\t" in line
]
rows, total = [], Counter()
for doc_id in test:
    res = ADJ / f"{doc_id}.resolutions.yaml"
    doc = json.loads(Path(f"corpus/documents/{doc_id}.json").read_text())
    sets = {a["id"]: a for a in doc["annotations"]}
    if "pass-1" not in sets or not res.exists() or not (ADJ / f"{doc_id}.md").exists():
        continue
    decisions = yaml.safe_load(res.read_text(encoding="utf-8")) or {}
    kinds = Counter(
        re.sub(r"^keep:(pass-\d)$", r"keep \1", d if isinstance(d, str) else d["decision"]).split(":")[0]
        for d in decisions.values()
    )
    manual = ADJ / f"{doc_id}.manual.yaml"
    hands = (
        sorted(
            {
                v.get("by")
                for v in (yaml.safe_load(manual.read_text(encoding="utf-8")) or {}).values()
                if isinstance(v, dict) and v.get("by")
            }
        )
        if manual.exists()
        else []
    )
    if "policy:" in res.read_text(encoding="utf-8"):
        by = "1.1 policy"
    elif hands:
        by = "hand, 1.0.2 review (" + ", ".join(hands) + ")"
    else:
        by = "hand, guide 1.0 adjudicator"
    post = "yes" if (ADJ / f"{doc_id}.post.yaml").exists() else ""
    total.update(kinds)
    rows.append(
        f"| {doc_id} | {by} | {sets['pass-1']['annotator']} | {sets['pass-2']['annotator']} | {sum(kinds.values())} | "
        f"{kinds['keep pass-1']} | {kinds['keep pass-2']} | {kinds['drop']} | {kinds['replace']} | {post} |"
    )
out = [
    "# Adjudication of the gold 1.1 test split",
    "",
    "Every conflict of every test document is decided by hand (the 1.0.2 review replaced the mechanical",
    "policy of `POLICY-1.1.md`, kept as the record of 1.0.1). Per document: `<doc>.manual.yaml` (the hand",
    "decision for each conflict, with its reason), `<doc>.resolutions.yaml` (what was applied), `<doc>.md`",
    "(the conflict report), `<doc>.review.md` (the adjudicator's summary: decisions that differ from the",
    "policy, corrections), `<doc>.post.yaml` (the reviewed gold worksheet, when items both passes agreed on",
    "had to be corrected).",
    "Regenerate with `python corpus/worksheets/lead/adjudication-report.py`.",
    "",
    "| document | adjudicated by | pass-1 | pass-2 | conflicts | keep pass-1 | keep pass-2 | drop | replace | post |",
    "|---|---|---|---|---:|---:|---:|---:|---:|---|",
    *rows,
    f"| total ({len(rows)} documents) | | | | {sum(total.values())} | {total['keep pass-1']} | {total['keep pass-2']} | {total['drop']} | {total['replace']} | |",
    "",
]
(ADJ / "REPORT-1.1.md").write_text("\n".join(out), encoding="utf-8")
print(len(rows), dict(total))
