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
written by :func:`secnews.formats.hf.build_dataset_folder` (fixed zstd level, no timestamps), YAML
and JSON keys are sorted, and the only date in the files is the release date kept in the record (set
once, from ``--date``, ``SOURCE_DATE_EPOCH`` or the day of the first build). Rebuilding a recorded
version with different content is refused unless ``force``: a published version never changes.

The build is a sequence of steps, each a function below :func:`build_release`: place the version
among the records, scan the corpus, plan the splits, build the folder aside, write the record.

On a large corpus (more than one chunk of :data:`CHUNK_DOCS` documents, more than one job) the steps
run in processes, so both cores stay busy (96 % over a 100k-document build, ``benchmarks/release.py``):
a build host is forked first, while this process is small; the scan runs in forked workers; the host
loads spaCy's tokenizer while this process plans the splits; then the host forks the chunk builders,
which inherit it, and each builds one chunk's shards and tallies their statistics. No process holds
more than one chunk's documents, and any process that dies fails the release with a coded error.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

import pyarrow as pa

from secnews.core.findings import SecnewsError, make_finding
from secnews.core.fs import atomic_write_text, current_umask, gc_free_worker, without_cyclic_gc
from secnews.core.paths import corpus_dir
from secnews.core.taxonomy import load_taxonomy
from secnews.formats.arrow_schema import CONFIGS, features
from secnews.formats.hf import DEFAULT_MAX_SHARD_ROWS, build_dataset_folder, shard_name
from secnews.formats.hf_card import render_dataset_card
from secnews.model.document import Document, parse_document_bytes, read_document
from secnews.model.tokenize_fr import french_pipeline
from secnews.release.card import render_attributions, write_card
from secnews.release.changelog import changelog_entries, render_changelog
from secnews.release.croissant import write_croissant
from secnews.release.datasheet import SplitTally, statistics_from, tally, update_datasheet
from secnews.release.record import (
    BUMP_RANK,
    ReleaseRecord,
    bump_kind,
    dumps_record,
    frozen_from_records,
    list_records,
    merge_records_into_manifest,
    parse_version,
    required_bump,
)
from secnews.release.scan import Scan, scan_files, scan_order, sources_summary
from secnews.release.splits import Manifest, assign_splits, mark_released, read_manifest, write_manifest
from secnews.release.verify import SUMS_FILE, folder_checksums, render_sums, sha256_file
from secnews.release.workers import fork_map
from secnews.validate.engine import open_verdict_cache

#: documents per build chunk: chunks are built in parallel, each into its own shards (fixed size, so the
#: bytes do not depend on the number of workers)
CHUNK_DOCS = 10_000

Sizes = dict[str, dict[str, int]]
Progress = Callable[[str, int], None] | None


@dataclass
class History:
    """Where the version being built sits among the recorded ones."""

    existing: ReleaseRecord | None  # the same version, when rebuilt
    older: list[ReleaseRecord]  # every lower version, oldest first
    previous: ReleaseRecord | None  # the one the changelog and the version bump compare with


@dataclass
class SplitPlan:
    """The released documents (sorted ids), their splits, and the manifest to write back."""

    manifest: Manifest
    included: list[str]
    split_ids: dict[str, list[str]]


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
    progress: Progress = None,
    use_cache: bool = True,
    notes: str | None = None,
) -> ReleaseRecord:
    """Build release ``version`` of the documents under ``documents_dir`` into ``out_dir``.

    Writes the folder (atomically: built aside, then renamed into place), the record
    ``<records_dir>/<version>.json``, the manifest with the released documents marked, and the
    datasheet's generated blocks when ``datasheet`` is given. ``previous`` defaults to the latest
    recorded version below ``version``. Returns the record. ``use_cache``: reuse the verdicts
    ``secnews validate`` stored for files whose bytes did not change (never writes the cache).
    ``notes``: what changed and why, for the CHANGELOG and the card; a rebuild keeps the recorded ones.
    """
    parse_version(version)
    records_dir = Path(records_dir) if records_dir is not None else corpus_dir() / "releases"
    manifest_path = Path(manifest_path) if manifest_path is not None else corpus_dir() / "splits.tsv"
    history = release_history(list_records(records_dir), version, previous)
    # no cyclic GC for the whole build: with 100k scans alive, every full collection walked them all
    # (a third of the plan's time, most of the record's JSON dump) and found nothing: nothing here is cyclic
    with without_cyclic_gc():
        files = scan_order([documents_dir])
        with _build_host(len(files), jobs) as host:  # forked before the scan
            scans = scan_documents(Path(documents_dir), jobs, progress, use_cache, files=files)
            if host is not None:
                host.load()  # the build workers' tokenizer, loaded there while we plan here
            plan = plan_splits(scans, history.older, read_manifest(manifest_path), version)
            if progress:
                progress("planned", len(plan.included))
            record = build_folder(
                Path(out_dir),
                ReleaseDraft(
                    version,
                    release_date(history.existing, date),
                    history,
                    scans,
                    plan,
                    _notes(history.existing, notes),
                ),
                max_shard_rows=max_shard_rows or DEFAULT_MAX_SHARD_ROWS,
                jobs=jobs,
                force=force,
                progress=progress,
                host=host,
            )
        atomic_write_text(records_dir / f"{version}.json", dumps_record(record))
        if write_manifest_file:
            write_manifest(plan.manifest, manifest_path)
        if datasheet is not None:
            update_datasheet(Path(datasheet), record)
    return record


# --------------------------------------------------------------------------- 1. the version among the records


def release_history(records: Sequence[ReleaseRecord], version: str, previous: str | None) -> History:
    """The records around ``version``; refuses a version below a recorded one or an unknown ``previous``."""
    key = parse_version(version)
    older = [r for r in records if parse_version(r.version) < key]
    newer = [r for r in records if parse_version(r.version) > key]
    if newer:
        raise SecnewsError(
            make_finding(
                "RELEASE_BAD_VERSION",
                version=version,
                detail=f"{newer[-1].version} is already recorded; a new release must be greater",
            )
        )
    prev_record = older[-1] if older else None
    if previous is not None:
        prev_record = next((r for r in older if r.version == previous), None)
        if prev_record is None:
            raise SecnewsError(make_finding("RELEASE_NO_RECORD", detail=f"previous version {previous}"))
    existing = next((r for r in records if r.version == version), None)
    return History(existing=existing, older=older, previous=prev_record)


def _notes(existing: ReleaseRecord | None, notes: str | None) -> str:
    """The given notes, else a rebuilt version's recorded ones: a rebuild must give the same bytes."""
    if notes is not None:
        return notes.strip()
    return existing.notes if existing is not None else ""


def release_date(existing: ReleaseRecord | None, date: str | None) -> str:
    """``--date``, else the recorded date of a rebuilt version, else ``SOURCE_DATE_EPOCH``, else today:
    a rebuild must not change the one date the files hold."""
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


# --------------------------------------------------------------------------- 2. scan


def scan_documents(
    documents_dir: Path,
    jobs: int | None,
    progress: Progress,
    use_cache: bool = True,
    files: Sequence[Path] | None = None,
) -> list[Scan]:
    """Every document's scan (``files``: :func:`~secnews.release.scan.scan_order`, when listed already); refuses a
    corpus with nothing releasable."""
    files = scan_order([documents_dir]) if files is None else files
    verdicts = open_verdict_cache().verdict if use_cache else None
    with without_cyclic_gc():  # 100k scans arrive here: full collections over them found nothing
        scans = scan_files(files, jobs, verdicts=verdicts)
    if progress:
        progress("scanned", len(scans))
    if not any(s.eligible for s in scans):
        raise SecnewsError(make_finding("RELEASE_NO_DOCUMENTS", detail=f"{len(scans)} documents scanned"))
    return scans


def _preload_build() -> None:
    """Load what every build worker needs (spaCy's French tokenizer: seconds of regex compilation;
    the ``datasets`` Features behind the Arrow schemas) once, in the parent: the build workers are
    forked afterwards and inherit them."""
    french_pipeline()
    for config in CONFIGS:
        features(config).arrow_schema  # noqa: B018 (cached: built here, inherited by the workers)


#: the message that tells a build host to load its tokenizer now (its tasks come later)
_LOAD = "load"


class BuildHost:
    """A forked process that builds the Parquet chunks.

    It is forked before the scan, while this process is small, and waits: forked after it, host and
    planner shared the 100k scans' pages, and every page the plan touched was copied (about a second
    of page faults). When told to :meth:`load`, it loads what every chunk builder needs
    (:func:`_preload_build`: spaCy's French tokenizer and the ``datasets`` Features, seconds of
    start-up) while this process plans the splits; both are serial and neither needs the other, so
    the second core was idle during each. It then runs the chunk tasks it is sent in its own pool
    (whose workers inherit the preload) and sends back their results, or the exception that stopped
    them. A host never sent tasks (the scan or the plan refused the release) is stopped by
    :meth:`close`; one whose parent died exits when the pipe closes.
    """

    def __init__(self, jobs: int) -> None:
        ctx = mp.get_context("fork")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_host_main, args=(child, jobs), name="secnews-build-host")
        self._process.start()
        child.close()

    def load(self) -> None:
        self._conn.send(_LOAD)

    def run(self, tasks: list[ChunkTask]) -> list[ChunkResult]:
        with suppress(BrokenPipeError, ConnectionResetError):  # a host that stopped early left its reason
            self._conn.send(tasks)
        try:
            ok, value = self._conn.recv()
        except (EOFError, ConnectionResetError):
            self._process.join()
            raise SecnewsError(
                make_finding(
                    "RELEASE_BUILD_FAILED",
                    process="the build host",
                    detail=f"exited with code {self._process.exitcode}",
                )
            ) from None
        if not ok:
            raise value
        return value

    def close(self) -> None:
        with suppress(BrokenPipeError, OSError):  # a host that ran its tasks has exited already
            self._conn.send(None)
        self._process.join()
        self._conn.close()


def _host_main(conn: Connection, jobs: int) -> None:
    gc_free_worker()
    tasks = _receive(conn)
    if tasks is None:
        return
    try:
        _preload_build()
        if tasks == _LOAD:
            tasks = _receive(conn)
            if tasks is None:
                return
        result: tuple[bool, object] = (True, _run_chunks(cast(list[ChunkTask], tasks), jobs))
    except BaseException as exc:  # sent to the parent, which raises it
        result = (False, exc)
    conn.send(result)


def _receive(conn: Connection) -> object:
    """The next message, or None (stop) when the parent is gone."""
    try:
        return conn.recv()
    except EOFError:
        return None


@contextmanager
def _build_host(n_files: int, jobs: int | None) -> Iterator[BuildHost | None]:
    """A :class:`BuildHost` when the build may run in several chunks and jobs; else None (in-process)."""
    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    if jobs <= 1 or n_files <= CHUNK_DOCS:
        yield None
        return
    host = BuildHost(jobs)
    try:
        yield host
    finally:
        host.close()


# --------------------------------------------------------------------------- 3. splits


def plan_splits(
    scans: Sequence[Scan], older: Sequence[ReleaseRecord], manifest: Manifest, version: str
) -> SplitPlan:
    """Released documents keep their split (records + manifest); the others are assigned by group."""
    eligible = [s for s in scans if s.eligible]
    line = parse_version(version)[0]  # rows released by another line (major) do not constrain this one
    manifest = Manifest(manifest.entries, replace(manifest.params, line=line))
    frozen = frozen_from_records(older, line)
    manifest = merge_records_into_manifest(manifest, frozen)
    with without_cyclic_gc():
        manifest = assign_splits(
            [s.meta for s in eligible if s.meta is not None], manifest, rebuilding=version
        )
    included = sorted(s.id for s in eligible)
    for doc_id, (split, first) in frozen.items():
        now = manifest.entries[doc_id].split
        if now != split:
            raise SecnewsError(
                make_finding("RELEASE_SPLIT_MOVED", doc=doc_id, was=split, version=first, now=now)
            )
    split_ids = manifest.split_ids(included)
    return SplitPlan(
        manifest=mark_released(manifest, included, version), included=included, split_ids=split_ids
    )


# --------------------------------------------------------------------------- 4. the folder


@dataclass
class ReleaseDraft:
    """Everything the folder is built from, gathered by the steps before it."""

    version: str
    date: str
    history: History
    scans: list[Scan]
    plan: SplitPlan
    notes: str = ""

    def released(self) -> list[Scan]:
        """The released documents' scans, sorted by id."""
        by_id = {s.id: s for s in self.scans if s.eligible}
        return [by_id[i] for i in self.plan.included]


def build_folder(
    out_dir: Path,
    draft: ReleaseDraft,
    *,
    max_shard_rows: int,
    jobs: int | None,
    force: bool,
    progress: Progress,
    host: BuildHost | None = None,
) -> ReleaseRecord:
    """Build the folder aside and rename it into place (a failure leaves ``out_dir`` as it was)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build.", dir=out_dir.parent))
    try:
        staging = work / "release"
        released = draft.released()
        counts, tallies = build_parquet(
            [s.path for s in released],
            draft.plan.included,
            staging,
            draft.plan.split_ids,
            max_shard_rows=max_shard_rows,
            jobs=jobs,
            chunk_docs=CHUNK_DOCS,
            host=host,
        )
        if progress:
            progress("parquet", len(released))
        record = new_record(draft, counts, statistics_from(tallies, draft.plan.split_ids))
        check_bump(record, draft.history.previous)
        write_release_files(staging, record, released, draft.history.older)
        if draft.history.existing is not None and not force:
            same_as_recorded(draft.history.existing, record)
        _fix_modes(staging)
        if out_dir.exists():
            os.replace(out_dir, work / "previous")
        os.replace(staging, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return record


def new_record(draft: ReleaseDraft, counts: Sizes, stats: dict[str, object]) -> ReleaseRecord:
    """The record before its files are known (they are checksummed once the folder is complete)."""
    scans = sorted(draft.scans, key=lambda s: s.id)
    previous = draft.history.previous
    return ReleaseRecord(
        version=draft.version,
        date=draft.date,
        schema_version=load_taxonomy().schema_version,
        previous=previous.version if previous else None,
        splits=draft.plan.split_ids,
        documents={s.id: s.digest for s in scans if s.eligible},
        files={},
        counts=counts,
        statistics=stats,
        excluded=[{"id": s.id, "reasons": s.reasons} for s in scans if s.reasons],
        split_params=draft.plan.manifest.params.to_dict(),
        sources=sources_summary(draft.released()),
        notes=draft.notes,
    )


def write_release_files(
    staging: Path, record: ReleaseRecord, released: Sequence[Scan], older: Sequence[ReleaseRecord]
) -> None:
    """The card, attributions, changelog, Croissant metadata and SHA256SUMS; fills ``record.files``."""
    write_card(staging, record, released, files=lambda: folder_checksums(staging))
    atomic_write_text(staging / "ATTRIBUTIONS.md", render_attributions(record, released))
    atomic_write_text(staging / "CHANGELOG.md", render_changelog(changelog_entries([*older, record])))
    write_croissant(staging, record)
    sums = folder_checksums(staging)
    atomic_write_text(staging / SUMS_FILE, render_sums(sums))
    # nothing but SHA256SUMS was written since ``sums``: hashing the shards again cost seconds
    record.files = dict(sorted((sums | {SUMS_FILE: sha256_file(staging / SUMS_FILE)}).items()))


def _fix_modes(folder: Path) -> None:
    """mkdtemp/mkstemp make 0700/0600: a release must be readable by others."""
    mask = current_umask()
    for p in [folder, *folder.rglob("*")]:
        os.chmod(p, (0o777 if p.is_dir() else 0o666) & ~mask)


def same_as_recorded(existing: ReleaseRecord, new: ReleaseRecord) -> None:
    """Refuse to change a recorded version: researchers cite it."""
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


def check_bump(new: ReleaseRecord, prev: ReleaseRecord | None) -> None:
    """Refuse a version number smaller than the change since ``prev`` needs."""
    if prev is None:
        return
    kind = bump_kind(prev.version, new.version)
    need = required_bump(prev, new)
    if kind is None or BUMP_RANK[kind] < BUMP_RANK[need]:
        raise SecnewsError(
            make_finding(
                "RELEASE_BAD_VERSION",
                version=new.version,
                detail=f"the changes since {prev.version} need a {need} version bump",
            )
        )


# --------------------------------------------------------------------------- 5. the Parquet shards, in chunks

ChunkTask = tuple[list[str], Path, dict[str, list[str]], int]
Tallies = dict[str, SplitTally]
#: a chunk's rows and Arrow bytes per config and split, and its statistics' tallies
ChunkResult = tuple[Sizes, Sizes, Tallies]


def build_parquet(
    paths: Sequence[str],
    ids: Sequence[str],
    out: Path,
    split_ids: Mapping[str, Sequence[str]],
    max_shard_rows: int,
    jobs: int | None = None,
    chunk_docs: int = CHUNK_DOCS,
    host: BuildHost | None = None,
) -> tuple[Sizes, Tallies]:
    """The Parquet shards and generated card of a release, through ``build_dataset_folder``.

    Documents (sorted by id) are cut into chunks of ``chunk_docs``; each chunk is built by
    :func:`secnews.formats.hf.build_dataset_folder` (in worker processes when there are several),
    and the chunks' shards are renamed in order to ``<split>-0000i-of-0000N.parquet``. A corpus of
    one chunk is exactly one ``build_dataset_folder`` call; ``host`` runs the chunks when given (else
    a pool of ``jobs`` workers forked here). Returns config -> split -> rows, and
    the statistics' tallies of the shards (each chunk's read back by the worker that wrote it).
    """
    work = out.parent / f".{out.name}.chunks"
    work.mkdir()
    tasks = _chunk_tasks(paths, ids, work, split_ids, max_shard_rows, chunk_docs)
    built = host.run(tasks) if host is not None else _run_chunks(tasks, jobs)
    tallies: Tallies = {split: SplitTally() for split in split_ids}
    for _, _, chunk_tallies in built:
        for split, t in chunk_tallies.items():
            tallies[split].add(t)
    if len(tasks) == 1:
        os.replace(tasks[0][1], out)
        work.rmdir()
        return built[0][0], tallies
    counts, sizes = _sum_chunks([(c, s) for c, s, _ in built])
    out.mkdir()
    for config in counts:
        _move_shards(tasks, [c for c, _, _ in built], config, split_ids, out / config)
    atomic_write_text(out / "README.md", render_dataset_card(counts, sizes))
    shutil.rmtree(work)
    return counts, tallies


def _chunk_tasks(
    paths: Sequence[str],
    ids: Sequence[str],
    work: Path,
    split_ids: Mapping[str, Sequence[str]],
    max_shard_rows: int,
    chunk_docs: int,
) -> list[ChunkTask]:
    split_of = {d: s for s, members in split_ids.items() for d in members}
    tasks: list[ChunkTask] = []
    for k, start in enumerate(range(0, len(ids), chunk_docs)):
        chunk_ids = list(ids[start : start + chunk_docs])
        splits = {s: [d for d in chunk_ids if split_of[d] == s] for s in split_ids}
        tasks.append((list(paths[start : start + chunk_docs]), work / f"{k:05d}", splits, max_shard_rows))
    return tasks


def _run_chunks(tasks: list[ChunkTask], jobs: int | None) -> list[ChunkResult]:
    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    if jobs <= 1 or len(tasks) == 1:
        return [_build_chunk(t) for t in tasks]
    french_pipeline()  # compiled once (~5 s of regexes), inherited by the forked workers
    return fork_map(_build_chunk, tasks, min(jobs, len(tasks)), _chunk_worker, "a chunk builder")


def _chunk_worker() -> None:
    """Initialiser of the chunk builders: no cyclic GC, and Arrow on the system allocator.

    Each builder allocates and frees the same few hundred MB of Arrow buffers per chunk; with
    pyarrow's default mimalloc pool every first chunk spent ~0.5 s more in page faults (system time)
    than with glibc's allocator, which reuses the process heap: about 1 s of a 100k-document release
    (``benchmarks/release.py``). The allocator does not change a byte of the files.
    """
    gc_free_worker()
    pa.set_memory_pool(pa.system_memory_pool())


def _build_chunk(task: ChunkTask) -> ChunkResult:
    """Build one chunk's folder; return its rows and Arrow bytes per config and split (the bytes are
    returned rather than read back from the chunk's README, whose YAML is slow to parse), and the
    statistics' tallies of its shards."""
    paths, out, splits, max_shard_rows = task
    sizes: Sizes = {}
    with without_cyclic_gc():
        counts = build_dataset_folder(
            _iter_docs(paths), out, splits=splits, max_shard_rows=max_shard_rows, sizes=sizes
        )
    return counts, sizes, tally(out, splits)


def _iter_docs(paths: Sequence[str]) -> Iterator[Document]:
    """The documents of a chunk (scanned already: a file gone since is the scan's coded error)."""
    for p in paths:
        try:
            with open(p, "rb") as f:  # no Path per file: three Path objects a document cost ~5% of a chunk
                data = f.read()
        except OSError:
            yield read_document(Path(p))  # raises the coded UNREADABLE_FILE
            continue
        yield parse_document_bytes(data, p)


def _sum_chunks(built: Sequence[tuple[Sizes, Sizes]]) -> tuple[Sizes, Sizes]:
    """Rows and Arrow bytes per config and split, over every chunk."""
    counts: Sizes = {}
    sizes: Sizes = {}
    for chunk_counts, chunk_sizes in built:
        for total, part in ((counts, chunk_counts), (sizes, chunk_sizes)):
            for config, per in part.items():
                c = total.setdefault(config, {})
                for split, n in per.items():
                    c[split] = c.get(split, 0) + n
    return counts, sizes


def _move_shards(
    tasks: Sequence[ChunkTask],
    results: Sequence[Sizes],
    config: str,
    split_ids: Mapping[str, Sequence[str]],
    dest: Path,
) -> None:
    """Rename the chunks' shards of one config in chunk order, skipping the empty ones."""
    dest.mkdir()
    for split in split_ids:
        shards = []
        for (_, chunk_dir, _, _), result in zip(tasks, results, strict=True):
            found = sorted((chunk_dir / config).glob(f"{split}-*.parquet"))
            if result[config].get(split, 0) > 0:
                shards.extend(found)
        # an empty split has no shard (datasets cannot read a zero-row file); the card says so
        for i, shard in enumerate(shards):
            os.replace(shard, dest / shard_name(split, i, len(shards)))
