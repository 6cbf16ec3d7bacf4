"""Entity mentions: spaCy's statistical NER, overridden by the actor gazetteer, plus nominal rules.

Three sources, in decreasing trust:

1. the gazetteer (every alias of ``schema/actors.yaml``, PhraseMatcher on lower case, acronyms on
   exact case) gives the type *and* the actor id, and wins on any overlap;
2. spaCy's ``PER/LOC/ORG/MISC`` mapped to our types (LOC split into GPE and natural LOC, ORG and
   MISC retyped when the registry knows the name, country names always GPE);
3. nominal rules ("l'armée malienne", "des hommes armés", "un engin explosif", "le camp") add
   ``NOM`` mentions where no name is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from secnews.annotate.preannotate import lexicon as lx
from secnews.core.actors import ActorRegistry, load_actors

SCORE_GAZETTEER = 0.9
SCORE_NER = 0.7
SCORE_NOMINAL = 0.5


@dataclass(frozen=True, order=True)
class EntityGuess:
    start: int
    end: int
    type: str
    mention: str
    actor: str | None
    score: float


# ----------------------------------------------------------------------------------------- helpers
def trim(doc: Any, start: int, end: int) -> tuple[int, int] | None:
    """Token range without leading determiners/punctuation and trailing punctuation/space."""
    while start < end and (doc[start].is_space or doc[start].is_punct or doc[start].lower_ in lx.DETERMINERS):
        start += 1
    while end > start and (doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text not in ".")):
        end -= 1
    # an abbreviation's dot ("St.") stays; a sentence's final dot does not
    final_dot = end > start and doc[end - 1].text == "." and len(doc[start:end].text) > 1
    if final_dot and (doc[end - 1].whitespace_ or end == len(doc)):
        end -= 1
    return (start, end) if end > start else None


def split_on_newlines(doc: Any, start: int, end: int) -> list[tuple[int, int]]:
    """NER spans may run over a blank line ("Katiba Serma\\n\\nMoussa"): cut them there."""
    pieces, cur = [], start
    for i in range(start, end):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            if "\n" in doc[i].text:
                pieces.append((cur, i))
            else:
                pieces.append((cur, i + 1))
            cur = i + 1
    pieces.append((cur, end))
    return [p for p in pieces if p[1] > p[0]]


def country_code(surface: str) -> str | None:
    return _country_names().get(lx.fold(surface))


@cache
def _country_names() -> dict[str, str]:
    return lx.country_names()


# ----------------------------------------------------------------------------------------- gazetteer
@dataclass(frozen=True)
class Gazetteer:
    matcher: Any
    exact_matcher: Any
    aliases: tuple[str, ...]
    registry: ActorRegistry


def _is_acronym(alias: str) -> bool:
    return alias.isupper() and " " not in alias


@cache
def build_gazetteer(nlp: Any) -> Gazetteer:
    """PhraseMatchers over every registry alias (built once per pipeline)."""
    from spacy.matcher import PhraseMatcher

    registry = load_actors()
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    aliases: list[str] = []
    seen: set[str] = set()
    for alias, _actor in registry.aliases(include_ambiguous=True):
        if alias in seen or alias in lx.GAZETTEER_SKIP:
            continue
        seen.add(alias)
        key = str(len(aliases))
        aliases.append(alias)
        variants = {alias, alias.replace("'", "\u2019"), alias.replace("\u2019", "'")}
        docs = [nlp.make_doc(v) for v in sorted(variants)]
        (exact if _is_acronym(alias) else lower).add(key, docs)
    return Gazetteer(lower, exact, tuple(aliases), registry)


def _resolve(gaz: Gazetteer, surface: str, hint: str | None) -> tuple[str, str | None] | None:
    """(type, actor id) of a matched alias; an ambiguous one keeps its type if all candidates agree."""
    actor = gaz.registry.lookup(surface, country=hint)
    if actor is not None:
        return actor.type, actor.id
    types = {a.type for a in gaz.registry.candidates(surface)}
    if len(types) == 1:
        return types.pop(), None
    return None


def gazetteer_entities(doc: Any, gaz: Gazetteer, hint: str | None) -> list[EntityGuess]:
    import spacy.util

    spans = []
    for matcher in (gaz.matcher, gaz.exact_matcher):
        for match_id, start, end in matcher(doc):
            alias = gaz.aliases[int(doc.vocab.strings[match_id])]
            span = doc[start:end]
            if len(span) == 1 and alias[0].isupper() and not span.text[0].isupper():
                continue  # "Sentinelle" the force, not "une sentinelle"
            spans.append(span)
    out = []
    for span in spacy.util.filter_spans(spans):
        trimmed = trim(doc, span.start, span.end)
        if trimmed is None:
            continue
        s = doc[trimmed[0] : trimmed[1]]
        resolved = _resolve(gaz, span.text, hint)
        if resolved is None:
            continue
        etype, actor = resolved
        mention = "NAM" if s.text[0].isupper() else "NOM"
        out.append(EntityGuess(s.start_char, s.end_char, etype, mention, actor, SCORE_GAZETTEER))
    return out


# ----------------------------------------------------------------------------------------- NER
def _place_type(span: Any) -> str:
    text = lx.fold(span.text)
    if text in _country_names():
        return "GPE"
    if text in lx.NATURAL_NAMES or span[0].lower_ in lx.NATURAL_HEADS:
        return "LOC"
    return "GPE"


def _is_facility(span: Any) -> bool:
    """ "Grande Mosquée de Valence", "hôtel Radisson": a named facility, whatever spaCy's label."""
    return any(
        lx.NOMINAL_HEADS.get(t.lemma_.lower()) == "FAC" and t.lemma_.lower() not in lx.QUALIFIED_FACILITIES
        for t in span[:2]
    )


def _ner_type(span: Any, label: str, registry: ActorRegistry, hint: str | None) -> tuple[str, str | None]:
    if lx.fold(span.text) in _country_names():
        return "GPE", None
    if label in ("LOC", "ORG", "MISC") and _is_facility(span):
        return "FAC", None
    if label == "PER":
        return "PER", None
    if label == "LOC":
        return _place_type(span), None
    actor = registry.lookup(span.text, country=hint)
    if actor is not None:
        return actor.type, actor.id
    return ("ORG", None) if label == "ORG" else ("MISC", None)


def ner_spans(doc: Any) -> list[tuple[Any, str]]:
    """spaCy's entities cut at blank lines and trimmed of determiners, with their label."""
    out = []
    for ent in doc.ents:
        for a, b in split_on_newlines(doc, ent.start, ent.end):
            trimmed = trim(doc, a, b)
            if trimmed is not None:
                out.append((doc[trimmed[0] : trimmed[1]], ent.label_))
    return out


def document_country_hint(doc: Any, spans: list[tuple[Any, str]] | None = None) -> str | None:
    """The most mentioned country (ties: first mentioned): resolves "FDS", "gendarmerie"."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for span, _label in ner_spans(doc) if spans is None else spans:
        code = country_code(span.text)
        if code:
            counts[code] += 1
            first.setdefault(code, span.start_char)
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], first[c]))


def ner_entities(
    doc: Any, registry: ActorRegistry, hint: str | None, spans: list[tuple[Any, str]] | None = None
) -> list[EntityGuess]:
    out = []
    for span, label in ner_spans(doc) if spans is None else spans:
        if not any(ch.isupper() or ch.isdigit() for ch in span.text):
            continue  # "un homme" tagged MISC: a name has a capital
        etype, actor = _ner_type(span, label, registry, hint)
        out.append(EntityGuess(span.start_char, span.end_char, etype, "NAM", actor, SCORE_NER))
    return out


# ----------------------------------------------------------------------------------------- nominals
def _modifiers(tok: Any) -> set[str]:
    """Lemmas and lower forms of a noun's adjectival and prepositional modifiers."""
    mods: set[str] = set()
    for child in tok.children:
        if child.dep_ in ("amod", "nmod", "acl") or child.pos_ == "ADJ":
            mods.update({child.lemma_.lower(), child.lower_})
    return mods


def _adjective_extent(doc: Any, tok: Any, sent_end: int, first: int | None = None) -> int:
    """End (exclusive) of the noun plus the adjectives directly after it ("engin explosif improvisé")."""
    first = tok.i if first is None else first
    end = tok.i + 1
    while end < sent_end and doc[end].pos_ == "ADJ" and doc[end].head.i in range(first, end):
        end += 1
    return end


def _nominal_type(doc: Any, tok: Any) -> tuple[str, int] | None:
    """(type, end token) for a noun that heads a nominal mention, else None.

    The sentence (``tok.sent``, a search for its bounds) is looked up only for a noun of the lexicons:
    most nouns are not."""
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if lemma == "force" or lower in ("forces", "force"):
        sent_end = tok.sent.end
        folded_tail = lx.fold(doc[tok.i : min(tok.i + 6, sent_end)].text)
        for phrase in lx.FORCE_PHRASES:
            end = _phrase_end(doc, tok.i, phrase, sent_end) if folded_tail.startswith(phrase) else None
            if end is not None:
                return "STATE_FORCE", _adjective_extent(doc, doc[end - 1], sent_end, first=tok.i)
        return None
    if (
        lower == "état"
        and tok.i + 2 < len(doc)
        and doc[tok.i + 1].text == "-"
        and doc[tok.i + 2].lower_ == "major"
    ):
        # the parser often cuts a sentence inside "état-major": the compound is matched on tokens
        return "STATE_FORCE", _adjective_extent(doc, doc[tok.i + 2], len(doc), first=tok.i)
    if lemma in lx.ARMED_PEOPLE_HEADS:
        sent_end = tok.sent.end
        nxt = doc[tok.i + 1] if tok.i + 1 < sent_end else None
        if nxt is not None and nxt.lemma_.lower() in lx.ARMED_PEOPLE_ADJS | {"armée"}:
            return "ARMED_GROUP", _adjective_extent(doc, tok, sent_end)
        return None
    etype = lx.NOMINAL_HEADS.get(lemma) or lx.NOMINAL_HEADS.get(lower)
    if etype is None:
        return None
    key = lemma if lemma in lx.NOMINAL_HEADS else lower
    quals = lx.QUALIFIED_WEAPONS.get(key) or lx.QUALIFIED_FACILITIES.get(key)
    if quals is not None and not (_modifiers(tok) & quals):
        return None
    return etype, _adjective_extent(doc, tok, tok.sent.end)


def _phrase_end(doc: Any, start: int, phrase: str, sent_end: int) -> int | None:
    """The token end of a fixed phrase that starts at ``start`` (matched on folded text), if whole tokens."""
    for end in range(start + 1, sent_end + 1):
        folded = lx.fold(doc[start:end].text)
        if folded == phrase:
            return end
        if len(folded) > len(phrase):
            return None
    return None


def nominal_entities(doc: Any) -> list[EntityGuess]:
    out = []
    for tok in doc:
        if tok.pos_ not in ("NOUN", "PROPN") or (tok.pos_ == "PROPN" and tok.text[:1].isupper()):
            continue
        found = _nominal_type(doc, tok)
        if found is None:
            continue
        etype, end = found
        span = doc[tok.i : end]
        out.append(EntityGuess(span.start_char, span.end_char, etype, "NOM", None, SCORE_NOMINAL))
    return out


# ----------------------------------------------------------------------------------------- merge
def _overlaps(a: EntityGuess, b: EntityGuess) -> bool:
    return a.start < b.end and b.start < a.end


def merge(
    gazetteer: list[EntityGuess], ner: list[EntityGuess], nominal: list[EntityGuess]
) -> list[EntityGuess]:
    """Gazetteer wins over NER on overlap; nominals only where no name is; no exact duplicates."""
    kept = list(gazetteer)
    kept += [e for e in ner if not any(_overlaps(e, g) for g in gazetteer)]
    names = list(kept)
    free = [e for e in nominal if not any(_overlaps(e, n) for n in names)]
    for e in sorted(free, key=lambda e: (-(e.end - e.start), e.start)):
        if not any(_overlaps(e, k) for k in kept if k.mention == "NOM"):
            kept.append(e)
    unique: dict[tuple[int, int, str], EntityGuess] = {}
    for e in sorted(kept, key=lambda e: (e.start, -e.end, e.type, -e.score)):
        unique.setdefault((e.start, e.end, e.type), e)
    return sorted(unique.values(), key=lambda e: (e.start, -e.end, e.type))


def extract_entities(doc: Any, nlp: Any) -> tuple[list[EntityGuess], str | None]:
    """Every entity guess of a parsed document, and the country hint used to resolve aliases."""
    spans = ner_spans(doc)  # once: ``doc.ents`` builds every span again on each access
    hint = document_country_hint(doc, spans)
    gaz = build_gazetteer(nlp)
    return merge(
        gazetteer_entities(doc, gaz, hint),
        ner_entities(doc, gaz.registry, hint, spans),
        nominal_entities(doc),
    ), hint
