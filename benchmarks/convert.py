"""Benchmark: canonical directory -> Parquet (documents + annotations), next to the bare baseline.

Baseline ("bare"): ``orjson.loads`` of every file, ``pa.Table.from_pylist(docs, schema=RAW)`` with a
schema mirroring the JSON (labels as strings, free-form objects left out), ``pq.write_table`` with the
same compression. ``--baseline whole`` loads the whole corpus first (the literal recipe; memory grows
with the corpus); ``--baseline batched`` (default) does the same per batch of ``--batch-size``
documents through one ParquetWriter, so both sides stream.

Each measurement runs in a fresh subprocess (peak RSS = that process's ``ru_maxrss``). Run:

    .venv/bin/python benchmarks/convert.py --n 100000            # generates /tmp/secnews-bench/100000
    .venv/bin/python benchmarks/convert.py --n 100000 --double   # also 200k, to show RSS is flat
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def corpus(n: int, base: Path, sentences: int) -> Path:
    """A synthetic corpus of n documents, generated once (resumable) and reused between runs.

    A smaller corpus is made of symbolic links to the first n files of a larger complete one, so
    the "corpus doubles" comparison reads the same documents.
    """
    out = base / f"{n}-s{sentences}"
    done = out / ".complete"
    if done.exists():
        return out
    larger = sorted(
        (
            p
            for p in base.glob(f"*-s{sentences}")
            if (p / ".complete").exists() and int(p.name.split("-")[0]) > n
        ),
        key=lambda p: int(p.name.split("-")[0]),
    )
    out.mkdir(parents=True, exist_ok=True)
    if larger:
        for name in sorted(q.name for q in larger[0].glob("*.json"))[:n]:
            link = out / name
            if not link.exists():
                link.symlink_to(larger[0] / name)
        done.write_text("ok\n")
        return out
    from rich.progress import Progress

    from secnews.model.document import save_document
    from secnews.model.synth import generate_document

    with Progress(transient=True) as bar:
        task = bar.add_task(f"generating {n} documents", total=n)
        for i in range(n):
            if not (out / f"synth-{i:08d}.json").exists():
                save_document(generate_document(i, sentences=sentences, sets=2), out)
            bar.advance(task)
    done.write_text("ok\n")
    return out


def raw_schema() -> Any:
    """A pyarrow schema mirroring the canonical JSON (labels as strings) for the baseline."""
    import pyarrow as pa

    span = [("start", pa.int32()), ("end", pa.int32()), ("text", pa.string())]
    entity = pa.struct(
        [
            ("id", pa.string()),
            *span,
            ("type", pa.string()),
            ("mention", pa.string()),
            ("actor", pa.string()),
            ("source_label", pa.string()),
            ("score", pa.float64()),
        ]
    )
    event = pa.struct(
        [
            ("id", pa.string()),
            ("type", pa.string()),
            ("trigger", pa.struct(span)),
            ("realis", pa.string()),
            ("fatalities", pa.struct([("min", pa.int32()), ("max", pa.int32())])),
            ("arguments", pa.list_(pa.struct([("role", pa.string()), ("ref", pa.string())]))),
            ("source_label", pa.string()),
            ("score", pa.float64()),
        ]
    )
    attribution = pa.struct(
        [
            ("id", pa.string()),
            ("source", pa.string()),
            ("cue", pa.struct(span)),
            ("content", pa.list_(pa.struct([("id", pa.string()), *span]))),
            ("events", pa.list_(pa.string())),
            ("source_type", pa.string()),
            ("claim", pa.string()),
            ("certainty", pa.string()),
            ("quote", pa.string()),
            ("score", pa.float64()),
        ]
    )
    timex = pa.struct(
        [
            ("id", pa.string()),
            *span,
            ("type", pa.string()),
            ("value", pa.string()),
            ("anchor", pa.string()),
            ("mod", pa.string()),
            ("source_label", pa.string()),
            ("score", pa.float64()),
        ]
    )
    relation = pa.struct(
        [("id", pa.string()), ("type", pa.string()), ("head", pa.string()), ("tail", pa.string())]
    )
    ann = pa.struct(
        [
            ("id", pa.string()),
            ("kind", pa.string()),
            ("annotator", pa.string()),
            ("status", pa.string()),
            ("created", pa.string()),
            ("updated", pa.string()),
            ("labels", pa.struct([("relevant", pa.bool_()), ("countries", pa.list_(pa.string()))])),
            ("entities", pa.list_(entity)),
            ("events", pa.list_(event)),
            ("attributions", pa.list_(attribution)),
            ("timexes", pa.list_(timex)),
            ("relations", pa.list_(relation)),
        ]
    )
    meta = pa.struct(
        [
            (k, pa.string())
            for k in ("title", "published", "source", "url", "language", "license", "collection", "notes")
        ]
    )
    return pa.schema(
        [
            ("schema_version", pa.string()),
            ("id", pa.string()),
            ("text", pa.string()),
            ("meta", meta),
            ("annotations", pa.list_(ann)),
        ]
    )


def run_baseline(src: Path, out: Path, mode: str, batch_size: int) -> int:
    import orjson
    import pyarrow as pa
    import pyarrow.parquet as pq

    from secnews.formats.parquet import COMPRESSION, COMPRESSION_LEVEL

    schema = raw_schema()
    files = sorted(p for p in src.glob("*.json"))
    if mode == "whole":
        docs = [orjson.loads(p.read_bytes()) for p in files]
        pq.write_table(
            pa.Table.from_pylist(docs, schema=schema),
            out / "baseline.parquet",
            compression=COMPRESSION,
            compression_level=COMPRESSION_LEVEL,
        )
        return len(docs)
    with pq.ParquetWriter(
        out / "baseline.parquet", schema, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL
    ) as writer:
        for i in range(0, len(files), batch_size):
            docs = [orjson.loads(p.read_bytes()) for p in files[i : i + batch_size]]
            writer.write_table(pa.Table.from_pylist(docs, schema=schema))
    return len(files)


def run_ours(src: Path, out: Path, batch_size: int) -> int:
    from secnews.formats.convert import convert

    summary = convert(src, out / "parquet", dst_format="parquet", batch_size=batch_size)
    return int(summary["documents"])


def child(args: argparse.Namespace) -> None:
    """One measurement in this fresh process; prints a JSON line."""
    src, out = Path(args.src), Path(args.out)
    started, cpu_started = time.perf_counter(), time.process_time()
    if args.child == "ours":
        n = run_ours(src, out, args.batch_size)
    else:
        n = run_baseline(src, out, args.baseline, args.batch_size)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
    print(
        json.dumps(
            {
                "who": args.child,
                "docs": n,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "peak_rss_mb": round(rss_mb, 1),
                "parquet_mb": round(size / 2**20, 1),
            }
        )
    )


def measure(who: str, src: Path, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="secnews-bench-") as out:
        cmd = [
            sys.executable,
            __file__,
            "--child",
            who,
            "--src",
            str(src),
            "--out",
            out,
            "--baseline",
            args.baseline,
            "--batch-size",
            str(args.batch_size),
        ]
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--sentences", type=int, default=6, help="sentences per synthetic document")
    p.add_argument("--double", action="store_true", help="also measure 2n documents (RSS must stay flat)")
    p.add_argument("--half", action="store_true", help="also measure n/2 documents (links into the n corpus)")
    p.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "secnews-bench")
    p.add_argument("--baseline", choices=["batched", "whole"], default="batched")
    p.add_argument("--batch-size", type=int, default=1000)
    p.add_argument("--child", choices=["ours", "baseline"])
    p.add_argument("--src")
    p.add_argument("--out")
    p.add_argument("--repeat", type=int, default=3, help="interleaved baseline/ours pairs (median ratio)")
    args = p.parse_args()
    if args.child:
        child(args)
        return
    sizes = [args.n, 2 * args.n] if args.double else [args.n]
    if args.half:
        corpus(args.n, args.corpus_dir, args.sentences)
        sizes = [args.n // 2, *sizes]
    for n in sizes:
        src = corpus(n, args.corpus_dir, args.sentences)
        pairs = []
        for _ in range(args.repeat):
            base, ours = measure("baseline", src, args), measure("ours", src, args)
            print(f"n={n} baseline({args.baseline}): {base}")
            print(f"n={n} ours: {ours}")
            pairs.append((base, ours))
        # one process each, CPU seconds: the wall time of a shared machine is mostly the others' load
        cpu_ratio = statistics.median(o["cpu_seconds"] / b["cpu_seconds"] for b, o in pairs)
        wall_ratio = statistics.median(o["seconds"] / b["seconds"] for b, o in pairs)
        rss_ratio = statistics.median(o["peak_rss_mb"] / b["peak_rss_mb"] for b, o in pairs)
        print(
            f"n={n} median of {args.repeat}: CPU time ratio ours/baseline = {cpu_ratio:.2f}x (target <= 1.3x); "
            f"wall {wall_ratio:.2f}x; RSS ratio = {rss_ratio:.2f}x; "
            f"ours peak RSS {max(o['peak_rss_mb'] for _, o in pairs):.0f} MB"
        )


if __name__ == "__main__":
    main()
