"""French tokenisation and sentence splitting with character offsets, for the ``ner`` config.

We reuse spaCy's French tokenizer (``spacy.blank("fr")``: rules and exceptions maintained upstream,
no model download) and its rule-based ``sentencizer``: both are deterministic and fast, and every
token keeps its code-point offset into the document text, so a model's predictions map back to it.

What spaCy 3.8 does with French (checked in tests/test_parquet_ner.py):

- elisions split after the apostrophe, straight or curly: ``l'armée`` -> ``l'`` ``armée``,
  ``d’AQMI`` -> ``d’`` ``AQMI``;
- hyphenated names split around the hyphen: ``Al-Qaïda`` -> ``Al`` ``-`` ``Qaïda``; inverted
  pronouns keep the hyphen on the pronoun: ``a-t-il`` -> ``a`` ``-t`` ``-il``; ``c’est-à-dire`` ->
  ``c’`` ``est`` ``-`` ``à`` ``-`` ``dire``;
- runs of extra whitespace become whitespace tokens, which we drop (they carry no label; offsets of
  the remaining tokens are unaffected).

Retokenisation: when an annotated span starts or ends inside a spaCy token, the token is split at
that offset, so every entity is an exact sequence of whole tokens and spans re-derived from tags
equal the annotated spans.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass
class Sentence:
    start: int
    end: int
    tokens: list[Token] = field(default_factory=list)


@cache
def french_pipeline() -> Any:
    """A blank French spaCy pipeline with the rule-based sentencizer (loaded once per process)."""
    import spacy

    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    return nlp


def _split_token(start: int, end: int, text: str, cuts: list[int]) -> list[Token]:
    """Split ``text[start:end]`` at every cut strictly inside it; whitespace-only pieces are dropped.

    ``cuts`` is sorted: a binary search finds the cuts inside the token (a scan of every cut for every
    token made long documents quadratic).
    """
    inner = cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]
    edges = [start, *inner, end]
    pieces = []
    for lo, hi in itertools.pairwise(edges):
        piece = text[lo:hi]
        if piece and not piece.isspace():
            pieces.append(Token(lo, hi, piece))
    return pieces


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[Token]:
    """The non-whitespace tokens of ``text``, split at the given character offsets."""
    return [t for s in sentences(text, cuts) for t in s.tokens]


def sentences(
    text: str, cuts: Iterable[int] = (), keep_together: Iterable[tuple[int, int]] = ()
) -> list[Sentence]:
    """Sentences with their tokens; a span of ``keep_together`` never straddles two sentences.

    The sentencizer sometimes cuts inside a name or a quotation; merging the sentences a span
    crosses keeps each entity inside one row of the ``ner`` table.
    """
    cut_list = sorted(set(cuts))
    doc = french_pipeline()(text)
    raw: list[Sentence] = []
    for sent in doc.sents:
        toks: list[Token] = []
        for tok in sent:
            if tok.is_space:
                continue
            start = tok.idx
            toks.extend(_split_token(start, start + len(tok.text), text, cut_list))
        if toks:
            raw.append(Sentence(toks[0].start, toks[-1].end, toks))
    return _merge(raw, sorted(keep_together))


def _merge(sents: list[Sentence], spans: list[tuple[int, int]]) -> list[Sentence]:
    if not sents or not spans:
        return sents
    out = [sents[0]]
    for sent in sents[1:]:
        prev = out[-1]
        if any(s < prev.end and e > sent.start for s, e in spans):
            prev.end = sent.end
            prev.tokens.extend(sent.tokens)
        else:
            out.append(sent)
    return out
