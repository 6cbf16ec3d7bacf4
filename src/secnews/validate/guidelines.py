"""Guideline conformance of gold sets: the span-quality rules of Guidelines 1.1 (schema/GUIDELINES.md).

The structural checks hold every set to the schema; these hold the *gold* set to the annotation
guideline, because the gold 1.0 audit found what the schema cannot see: spans that cut a word
("opération" inside "coopération"), determiners in triggers, verbs in time expressions, attributions
without content or source, DEATH events without their victim, the same string typed two ways. Other
sets (an annotator's pass, WiNER's annotations, a model's predictions) are records of work, not the
standard, so they are not held to it. Lexicons are small and closed: the validator stays fast and never
loads a parser. Where the guideline is strict the rule is an error; where it depends on reading
("when the text gives one") it is a warning, to be fixed or justified in the document's notes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from secnews.core.findings import Rule, register
from secnews.validate.check import Context, SetScope, check
from secnews.validate.spans import span_ok

register(
    Rule(
        "SPAN_CUTS_WORD",
        "Span cuts a word",
        "error",
        "{layer} span {value!r} [{start}, {end}) starts or ends inside a word ({context!r})",
        "Spans cover whole words (Guidelines 11): a span inside a longer word is a misplaced quote.",
        "guideline",
    ),
    Rule(
        "TRIGGER_DETERMINER",
        "Trigger starts with a determiner",
        "error",
        "trigger {value!r} starts with the determiner {word!r}",
        "Triggers are the head word (Guidelines 8): never a determiner, article, possessive or demonstrative.",
        "guideline",
    ),
    Rule(
        "ENTITY_DETERMINER",
        "Entity starts with a determiner",
        "error",
        "entity {value!r} starts with the determiner {word!r}",
        "Entity spans start after the determiner (Guidelines 11: 'les FAMa' -> 'FAMa'); an article that is "
        "part of a name is capitalised inside a sentence ('le journal Le Parisien').",
        "guideline",
    ),
    Rule(
        "TIMEX_FINITE_VERB",
        "Time expression contains a verb",
        "error",
        "timex {value!r} contains the finite verb {word!r}",
        "A time expression never contains a finite verb (Guidelines 11); 'il y a trois jours' is the one "
        "construction with a verb inside a date.",
        "guideline",
    ),
    Rule(
        "TIMEX_SIGNAL",
        "Time expression starts with a signal",
        "error",
        "timex {value!r} starts with the signal {word!r}",
        "Signals ('depuis', 'avant', 'après', 'jusqu'à', 'pendant', 'dès', 'à partir de') stay outside the time "
        "expression and give it no mod (Guidelines 1.1, ruling 2): 'depuis 2012' -> '2012' DATE.",
        "guideline",
    ),
    Rule(
        "ATTRIBUTION_NO_CONTENT",
        "Attribution without content",
        "error",
        "attribution {value!r} has no content span",
        "Content is required (Guidelines 10): the reported clause, without cue and quote marks.",
        "guideline",
    ),
    Rule(
        "ATTRIBUTION_NO_SOURCE",
        "Attribution without source",
        "warning",
        "attribution {value!r} has no source, but {candidate!r} is next to its cue {cue!r}",
        "Source is required whenever the text names or describes who speaks (Guidelines 10).",
        "guideline",
    ),
    Rule(
        "EVENT_MISSING_TARGET",
        "Event without target",
        "warning",
        "{event_type} event {value!r} (trigger {trigger!r}) has no TARGET, but {candidate!r} stands next to it",
        "Deaths, injuries, attacks, abductions and arrests take their victim as TARGET when the text gives "
        "one (Guidelines 9); justify an exception in the document's notes.",
        "guideline",
    ),
    Rule(
        "INCONSISTENT_TYPING",
        "Same string, different types",
        "warning",
        "{value!r} is typed {types} in the same document",
        "The same string gets the same type within a document unless the context differs (Guidelines 12); "
        "write why in the document's notes.",
        "guideline",
    ),
)

#: determiners, articles, possessives, demonstratives (lower case; "l'" and "d'" end with the apostrophe)
DETERMINERS = frozenset(
    {
        *("le", "la", "les", "l'", "un", "une", "des", "du", "au", "aux", "ce", "cet", "cette", "ces"),
        *("son", "sa", "ses", "leur", "leurs", "mon", "ma", "mes", "ton", "ta", "tes", "notre", "nos"),
        *("votre", "vos"),
    }
)
#: finite forms of the auxiliaries and modals (a closed list: the verbs a misplaced timex boundary swallows)
FINITE_VERBS = frozenset(
    {
        *("est", "sont", "était", "étaient", "fut", "furent", "sera", "seront", "serait", "seraient", "soit"),
        *("a", "ont", "avait", "avaient", "eut", "eurent", "aura", "auront", "aurait", "auraient", "ait"),
        *("peut", "peuvent", "pourrait", "pourraient", "doit", "doivent", "devrait", "devraient"),
        *("va", "vont", "allait", "allaient", "s'est", "s'était"),
    }
)
#: event types whose victim the guideline requires as TARGET when the text gives it
TARGET_TYPES = frozenset(
    {"DEATH", "INJURY", "ATTACK", "ABDUCTION_FORCED_DISAPPEARANCE", "ARRESTS", "SEXUAL_VIOLENCE"}
)
#: cues whose source follows them ("selon la police")
_PASSIVE_AUX = frozenset({"est", "sont", "était", "étaient", "sera", "seront", "serait"})
_PREPOSED_CUES = frozenset({"selon", "d'après", "d’après", "pour"})
_SPEAKER_TYPES = frozenset(
    {"PER", "STATE_FORCE", "ARMED_GROUP", "MILITIA", "MULTINATIONAL_FORCE", "ORG", "PROTESTER", "RIOTER"}
)
#: who can be a victim (TARGET) of a death, injury, attack, abduction or arrest
_VICTIM_TYPES = frozenset(
    {"PER", "STATE_FORCE", "ARMED_GROUP", "MILITIA", "MULTINATIONAL_FORCE", "PROTESTER", "RIOTER"}
)
#: types the guideline assigns by what the mention does in its sentence (ruling 6: demonstrators who
#: burn or loot are RIOTER, the same word elsewhere PROTESTER): compared as one class
_TYPE_CLASS = {"PROTESTER": "PROTESTER|RIOTER", "RIOTER": "PROTESTER|RIOTER"}
#: TimeML signals: they relate a time expression to an event and are never inside it (ruling 2)
_SIGNAL_RE = re.compile(r"^(depuis|avant|après|jusqu['’]\w*|pendant|dès|à partir d\w*)\b", re.I)
_WORD_RE = re.compile(r"\w+['’]?|['’]", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?»\n]")


def _words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD_RE.findall(text)]


def cuts_word(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` begins or ends between two letters or digits of one word."""
    if 0 < start < len(text) and text[start].isalnum() and text[start - 1].isalnum():
        return True
    return 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum()


def leading_determiner(span: str) -> str | None:
    """The determiner a span starts with (``l'`` of "l'armée", ``les`` of "les FAMa"), else None.

    Runs on every entity and trigger of every gold set, so it looks at the first word only (no regex)."""
    head = span[:2].casefold()
    if head in ("l'", "l’"):
        return "l'" if len(span) > 2 else None
    first, _, rest = span.partition(" ")
    word = first.casefold()
    if not rest or word not in DETERMINERS:
        return None
    nxt = rest.split(" ", 1)[0].casefold()
    if word in ("un", "une") and (nxt in ("des", "de") or nxt.startswith(("d'", "d’"))):
        return None  # "un des policiers": a pronoun heading the mention, not an article
    return word


def finite_verb(span: str) -> str | None:
    """The first finite auxiliary or modal of a timex span, "il y a" / "il y avait" excepted."""
    words = _words(span)
    for i, w in enumerate(words):
        if w in FINITE_VERBS and not (i > 0 and words[i - 1] == "y" and w in ("a", "avait")):
            return w
    return None


def _sentence_start(text: str, start: int) -> bool:
    """Whether only spaces and punctuation separate ``start`` from the previous sentence end."""
    before = text[max(0, start - 200) : start].rstrip(" \t\"«“'(–—-")
    return not before or bool(_SENTENCE_END.match(before[-1]))


def _is_gold(scope: SetScope) -> bool:
    return scope.ann.get("status") == "gold"


def _gold_spans(ann: dict[str, Any]) -> Iterator[tuple[str, tuple[Any, ...], str, dict[str, Any]]]:
    """(layer, JSON path, record id, span) of every span of a set; only called to report a finding."""
    yield from (("entity", ("entities", i), e["id"], e) for i, e in enumerate(ann["entities"]))
    yield from (("timex", ("timexes", i), t["id"], t) for i, t in enumerate(ann["timexes"]))
    yield from (
        ("trigger", ("events", i, "trigger"), e["id"], e["trigger"]) for i, e in enumerate(ann["events"])
    )
    for i, a in enumerate(ann["attributions"]):
        yield ("cue", ("attributions", i, "cue"), a["id"], a["cue"])
        yield from (
            ("content", ("attributions", i, "content", j), a["id"], c) for j, c in enumerate(a["content"])
        )


def _cut_spans(text: str, ann: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The well-formed spans of a set that cut a word (a broken span is reported as such elsewhere).

    The validator's most frequent loop (every span of every gold set): plain iteration, no tuples."""
    n = len(text)
    spans: list[Any] = [*ann["entities"], *ann["timexes"]]
    spans += [e["trigger"] for e in ann["events"]]
    for a in ann["attributions"]:
        spans.append(a["cue"])
        spans += a["content"]
    for rec in spans:
        start, end = rec["start"], rec["end"]
        if (
            (0 < start < n and text[start].isalnum() and text[start - 1].isalnum())
            or (0 < end < n and text[end - 1].isalnum() and text[end].isalnum())
        ) and span_ok(rec, text):
            yield rec


@check("SPAN_CUTS_WORD")
def word_boundaries(ctx: Context, scope: SetScope) -> None:
    """Every span of the gold set (entities, triggers, timexes, cues, contents) on word boundaries."""
    if not _is_gold(scope):
        return
    text, ann = scope.text, scope.ann
    cut = [id(rec) for rec in _cut_spans(text, ann)]
    if not cut:
        return
    for layer, path, rec_id, rec in _gold_spans(ann):
        if id(rec) not in cut:
            continue
        start, end = rec["start"], rec["end"]
        ctx.add(
            "SPAN_CUTS_WORD",
            path,
            rec_id,
            layer=layer,
            value=rec["text"],
            start=start,
            end=end,
            context=text[max(0, start - 10) : end + 10],
        )


@check("TRIGGER_DETERMINER", "ENTITY_DETERMINER", "TIMEX_FINITE_VERB", "TIMEX_SIGNAL")
def span_words(ctx: Context, scope: SetScope) -> None:
    """No determiner at the start of a trigger or an entity, no finite verb or signal in a timex."""
    if not _is_gold(scope):
        return
    text, ann = scope.text, scope.ann
    for i, ev in enumerate(ann["events"]):
        word = leading_determiner(ev["trigger"]["text"])
        if word:
            ctx.add(
                "TRIGGER_DETERMINER",
                ("events", i, "trigger"),
                ev["id"],
                value=ev["trigger"]["text"],
                word=word,
            )
    for i, ent in enumerate(ann["entities"]):
        word = leading_determiner(ent["text"])
        if word is None:
            continue
        # "Le Parisien": a capitalised article inside a sentence belongs to the name
        if ent["mention"] == "NAM" and ent["text"][0].isupper() and not _sentence_start(text, ent["start"]):
            continue
        ctx.add("ENTITY_DETERMINER", ("entities", i), ent["id"], value=ent["text"], word=word)
    for i, tmx in enumerate(ann["timexes"]):
        word = finite_verb(tmx["text"])
        if word:
            ctx.add("TIMEX_FINITE_VERB", ("timexes", i), tmx["id"], value=tmx["text"], word=word)
        signal = _SIGNAL_RE.match(tmx["text"])
        if signal:
            ctx.add("TIMEX_SIGNAL", ("timexes", i), tmx["id"], value=tmx["text"], word=signal.group(1))


def _candidate_source(text: str, cue: dict[str, Any], entities: list[dict[str, Any]]) -> str | None:
    """A speaker entity right after a preposed cue ("selon la police") or ending just before the cue
    in the same clause ("Le parquet a indiqué"), else None."""
    words = _words(cue["text"])
    if words and words[0] in _PREPOSED_CUES:
        for ent in entities:
            gap = text[cue["end"] : ent["start"]]
            if 0 <= ent["start"] - cue["end"] <= 12 and not re.search(r"[,.;:!?]", gap):
                return str(ent["text"])
        return None
    if words and words[0] in _PASSIVE_AUX:
        return None  # "X est annoncé mort": the subject of a passive cue is what is said, not who says it
    for ent in entities:
        gap = text[ent["end"] : cue["start"]]
        if 0 <= cue["start"] - ent["end"] <= 3 and not re.search(r"[,.;:!?«»\"]", gap):
            return str(ent["text"])
    return None


@check("ATTRIBUTION_NO_CONTENT", "ATTRIBUTION_NO_SOURCE")
def attribution_parts(ctx: Context, scope: SetScope) -> None:
    """Every gold attribution has content, and a source when a speaker stands next to its cue."""
    if not _is_gold(scope):
        return
    speakers = [e for e in scope.ann["entities"] if e["type"] in _SPEAKER_TYPES]
    for i, att in enumerate(scope.ann["attributions"]):
        if not att["content"] and att["events"]:  # with no events either, ATTRIBUTION_EMPTY says it
            ctx.add("ATTRIBUTION_NO_CONTENT", ("attributions", i), att["id"], value=att["id"])
        if att["source"] is None:
            candidate = _candidate_source(scope.text, att["cue"], speakers)
            if candidate is not None:
                ctx.add(
                    "ATTRIBUTION_NO_SOURCE",
                    ("attributions", i, "source"),
                    att["id"],
                    value=att["id"],
                    candidate=candidate,
                    cue=att["cue"]["text"],
                )


#: how far (characters, no punctuation between) a victim stands from its trigger: "trois civils tués",
#: "attaque contre les FAMa", "les otages ont été enlevés"
_VICTIM_GAP = 30
_CLAUSE_BREAK = re.compile(r"[,.;:!?()«»\"\n–—]")


def _victim_candidate(text: str, ev: dict[str, Any], entities: list[dict[str, Any]]) -> str | None:
    """A person or actor mention in the trigger's clause, next to it, that is none of the event's arguments."""
    ts, te = ev["trigger"]["start"], ev["trigger"]["end"]
    used = {a["ref"] for a in ev["arguments"]}
    for ent in entities:
        if ent["id"] in used:
            continue
        gap = (
            text[ent["end"] : ts]
            if ent["end"] <= ts
            else text[te : ent["start"]]
            if ent["start"] >= te
            else None
        )
        if gap is not None and len(gap) <= _VICTIM_GAP and not _CLAUSE_BREAK.search(gap):
            return str(ent["text"])
    return None


@check("EVENT_MISSING_TARGET", "INCONSISTENT_TYPING")
def event_targets_and_types(ctx: Context, scope: SetScope) -> None:
    """Actual deaths, injuries, attacks, abductions, arrests with a TARGET when a victim stands next to the
    trigger in its clause; one type per string."""
    if not _is_gold(scope):
        return
    actors = [e for e in scope.ann["entities"] if e["type"] in _VICTIM_TYPES]
    for i, ev in enumerate(scope.ann["events"]):
        if ev["type"] not in TARGET_TYPES or ev.get("realis") not in (None, "ACTUAL"):
            continue
        if any(a["role"] == "TARGET" for a in ev["arguments"]):
            continue
        candidate = _victim_candidate(scope.text, ev, actors)
        if candidate is not None:
            ctx.add(
                "EVENT_MISSING_TARGET",
                ("events", i),
                ev["id"],
                event_type=ev["type"],
                value=ev["id"],
                trigger=ev["trigger"]["text"],
                candidate=candidate,
            )
    types: dict[str, dict[str, str]] = defaultdict(dict)  # text -> type -> first id
    first_index: dict[str, int] = {}
    for i, ent in enumerate(scope.ann["entities"]):
        types[ent["text"]].setdefault(_TYPE_CLASS.get(ent["type"], ent["type"]), ent["id"])
        first_index.setdefault(ent["text"], i)
    for span_text, by_type in types.items():
        if len(by_type) > 1:
            shown = ", ".join(f"{t} ({rid})" for t, rid in sorted(by_type.items()))
            i = first_index[span_text]
            ctx.add(
                "INCONSISTENT_TYPING",
                ("entities", i),
                scope.ann["entities"][i]["id"],
                value=span_text,
                types=shown,
            )
