"""Event mentions: a trigger lexicon on lemmas, a type guessed from context, arguments by dependencies.

The aim is a useful first draft for annotators, not a classifier: a trigger is a word of the lexicon
(``lexicon.TRIGGERS``), its ACLED sub-event type is refined by cheap context cues (a drone nearby
makes a strike an air/drone strike, an armed target makes an attack a battle), and arguments are
added only where the parse says so (subject, object, agent complement) or a place/time is in the same
sentence. Every argument is checked against the taxonomy (role allowed for the type, entity type
accepted by the role) before it is kept, so a prediction never fails validation on a role.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from secnews.annotate.preannotate import lexicon as lx
from secnews.core.taxonomy import TIMEX_REF, Taxonomy

SCORE_EVENT = 0.5
Record = dict[str, Any]

_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
}
_UNACCUSATIVE = frozenset({"mourir", "périr", "décéder", "mort", "décès", "blessé", "blessure"})
_VIOLENT_PROTEST = frozenset(
    {"violent", "violence", "casseur", "heurt", "émeute", "affrontement", "saccager"}
)
_OUTCOMES = frozenset({"DEATH", "INJURY"})


@dataclass
class EventGuess:
    start: int
    end: int
    type: str
    realis: str
    arguments: list[tuple[str, str]] = field(default_factory=list)
    fatalities: dict[str, int | None] | None = None
    score: float = SCORE_EVENT


# ----------------------------------------------------------------------------------------- indexes
class SpanIndex:
    """Which entity or timex record covers a token: arguments are found through the parse's tokens."""

    def __init__(self, entities: list[Record], timexes: list[Record]) -> None:
        self.entities = entities
        self.timexes = timexes

    def entity_at(self, tok: Any) -> Record | None:
        """The longest entity covering the token (the outer one of a nest: "Katiba Serma", not "Serma")."""
        hits = [e for e in self.entities if e["start"] <= tok.idx < e["end"]]
        return max(hits, key=lambda e: (e["end"] - e["start"], -e["start"]), default=None)

    def in_range(self, records: Iterable[Record], start: int, end: int) -> list[Record]:
        return [r for r in records if r["start"] >= start and r["end"] <= end]


# ----------------------------------------------------------------------------------------- triggers
def _trigger_key(tok: Any) -> str | None:
    if tok.pos_ not in lx.TRIGGER_POS:
        return None
    key = lx.TRIGGER_FORMS.get(tok.lower_) or tok.lemma_.lower()
    if key not in lx.TRIGGERS:
        return None
    if key == "accord" and tok.i > 0 and tok.nbor(-1).lower_ in ("d'", "d’"):
        return None  # "être d'accord"
    if key == "marche" and tok.pos_ != "NOUN":
        return None
    return key


def _trigger_end(doc: Any, tok: Any) -> int:
    """Token end of a trigger: "attentat-suicide" is split by the tokenizer into three tokens."""
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and doc[tok.i + 2].lower_ == "suicide":
        return tok.i + 3
    return tok.i + 1


def _context_lemmas(tok: Any) -> set[str]:
    """Words of the trigger's sentence and the one before (a drone named earlier decides "cette frappe")."""
    sent = tok.sent
    window = sent if sent.start == 0 else tok.doc[tok.doc[sent.start - 1].sent.start : sent.end]
    return {t.lemma_.lower() for t in window} | {t.lower_ for t in window}


def _guess_type(key: str, tok: Any, target_types: set[str], end_text: str) -> str:
    base = lx.TRIGGERS[key]
    ctx = _context_lemmas(tok)
    if "suicide" in end_text:
        return "SUICIDE_BOMB"
    if key in ("frappe", "frapper", "bombardement", "bombarder", "raid", "pilonnage", "pilonner"):
        if ctx & lx.AIR_WORDS:
            return "AIR_DRONE_STRIKE"
        return (
            "SHELLING_ARTILLERY_MISSILE_ATTACK"
            if key != "frapper" or ctx & {"obus", "roquette", "missile"}
            else "ATTACK"
        )
    if key in ("attentat", "explosion", "exploser"):
        if ctx & lx.SUICIDE_WORDS:
            return "SUICIDE_BOMB"
        if ctx & lx.GRENADE_WORDS:
            return "GRENADE"
        if ctx & lx.IED_WORDS or key != "attentat":
            return "REMOTE_EXPLOSIVE_LANDMINE_IED"
        return "ATTACK"
    if base == "ATTACK" and key in ("attaque", "attaquer", "assaut"):
        if ctx & lx.GRENADE_WORDS:
            return "GRENADE"
        if target_types & lx.ARMED_TYPES:
            return "ARMED_CLASH"
    if base == "PEACEFUL_PROTEST" and ctx & _VIOLENT_PROTEST:
        return "VIOLENT_DEMONSTRATION"
    return base


# ----------------------------------------------------------------------------------------- realis
def _governor(tok: Any) -> Any:
    """The verb a noun trigger depends on (its clause), or the trigger itself."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX") or cur.head is cur:
            return cur
        cur = cur.head
    return cur


def _is_negated(tok: Any) -> bool:
    for t in (tok, _governor(tok)):
        if any(c.lower_ in lx.NEGATIONS and c.dep_ in ("advmod", "det") for c in t.children):
            return True
    return False


def _is_irrealis_mood(tok: Any) -> bool:
    gov = _governor(tok)
    for t in (gov, *(c for c in gov.children if c.dep_.startswith("aux"))):
        mood, tense = t.morph.get("Mood"), t.morph.get("Tense")
        if "Cnd" in mood or "Fut" in tense:
            return True
    return False


def guess_realis(tok: Any) -> str:
    ancestors = {a.lemma_.lower() for a in tok.ancestors} | {a.lower_ for a in tok.ancestors}
    possessive = any(c.dep_ == "det" and c.lower_ in ("ses", "leurs") for c in tok.children)
    if ancestors & lx.GENERIC_FRAMES or possessive:
        return "GENERIC"
    if _is_negated(tok) or _is_irrealis_mood(tok) or ancestors & lx.IRREALIS_FRAMES:
        return "OTHER"
    return "ACTUAL"


# ----------------------------------------------------------------------------------------- arguments
def _is_passive(tok: Any) -> bool:
    return "Pass" in tok.morph.get("Voice") or any(c.dep_ in ("aux:pass", "nsubj:pass") for c in tok.children)


def _case_of(tok: Any) -> str | None:
    return next((c.lower_ for c in tok.children if c.dep_ == "case"), None)


def _core_arguments(tok: Any, key: str, index: SpanIndex) -> list[tuple[str, Record]]:
    """(role, entity) from subject, object, agent complement, and a participle's noun."""
    out: list[tuple[str, Record]] = []
    passive = tok.pos_ == "VERB" and _is_passive(tok)
    for child in tok.children:
        ent = index.entity_at(child)
        if ent is None:
            continue
        dep, case = child.dep_, _case_of(child)
        if dep == "nsubj:pass" or (dep == "nsubj" and (passive or key in _UNACCUSATIVE)):
            out.append(("TARGET", ent))
        elif dep == "nsubj":
            out.append(("AGENT", ent))
        elif dep == "obj":
            out.append(("TARGET", ent))
        elif dep == "obl:agent" or case == "par":
            out.append(("INSTRUMENT" if ent["type"] in ("WEAPON", "VEHICLE") else "AGENT", ent))
        elif case in ("contre",) or (
            case in ("de", "du", "des", "d'", "d’")
            and tok.pos_ == "NOUN"
            and lx.TRIGGERS[key] in _OUTCOMES | {"ABDUCTION_FORCED_DISAPPEARANCE", "ARRESTS"}
        ):
            out.append(("TARGET", ent))
    if tok.dep_ in ("acl", "amod") and tok.pos_ in ("VERB", "ADJ"):
        ent = index.entity_at(tok.head)
        if ent is not None:
            out.append(("TARGET", ent))  # "trois soldats tués"
    return out


def _nearest(tok: Any, records: list[Record], used: set[str], sent: Any = None) -> Record | None:
    sent = tok.sent if sent is None else sent
    cands = [
        r
        for r in records
        if r["id"] not in used and sent.start_char <= r["start"] and r["end"] <= sent.end_char
    ]
    return min(
        cands,
        key=lambda r: (min(abs(r["start"] - tok.idx), abs(r["end"] - tok.idx)), r["start"]),
        default=None,
    )


def _context_arguments(
    tok: Any, index: SpanIndex, used: set[str], starts: list[int] | None = None
) -> list[tuple[str, Record]]:
    """PLACE, TIME and INSTRUMENT: the nearest fitting record of the same sentence (``starts``: every
    token's ``idx``, ascending, to find a record's first token by bisection)."""
    out: list[tuple[str, Record]] = []
    sent = tok.sent  # a search for the sentence's bounds: once per trigger
    places = [e for e in index.entities if e["type"] in ("GPE", "LOC", "FAC")]
    place = _nearest(tok, places, used, sent)
    if place is not None:
        out.append(("PLACE", place))
    times = [t for t in index.timexes if t["type"] in ("DATE", "TIME")]
    when = _nearest(tok, times, used, sent)
    if when is not None:
        out.append(("TIME", when))
    starts = [t.idx for t in tok.doc] if starts is None else starts
    subtree: set[int] | None = None
    for e in index.entities:
        if e["type"] in ("WEAPON", "VEHICLE") and e["id"] not in used:
            # the first token of the sentence at or after the record's start
            first = bisect_left(starts, e["start"], sent.start, sent.end)
            if first == sent.end or starts[first] >= e["end"]:
                continue
            subtree = {t.i for t in tok.subtree} if subtree is None else subtree
            if first in subtree:
                out.append(("INSTRUMENT", e))
    return out


def _allowed(tax: Taxonomy, etype: str, role: str, rec: Record, is_timex: bool) -> bool:
    if role not in tax.allowed_roles(etype):
        return False
    accepts = tax.role_accepts(role)
    return (TIMEX_REF in accepts) if is_timex else (rec["type"] in accepts)


def _fatalities(tok: Any, targets: list[Any]) -> dict[str, int | None] | None:
    """A death toll read from a number on the trigger or its target noun ("trois soldats tués")."""
    for t in (tok, *targets):
        for c in t.children:
            if c.dep_ == "nummod":
                word = c.lower_
                n = int(word) if re.fullmatch(r"\d{1,5}", word) else _NUMBER_WORDS.get(word)
                if n is not None:
                    return {"min": n, "max": n}
    return None


# ----------------------------------------------------------------------------------------- API
def extract_events(
    doc: Any, entities: list[Record], timexes: list[Record], tax: Taxonomy
) -> list[EventGuess]:
    """Every trigger of the lexicon outside a named entity, typed, with checked arguments."""
    index = SpanIndex(entities, timexes)
    timex_ids = {t["id"] for t in timexes}
    names = [e for e in entities if e["mention"] == "NAM"]
    out: list[EventGuess] = []
    taken: set[int] = set()
    starts = [t.idx for t in doc]
    for tok in doc:
        key = _trigger_key(tok)
        if key is None or tok.i in taken or any(n["start"] <= tok.idx < n["end"] for n in names):
            continue
        end = _trigger_end(doc, tok)
        taken.update(range(tok.i, end))
        core = _core_arguments(tok, key, index)
        target_types = {e["type"] for role, e in core if role == "TARGET"}
        span = doc[tok.i : end]
        etype = _guess_type(key, tok, target_types, span.text.lower())
        used = {e["id"] for _, e in core}
        args: list[tuple[str, str]] = []
        for role, rec in core + _context_arguments(tok, index, used, starts):
            is_timex = rec["id"] in timex_ids
            # one role per record: the first (dependency) reading wins over the positional one
            if _allowed(tax, etype, role, rec, is_timex) and not any(r == rec["id"] for _, r in args):
                args.append((role, rec["id"]))
        fat = None
        if etype == "DEATH":
            target_toks = [c for c in tok.children if c.dep_ in ("nsubj:pass", "nsubj", "obj")]
            if tok.dep_ in ("acl", "amod"):
                target_toks.append(tok.head)
            fat = _fatalities(tok, target_toks)
        out.append(EventGuess(span.start_char, span.end_char, etype, guess_realis(tok), args, fat))
    return out
