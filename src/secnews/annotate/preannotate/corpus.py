"""Pre-annotating documents on disk: stream, parse in batches, write each prediction set atomically.

Documents are read lazily and fed to ``nlp.pipe`` in batches (the parse dominates the cost). With
``n_process`` > 1 the files are spread over forked workers, each a whole pipeline (parse *and*
rules): ``nlp.pipe(n_process=...)`` would parallelise the parse only and send every ``Doc`` back
pickled, leaving the rules to one core. Everything built lazily (model, lemma tables, gazetteer,
validator) is built before the fork, so that the workers share it instead of each building its own.
With ``parse_cache`` a text parsed by an earlier run is read back instead of parsed (``parses.py``).
A document that cannot be read or lacks a text is reported as a coded finding and skipped; the
others are written only when their bytes change, so re-running on an unchanged corpus touches no
file.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secnews.annotate.preannotate.build import LAYERS, build_prediction_set, checked, replace_set
from secnews.annotate.preannotate.parses import default_parse_cache_dir, open_parse_cache
from secnews.annotate.preannotate.pipeline import load_nlp
from secnews.core.findings import Finding, SecnewsError, make_finding
from secnews.model.document import dumps_document, iter_document_files, read_document, write_document

Record = dict[str, Any]


@dataclass
class PreannotateReport:
    documents: int = 0
    written: int = 0
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    records: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "written": self.written,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.docs_per_second, 2),
            "records": dict(sorted(self.records.items())),
            "findings": [f.to_dict() for f in self.findings],
        }


def _usable(doc: Any, path: Path) -> Finding | None:
    """Why a parsed JSON value cannot be pre-annotated (None when it can)."""
    if not isinstance(doc, dict):
        return make_finding("PREANNOTATE_BAD_DOCUMENT", file=str(path), detail="not a JSON object")
    text = doc.get("text")
    meta = doc.get("meta")
    if not isinstance(text, str) or not text:
        return make_finding("PREANNOTATE_BAD_DOCUMENT", file=str(path), detail="no text")
    if not isinstance(meta, dict) or not isinstance(meta.get("published"), str):
        return make_finding("PREANNOTATE_BAD_DOCUMENT", file=str(path), detail="no meta.published date")
    if not isinstance(doc.get("annotations", []), list):
        return make_finding("PREANNOTATE_BAD_DOCUMENT", file=str(path), detail="annotations is not a list")
    return None


def predict_document(
    doc: Record, layers: tuple[str, ...] = LAYERS, parsed: Any = None
) -> tuple[Record, list[Finding]]:
    """The checked prediction set of one in-memory document (parsing it unless ``parsed`` is given)."""
    nlp = load_nlp()
    problem = _usable(doc, Path(str(doc.get("id", "<document>")) if isinstance(doc, dict) else "<document>"))
    if problem is not None:
        raise SecnewsError(problem)
    parsed = parsed if parsed is not None else nlp(doc["text"])
    try:
        ann = build_prediction_set(doc, parsed, nlp, layers)
    except SecnewsError:
        raise
    except ValueError as exc:  # an unusable DCT surfaces here from the timex rules
        raise SecnewsError(
            make_finding("PREANNOTATE_BAD_DOCUMENT", doc_id=doc.get("id"), detail=str(exc))
        ) from None
    except Exception as exc:
        raise SecnewsError(
            make_finding(
                "PREANNOTATE_BAD_DOCUMENT",
                doc_id=doc.get("id"),
                detail=f"the rules failed on this document ({type(exc).__name__}: {exc}); please report it",
            )
        ) from None
    return checked(doc, ann)


@dataclass
class _Outcome:
    """One file's result, as a worker process hands it back (picklable)."""

    path: Path
    doc: Record | None = None
    ann: Record | None = None
    findings: list[Finding] = field(default_factory=list)


def _parses(
    todo: list[tuple[str, tuple[int, Record]]], batch_size: int, cache_root: Path | None
) -> Iterator[Any]:
    """(Doc, context) for every (text, context), in order: from the parse cache when ``cache_root`` is
    set and holds the text, else from ``nlp.pipe`` (and then stored)."""
    nlp = load_nlp()
    if cache_root is None:
        yield from nlp.pipe(todo, as_tuples=True, batch_size=batch_size)
        return
    parses = open_parse_cache(cache_root, nlp)
    cached = [parses.get(text) for text, _ in todo]
    missing = [item for item, hit in zip(todo, cached, strict=True) if hit is None]
    fresh = nlp.pipe(missing, as_tuples=True, batch_size=batch_size)
    for (text, context), hit in zip(todo, cached, strict=True):
        if hit is not None:
            yield hit, context
            continue
        parsed, _ = next(fresh)
        parses.put(text, parsed)
        yield parsed, context


def _predict_files(
    files: list[Path], layers: tuple[str, ...], batch_size: int, cache_root: Path | None = None
) -> list[_Outcome]:
    """Read, parse (``nlp.pipe`` or the parse cache) and predict a chunk of files; one outcome per
    file, in order."""
    outcomes: list[_Outcome | None] = [None] * len(files)
    todo: list[tuple[str, tuple[int, Record]]] = []
    for i, path in enumerate(files):
        try:
            doc = read_document(path)
        except SecnewsError as exc:
            outcomes[i] = _Outcome(path, findings=list(exc.findings))
            continue
        problem = _usable(doc, path)
        if problem is not None:
            outcomes[i] = _Outcome(path, findings=[problem])
            continue
        todo.append((doc["text"], (i, doc)))
    for parsed, (i, doc) in _parses(todo, batch_size, cache_root):
        try:
            ann, notes = predict_document(doc, layers, parsed)
        except SecnewsError as exc:
            for f in exc.findings:  # a rule deep in the pipeline does not know which file it read
                f.file, f.doc_id = f.file or str(files[i]), f.doc_id or doc.get("id")
            outcomes[i] = _Outcome(files[i], findings=list(exc.findings))
            continue
        outcomes[i] = _Outcome(files[i], doc, ann, notes)
    return [o for o in outcomes if o is not None]


def _chunks(files: list[Path], size: int) -> Iterator[list[Path]]:
    for i in range(0, len(files), size):
        yield files[i : i + size]


#: a short article that goes through every rule (see :func:`warm_up`)
_WARM_UP_TEXT = (
    "Mali : attaque contre un camp de l'armée\n\n"
    "Le 3 janvier, des hommes armés ont attaqué un camp de l'armée malienne près de Gao, tuant trois "
    "soldats, selon l'AFP. « Les assaillants ont été repoussés », a déclaré l'état-major, qui aurait "
    "arrêté deux suspects."
)


def warm_up(layers: tuple[str, ...] = LAYERS) -> None:
    """Build everything the first prediction builds lazily (model, gazetteer, country names,
    taxonomy, validator, lemma cache) by predicting one short article: done before forking, it is
    shared by the workers instead of rebuilt in each. Only a speed-up: a failure here is left to the
    real documents to report."""
    doc = {
        "id": "warm-up",
        "text": _WARM_UP_TEXT,
        "meta": {"published": "2024-01-05", "source": "warm-up", "language": "fr", "license": "unknown"},
        "annotations": [],
    }
    try:
        predict_document(doc, layers)
    except Exception:
        return


def _outcomes(
    files: list[Path],
    layers: tuple[str, ...],
    batch_size: int,
    n_process: int,
    cache_root: Path | None = None,
) -> Iterator[_Outcome]:
    """Outcomes in file order: in this process, or from ``n_process`` forked workers (each a whole
    pipeline: parse *and* rules)."""
    nlp = load_nlp()  # loaded before the fork: the workers share the model's pages
    if cache_root is not None:
        open_parse_cache(cache_root, nlp)  # its folder prepared once, before the workers use it
    if n_process <= 1:
        for chunk in _chunks(files, batch_size * 4):
            yield from _predict_files(chunk, layers, batch_size, cache_root)
        return
    warm_up(layers)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(n_process) as pool:
        jobs = ((chunk, layers, batch_size, cache_root) for chunk in _chunks(files, batch_size))
        for outcomes in pool.imap(_predict_star, jobs):
            yield from outcomes


def _predict_star(job: tuple[list[Path], tuple[str, ...], int, Path | None]) -> list[_Outcome]:
    return _predict_files(*job)


def preannotate_paths(
    paths: Iterable[Path | str],
    layers: tuple[str, ...] = LAYERS,
    *,
    batch_size: int = 32,
    write: bool = True,
    progress: Any = None,
    n_process: int = 1,
    parse_cache: bool | Path = False,
) -> PreannotateReport:
    """Pre-annotate every document under ``paths`` (files or directories), replacing only our set.

    ``progress`` is called with the number of documents done after each one (a progress bar's
    ``advance``); ``write=False`` computes everything and writes nothing (a dry run, a benchmark).
    ``n_process`` > 1 spreads the documents over forked workers; files are written by this process,
    in the same order, with the same bytes. ``parse_cache`` reuses (and stores) the parses of texts
    seen before: True for ``.secnews_cache/parses``, or a folder; the predictions are the same.
    """
    report = PreannotateReport()
    files = list(iter_document_files(paths))
    cache_root: Path | None = None
    if parse_cache is True:
        cache_root = default_parse_cache_dir()
    elif parse_cache is not False:
        cache_root = Path(parse_cache)
    started = time.perf_counter()
    for outcome in _outcomes(files, layers, batch_size, n_process, cache_root):
        path, doc, ann = outcome.path, outcome.doc, outcome.ann
        if doc is None or ann is None:
            report.failed += 1
            report.findings.extend(outcome.findings)
            continue
        notes = outcome.findings
        report.findings.extend(notes)
        report.documents += 1
        for layer in LAYERS:
            report.records[layer] += len(ann[layer])
        new_doc = replace_set(doc, ann)
        if write and dumps_document(new_doc) != path.read_text(encoding="utf-8"):
            write_document(new_doc, path)
            report.written += 1
        else:
            report.unchanged += 1
        if progress is not None:
            progress(1)
    report.seconds = time.perf_counter() - started
    return report


def count_documents(paths: Iterable[Path | str]) -> int:
    """How many files a run will visit (for a progress bar's total)."""
    return sum(1 for _ in iter_document_files(paths))
