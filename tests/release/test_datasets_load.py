"""A built folder loads offline with ``datasets.load_dataset``, features exactly the code's Features."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from pathlib import Path
from typing import Any

import datasets
import pyarrow.parquet as pq
import pytest
import yaml

from secnews.formats.arrow_schema import CONFIGS, features
from secnews.formats.hf import build_dataset_folder
from secnews.formats.hf_card import dataset_card_yaml
from secnews.formats.parquet import read_documents_parquet
from secnews.model.synth import generate_document

N_DOCS = 12


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    docs = [generate_document(i, sentences=3) for i in range(N_DOCS)]
    for ann in docs[-1]["annotations"]:  # one document without a gold set
        ann["status"] = "submitted"
    return docs


@pytest.fixture(scope="session")
def folder(tmp_path_factory: pytest.TempPathFactory, corpus: list[dict[str, Any]]) -> Path:
    out = tmp_path_factory.mktemp("hf") / "secnews-fr"
    ids = [d["id"] for d in corpus]
    counts = build_dataset_folder(corpus, out, {"train": ids[:8], "test": ids[8:]}, max_shard_rows=20)
    assert counts["documents"] == {"train": 8, "test": 4}
    return out


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("hf-cache"))


def _card_yaml(folder: Path) -> dict[str, Any]:
    text = (folder / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("config", CONFIGS)
def test_load_dataset_each_config(folder: Path, cache_dir: str, config: str) -> None:
    ds = datasets.load_dataset(str(folder), config, cache_dir=cache_dir)
    assert set(ds) == {"train", "test"}
    assert ds["train"].features == features(config)
    card = {i["config_name"]: i for i in _card_yaml(folder)["dataset_info"]}[config]
    assert {s["name"]: s["num_examples"] for s in card["splits"]} == {k: v.num_rows for k, v in ds.items()}


def test_readme_features_equal_parquet_metadata(folder: Path) -> None:
    """The README silently wins over Parquet metadata: prove both say the same thing."""
    infos = {i["config_name"]: i for i in _card_yaml(folder)["dataset_info"]}
    for config in CONFIGS:
        from_readme = datasets.Features._from_yaml_list(infos[config]["features"])
        for shard in sorted((folder / config).glob("*.parquet")):
            from_parquet = datasets.Features.from_arrow_schema(pq.read_schema(shard))
            assert from_readme == from_parquet == features(config), shard


def test_sharding_names(folder: Path) -> None:
    shards = sorted(p.name for p in (folder / "ner").glob("train-*.parquet"))
    assert len(shards) > 1
    total = len(shards)
    assert shards == [f"train-{i:05d}-of-{total:05d}.parquet" for i in range(total)]
    assert all(pq.ParquetFile(folder / "ner" / s).metadata.num_rows <= 20 for s in shards)


def test_load_parquet_data_files(folder: Path, cache_dir: str) -> None:
    files = sorted(str(p) for p in (folder / "events").glob("train-*.parquet"))
    ds = datasets.load_dataset("parquet", data_files={"train": files}, cache_dir=cache_dir)["train"]
    assert ds.features == features("events")
    names = ds.features["type"].names
    row = ds[0]
    assert names[row["type"]] in features("events")["type"].names
    assert isinstance(row["arguments"], list)


def test_folder_reads_back_to_canonical(folder: Path, corpus: list[dict[str, Any]]) -> None:
    back: list[dict[str, Any]] = []
    for split in ("train", "test"):
        docs = sorted((folder / "documents").glob(f"{split}-*.parquet"))
        anns = sorted((folder / "annotations").glob(f"{split}-*.parquet"))
        back.extend(read_documents_parquet(docs, anns))
    assert back == corpus


def test_documents_config_gold_flag(folder: Path, cache_dir: str, corpus: list[dict[str, Any]]) -> None:
    test = datasets.load_dataset(str(folder), "documents", cache_dir=cache_dir)["test"]
    flags = dict(zip(test["id"], test["has_gold"], strict=True))
    assert flags[corpus[-1]["id"]] is False
    assert sum(flags.values()) == len(flags) - 1


def test_card_yaml_lists_every_config() -> None:
    meta = dataset_card_yaml({c: {"train": 1} for c in CONFIGS})
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    assert meta["configs"][0]["data_files"] == [{"split": "train", "path": "documents/train-*.parquet"}]
