"""Where full validation spends its time, check by check (issue 15: "a profile of where the time goes").

    python benchmarks/validate_profile.py --docs 5000     # writes benchmarks/results/validate-profile.txt

Times, on one core and in one process, the parse (``orjson.loads``), the structural pass
(jsonschema-rs), the record index, and every semantic check of :mod:`secnews.validate.engine`, on
synthetic 4.5 kB documents; then prints each as microseconds per document and as a share of the
whole, next to the parse floor. Each check runs exactly as ``validate_document`` runs it.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import orjson

from secnews.core.fs import without_cyclic_gc
from secnews.core.taxonomy import load_taxonomy
from secnews.model import timex3 as tx
from secnews.model.synth import generate_document
from secnews.validate.check import Context, SetScope
from secnews.validate.document import file_name
from secnews.validate.engine import DOCUMENT_CHECKS, SET_CHECKS
from secnews.validate.references import index_records
from secnews.validate.structure import structure_is_valid


def profile(blobs: list[bytes], repeat: int) -> dict[str, float]:
    """Seconds spent in each step over all documents, best of ``repeat`` (the least disturbed run)."""
    best: dict[str, float] = {}
    tax = load_taxonomy()
    clock = time.process_time
    for _ in range(repeat):
        spent: dict[str, float] = defaultdict(float)
        for blob in blobs:
            t = clock()
            doc = orjson.loads(blob)
            spent["parse (orjson.loads)"] += clock() - t
            ctx = Context(None, doc["id"], [], tax)
            t = clock()
            file_name.run(ctx, doc)
            ok = structure_is_valid(doc)
            spent["structure (jsonschema-rs)"] += clock() - t
            assert ok
            for check in DOCUMENT_CHECKS:
                t = clock()
                check.run(ctx, doc)
                spent[f"document: {check.name}"] += clock() - t
            t = clock()
            dct = tx.parse_dct(doc["meta"]["published"])
            spent["document: publication date"] += clock() - t
            for i, ann in enumerate(doc["annotations"]):
                ctx.set_index, ctx.set_id = i, ann["id"]
                t = clock()
                scope = SetScope(doc["text"], ann, *index_records(ann), dct)
                spent["set: record index"] += clock() - t
                for check in SET_CHECKS:
                    t = clock()
                    check.run(ctx, scope)
                    spent[f"set: {check.name}"] += clock() - t
        for key, value in spent.items():
            best[key] = min(best.get(key, value), value)
    return best


def record_walk(doc: dict) -> int:
    """The least any Python rule can do: visit every record of every set once, read the four fields
    the rules read most (id, start, end, type) and compare one offset with the text's length. Its
    time is the floor under each check that looks at every record."""
    n = len(doc["text"])
    bad = 0
    for ann in doc["annotations"]:
        for layer in ("entities", "events", "attributions", "timexes", "relations"):
            for rec in ann.get(layer, ()):
                rec.get("id")
                rec.get("type")
                start, end = rec.get("start"), rec.get("end")
                if start is not None and end is not None and end > n:
                    bad += 1
    return bad


def walk_floor(blobs: list[bytes], repeat: int) -> float:
    """Seconds of :func:`record_walk` over all documents (best of ``repeat``), parse excluded."""
    docs = [orjson.loads(b) for b in blobs]
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        for doc in docs:
            record_walk(doc)
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--sentences", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "validate-profile.txt")
    args = ap.parse_args()
    blobs = [orjson.dumps(generate_document(i, sentences=args.sentences, sets=1)) for i in range(args.docs)]
    with without_cyclic_gc():  # as validate_paths runs
        spent = profile(blobs, args.repeat)
    walk = walk_floor(blobs, args.repeat)
    total = sum(spent.values())
    parse = spent["parse (orjson.loads)"]
    kb = sum(map(len, blobs)) / len(blobs) / 1000
    lines = [
        f"full validation, one core, {args.docs} synthetic documents of {kb:.1f} kB, one annotation set each (as benchmarks/validate.py)",
        f"(CPU time, best of {args.repeat}; timer overhead included in every row, ~0.1 us a call)",
        "",
        f"{'step':<40} {'us/doc':>8} {'share':>7} {'x parse':>8}",
    ]
    for key, value in sorted(spent.items(), key=lambda kv: -kv[1]):
        us = value / len(blobs) * 1e6
        lines.append(f"{key:<40} {us:8.1f} {value / total:7.1%} {value / parse:8.2f}")
    lines += [
        "",
        f"total {total / len(blobs) * 1e6:.1f} us/doc = {len(blobs) / total:,.0f} docs/s; "
        f"parse alone {len(blobs) / parse:,.0f} docs/s; ratio {parse / total:.2f}x of orjson.loads (target 0.35x)",
        "",
        *budget_lines(spent, walk, len(blobs)),
    ]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


def budget_lines(spent: dict[str, float], walk: float, n: int) -> list[str]:
    """What 0.35x leaves for the semantic rules, next to the cost of one bare pass over the records."""
    parse = spent["parse (orjson.loads)"] / n * 1e6
    structure = spent["structure (jsonschema-rs)"] / n * 1e6
    semantic = sum(v for k, v in spent.items() if k.startswith(("set:", "document:"))) / n * 1e6
    budget = parse / 0.35 - parse - structure
    floor = walk / n * 1e6
    return [
        f"0.35x allows {parse / 0.35:.1f} us/doc in all: {budget:.1f} us for every semantic rule after parse and structure",
        f"the semantic rules take {semantic:.1f} us/doc over {len(SET_CHECKS) + len(DOCUMENT_CHECKS)} checks",
        f"one bare Python pass over every record (4 field reads, 1 comparison, no finding): {floor:.1f} us/doc",
        f"-> the budget holds {budget / floor:.1f} such passes, fused or not: each check's own work on a record "
        "(a taxonomy or reference look-up, a word-boundary test) costs about as much as visiting it",
    ]


if __name__ == "__main__":
    main()
