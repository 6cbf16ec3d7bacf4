"""Validation throughput on a generated corpus, side by side with the plain baselines.

    python benchmarks/validate.py --docs 10000            # the three figures of the issue
    python benchmarks/validate.py --docs 100000 --jobs 2  # the 100k corpus, files on disk, all cores

Baselines on the same documents: bare ``orjson.loads`` (the floor: parsing only), and plain
``jsonschema`` (``Draft202012Validator.iter_errors``, structure only). Full validation is
``secnews.validate.engine.validate_document`` (structure with jsonschema-rs + every semantic rule).
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from pathlib import Path

import jsonschema
import orjson

from secnews.model.json_schema import build_document_schema
from secnews.model.synth import generate_corpus, generate_document
from secnews.validate.engine import validate_document, validate_paths


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


def timed(fn) -> float:
    gc.collect()
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def in_memory(n: int, sentences: int) -> dict[str, float]:
    blobs = [orjson.dumps(generate_document(i, sentences=sentences, sets=1)) for i in range(n)]
    size = sum(map(len, blobs)) / n
    ref = jsonschema.Draft202012Validator(build_document_schema())

    def plain_run() -> None:
        for b in blobs[: max(1, n // 10)]:
            for _ in ref.iter_errors(orjson.loads(b)):
                pass

    def loads_run() -> None:
        for b in blobs:
            orjson.loads(b)

    def full_run() -> None:
        for b in blobs:
            validate_document(orjson.loads(b))

    plain, loads, full = timed(plain_run), timed(loads_run), timed(full_run)
    return {
        "docs": n,
        "avg_bytes": round(size),
        "orjson_loads_docs_per_s": round(rate(n, loads)),
        "jsonschema_docs_per_s": round(rate(max(1, n // 10), plain)),
        "secnews_full_docs_per_s": round(rate(n, full)),
    }


def on_disk(n: int, sentences: int, jobs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        generate_corpus(n, Path(tmp), seed=1, sentences=sentences, sets=1)
        seconds = timed(lambda: validate_paths([tmp], jobs=jobs))
    return {"files": n, "jobs": jobs, "seconds": round(seconds, 2), "files_per_s": round(rate(n, seconds))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--sentences", type=int, default=3, help="3 sentences ~ 4.5 kB documents")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--disk", action="store_true", help="also validate files written to disk")
    args = ap.parse_args()
    result = {"in_memory": in_memory(args.docs, args.sentences)}
    m = result["in_memory"]
    m["ratio_full_vs_jsonschema"] = round(m["secnews_full_docs_per_s"] / m["jsonschema_docs_per_s"], 1)
    m["ratio_full_vs_orjson"] = round(m["secnews_full_docs_per_s"] / m["orjson_loads_docs_per_s"], 2)
    if args.disk:
        result["on_disk"] = on_disk(args.docs, args.sentences, args.jobs)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
