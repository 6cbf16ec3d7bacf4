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
    return [
        Sentence(start, end, [Token(a, b, t) for a, b, t in zip(starts, ends, texts, strict=True)])
        for start, end, starts, ends, texts in sentence_spans(text, cuts, keep_together)
    ]


#: one sentence as plain lists: (start, end, token starts, token ends, token texts)
SentenceSpans = tuple[int, int, list[int], list[int], list[str]]


def sentence_spans(
    text: str, cuts: Iterable[int] = (), keep_together: Iterable[tuple[int, int]] = ()
) -> list[SentenceSpans]:
    """What :func:`sentences` returns, as plain lists instead of ``Sentence``/``Token`` objects.

    The release tokenises every document: reading spaCy's offsets with one ``Doc.to_array`` call
    and keeping tokens as parallel lists avoids creating a spaCy ``Token`` and a frozen ``Token``
    dataclass per token, which cost ~4x the tokenisation itself. For the same reason the
    sentencizer's rule runs here on those arrays instead of as a pipe (which creates a ``Token``
    per token); tests compare the result with the pipeline's ``Doc.sents``.
    """
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

    cut_list = sorted(set(cuts))
    n_cuts = len(cut_list)
    nlp = french_pipeline()
    punct_chars, longest = _punct_chars(), _longest_punct()
    doc = nlp.make_doc(text)  # the tokenizer (and spaCy's max_length check), not the sentencizer pipe
    if not len(doc):
        return []
    # one list per attribute (a list per token cost more than the tokenizer's own arrays)
    columns = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT]).T.tolist()
    raw: list[SentenceSpans] = []
    starts: list[int] = []
    ends: list[int] = []
    seen_period = False
    ci = 0  # the first cut after the current token's start (tokens come in text order)
    for start, length, is_space, is_punct in zip(*columns, strict=True):
        # spaCy's Sentencizer.predict, on the token arrays: a sentence starts at the first token
        # that is neither punctuation nor a sentence-final character after a sentence-final one
        if length <= longest and text[start : start + length] in punct_chars:
            seen_period = True
        elif seen_period and not is_punct:
            seen_period = False
            if starts:  # a new sentence; one without tokens (only spaces) is dropped
                raw.append(_sentence(text, starts, ends))
                starts, ends = [], []
        if is_space:  # spaCy's IS_SPACE is str.isspace: whitespace tokens carry no label
            continue
        end = start + length
        while ci < n_cuts and cut_list[ci] <= start:
            ci += 1
        if ci < n_cuts and cut_list[ci] < end:  # a span starts or ends inside the token
            for tok in _split_token(start, end, text, cut_list):
                starts.append(tok.start)
                ends.append(tok.end)
            continue
        starts.append(start)
        ends.append(end)
    if starts:
        raw.append(_sentence(text, starts, ends))
    return _merge_spans(raw, sorted(keep_together))


def _sentence(text: str, starts: list[int], ends: list[int]) -> SentenceSpans:
    """A sentence of the tokens at these offsets (their texts sliced once, in one comprehension)."""
    return (starts[0], ends[-1], starts, ends, [text[a:b] for a, b in zip(starts, ends, strict=True)])


@cache
def _longest_punct() -> int:
    """The length of the longest sentence-final string: a longer token is never one."""
    return max(map(len, _punct_chars()), default=0)


@cache
def _punct_chars() -> frozenset[str]:
    """The sentence-final characters of the pipeline's ``sentencizer`` (its configuration)."""
    return frozenset(french_pipeline().get_pipe("sentencizer").punct_chars)


def _merge_spans(sents: list[SentenceSpans], spans: list[tuple[int, int]]) -> list[SentenceSpans]:
    """Merge each sentence into the previous one when a ``keep_together`` span crosses their boundary.

    ``spans`` is sorted: a boundary (previous sentence's end, next sentence's start) is crossed when
    a span starting before that end ends after that start, i.e. when the largest end among the spans
    starting before it does; one binary search per boundary over the running maximum of the ends
    (each boundary against every span made long, densely annotated documents quadratic).
    """
    if not sents or not spans:
        return sents
    span_starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))
    out = [sents[0]]
    for sent in sents[1:]:
        prev = out[-1]
        k = bisect.bisect_left(span_starts, prev[1])  # spans[:k] start before the previous end
        if k and reach[k - 1] > sent[0]:
            prev[2].extend(sent[2])
            prev[3].extend(sent[3])
            prev[4].extend(sent[4])
            out[-1] = (prev[0], sent[1], prev[2], prev[3], prev[4])
        else:
            out.append(sent)
    return out
