"""The speed work on pre-annotation (issue 15) changes no prediction.

``tests/data/preannotate_reference.json`` holds, for every document of ``corpus/documents``, the
sha256 of the prediction set and of the findings that the code *before* that work produced (the
set's ``annotator`` and ``origin`` left out, so that a version bump does not move it). The documents
are pre-annotated again from scratch (their set removed) by one process, by two worker processes,
with an empty parse cache and with a full one: every digest must be the reference's.

To regenerate after a deliberate rule change: run ``python tests/annotate/test_preannotate_speed.py``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from secnews.core.paths import documents_dir
from secnews.model.document import read_document, save_document

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "preannotate_reference.json"
SET_ID = "pred-secnews-rules"


def digest(ann: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    """sha256 of a prediction set (without its version fields) and of its findings."""
    kept = {k: v for k, v in ann.items() if k not in ("annotator", "origin")}
    blob = json.dumps({"set": kept, "findings": findings}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


@pytest.fixture(scope="module")
def reference() -> dict[str, str]:
    return dict(json.loads(REFERENCE.read_text(encoding="utf-8")))


def _sample(tmp: Path, step: int) -> list[str]:
    """Every ``step``-th corpus document copied into ``tmp`` without its prediction set."""
    names = []
    for src in sorted(documents_dir().glob("*.json"))[::step]:
        doc = read_document(src)
        doc["annotations"] = [a for a in doc["annotations"] if a.get("id") != SET_ID]
        save_document(doc, tmp)
        names.append(src.name)
    return names


def _digests(folder: Path, names: list[str], report: Any) -> dict[str, str]:
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for f in report.findings:
        by_doc.setdefault(f.doc_id, []).append(f.to_dict())
    out = {}
    for name in names:
        doc = read_document(folder / name)
        ann = next(a for a in doc["annotations"] if a["id"] == SET_ID)
        out[name] = digest(ann, by_doc.get(doc["id"], []))
    return out


def test_reference_covers_the_corpus(reference: dict[str, str]) -> None:
    assert sorted(reference) == sorted(p.name for p in documents_dir().glob("*.json"))


@pytest.mark.parametrize("n_process", [1, 2])
def test_predictions_identical_cold_and_warm_parse_cache(
    reference: dict[str, str], tmp_path: Path, n_process: int
) -> None:
    from secnews.annotate.preannotate import preannotate_paths

    folder, cache = tmp_path / "docs", tmp_path / "parses"
    folder.mkdir()
    names = _sample(folder, step=3 if n_process == 1 else 5)
    expected = {name: reference[name] for name in names}
    cold = preannotate_paths([folder], batch_size=8, n_process=n_process, parse_cache=cache)
    assert (cold.documents, cold.written, cold.failed) == (len(names), len(names), 0)
    assert _digests(folder, names, cold) == expected
    assert len(list(cache.rglob("*.spacy"))) == len(names)
    # the same files again, every parse from the cache: nothing to rewrite, the same findings
    before = {name: (folder / name).read_bytes() for name in names}
    warm = preannotate_paths([folder], batch_size=8, n_process=n_process, parse_cache=cache)
    assert (warm.documents, warm.written) == (len(names), 0)
    assert [f.to_dict() for f in warm.findings] == [f.to_dict() for f in cold.findings]
    assert {name: (folder / name).read_bytes() for name in names} == before


def test_parse_cache_entries_are_keyed_by_text_and_survive_garbage(tmp_path: Path) -> None:
    from secnews.annotate.preannotate import load_nlp
    from secnews.annotate.preannotate.parses import open_parse_cache

    nlp = load_nlp()
    (tmp_path / "stale-fingerprint").mkdir(parents=True)
    parses = open_parse_cache(tmp_path, nlp)
    assert not (tmp_path / "stale-fingerprint").exists()  # another pipeline's parses are removed
    text = "Trois soldats ont été tués hier à Gao, selon l'armée."
    assert parses.get(text) is None
    doc = nlp(text)
    parses.put(text, doc)
    back = parses.get(text)
    assert back is not None and back.text == text
    assert [(t.lemma_, t.pos_, t.dep_, t.head.i, t.is_sent_start) for t in back] == [
        (t.lemma_, t.pos_, t.dep_, t.head.i, t.is_sent_start) for t in doc
    ]
    assert [(e.start, e.end, e.label_) for e in back.ents] == [(e.start, e.end, e.label_) for e in doc.ents]
    entry = next(tmp_path.rglob("*.spacy"))
    entry.write_bytes(b"not a parse")
    assert parses.get(text) is None  # a torn entry is a miss, not an error


def test_cli_reuses_parses_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: dict[str, str]
) -> None:
    from click.testing import CliRunner

    from secnews.annotate.preannotate import corpus
    from secnews.cli.preannotate import command

    cache = tmp_path / "cache" / "parses"
    monkeypatch.setattr(corpus, "default_parse_cache_dir", lambda: cache)
    folder = tmp_path / "docs"
    folder.mkdir()
    names = _sample(folder, step=40)
    runner = CliRunner()
    res = runner.invoke(command, ["--format", "json", "--n-process", "1", "--no-cache", str(folder)])
    assert res.exit_code == 0, res.output
    assert not cache.exists()
    res = runner.invoke(command, ["--format", "json", "--n-process", "1", "--dry-run", str(folder)])
    assert res.exit_code == 0, res.output
    assert len(list(cache.rglob("*.spacy"))) == len(names)
    res = runner.invoke(command, ["--format", "json", "--n-process", "1", str(folder)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["written"] == 0  # the --no-cache run wrote the same sets


if __name__ == "__main__":  # regenerate the reference with the code as it is
    from secnews.annotate.preannotate import LAYERS
    from secnews.annotate.preannotate.corpus import _predict_files

    files = sorted(documents_dir().glob("*.json"))
    ref = {
        o.path.name: digest(o.ann, [f.to_dict() for f in o.findings])
        for o in _predict_files(files, LAYERS, 16)
        if o.ann is not None
    }
    REFERENCE.write_text(json.dumps(ref, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(ref)} digests -> {REFERENCE}", file=sys.stderr)
