"""CHANGELOG.md of a release: what changed since each previous release, from the records alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from secnews.core.project import load_project
from secnews.release.record import ReleaseRecord
from secnews.release.splits import SPLITS


def _delta(
    prev: Mapping[str, Mapping[str, int]], new: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for layer in sorted(set(prev) | set(new)):
        names = set(prev.get(layer, {})) | set(new.get(layer, {}))
        d = {n: new.get(layer, {}).get(n, 0) - prev.get(layer, {}).get(n, 0) for n in sorted(names)}
        d = {n: v for n, v in d.items() if v}
        if d:
            out[layer] = d
    return out


def changelog_entries(records: Sequence[ReleaseRecord]) -> list[dict[str, Any]]:
    """One entry per record (oldest first): documents added, removed, corrected; label count deltas."""
    out = []
    prev: ReleaseRecord | None = None
    for rec in records:
        old_docs = prev.documents if prev else {}
        out.append(
            {
                "version": rec.version,
                "date": rec.date,
                "previous": prev.version if prev else None,
                "schema_version": rec.schema_version,
                "documents": rec.statistics.get("documents", {}),
                "added": sorted(set(rec.documents) - set(old_docs)),
                "removed": sorted(set(old_docs) - set(rec.documents)),
                "corrected": sorted(
                    d for d in rec.documents if d in old_docs and old_docs[d] != rec.documents[d]
                ),
                "notes": rec.notes,
                "new_line": prev is not None and prev.version.split(".")[0] != rec.version.split(".")[0],
                "split_params": rec.split_params,
                "labels": _delta(
                    prev.statistics.get("labels", {}).get("all", {}) if prev else {},
                    rec.statistics.get("labels", {}).get("all", {}),
                ),
            }
        )
        prev = rec
    return out


def _ids(ids: Sequence[str], limit: int = 50) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def new_line_note(version: str, previous: str, split_params: Mapping[str, Any]) -> str:
    """Why a new major version re-deals the splits: released rows never move within a line, so a test
    split worth scoring (larger, covering every frequent event type) needs a new line."""
    line = version.split(".")[0]
    cover = split_params.get("cover")
    ratios = "/".join(f"{r:g}" for r in split_params.get("ratios", []))
    return (
        f"- **New release line {line}.x**: the splits are dealt afresh (ratios {ratios}"
        + (f"; every event type with at least {cover} gold mentions has test documents" if cover else "")
        + f"). Within a line a released document never changes split; the splits of {previous} stay frozen "
        f"in its record and its folder, which remain verifiable (`secnews release --verify`), but do not "
        f"constrain line {line}.x. Compare scores only within one line."
    )


def render_changelog(entries: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"# Changelog of the {load_project().name} releases",
        "",
        "Generated from the release records; newest first.",
    ]
    for e in reversed(entries):
        docs = e["documents"]
        lines += [
            "",
            f"## {e['version']} ({e['date']})",
            "",
            f"Schema {e['schema_version']}. "
            + ", ".join(f"{s}: {docs.get(s, 0):,}" for s in (*SPLITS, "all") if s in docs)
            + " documents"
            + (f"; compared with {e['previous']}:" if e["previous"] else "; first release."),
            "",
        ]
        if e.get("notes"):
            lines += [e["notes"].strip(), ""]
        if e.get("new_line"):
            lines.append(new_line_note(e["version"], e["previous"], e.get("split_params", {})))
        if e["previous"] is None:
            lines.append(f"- Documents: {len(e['added']):,}.")
        else:
            for key, title in (("added", "Added"), ("removed", "Removed"), ("corrected", "Corrected")):
                ids = e[key]
                lines.append(f"- {title}: {len(ids):,}" + (f" ({_ids(ids)})" if ids else "") + ".")
        if e["labels"]:
            lines.append("- Label counts" + (" (change)" if e["previous"] else "") + ":")
            for layer, d in e["labels"].items():
                cells = ", ".join(f"`{n}` {v:+,}" if e["previous"] else f"`{n}` {v:,}" for n, v in d.items())
                lines.append(f"  - {layer}: {cells}")
    return "\n".join(lines) + "\n"
