"""BRAT ingest: every WiNER-fr annotation survives, re-mapped exactly; re-runs are safe."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from secnews.core.paths import corpus_dir
from secnews.ingest.brat import (
    find_articles,
    ingest_brat,
    location_type,
    parse_ann,
)
from secnews.ingest.detok import detokenize
from secnews.model.document import dumps_document, read_document, save_document
from secnews.validate.engine import validate_document

WINER = corpus_dir() / "sources" / "winer-fr"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "ingest" / "brat"


@pytest.fixture(scope="module")
def winer_out(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("winer-docs")
    return out, ingest_brat(WINER, out)


def _ann_records(txt: Path):
    records, bad = parse_ann(txt.with_suffix(".ann").read_text(encoding="utf-8"), "x")
    assert bad == []
    return records


def test_every_winer_article_becomes_a_valid_document(winer_out) -> None:
    out, report = winer_out
    articles = list(find_articles(WINER))
    assert len(articles) == 170  # license.txt is not an article
    assert len(report.results) == len(articles)
    assert report.errors == []
    for path in sorted(out.glob("*.json")):
        doc = read_document(path)
        errors = [f for f in validate_document(doc, file=str(path)) if f.severity == "error"]
        assert errors == [], errors[:3]


def test_count_before_equals_count_after_per_file(winer_out) -> None:
    out, report = winer_out
    assert report.counts_before == report.counts_after
    for art in find_articles(WINER):
        before = Counter(r.label for r in _ann_records(art.txt) if r.id.startswith("T"))
        doc = read_document(out / f"wikinews-fr-{art.txt.stem.replace('_', '-')}.json")
        (winer,) = [a for a in doc["annotations"] if a["id"] == "winer-fr"]
        after = Counter(x["source_label"] for x in winer["entities"] + winer["timexes"])
        assert before == after, art.rel
        assert not winer["origin"]["extra"].get("unmapped")


def test_span_texts_equal_after_the_same_detok(winer_out) -> None:
    out, _ = winer_out
    checked = 0
    for art in find_articles(WINER):
        raw = art.txt.read_text(encoding="utf-8")
        omap = detokenize(raw).offsets
        doc = read_document(out / f"wikinews-fr-{art.txt.stem.replace('_', '-')}.json")
        by_id = {x["id"]: x for a in doc["annotations"] for x in a["entities"] + a["timexes"]}
        for rec in _ann_records(art.txt):
            ((start, end),) = rec.spans
            assert raw[start:end] == rec.text
            new = by_id[rec.id]
            assert new["text"] == doc["text"][new["start"] : new["end"]]
            assert new["text"] == omap.apply(rec.text, start)
            checked += 1
    assert checked == 5300


def test_meta_and_winer_set(winer_out) -> None:
    out, _ = winer_out
    doc = read_document(out / "wikinews-fr-2016-01-01-001.json")
    meta = doc["meta"]
    assert meta["published"] == "2016-01-01"
    assert meta["title"] == "France : attaque à Valence (Drôme)"
    assert meta["url"].startswith("https://fr.wikinews.org/wiki/France_:_attaque")
    assert (meta["source"], meta["license"], meta["collection"], meta["source_id"], meta["language"]) == (
        "Wikinews (fr)",
        "CC-BY-2.5",
        "winer-fr",
        "2016_01_01-001",
        "fr",
    )
    assert (
        "CC BY 2.5" in meta["attribution"]
        and "WiNER-fr" in meta["attribution"]
        and meta["url"] in meta["attribution"]
    )
    assert "1er janvier 2016, 14h30. –" in doc["text"]
    (ann,) = doc["annotations"]
    assert (ann["id"], ann["kind"], ann["annotator"], ann["status"]) == (
        "winer-fr",
        "human",
        "winer-fr",
        "submitted",
    )
    assert ann["origin"]["extra"]["file"] == "2016/01/2016_01_01-001.ann"
    timexes = {t["text"]: t for t in ann["timexes"]}
    assert timexes["1er janvier 2016"]["type"] == "DATE" and timexes["14h30"]["type"] == "TIME"
    assert all(t["value"] is None for t in ann["timexes"])


def test_dateline_wins_over_file_name_with_a_warning(winer_out) -> None:
    out, report = winer_out
    doc = read_document(out / "wikinews-fr-2016-03-23-001.json")
    assert doc["meta"]["published"] == "2016-03-22"
    mismatches = [f for f in report.findings if f.code == "DCT_MISMATCH"]
    assert [f.doc_id for f in mismatches] == ["wikinews-fr-2016-03-23-001"]
    assert mismatches[0].severity == "warning"


def test_organizations_get_actor_types(winer_out) -> None:
    out, _ = winer_out
    ents = [e for p in out.glob("*.json") for a in read_document(p)["annotations"] for e in a["entities"]]
    daech = [e for e in ents if e["text"] == "Daech"]
    assert daech and all(e["type"] == "ARMED_GROUP" and e["actor"] == "ei" for e in daech)
    assert all(
        e["type"] == "ORG" and e["actor"] is None
        for e in ents
        if e["source_label"] == "Organization" and e["text"] == "SNCF"
    )
    # "FDS" is ambiguous; resolved by "Forces démocratiques syriennes" in the same article
    fds = [e for e in ents if e["text"] == "FDS"]
    assert fds and {e["actor"] for e in fds} == {"fds-syrie"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Paris", "GPE"),
        ("Burkina Faso", "GPE"),
        ("Sahel", "LOC"),
        ("Proche-Orient", "LOC"),
        ("Euphrate", "LOC"),
        ("désert syrien", "LOC"),
        ("frontière turque", "LOC"),
        ("rue de Rivoli", "FAC"),
        ("gare Saint-Lazare", "FAC"),
        ("A8", "FAC"),
        ("Champs-Élysées", "FAC"),
        ("Niger", "GPE"),
    ],
)
def test_location_rule(name: str, expected: str) -> None:
    assert location_type(name) == expected


def test_fixture_tricky_file(tmp_path: Path) -> None:
    report = ingest_brat(FIXTURE, tmp_path)
    codes = Counter(f.code for f in report.findings)
    assert report.errors == []
    assert codes["BRAT_NOT_IMPORTED"] == 3  # R1, A1, #1 kept verbatim, reported
    assert codes["BRAT_SPAN_TRIMMED"] == 1  # "hôtel Splendid " swallowed the space before ","
    assert codes["BRAT_NO_ANN"] == 1 and codes["DCT_MISMATCH"] == 1  # the .txt without .ann
    assert len(report.results) == 2  # license.txt skipped
    doc = read_document(tmp_path / "wikinews-fr-2016-01-15-001.json")
    (ann,) = doc["annotations"]
    ents = {e["id"]: e for e in ann["entities"]}
    assert ents["T6"]["text"] == "hôtel Splendid"
    assert ents["T7"]["text"] == "l'armée"
    assert ents["T9"]["text"] == "d'AQMI"
    assert (ents["T8"]["type"], ents["T8"]["actor"]) == ("ARMED_GROUP", "aqmi")
    assert ents["T11"]["text"] == "irako-syrienne"
    assert ents["T12"]["actor"] is None  # FDS alone is ambiguous
    assert ents["T13"]["type"] == "MISC"
    assert ann["origin"]["extra"]["unimported"] == [
        "R1\tPart-of Arg1:T2 Arg2:T1",
        "A1\tNegated T13",
        "#1\tAnnotatorNotes T8\tcheck this",
    ]
    assert doc["text"].startswith(
        "Burkina Faso : attaque à Ouagadougou (Kadiogo)\n\n15 janvier 2016, 19h30. –"
    )
    other = read_document(tmp_path / "wikinews-fr-2016-01-16-002.json")
    assert other["annotations"] == [] and other["meta"]["published"] == "2016-01-17"


def test_unmappable_span_is_reported_and_the_document_not_written(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    ann = src / "2016" / "01" / "2016_01_15-001.ann"
    txt = ann.with_suffix(".txt").read_text(encoding="utf-8")
    i = txt.index(" , selon")
    ann.write_text(ann.read_text(encoding="utf-8") + f"T99\tPerson {i} {i + 1}\t \n", encoding="utf-8")
    report = ingest_brat(src, tmp_path / "docs")
    (err,) = report.errors
    assert (err.code, err.annotation_id) == ("BRAT_UNMAPPABLE_SPAN", "T99")
    assert not (tmp_path / "docs" / "wikinews-fr-2016-01-15-001.json").exists()
    assert (tmp_path / "docs" / "wikinews-fr-2016-01-16-002.json").exists()  # the batch went on


def test_rerun_is_idempotent_and_keeps_other_sets(tmp_path: Path) -> None:
    ingest_brat(FIXTURE, tmp_path)
    path = tmp_path / "wikinews-fr-2016-01-15-001.json"
    doc = read_document(path)
    gold = {**doc["annotations"][0], "id": "annotator-a", "annotator": "annotator-a", "status": "draft"}
    doc["annotations"].append(gold)
    doc["annotations"][0]["entities"] = []  # the ingest owns this set: it will be refreshed
    save_document(doc, tmp_path)
    report = ingest_brat(FIXTURE, tmp_path)
    assert {r.doc_id: r.status for r in report.results}["wikinews-fr-2016-01-15-001"] == "updated"
    after = read_document(path)
    assert [a["id"] for a in after["annotations"]] == ["winer-fr", "annotator-a"]
    assert (len(after["annotations"][0]["entities"]), len(after["annotations"][0]["timexes"])) == (11, 2)
    first = path.read_bytes()
    again = ingest_brat(FIXTURE, tmp_path)
    assert {r.status for r in again.results} == {"unchanged"}
    assert path.read_bytes() == first == dumps_document(after).encode()


def test_changed_text_is_refused(tmp_path: Path) -> None:
    ingest_brat(FIXTURE, tmp_path)
    path = tmp_path / "wikinews-fr-2016-01-15-001.json"
    doc = read_document(path)
    doc["text"] = doc["text"].replace("Burkina", "Burkina ", 1)
    doc["annotations"] = []
    save_document(doc, tmp_path)
    before = path.read_bytes()
    report = ingest_brat(FIXTURE, tmp_path)
    assert [f.code for f in report.errors] == ["INGEST_TEXT_CHANGED"]
    assert path.read_bytes() == before
