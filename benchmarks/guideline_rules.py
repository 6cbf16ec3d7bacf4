"""Cost of the Guidelines 1.1 rules: validation with and without them, on generated gold documents.

    python benchmarks/guideline_rules.py --docs 1500

Baseline: the same engine without the four guideline checks (every other rule unchanged), so the
ratio is what the span-quality rules add to `secnews validate` on gold sets.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from typing import Any

from secnews.model.synth import generate_document
from secnews.validate import engine
from secnews.validate.guidelines import (
    attribution_parts,
    event_targets_and_types,
    span_words,
    word_boundaries,
)

GUIDELINE_CHECKS = {c.name for c in (word_boundaries, span_words, attribution_parts, event_targets_and_types)}


def _best(docs: list[dict[str, Any]], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        for d in docs:
            engine.validate_document(d)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    docs = [generate_document(i, sentences=8, sets=1) for i in range(args.docs)]
    for d in docs:
        d["annotations"][0]["status"] = "gold"  # the guideline rules hold gold sets only
    full = _best(docs, args.repeats)
    kept = engine.SET_CHECKS
    engine.SET_CHECKS = tuple(c for c in kept if c.name not in GUIDELINE_CHECKS)
    try:
        base = _best(docs, args.repeats)
    finally:
        engine.SET_CHECKS = kept
    print(
        json.dumps(
            {
                "docs": args.docs,
                "with_guideline_rules_docs_per_s": round(args.docs / full),
                "without_docs_per_s": round(args.docs / base),
                "time_ratio": round(full / base, 2),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
