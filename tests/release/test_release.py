"""Release build: exclusions, reproducible bytes, frozen splits across versions, verify, load_dataset."""

from __future__ import annotations

import copy
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from secnews.core.findings import SecnewsError, make_finding
from secnews.model.document import read_document, save_document
from secnews.model.synth import generate_document
from secnews.release.build import build_release
from secnews.release.record import read_record
from secnews.release.verify import folder_checksums, verify_release

DATE = "2026-11-27"


def make_corpus(directory: Path, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        save_document(generate_document(i, sentences=2, sets=1), directory)


def special_documents(directory: Path) -> None:
    """One document of unknown licence, one without a gold set, one invalid."""
    unknown = generate_document(900, sentences=2, sets=1)
    unknown["id"], unknown["meta"]["license"] = "zz-unknown-licence", "unknown"
    nogold = generate_document(901, sentences=2, sets=1)
    nogold["id"] = "zz-no-gold"
    nogold["annotations"][0]["status"] = "submitted"
    invalid = generate_document(902, sentences=2, sets=1)
    invalid["id"] = "zz-invalid"
    invalid["annotations"][0]["entities"][0]["text"] += "x"
    for doc in (unknown, nogold, invalid):
        save_document(doc, directory)


def build(base: Path, version: str, out: str | None = None, **kw):
    return build_release(
        version,
        base / "docs",
        base / (out or f"releases/{version}"),
        records_dir=base / "records",
        manifest_path=base / "splits.tsv",
        date=kw.pop("date", DATE),
        **kw,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("release")
    make_corpus(base / "docs", 30)
    special_documents(base / "docs")
    build(base, "0.1.0")
    return base


def test_only_gold_valid_licensed_documents_are_released(built: Path) -> None:
    record = read_record(built / "records/0.1.0.json")
    released = {i for ids in record.splits.values() for i in ids}
    assert len(released) == 30
    reasons = {e["id"]: e["reasons"] for e in record.excluded}
    assert reasons["zz-unknown-licence"] == ["licence unknown (cannot be redistributed until cleared)"]
    assert reasons["zz-no-gold"] == ["no gold set"]
    assert reasons["zz-invalid"][0].startswith("invalid (")
    assert record.counts["documents"] == {s: len(record.splits[s]) for s in ("train", "validation", "test")}
    readme = (built / "releases/0.1.0/README.md").read_text()
    assert "zz-unknown-licence" in readme  # the card says what was left out for its licence
    manifest = (built / "splits.tsv").read_text()
    assert "\t0.1.0\t" in manifest and "zz-no-gold" not in manifest


def test_two_builds_give_identical_bytes(built: Path, tmp_path: Path) -> None:
    other = tmp_path / "again"
    shutil.copytree(built / "docs", other / "docs")
    build(other, "0.1.0")
    first, second = built / "releases/0.1.0", other / "releases/0.1.0"
    assert folder_checksums(first) == folder_checksums(second)
    assert (first / "SHA256SUMS").read_bytes() == (second / "SHA256SUMS").read_bytes()
    assert (built / "records/0.1.0.json").read_bytes() == (other / "records/0.1.0.json").read_bytes()


def test_rebuild_is_idempotent_and_changed_content_needs_force(tmp_path: Path) -> None:
    make_corpus(tmp_path / "docs", 12)
    build(tmp_path, "0.1.0")
    before = folder_checksums(tmp_path / "releases/0.1.0")
    build(tmp_path, "0.1.0", date=None)  # the record's date is reused
    assert folder_checksums(tmp_path / "releases/0.1.0") == before
    path = tmp_path / "docs/synth-00000003.json"
    doc = read_document(path)
    doc["annotations"][0]["labels"]["relevant"] = not doc["annotations"][0]["labels"]["relevant"]
    save_document(doc, tmp_path / "docs")
    with pytest.raises(SecnewsError) as exc:
        build(tmp_path, "0.1.0")
    assert exc.value.findings[0].code == "RELEASE_VERSION_EXISTS"
    assert folder_checksums(tmp_path / "releases/0.1.0") == before  # untouched
    build(tmp_path, "0.1.0", force=True)
    assert folder_checksums(tmp_path / "releases/0.1.0") != before


def test_released_documents_keep_their_split_in_the_next_version(tmp_path: Path) -> None:
    make_corpus(tmp_path / "docs", 20)
    v1 = build(tmp_path, "0.1.0")
    make_corpus(tmp_path / "docs", 20, start=20)
    with pytest.raises(SecnewsError) as exc:  # new documents need a minor version
        build(tmp_path, "0.1.1")
    assert exc.value.findings[0].code == "RELEASE_BAD_VERSION"
    v2 = build(tmp_path, "0.2.0", date="2026-12-01")
    old, new = v1.split_of(), v2.split_of()
    assert all(new[d] == s for d, s in old.items())
    assert len(new) == 40 and v2.previous == "0.1.0"
    changelog = (tmp_path / "releases/0.2.0/CHANGELOG.md").read_text()
    assert "## 0.2.0 (2026-12-01)" in changelog and "## 0.1.0" in changelog and "- Added: 20" in changelog
    with pytest.raises(SecnewsError):  # an older version cannot be built after a newer one
        build(tmp_path, "0.1.5")


def test_verify_catches_a_flipped_byte_and_stray_files(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "0.1.0"
    shutil.copytree(built / "releases/0.1.0", folder)
    record = built / "records/0.1.0.json"
    assert verify_release(folder, record) == []
    shard = sorted((folder / "documents").glob("train-*.parquet"))[0]
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0x01
    shard.write_bytes(bytes(data))
    (folder / "notes.txt").write_text("stray")
    codes = sorted(f.code for f in verify_release(folder, record))
    assert codes == ["RELEASE_CHECKSUM_MISMATCH", "RELEASE_EXTRA_FILE"]
    # the folder's card names its version: the record is found in records_dir
    assert [f.code for f in verify_release(built / "releases/0.1.0", records_dir=built / "records")] == []


def test_load_dataset_every_config_and_split(built: Path, tmp_path: Path) -> None:
    import datasets

    record = read_record(built / "records/0.1.0.json")
    for config, splits in record.counts.items():
        ds = datasets.load_dataset(str(built / "releases/0.1.0"), config, cache_dir=str(tmp_path / "cache"))
        assert {s: ds[s].num_rows for s in ds} == splits
    docs = datasets.load_dataset(
        str(built / "releases/0.1.0"), "documents", cache_dir=str(tmp_path / "cache")
    )
    assert docs["train"]["id"] == sorted(record.splits["train"])  # rows sorted by id


def test_card_yaml(built: Path) -> None:
    from secnews.release.card import front_matter

    card = front_matter(built / "releases/0.1.0/README.md")
    assert card["language"] == ["fr"]
    assert card["license"] == "cc0-1.0"
    assert card["size_categories"] == ["n<1K"]
    assert card["secnews_release"] == "0.1.0"
    assert {c["config_name"] for c in card["configs"]} == {"documents", "annotations", "ner", "events"}


def test_datasheet_blocks_are_replaced_and_the_rest_kept(built: Path, tmp_path: Path) -> None:
    from secnews.release.datasheet import update_datasheet

    record = read_record(built / "records/0.1.0.json")
    sheet = tmp_path / "DATASHEET.md"
    hand = "# Datasheet\n\nHand-written.\n\n<!-- BEGIN GENERATED: statistics -->\nSTALE-BLOCK\n<!-- END GENERATED: statistics -->\n\nTail.\n"
    sheet.write_text(hand)
    assert update_datasheet(sheet, record) == []
    text = sheet.read_text()
    assert text.startswith("# Datasheet\n\nHand-written.\n") and text.endswith(
        "<!-- END GENERATED: statistics -->\n\nTail.\n"
    )
    assert "STALE-BLOCK" not in text and "| documents | " in text and "Entities per type" in text
    again = copy.copy(text)
    update_datasheet(sheet, record)
    assert sheet.read_text() == again
    no_markers = tmp_path / "plain.md"
    no_markers.write_text("nothing\n")
    assert [f.code for f in update_datasheet(no_markers, record)] == ["RELEASE_DATASHEET_MARKERS"]
    assert no_markers.read_text() == "nothing\n"


def test_cli_verify(built: Path) -> None:
    from secnews.cli.main import main

    folder = str(built / "releases/0.1.0")
    assert main(["release", "--verify", folder, "--records", str(built / "records")]) == 0
    assert main(["release", "--verify", folder, "--records", str(built / "nowhere")]) == 2


def test_chunked_parallel_build_is_sharded_loadable_and_independent_of_jobs(
    tmp_path: Path, monkeypatch
) -> None:
    import datasets

    import secnews.release.build as rel

    monkeypatch.setattr(rel, "CHUNK_DOCS", 7)
    make_corpus(tmp_path / "docs", 20)
    one = build(tmp_path, "0.1.0", out="one", jobs=1)
    shutil.rmtree(tmp_path / "records")
    build(tmp_path, "0.1.0", out="two", jobs=2)
    assert folder_checksums(tmp_path / "one") == folder_checksums(tmp_path / "two")
    assert len(list((tmp_path / "one/documents").glob("train-*.parquet"))) == 3
    ds = datasets.load_dataset(str(tmp_path / "one"), "documents", cache_dir=str(tmp_path / "cache"))
    assert {s: ds[s].num_rows for s in ds} == one.counts["documents"]
    assert ds["train"]["id"] == sorted(one.splits["train"])


def test_a_new_major_version_starts_a_release_line(tmp_path) -> None:
    """0.1.0's splits do not bind 1.0.0: the manifest of line 1 re-deals every document, and the
    changelog and the card say so; 0.1.0's folder still verifies against its record."""
    from secnews.release.splits import read_manifest, write_manifest

    make_corpus(tmp_path / "docs", 20)
    build(tmp_path, "0.1.0")
    manifest = read_manifest(tmp_path / "splits.tsv")
    manifest.params.ratios = (0.5, 0.0, 0.5)
    write_manifest(manifest, tmp_path / "splits.tsv")
    record = build(tmp_path, "1.0.0")
    assert len(record.splits["test"]) == 10 and record.previous == "0.1.0"
    changelog = (tmp_path / "releases/1.0.0/CHANGELOG.md").read_text()
    assert "New release line 1.x" in changelog
    card = (tmp_path / "releases/1.0.0/README.md").read_text()
    assert "New release line 1.x" in card
    assert "Test split: 10 documents, 0 of them annotated twice" in card  # synthetic documents: one set each
    assert verify_release(tmp_path / "releases/0.1.0", records_dir=tmp_path / "records") == []


def test_scan_in_worker_processes_equals_the_scan_in_process(tmp_path: Path, monkeypatch) -> None:
    """Forked scan workers read their files and verdicts from what they inherit; the scans they
    send back are those of the in-process scan, in the same order."""
    import secnews.release.scan as scan

    make_corpus(tmp_path / "docs", 12)
    special_documents(tmp_path / "docs")
    files = sorted((tmp_path / "docs").glob("*.json"))
    alone = scan.scan_files(files, jobs=1)
    monkeypatch.setattr(scan, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(scan, "SCAN_BATCH", 4)
    assert _comparable(scan.scan_files(files, jobs=2)) == _comparable(alone)
    assert [s.id for s in alone if s.reasons] == ["zz-invalid", "zz-no-gold", "zz-unknown-licence"]


def _comparable(scans: list) -> list:
    """Scans with their MinHash signatures as tuples (numpy arrays do not compare as one value)."""
    out = []
    for s in scans:
        meta = replace(s.meta, signature=tuple(s.meta.signature.tolist())) if s.meta is not None else None
        out.append(replace(s, meta=meta))
    return out


def test_coded_errors_cross_process_boundaries_whole() -> None:
    import pickle

    from secnews.core.findings import make_finding

    err = SecnewsError(make_finding("RELEASE_NO_DOCUMENTS", detail="3 documents scanned"))
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is SecnewsError and back.findings == err.findings and str(back) == str(err)


def test_a_chunk_that_fails_in_the_build_host_fails_the_release(tmp_path: Path, monkeypatch) -> None:
    """The build host runs the chunks in its own pool: a chunk's coded error reaches the caller as
    the same error, no release folder or record is written, and no process is left behind."""
    import multiprocessing as mp

    import secnews.formats.hf as hf
    import secnews.release.build as rel

    monkeypatch.setattr(rel, "CHUNK_DOCS", 5)
    make_corpus(tmp_path / "docs", 12)
    monkeypatch.setattr(hf, "config_rows", _failing_on("synth-00000007", hf.config_rows))
    with pytest.raises(SecnewsError) as exc:
        build(tmp_path, "0.1.0", jobs=2)
    assert {f.code for f in exc.value.findings} == {"CONVERT_BAD_DOCUMENT"}
    assert [f.doc_id for f in exc.value.findings] == ["synth-00000007"]
    assert not (tmp_path / "releases/0.1.0").exists() and not (tmp_path / "records/0.1.0.json").exists()
    assert mp.active_children() == []


def _failing_on(doc_id: str, config_rows):
    """``config_rows`` that refuses one document as the encoder refuses a malformed one (the chunk
    builders are forked after the patch: they inherit it)."""

    def rows(doc, *args, **kwargs):
        if doc.get("id") == doc_id:
            raise SecnewsError(
                make_finding("CONVERT_BAD_DOCUMENT", doc_id=doc_id, detail="refused by the test")
            )
        return config_rows(doc, *args, **kwargs)

    return rows


def test_a_refused_plan_stops_the_build_host(tmp_path: Path, monkeypatch) -> None:
    """The plan refuses the release (a released document would move split) after the host has
    started loading: the error is the plan's and the host exits without building anything."""
    import multiprocessing as mp

    import secnews.release.build as rel

    monkeypatch.setattr(rel, "CHUNK_DOCS", 5)
    make_corpus(tmp_path / "docs", 12)

    def refuse(*args, **kwargs):
        raise SecnewsError(make_finding("RELEASE_NO_DOCUMENTS", detail="refused by the test"))

    monkeypatch.setattr(rel, "plan_splits", refuse)
    with pytest.raises(SecnewsError, match="refused by the test"):
        build(tmp_path, "0.1.0", jobs=2)
    assert mp.active_children() == []


def test_a_killed_chunk_builder_fails_the_release_with_a_coded_error(tmp_path: Path, monkeypatch) -> None:
    """A chunk builder killed mid-task (out of memory, a signal) fails the release with
    RELEASE_BUILD_FAILED: no hang, no traceback, no folder, no record, no process left."""
    import multiprocessing as mp

    import secnews.release.build as rel

    monkeypatch.setattr(rel, "CHUNK_DOCS", 5)
    make_corpus(tmp_path / "docs", 12)
    monkeypatch.setattr(rel, "_build_chunk", _dies_on_the_second_chunk(rel._build_chunk))
    with pytest.raises(SecnewsError) as exc:
        build(tmp_path, "0.1.0", jobs=2)
    assert [f.code for f in exc.value.findings] == ["RELEASE_BUILD_FAILED"]
    assert str(exc.value).startswith("[RELEASE_BUILD_FAILED] a chunk builder was killed")
    assert not (tmp_path / "releases/0.1.0").exists() and not (tmp_path / "records/0.1.0.json").exists()
    assert mp.active_children() == []


def test_a_killed_scan_worker_fails_the_release_with_a_coded_error(tmp_path: Path, monkeypatch) -> None:
    import multiprocessing as mp

    import secnews.release.scan as scan

    monkeypatch.setattr(scan, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(scan, "SCAN_BATCH", 3)
    make_corpus(tmp_path / "docs", 9)
    monkeypatch.setattr(scan, "scan_file", _dies_on("synth-00000004"))
    with pytest.raises(SecnewsError) as exc:
        build(tmp_path, "0.1.0", jobs=2)
    assert str(exc.value).startswith("[RELEASE_BUILD_FAILED] a scan worker was killed")
    assert not (tmp_path / "records/0.1.0.json").exists() and mp.active_children() == []


def _dies_on(stem: str):
    """``scan_file`` that kills its process on one file (module level: forked workers inherit the patch)."""
    _SCAN_FILE[:] = [__import__("secnews.release.scan", fromlist=["scan_file"]).scan_file, stem]
    return _scan_or_die


_SCAN_FILE: list = []


def _scan_or_die(path, verdict=None):
    import os

    scan_file, stem = _SCAN_FILE
    if Path(path).stem == stem:
        os._exit(137)
    return scan_file(path, verdict)


_BUILD_CHUNK: list = []


def _dies_on_the_second_chunk(build_chunk):
    """``_build_chunk`` whose second chunk kills its process (module level: the executor pickles the
    function by name, and the forked workers find this module's patched attribute)."""
    _BUILD_CHUNK[:] = [build_chunk]
    return _die_on_second


def _die_on_second(task):
    import os

    if task[1].name == "00001":
        os._exit(137)
    return _BUILD_CHUNK[0](task)


def test_a_killed_build_host_fails_the_release_with_a_coded_error(tmp_path: Path, monkeypatch) -> None:
    import multiprocessing as mp
    import os

    import secnews.release.build as rel

    monkeypatch.setattr(rel, "CHUNK_DOCS", 5)
    make_corpus(tmp_path / "docs", 12)
    monkeypatch.setattr(rel, "_run_chunks", lambda tasks, jobs: os._exit(9))  # the host itself dies
    with pytest.raises(SecnewsError) as exc:
        build(tmp_path, "0.1.0", jobs=2)
    assert [f.code for f in exc.value.findings] == ["RELEASE_BUILD_FAILED"]
    assert str(exc.value).startswith("[RELEASE_BUILD_FAILED] the build host exited with code 9")
    assert mp.active_children() == []


def test_a_build_host_that_cannot_load_reports_why(tmp_path: Path, monkeypatch) -> None:
    """The host's own failure (here: loading the tokenizer) reaches the caller as that error, even
    though it happens before the host is sent any task."""
    import multiprocessing as mp

    import secnews.release.build as rel

    monkeypatch.setattr(rel, "CHUNK_DOCS", 5)
    make_corpus(tmp_path / "docs", 12)
    monkeypatch.setattr(rel, "_preload_build", _cannot_load)
    with pytest.raises(SecnewsError) as exc:
        build(tmp_path, "0.1.0", jobs=2)
    assert [f.code for f in exc.value.findings] == ["RELEASE_NO_DOCUMENTS"]
    assert "no tokenizer in this test" in str(exc.value)
    assert mp.active_children() == []


def _cannot_load() -> None:
    raise SecnewsError(make_finding("RELEASE_NO_DOCUMENTS", detail="no tokenizer in this test"))
