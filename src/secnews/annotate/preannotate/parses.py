"""The parse cache: a text parsed once is not parsed again by the next run, whatever file holds it.

The spaCy parse is most of a run's CPU, and it depends on the text and the pipeline only, not on the
rules: a re-run after a rule, lexicon, registry or gold change (or on unchanged documents) only needs
the rules. Each parse is stored under the xxh3-128 of its text, in a folder named by a *fingerprint*
of everything else the parse depends on: spaCy's version, the model's name and version, the
pipeline's components and :data:`~secnews.annotate.preannotate.pipeline.PIPELINE_REVISION`. A new
fingerprint starts an empty folder and removes the others, so a stale parse cannot be read.

An entry is the ``Doc`` serialised by spaCy (tokens, POS, morphology, lemmas, dependencies, sentence
starts, entities; not the tok2vec tensor, which no rule reads), zlib-compressed: about 12 kB for a
2 kB article, read back in about a millisecond where parsing takes 40. Entries are written through a
temporary file and a rename, so the forked workers of one run can share the folder; an entry that
cannot be read, or whose text differs, is a miss. The folder is ``.secnews_cache/parses/`` at the
project root, next to ``validate``'s cache (never committed).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import xxhash

from secnews.annotate.preannotate.pipeline import MODEL_PACKAGE, PIPELINE_REVISION, model_version

#: the layout of an entry; part of the fingerprint
CACHE_FORMAT = 1
#: what ``Doc.to_bytes`` leaves out (no rule reads them)
_EXCLUDE = ["tensor", "user_data"]


def default_parse_cache_dir() -> Path:
    from secnews.validate.cache import default_cache_dir

    return default_cache_dir() / "parses"


def fingerprint(nlp: Any) -> str:
    import spacy

    h = xxhash.xxh3_128()
    for part in (
        f"format {CACHE_FORMAT}",
        f"spacy {spacy.__version__}",
        f"model {MODEL_PACKAGE} {model_version()}",
        f"pipeline {','.join(nlp.pipe_names)} revision {PIPELINE_REVISION}",
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


class ParseCache:
    """text -> parsed ``Doc`` for one pipeline, on disk (see the module docstring)."""

    def __init__(self, root: Path, nlp: Any) -> None:
        self.nlp = nlp
        self.root = Path(root)
        self.folder = self.root / fingerprint(nlp)
        self.hits = 0
        self.misses = 0

    def _entry(self, text: str) -> Path:
        key = xxhash.xxh3_128_hexdigest(text.encode("utf-8"))
        return self.folder / key[:2] / f"{key}.spacy"

    def get(self, text: str) -> Any:
        """The cached parse of ``text``, or None."""
        from spacy.tokens import Doc

        try:
            data = self._entry(text).read_bytes()
            doc = Doc(self.nlp.vocab).from_bytes(zlib.decompress(data), exclude=_EXCLUDE)
        except FileNotFoundError:
            doc = None
        except Exception:  # a torn or foreign file: parse again (and overwrite it)
            doc = None
        if doc is None or doc.text != text:
            self.misses += 1
            return None
        self.hits += 1
        return doc

    def put(self, text: str, doc: Any) -> None:
        """Store a parse (best effort: a cache that cannot be written only costs speed)."""
        path = self._entry(text)
        data = zlib.compress(doc.to_bytes(exclude=_EXCLUDE), 1)
        try:
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True, exist_ok=True)
                _ignore_file(self.root)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError:
            return


def _ignore_file(root: Path) -> None:
    """``.secnews_cache/.gitignore`` (as ``validate`` writes it), so that the cache is never committed."""
    ignore = root.parent / ".gitignore"
    if root.parent.name == ".secnews_cache" and not ignore.exists():
        ignore.write_text("# written by secnews: the cache is never committed\n*\n", encoding="utf-8")


@cache
def _prepared(root: Path, folder_name: str) -> None:
    """Once per process and folder: other fingerprints' folders removed (nothing is created until a
    parse is stored)."""
    try:
        if not root.is_dir():
            return
        for other in root.iterdir():
            if other.is_dir() and other.name != folder_name:
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return


def open_parse_cache(root: Path | None, nlp: Any) -> ParseCache:
    """The cache of ``nlp``'s parses under ``root`` (default ``.secnews_cache/parses``)."""
    parses = ParseCache(root if root is not None else default_parse_cache_dir(), nlp)
    _prepared(parses.root, parses.folder.name)
    return parses
