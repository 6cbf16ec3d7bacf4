"""Live sync with a Label Studio server through ``label-studio-sdk``: push documents, pull annotations.

The server URL comes from ``--url`` or ``LABEL_STUDIO_URL``; the token only from the environment
(``LABEL_STUDIO_API_KEY``): never a command-line flag (shell history, ``ps``), never logged, never
written anywhere. Server error messages are scrubbed of it before they are shown.

``push`` creates the project (by title) with the generated config, or updates its config, and imports
the documents not yet in it (matched by ``data.doc_id``) with the chosen sets as pre-annotations.
``pull`` asks for a snapshot export with full predictions, streams it to a temporary file and
imports it with :func:`secnews.labelstudio.importer.import_export` (all or nothing).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import secnews.labelstudio.errors  # noqa: F401
from secnews.core.findings import SecnewsError, make_finding
from secnews.labelstudio.config import build_config
from secnews.labelstudio.exporter import As, document_to_task
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
    from label_studio_sdk import LabelStudio

    return Connection(url.rstrip("/"), LabelStudio(base_url=url.rstrip("/"), api_key=token), token)


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
    skipped: list[str] = field(default_factory=list)


def _existing_doc_ids(conn: Connection, project_id: int) -> set[str]:
    ids: set[str] = set()
    for task in conn.client.tasks.list(project=project_id, fields="all", page_size=500):
        data = task.data or {}
        if data.get("doc_id"):
            ids.add(str(data["doc_id"]))
    return ids


def _batches(items: Iterable[dict[str, Any]], n: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def push(
    paths: Iterable[Path | str],
    *,
    project: str,
    url: str | None = None,
    sets: Iterable[str] | None = None,
    as_: As = "predictions",
    progress: Callable[[int], None] | None = None,
) -> PushReport:
    """Create or update the project and import the documents it does not have yet."""
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
        present = set() if created else _existing_doc_ids(conn, proj.id)
        set_list = list(sets) if sets is not None else None

        def tasks() -> Iterator[dict[str, Any]]:
            for _, doc in iter_documents(paths):
                if doc["id"] in present:
                    report.skipped.append(doc["id"])
                    continue
                yield document_to_task(doc, sets=set_list, as_=as_)

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
    strict: bool = True,
) -> ImportReport:
    """Export a snapshot of the project and import it into the corpus (``strict``: all or nothing)."""
    conn = connect(url)
    proj = find_project(conn, project)
    if proj is None:
        raise SecnewsError(make_finding("LS_SERVER_ERROR", url=conn.url, detail=f"no project {project!r}"))
    users = user_emails(conn)
    with tempfile.TemporaryDirectory(prefix="secnews-pull-") as tmp:
        path = download_snapshot(conn, proj.id, Path(tmp) / "export.json")
        return import_export(path, into, dry_run=dry_run, progress=progress, users=users, strict=strict)
