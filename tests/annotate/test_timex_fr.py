"""French time expressions: normalisation cases from a data file, detection on real articles, invariants."""

from __future__ import annotations

import copy
import itertools
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secnews.annotate.timex_fr import TimexMatch, find_timexes, normalize
from secnews.core.findings import SecnewsError
from secnews.model import timex3 as tx

DATA = Path(__file__).parents[1] / "data" / "timex_fr_cases.yaml"
SHARED = Path("/work/shared")
SEED = SHARED / "seeds" / "000_7302031bc759a944.txt"
WINER = SHARED / "sources" / "winer-fr"


def _cases() -> list[tuple[str, ...]]:
    """(expr, dct, tense, type, value, mod, span) with "-" for no mod and "=" for the whole expression."""
    rows = []
    for case in yaml.safe_load(DATA.read_text(encoding="utf-8")):
        rows.append(
            (case["expr"], case["dct"], case["tense"], case["type"], case["value"], case["mod"] or "-",
             case["span"] or "=")
        )  # fmt: skip
    return rows


CASES = _cases()
TIMEX3_MODS = {
    "APPROX", "START", "MID", "END", "BEFORE", "AFTER", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS",
    "EQUAL_OR_MORE", "ON_OR_BEFORE", "ON_OR_AFTER",
}  # fmt: skip


def _well_formed(m: TimexMatch, text: str) -> None:
    assert text[m.start : m.end] == m.text
    assert m.type in ("DATE", "TIME", "DURATION", "SET")
    if m.value is not None:
        assert tx.value_is_well_formed(m.value), m
        assert tx.value_matches_type(m.type, m.value), m
    assert m.anchor in (None, "DCT")
    assert m.mod is None or m.mod in TIMEX3_MODS


def test_data_file_is_big_enough_and_well_formed() -> None:
    assert len(CASES) >= 60
    assert len({c[0] for c in CASES}) >= 60  # distinct expressions, not one expression with many DCTs
    for expr, dct, tense, type_, value, mod, _span in CASES:
        assert tense in ("past", "future"), expr
        assert tx.value_is_well_formed(value) and tx.value_matches_type(type_, value), (expr, value)
        assert mod == "-" or mod in TIMEX3_MODS
        date.fromisoformat(dct)


@pytest.mark.parametrize(
    ("expr", "dct", "tense", "type_", "value", "mod", "span"), CASES, ids=[c[0] for c in CASES]
)
def test_normalize_case(expr: str, dct: str, tense: str, type_: str, value: str, mod: str, span: str) -> None:
    m = normalize(expr, dct, past=tense == "past")
    assert m is not None, expr
    assert (m.type, m.value, m.mod or "-") == (type_, value, mod)
    assert m.text == (expr if span == "=" else span)
    _well_formed(m, expr)


def test_normalize_accepts_date_and_datetime_dct() -> None:
    as_date = normalize("jeudi dernier", date(2024, 12, 28))
    as_dt = normalize("jeudi dernier", datetime(2024, 12, 28, 9, 0))
    as_str = normalize("jeudi dernier", "2024-12-28T09:00:00+01:00")
    assert as_date is not None and as_dt is not None and as_str is not None
    assert as_date.value == as_dt.value == as_str.value == "2024-12-26"


def test_hours_ago_uses_the_dct_time_when_it_has_one() -> None:
    m = normalize("il y a trois heures", "2024-12-28T10:15:00+00:00")
    assert m is not None and (m.type, m.value) == ("TIME", "2024-12-28T07:15")


def test_bad_dct_is_a_coded_error() -> None:
    with pytest.raises(SecnewsError) as err:
        normalize("hier", "28/12/2024")
    assert err.value.findings[0].code == "TIMEX_BAD_DCT"
    with pytest.raises(SecnewsError):
        find_timexes("hier", "not a date")


def test_no_time_expression_gives_none() -> None:
    for expr in ("", "Bamako", "des hommes armés", "plus de 2000 morts", "le 31 février"):
        assert normalize(expr, "2024-12-28") is None, expr


# --- detection on real articles ----------------------------------------------------------------


def _by_text(matches: list[TimexMatch]) -> dict[str, list[TimexMatch]]:
    out: dict[str, list[TimexMatch]] = {}
    for m in matches:
        out.setdefault(m.text, []).append(m)
    return out


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not available")
def test_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = _by_text(find_timexes(text, "2024-12-28"))
    assert [(m.type, m.value) for m in found["ce samedi 28 décembre"]] == [("DATE", "2024-12-28")]
    assert [(m.type, m.value, m.anchor) for m in found["jeudi dernier"]] == [("DATE", "2024-12-26", "DCT")]
    assert [(m.type, m.value) for m in found["plusieurs années"]] == [("DURATION", "PXY")] * 2


@pytest.mark.skipif(not WINER.exists(), reason="WiNER source material not available")
def test_winer_dateline_merges_date_and_time() -> None:
    text = (WINER / "2016" / "01" / "2016_01_01-001.txt").read_text(encoding="utf-8")
    matches = find_timexes(text, "2016-01-01")
    first = matches[0]
    assert (first.text, first.type, first.value) == ("1er janvier 2016, 14h30", "TIME", "2016-01-01T14:30")
    assert text.index("1er janvier 2016") == first.start


@pytest.mark.skipif(not WINER.exists(), reason="WiNER source material not available")
def test_winer_corpus_invariants_and_recall() -> None:
    """Every WiNER article: spans sorted, disjoint, exact; values well-formed; most WiNER dates found."""
    gold, hit = 0, 0
    for path in sorted(WINER.glob("*/*/*.txt")):
        y, mo, d = re.search(r"(\d{4})_(\d\d)_(\d\d)", path.name).groups()  # type: ignore[union-attr]
        text = path.read_text(encoding="utf-8")
        matches = find_timexes(text, f"{y}-{mo}-{d}")
        for a, b in itertools.pairwise(matches):
            assert a.end <= b.start
        for m in matches:
            _well_formed(m, text)
        for line in path.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or not parts[1].startswith(("Date ", "Hour ")) or ";" in parts[1]:
                continue
            start, end = map(int, parts[1].split()[1:3])
            gold += 1
            hit += any(m.start < end and start < m.end for m in matches)
    assert gold > 500
    assert hit / gold >= 0.9, f"recall of WiNER Date/Hour spans {hit}/{gold}"


# --- context in running text -------------------------------------------------------------------


def test_time_takes_the_day_of_its_sentence() -> None:
    text = (
        "Jeudi dernier, des hommes armés ont attaqué le poste vers 19 h 30. Vers 21 h, le calme est revenu."
    )
    found = _by_text(find_timexes(text, "2024-12-28"))
    assert found["vers 19 h 30"][0].value == "2024-12-26T19:30"
    assert found["vers 19 h 30"][0].mod == "APPROX"
    assert found["Vers 21 h"][0].value == "2024-12-28T21:00"  # another sentence: the DCT


def test_lendemain_anchors_on_the_previous_date() -> None:
    text = "L'attaque a eu lieu le 12 décembre. Le lendemain, l'armée a riposté. Trois jours plus tard, rien."
    found = _by_text(find_timexes(text, "2024-12-28"))
    lendemain = found["Le lendemain"][0]
    assert (lendemain.value, lendemain.anchor) == ("2024-12-13", None)
    assert found["Trois jours plus tard"][0].value == "2024-12-16"


def test_future_sentence_resolves_forward() -> None:
    text = "Le président se rendra à Niamey lundi. Il a rencontré le ministre lundi."
    values = [m.value for m in find_timexes(text, "2024-12-28")]
    assert values == ["2024-12-30", "2024-12-23"]


def test_offsets_are_code_points_with_astral_characters() -> None:
    text = "𝐀𝐁 😀 Le 3 mars 2016, à 14h30 ; 𝒳 depuis plusieurs années."
    matches = find_timexes(text, "2016-03-05")
    assert [m.text for m in matches] == ["Le 3 mars 2016, à 14h30", "plusieurs années"]
    for m in matches:
        _well_formed(m, text)


def test_weekdays_follow_the_schema() -> None:
    """SCHEMA-v1 s.5: bare weekday or "<jour> dernier" in the past = strictly before the DCT; "ce" may be the DCT."""
    text = "Samedi, l'armée a annoncé la mort du chef. Ce samedi, un communiqué a suivi. Jeudi dernier, rien."
    found = _by_text(find_timexes(text, "2024-12-28"))
    assert found["Samedi"][0].value == "2024-12-21"
    assert found["Ce samedi"][0].value == "2024-12-28"
    assert found["Jeudi dernier"][0].value == "2024-12-26"
    for m in find_timexes(text, "2024-12-28"):
        day = tx.value_day(m.value or "")
        assert day is not None and tx.weekdays_in_span(m.text) == {day.isoweekday()}
        expected = tx.expected_relative_day(m.text, date(2024, 12, 28))
        assert expected is None or expected == day


def test_ranges_give_both_days() -> None:
    text = "Les combats ont duré du 3 au 5 janvier 2016 près de Gao. Les 28 et 29 décembre, des frappes ont eu lieu."
    got = [(m.text, m.value) for m in find_timexes(text, "2016-01-10")]
    assert got == [
        ("3", "2016-01-03"), ("5 janvier 2016", "2016-01-05"), ("28", "2015-12-28"), ("29 décembre", "2015-12-29"),
    ]  # fmt: skip


def test_night_spans_include_dans_and_hours_after_midnight_go_to_the_next_day() -> None:
    text = (
        "Dans la nuit de mardi à mercredi, des hommes armés ont attaqué le poste vers 2 h. "
        "Dans la nuit du 24 au 25 décembre, vers 23 h 15, un convoi a sauté sur une mine."
    )
    got = [(m.text, m.type, m.value, m.mod) for m in find_timexes(text, "2024-12-28")]
    assert got == [
        ("Dans la nuit de mardi à mercredi", "TIME", "2024-12-24TNI", None),
        ("vers 2 h", "TIME", "2024-12-25T02:00", "APPROX"),
        ("Dans la nuit du 24 au 25 décembre, vers 23 h 15", "TIME", "2024-12-24T23:15", "APPROX"),
    ]


def test_winer_sentences() -> None:
    """Detokenised WiNER sentences (2016): the dateline, weekday + date without year, durations, ages."""
    cases = [
        ("Au moins 28 personnes ont été tuées vendredi 25 mars dans un attentat.", "2016-03-27",
         [("vendredi 25 mars", "DATE", "2016-03-25")]),
        ("Le conflit avait commencé en avril 2014, quelques mois après le mouvement.", "2016-01-10",
         [("avril 2014", "DATE", "2014-04"), ("quelques mois", "DURATION", "PXM")]),
        ("Ces essais sont pratiqués depuis mai 2015, date à laquelle Pyongyang a annoncé un essai.", "2016-01-10",
         [("mai 2015", "DATE", "2015-05")]),
        ("Il aurait 29 ans ; la lettre a été transmise lundi dernier à l'AFP.", "2016-01-13",
         [("29 ans", "DURATION", "P29Y"), ("lundi dernier", "DATE", "2016-01-11")]),
        ("L'explosion s'est produite vers 8 h 11 GMT, samedi 4 juin.", "2016-06-05",
         [("vers 8 h 11 GMT, samedi 4 juin", "TIME", "2016-06-04T08:11")]),
    ]  # fmt: skip
    for text, dct, expected in cases:
        assert [(m.text, m.type, m.value) for m in find_timexes(text, dct)] == expected, text


def test_counts_are_not_years() -> None:
    text = "Plus de 2000 morts et 1500 blessés en 2015, selon un bilan publié de 2016."
    assert [m.text for m in find_timexes(text, "2016-05-01")] == ["2015", "2016"]


# --- invariants (hypothesis) ---------------------------------------------------------------------

_french = st.text(
    alphabet=st.sampled_from(list("abcdehijlmnorstuvéèàù’' -,./:0123456789hHJL😀𝒳")), max_size=60
) | st.sampled_from([c[0] for c in CASES])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=80), _french), dct=st.dates(), past=st.booleans())
def test_normalize_never_raises_and_returns_well_formed(text: str, dct: date, past: bool) -> None:
    m = normalize(text, dct, past=past)
    if m is not None:
        _well_formed(m, text)


@settings(max_examples=150, deadline=None)
@given(
    dct=st.dates(),
    parts=st.lists(st.one_of(st.text(max_size=20), st.sampled_from([c[0] for c in CASES])), max_size=8),
)
def test_find_timexes_spans_are_exact_sorted_disjoint(dct: date, parts: list[str]) -> None:
    text = " ".join(parts)
    matches = find_timexes(text, dct)
    for a, b in itertools.pairwise(matches):
        assert a.end <= b.start
    for m in matches:
        _well_formed(m, text)


# --- agreement with the validator and the synthetic corpus ---------------------------------------


def test_synthetic_timexes_are_recovered() -> None:
    synth = pytest.importorskip("secnews.model.synth")
    checked = 0
    for seed in range(20):
        doc = synth.generate_document(seed)
        gold = next(a for a in doc["annotations"] if a["status"] == "gold")
        found = {(m.start, m.end): m for m in find_timexes(doc["text"], doc["meta"]["published"])}
        for t in gold["timexes"]:
            m = found.get((t["start"], t["end"]))
            assert m is not None, (seed, t["text"])
            assert (m.type, m.value) == (t["type"], t["value"]), (seed, t["text"])
            checked += 1
    assert checked > 20


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not available")
def test_validator_accepts_what_the_normaliser_emits() -> None:
    synth = pytest.importorskip("secnews.model.synth")
    validate = pytest.importorskip("secnews.validate.engine")
    doc = copy.deepcopy(synth.generate_document(0))
    doc["text"] = SEED.read_text(encoding="utf-8")
    doc["meta"]["published"] = "2024-12-28"
    doc["annotations"] = doc["annotations"][:1]
    ann = doc["annotations"][0]
    for layer in ("entities", "events", "attributions", "relations"):
        ann[layer] = []
    ann["timexes"] = [
        {"id": f"T{i}", "start": m.start, "end": m.end, "text": m.text, "type": m.type, "value": m.value,
         "anchor": m.anchor, "mod": m.mod}
        for i, m in enumerate(find_timexes(doc["text"], "2024-12-28"), 1)
    ]  # fmt: skip
    assert len(ann["timexes"]) >= 4
    findings = [f for f in validate.validate_document(doc) if f.severity == "error"]
    assert findings == []
