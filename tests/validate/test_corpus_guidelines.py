"""The shipped corpus against Guidelines 1.1: no error, and every guideline warning justified.

A warning of the guideline rules is a reading the heuristic cannot make (a victim that is a bare
number, an ORG and a FAC that share a name); the gold 1.1 sweep either fixed it or wrote why in
``corpus/notes/validation/<doc>.md``. A new unjustified warning means a new gold mistake or a note to write.
"""

from __future__ import annotations

import re
from pathlib import Path

from secnews.core.findings import all_rules
from secnews.validate.engine import validate_paths


def test_corpus_has_no_error_and_every_guideline_warning_is_justified(root: Path) -> None:
    report = validate_paths([root / "corpus" / "documents"])
    assert [f.message for f in report.findings if f.severity == "error"] == []
    guideline = {r.code for r in all_rules() if r.category == "guideline"}
    notes = root / "corpus" / "notes" / "validation"
    unjustified = []
    for f in report.findings:
        if f.code not in guideline:
            continue
        note = notes / f"{f.doc_id}.md"
        text = note.read_text(encoding="utf-8") if note.exists() else ""
        pattern = rf"^- {f.code} .*\b{re.escape(f.annotation_id or '')}\b"
        if not re.search(pattern, text, re.M):
            unjustified.append(f"{f.doc_id} {f.annotation_id} {f.code}")
    assert unjustified == []
