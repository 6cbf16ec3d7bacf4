"""The report's stylesheet and its two small scripts (kept here, in the package: no CDN, no build step)."""

from __future__ import annotations

STYLE = """\
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 small { font-weight: normal; color: #666; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .85rem; }
td, th { border: 1px solid #ddd; padding: .2rem .4rem; vertical-align: top; text-align: left; }
.meta, .legend { color: #555; font-size: .9rem; }
.text { white-space: pre-wrap; line-height: 2.3; border: 1px solid #eee; padding: .8rem; background: #fcfcfc; }
.ent { background: #ffe7a8; border-radius: .3rem; padding: .1rem .15rem; }
.ent[data-label="PER"] { background: #aa9cfc; } .ent[data-label="GPE"], .ent[data-label="LOC"] { background: #feca74; }
.ent[data-label="STATE_FORCE"], .ent[data-label="MULTINATIONAL_FORCE"] { background: #7aecec; }
.ent[data-label="ARMED_GROUP"], .ent[data-label="MILITIA"] { background: #ff9561; }
.ent[data-label="ORG"] { background: #bfe1d9; } .ent[data-label="WEAPON"], .ent[data-label="VEHICLE"] { background: #e4e7d2; }
.trig { background: #ff8197; font-weight: 600; border-radius: .3rem; padding: .1rem .15rem; }
.timex { border-bottom: 3px solid #2a7ae2; cursor: help; }
.cue { outline: 2px solid #6a3; border-radius: .2rem; }
.content { background: rgba(102, 170, 51, .12); }
.lbl { font-size: .6rem; font-weight: bold; text-transform: uppercase; margin-left: .25rem; vertical-align: middle;
       color: #333; background: rgba(255, 255, 255, .6); border-radius: .2rem; padding: 0 .15rem; }
.hl { outline: 3px solid #d00 !important; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; } .side .text { font-size: .85rem; }
.plot svg { max-width: 100%; height: auto; } figure.plot { margin: 1rem 0; }
#q { font-size: 1rem; padding: .3rem; width: 22rem; } .warn { color: #b00; }
"""

#: hovering a trigger outlines its arguments (ids are prefixed per rendered set)
DOC_SCRIPT = """\
for (const t of document.querySelectorAll('.trig[data-args]')) {
  const box = t.closest('.text');
  const prefix = box ? box.dataset.prefix : '';
  const args = t.dataset.args ? t.dataset.args.split(' ') : [];
  const toggle = on => { for (const r of args) { const el = document.getElementById(prefix + '-' + r); if (el) el.classList.toggle('hl', on); } };
  t.addEventListener('mouseenter', () => toggle(true));
  t.addEventListener('mouseleave', () => toggle(false));
}
"""

#: search by label over the inline JSON index; ?label=X preselects a label
INDEX_SCRIPT = """\
const index = JSON.parse(document.getElementById('label-index').textContent);
const q = document.getElementById('q'), results = document.getElementById('results'), count = document.getElementById('count');
function show() {
  const v = q.value.trim().toUpperCase();
  results.replaceChildren();
  if (!v) { count.textContent = ''; return; }
  const labels = Object.keys(index.labels).filter(l => l.toUpperCase() === v);
  const hits = labels.length ? labels : Object.keys(index.labels).filter(l => l.toUpperCase().includes(v));
  let n = 0;
  for (const label of hits.sort()) {
    for (const [doc, k] of Object.entries(index.labels[label]).sort()) {
      const li = document.createElement('li'), a = document.createElement('a');
      a.href = index.pages[doc]; a.textContent = index.titles[doc];
      li.append(a, ` (${doc}): ${k} × ${label}`); results.append(li); n++;
    }
  }
  count.textContent = `${n} result${n === 1 ? '' : 's'}`;
}
q.addEventListener('input', show);
const wanted = new URLSearchParams(location.search).get('label');
if (wanted) { q.value = wanted; show(); }
"""
