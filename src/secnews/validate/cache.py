"""The verdict cache: a file whose bytes did not change keeps its findings from the last run.

A pull request touches a handful of documents of a corpus of thousands; re-validating the rest only
re-derives the same findings. As ruff's cache does, each file's verdict is stored under its path and
a hash of its bytes (xxh3-128 of the content, not its mtime: a fresh ``git clone`` or checkout changes
every mtime but no byte), and the whole cache under a *fingerprint* of everything else a verdict
depends on: the toolkit version, the rule catalogue, and the bytes of the schema, the taxonomy and
the actor registry. A different fingerprint starts an empty cache, so a stale verdict cannot survive
a schema or toolkit change.

The cache is one JSON file in a hidden folder of the project (``.secnews_cache/``, which carries its
own ``.gitignore`` so that it is never committed), written atomically at the end of a run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import xxhash

from secnews import __version__
from secnews.core.findings import Finding, get_rule
from secnews.core.fs import atomic_write_bytes
from secnews.core.paths import project_root, schema_dir

#: the schema files a verdict depends on (besides the document's own bytes)
CONTRACT_FILES = ("document.schema.json", "taxonomy.yaml", "actors.yaml")
CACHE_FILE = "validate.json"
#: the layout of an entry, [name, hash, mtime_ns, size, findings]; part of the fingerprint
CACHE_FORMAT = 2


def default_cache_dir() -> Path:
    """``.secnews_cache/`` at the project root (next to ``corpus/``, like ``.ruff_cache``)."""
    return project_root() / ".secnews_cache"


def content_hash(data: bytes) -> str:
    """The key of a file's bytes (xxh3-128: ~20x faster than blake2 on 4 kB, collisions out of reach)."""
    return xxhash.xxh3_128_hexdigest(data)


def fingerprint(codes: Iterable[str]) -> str:
    """Everything but the document that a verdict depends on, as one hash (``codes``: the rules a
    verdict may contain; their severities and templates are in the stored findings)."""
    h = xxhash.xxh3_128()
    h.update(f"secnews {__version__}\0cache format {CACHE_FORMAT}\0".encode())
    for rule in map(get_rule, sorted(set(codes))):
        h.update(f"{rule.code}\0{rule.severity}\0{rule.template}\0".encode())
    for name in CONTRACT_FILES:
        path = schema_dir() / name
        h.update(f"{name}\0".encode())
        h.update(path.read_bytes() if path.exists() else b"<missing>")
    return h.hexdigest()


#: what identifies a file's bytes: (xxh3-128 of the content, mtime in ns, size)
Stamp = tuple[str, int, int]
#: a stored verdict as a reader gets it: (content hash, findings as dicts)
Verdict = tuple[str, list[dict[str, Any]]]


@dataclass
class VerdictCache:
    """path -> (stamp, findings) for the current fingerprint; saved by :meth:`save`.

    The verdict is keyed by the content hash; the mtime and size only spare reading the file when
    they have not changed since the hash was taken (as git's index does), so a fresh checkout, which
    changes every mtime, costs one read and hash per file and still finds every verdict.
    """

    file: Path
    key: str
    entries: dict[str, list[Any]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)
    hits: int = 0
    #: entries are keyed by the path joined to the working directory (``corpus/x.json`` run from two
    #: checkouts are two files) and hold the name as given, which findings repeat; read once here:
    #: ``os.path.abspath`` asks the OS for it on every call
    cwd: str = field(default_factory=os.getcwd)

    def known(self, path: Path) -> Stamp | None:
        """The stamp of the file when its verdict was stored (None: never seen under this name)."""
        name = str(path)
        entry = self.entries.get(os.path.join(self.cwd, name))
        if not (type(entry) is list and len(entry) == 5 and entry[0] == name):
            return None  # never seen, or an entry this version cannot read: validate the file
        return entry[1], entry[2], entry[3]

    def verdict(self, path: Path) -> Verdict | None:
        """(content hash, stored findings) of a file, without marking it seen: for a reader (the
        release's scan) that checks the hash itself and never saves the cache."""
        entry = self.entries.get(os.path.join(self.cwd, str(path)))  # the file, however it was named
        if not (type(entry) is list and len(entry) == 5 and isinstance(entry[4], list)):
            return None
        return entry[1], entry[4]

    def findings(self, path: Path, stamp: Stamp) -> list[Finding] | None:
        """The stored verdict of a file whose bytes are unchanged (``stamp``: its current one);
        None when the stored findings cannot be read back (the caller validates the file)."""
        key = os.path.join(self.cwd, str(path))
        entry = self.entries[key]
        found = stored_findings(entry[4])
        if found is None:
            return None
        if stamp[1] != entry[2]:  # hashed again (new mtime, same bytes): keep the new stamp
            entry[1:4] = _settled(stamp)
        self.touched.add(key)
        self.hits += 1
        return found

    def store(self, path: Path, stamp: Stamp, found: list[Finding]) -> None:
        key = os.path.join(self.cwd, str(path))
        self.touched.add(key)
        self.entries[key] = [str(path), *_settled(stamp), [f.to_dict() for f in found]]

    def save(self) -> None:
        """Write the cache atomically; entries of files that are gone are dropped."""
        kept = {k: v for k, v in self.entries.items() if k in self.touched or os.path.exists(k)}
        self.file.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.file.parent / ".gitignore"
        if not ignore.exists():
            atomic_write_bytes(ignore, b"# written by secnews validate: the cache is never committed\n*\n")
        atomic_write_bytes(self.file, orjson.dumps({"fingerprint": self.key, "entries": kept}))


def stored_findings(dicts: list[dict[str, Any]] | None) -> list[Finding] | None:
    """Findings read back from their stored dicts; None when this version cannot read them (validate)."""
    try:
        return [Finding(**d) for d in dicts] if dicts else []
    except TypeError:
        return None


def open_cache(codes: Iterable[str], directory: Path | None = None) -> VerdictCache:
    """The cache for the current fingerprint (empty when absent, unreadable or for another one)."""
    file = (directory or default_cache_dir()) / CACHE_FILE
    key = fingerprint(codes)
    try:
        data = orjson.loads(file.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return VerdictCache(file, key)
    if (
        not isinstance(data, dict)
        or data.get("fingerprint") != key
        or not isinstance(data.get("entries"), dict)
    ):
        return VerdictCache(file, key)
    return VerdictCache(file, key, data["entries"])


#: a file modified this recently may be modified again within the file system's timestamp granularity
RACY_NS = 2_000_000_000


def _settled(stamp: Stamp) -> Stamp:
    """The stamp to store: a recent mtime is replaced by -1, so the next run hashes the file.

    Git's "racy clean" rule: a file written in the same timestamp tick as our stat could change again
    without its mtime or size changing; only its hash can then tell.
    """
    digest, mtime_ns, size = stamp
    return (digest, -1, size) if time.time_ns() - mtime_ns < RACY_NS else stamp
