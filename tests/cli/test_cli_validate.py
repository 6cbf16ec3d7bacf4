"""`secnews validate` as users and CI call it: formats and exit statuses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "secnews.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_valid_text_format_exit_0() -> None:
    r = run("validate", str(FIXTURES / "valid"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().splitlines()[-1].startswith("valid: 1 files, 0 errors")


def test_invalid_exit_1_and_text_names_everything() -> None:
    r = run("validate", str(FIXTURES / "invalid" / "ROLE_ENTITY_TYPE.json"))
    assert r.returncode == 1
    assert "[ROLE_ENTITY_TYPE]" in r.stdout and "gold > V2" in r.stdout and "arguments[3]" in r.stdout


def test_json_report_object() -> None:
    r = run(
        "validate",
        "--format",
        "json",
        str(FIXTURES / "invalid" / "DANGLING_REF.json"),
        str(FIXTURES / "valid"),
    )
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["valid"] is False
    assert report["stats"]["files"] == 2
    codes = {f["code"] for f in report["findings"]}
    assert "DANGLING_REF" in codes
    f = next(f for f in report["findings"] if f["code"] == "DANGLING_REF")
    assert {"file", "doc_id", "annotation_set", "annotation_id", "path", "message", "severity"} <= set(f)


def test_github_format_points_at_the_line() -> None:
    path = FIXTURES / "invalid" / "DANGLING_REF.json"
    r = run("validate", "--format", "github", str(path))
    assert r.returncode == 1
    line = next(x for x in r.stdout.splitlines() if "title=DANGLING_REF" in x)
    assert f"file={path}" in line and "title=DANGLING_REF" in line
    lineno = int(line.split("line=")[1].split(",")[0])
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[lineno - 1].strip() == '"ref": "E99",'  # the offending key, not its record


def test_github_lines_point_at_the_offending_key() -> None:
    for code, expected in (
        ("UNKNOWN_LABEL", '"type": "PERSON"'),
        ("BAD_DATE", '"published": "28/12/2024",'),
        ("SPAN_TEXT_MISMATCH", '"id": "E2",'),  # a whole record: its id
    ):
        path = FIXTURES / "invalid" / f"{code}.json"
        out = run("validate", "--format", "github", str(path)).stdout
        line = next(x for x in out.splitlines() if f"title={code}" in x)
        lineno = int(line.split("line=")[1].split(",")[0])
        assert path.read_text(encoding="utf-8").splitlines()[lineno - 1].strip() == expected, code


def test_warnings_do_not_fail_unless_strict() -> None:
    path = str(FIXTURES / "invalid" / "DUPLICATE_SPAN.json")
    assert run("validate", path).returncode == 1  # file-name mismatch is an error here
    tmp_ok = run("validate", "--strict", str(FIXTURES / "valid"))
    assert tmp_ok.returncode == 0


def test_warning_only_document_exits_0(tmp_path: Path) -> None:
    doc = json.loads((FIXTURES / "invalid" / "DUPLICATE_SPAN.json").read_text(encoding="utf-8"))
    (tmp_path / "fixture-base.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = run("validate", str(tmp_path))
    assert r.returncode == 0 and "[DUPLICATE_SPAN]" in r.stdout
    assert run("validate", "--strict", str(tmp_path)).returncode == 1


def test_malformed_json_is_a_finding_not_a_traceback() -> None:
    r = run("validate", str(FIXTURES / "invalid" / "MALFORMED_JSON.json"))
    assert r.returncode == 1
    assert "[MALFORMED_JSON]" in r.stdout and "Traceback" not in r.stderr


def test_missing_path_is_usage_error_exit_2(tmp_path: Path) -> None:
    r = run("validate", str(tmp_path / "nope"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_json_report_even_for_unreadable_inputs(tmp_path: Path) -> None:
    r = run("validate", "--format", "json", str(tmp_path / "nope"), str(FIXTURES / "valid"))
    assert r.returncode == 2
    report = json.loads(r.stdout)
    assert report["valid"] is False and report["stats"]["files"] == 2
    assert [f["code"] for f in report["findings"]] == ["UNREADABLE_FILE"]


def test_no_documents_is_exit_2_unless_allow_empty(tmp_path: Path) -> None:
    r = run("validate", "--format", "json", str(tmp_path))
    assert r.returncode == 2 and json.loads(r.stdout)["findings"][0]["code"] == "NO_DOCUMENTS"
    r = run("validate", "--allow-empty", str(tmp_path))
    assert r.returncode == 0 and "0 files" in r.stdout


def test_bad_encoding_exit_2(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "invalid" / "BAD_ENCODING.json", tmp_path / "x.json")
    r = run("validate", str(tmp_path))
    assert r.returncode == 2 and "[BAD_ENCODING]" in r.stdout


def test_list_rules_prints_the_catalogue() -> None:
    r = run("validate", "--list-rules", "--format", "json")
    rules = json.loads(r.stdout)
    codes = {x["code"] for x in rules}
    assert {"SPAN_TEXT_MISMATCH", "TIMEX_WEEKDAY_MISMATCH", "MULTIPLE_GOLD"} <= codes
    assert all(x["description"] and x["template"] for x in rules)
