#!/bin/bash
# list docs of second-1 with both sets and worksheet not modified in last 3 min
cd /work/main
now=$(date +%s)
for id in $(cat /work/annot/batches/second-1.txt); do
  sets=$(.venv/bin/python -c "import json;d=json.load(open('corpus/documents/$id.json'));print(','.join(a['id'] for a in d['annotations']))")
  ws=/work/annot/annotator-h/$id.yaml
  m=$(stat -c %Y $ws 2>/dev/null || echo 0)
  age=$((now-m))
  st=WAIT
  if [[ ",$sets," == *",pass-1,"* && ",$sets," == *",pass-2,"* && $age -ge 180 ]]; then st=READY; fi
  [[ ",$sets," == *",gold,"* ]] && st="$st(gold)"
  echo "$id $st age=${age}s sets=$sets"
done
