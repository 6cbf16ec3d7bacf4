"""Merging an imported document into the corpus copy: by document id, then by annotation-set id.

A set the corpus does not have is added; a changed set replaces the corpus copy unless it is older
(``LS_STALE_ANNOTATION``: an import never replaces a newer annotation with an older one). A task
whose text differs from the corpus copy is refused (``LS_TEXT_CONFLICT``): its offsets would point
into another text.
"""

from __future__ import annotations

from typing import Any

import secnews.labelstudio.errors  # noqa: F401  (registers the LS_* rules)
from secnews.core.findings import Finding, Rule, make_finding, register

register(
    Rule(
        "LS_STALE_ANNOTATION",
        "Older annotation kept out",
        "warning",
        "task {task}: set {set} in the export (updated {new}) is older than the corpus copy ({old}); "
        "kept the corpus copy",
        "An import never replaces a newer annotation with an older one.",
        "labelstudio",
    ),
)


def merge_documents(
    old: dict[str, Any] | None, new: dict[str, Any], task_id: Any, findings: list[Finding]
) -> dict[str, Any]:
    """The corpus document with the task's sets merged in (by set id; newer replaces older)."""
    if old is None:
        return new
    if old.get("text") != new["text"]:
        at = next(
            (i for i, (a, b) in enumerate(zip(old.get("text", ""), new["text"], strict=False)) if a != b),
            min(len(old.get("text", "")), len(new["text"])),
        )
        findings.append(
            make_finding("LS_TEXT_CONFLICT", doc_id=new["id"], task=task_id, doc=new["id"], at=at)
        )
        return old
    merged = dict(old)
    annotations = list(old.get("annotations", []))
    position = {a.get("id"): i for i, a in enumerate(annotations)}
    for ann in new["annotations"]:
        i = position.get(ann["id"])
        if i is None:
            position[ann["id"]] = len(annotations)
            annotations.append(ann)
        elif annotations[i] != ann:
            if _older(ann.get("updated"), annotations[i].get("updated")):
                findings.append(
                    make_finding(
                        "LS_STALE_ANNOTATION",
                        doc_id=new["id"],
                        annotation_set=ann["id"],
                        task=task_id,
                        set=ann["id"],
                        new=ann.get("updated"),
                        old=annotations[i].get("updated"),
                    )
                )
            else:
                annotations[i] = ann
    merged["annotations"] = annotations
    return merged


def _older(new: Any, old: Any) -> bool:
    """ISO timestamps compare as strings; a missing one is never older."""
    return isinstance(new, str) and isinstance(old, str) and new < old
