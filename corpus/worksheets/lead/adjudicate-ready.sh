#!/bin/bash
# Gold 1.1 test split: adjudicate every test document whose pass-2 has been applied and that has no
# pass-1 yet (make-pass-1.py, then adjudicate-1.1.py), then refresh the release and the datasheet:
#   corpus/worksheets/lead/adjudicate-ready.sh && secnews release 1.0.2 \
#     && python corpus/worksheets/lead/datasheet-agreement.py
# (a new patch version: the splits of line 1.x, fixed by 1.0.0, never move; set RELEASE in the Makefile.)
set -e
cd "$(dirname "$0")/../../.."
PY=${PY:-python}
READY=$($PY - <<'PYEOF'
import json
from pathlib import Path
test = [l.split("\t")[0] for l in Path("corpus/splits.tsv").read_text().splitlines() if "\ttest\t" in l]
for i in test:
    s = {a["id"] for a in json.loads(Path(f"corpus/documents/{i}.json").read_text())["annotations"]}
    if "pass-2" in s and "pass-1" not in s:
        print(i)
PYEOF
)
[ -z "$READY" ] && { echo "no test document waiting for adjudication"; exit 0; }
$PY corpus/worksheets/lead/make-pass-1.py $READY
$PY corpus/worksheets/lead/adjudicate-1.1.py $READY
