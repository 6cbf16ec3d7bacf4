"""corpus/adjudication/REPORT-1.1.md: one row per adjudicated test document (decisions by kind)."""
import json

import yaml
import re
from collections import Counter
from pathlib import Path

ADJ = Path("corpus/adjudication")
test = [l.split("\t")[0] for l in Path("corpus/splits.tsv").read_text().splitlines() if "\ttest\t" in l]
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
    by = "1.1 policy" if "policy:" in res.read_text(encoding="utf-8") else "guide 1.0 adjudicator"
    total.update(kinds)
    rows.append(f"| {doc_id} | {by} | {sets['pass-1']['annotator']} | {sets['pass-2']['annotator']} | {sum(kinds.values())} | "
                f"{kinds['keep pass-1']} | {kinds['keep pass-2']} | {kinds['drop']} | {kinds['replace']} |")
out = [
    "# Adjudication of the gold 1.1 test split",
    "",
    "Policy: `POLICY-1.1.md`. Per document: `<doc>.resolutions.yaml` (every decision with its reason),",
    "`<doc>.md` (the conflict report), `<doc>.manual.yaml` (hand decisions overriding the policy).",
    "Regenerate with `python corpus/worksheets/lead/adjudication-report.py`.",
    "",
    "| document | adjudicated by | pass-1 | pass-2 | conflicts | keep pass-1 | keep pass-2 | drop | replace |",
    "|---|---|---|---|---:|---:|---:|---:|---:|",
    *rows,
    f"| total ({len(rows)} documents) | | | | {sum(total.values())} | {total['keep pass-1']} | {total['keep pass-2']} | {total['drop']} | {total['replace']} |",
    "",
]
(ADJ / "REPORT-1.1.md").write_text("\n".join(out), encoding="utf-8")
print(len(rows), dict(total))
