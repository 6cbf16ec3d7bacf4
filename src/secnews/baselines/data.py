"""A release's rows per config and split, and the conversions the baselines need (IOB tags, spans)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from secnews.core.findings import SecnewsError, make_finding
from secnews.quality.score import Labels, iob_chunks, read_rows
from secnews.release.card import front_matter

Row = dict[str, Any]


def shards(release: Path, config: str, split: str) -> list[Path]:
    return sorted((release / config).glob(f"{split}-*.parquet"))


def split_rows(release: Path, config: str, split: str) -> tuple[list[Row], Labels]:
    """Every row of one config's split (all shards) and the label names of its ClassLabel columns."""
    files = shards(release, config, split)
    if not files:
        raise SecnewsError(
            make_finding(
                "SCORE_UNREADABLE",
                what=f"{config}/{split}",
                source=str(release),
                detail="no shard in the release folder",
            )
        )
    rows: list[Row] = []
    names: dict[str, list[str]] = {}
    for f in files:
        part, part_names = read_rows(f, "release")
        rows.extend(part)
        names.update(part_names)
    return rows, Labels(names)


def release_version(release: Path) -> str:
    """The version the card names (the folder's name when it has no card)."""
    return str(front_matter(release / "README.md").get("secnews_release") or release.name)


def tag_names(rows: Iterable[Row], labels: Labels) -> Iterator[list[str]]:
    for row in rows:
        yield [labels("ner_tags", t) for t in row["ner_tags"]]


def spans_to_tags(
    starts: Sequence[int], ends: Sequence[int], spans: Iterable[tuple[int, int, str]]
) -> list[str]:
    """IOB2 tags of a sentence's tokens for character spans (a token overlapping a span is in it);
    a span overlapping tokens already tagged is left out (one tag per token)."""
    tags = ["O"] * len(starts)
    for s, e, label in sorted(spans):
        inside = [i for i, (a, b) in enumerate(zip(starts, ends, strict=True)) if a < e and s < b]
        if not inside or any(tags[i] != "O" for i in inside):
            continue
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + label
    return tags


def tags_to_spans(
    starts: Sequence[int], ends: Sequence[int], tags: Sequence[str]
) -> list[tuple[int, int, str]]:
    """Character spans of IOB2 tags (seqeval's chunking)."""
    return [(starts[a], ends[b], kind) for kind, a, b in iob_chunks(tags)]


def trigger_tags(ner_rows: Sequence[Row], doc_rows: Sequence[Row], labels: Labels) -> list[list[str]]:
    """IOB2 event-trigger tags (B-<event type>) per ``ner`` sentence, from the documents' gold events."""
    triggers: dict[str, list[tuple[int, int, str]]] = {}
    for doc in doc_rows:
        triggers[doc["id"]] = [
            (e["trigger"]["start"], e["trigger"]["end"], labels("events.type", e["type"]))
            for e in doc.get("events") or []
        ]
    out = []
    for row in ner_rows:
        lo, hi = row["sentence_start"], row["sentence_end"]
        mine = [t for t in triggers.get(row["doc_id"], []) if lo <= t[0] < hi]
        out.append(spans_to_tags(row["token_starts"], row["token_ends"], mine))
    return out


def documents_by_id(rows: Iterable[Row]) -> Mapping[str, Row]:
    return {r["id"]: r for r in rows}
