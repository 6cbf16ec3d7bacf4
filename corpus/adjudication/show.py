"""Compact side-by-side listing of annotation sets of a document (read-only)."""
import json, sys
doc = sys.argv[1]; sets = sys.argv[2].split(',') if len(sys.argv) > 2 else ['pass-1', 'pass-2']
d = json.load(open(f'/work/main/corpus/documents/{doc}.json'))
anns = {a['id']: a for a in d['annotations']}
for s in sets:
    a = anns.get(s)
    if not a: print('##', s, 'MISSING'); continue
    print(f"## {s} ({a.get('annotator')}) labels={a.get('labels')}")
    txt = {}
    for e in a.get('entities') or []:
        txt[e['id']] = e['text']
        print(f"  {e['id']:4} [{e['start']}-{e['end']}] {e['text']!r} {e['type']}/{e['mention']}" + (f" actor={e['actor']}" if e.get('actor') else ''))
    for t in a.get('timexes') or []:
        txt[t['id']] = t['text']
        print(f"  {t['id']:4} [{t['start']}-{t['end']}] {t['text']!r} {t['type']} {t['value']} mod={t.get('mod')} anchor={t.get('anchor')}")
    for v in a.get('events') or []:
        txt[v['id']] = v['trigger']['text']
    for v in a.get('events') or []:
        args = ', '.join(f"{x['role']}={x['ref']}:{txt.get(x['ref'])!r}" for x in v.get('arguments') or [])
        print(f"  {v['id']:4} [{v['trigger']['start']}-{v['trigger']['end']}] {v['trigger']['text']!r} {v['type']} {v['realis']} fat={v.get('fatalities')} | {args}")
    for at in a.get('attributions') or []:
        print(f"  {at['id']:4} cue={at['cue']['text']!r}[{at['cue']['start']}] src={at.get('source')}:{txt.get(at.get('source'))!r} {at['source_type']} {at['claim']} {at['certainty']} {at['quote']} ev={[ (e, txt.get(e)) for e in at.get('events') or []]}")
        for c in at.get('content') or []:
            print(f"        content[{c['start']}-{c['end']}] {c['text']!r}")
    for r in a.get('relations') or []:
        print(f"  {r['id']:4} {r['type']} {r['head']}:{txt.get(r['head'])!r} -> {r['tail']}:{txt.get(r['tail'])!r}")
