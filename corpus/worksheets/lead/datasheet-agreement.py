"""Rewrite DATASHEET.md's agreement block: pass-1 vs pass-2 on the test split of release line 1.x.

Run from the repository root after adjudicating (python corpus/worksheets/lead/datasheet-agreement.py).
"""

import json
import subprocess
import sys
from pathlib import Path

import yaml

test = [
    line.split("\t")[0] for line in Path("corpus/splits.tsv").read_text().splitlines() if "\ttest\t" in line
]
paths = [f"corpus/documents/{i}.json" for i in test]
double = [
    i
    for i in test
    if {"pass-1", "pass-2"}
    <= {a["id"] for a in json.loads(Path(f"corpus/documents/{i}.json").read_text())["annotations"]}
]
n_conflicts = sum(
    len(
        yaml.safe_load((Path("corpus/adjudication") / f"{i}.resolutions.yaml").read_text(encoding="utf-8"))
        or {}
    )
    for i in double
)
table = subprocess.run(
    [
        sys.executable,
        "-m",
        "secnews.cli.main",
        "agreement",
        *paths,
        "--sets",
        "pass-1,pass-2",
        "--format",
        "markdown",
    ],
    capture_output=True,
    text=True,
    check=True,
).stdout
rest = (
    "" if len(double) == len(test) else f"; the other {len(test) - len(double)} keep their single gold pass"
)
intro = f"""Agreement is measured on the **test split of release line 1.x** ({len(test)} documents): each
test document is annotated twice independently (`pass-1`: the earlier single gold pass, brought to
Guidelines 1.1 by the sweeps; `pass-2`: another annotator following the one 1.1 text, who did not see
`pass-1`), then adjudicated into gold **by hand, conflict by conflict**: since 1.0.2 every one of the
{n_conflicts} conflicts has a decision with its reason written by an adjudicator
(`corpus/adjudication/<doc>.manual.yaml`, or `<doc>.resolutions.yaml` for the 7 documents adjudicated by
hand under guide 1.0; summary in `corpus/adjudication/REPORT-1.1.md`; the mechanical
policy that 1.0.1 used, `POLICY-1.1.md`, is kept as its record). At this release **{len(double)} of
{len(test)} test documents have both passes**{rest}. 7 of the {len(double)} were double-annotated under
guide 1.0 (release 0.1.0's sample, adjudicated then by hand). For the Trèbes article
(wikinews-fr-2018-03-23-001) `pass-2` is a third attempt (annotator-v3), made with the guideline, the
taxonomy and the model suggestions only: the two earlier second passes had seen lines of other passes
of this document. The figures compare `pass-1` with `pass-2` (`secnews agreement --sets pass-1,pass-2`
over the test documents), before adjudication.

Gold entities against WiNER-fr's independent annotations (names, types collapsed to Person / Location /
Organization): see `docs/winer-comparison.md`.

"""
ds = Path("DATASHEET.md")
text = ds.read_text(encoding="utf-8")
begin, end = "<!-- BEGIN GENERATED: agreement -->\n", "<!-- END GENERATED: agreement -->"
i, j = text.index(begin) + len(begin), text.index(end)
ds.write_text(text[:i] + intro + table.rstrip("\n") + "\n" + text[j:], encoding="utf-8")
print(len(double), "of", len(test))
