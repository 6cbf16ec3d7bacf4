"""Release notes: the maintainers' account of a version is recorded with it, shown in the CHANGELOG and
the card, kept by a rebuild, and absent from records that have none (their bytes do not change)."""

from __future__ import annotations

from pathlib import Path

from tests.release.test_release import build, make_corpus

from secnews.release.record import ReleaseRecord, dumps_record, read_record
from secnews.release.verify import folder_checksums

NOTES = "Every conflict of the test split decided **by hand**; guide 1.2 (section 12)."


def test_notes_reach_the_record_the_changelog_and_the_card(tmp_path: Path) -> None:
    make_corpus(tmp_path / "docs", 12)
    build(tmp_path, "0.1.0")
    build(tmp_path, "0.1.1", notes=NOTES)
    record = read_record(tmp_path / "records/0.1.1.json")
    assert record.notes == NOTES
    folder = tmp_path / "releases/0.1.1"
    changelog = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    section = changelog.split("## 0.1.1", 1)[1].split("## 0.1.0", 1)[0]
    assert NOTES in section
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "### What changed in 0.1.1" in card and NOTES in card
    assert "notes" not in read_record(tmp_path / "records/0.1.0.json").to_dict()


def test_a_rebuild_keeps_the_recorded_notes(tmp_path: Path) -> None:
    make_corpus(tmp_path / "docs", 12)
    build(tmp_path, "0.1.0", notes=NOTES)
    before = folder_checksums(tmp_path / "releases/0.1.0")
    build(tmp_path, "0.1.0")  # no notes given: the recorded ones, the same bytes
    assert folder_checksums(tmp_path / "releases/0.1.0") == before
    assert read_record(tmp_path / "records/0.1.0.json").notes == NOTES


def test_a_record_without_notes_serialises_as_before() -> None:
    record = ReleaseRecord("1.0.0", "2026-01-01", "1.1.0", None, {}, {}, {}, {}, {}, [], {})
    assert '"notes"' not in dumps_record(record)
    assert ReleaseRecord.from_dict(record.to_dict()) == record
