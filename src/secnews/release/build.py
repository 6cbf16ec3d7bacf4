"""Versioned, reproducible releases: ``releases/<version>/`` + the record ``corpus/releases/<version>.json``.

A release folder is shaped like a Hugging Face dataset repository and loads offline with
``datasets.load_dataset("./releases/<version>", "<config>")``::

    README.md           dataset card (YAML configs + dataset_info from the code's Features; body)
    <config>/<split>-0000i-of-0000N.parquet   for documents, annotations, ner, events
    croissant.json      Croissant 1.0 metadata (mlcroissant), validated
    CHANGELOG.md        what changed since each previous release (documents, label counts)
    ATTRIBUTIONS.md     the licence and attribution of every source document
    SHA256SUMS          sha256 of every other file, sorted by path (``sha256sum -c`` format)

Only documents with a gold set, no validation error and a known licence are released; the others
are listed in the record with the reason. Splits come from :mod:`secnews.release.splits` (frozen manifest).

Reproducible: the same inputs give byte-identical files. Rows are sorted by document id, Parquet is
written by :func:`secnews.release.card.build_dataset_folder` (fixed zstd level, no timestamps), YAML
and JSON keys are sorted, and the only date in the files is the release date kept in the record (set
once, from ``--date``, ``SOURCE_DATE_EPOCH`` or the day of the first build). Rebuilding a recorded
version with different content is refused unless ``force``: a published version never changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from secnews.core.findings import Finding, Rule, SecnewsError, make_finding, register
from secnews.core.fs import atomic_write_text, current_umask, gc_free_worker, without_cyclic_gc
from secnews.model.document import Document, gold_set, iter_document_files, read_document
from secnews.release.splits import (
    SPLITS,
    DocMeta,
    Entry,
    Manifest,
    assign_splits,
    doc_meta,
    mark_released,
    read_manifest,
    write_manifest,
)

RECORD_FORMAT = 1
SUMS_FILE = "SHA256SUMS"
UNKNOWN_LICENSE = "unknown"
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
#: below this many files, scanning runs in-process (a worker pool costs more than it saves)
POOL_MIN_FILES = 2000

register(
    Rule(
        "RELEASE_BAD_VERSION",
        "Bad release version",
        "error",
        "version {version!r}: {detail}",
        "Versions are semantic (MAJOR.MINOR.PATCH): major for a schema change that breaks loading, minor for "
        "new or removed documents or labels, patch for corrections.",
        "release",
    ),
    Rule(
        "RELEASE_VERSION_EXISTS",
        "Released version would change",
        "error",
        "version {version} is already recorded with different content ({detail}); a published version never "
        "changes: release a new version, or pass --force if {version} was never published",
        "Researchers cite a version and expect it never to change.",
        "release",
    ),
    Rule(
        "RELEASE_NO_DOCUMENTS",
        "Nothing to release",
        "error",
        "no document is releasable (gold set, valid, known licence): {detail}",
        "A release holds only gold, valid, redistributable documents.",
        "release",
    ),
    Rule(
        "RELEASE_SPLIT_MOVED",
        "Released document changed split",
        "error",
        "{doc} was released in {was} by {version} and would now be in {now}",
        "A later version must never move a released document between splits.",
        "release",
    ),
    Rule(
        "RELEASE_NO_RECORD",
        "No release record",
        "error",
        "no release record for {detail}",
        "Verification compares a folder with the record written when the release was built.",
        "release",
    ),
    Rule(
        "RELEASE_CHECKSUM_MISMATCH",
        "Checksum mismatch",
        "error",
        "{path}: sha256 {found} differs from the {against} ({expected})",
        "A released file differs from the bytes recorded when the release was built.",
        "release",
    ),
    Rule(
        "RELEASE_MISSING_FILE",
        "Released file missing",
        "error",
        "{path} is recorded in the release but missing from the folder",
        "Every file of a release is recorded with its checksum.",
        "release",
    ),
    Rule(
        "RELEASE_EXTRA_FILE",
        "Unrecorded file in release",
        "error",
        "{path} is in the folder but not in the release record",
        "A release folder holds exactly the recorded files (no caches, no stray edits).",
        "release",
    ),
    Rule(
        "RELEASE_CROISSANT_INVALID",
        "Invalid Croissant metadata",
        "error",
        "croissant.json does not validate: {detail}",
        "Croissant metadata is validated with mlcroissant before a release is written.",
        "release",
    ),
    Rule(
        "RELEASE_NO_TOKEN",
        "No Hugging Face token",
        "error",
        "set HF_TOKEN to push a release (the token is read from the environment only)",
        "Tokens never appear on a command line or in logs.",
        "release",
    ),
    Rule(
        "RELEASE_DATASHEET_MARKERS",
        "Datasheet markers missing",
        "warning",
        "{file} has no '<!-- BEGIN GENERATED: {section} -->' ... '<!-- END GENERATED: {section} -->' block; left unchanged",
        "Only the generated blocks of DATASHEET.md are rewritten; the hand-written parts are kept.",
        "release",
    ),
)


# --------------------------------------------------------------------------- versions


def parse_version(version: str) -> tuple[int, int, int]:
    m = SEMVER_RE.match(version or "")
    if not m:
        raise SecnewsError(
            make_finding(
                "RELEASE_BAD_VERSION", version=version, detail="expected MAJOR.MINOR.PATCH, e.g. 0.1.0"
            )
        )
    return int(m[1]), int(m[2]), int(m[3])


def bump_kind(old: str, new: str) -> str | None:
    """``major``, ``minor`` or ``patch`` (the highest component that grew), None if not greater."""
    a, b = parse_version(old), parse_version(new)
    if b <= a:
        return None
    if b[0] > a[0]:
        return "major"
    return "minor" if b[1] > a[1] else "patch"


_BUMP_RANK = {"patch": 0, "minor": 1, "major": 2}


# --------------------------------------------------------------------------- records


@dataclass
class ReleaseRecord:
    """``corpus/releases/<version>.json``: everything needed to verify and compare releases."""

    version: str
    date: str
    schema_version: str
    previous: str | None
    splits: dict[str, list[str]]
    documents: dict[str, str]  # doc id -> sha256 of the canonical document
    files: dict[str, str]  # relative path -> sha256
    counts: dict[str, dict[str, int]]  # config -> split -> rows
    statistics: dict[str, Any]
    excluded: list[dict[str, Any]]
    split_params: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    format: int = RECORD_FORMAT

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "version": self.version,
            "date": self.date,
            "schema_version": self.schema_version,
            "previous": self.previous,
            "split_params": self.split_params,
            "counts": self.counts,
            "statistics": self.statistics,
            "sources": self.sources,
            "excluded": self.excluded,
            "files": self.files,
            "splits": self.splits,
            "documents": self.documents,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ReleaseRecord:
        return cls(
            version=d["version"],
            date=d["date"],
            schema_version=d["schema_version"],
            previous=d.get("previous"),
            splits={s: list(v) for s, v in d["splits"].items()},
            documents=dict(d.get("documents", {})),
            files=dict(d["files"]),
            counts=d.get("counts", {}),
            statistics=d.get("statistics", {}),
            excluded=list(d.get("excluded", [])),
            split_params=d.get("split_params", {}),
            sources=list(d.get("sources", [])),
            format=d.get("format", RECORD_FORMAT),
        )

    def split_of(self) -> dict[str, str]:
        return {doc_id: s for s, ids in self.splits.items() for doc_id in ids}


def dumps_record(record: ReleaseRecord) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_record(path: Path | str) -> ReleaseRecord:
    path = Path(path)
    try:
        return ReleaseRecord.from_dict(orjson.loads(path.read_bytes()))
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise SecnewsError(
            make_finding("RELEASE_NO_RECORD", file=str(path), detail=f"{path} ({exc})")
        ) from None


def list_records(records_dir: Path | str) -> list[ReleaseRecord]:
    """Every record under ``records_dir``, oldest version first."""
    records_dir = Path(records_dir)
    if not records_dir.is_dir():
        return []
    found = []
    for p in records_dir.glob("*.json"):
        if SEMVER_RE.match(p.stem):
            found.append(read_record(p))
    return sorted(found, key=lambda r: parse_version(r.version))


# --------------------------------------------------------------------------- scanning the corpus


@dataclass
class Scan:
    """One document as the release sees it (small: no text kept)."""

    id: str
    path: str
    reasons: list[str]
    digest: str
    meta: DocMeta | None
    license: str | None = None
    source: str | None = None
    collection: str | None = None
    title: str | None = None
    url: str | None = None
    attribution: str | None = None

    @property
    def eligible(self) -> bool:
        return not self.reasons


def exclusion_reasons(doc: Document, findings: Sequence[Finding] | None = None) -> list[str]:
    """Why a document cannot be released (empty: it can): invalid, no gold set, licence unknown."""
    from secnews.validate.engine import validate_document

    findings = validate_document(doc) if findings is None else findings
    reasons = []
    if any(f.severity == "error" for f in findings):
        codes = sorted({f.code for f in findings if f.severity == "error"})
        reasons.append("invalid (" + ", ".join(codes) + ")")
    if isinstance(doc, dict) and gold_set(doc) is None:
        reasons.append("no gold set")
    meta = doc.get("meta") if isinstance(doc, dict) else None
    if not isinstance(meta, dict) or str(meta.get("license", UNKNOWN_LICENSE)).lower() in (
        "",
        UNKNOWN_LICENSE,
    ):
        reasons.append("licence unknown (cannot be redistributed until cleared)")
    return reasons


def document_digest(doc: Document) -> str:
    return hashlib.sha256(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)).hexdigest()


def scan_file(path: Path | str) -> Scan:
    """Read, validate and summarise one document file (runs in worker processes)."""
    path = Path(path)
    try:
        doc = read_document(path)
    except SecnewsError as exc:
        codes = ", ".join(sorted({f.code for f in exc.findings}))
        return Scan(id=path.stem, path=str(path), reasons=[f"unreadable ({codes})"], digest="", meta=None)
    from secnews.validate.engine import validate_document

    reasons = exclusion_reasons(doc, validate_document(doc, file=str(path)))
    meta = doc.get("meta") if isinstance(doc.get("meta"), dict) else {}
    doc_id = doc.get("id") if isinstance(doc.get("id"), str) else path.stem
    return Scan(
        id=doc_id,
        path=str(path),
        reasons=reasons,
        digest=document_digest(doc),
        meta=doc_meta(doc) if not reasons else None,
        license=meta.get("license"),
        source=meta.get("source"),
        collection=meta.get("collection"),
        title=meta.get("title"),
        url=meta.get("url"),
        attribution=meta.get("attribution"),
    )


def scan_corpus(paths: Iterable[Path | str], jobs: int | None = None) -> list[Scan]:
    """Scan every document file under ``paths`` (sorted), in parallel on large corpora."""
    return _scan(sorted(iter_document_files(paths), key=lambda p: (p.name, str(p))), jobs)


def _scan(files: Sequence[Path], jobs: int | None, while_waiting: Any = None) -> list[Scan]:
    """Scan ``files`` in order; ``while_waiting`` runs in this process while the workers scan.

    The release uses it to load the spaCy pipeline (seconds of regex compilation) while the
    workers are busy: the parent is otherwise idle, and the build workers inherit the pipeline.
    """
    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    if jobs <= 1 or len(files) < POOL_MIN_FILES:
        with without_cyclic_gc():
            return [scan_file(p) for p in files]
    import multiprocessing as mp

    with mp.get_context("fork").Pool(jobs, initializer=gc_free_worker) as pool:
        results = pool.imap(scan_file, files, chunksize=256)
        if while_waiting is not None:
            while_waiting()
        return list(results)


def _preload_build() -> None:
    """Load what every build worker needs (spaCy's French tokenizer: seconds of regex compilation;
    the ``datasets`` Features behind the Arrow schemas) once, in the parent, while the scan workers
    are busy: the build workers are forked afterwards and inherit them."""
    from secnews.formats.arrow_schema import CONFIGS, features
    from secnews.model.tokenize_fr import french_pipeline

    french_pipeline()
    for config in CONFIGS:
        features(config).arrow_schema  # noqa: B018 (cached: built here, inherited by the workers)


# --------------------------------------------------------------------------- building


def sha256_file(path: Path, bufsize: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(bufsize):
            h.update(chunk)
    return h.hexdigest()


def folder_checksums(folder: Path) -> dict[str, str]:
    """Relative POSIX path -> sha256 of every file of a release folder except SHA256SUMS, sorted."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            rel = p.relative_to(folder).as_posix()
            if rel != SUMS_FILE:
                out[rel] = sha256_file(p)
    return dict(sorted(out.items()))


def render_sums(sums: Mapping[str, str]) -> str:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(sums.items()))


def parse_sums(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            digest, _, path = line.partition("  ")
            out[path.lstrip("*")] = digest
    return out


def release_date(existing: ReleaseRecord | None, date: str | None) -> str:
    if date:
        try:
            return dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise SecnewsError(
                make_finding("RELEASE_BAD_VERSION", version="-", detail=f"--date {date!r} is not YYYY-MM-DD")
            ) from None
    if existing is not None:
        return existing.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.datetime.now(dt.UTC).date().isoformat()


def frozen_from_records(records: Sequence[ReleaseRecord]) -> dict[str, tuple[str, str]]:
    """doc id -> (split, first version) from every record, oldest first."""
    out: dict[str, tuple[str, str]] = {}
    for rec in records:
        for doc_id, split in rec.split_of().items():
            out.setdefault(doc_id, (split, rec.version))
    return out


def merge_records_into_manifest(manifest: Manifest, frozen: Mapping[str, tuple[str, str]]) -> Manifest:
    entries = dict(manifest.entries)
    for doc_id, (split, version) in frozen.items():
        e = entries.get(doc_id)
        if e is not None and e.released is not None and e.split != split:
            raise SecnewsError(
                make_finding("RELEASE_SPLIT_MOVED", doc=doc_id, was=split, version=version, now=e.split)
            )
        entries[doc_id] = Entry(split, version, e.group if e else None)
    return Manifest(entries=entries, params=manifest.params)


def _iter_docs(paths: Sequence[str]) -> Iterator[Document]:
    for p in paths:
        yield read_document(Path(p))


def build_release(
    version: str,
    documents_dir: Path | str,
    out_dir: Path | str,
    previous: str | None = None,
    *,
    records_dir: Path | str | None = None,
    manifest_path: Path | str | None = None,
    date: str | None = None,
    force: bool = False,
    max_shard_rows: int | None = None,
    jobs: int | None = None,
    write_manifest_file: bool = True,
    datasheet: Path | str | None = None,
    progress: Any = None,
) -> ReleaseRecord:
    """Build release ``version`` of the documents under ``documents_dir`` into ``out_dir``.

    Writes the folder (atomically: built aside, then renamed into place), the record
    ``<records_dir>/<version>.json``, the manifest with the released documents marked, and the
    datasheet's generated blocks when ``datasheet`` is given. ``previous`` defaults to the latest
    recorded version below ``version``. Returns the record.
    """
    from secnews.core.taxonomy import load_taxonomy
    from secnews.release.card import DEFAULT_MAX_SHARD_ROWS

    parse_version(version)
    documents_dir, out_dir = Path(documents_dir), Path(out_dir)
    from secnews.core.paths import corpus_dir

    records_dir = Path(records_dir) if records_dir is not None else corpus_dir() / "releases"
    manifest_path = Path(manifest_path) if manifest_path is not None else corpus_dir() / "splits.tsv"
    records = list_records(records_dir)
    existing = next((r for r in records if r.version == version), None)
    older = [r for r in records if parse_version(r.version) < parse_version(version)]
    newer = [r for r in records if parse_version(r.version) > parse_version(version)]
    if newer:
        raise SecnewsError(
            make_finding(
                "RELEASE_BAD_VERSION",
                version=version,
                detail=f"{newer[-1].version} is already recorded; a new release must be greater",
            )
        )
    prev_record = None
    if previous is not None:
        prev_record = next((r for r in older if r.version == previous), None)
        if prev_record is None:
            raise SecnewsError(make_finding("RELEASE_NO_RECORD", detail=f"previous version {previous}"))
    elif older:
        prev_record = older[-1]
    tax = load_taxonomy()

    # 1. scan: validity, gold set, licence, split metadata
    files = sorted(iter_document_files([documents_dir]), key=lambda p: (p.name, str(p)))
    with without_cyclic_gc():  # 100k scans arrive here: full collections over them found nothing
        scans = _scan(files, jobs, while_waiting=_preload_build)
    del files
    if progress:
        progress("scanned", len(scans))
    eligible = [s for s in scans if s.eligible]
    if not eligible:
        raise SecnewsError(make_finding("RELEASE_NO_DOCUMENTS", detail=f"{len(scans)} documents scanned"))

    # 2. splits: released documents frozen (records + manifest), the rest assigned by group
    frozen = frozen_from_records(older)
    manifest = merge_records_into_manifest(read_manifest(manifest_path), frozen)
    with without_cyclic_gc():
        manifest = assign_splits(
            [s.meta for s in eligible if s.meta is not None], manifest, rebuilding=version
        )
    included = sorted(s.id for s in eligible)
    split_ids = manifest.split_ids(included)
    for doc_id, (split, first) in frozen.items():
        now = manifest.entries[doc_id].split
        if now != split:
            raise SecnewsError(
                make_finding("RELEASE_SPLIT_MOVED", doc=doc_id, was=split, version=first, now=now)
            )
    manifest = mark_released(manifest, included, version)
    the_date = release_date(existing, date)

    # 3. the folder, built aside and renamed into place
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build.", dir=out_dir.parent))
    try:
        staging = work / "release"
        by_id = {s.id: s for s in eligible}
        ordered_paths = [by_id[i].path for i in included]
        counts = build_parquet(
            ordered_paths,
            included,
            staging,
            split_ids,
            max_shard_rows=max_shard_rows or DEFAULT_MAX_SHARD_ROWS,
            jobs=jobs,
            chunk_docs=CHUNK_DOCS,
        )
        if progress:
            progress("parquet", len(included))
        from secnews.release.datasheet import statistics

        stats = statistics(staging, split_ids)
        record = ReleaseRecord(
            version=version,
            date=the_date,
            schema_version=tax.schema_version,
            previous=prev_record.version if prev_record else None,
            splits=split_ids,
            documents={s.id: s.digest for s in sorted(eligible, key=lambda s: s.id)},
            files={},
            counts=counts,
            statistics=stats,
            excluded=[
                {"id": s.id, "reasons": s.reasons} for s in sorted(scans, key=lambda s: s.id) if s.reasons
            ],
            split_params=manifest.params.to_dict(),
            sources=sources_summary([by_id[i] for i in included]),
        )
        _check_bump(record, prev_record)
        write_card(staging, record, [by_id[i] for i in included])
        atomic_write_text(
            staging / "ATTRIBUTIONS.md", render_attributions(record, [by_id[i] for i in included])
        )
        atomic_write_text(staging / "CHANGELOG.md", render_changelog(changelog_entries([*older, record])))
        from secnews.release.croissant import write_croissant

        write_croissant(staging, record)
        sums = folder_checksums(staging)
        atomic_write_text(staging / SUMS_FILE, render_sums(sums))
        # nothing but SHA256SUMS was written since ``sums``: hashing the shards again cost seconds
        record.files = sums | {SUMS_FILE: sha256_file(staging / SUMS_FILE)}
        record.files = dict(sorted(record.files.items()))
        if existing is not None and not force:
            _same_as_recorded(existing, record)
        _fix_modes(staging)
        if out_dir.exists():
            aside = work / "previous"
            os.replace(out_dir, aside)
        os.replace(staging, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    atomic_write_text(records_dir / f"{version}.json", dumps_record(record))
    if write_manifest_file:
        write_manifest(manifest, manifest_path)
    if datasheet is not None:
        from secnews.release.datasheet import update_datasheet

        update_datasheet(Path(datasheet), record)
    return record


#: documents per build chunk: chunks are built in parallel, each into its own shards (fixed size, so the
#: bytes do not depend on the number of workers)
CHUNK_DOCS = 10_000


_Sizes = dict[str, dict[str, int]]


def _build_chunk(args: tuple[Sequence[str], Path, dict[str, list[str]], int]) -> tuple[_Sizes, _Sizes]:
    """Build one chunk's folder; return its rows and Arrow bytes per config and split (the bytes are
    returned rather than read back from the chunk's README, whose YAML is slow to parse)."""
    from secnews.release.card import build_dataset_folder

    paths, out, splits, max_shard_rows = args
    sizes: _Sizes = {}
    with without_cyclic_gc():
        counts = build_dataset_folder(
            _iter_docs(paths), out, splits=splits, max_shard_rows=max_shard_rows, sizes=sizes
        )
    return counts, sizes


def build_parquet(
    paths: Sequence[str],
    ids: Sequence[str],
    out: Path,
    split_ids: Mapping[str, Sequence[str]],
    max_shard_rows: int,
    jobs: int | None = None,
    chunk_docs: int = CHUNK_DOCS,
) -> dict[str, dict[str, int]]:
    """The Parquet shards and generated card of a release, through ``build_dataset_folder``.

    Documents (sorted by id) are cut into chunks of ``chunk_docs``; each chunk is built by
    :func:`secnews.release.card.build_dataset_folder` (in worker processes when there are several),
    and the chunks' shards are renamed in order to ``<split>-0000i-of-0000N.parquet``. A corpus of
    one chunk is exactly one ``build_dataset_folder`` call. Returns config -> split -> rows.
    """
    from secnews.release.card import render_dataset_card, shard_name

    split_of = {d: s for s, members in split_ids.items() for d in members}
    chunks = [
        (list(paths[i : i + chunk_docs]), list(ids[i : i + chunk_docs]))
        for i in range(0, len(ids), chunk_docs)
    ]
    work = out.parent / f".{out.name}.chunks"
    work.mkdir()
    tasks = []
    for k, (chunk_paths, chunk_ids) in enumerate(chunks):
        splits = {s: [d for d in chunk_ids if split_of[d] == s] for s in split_ids}
        tasks.append((chunk_paths, work / f"{k:05d}", splits, max_shard_rows))
    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    if jobs <= 1 or len(tasks) == 1:
        built = [_build_chunk(t) for t in tasks]
    else:
        import multiprocessing as mp

        from secnews.model.tokenize_fr import french_pipeline

        french_pipeline()  # compiled once (~5 s of regexes), inherited by the forked workers
        with mp.get_context("fork").Pool(min(jobs, len(tasks)), initializer=gc_free_worker) as pool:
            built = list(pool.imap(_build_chunk, tasks, chunksize=1))
    results = [counts for counts, _ in built]
    if len(tasks) == 1:
        os.replace(tasks[0][1], out)
        work.rmdir()
        return results[0]
    counts: dict[str, dict[str, int]] = {}
    sizes: dict[str, dict[str, int]] = {}
    out.mkdir()
    for (_, chunk_sizes), result in zip(built, results, strict=True):
        for config, per in chunk_sizes.items():
            c = sizes.setdefault(config, {})
            for split, nbytes in per.items():
                c[split] = c.get(split, 0) + nbytes
        for config, per in result.items():
            for split, n in per.items():
                counts.setdefault(config, {}).setdefault(split, 0)
                counts[config][split] += n
    for config in counts:
        (out / config).mkdir()
        for split in split_ids:
            shards = []
            for (_, chunk_dir, _, _), result in zip(tasks, results, strict=True):
                found = sorted((chunk_dir / config).glob(f"{split}-*.parquet"))
                if result[config].get(split, 0) > 0:
                    shards.extend(found)
            if not shards:  # an empty split keeps one empty shard, for its schema
                shards = sorted((tasks[0][1] / config).glob(f"{split}-*.parquet"))[:1]
            for i, shard in enumerate(shards):
                os.replace(shard, out / config / shard_name(split, i, len(shards)))
    atomic_write_text(out / "README.md", render_dataset_card(counts, sizes))
    shutil.rmtree(work)
    return counts


def _fix_modes(folder: Path) -> None:

    mask = current_umask()
    for p in [folder, *folder.rglob("*")]:
        os.chmod(p, (0o777 if p.is_dir() else 0o666) & ~mask)


def _same_as_recorded(existing: ReleaseRecord, new: ReleaseRecord) -> None:
    if existing.files == new.files:
        return
    changed = sorted(
        k for k in set(existing.files) | set(new.files) if existing.files.get(k) != new.files.get(k)
    )
    added = sorted(set(new.documents) - set(existing.documents))
    removed = sorted(set(existing.documents) - set(new.documents))
    detail = f"{len(changed)} files differ"
    if added or removed:
        detail += f"; {len(added)} documents added, {len(removed)} removed"
    raise SecnewsError(make_finding("RELEASE_VERSION_EXISTS", version=new.version, detail=detail))


def required_bump(prev: ReleaseRecord, new: ReleaseRecord) -> str:
    """The smallest bump the change needs: major (schema major), minor (documents in/out, labels), patch."""
    old_schema, new_schema = parse_version(prev.schema_version), parse_version(new.schema_version)
    if new_schema[0] != old_schema[0]:
        return "major"
    if new_schema != old_schema or set(prev.documents) != set(new.documents):
        return "minor"
    old_labels = prev.statistics.get("labels", {}).get("all", {})
    new_labels = new.statistics.get("labels", {}).get("all", {})
    for layer in set(old_labels) | set(new_labels):
        if set(old_labels.get(layer, {})) != set(new_labels.get(layer, {})):
            return "minor"  # a label type appears or disappears
    return "patch"


def _check_bump(new: ReleaseRecord, prev: ReleaseRecord | None) -> None:
    if prev is None:
        return
    kind = bump_kind(prev.version, new.version)
    need = required_bump(prev, new)
    if kind is None or _BUMP_RANK[kind] < _BUMP_RANK[need]:
        raise SecnewsError(
            make_finding(
                "RELEASE_BAD_VERSION",
                version=new.version,
                detail=f"the changes since {prev.version} need a {need} version bump",
            )
        )


# --------------------------------------------------------------------------- verification


def _front_matter(readme: Path) -> dict[str, Any]:
    import yaml

    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return {}
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {} if end > 0 else {}


def folder_version(folder: Path | str) -> str | None:
    """The version a release folder declares in its card (``secnews_release``)."""
    return _front_matter(Path(folder) / "README.md").get("secnews_release") or None


def verify_release(
    folder: Path | str,
    record: ReleaseRecord | Path | str | None = None,
    records_dir: Path | str | None = None,
) -> list[Finding]:
    """Recompute every checksum of a release folder and compare with SHA256SUMS and the record.

    The record defaults to ``<records_dir>/<version>.json`` where the version is the one the
    folder's card declares (``corpus/releases`` by default). Returns the findings (empty = verified).
    """
    from secnews.core.paths import corpus_dir

    folder = Path(folder)
    findings: list[Finding] = []
    if record is None:
        version = folder_version(folder) or folder.name
        base = Path(records_dir) if records_dir is not None else corpus_dir() / "releases"
        path = base / f"{version}.json"
        if not path.exists():
            return [make_finding("RELEASE_NO_RECORD", file=str(folder), detail=f"version {version} ({path})")]
        record = read_record(path)
    elif not isinstance(record, ReleaseRecord):
        record = read_record(record)
    actual = folder_checksums(folder)
    sums_path = folder / SUMS_FILE
    if sums_path.exists():
        actual[SUMS_FILE] = sha256_file(sums_path)
        listed = parse_sums(sums_path.read_text(encoding="utf-8"))
    else:
        listed = {}
    for path, expected in sorted(record.files.items()):
        found = actual.get(path)
        if found is None:
            findings.append(make_finding("RELEASE_MISSING_FILE", file=str(folder / path), path=path))
        elif found != expected:
            findings.append(
                make_finding(
                    "RELEASE_CHECKSUM_MISMATCH",
                    file=str(folder / path),
                    path=path,
                    found=found[:16],
                    expected=expected[:16],
                    against="release record",
                )
            )
    for path, expected in sorted(listed.items()):
        found = actual.get(path)
        if found is not None and found != expected and record.files.get(path) == found:
            findings.append(
                make_finding(
                    "RELEASE_CHECKSUM_MISMATCH",
                    file=str(sums_path),
                    path=path,
                    found=found[:16],
                    expected=expected[:16],
                    against=SUMS_FILE,
                )
            )
    for path in sorted(set(actual) - set(record.files)):
        findings.append(make_finding("RELEASE_EXTRA_FILE", file=str(folder / path), path=path))
    return findings


# --------------------------------------------------------------------------- card, changelog, attributions

HF_LICENSES = {
    "cc-by-2.0",
    "cc-by-2.5",
    "cc-by-3.0",
    "cc-by-4.0",
    "cc-by-sa-3.0",
    "cc-by-sa-4.0",
    "cc-by-nc-4.0",
    "cc-by-nc-sa-4.0",
    "cc0-1.0",
    "mit",
    "apache-2.0",
    "odc-by",
    "pddl",
}
#: above this many documents, per-document attributions live in ATTRIBUTIONS.md only
CARD_ATTRIBUTION_LIMIT = 200


def size_category(n: int) -> str:
    for limit, name in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if n < limit:
            return name
    return "1M<n<10M"


def hf_license(licenses: Iterable[str]) -> str:
    ids = sorted({str(x).lower() for x in licenses})
    if len(ids) == 1 and ids[0] in HF_LICENSES:
        return ids[0]
    return "other"


def sources_summary(scans: Iterable[Scan]) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for s in scans:
        counts[(s.source or "", s.collection or "", s.license or "")] += 1
    return [
        {"source": src, "collection": col or None, "license": lic, "documents": n}
        for (src, col, lic), n in sorted(counts.items())
    ]


def _md_escape(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_attributions(record: ReleaseRecord, scans: Sequence[Scan], title: bool = True) -> str:
    lines = []
    if title:
        lines += [
            f"# Sources, licences and attributions of secnews-fr {record.version}",
            "",
            "One entry per released document: its licence and the attribution its licence requires.",
            "",
        ]
    for s in sorted(scans, key=lambda s: s.id):
        what = s.attribution or " ".join(x for x in (s.title and f"« {s.title} »", s.source, s.url) if x)
        lines.append(f"- `{s.id}` ({s.license}): {_md_escape(what)}")
    return "\n".join(lines) + "\n"


def _card_yaml(folder: Path, record: ReleaseRecord) -> dict[str, Any]:
    header = _front_matter(folder / "README.md")
    licenses = [s["license"] for s in record.sources]
    header.update(
        {
            "license": hf_license(licenses),
            "size_categories": [size_category(record.statistics["documents"]["all"])],
            "task_ids": ["named-entity-recognition"],
            "language_creators": ["found"],
            "multilinguality": ["monolingual"],
            "annotations_creators": ["expert-generated", "machine-generated"],
            "secnews_release": record.version,
            "secnews_release_date": record.date,
        }
    )
    if header["license"] == "other":
        header["license_name"] = "mixed: " + ", ".join(sorted(set(licenses)))
        header["license_link"] = "ATTRIBUTIONS.md"
    return header


def _card_body(folder: Path) -> str:
    text = (folder / "README.md").read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        text = text[end + 5 :] if end > 0 else text
    return text.lstrip("\n")


CITATION = """\
@misc{{secnews_fr_{slug},
  title        = {{secnews-fr: French security news annotated with entities, ACLED events, attribution and TIMEX3}},
  author       = {{{{secnews-fr maintainers}}}},
  year         = {{{year}}},
  version      = {{{version}}},
  note         = {{Release {version} of {date}}}
}}"""


def write_card(folder: Path, record: ReleaseRecord, scans: Sequence[Scan] = ()) -> None:
    """Replace the generated README.md with the full card: the Parquet engineer's YAML and schema
    documentation, plus release, statistics, loading, licence/attribution and citation sections."""
    import yaml

    from secnews.release.datasheet import render_exclusions, render_sources, render_statistics

    header = yaml.safe_dump(_card_yaml(folder, record), sort_keys=True, allow_unicode=True, width=1000)
    configs = sorted(record.counts)
    parts = [
        _card_body(folder).rstrip("\n"),
        "",
        f"## Release {record.version}",
        "",
        f"- Version **{record.version}** of {record.date}"
        + (
            f" (previous: {record.previous}; see `CHANGELOG.md`)." if record.previous else " (first release)."
        ),
        "- Versions are semantic: major = a schema change that breaks loading, minor = documents or labels "
        "added or removed, patch = corrections. A released version never changes, and a document never "
        "changes split in a later version (`corpus/splits.tsv` in the source repository).",
        f"- Splits: {record.split_params.get('scheme', 'hash')} scheme, ratios "
        + "/".join(f"{r:g}" for r in record.split_params.get("ratios", []))
        + "; near-duplicates (word 3-gram Jaccard >= "
        + f"{record.split_params.get('threshold')}) and reports of the same event are kept in one split.",
        "- Only documents with an adjudicated gold set, no validation error and a redistributable licence "
        "are released. " + render_exclusions(record).strip(),
        "- `SHA256SUMS` lists the checksum of every file; `croissant.json` is the Croissant metadata.",
        "",
        "## Statistics",
        "",
        render_statistics(record, heading="###").rstrip("\n"),
        "",
        "## How to load",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        "# from a clone of the source repository (offline)",
        f'docs = load_dataset("./releases/{record.version}", "documents")',
        f'ner = load_dataset("./releases/{record.version}", "ner", split="train")',
        "# from the Hugging Face Hub, pinned to this version",
        f'# load_dataset("<org>/secnews-fr", "events", revision="{record.version}")',
        "```",
        "",
        "Configs: " + ", ".join(f"`{c}`" for c in configs) + ". DuckDB, Spark or Dask read the shards "
        "directly (`documents/train-*.parquet`).",
        "",
        "## Licence and attribution",
        "",
        render_sources(record).rstrip("\n"),
        "",
        "Each document keeps its own licence (`license` column) and attribution (`attribution` column).",
    ]
    if scans and len(scans) <= CARD_ATTRIBUTION_LIMIT:
        parts += ["", render_attributions(record, scans, title=False).rstrip("\n")]
    else:
        parts += ["The attribution of every document is listed in `ATTRIBUTIONS.md`."]
    parts += [
        "",
        "## Citation",
        "",
        "```bibtex",
        CITATION.format(
            slug=record.version.replace(".", "_"),
            year=record.date[:4],
            version=record.version,
            date=record.date,
        ),
        "```",
        "",
    ]
    atomic_write_text(folder / "README.md", f"---\n{header}---\n\n" + "\n".join(parts))


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


def render_changelog(entries: Sequence[dict[str, Any]]) -> str:
    lines = [
        "# Changelog of the secnews-fr releases",
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
