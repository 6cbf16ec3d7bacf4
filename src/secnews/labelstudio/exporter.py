"""Canonical documents -> Label Studio tasks (importable JSON), with chosen sets as pre-annotations.

Each task carries ``data.text`` (the canonical text: Label Studio offsets are computed on it),
``data.doc_id``, the fields the editor shows (``published``, ``title``...) and ``data.secnews``
(see :mod:`secnews.labelstudio.common`) so that importing the task back restores every set exactly.
Offsets are the canonical code-point offsets: Label Studio 1.23's editor counts the same way.

:func:`tasks_to_export` turns tasks into the shape of a Label Studio *export* (ids, timestamps,
``completed_by``...) without a server: the property test and the benchmark use it, and so can a
user who wants to check a round trip offline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import orjson

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_write_bytes
from secnews.labelstudio.common import (
    FLAT_META_KEYS,
    HASH_KEY,
    RELATION_IDS_KEY,
    SECNEWS_KEY,
    content_digest,
    set_header,
)
from secnews.labelstudio.results import relation_key, write_result
from secnews.model.document import iter_documents
from secnews.validate.engine import validate_document

As = Literal["predictions", "annotations"]


#: what annotators see by default when documents are pushed: model predictions only, so a blind
#: pass never starts from gold or from a colleague's set
DEFAULT_PUSH_SETS = ("kind:prediction",)


def select_sets(doc: dict[str, Any], sets: Iterable[str] | None) -> list[dict[str, Any]]:
    """The annotation sets to export: all of them (None or ``all``), or those named by id, ``gold``,
    ``annotator:<name>`` or ``kind:<kind>``."""
    anns = doc.get("annotations", [])
    if sets is None:
        return list(anns)
    wanted = list(sets)
    if "all" in wanted:
        return list(anns)
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
    meta = doc.get("meta") or {}
    data: dict[str, Any] = {"text": text, "doc_id": doc["id"]}
    for key in FLAT_META_KEYS:
        data[key] = meta.get(key) if meta.get(key) is not None else ""
    entries, converted = [], []
    kind = "prediction" if as_ == "predictions" else "annotation"
    for ann in select_sets(doc, sets):
        try:
            result = write_result(ann)
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
    relation_ids = _relation_ids(doc)
    if relation_ids:
        data[SECNEWS_KEY][RELATION_IDS_KEY] = relation_ids
    task = {"data": data, as_: converted}
    data[HASH_KEY] = task_hash(task)
    return task


def task_hash(task: dict[str, Any]) -> str:
    """A digest of what a pushed task shows (text, fields, pre-annotations), not of its hash field."""
    data = {k: v for k, v in task["data"].items() if k != HASH_KEY}
    body: dict[str, Any] = {"data": data}
    body.update((k, task[k]) for k in ("predictions", "annotations") if k in task)
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def _relation_ids(doc: dict[str, Any]) -> dict[str, str]:
    """``type|head|tail`` -> id of every record relation of the document (the first set's id wins)."""
    ids: dict[str, str] = {}
    for ann in doc.get("annotations", []):
        for rel in ann.get("relations") or []:
            ids.setdefault(relation_key(rel["type"], rel["head"], rel["tail"]), rel["id"])
    return ids


def iter_tasks(
    paths: Iterable[Path | str], *, sets: Iterable[str] | None = None, as_: As = "predictions"
) -> Iterator[dict[str, Any]]:
    return tasks_of_documents(_valid(iter_documents(paths)), sets=sets, as_=as_)


def _valid(pairs: Iterable[tuple[Path | str, dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """Documents that validate; the first invalid one stops the export with its findings.

    An invalid document (a dangling relation, a span past the text) makes a task Label Studio shows
    wrongly and the import refuses back: it is reported here, before any task is written.
    """
    for path, doc in pairs:
        errors = [f for f in validate_document(doc, file=str(path)) if f.severity == "error"]
        if errors:
            raise SecnewsError(*errors)
        yield doc


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
    pairs = ((str(doc.get("id", "<stream>")), doc) for doc in docs)
    return write_tasks(tasks_of_documents(_valid(pairs), sets=sets, as_=as_), out)


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


def synthetic_tasks(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """``n`` export tasks of synthetic documents: the gold set as an annotation (what the SDK's
    ``Converter`` converts) and a model set as a prediction. The benchmarks and the byte-identity
    tests read the same tasks, so a figure and its test speak of one export."""
    from secnews.model.synth import generate_document

    def tasks() -> Iterator[dict[str, Any]]:
        for i in range(n):
            doc = generate_document(seed * 1_000_003 + i, sentences=3 + i % 2, sets=2)
            task = document_to_task(doc, sets=["gold"], as_="annotations")
            pred = document_to_task(doc, sets=["pred-1"], as_="predictions")
            task["data"]["secnews"]["sets"] += pred["data"]["secnews"]["sets"]
            task["predictions"] = pred["predictions"]
            yield task

    return tasks_to_export(tasks())
