"""Where a release build spends its CPU time, step by step (issue 15: a profile of the remaining time).

    python benchmarks/release_profile.py --n 5000     # writes benchmarks/results/release-profile.txt

Builds a release of a generated corpus (the one benchmarks/release.py uses) in ONE process
(``jobs=1``) under cProfile, then reports the cumulative CPU time of each step of the build and of
the work inside the Parquet step (documents/annotations encoding, the ``ner`` tokenisation, the
``events`` rows, Arrow conversion, Parquet writing), as seconds and milliseconds per document.
cProfile slows Python code more than C code, so shares are indicative; the step list is the point.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
from pathlib import Path

STEPS = {
    "scan: read + parse + validate + digest (release/scan.py:scan_file)": ("scan.py", "scan_file"),
    "  validate_document": ("engine.py", "validate_document"),
    "  minhash signature (near-duplicate splits)": ("splits.py", "minhash_signature"),
    "splits (plan_splits)": ("build.py", "plan_splits"),
    "parquet: all configs (release/build.py:build_parquet)": ("build.py", "build_parquet"),
    "  ner rows (spaCy tokenizer + BIO tags)": ("tables.py", "ner_rows"),
    "    spaCy French start-up (tokenizer exceptions)": ("tokenize_fr.py", "french_pipeline"),
    "  documents + annotations tables (columnar encode_batch)": ("columnar.py", "encode_batch"),
    "  events rows": ("tables.py", "event_rows"),
    "  rows -> Arrow (rows_to_table)": ("rows.py", "rows_to_table"),
    "  Parquet write (ParquetWriter.write_table)": ("core.py", "write_table"),
    "release files: card, Croissant, datasheet, checksums": ("build.py", "write_release_files"),
}


def cumulative(stats: pstats.Stats, file_end: str, func: str) -> float:
    total = 0.0
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if filename.endswith(file_end) and name == func:
            total = max(total, row[3])  # cumulative time of the outermost call
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "secnews-bench-release")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "release-profile.txt")
    ap.add_argument(
        "--validated", action="store_true", help="run `secnews validate` first (its verdicts are reused)"
    )
    args = ap.parse_args()
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from release import corpus  # the same generated corpus as benchmarks/release.py
    from secnews.release.build import build_release

    docs = corpus(args.n, args.base)
    if args.validated:
        from secnews.validate.engine import open_verdict_cache, validate_paths

        cache = open_verdict_cache()
        validate_paths([docs], jobs=2, cache=cache)
        cache.save()
    with tempfile.TemporaryDirectory(dir=args.base) as tmp:
        out = Path(tmp)
        prof = cProfile.Profile()
        prof.enable()
        build_release(
            "1.0.0", docs, out / "release", records_dir=out / "records", manifest_path=out / "splits.tsv",
            date="2026-01-01", jobs=1, use_cache=args.validated,
        )  # fmt: skip
        prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [
        f"release build of {args.n} generated documents, one process, under cProfile: {total:.1f} s"
        + (
            " (after `secnews validate`: its verdicts reused)"
            if args.validated
            else " (cold: no verdict cache)"
        ),
        "",
        f"{'step':<70} {'s':>7} {'ms/doc':>7} {'share':>6}",
    ]
    for label, (file_end, func) in STEPS.items():
        t = cumulative(stats, file_end, func)
        lines.append(f"{label:<70} {t:7.2f} {t / args.n * 1e3:7.3f} {t / total:6.1%}")
    lines += ["", "top functions by own time:"]
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:15]  # type: ignore[attr-defined]
    for (filename, line, name), row in rows:
        lines.append(f"  {row[2]:6.2f} s  {Path(filename).name}:{line}({name})")
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
