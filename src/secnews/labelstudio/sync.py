"""Live sync with a Label Studio server through ``label-studio-sdk``: push documents, pull annotations.

The server URL comes from ``--url`` or ``LABEL_STUDIO_URL``; the token only from the environment
(``LABEL_STUDIO_API_KEY``): never a command-line flag (shell history, ``ps``), never logged, never
written anywhere. Server error messages are scrubbed of it before they are shown.

``push`` creates the project (by title) with the generated config, or updates its config, imports
the documents not yet in it (matched by ``data.doc_id``) with the chosen sets as pre-annotations
(model predictions by default) and updates those whose content hash changed.
``pull`` asks for a snapshot export with full predictions, streams it to a temporary file and
imports it with :func:`secnews.labelstudio.importer.import_export`, annotation by annotation
(``strict``: all or nothing).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import secnews.labelstudio.errors  # noqa: F401
from secnews.core.extras import require
from secnews.core.findings import SecnewsError, make_finding
from secnews.labelstudio.common import HASH_KEY
from secnews.labelstudio.config import build_config
from secnews.labelstudio.exporter import DEFAULT_PUSH_SETS, As, document_to_task
from secnews.labelstudio.importer import ImportReport, import_export
from secnews.model.document import iter_documents

TOKEN_ENV = "LABEL_STUDIO_API_KEY"
URL_ENV = "LABEL_STUDIO_URL"
BATCH = 200


@dataclass
class Connection:
    url: str
    client: Any
    _token: str = field(repr=False)

    def scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def fail(self, exc: BaseException, doing: str) -> SecnewsError:
        detail = self.scrub(f"{doing}: {type(exc).__name__}: {exc}")[:800]
        return SecnewsError(make_finding("LS_SERVER_ERROR", url=self.url, detail=detail))


def connect(url: str | None = None) -> Connection:
    """A client for the server at ``url`` (or ``$LABEL_STUDIO_URL``) with ``$LABEL_STUDIO_API_KEY``."""
    url = url or os.environ.get(URL_ENV)
    if not url:
        raise SecnewsError(make_finding("LS_NO_URL"))
    token = os.environ.get(TOKEN_ENV)
    if not token:
        raise SecnewsError(make_finding("LS_NO_TOKEN"))
    sdk = require("label_studio_sdk", "labelstudio", "Label Studio sync (secnews ls push/pull)")
    return Connection(url.rstrip("/"), sdk.LabelStudio(base_url=url.rstrip("/"), api_key=token), token)


def find_project(conn: Connection, project: str | int) -> Any | None:
    """A project by id (an integer) or by exact title."""
    try:
        if isinstance(project, int) or str(project).isdigit():
            return conn.client.projects.get(id=int(project))
        for p in conn.client.projects.list(title=str(project)):
            if p.title == project:
                return p
        return None
    except SecnewsError:
        raise
    except Exception as exc:
        raise conn.fail(exc, f"looking up project {project!r}") from None


@dataclass
class PushReport:
    project_id: int
    project_created: bool
    config_updated: bool
    imported: int = 0
    #: tasks whose text or pre-annotations changed since the last push (updated in place)
    updated: list[str] = field(default_factory=list)
    #: tasks already on the server with the same content hash
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Present:
    task_id: int
    digest: str | None


def _existing_tasks(conn: Connection, project_id: int) -> dict[str, _Present]:
    """The project's tasks by document id, with the content hash each was pushed with."""
    found: dict[str, _Present] = {}
    for task in conn.client.tasks.list(project=project_id, fields="all", page_size=500):
        data = task.data or {}
        if data.get("doc_id"):
            found[str(data["doc_id"])] = _Present(task.id, data.get(HASH_KEY))
    return found


def _batches(items: Iterable[dict[str, Any]], n: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def _update_task(conn: Connection, present: _Present, task: dict[str, Any]) -> None:
    """Replace a task's data and its pre-annotations; the annotators' own annotations stay."""
    conn.client.tasks.update(id=present.task_id, data=task["data"])
    for old in conn.client.predictions.list(task=present.task_id):
        conn.client.predictions.delete(id=old.id)
    for pred in task.get("predictions") or []:
        conn.client.predictions.create(
            task=present.task_id,
            result=pred["result"],
            model_version=pred.get("model_version"),
            score=pred.get("score"),
        )


def push(
    paths: Iterable[Path | str],
    *,
    project: str,
    url: str | None = None,
    sets: Iterable[str] | None = DEFAULT_PUSH_SETS,
    as_: As = "predictions",
    progress: Callable[[int], None] | None = None,
) -> PushReport:
    """Create or update the project, import new documents and update the changed ones.

    ``sets`` chooses what annotators see (default: model predictions only, never gold or another
    person's set, so that passes stay blind; ``["all"]`` pushes every set). A document already in the
    project is updated when its content hash (text, fields, pre-annotations) changed, never duplicated.
    """
    conn = connect(url)
    xml = build_config()
    proj = find_project(conn, project)
    try:
        created = updated = False
        if proj is None:
            proj = conn.client.projects.create(title=project, label_config=xml)
            created = True
        elif (proj.label_config or "").strip() != xml.strip():
            conn.client.projects.update(id=proj.id, label_config=xml)
            updated = True
        report = PushReport(proj.id, created, updated)
        present = {} if created else _existing_tasks(conn, proj.id)
        set_list = list(sets) if sets is not None else None

        def tasks() -> Iterator[dict[str, Any]]:
            for _, doc in iter_documents(paths):
                task = document_to_task(doc, sets=set_list, as_=as_)
                there = present.get(doc["id"])
                if there is None:
                    yield task
                    continue
                if there.digest == task["data"][HASH_KEY]:
                    report.skipped.append(doc["id"])
                else:
                    _update_task(conn, there, task)
                    report.updated.append(doc["id"])
                if progress:
                    progress(1)

        for batch in _batches(tasks(), BATCH):
            conn.client.projects.import_tasks(id=proj.id, request=batch, return_task_ids=True)
            report.imported += len(batch)
            if progress:
                progress(len(batch))
        return report
    except SecnewsError:
        raise
    except Exception as exc:
        raise conn.fail(exc, f"pushing to project {project!r}") from None


def user_emails(conn: Connection) -> dict[int, str]:
    """Server user ids -> emails, so annotators are named as people know them."""
    try:
        return {u.id: u.email for u in conn.client.users.list() if getattr(u, "email", None)}
    except Exception as exc:
        raise conn.fail(exc, "listing users") from None


def download_snapshot(conn: Connection, project_id: int, out: Path) -> Path:
    """A full JSON export with full predictions, streamed to ``out`` (never held in memory)."""
    try:
        snap = conn.client.projects.exports.create(
            project_id, title="secnews pull", serialization_options={"predictions": {"only_id": False}}
        )
        try:
            with open(out, "wb") as fh:
                for chunk in conn.client.projects.exports.download(
                    id=project_id, export_pk=snap.id, export_type="JSON"
                ):
                    fh.write(chunk)
        finally:
            conn.client.projects.exports.delete(id=project_id, export_pk=snap.id)
    except Exception as exc:
        raise conn.fail(exc, f"exporting project {project_id}") from None
    return out


def pull(
    *,
    project: str,
    into: Path | str | None = None,
    url: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    strict: bool = False,
) -> ImportReport:
    """Export a snapshot of the project and import it into the corpus.

    Each annotation is checked alone (``report.refused`` lists those left out, with their task's
    URL): one bad annotation never blocks the team. ``strict``: all or nothing.
    """
    conn = connect(url)
    proj = find_project(conn, project)
    if proj is None:
        raise SecnewsError(make_finding("LS_SERVER_ERROR", url=conn.url, detail=f"no project {project!r}"))
    users = user_emails(conn)
    with tempfile.TemporaryDirectory(prefix="secnews-pull-") as tmp:
        path = download_snapshot(conn, proj.id, Path(tmp) / "export.json")
        report = import_export(path, into, dry_run=dry_run, progress=progress, users=users, strict=strict)
    report.server = conn.url
    return report
