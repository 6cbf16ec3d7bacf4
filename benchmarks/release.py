"""Benchmark: `secnews release` on a generated corpus (default 100k documents, 3 sentences, gold only).

    .venv/bin/python benchmarks/release.py --n 100000          # corpus cached under /tmp/secnews-bench-release

Reports the build time (scan + validation + splits + Parquet + card + Croissant + checksums) and the
peak RSS of the building process (children included: the scan runs in worker processes). Not run
by the tests.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def corpus(n: int, base: Path) -> Path:
    out = base / f"{n}-s3"
    if not (out / ".complete").exists():
        from secnews.model.synth import generate_corpus

        started = time.perf_counter()
        generate_corpus(n, out, seed=0, sentences=3, sets=1)
        (out / ".complete").write_text("ok\n")
        print(f"generated {n} documents in {time.perf_counter() - started:.1f} s")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "secnews-bench-release")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument(
        "--validated",
        action="store_true",
        help="first run `secnews validate` (2 workers, verdict cache), as CI does, then the release, "
        "whose scan reuses those verdicts; without it the release validates every document itself",
    )
    args = ap.parse_args()
    docs = corpus(args.n, args.base)
    from secnews.release.build import build_release

    if args.validated:
        from secnews.validate.engine import open_verdict_cache, validate_paths

        cache = open_verdict_cache()
        started = time.perf_counter()
        report = validate_paths([docs], jobs=args.jobs or 2, cache=cache)
        cache.save()
        print(f"secnews validate first: {time.perf_counter() - started:.1f} s, {report.stats['files']} files")

    with tempfile.TemporaryDirectory(dir=args.base) as tmp:
        tmp_path = Path(tmp)
        steps: list[tuple[str, float]] = []
        started = time.perf_counter()
        record = build_release(
            "1.0.0",
            docs,
            tmp_path / "release",
            records_dir=tmp_path / "records",
            manifest_path=tmp_path / "splits.tsv",
            date="2026-01-01",
            jobs=args.jobs,
            progress=lambda step, n: steps.append((step, time.perf_counter() - started)),
            use_cache=args.validated,
        )
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in (tmp_path / "release").rglob("*") if p.is_file())
    usage_self, usage_children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    rss_self = usage_self.ru_maxrss / 1024
    rss_children = usage_children.ru_maxrss / 1024
    print(f"documents: {record.statistics['documents']}")
    for step, at in steps:
        print(f"  {step} done at {at:.1f} s")
    print(f"release build: {seconds:.1f} s for {args.n} documents ({args.n / seconds:,.0f} docs/s)")
    print(
        f"release size: {size / 1e6:.1f} MB; peak RSS: main {rss_self:.0f} MB, largest worker {rss_children:.0f} MB"
    )
    # CPU seconds (generation of a missing corpus included): on a shared machine they vary less than
    # the wall time, so compare them between runs made under different loads
    cpu_self = usage_self.ru_utime + usage_self.ru_stime
    cpu_children = usage_children.ru_utime + usage_children.ru_stime
    print(f"cpu: main {cpu_self:.1f} s, workers {cpu_children:.1f} s")


if __name__ == "__main__":
    main()
