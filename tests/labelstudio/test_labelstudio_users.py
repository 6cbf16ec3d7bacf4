"""One identity per annotator: ``ls import --users`` signs sets with the e-mails ``ls pull`` uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secnews.cli.main import main
from secnews.core.findings import SecnewsError
from secnews.labelstudio.importer import import_export
from secnews.labelstudio.users import load_users
from secnews.model.document import read_document

FIXTURES = Path(__file__).parents[1] / "fixtures" / "labelstudio"


def _export(tmp: Path) -> tuple[Path, set[int]]:
    tasks = [
        t
        for t in json.loads((FIXTURES / "export-full.json").read_text("utf-8"))
        if "\r" not in t["data"]["text"]
    ]
    path = tmp / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path, {a["completed_by"] for t in tasks for a in t["annotations"]}


def test_users_file_signs_sets_with_e_mails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export, ids = _export(tmp_path)
    users = tmp_path / "users.csv"
    users.write_text(
        "id,email\n" + "".join(f"{i},person{i}@example.org\n" for i in sorted(ids)), encoding="utf-8"
    )
    assert main(["ls", "import", str(export), "--into", str(tmp_path / "c"), "--users", str(users)]) == 0
    assert "LS_ANNOTATOR_UNRESOLVED" not in capsys.readouterr().err
    annotators = {
        a["annotator"]
        for p in (tmp_path / "c").glob("*.json")
        for a in read_document(p)["annotations"]
        if a["kind"] == "human" and a["id"].startswith("ls-")  # made in Label Studio
    }
    assert annotators == {f"person{i}@example.org" for i in ids}


def test_without_a_users_file_one_warning_says_how_to_resolve_ids(tmp_path: Path) -> None:
    export, ids = _export(tmp_path)
    report = import_export(export, tmp_path / "c")
    warnings = [f for f in report.findings if f.code == "LS_ANNOTATOR_UNRESOLVED"]
    assert (
        len(warnings) == 1 and "--users" in warnings[0].message and warnings[0].context["count"] >= len(ids)
    )


def test_users_file_in_json_and_a_malformed_one(tmp_path: Path) -> None:
    good = tmp_path / "users.json"
    good.write_text('{"2": "awa@example.org"}', encoding="utf-8")
    assert load_users(good) == {2: "awa@example.org"}
    bad = tmp_path / "bad.csv"
    bad.write_text("user,mail\n2,x@y\n", encoding="utf-8")
    with pytest.raises(SecnewsError) as err:
        load_users(bad)
    assert err.value.findings[0].code == "LS_BAD_USERS_FILE"
