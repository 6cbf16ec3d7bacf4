"""Split assignment: frozen across versions, group-aware, deterministic, leakage check."""

from __future__ import annotations

import copy
import random
from collections import Counter

import pytest

from secnews.core.findings import SecnewsError
from secnews.model.synth import generate_document
from secnews.release.splits import (
    DocMeta,
    Manifest,
    assign_splits,
    check_leakage,
    doc_meta,
    dumps_manifest,
    event_key,
    mark_released,
    parse_ratios,
    read_manifest,
    split_counts,
    write_manifest,
)

WORDS = [
    "armée",
    "attaque",
    "village",
    "nord",
    "centre",
    "frontière",
    "soldats",
    "civils",
    "drone",
    "colonne",
    "convoi",
    "marché",
    "mosquée",
    "ministre",
    "gouverneur",
    "préfet",
    "mairie",
    "école",
    "route",
    "pont",
    "fleuve",
    "camp",
    "base",
    "poste",
    "police",
    "gendarmerie",
    "otage",
    "rançon",
    "enquête",
    "procès",
    "tribunal",
    "bilan",
    "blessés",
    "morts",
    "réfugiés",
    "aide",
    "sécheresse",
    "récolte",
]


def story(seed: int, n: int = 60) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(n))


def meta(doc_id: str, text: str, published: str = "2020-01-01", key=None, etype=None) -> DocMeta:
    from secnews.release.splits import minhash_signature

    return DocMeta(doc_id, published, "src", etype, key, minhash_signature(text))


def corpus(n: int, start: int = 0) -> list[DocMeta]:
    return [meta(f"doc-{i:04d}", story(i), f"2020-01-{1 + i % 28:02d}") for i in range(start, start + n)]


def near_dup(text: str) -> str:
    words = text.split()
    words[5] = "changé"
    return " ".join(words)


def test_ratios_and_determinism_independent_of_order() -> None:
    docs = corpus(200)
    m1 = assign_splits(docs)
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    m2 = assign_splits(shuffled)
    assert dumps_manifest(m1) == dumps_manifest(m2)
    assert split_counts(m1) == {"train": 160, "validation": 20, "test": 20}
    assert split_counts(assign_splits(docs, ratios="70/15/15")) == {
        "train": 140,
        "validation": 30,
        "test": 30,
    }
    # another seed deals differently, same ratios
    m3 = assign_splits(docs, seed=7)
    assert split_counts(m3) == split_counts(m1)
    assert m3.entries != m1.entries


def test_released_documents_never_move_when_documents_are_added() -> None:
    first = assign_splits(corpus(60))
    released = mark_released(first, list(first.entries), "0.1.0")
    # 60 new documents, some of them near-duplicates of released ones
    new = corpus(60, start=60) + [meta(f"dup-{i:04d}", near_dup(story(i))) for i in range(0, 60, 6)]
    second = assign_splits(corpus(60) + new, released)
    for doc_id, entry in released.entries.items():
        assert second.entries[doc_id].split == entry.split
        assert second.entries[doc_id].released == "0.1.0"
    for i in range(0, 60, 6):  # a new near-duplicate follows its released original
        assert second.entries[f"dup-{i:04d}"].split == released.entries[f"doc-{i:04d}"].split
    assert check_leakage(corpus(60) + new, second) == []


def test_near_duplicates_always_land_together() -> None:
    docs = corpus(80)
    dups = [meta(f"zz-{i:04d}", near_dup(story(i))) for i in range(80)]
    m = assign_splits(docs + dups)
    assert all(m.entries[f"doc-{i:04d}"].split == m.entries[f"zz-{i:04d}"].split for i in range(80))
    assert all(m.entries[f"zz-{i:04d}"].group == f"doc-{i:04d}" for i in range(80))
    assert check_leakage(docs + dups, m) == []


def test_same_event_lands_together() -> None:
    key = ("ATTACK", "mopti", "2024-12-26")
    docs = corpus(40) + [meta(f"ev-{i}", story(1000 + i), key=key, etype="ATTACK") for i in range(5)]
    m = assign_splits(docs)
    assert len({m.entries[f"ev-{i}"].split for i in range(5)}) == 1


def test_event_key_from_gold_set() -> None:
    doc = generate_document(11, sentences=3, sets=1)
    etype, key = event_key(doc)
    assert etype is not None
    if key is not None:
        assert key[0] == etype and len(key[2]) == 10
    twin = copy.deepcopy(doc)
    twin["id"] = "twin"
    assert doc_meta(twin).event_key == doc_meta(doc).event_key


def test_check_leakage_reports_pairs_with_similarity() -> None:
    a, b = meta("a", story(1)), meta("b", near_dup(story(1)))
    m = assign_splits([a, b])
    m.entries["b"] = m.entries["b"].__class__("test" if m.entries["a"].split != "test" else "train")
    leaks = check_leakage([a, b], m, text_of=lambda i: story(1) if i == "a" else near_dup(story(1)))
    assert len(leaks) == 1
    assert (leaks[0].a, leaks[0].b, leaks[0].reason) == ("a", "b", "near-duplicates")
    assert 0.8 < leaks[0].similarity < 1


def test_temporal_scheme_puts_the_newest_in_test() -> None:
    docs = [meta(f"t-{i:03d}", story(i), f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}") for i in range(100)]
    m = assign_splits(docs, scheme="temporal")
    by_date = sorted(docs, key=lambda d: d.published)
    assert {m.entries[d.id].split for d in by_date[-10:]} == {"test"}
    assert {m.entries[d.id].split for d in by_date[-20:-10]} == {"validation"}
    assert Counter(e.split for e in m.entries.values())["train"] == 80


def test_manifest_round_trip(tmp_path) -> None:
    m = mark_released(assign_splits(corpus(20), ratios="60/20/20", seed=5), ["doc-0001"], "0.1.0")
    path = tmp_path / "splits.tsv"
    write_manifest(m, path)
    back = read_manifest(path)
    assert back.entries == m.entries
    assert back.params == m.params
    assert read_manifest(tmp_path / "absent.tsv").entries == {}


def test_bad_inputs_are_coded() -> None:
    with pytest.raises(SecnewsError) as exc:
        parse_ratios("80/20")
    assert exc.value.findings[0].code == "SPLITS_BAD_OPTION"
    with pytest.raises(SecnewsError):
        assign_splits(corpus(3), Manifest(), scheme="random")


def test_fast_minhash_and_lsh_match_datasketch() -> None:
    """The release computes signatures and LSH candidates without datasketch objects (speed); the
    results must stay those of datasketch, or splits (hence released bytes) would change."""
    import numpy as np

    from secnews.release.splits import (
        _minhash_signature_datasketch,
        _near_duplicate_pairs_datasketch,
        minhash_signature,
        near_duplicate_pairs,
    )

    texts = ["", "un", "un deux", "un deux trois", "Été à Gao : l’armée", *(story(i) for i in range(40))]
    for text in texts:
        fast, ref = minhash_signature(text), _minhash_signature_datasketch(text)
        assert (fast is None and ref is None) or (fast.dtype == ref.dtype and np.array_equal(fast, ref))
    docs = corpus(120) + [meta(f"zz-{i:04d}", near_dup(story(i))) for i in range(0, 120, 3)]
    docs.append(meta("doc-0007", story(7)))  # a repeated id
    for threshold in (0.3, 0.6, 0.9):
        assert near_duplicate_pairs(docs, threshold) == _near_duplicate_pairs_datasketch(docs, threshold)


def test_a_new_release_line_re_deals_rows_released_by_the_older_line() -> None:
    first = mark_released(assign_splits(corpus(60)), [f"doc-{i:04d}" for i in range(60)], "0.1.0")
    same_line = assign_splits(corpus(60), first, ratios="50/0/50")
    assert {d: e.split for d, e in same_line.entries.items()} == {
        d: e.split for d, e in first.entries.items()
    }
    new_line = assign_splits(corpus(60), first, ratios="50/0/50", line=1)
    assert split_counts(new_line) == {"train": 30, "validation": 0, "test": 30}
    assert all(e.released is None for e in new_line.entries.values())  # 0.1.0 no longer freezes them
    assert "line=1" in dumps_manifest(new_line)
    assert read_manifest_text(dumps_manifest(new_line)).params.line == 1


def test_cover_puts_every_frequent_event_type_in_test() -> None:
    docs = corpus(40)
    for d in docs:
        d.event_counts = {"ATTACK": 3}
    rare = next(d for d in docs if assign_splits(docs).entries[d.id].split == "train")
    rare.event_counts = {"ATTACK": 1, "AIR_DRONE_STRIKE": 25}
    without = assign_splits(docs)
    assert without.entries[rare.id].split == "train"
    covered = assign_splits(docs, cover=20)
    assert covered.entries[rare.id].split == "test"
    assert split_counts(covered)["test"] == split_counts(without)["test"] + 1
    assert "cover=20" in dumps_manifest(covered)


def read_manifest_text(text: str) -> Manifest:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "splits.tsv"
        path.write_text(text, encoding="utf-8")
        return read_manifest(path)
