"""One exported Label Studio task -> one canonical document (its text, meta and annotation sets).

Rules for what Label Studio gives:

- Set ids are stable across re-imports: ``ls-<annotation id>`` and ``ls-pred-<prediction id>``
  (unless the task came from :mod:`secnews.labelstudio.exporter` and the set is unchanged, in which
  case its own header is restored). Status: cancelled -> ``rejected``, ground truth -> ``reviewed``
  (gold is decided by adjudication), otherwise ``submitted``.
- The task text must be the canonical text: NFC with ``\\n`` line ends. A task whose text contains
  ``\\r`` is refused (``LS_CRLF_TEXT``): Label Studio's offsets on CRLF text are unreliable
  (upstream bug), and remapping them would be a guess.
- The document id is ``data.doc_id`` (tasks exported by this toolkit carry it), else
  ``ls-<project>-<task id>``.

The regions of each annotation are read by :mod:`secnews.labelstudio.results`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import secnews.labelstudio.errors  # noqa: F401  (registers the LS_* rules)
from secnews.core.findings import Finding, Rule, make_finding, register
from secnews.core.ids import DOCUMENT_ID_RE
from secnews.core.project import load_project
from secnews.core.taxonomy import Taxonomy, load_taxonomy
from secnews.labelstudio.common import (
    CANONICAL_META_KEYS,
    HASH_KEY,
    RELATION_IDS_KEY,
    SECNEWS_KEY,
    content_digest,
)
from secnews.labelstudio.offsets import OffsetMap
from secnews.labelstudio.refusals import Refusal
from secnews.labelstudio.results import REGION_IDS_KEY, Where, read_result
from secnews.labelstudio.users import ANNOTATOR_UNRESOLVED
from secnews.model.document import SCHEMA_VERSION

register(
    Rule(
        "LS_PREDICTIONS_AS_IDS",
        "Predictions exported as ids",
        "warning",
        "{count} task(s) (first: task {task}) list their predictions as bare ids: the annotations are "
        "imported, the predictions are not; to get them, pull with `secnews ls pull` or export with "
        "predictions in full (SDK: projects.exports.create(..., serialization_options="
        "{{'predictions': {{'only_id': False}}}}))",
        "Label Studio's Export button and the SDK's as_json/download_sync write each prediction as its "
        "id only. The annotators' work is all there; the model's pre-annotations are not.",
        "labelstudio",
    ),
    Rule(
        "LS_JSON_MIN_EXPORT",
        "JSON_MIN export",
        "error",
        "row #{index} is a JSON_MIN row (flat, no 'data'): export the project as JSON (full) instead",
        "JSON_MIN drops relations (event arguments, attribution links, anchors), flattens per-region "
        "choices and keeps one annotation per row without its id, so it cannot carry a canonical set; "
        "importing it would silently lose layers.",
        "labelstudio",
    ),
    Rule(
        "LS_DATA_FIELD_IGNORED",
        "Task field not imported",
        "warning",
        "task {task}: data field {field!r} is not a document field and is not imported",
        "Only the text and the canonical meta fields become part of a document.",
        "labelstudio",
    ),
)

_DISPLAY_ONLY = {"text", "doc_id", SECNEWS_KEY, HASH_KEY, "id"}


def task_doc_id(task: dict[str, Any], data: dict[str, Any]) -> str:
    """``data.doc_id`` (tasks exported by this toolkit carry it), else ``ls-<project>-<task id>``."""
    if data.get("doc_id") is not None:
        return str(data["doc_id"])
    project = task.get("project")
    if project is None:
        anns = task.get("annotations") or task.get("predictions") or [{}]
        project = anns[0].get("project") if isinstance(anns[0], dict) else None
    return f"ls-{project if project is not None else 0}-{task.get('id')}"


def _meta(
    data: dict[str, Any], ours: dict[str, Any], task_id: Any, findings: list[Finding]
) -> dict[str, Any]:
    if isinstance(ours.get("meta"), dict):
        return dict(ours["meta"])
    meta: dict[str, Any] = {
        "source": "labelstudio",
        "language": load_project().language,
        "license": "unknown",
    }
    for key in CANONICAL_META_KEYS:
        if key in data and data[key] not in (None, ""):
            meta[key] = data[key]
    for key in data:
        if key not in CANONICAL_META_KEYS and key not in _DISPLAY_ONLY:
            findings.append(make_finding("LS_DATA_FIELD_IGNORED", task=task_id, field=key))
    return meta


def _annotator(completed_by: Any, users: dict[int, str] | None = None) -> str:
    """The annotator's e-mail when the export or the users map gives it, else the server's user id."""
    if users and isinstance(completed_by, int) and completed_by in users:
        return users[completed_by]
    if isinstance(completed_by, dict):
        return str(completed_by.get("email") or completed_by.get("username") or completed_by.get("id"))
    return "unknown" if completed_by is None else str(completed_by)


def _status(ann: dict[str, Any]) -> str:
    if ann.get("was_cancelled"):
        return "rejected"
    if ann.get("ground_truth"):
        return "reviewed"
    return "submitted"


def _extra(item: dict[str, Any], region_ids: dict[str, str]) -> dict[str, Any]:
    """Only the editor ids a round trip restores: the rest of what Label Studio sends (its draft,
    prediction copy, unique ids, bookkeeping) is its own state, up to 3/4 of a set's bytes, and
    would change the corpus whenever the server touched it."""
    return {REGION_IDS_KEY: dict(sorted(region_ids.items()))} if region_ids else {}


def _ls_header(
    item: dict[str, Any],
    kind: str,
    task: dict[str, Any],
    region_ids: dict[str, str],
    users: dict[int, str] | None = None,
) -> dict[str, Any]:
    """The canonical header of an annotation or prediction made in Label Studio."""
    is_pred = kind == "prediction"
    model_version = item.get("model_version")
    origin = {
        "tool": "labelstudio",
        "project": item.get("project", task.get("project")),
        "task": task.get("id"),
        "annotation": None if is_pred else item.get("id"),
        "prediction": item.get("id") if is_pred else item.get("parent_prediction"),
        "completed_by": None if is_pred else _scalar(item.get("completed_by")),
        "lead_time": item.get("lead_time"),
        "ground_truth": item.get("ground_truth"),
        "was_cancelled": item.get("was_cancelled"),
        "model_version": str(model_version) if model_version not in (None, "") else None,
        "score": item.get("score"),
        "extra": _extra(item, region_ids),
    }
    return {
        "id": f"ls-pred-{item.get('id')}" if is_pred else f"ls-{item.get('id')}",
        "kind": kind,
        "annotator": f"model:{model_version or 'unknown'}"
        if is_pred
        else _annotator(item.get("completed_by"), users),
        "status": "submitted" if is_pred else _status(item),
        "created": item.get("created_at"),
        "updated": item.get("updated_at"),
        "origin": origin,
    }


def _scalar(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("email") or value.get("id")
    return value


@dataclass
class TaskDocument:
    """A converted task: the document (None when it cannot be made), the findings, and the position
    of each set restored from a toolkit export (restored sets keep their exported order)."""

    doc: dict[str, Any] | None
    findings: list[Finding]
    restored_order: dict[str, int]
    refused: list[Refusal] = field(default_factory=list)


def task_to_document(
    task: Any,
    index: int = 0,
    *,
    taxonomy: Taxonomy | None = None,
    file: str | None = None,
    users: dict[int, str] | None = None,
    lenient: bool = False,
) -> TaskDocument:
    """Convert one exported task into a document (None with findings when it cannot be).

    ``lenient``: an annotation or prediction with an error is left out and listed in ``refused``
    (its findings with it) instead of failing the task, so one bad annotation does not keep the
    others out; a task that cannot become a document at all is still refused whole.
    """
    refused = _refusal(task, index, file)
    if refused is not None:
        return TaskDocument(None, [refused], {})
    data, task_id = task["data"], task.get("id", f"#{index}")
    text, doc_id = data["text"], task_doc_id(task, data)
    ours = data.get(SECNEWS_KEY) if isinstance(data.get(SECNEWS_KEY), dict) else {}
    findings: list[Finding] = []
    doc = {
        "schema_version": ours.get("schema_version", SCHEMA_VERSION),
        "id": doc_id,
        "text": text,
        "meta": _meta(data, ours, task_id, findings),
        "annotations": [],
    }
    exported = [s for s in ours.get("sets", []) if isinstance(s, dict) and isinstance(s.get("header"), dict)]
    used: set[int] = set()
    restored_order: dict[str, int] = {}
    omap, tax = OffsetMap(text), taxonomy or load_taxonomy()
    refusals: list[Refusal] = []
    relation_ids = ours.get(RELATION_IDS_KEY) if isinstance(ours.get(RELATION_IDS_KEY), dict) else None
    for kind, key in (("human", "annotations"), ("prediction", "predictions")):
        for item in task.get(key) or []:
            own: list[Finding] = []
            ann = _item_to_set(item, kind, task, text, omap, tax, own, doc_id, file, users, relation_ids)
            errors = [f for f in own if f.severity == "error"]
            if lenient and errors:
                findings.extend(f for f in own if f.severity != "error")
                refusals.append(_refused_item(item, kind, task, errors, users))
                continue
            findings.extend(own)
            if ann is None:
                continue
            pos = _match_exported(ann, kind, exported, used)
            if pos is not None:
                header = exported[pos]["header"]
                ann = {**header, **{k: ann[k] for k in ann if k not in header and k != "origin"}}
                restored_order[ann["id"]] = pos
            doc["annotations"].append(ann)
    # restored sets first, in their exported order; then the sets made in Label Studio
    doc["annotations"].sort(key=lambda a: restored_order.get(a["id"], len(exported)))
    return TaskDocument(doc, findings, restored_order, refusals)


def item_annotator(item: Any, kind: str, users: dict[int, str] | None = None) -> str:
    """Who made an annotation (as the corpus names them) or which model made a prediction."""
    if not isinstance(item, dict):
        return "unknown"
    if kind == "prediction":
        return f"model:{item.get('model_version') or 'unknown'}"
    return _annotator(item.get("completed_by"), users)


def _refused_item(
    item: Any, kind: str, task: dict[str, Any], errors: list[Finding], users: dict[int, str] | None
) -> Refusal:
    set_id = None
    if isinstance(item, dict):
        set_id = f"ls-pred-{item.get('id')}" if kind == "prediction" else f"ls-{item.get('id')}"
    project = task.get("project")
    if project is None and isinstance(item, dict):
        project = item.get("project")
    return Refusal(task.get("id"), item_annotator(item, kind, users), set_id, errors, project)


def _refusal(task: Any, index: int, file: str | None) -> Finding | None:
    """Why the task cannot become a document at all (no text, CRLF, not NFC, bad id), or None."""
    if isinstance(task, dict) and "data" not in task and "text" in task and "annotator" in task:
        return make_finding("LS_JSON_MIN_EXPORT", file=file, index=index)
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return make_finding("LS_BAD_TASK", file=file, index=index, detail=f"got {type(task).__name__}")
    data, task_id = task["data"], task.get("id", f"#{index}")
    text = data.get("text")
    if not isinstance(text, str) or not text:
        return make_finding("LS_TASK_WITHOUT_TEXT", file=file, task=task_id)
    if "\r" in text:
        return make_finding("LS_CRLF_TEXT", file=file, task=task_id)
    if not unicodedata.is_normalized("NFC", text):
        return make_finding("LS_TEXT_NOT_NFC", file=file, task=task_id)
    doc_id = task_doc_id(task, data)
    if not DOCUMENT_ID_RE.match(doc_id):
        return make_finding("LS_BAD_DOCUMENT_ID", file=file, task=task_id, value=doc_id)
    return None


def _item_to_set(
    item: Any,
    kind: str,
    task: dict[str, Any],
    text: str,
    omap: OffsetMap,
    tax: Taxonomy,
    findings: list[Finding],
    doc_id: str,
    file: str | None,
    users: dict[int, str] | None = None,
    relation_ids: dict[str, str] | None = None,
) -> dict[str, Any] | None:
    what = "prediction" if kind == "prediction" else "annotation"
    if kind == "prediction" and type(item) is int:
        findings.append(make_finding("LS_PREDICTIONS_AS_IDS", file=file, task=task.get("id"), count=1))
        return None
    if not isinstance(item, dict):
        findings.append(
            make_finding(
                "LS_MISSING_RESULT", file=file, doc_id=doc_id, what=what, ann="?", task=task.get("id")
            )
        )
        return None
    where = Where(task.get("id"), what, item.get("id"), doc_id=doc_id, file=file)
    where.set_id = f"ls-pred-{item.get('id')}" if kind == "prediction" else f"ls-{item.get('id')}"
    parsed = read_result(item.get("result"), text, omap, where, tax, relation_ids)
    findings.extend(parsed.findings)
    who = item.get("completed_by")
    if kind == "human" and type(who) is int and who not in (users or {}):
        findings.append(make_finding(ANNOTATOR_UNRESOLVED, file=file, task=task.get("id"), user=who, count=1))
    if not parsed.ok:
        return None
    return {
        **_ls_header(item, kind, task, parsed.region_ids, users),
        "labels": parsed.labels,
        **parsed.layers,
    }


def _match_exported(
    ann: dict[str, Any], kind: str, exported: list[dict[str, Any]], used: set[int]
) -> int | None:
    want = "prediction" if kind == "prediction" else "annotation"
    digest = content_digest(ann)
    for pos, entry in enumerate(exported):
        if pos not in used and entry.get("as") == want and entry.get("digest") == digest:
            used.add(pos)
            return pos
    return None
