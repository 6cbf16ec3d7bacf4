"""Property-based fuzzing of the three parsers that read text from outside: ``timex_fr``, the Label
Studio results reader and the BRAT reader. None may raise; each output must be well-formed.

``make test`` runs a bounded number of examples (seconds); ``make fuzz`` sets ``SECNEWS_FUZZ_EXAMPLES``
(100 000 by default there: that many French phrases and random texts for ``timex_fr``, a fifth of it
for each reader) for the long run. Inputs that once failed are kept as ``@example``s and in
``data/fuzz_regressions.yaml`` so they are replayed on every run.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from secnews.annotate.timex_fr import TimexMatch, find_timexes, normalize
from secnews.core.findings import SecnewsError, all_rules
from secnews.ingest.brat import parse_ann, winer_annotation_set
from secnews.ingest.detok import detokenize
from secnews.labelstudio.tasks import task_to_document
from secnews.model import timex3 as tx
from secnews.validate.engine import validate_document

EXAMPLES = int(os.environ.get("SECNEWS_FUZZ_EXAMPLES", "0")) or None
HERE = Path(__file__).parent
REGRESSIONS: dict[str, Any] = yaml.safe_load(
    (HERE / "data" / "fuzz_regressions.yaml").read_text(encoding="utf-8")
)
CODES = {r.code for r in all_rules()}
TIMEX3_MODS = {
    "APPROX", "START", "MID", "END", "BEFORE", "AFTER", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS",
    "EQUAL_OR_MORE", "ON_OR_BEFORE", "ON_OR_AFTER",
}  # fmt: skip


def _settings(default: int, share: int = 1) -> Any:
    """``default`` examples in make test; under make fuzz ``SECNEWS_FUZZ_EXAMPLES // share`` (the readers'
    examples cost 10-50 times a phrase's: a fifth of the count keeps make fuzz to about an hour)."""
    return settings(
        max_examples=max(default, EXAMPLES // share) if EXAMPLES else default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------------------------------------- timex_fr

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
          "septembre", "octobre", "novembre", "décembre", "janv.", "févr.", "sept.", "déc."]  # fmt: skip
NUMBER_WORDS = ["un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
                "douze", "quinze", "vingt", "vingt et un", "trente", "quarante", "cinquante", "cent", "mille",
                "plusieurs", "quelques", "des", "nombreuses", "une dizaine de", "une centaine de"]  # fmt: skip
WORDS = ["il y a", "dans", "depuis", "pendant", "durant", "pour", "en", "le", "la", "les", "l'", "du", "au",
         "entre", "et", "à", "vers", "dès", "jusqu'au", "avant", "après", "dernier", "dernière", "derniers",
         "dernières", "prochain", "prochaine", "passé", "suivant", "ce", "cette", "cet", "matin", "soir",
         "après-midi", "nuit", "soirée", "matinée", "hier", "demain", "avant-hier", "après-demain",
         "aujourd'hui", "lendemain", "veille", "mi-", "début", "fin", "milieu", "courant", "années",
         "siècle", "XXe", "XXIe", "décennie", "semaine", "semaines", "jour", "jours", "mois", "an", "ans",
         "année", "heure", "heures", "h", "minutes", "secondes", "printemps", "été", "hiver", "automne",
         "Noël", "Nouvel An", "Ramadan", "récemment", "actuellement", "autrefois", "chaque", "tous les",
         "1er", "premier", "1re", "Dans les dernières années", "de telles attaques", ",", ".", "–", "(", ")"]  # fmt: skip


def _digits() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, 40).map(str),
        st.integers(1, 12).map(lambda n: f"{n:02d}"),
        st.integers(0, 99999).map(str),
        st.sampled_from(["1990", "2000", "2015", "2024", "0000", "9999", "1515", "90", "0"]),
        st.tuples(st.integers(0, 30), st.integers(0, 70)).map(lambda t: f"{t[0]} h {t[1]:02d}"),
        st.tuples(st.integers(0, 30), st.integers(0, 70)).map(lambda t: f"{t[0]}h{t[1]}"),
        st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(0, 3000)).map(
            lambda t: f"{t[0]}/{t[1]}/{t[2]}"
        ),
        st.tuples(st.integers(0, 3000), st.integers(0, 14), st.integers(0, 40)).map(
            lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
        ),
    )


_token = st.one_of(
    st.sampled_from(WEEKDAYS),
    st.sampled_from(MONTHS),
    st.sampled_from(NUMBER_WORDS),
    st.sampled_from(WORDS),
    _digits(),
)


def _case(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, text.capitalize(), text.upper()])


french_phrases = st.lists(_token, min_size=1, max_size=9).map(" ".join).flatmap(_case)
random_text = st.text(max_size=120)
mixed = st.lists(st.one_of(french_phrases, st.text(max_size=15)), max_size=5).map(" ".join)
dcts = st.one_of(
    st.dates(),
    st.dates(min_value=date(1, 1, 1), max_value=date(1, 1, 20)),
    st.dates(min_value=date(9999, 12, 10), max_value=date(9999, 12, 31)),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))])),
)


def _well_formed(m: TimexMatch, text: str) -> None:
    assert text[m.start : m.end] == m.text, m
    assert m.type in ("DATE", "TIME", "DURATION", "SET"), m
    if m.value is not None:
        assert tx.value_is_well_formed(m.value), m
        assert tx.value_matches_type(m.type, m.value), m
    assert m.anchor in (None, "DCT"), m
    assert m.mod is None or m.mod in TIMEX3_MODS, m


def _timex_run(text: str, dct: date | datetime, past: bool) -> None:
    matches = find_timexes(text, dct)
    for a, b in itertools.pairwise(matches):
        assert a.end <= b.start, (a, b)
    for m in matches:
        _well_formed(m, text)
    single = normalize(text, dct, past=past)
    if single is not None:
        _well_formed(single, text)


@_settings(600)
@given(text=st.one_of(french_phrases, mixed, random_text), dct=dcts, past=st.booleans())
@example(text="Dans les dernières années, de telles attaques", dct=date(2024, 12, 28), past=True)
def test_timex_fr_never_raises_and_emits_valid_timex3(text: str, dct: date | datetime, past: bool) -> None:
    _timex_run(text, dct, past)


def test_timex_fr_regressions() -> None:
    cases = REGRESSIONS["timex_fr"]
    assert cases
    for case in cases:
        dct = date.fromisoformat(case["dct"])
        _timex_run(case["text"], dct, case.get("past", True))


# ---------------------------------------------------------------------------------------------- Label Studio

_EXPORT = json.loads(
    (HERE.parent / "fixtures" / "labelstudio" / "export-full.json").read_text(encoding="utf-8")
)
_TASK = next(t for t in _EXPORT if "\r" not in t["data"]["text"] and t.get("annotations"))
_CONTROLS = ["entity", "mention", "actor", "event", "realis", "fatalities", "timex", "timex_value", "attribution",
             "claim", "certainty", "quote", "source_type", "relevant", "countries", "nope", ""]  # fmt: skip
_TYPES = ["labels", "choices", "textarea", "relation", "number", "rating", "", "hypertextlabels"]
_LABELS = ["GPE", "PER", "ARMED_GROUP", "STATE_FORCE", "ATTACK", "DATE", "NAM", "NOM", "ACTUAL", "x", ""]

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=12)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
_offset = st.one_of(st.integers(-5, 400), st.integers(-(2**40), 2**40), json_value)


@st.composite
def ls_items(draw: st.DrawFn, regions: list[str]) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(json_value)
    kind = draw(st.sampled_from(_TYPES))
    if kind == "relation":
        return {
            "type": "relation",
            "from_id": draw(st.sampled_from([*regions, "missing"]) | json_leaf),
            "to_id": draw(st.sampled_from([*regions, "missing"]) | json_leaf),
            "labels": draw(st.lists(st.sampled_from(["CAUSES", "SOURCE", "x"]), max_size=2) | json_value),
            "direction": draw(st.sampled_from(["right", "left", "bi", "?"])),
        }
    text = _TASK["data"]["text"]
    start = draw(_offset)
    end = draw(_offset)
    value: dict[str, Any] = {"start": start, "end": end}
    if (
        draw(st.booleans())
        and isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start <= end <= len(text)
    ):
        value["text"] = text[start:end]
    else:
        value["text"] = draw(json_value)
    key = {"labels": "labels", "choices": "choices", "textarea": "text", "number": "number"}.get(
        kind, "labels"
    )
    value[key] = draw(st.lists(st.sampled_from(_LABELS) | st.text(max_size=5), max_size=3) | json_value)
    item: dict[str, Any] = {
        "id": draw(st.sampled_from(regions) | st.text(max_size=10)),
        "from_name": draw(st.sampled_from(_CONTROLS)),
        "to_name": "text",
        "type": kind,
        "value": value,
    }
    for k in draw(st.lists(st.sampled_from(list(item)), max_size=2)):
        item[k] = draw(json_value)
    return item


@st.composite
def ls_tasks(draw: st.DrawFn) -> Any:
    task = copy.deepcopy(_TASK)
    ann = task["annotations"][0]
    regions = sorted({r["id"] for r in ann["result"] if isinstance(r, dict) and "id" in r})
    items = draw(st.lists(ls_items(regions), max_size=8))
    keep = draw(st.integers(0, len(ann["result"])))
    ann["result"] = ann["result"][:keep] + items
    if draw(st.integers(0, 5)) == 0:
        ann["result"] = draw(json_value)
    if draw(st.integers(0, 7)) == 0:
        task["data"][draw(st.sampled_from(["text", "published", "doc_id", "title"]))] = draw(json_value)
    return task


def _task_with(result: Any) -> Any:
    task = copy.deepcopy(_TASK)
    task["annotations"][0]["result"] = result
    return task


@_settings(100, share=5)
@given(task=ls_tasks())
@example(task=_task_with(REGRESSIONS["label_studio"][0]["result"]))
def test_label_studio_reader_never_raises(task: Any) -> None:
    converted = task_to_document(task, 0)
    assert all(f.code in CODES for f in converted.findings)
    if converted.doc is not None and not any(f.severity == "error" for f in converted.findings):
        for ann in converted.doc["annotations"]:
            for ent in ann["entities"]:
                assert converted.doc["text"][ent["start"] : ent["end"]] == ent["text"]
        validate_document(converted.doc)  # runs to the end: findings, not exceptions


def test_label_studio_regressions() -> None:
    for case in REGRESSIONS["label_studio"]:
        converted = task_to_document(_task_with(case["result"]), 0)
        assert {f.code for f in converted.findings} & set(case["codes"]), converted.findings


# ---------------------------------------------------------------------------------------------- BRAT

_BRAT_LABELS = ["Location", "Person", "Organization", "Date", "Hour", "Product", "Event", "Other", "<x>"]
_BRAT_TEXT = st.one_of(
    st.sampled_from(["Burkina Faso : attaque à Ouagadougou ( Kadiogo )\n\n15 janvier 2016 , 19h30 . – Des hommes "
                     "armés ont attaqué l' hôtel Splendid , selon l' armée .", "M. Hollande \u200fparle ."]),
    st.text(alphabet=st.sampled_from(list("ab cdé'’«»()-.,\n\u200f\u00a0😀")), max_size=120),
)  # fmt: skip


@st.composite
def brat_files(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(_BRAT_TEXT)
    lines = []
    for i in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from("TTTTRAE#N*X"))
        if kind == "T":
            a = draw(st.integers(-3, len(text) + 3))
            b = draw(st.integers(-3, len(text) + 3))
            frag = f"{a} {b}" if draw(st.integers(0, 4)) else f"{a} {b};{b} {b + 2}"
            quote = text[max(a, 0) : max(b, 0)] if draw(st.booleans()) else draw(st.text(max_size=8))
            lines.append(f"T{i}\t{draw(st.sampled_from(_BRAT_LABELS))} {frag}\t{quote}")
        elif kind == "R":
            lines.append(f"R{i}\tPart-of Arg1:T{draw(st.integers(0, 9))} Arg2:T{draw(st.integers(0, 9))}")
        elif kind == "A":
            lines.append(f"A{i}\tNegated T{draw(st.integers(0, 9))}")
        elif kind == "E":
            lines.append(f"E{i}\tAttack:T{draw(st.integers(0, 9))} Agent:T{draw(st.integers(0, 9))}")
        elif kind == "#":
            lines.append(f"#{i}\tAnnotatorNotes T{draw(st.integers(0, 9))}\t{draw(st.text(max_size=8))}")
        else:
            lines.append(draw(st.text(max_size=30)))
    return text, "\n".join(lines)


@_settings(150, share=5)
@given(files=brat_files())
@example(files=("ab", "T1\tLocation 0 2\tab\nR1\tPart-of Arg1:T1 Arg2:T404"))
def test_brat_reader_never_raises_and_spans_are_exact(files: tuple[str, str]) -> None:
    text, ann = files
    records, bad = parse_ann(ann, "x.ann")
    assert all(f.code == "BRAT_BAD_LINE" for f in bad)
    det = detokenize(text)
    try:
        ann_set, findings = winer_annotation_set(
            records, text, det.offsets, det.text, file="x.ann", rel_ann="x.ann", doc_id="x"
        )
    except SecnewsError as exc:  # a coded refusal is an answer, not a crash
        assert all(f.code in CODES for f in exc.findings)
        return
    assert all(f.code in CODES for f in findings)
    for record in ann_set["entities"] + ann_set["timexes"]:
        assert det.text[record["start"] : record["end"]] == record["text"]
