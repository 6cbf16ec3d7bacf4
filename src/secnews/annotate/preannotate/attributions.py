"""Attributions (who says what): reporting cues, their source and their content, by dependency rules.

Two cue shapes cover most of French news prose:

- a reporting verb ("a annoncé", "a souligné", "a été revendiquée"): the source is its subject (or
  the agent of a passive), the content its complement clause, its object, or the quotation it
  introduces ("« ... », a souligné l'état-major");
- a preposition ("selon X", "d'après X"): the source is the entity after it, the content is the rest
  of the sentence.

A cue without any content is skipped: an empty attribution is noise for the annotator.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from secnews.annotate.preannotate import lexicon as lx
from secnews.annotate.preannotate.events import SpanIndex

SCORE_ATTRIBUTION = 0.5
Record = dict[str, Any]
Span = tuple[int, int]

_SOURCE_TYPES = {
    "STATE_FORCE": "STATE_MILITARY",
    "ARMED_GROUP": "ARMED_GROUP",
    "MILITIA": "ARMED_GROUP",
    "MULTINATIONAL_FORCE": "MULTINATIONAL",
}
_OPEN_QUOTES = "«“"
_CLOSE_QUOTES = "»”"


@dataclass
class AttributionGuess:
    cue: Span
    content: list[Span]
    source: str | None
    source_type: str | None
    claim: str
    certainty: str
    quote: str
    events: list[str] = field(default_factory=list)
    score: float = SCORE_ATTRIBUTION


# ----------------------------------------------------------------------------------------- spans
def _trim_chars(text: str, start: int, end: int) -> Span | None:
    """Character span without edge spaces and edge punctuation (but keeping closing quotes balanced)."""
    strip = " \t\n,;:.–—-"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return (start, end) if end > start else None


def _subtree_span(tok: Any) -> Span:
    toks = list(tok.subtree)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _strip_complementizer(doc: Any, tok: Any, span: Span) -> Span:
    """ "que l'armée aurait ..." -> "l'armée aurait ...": the content is the clause, not its marker."""
    first = next(iter(tok.subtree))
    if first.dep_ == "mark" and first.lower_ in ("que", "qu'", "qu’", "si"):
        nxt = doc[first.i + 1] if first.i + 1 < len(doc) else None
        if nxt is not None:
            return nxt.idx, span[1]
    return span


def _paragraph(text: str, start: int, end: int) -> Span:
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    return para_start, len(text) if para_end < 0 else para_end


def _quote_around(text: str, cue_start: int, cue_end: int) -> Span | None:
    """A quotation that ends just before the cue ("« ... », a dit X") or starts just after it ("X a dit : « ... »")."""
    para_start, para_end = _paragraph(text, cue_start, cue_end)
    before = text[para_start:cue_start].rstrip(" ,")
    if before and before[-1] in _CLOSE_QUOTES:
        close = para_start + len(before) - 1
        open_ = text.rfind(_OPEN_QUOTES[_CLOSE_QUOTES.index(before[-1])], para_start, close)
        if open_ >= 0:
            return _trim_chars(text, open_ + 1, close)
    after = text[cue_end:para_end]
    stripped = after.lstrip(" :,")
    if stripped and stripped[0] in _OPEN_QUOTES:
        open_ = cue_end + len(after) - len(stripped)
        close = text.find(_CLOSE_QUOTES[_OPEN_QUOTES.index(stripped[0])], open_ + 1, para_end)
        if close > open_:
            return _trim_chars(text, open_ + 1, close)
    return None


def _quote_kind(text: str, spans: list[Span]) -> str:
    """DIRECT when the content is a quotation, MIXED when it contains one, else INDIRECT."""
    for s, e in spans:
        if text[:s].rstrip()[-1:] in tuple(_OPEN_QUOTES) and text[e:].lstrip()[:1] in tuple(_CLOSE_QUOTES):
            return "DIRECT"
    if any(any(q in text[s:e] for q in _OPEN_QUOTES + _CLOSE_QUOTES) for s, e in spans):
        return "MIXED"
    return "INDIRECT"


# ----------------------------------------------------------------------------------------- attributes
def _tokens_in(doc: Any, starts: list[int], spans: list[Span]) -> list[Any]:
    """The tokens that start inside one of the spans, in document order, each once (``starts``: every
    token's ``idx``, ascending): a slice per span instead of a scan of the whole document."""
    picked: set[int] = set()
    for s, e in spans:
        picked.update(range(bisect_left(starts, s), bisect_left(starts, e)))
    return [doc[i] for i in sorted(picked)]


def _certainty(toks: list[Any]) -> str:
    if any("Cnd" in t.morph.get("Mood") and t.lemma_ in lx.POSSIBLE_LEMMAS for t in toks):
        return "POSSIBLE"
    if any("Cnd" in t.morph.get("Mood") for t in toks) or any(
        t.lower_ in ("probablement", "vraisemblablement") for t in toks
    ):
        return "PROBABLE"
    if any(t.lower_ in ("peut-être", "éventuellement") for t in toks):
        return "POSSIBLE"
    return "CERTAIN"


def _source_type(source: Record | None, text: str) -> str | None:
    if source is None:
        return None
    if lx.fold(source["text"]) in lx.MEDIA_WORDS:
        return "MEDIA"
    return _SOURCE_TYPES.get(source["type"])


def _claim(base: str, events: list[Record], toks: list[Any]) -> str:
    if base != "ASSERTION":
        return base
    outcome = any(e["type"] in ("DEATH", "INJURY") for e in events)
    numbers = any(t.like_num for t in toks)
    return "CASUALTY_TOLL" if outcome and numbers else base


# ----------------------------------------------------------------------------------------- cues
def _verb_cue(tok: Any) -> Span:
    """The cue with its auxiliaries: "a souligné", "a été revendiquée"."""
    auxes = [c for c in tok.children if c.dep_.startswith("aux") and c.i < tok.i and tok.i - c.i <= 3]
    start = min([tok.idx] + [a.idx for a in auxes])
    return start, tok.idx + len(tok.text)


def _verb_content(doc: Any, text: str, tok: Any) -> list[Span]:
    for dep in ("ccomp", "obj", "xcomp"):
        child = next((c for c in tok.children if c.dep_ == dep), None)
        if child is not None:
            span = _strip_complementizer(doc, child, _subtree_span(child))
            trimmed = _trim_chars(text, *span)
            if trimmed is not None and trimmed[1] - trimmed[0] > 2:
                return [trimmed]
    return []


def _rest_of_sentence(text: str, tok: Any) -> list[Span]:
    """Fallback content of a main-clause cue the parser left without complement ("a annoncé ce samedi la mort de X")."""
    if tok.dep_ != "ROOT" or tok.sent.end - tok.i < 4:
        return []
    trimmed = _trim_chars(text, tok.idx + len(tok.text), tok.sent.end_char)
    return [trimmed] if trimmed is not None and trimmed[1] - trimmed[0] > 2 else []


def _verb_source(tok: Any, index: SpanIndex) -> Record | None:
    for child in tok.children:
        if child.dep_ in ("nsubj", "obl:agent"):
            ent = index.entity_at(child)
            if ent is not None and ent["type"] not in ("WEAPON", "VEHICLE", "FAC", "LOC"):
                return ent
    return None


def _prep_cue(doc: Any, tok: Any) -> int | None:
    """Token end of "selon" / "d'après" starting at ``tok``, else None."""
    if tok.lower_ == "selon":
        return tok.i + 1
    if tok.lower_ in ("d'", "d’") and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "après":
        return tok.i + 2
    return None


def _prep_attribution(
    doc: Any, text: str, tok: Any, end: int, index: SpanIndex
) -> tuple[Span, list[Span], Record | None]:
    """Cue, content (the sentence outside "selon X,") and source (the first entity after the cue)."""
    sent = tok.sent
    phrase_end = next((t.i for t in doc[end : sent.end] if t.text in (",", ";", ":")), sent.end)
    phrase = doc[end:phrase_end]
    source = None
    for t in phrase:
        source = index.entity_at(t)
        if source is not None and source["type"] not in ("WEAPON", "VEHICLE"):
            break
        source = None
    content = []
    for a, b in (
        (sent.start_char, tok.idx),
        (phrase.end_char if len(phrase) else doc[end - 1].idx, sent.end_char),
    ):
        trimmed = _trim_chars(text, a, b)
        if trimmed is not None and trimmed[1] - trimmed[0] > 2:
            content.append(trimmed)
    cue = (tok.idx, doc[end - 1].idx + len(doc[end - 1].text))
    return cue, content, source


# ----------------------------------------------------------------------------------------- API
def extract_attributions(doc: Any, entities: list[Record], events: list[Record]) -> list[AttributionGuess]:
    """Every reporting cue with content, its source entity (or null: the article) and its attributes."""
    index = SpanIndex(entities, [])
    text = doc.text  # spaCy joins every token on each access: once per document, not once per cue
    starts = [t.idx for t in doc]
    out: list[AttributionGuess] = []
    for tok in doc:
        base: str | None = None
        if tok.pos_ == "VERB" and tok.lemma_.lower() in lx.CUE_VERBS:
            base = lx.CUE_VERBS[tok.lemma_.lower()]
            cue = _verb_cue(tok)
            content = _verb_content(doc, text, tok)
            if not content:
                quote = _quote_around(text, cue[0], cue[1])
                content = [quote] if quote else _rest_of_sentence(text, tok)
            source = _verb_source(tok, index)
        else:
            end = _prep_cue(doc, tok)
            if end is None:
                continue
            base = "ASSERTION"
            cue, content, source = _prep_attribution(doc, text, tok, end, index)
        if not content:
            continue
        toks = _tokens_in(doc, starts, content)
        reported = [
            e
            for e in events
            if any(s <= e["trigger"]["start"] and e["trigger"]["end"] <= t for s, t in content)
        ]
        out.append(
            AttributionGuess(
                cue=cue,
                content=content,
                source=source["id"] if source else None,
                source_type=_source_type(source, text),
                claim=_claim(base, reported, toks),
                certainty=_certainty(toks),
                quote=_quote_kind(text, content),
                events=[e["id"] for e in reported],
            )
        )
    return out
