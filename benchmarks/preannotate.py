"""Pre-annotation throughput (documents per second) on the real corpus, nothing written.

    python benchmarks/preannotate.py                       # corpus/documents, all layers
    python benchmarks/preannotate.py --batch-size 32 --repeat 3
    python benchmarks/preannotate.py --layers entities     # spaCy + gazetteer only

Model loading is timed apart (it is paid once per process); the throughput is the best of
``--repeat`` dry runs, each parsing with ``nlp.pipe`` in batches and building + checking every
prediction set exactly as ``secnews preannotate`` does.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from secnews.annotate.preannotate import load_nlp, parse_layers, preannotate_paths
from secnews.core.paths import documents_dir


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path, help="documents (default: corpus/documents)")
    ap.add_argument("--layers", default="entities,timexes,events,attributions")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    targets = args.paths or [documents_dir()]
    layers = parse_layers(args.layers)
    t0 = time.perf_counter()
    load_nlp()
    load_seconds = time.perf_counter() - t0
    runs = [
        preannotate_paths(targets, layers, batch_size=args.batch_size, write=False)
        for _ in range(args.repeat)
    ]
    best = max(runs, key=lambda r: r.docs_per_second)
    chars = (
        sum(len(p.read_text(encoding="utf-8")) for p in targets[0].glob("*.json"))
        if targets[0].is_dir()
        else None
    )
    print(
        json.dumps(
            {
                "documents": best.documents,
                "layers": list(layers),
                "batch_size": args.batch_size,
                "model_load_seconds": round(load_seconds, 2),
                "runs_docs_per_second": [round(r.docs_per_second, 2) for r in runs],
                "best_docs_per_second": round(best.docs_per_second, 2),
                "best_seconds": round(best.seconds, 2),
                "json_bytes_scanned": chars,
                "records": dict(best.records),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
