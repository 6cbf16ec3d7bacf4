"""Pre-annotation throughput (documents per second) on the real corpus, nothing written.

    python benchmarks/preannotate.py                       # corpus/documents, all layers, 1 and 2 processes
    python benchmarks/preannotate.py --batch-size 32 --repeat 3 --n-process 1,2
    python benchmarks/preannotate.py --layers entities     # spaCy + gazetteer only

Model loading is timed apart (it is paid once per process); the throughput is the best of
``--repeat`` dry runs, each parsing with ``nlp.pipe`` in batches and building + checking every
prediction set exactly as ``secnews preannotate`` does. The baseline is the first ``--n-process``
value (one process: what ``secnews preannotate`` did before worker processes); every other run is
reported as a ratio to it, and must find the same records.

CPU seconds per document are reported too: on a machine shared with other jobs the wall rate says
little, while ``docs_per_cpu_second`` x free cores bounds what the same machine does alone.

The figure before this issue's changes (one process, ``doc.text`` rebuilt per attribution cue) is
measured by running this script's ``--n-process 1`` on the previous commit's sources.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import Any

from secnews.annotate.preannotate import load_nlp, parse_layers, preannotate_paths
from secnews.core.paths import documents_dir


def _cpu_seconds() -> float:
    """CPU time of this process and of its waited-for children (the worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _measure(
    targets: list[Path], layers: tuple[str, ...], batch_size: int, n: int, repeat: int
) -> tuple[list[Any], Any, float]:
    """Runs, the fastest one, and the CPU seconds per document (a rate that other jobs on a shared
    machine do not distort: docs/s on K free cores is about K / cpu_per_doc)."""
    cpu0 = _cpu_seconds()
    runs = [
        preannotate_paths(targets, layers, batch_size=batch_size, write=False, n_process=n)
        for _ in range(repeat)
    ]
    cpu_per_doc = (_cpu_seconds() - cpu0) / max(1, sum(r.documents for r in runs))
    return runs, max(runs, key=lambda r: r.docs_per_second), cpu_per_doc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path, help="documents (default: corpus/documents)")
    ap.add_argument("--layers", default="entities,timexes,events,attributions")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--n-process", default="1,2", help="process counts to measure; the first is the baseline")
    args = ap.parse_args()
    targets = args.paths or [documents_dir()]
    layers = parse_layers(args.layers)
    t0 = time.perf_counter()
    load_nlp()
    load_seconds = time.perf_counter() - t0
    results: list[dict[str, Any]] = []
    baseline = None
    for n in (int(x) for x in args.n_process.split(",")):
        runs, best, cpu_per_doc = _measure(targets, layers, args.batch_size, n, args.repeat)
        baseline = baseline or best
        assert best.records == baseline.records, "a process count changed the predictions"
        results.append(
            {
                "n_process": n,
                "runs_docs_per_second": [round(r.docs_per_second, 2) for r in runs],
                "best_docs_per_second": round(best.docs_per_second, 2),
                "best_seconds": round(best.seconds, 2),
                "ratio_to_baseline": round(best.docs_per_second / baseline.docs_per_second, 2),
                "cpu_seconds_per_doc": round(cpu_per_doc, 4),
                "docs_per_cpu_second": round(1 / cpu_per_doc, 2),
            }
        )
    print(
        json.dumps(
            {
                "documents": baseline.documents if baseline else 0,
                "layers": list(layers),
                "batch_size": args.batch_size,
                "model_load_seconds": round(load_seconds, 2),
                "runs": results,
                "records": dict(baseline.records) if baseline else {},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
