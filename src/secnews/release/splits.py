"""Frozen, group-aware train / validation / test splits, kept in a checked-in manifest.

The manifest (``corpus/splits.tsv``) has one row per document: ``doc_id``, ``split``, ``released``
(the version that first released the document, empty while it is only proposed) and ``group`` (the
smallest document id of its group, for readers). Rules:

- **Frozen.** A row whose ``released`` is set never changes split again: a later version cannot move a
  document from test to train. (Rows still empty are proposals, recomputed by every ``secnews splits``
  and ``secnews release`` run from the current corpus.)
- **Groups.** Documents go to a split together with their group: near-duplicates (the same story
  rewritten: word 3-gram Jaccard >= ``threshold``, found with MinHash LSH from ``datasketch``) and
  documents reporting the same event (same main-event type + place + date, see :func:`event_key`).
  A new document joining a group that already has a frozen split takes that split; if its group
  spans several frozen splits (two released documents found to be duplicates later), it takes the
  most held-out of them (test, then validation), and ``--check`` reports the pair.
- **Deterministic.** A free group gets a rank from ``sha256(seed:smallest id)``, never from the input
  order, and groups are dealt out, in rank order, to the split whose target count (ratio x stratum
  size, frozen documents included) is furthest from reached. Strata are (main event type, source)
  when they hold at least ``min_stratum`` documents, else (main event type), else the whole corpus.
- ``scheme="temporal"``: free groups are dealt by date instead, newest first, to test, then
  validation, then train (models of the news are judged on the future).
- **Release lines.** Splits are frozen within a release line: the versions of one major number
  (``line=1`` in the manifest's parameters: 1.0.0, 1.1.0...). A new line re-deals every document
  once (``secnews splits --line 1``): the rows released by the older line are frozen in *its* records
  and folders, which stay verifiable, but no longer constrain the new line.
- **Coverage.** With ``cover=N`` every event type with at least N gold mentions among the dealt
  documents has at least one document in test: the free group richest in a missing type moves from
  train to test (per-type scores on a test split without the type would mean nothing).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from secnews.core.findings import Rule, SecnewsError, make_finding, register
from secnews.core.fs import atomic_write_text
from secnews.model.document import Document, gold_set

SPLITS: tuple[str, ...] = ("train", "validation", "test")
#: most held-out first: where a document goes when its group spans several frozen splits
HELD_OUT_ORDER: tuple[str, ...] = ("test", "validation", "train")
SCHEMES: tuple[str, ...] = ("hash", "temporal")
DEFAULT_RATIOS: tuple[float, float, float] = (0.8, 0.1, 0.1)
DEFAULT_THRESHOLD = 0.6
DEFAULT_SEED = 0
DEFAULT_MIN_STRATUM = 10
NUM_PERM = 64
SHINGLE_SIZE = 3
MINHASH_SCHEME = "affine32"
MANIFEST_COLUMNS: tuple[str, ...] = ("doc_id", "split", "released", "group")

register(
    Rule(
        "SPLITS_BAD_MANIFEST",
        "Unreadable split manifest",
        "error",
        "split manifest line {line}: {detail}",
        "The manifest is the frozen record of every document's split; a malformed row cannot be trusted.",
        "release",
    ),
    Rule(
        "SPLITS_BAD_OPTION",
        "Bad split option",
        "error",
        "{detail}",
        "Ratios are three non-negative numbers summing to 1 (train/validation/test); schemes are hash or temporal.",
        "release",
    ),
    Rule(
        "SPLITS_LEAKAGE",
        "Leakage across splits",
        "warning",
        "{a} ({split_a}) and {b} ({split_b}) are {reason} (Jaccard {similarity})",
        "Near-duplicates or reports of the same event in different splits let a model see the test set.",
        "release",
    ),
)

_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------- per-document metadata


@dataclass
class DocMeta:
    """What split assignment needs to know about one document (small: 100k fit in memory)."""

    id: str
    published: str = ""
    source: str = ""
    event_type: str | None = None
    event_key: tuple[str, str, str] | None = None
    signature: Any = None
    event_counts: dict[str, int] = field(
        default_factory=dict
    )  # gold event mentions per type  # numpy uint64 MinHash hash values, or None (empty text)

    @property
    def stratum(self) -> tuple[str, str]:
        return (self.event_type or "NONE", self.source or "")


def shingles(text: str, k: int = SHINGLE_SIZE) -> set[str]:
    """Word k-grams of the case-folded text (a text shorter than k words gives one shingle)."""
    words = _WORD.findall(text.casefold())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    if k == 3:  # the default, once per released document: zip is ~2x the generic slicing
        return {f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:], strict=False)}
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _hash32(data: bytes) -> int:
    import xxhash

    return xxhash.xxh32_intdigest(data)


@cache
def _permutations(num_perm: int) -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=1, scheme=MINHASH_SCHEME).permutations


def prepare_minhash(num_perm: int = NUM_PERM) -> None:
    """Import ``datasketch`` and draw its permutations now, in a process about to fork workers that
    compute signatures: each of them, and the split plan after them, inherit both instead of paying
    the import (a third of a second, scipy included) once more each."""
    _permutations(num_perm)


def _minhash(num_perm: int, hashvalues: Any = None) -> Any:
    from datasketch import MinHash

    return MinHash(
        num_perm=num_perm,
        hashfunc=_hash32,
        hashvalues=hashvalues,
        permutations=_permutations(num_perm),
        scheme=MINHASH_SCHEME,
    )


def minhash_signature(text: str, num_perm: int = NUM_PERM) -> Any:
    """The MinHash hash values of the text's shingles (``datasketch``, fixed seed: deterministic).

    Computes exactly what ``MinHash.update_batch`` does for the ``affine32`` scheme (xxh32 of each
    shingle, the MurmurHash3 32-bit finalizer, ``a * h + b`` wrapping in uint32, column minimum)
    without building a ``MinHash`` per document: the object's set-up cost more than the hashing, and
    the release computes one signature per document (tests compare with ``datasketch``).
    """
    import numpy as np
    import xxhash

    sh = shingles(text)
    if not sh:
        return None
    a, b = _permutations(num_perm)
    hv = np.fromiter(map(xxhash.xxh32_intdigest, map(str.encode, sh)), dtype=np.uint32, count=len(sh))
    hv = hv.reshape(-1, 1)  # str.encode: UTF-8, as update_batch is given
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    hv = hv ^ (hv >> np.uint32(16))
    return (hv * a + b).min(axis=0)


def _minhash_signature_datasketch(text: str, num_perm: int = NUM_PERM) -> Any:
    """:func:`minhash_signature` through ``datasketch.MinHash`` (the reference the tests compare with)."""
    sh = shingles(text)
    if not sh:
        return None
    m = _minhash(num_perm)
    m.update_batch([s.encode("utf-8") for s in sh])
    return m.hashvalues


def _place(arg_ref: str, entities: Mapping[str, Mapping[str, Any]]) -> str | None:
    ent = entities.get(arg_ref)
    if ent is None:
        return None
    return ent.get("actor") or " ".join(_WORD.findall(ent["text"].casefold())) or None


def event_key(
    doc: Document, ann: Mapping[str, Any] | None = None
) -> tuple[str | None, tuple[str, str, str] | None]:
    """(main event type, (type, place, date)) of a document's gold set.

    The main event is the first ACTUAL (or unspecified) event by trigger offset; its key needs a
    PLACE argument (an entity: its actor id, else its case-folded words). The date is the TIMEX3
    value of its TIME argument when that names a day, else the publication date. Only the main event
    keys a document: keying every event would chain unrelated articles through background mentions.
    """
    ann = ann if ann is not None else gold_set(doc)
    if not ann:
        return None, None
    events = sorted(
        (e for e in ann.get("events", []) if e.get("realis") in (None, "ACTUAL")),
        key=lambda e: (e["trigger"]["start"], e["id"]),
    )
    if not events:
        return None, None
    entities = {e["id"]: e for e in ann.get("entities", [])}
    timexes = {t["id"]: t for t in ann.get("timexes", [])}
    main = events[0]
    place = date = None
    for arg in main.get("arguments", []):
        if arg["role"] == "PLACE" and place is None:
            place = _place(arg["ref"], entities)
        elif arg["role"] == "TIME" and date is None:
            value = (timexes.get(arg["ref"]) or {}).get("value") or ""
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                date = value
    if place is None:
        return main["type"], None
    date = date or str(doc["meta"].get("published", ""))[:10]
    return main["type"], (main["type"], place, date)


def doc_meta(doc: Document, num_perm: int = NUM_PERM) -> DocMeta:
    """The split metadata of a document (its gold set gives the event; the text gives the MinHash)."""
    etype, key = event_key(doc)
    meta = doc.get("meta", {})
    counts: dict[str, int] = defaultdict(int)
    for ev in (gold_set(doc) or {}).get("events", []):
        counts[ev["type"]] += 1
    return DocMeta(
        id=doc["id"],
        published=str(meta.get("published", "")),
        source=str(meta.get("source", "")),
        event_type=etype,
        event_key=key,
        signature=minhash_signature(doc.get("text", ""), num_perm),
        event_counts=dict(sorted(counts.items())),
    )


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Entry:
    split: str
    released: str | None = None
    group: str | None = None


@dataclass
class SplitParams:
    scheme: str = "hash"
    ratios: tuple[float, float, float] = DEFAULT_RATIOS
    seed: int = DEFAULT_SEED
    threshold: float = DEFAULT_THRESHOLD
    line: int = 0  # the release line (major version) whose released rows are frozen
    cover: int = 0  # every event type with >= cover gold mentions gets a test document (0: off)

    def to_header(self) -> str:
        ratios = ",".join(f"{r:g}" for r in self.ratios)
        head = f"scheme={self.scheme} ratios={ratios} seed={self.seed} threshold={self.threshold:g}"
        # written only when set: the manifests of line 0 keep their bytes
        return (
            head
            + (f" line={self.line}" if self.line else "")
            + (f" cover={self.cover}" if self.cover else "")
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scheme": self.scheme,
            "ratios": list(self.ratios),
            "seed": self.seed,
            "threshold": self.threshold,
        }
        if self.line:
            out["line"] = self.line
        if self.cover:
            out["cover"] = self.cover
        return out

    @classmethod
    def parse(cls, text: str) -> SplitParams:
        out = cls()
        for item in text.split():
            key, _, value = item.partition("=")
            if key == "scheme":
                out.scheme = value
            elif key == "ratios":
                out.ratios = parse_ratios(value)
            elif key == "seed":
                out.seed = int(value)
            elif key == "threshold":
                out.threshold = float(value)
            elif key == "line":
                out.line = int(value)
            elif key == "cover":
                out.cover = int(value)
        return out.checked()

    def checked(self) -> SplitParams:
        if self.scheme not in SCHEMES:
            raise SecnewsError(
                make_finding("SPLITS_BAD_OPTION", detail=f"unknown scheme {self.scheme!r} (hash or temporal)")
            )
        if not 0 < self.threshold <= 1:
            raise SecnewsError(make_finding("SPLITS_BAD_OPTION", detail="threshold must be in (0, 1]"))
        return self


def parse_ratios(text: str | Sequence[float]) -> tuple[float, float, float]:
    """``80/10/10``, ``0.8,0.1,0.1`` or a sequence -> three ratios summing to 1."""
    try:
        if isinstance(text, str):
            parts = [float(p) for p in re.split(r"[/,:]", text.strip()) if p]
        else:
            parts = [float(p) for p in text]
    except ValueError:
        parts = []
    total = sum(parts)
    if len(parts) != 3 or any(p < 0 for p in parts) or total <= 0:
        raise SecnewsError(
            make_finding(
                "SPLITS_BAD_OPTION", detail=f"ratios {text!r}: expected train/validation/test, e.g. 80/10/10"
            )
        )
    return (parts[0] / total, parts[1] / total, parts[2] / total)


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)
    params: SplitParams = field(default_factory=SplitParams)

    def split_ids(self, ids: Iterable[str] | None = None) -> dict[str, list[str]]:
        """split -> sorted document ids (restricted to ``ids`` when given)."""
        wanted = None if ids is None else set(ids)
        out: dict[str, list[str]] = {s: [] for s in SPLITS}
        for doc_id in sorted(self.entries):
            if wanted is None or doc_id in wanted:
                out[self.entries[doc_id].split].append(doc_id)
        return out

    def frozen(self, rebuilding: str | None = None) -> dict[str, str]:
        """doc id -> split of every document released in this line (a version being rebuilt does not count)."""
        return {
            d: e.split
            for d, e in self.entries.items()
            if e.released is not None and e.released != rebuilding and in_line(e.released, self.params.line)
        }


def in_line(version: str, line: int) -> bool:
    """Whether ``version`` belongs to release line ``line`` (its major number)."""
    major = version.split(".", 1)[0]
    return major.isdigit() and int(major) == line


HEADER = (
    "# secnews-fr split manifest: one row per document (tab-separated, sorted by doc_id).\n"
    "# A row whose `released` column is set is FROZEN: its split never changes. Empty `released` = proposed.\n"
    "# `group` = smallest id of the document's group (near-duplicates, same event), kept in one split.\n"
)


def read_manifest(path: Path | str) -> Manifest:
    """Read a manifest (a missing file is an empty manifest with default parameters)."""
    path = Path(path)
    if not path.exists():
        return Manifest()
    manifest = Manifest()
    header_seen = False
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SecnewsError(
            make_finding("SPLITS_BAD_MANIFEST", file=str(path), line=0, detail=f"not UTF-8: {exc}")
        ) from None
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            if line.startswith("# params:"):
                manifest.params = SplitParams.parse(line[len("# params:") :])
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(cells[: len(MANIFEST_COLUMNS)]) != MANIFEST_COLUMNS:
                raise SecnewsError(
                    make_finding(
                        "SPLITS_BAD_MANIFEST",
                        file=str(path),
                        line=number,
                        detail=f"expected header {MANIFEST_COLUMNS}",
                    )
                )
            header_seen = True
            continue
        cells += [""] * (len(MANIFEST_COLUMNS) - len(cells))
        doc_id, split, released, group = cells[:4]
        if split not in SPLITS:
            raise SecnewsError(
                make_finding(
                    "SPLITS_BAD_MANIFEST", file=str(path), line=number, detail=f"unknown split {split!r}"
                )
            )
        if doc_id in manifest.entries:
            raise SecnewsError(
                make_finding(
                    "SPLITS_BAD_MANIFEST", file=str(path), line=number, detail=f"duplicate id {doc_id!r}"
                )
            )
        manifest.entries[doc_id] = Entry(split, released or None, group or None)
    return manifest


def dumps_manifest(manifest: Manifest) -> str:
    lines = [HEADER + f"# params: {manifest.params.to_header()}", "\t".join(MANIFEST_COLUMNS)]
    for doc_id in sorted(manifest.entries):
        e = manifest.entries[doc_id]
        lines.append("\t".join((doc_id, e.split, e.released or "", e.group or "")))
    return "\n".join(lines) + "\n"


def write_manifest(manifest: Manifest, path: Path | str) -> None:
    atomic_write_text(Path(path), dumps_manifest(manifest))


# --------------------------------------------------------------------------- grouping


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller id is the root: a group's name never depends on the order of unions
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def near_duplicate_pairs(docs: Sequence[DocMeta], threshold: float) -> list[tuple[str, str, float]]:
    """(a, b, estimated Jaccard) of every pair with MinHash Jaccard >= threshold, a < b, sorted.

    Candidates are the pairs that ``datasketch.MinHashLSH`` would return (two signatures equal on
    every value of at least one of its bands); the bands are bucketed here with plain dicts over one
    signature matrix instead of inserting and querying a ``MinHash`` object per document, which was
    the slowest serial step of a large release. The output is the same (tests compare the two).
    """
    import numpy as np
    from datasketch import MinHashLSH

    with_sig = [d for d in docs if d.signature is not None]
    if len(with_sig) < 2:
        return []
    num_perm = len(with_sig[0].signature)
    lsh = MinHashLSH(threshold=min(threshold, 0.99), num_perm=num_perm)
    by_id = {d.id: d.signature for d in with_sig}
    ids = [d.id for d in with_sig]
    matrix = np.stack([np.asarray(d.signature) for d in with_sig])
    pairs = set()
    for start, end in lsh.hashranges:
        # one bucket per distinct band value; only buckets of two or more documents are visited
        band = np.ascontiguousarray(matrix[:, start:end])
        band = band.view(np.dtype((np.void, band.dtype.itemsize * (end - start)))).ravel()
        _, inverse, counts = np.unique(band, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
        shared = np.nonzero(counts[inverse] > 1)[0]
        buckets: dict[int, list[str]] = defaultdict(list)
        for i, bucket in zip(shared.tolist(), inverse[shared].tolist(), strict=True):
            buckets[bucket].append(ids[i])
        for members in buckets.values():
            for a, b in itertools.combinations(members, 2):
                if a != b:
                    pairs.add((min(a, b), max(a, b)))
    return _similar_pairs(pairs, by_id, num_perm, threshold)


def _similar_pairs(
    pairs: set[tuple[str, str]], by_id: dict[str, Any], num_perm: int, threshold: float
) -> list[tuple[str, str, float]]:
    """Candidate pairs (from LSH buckets) whose MinHash signatures really agree at ``threshold``."""
    import numpy as np

    out = []
    for a, b in sorted(pairs):
        sim = float(np.count_nonzero(by_id[a] == by_id[b])) / num_perm
        if sim >= threshold:
            out.append((a, b, round(sim, 4)))
    return out


def _near_duplicate_pairs_datasketch(
    docs: Sequence[DocMeta], threshold: float
) -> list[tuple[str, str, float]]:
    """:func:`near_duplicate_pairs` through ``MinHashLSH`` insert/query (the reference for tests)."""
    from datasketch import MinHashLSH

    with_sig = [d for d in docs if d.signature is not None]
    if len(with_sig) < 2:
        return []
    num_perm = len(with_sig[0].signature)
    lsh = MinHashLSH(threshold=min(threshold, 0.99), num_perm=num_perm)
    by_id = {}
    for d in with_sig:
        m = _minhash(num_perm, d.signature)
        by_id[d.id] = d.signature
        lsh.insert(d.id, m, check_duplication=False)
    pairs = set()
    for d in with_sig:
        for other in lsh.query(_minhash(num_perm, d.signature)):
            if other != d.id:
                pairs.add((min(d.id, other), max(d.id, other)))
    return _similar_pairs(pairs, by_id, num_perm, threshold)


def same_event_pairs(docs: Sequence[DocMeta]) -> list[tuple[str, str]]:
    """Consecutive (a, b) pairs of documents sharing a main-event key (enough to connect each class)."""
    by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for d in docs:
        if d.event_key is not None:
            by_key[d.event_key].append(d.id)
    out: list[tuple[str, str]] = []
    for ids in by_key.values():
        ids.sort()
        out.extend(itertools.pairwise(ids))
    return sorted(out)


def group_documents(docs: Sequence[DocMeta], threshold: float = DEFAULT_THRESHOLD) -> dict[str, str]:
    """doc id -> group id (the smallest id of its connected component)."""
    uf = _UnionFind(d.id for d in docs)
    for a, b, _ in near_duplicate_pairs(docs, threshold):
        uf.union(a, b)
    for a, b in same_event_pairs(docs):
        uf.union(a, b)
    return {d.id: uf.find(d.id) for d in docs}


# --------------------------------------------------------------------------- assignment


def _rank(seed: int, key: str) -> str:
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def _deal(
    groups: Sequence[tuple[str, list[str]]],
    counts: dict[str, float],
    targets: dict[str, float],
    order: Sequence[str],
) -> dict[str, str]:
    """Give each group (in the order given) to the split with the largest unmet target."""
    out = {}
    for gid, members in groups:
        best = max(order, key=lambda s: (targets[s] - counts[s], -order.index(s)))
        out[gid] = best
        counts[best] += len(members)
    return out


def assign_splits(
    docs_meta: Iterable[DocMeta],
    manifest: Manifest | None = None,
    ratios: Sequence[float] | str | None = None,
    scheme: str | None = None,
    seed: int | None = None,
    threshold: float | None = None,
    min_stratum: int = DEFAULT_MIN_STRATUM,
    frozen: Mapping[str, str] | None = None,
    rebuilding: str | None = None,
    line: int | None = None,
    cover: int | None = None,
) -> Manifest:
    """A new manifest: frozen rows kept, every other document of ``docs_meta`` (re)assigned.

    Parameters default to the manifest's own (its ``# params:`` line), so a rebuild is reproducible.
    ``frozen`` adds doc id -> split pairs known from release records; ``rebuilding`` names a version
    whose rows are recomputed (rebuilding that version from the same inputs gives the same splits).
    Frozen rows of documents absent from ``docs_meta`` are kept (a removed document keeps its split
    if it ever comes back); proposed rows of absent documents are dropped.
    """
    manifest = manifest or Manifest()
    p = manifest.params
    params = SplitParams(
        scheme=scheme or p.scheme,
        ratios=parse_ratios(ratios) if ratios is not None else p.ratios,
        seed=p.seed if seed is None else seed,
        threshold=p.threshold if threshold is None else threshold,
        line=p.line if line is None else line,
        cover=p.cover if cover is None else cover,
    ).checked()
    docs = sorted({d.id: d for d in docs_meta}.values(), key=lambda d: d.id)
    fixed = Manifest(manifest.entries, params).frozen(rebuilding)
    fixed.update(frozen or {})
    released = {
        d: e.released
        for d, e in manifest.entries.items()
        if e.released and e.released != rebuilding and in_line(e.released, params.line)
    }
    groups_of = group_documents(docs, params.threshold)
    members: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        members[groups_of[d.id]].append(d.id)
    by_id = {d.id: d for d in docs}

    split_of: dict[str, str] = {}
    free: list[tuple[str, list[str]]] = []
    for gid, ids in members.items():
        held = {fixed[i] for i in ids if i in fixed}
        if held:
            target = next(s for s in HELD_OUT_ORDER if s in held)
            for i in ids:
                split_of[i] = fixed.get(i, target)
        else:
            free.append((gid, ids))

    ratio = dict(zip(SPLITS, params.ratios, strict=True))
    if params.scheme == "temporal":
        counts = {s: 0.0 for s in SPLITS}
        for s in split_of.values():
            counts[s] += 1
        total = len(docs)
        targets = {s: ratio[s] * total for s in SPLITS}
        newest_first = sorted(free, key=lambda g: (max(by_id[i].published for i in g[1]), g[0]), reverse=True)
        decided: dict[str, str] = {}
        for gid, ids in newest_first:
            for s in ("test", "validation", "train"):
                if s == "train" or counts[s] + len(ids) <= targets[s] + 0.5 * len(ids):
                    decided[gid] = s
                    counts[s] += len(ids)
                    break
    else:
        decided = _deal_stratified(free, split_of, by_id, groups_of, ratio, params.seed, min_stratum)
    if params.cover:
        decided = cover_test(free, split_of, decided, by_id, params.cover, params.seed)
    for gid, ids in free:
        for i in ids:
            split_of[i] = decided[gid]

    entries: dict[str, Entry] = {}
    for doc_id, e in manifest.entries.items():
        if doc_id not in by_id and doc_id in fixed:
            entries[doc_id] = Entry(fixed[doc_id], released.get(doc_id), e.group)
    for doc_id, frozen_split in fixed.items():
        if doc_id not in by_id and doc_id not in entries:
            entries[doc_id] = Entry(frozen_split, released.get(doc_id))
    for d in docs:
        entries[d.id] = Entry(split_of[d.id], released.get(d.id), groups_of[d.id])
    return Manifest(entries=dict(sorted(entries.items())), params=params)


def _deal_stratified(
    free: Sequence[tuple[str, list[str]]],
    split_of: Mapping[str, str],
    by_id: Mapping[str, DocMeta],
    groups_of: Mapping[str, str],
    ratio: Mapping[str, float],
    seed: int,
    min_stratum: int,
) -> dict[str, str]:
    # a group's stratum is its smallest member's; strata too small fall back to coarser ones
    def fine(gid: str) -> tuple[str, str]:
        return by_id[gid].stratum

    sizes: dict[tuple[str, str], int] = defaultdict(int)
    for d in by_id.values():
        sizes[fine(groups_of[d.id])] += 1
    coarse_sizes: dict[str, int] = defaultdict(int)
    for key, n in sizes.items():
        coarse_sizes[key[0]] += n

    def stratum(gid: str) -> tuple[str, str]:
        key = fine(gid)
        if sizes[key] >= min_stratum:
            return key
        if coarse_sizes[key[0]] >= min_stratum:
            return (key[0], "*")
        return ("*", "*")

    strata: dict[tuple[str, str], list[tuple[str, list[str]]]] = defaultdict(list)
    for gid, ids in free:
        strata[stratum(gid)].append((gid, ids))
    fixed_by_stratum: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: {s: 0.0 for s in SPLITS})
    for doc_id, s in split_of.items():
        fixed_by_stratum[stratum(groups_of[doc_id])][s] += 1
    decided: dict[str, str] = {}
    for key in sorted(strata):
        groups = sorted(strata[key], key=lambda g: _rank(seed, g[0]))
        counts = dict(fixed_by_stratum[key])
        total = sum(counts.values()) + sum(len(ids) for _, ids in groups)
        targets = {s: ratio[s] * total for s in SPLITS}
        decided.update(_deal(groups, counts, targets, SPLITS))
    return decided


def cover_test(
    free: Sequence[tuple[str, list[str]]],
    split_of: Mapping[str, str],
    decided: Mapping[str, str],
    by_id: Mapping[str, DocMeta],
    cover: int,
    seed: int,
) -> dict[str, str]:
    """``decided`` with free groups moved from train to test until every event type with at least
    ``cover`` mentions has a test document (the group with the most mentions of the type moves; ties by
    rank). A type no free train group holds stays uncovered: frozen rows never move."""
    out = dict(decided)
    totals: dict[str, int] = defaultdict(int)
    for d in by_id.values():
        for t, n in d.event_counts.items():
            totals[t] += n
    members = dict(free)
    # the event types the test split holds so far, kept up to date as groups move (asking every
    # document again for every type was a fifth of a 100k-document plan)
    covered = {t for i, s in split_of.items() if s == "test" and i in by_id for t in by_id[i].event_counts}
    covered.update(
        t for g, s in out.items() if s == "test" for i in members[g] for t in by_id[i].event_counts
    )
    ranked = sorted(members)
    for t in sorted(k for k, n in totals.items() if n >= cover):
        if t in covered:
            continue
        scored = [
            (sum(by_id[i].event_counts.get(t, 0) for i in members[g]), g) for g in ranked if out[g] == "train"
        ]
        scored = [(n, g) for n, g in scored if n > 0]
        if scored:
            best = min(scored, key=lambda x: (-x[0], _rank(seed, x[1])))[1]
            out[best] = "test"
            covered.update(t2 for i in members[best] for t2 in by_id[i].event_counts)
    return out


# --------------------------------------------------------------------------- leakage


@dataclass(frozen=True)
class LeakPair:
    a: str
    b: str
    split_a: str
    split_b: str
    similarity: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "split_a": self.split_a,
            "split_b": self.split_b,
            "similarity": self.similarity,
            "reason": self.reason,
        }


def check_leakage(
    docs_meta: Iterable[DocMeta],
    manifest: Manifest,
    threshold: float | None = None,
    text_of: Callable[[str], str] | None = None,
) -> list[LeakPair]:
    """Pairs of near-duplicate (or same-event) documents that the manifest puts in different splits.

    ``similarity`` is the exact word 3-gram Jaccard when ``text_of`` (doc id -> text) is given,
    else the MinHash estimate. Documents absent from the manifest are ignored.
    """
    threshold = manifest.params.threshold if threshold is None else threshold
    docs = sorted((d for d in docs_meta if d.id in manifest.entries), key=lambda d: d.id)
    split = {d: e.split for d, e in manifest.entries.items()}
    found: dict[tuple[str, str], tuple[float, str]] = {}
    for a, b, sim in near_duplicate_pairs(docs, threshold):
        if split[a] != split[b]:
            found[(a, b)] = (sim, "near-duplicates")
    by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for d in docs:
        if d.event_key is not None:
            by_key[d.event_key].append(d.id)
    for ids in by_key.values():
        for i, a in enumerate(sorted(ids)):
            for b in sorted(ids)[i + 1 :]:
                if split[a] != split[b] and (a, b) not in found:
                    found[(a, b)] = (-1.0, "reports of the same event")
    out = []
    for (a, b), (sim, reason) in sorted(found.items()):
        if text_of is not None:
            sim = round(jaccard(shingles(text_of(a)), shingles(text_of(b))), 4)
        out.append(LeakPair(a, b, split[a], split[b], sim, reason))
    return out


def split_counts(manifest: Manifest, ids: Iterable[str] | None = None) -> dict[str, int]:
    return {s: len(v) for s, v in manifest.split_ids(ids).items()}


def mark_released(manifest: Manifest, ids: Iterable[str], version: str) -> Manifest:
    """A copy with ``released`` set to ``version`` on every listed document not yet released."""
    entries = dict(manifest.entries)
    for doc_id in ids:
        e = entries[doc_id]
        if e.released is None:  # the constructor, not dataclasses.replace: 100k rows in a large release
            entries[doc_id] = Entry(e.split, version, e.group)
    return Manifest(entries=entries, params=manifest.params)
