"""Every RELEASE_* message, rendered from a real failing release: no ``{placeholder}`` is left unfilled.

``make_finding`` takes ``path`` and ``file`` as the finding's location, so a template naming them
would print them literally; these tests catch such a template whatever rule it belongs to.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from secnews.core.findings import Finding, SecnewsError, all_rules, make_finding
from secnews.model.document import read_document, save_document
from secnews.model.synth import generate_document
from secnews.release.build import build_release
from secnews.release.datasheet import update_datasheet
from secnews.release.publish import hf_token
from secnews.release.record import frozen_from_records, merge_records_into_manifest, read_record
from secnews.release.splits import Entry, Manifest
from secnews.release.verify import SUMS_FILE, verify_release

PLACEHOLDER = re.compile(r"\{[a-z_]+(![rsa])?\}")


def _build(base: Path, version: str) -> object:
    return build_release(
        version,
        base / "docs",
        base / "releases" / version,
        records_dir=base / "records",
        manifest_path=base / "splits.tsv",
        date="2026-11-27",
    )


def _raised(call: object, *args: object, **kw: object) -> list[Finding]:
    with pytest.raises(SecnewsError) as exc:
        call(*args, **kw)  # type: ignore[operator]
    return exc.value.findings


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("messages")
    for i in range(12):
        save_document(generate_document(i, sentences=2, sets=1), base / "docs")
    _build(base, "0.1.0")
    return base


def _verify_findings(released: Path, tmp_path: Path) -> list[Finding]:
    """A copy of the release with a changed shard, a deleted file, a stray file and an edited SHA256SUMS."""
    folder = tmp_path / "0.1.0"
    shutil.copytree(released / "releases/0.1.0", folder)
    shard = sorted((folder / "documents").glob("train-*.parquet"))[0]
    shard.write_bytes(shard.read_bytes() + b"x")
    (folder / "CHANGELOG.md").unlink()
    (folder / "notes.txt").write_text("stray")
    sums = (folder / SUMS_FILE).read_text().splitlines()
    sums[0] = "0" * 64 + sums[0][64:]  # ATTRIBUTIONS.md comes first: its line no longer matches its bytes
    (folder / SUMS_FILE).write_text("\n".join(sums) + "\n")
    record = read_record(released / "records/0.1.0.json")
    return verify_release(folder, record) + verify_release(folder, records_dir=tmp_path / "nowhere")


def _build_findings(released: Path, tmp_path: Path) -> list[Finding]:
    found = _raised(_build, released, "1.0")
    found += _raised(_build, released, "0.0.9")  # below a recorded version
    changed = tmp_path / "changed"
    shutil.copytree(released, changed)
    doc = read_document(changed / "docs/synth-00000003.json")
    doc["annotations"][0]["labels"]["relevant"] = not doc["annotations"][0]["labels"]["relevant"]
    save_document(doc, changed / "docs")
    found += _raised(_build, changed, "0.1.0")
    empty = tmp_path / "empty"
    nogold = generate_document(0, sentences=2, sets=1)
    nogold["annotations"][0]["status"] = "submitted"
    save_document(nogold, empty / "docs")
    found += _raised(_build, empty, "0.1.0")
    return found


def _split_moved(released: Path) -> list[Finding]:
    record = read_record(released / "records/0.1.0.json")
    doc_id, split = next((d, s) for s, ids in record.splits.items() for d in ids)
    other = next(s for s in record.splits if s != split)
    manifest = Manifest(entries={doc_id: Entry(other, "0.1.0")})
    return _raised(merge_records_into_manifest, manifest, frozen_from_records([record]))


def _other_findings(released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    sheet = tmp_path / "DATASHEET.md"
    sheet.write_text("no markers\n")
    record = read_record(released / "records/0.1.0.json")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    found = update_datasheet(sheet, record) + _raised(hf_token)
    # mlcroissant rejects nothing a real build writes: rendered with the arguments croissant.py passes
    found.append(make_finding("RELEASE_CROISSANT_INVALID", detail="missing name"))
    # a real load failure is provoked in test_release_loads.py (it costs a datasets load)
    found.append(
        make_finding("RELEASE_LOAD_FAILED", reader="datasets", what="config ner", detail="ArrowInvalid: x")
    )
    # a killed build process is provoked in test_release.py: rendered with the arguments build.py passes
    found.append(make_finding("RELEASE_BUILD_FAILED", process="the build host", detail="exited with code 9"))
    return found


def test_every_release_message_is_filled(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = (
        _verify_findings(released, tmp_path)
        + _build_findings(released, tmp_path)
        + _split_moved(released)
        + _other_findings(released, tmp_path, monkeypatch)
    )
    release_codes = {r.code for r in all_rules() if r.code.startswith("RELEASE_")}
    assert {f.code for f in findings} == release_codes
    for f in findings:
        assert not PLACEHOLDER.search(f.message), f"{f.code}: {f.message}"


def test_file_messages_name_the_file(released: Path, tmp_path: Path) -> None:
    by_code: dict[str, list[str]] = {}
    for f in _verify_findings(released, tmp_path):
        by_code.setdefault(f.code, []).append(f.message)
    assert by_code["RELEASE_MISSING_FILE"] == [
        "CHANGELOG.md is recorded in the release but missing from the folder"
    ]
    assert by_code["RELEASE_EXTRA_FILE"] == ["notes.txt is in the folder but not in the release record"]
    mismatches = by_code["RELEASE_CHECKSUM_MISMATCH"]
    assert any(m.startswith("documents/train-00000-of-00001.parquet: sha256 ") for m in mismatches)
    assert any(m.startswith("ATTRIBUTIONS.md: sha256 ") and "the SHA256SUMS" in m for m in mismatches)
    sheet = tmp_path / "DATASHEET.md"
    sheet.write_text("no markers\n")
    [warning] = update_datasheet(sheet, read_record(released / "records/0.1.0.json"))
    assert warning.message.startswith(f"{sheet} has no '<!-- BEGIN GENERATED: statistics -->'")
