"""What a lenient pull refused: one annotation (or one task) at a time, never the whole batch.

An annotation team works on one project: a typo in one annotation must not keep everybody else's
work out of the corpus. So a pull checks each annotation alone: the valid ones are written, and each
refused one is reported with the rule's code, the task, the annotator and the task's URL, so the
person who can fix it is told where. ``--strict`` keeps the all-or-nothing import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from secnews.core.findings import Finding


@dataclass
class Refusal:
    """One annotation (``set_id``) or one whole task (``set_id`` None) that was not imported."""

    task: object
    annotator: str | None
    set_id: str | None
    findings: list[Finding] = field(default_factory=list)
    project: object = None

    @property
    def code(self) -> str:
        return self.findings[0].code if self.findings else "LS_REFUSED"

    def url(self, server: str | None) -> str | None:
        """Where the annotator opens the task in the editor (None offline or without a project)."""
        if not server or self.project is None:
            return None
        return f"{server.rstrip('/')}/projects/{self.project}/data?task={self.task}"

    def line(self, server: str | None = None) -> str:
        """One line per refusal: code, task, annotator, URL, then the first finding's message."""
        who = self.annotator or "-"
        what = f"set {self.set_id}" if self.set_id else "whole task"
        url = self.url(server)
        first = self.findings[0].message if self.findings else "refused"
        more = f" (+{len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        return f"[{self.code}] task {self.task} ({what}, {who}){' ' + url if url else ''}: {first}{more}"
