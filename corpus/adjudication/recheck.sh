#!/bin/bash
# Re-run adjudication on a temp copy and compare to the gold set stored in the corpus (read-only check).
cd /work/main
id=$1; tmp=$(mktemp -d)
cp corpus/documents/$id.json $tmp/$id.json
.venv/bin/secnews adjudicate $tmp/$id.json --sets pass-1,pass-2 --into gold --force --resolutions /work/annot/adjudication/$id.resolutions.yaml --by adjudicator-1 >/dev/null 2>$tmp/err || { echo "$id: RERUN FAILED"; grep -v '^    ' $tmp/err | grep -v ' -> ' | head; }
.venv/bin/python - "$id" "$tmp/$id.json" <<'PY'
import json,sys
id,tmpf=sys.argv[1:3]
def g(p):
    d=json.load(open(p)); a=[x for x in d['annotations'] if x['id']=='gold'][0]
    return {k:v for k,v in a.items() if k not in ('created','updated')}
a=g(f'/work/main/corpus/documents/{id}.json'); b=g(tmpf)
print(id, 'gold up to date' if a==b else 'GOLD DIFFERS: ' + str([k for k in set(a)|set(b) if a.get(k)!=b.get(k)]))
PY
rm -rf $tmp
