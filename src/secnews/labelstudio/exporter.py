"""Canonical documents -> Label Studio tasks (importable JSON), with chosen sets as pre-annotations.

Each task carries ``data.text`` (the canonical text: Label Studio offsets are computed on it),
``data.doc_id``, the fields the editor shows (``published``, ``title``...) and ``data.secnews``
(see :mod:`secnews.labelstudio.common`) so that importing the task back restores every set exactly.
Offsets are converted from code points to UTF-16 units here and nowhere else.

:func:`tasks_to_export` turns tasks into the shape of a Label Studio *export* (ids, timestamps,
``completed_by``...) without a server: the property test and the benchmark use it, and so can a
user who wants to check a round trip offline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import orjson

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_write_bytes
from secnews.labelstudio.common import FLAT_META_KEYS, SECNEWS_KEY, content_digest, set_header
from secnews.labelstudio.offsets import OffsetMap
from secnews.labelstudio.results import write_result
from secnews.model.document import iter_documents

As = Literal["predictions", "annotations"]


def select_sets(doc: dict[str, Any], sets: Iterable[str] | None) -> list[dict[str, Any]]:
    """The annotation sets to export: all of them, or those named by id, ``gold`` or ``annotator:<name>``."""
    anns = doc.get("annotations", [])
    if sets is None:
        return list(anns)
    wanted = list(sets)
    chosen = []
    for ann in anns:
        for sel in wanted:
            if (
                sel == ann.get("id")
                or (sel == "gold" and ann.get("status") == "gold")
                or sel == f"annotator:{ann.get('annotator')}"
                or sel == f"kind:{ann.get('kind')}"
            ):
                chosen.append(ann)
                break
    return chosen


def _model_version(ann: dict[str, Any]) -> str:
    origin = ann.get("origin") or {}
    if origin.get("model_version"):
        return str(origin["model_version"])
    annotator = str(ann.get("annotator", ""))
    if annotator.startswith("model:"):
        return annotator[len("model:") :]
    return f"{annotator}/{ann.get('id')}"


def _prediction(ann: dict[str, Any], result: list[dict[str, Any]]) -> dict[str, Any]:
    pred: dict[str, Any] = {"model_version": _model_version(ann), "result": result}
    score = (ann.get("origin") or {}).get("score")
    if isinstance(score, (int, float)) and 0 <= score <= 1:
        pred["score"] = score
    return pred


def _annotation(ann: dict[str, Any], result: list[dict[str, Any]]) -> dict[str, Any]:
    origin = ann.get("origin") or {}
    out: dict[str, Any] = {
        "result": result,
        "was_cancelled": ann.get("status") == "rejected",
        "ground_truth": ann.get("status") in ("reviewed", "gold"),
    }
    if isinstance(origin.get("lead_time"), (int, float)):
        out["lead_time"] = origin["lead_time"]
    return out


def document_to_task(
    doc: dict[str, Any], *, sets: Iterable[str] | None = None, as_: As = "predictions"
) -> dict[str, Any]:
    """One importable Label Studio task for one canonical document."""
    text = doc["text"]
    omap = OffsetMap(text)
    meta = doc.get("meta") or {}
    data: dict[str, Any] = {"text": text, "doc_id": doc["id"]}
    for key in FLAT_META_KEYS:
        data[key] = meta.get(key) if meta.get(key) is not None else ""
    entries, converted = [], []
    kind = "prediction" if as_ == "predictions" else "annotation"
    for ann in select_sets(doc, sets):
        try:
            result = write_result(ann, omap)
        except (KeyError, TypeError, AttributeError) as exc:
            raise SecnewsError(
                make_finding(
                    "LS_BAD_SET",
                    doc_id=doc["id"],
                    annotation_set=str(ann.get("id")),
                    doc=doc["id"],
                    set=ann.get("id"),
                    detail=f"incomplete set ({exc!r}); validate it first",
                )
            ) from None
        entries.append({"as": kind, "digest": content_digest(ann), "header": set_header(ann)})
        converted.append(_prediction(ann, result) if kind == "prediction" else _annotation(ann, result))
    data[SECNEWS_KEY] = {"schema_version": doc.get("schema_version"), "meta": meta, "sets": entries}
    return {"data": data, as_: converted}


def iter_tasks(
    paths: Iterable[Path | str], *, sets: Iterable[str] | None = None, as_: As = "predictions"
) -> Iterator[dict[str, Any]]:
    return tasks_of_documents((doc for _, doc in iter_documents(paths)), sets=sets, as_=as_)


def tasks_of_documents(
    docs: Iterable[dict[str, Any]], *, sets: Iterable[str] | None = None, as_: As = "predictions"
) -> Iterator[dict[str, Any]]:
    """Tasks of documents from any reader (canonical files, Parquet prediction shards...)."""
    set_list = list(sets) if sets is not None else None
    for doc in docs:
        yield document_to_task(doc, sets=set_list, as_=as_)


def write_tasks(tasks: Iterable[dict[str, Any]], out: Path | str) -> int:
    """Write tasks as one JSON list, atomically; returns how many."""
    chunks, n = [b"["], 0
    for task in tasks:
        if n:
            chunks.append(b",\n")
        chunks.append(orjson.dumps(task))
        n += 1
    chunks.append(b"]\n")
    atomic_write_bytes(Path(out), b"".join(chunks))
    return n


def export_documents(
    paths: Iterable[Path | str],
    out: Path | str,
    *,
    sets: Iterable[str] | None = None,
    as_: As = "predictions",
) -> int:
    """Export canonical documents as an importable Label Studio task file; returns the task count."""
    return write_tasks(iter_tasks(paths, sets=sets, as_=as_), out)


def export_document_stream(
    docs: Iterable[dict[str, Any]],
    out: Path | str,
    *,
    sets: Iterable[str] | None = None,
    as_: As = "predictions",
) -> int:
    """Like :func:`export_documents`, from documents already read (the layer below reads no Parquet)."""
    return write_tasks(tasks_of_documents(docs, sets=sets, as_=as_), out)


# ----------------------------------------------------------------------------------- export shape
def tasks_to_export(
    tasks: Iterable[dict[str, Any]],
    *,
    project: int = 1,
    user: int = 1,
    first_task: int = 1,
    first_id: int = 1,
    timestamp: str = "2026-01-01T00:00:00.000000Z",
) -> Iterator[dict[str, Any]]:
    """What a Label Studio server would export after importing ``tasks`` (ids and bookkeeping added)."""
    next_id = first_id
    for n, task in enumerate(tasks):
        tid = first_task + n
        out: dict[str, Any] = {
            "id": tid,
            "data": task["data"],
            "annotations": [],
            "predictions": [],
            "meta": {},
            "created_at": timestamp,
            "updated_at": timestamp,
            "project": project,
            "inner_id": tid,
            "total_annotations": 0,
            "cancelled_annotations": 0,
            "total_predictions": 0,
            "comment_count": 0,
            "unresolved_comment_count": 0,
            "last_comment_updated_at": None,
            "updated_by": None,
            "file_upload": None,
            "comment_authors": [],
        }
        for ann in task.get("annotations", []):
            out["annotations"].append(
                {
                    "id": next_id,
                    "completed_by": user,
                    "result": ann["result"],
                    "was_cancelled": ann.get("was_cancelled", False),
                    "ground_truth": ann.get("ground_truth", False),
                    "created_at": timestamp,
                    "updated_at": timestamp,
                    "draft_created_at": None,
                    "lead_time": ann.get("lead_time"),
                    "prediction": {},
                    "result_count": len(ann["result"]),
                    "unique_id": f"00000000-0000-0000-0000-{next_id:012d}",
                    "import_id": None,
                    "last_action": None,
                    "bulk_created": False,
                    "task": tid,
                    "project": project,
                    "updated_by": user,
                    "parent_prediction": None,
                    "parent_annotation": None,
                    "last_created_by": None,
                }
            )
            next_id += 1
        for pred in task.get("predictions", []):
            out["predictions"].append(
                {
                    "id": next_id,
                    "result": pred["result"],
                    "model_version": pred.get("model_version", ""),
                    "created_ago": "0 minutes",
                    "score": pred.get("score"),
                    "cluster": None,
                    "neighbors": None,
                    "mislabeling": 0.0,
                    "created_at": timestamp,
                    "updated_at": timestamp,
                    "model": None,
                    "model_run": None,
                    "task": tid,
                    "project": project,
                }
            )
            next_id += 1
        out["total_annotations"] = len(out["annotations"])
        out["total_predictions"] = len(out["predictions"])
        yield out
