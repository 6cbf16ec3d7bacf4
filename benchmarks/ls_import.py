"""Label Studio import: speed (tasks/s) and peak RSS, side by side with the SDK's Converter.

    .venv/bin/python benchmarks/ls_import.py                    # 10k tasks (~300 MB) and 1k tasks
    .venv/bin/python benchmarks/ls_import.py --tasks 2000 --small 200 --skip-baseline

A full JSON export is generated on the fly in a temporary directory (never committed): synthetic
documents exported by ``secnews ls export`` and given the shape of a server export, ~30 kB a task.
Each measured run is a fresh subprocess reporting its own peak RSS (``VmHWM``, else ``ru_maxrss``;
with worker processes: main + jobs x the largest worker, an upper bound):

- ``secnews``: :func:`secnews.labelstudio.importer.import_export` into an empty corpus directory:
  streaming parse, conversion, offsets checked against each region's text, the validator on every document, atomic writes;
  once in one process (``jobs=1``) and once with worker processes (``--jobs``, default 2).
- ``baseline``: ``label_studio_sdk.converter.Converter(...).convert_to_json_min`` on the same file
  (what a user would otherwise run; it parses the whole file at once and flattens relations away).

Peak RSS is measured at two export sizes to show whether memory grows with the export.
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

import orjson


def generate_export(path: Path, n: int, seed: int = 0, indented: bool = False) -> int:
    """Write an n-task export task by task (the generator never holds the export); returns bytes."""
    from secnews.labelstudio.exporter import synthetic_tasks

    # compact: one task a line; indented: 2-space indentation throughout, as a server's export file
    option = orjson.OPT_INDENT_2 if indented else 0
    with open(path, "wb") as fh:
        fh.write(b"[\n" if indented else b"[")
        for i, task in enumerate(synthetic_tasks(n, seed)):
            if i:
                fh.write(b",\n")
            body = orjson.dumps(task, option=option)
            fh.write(b"\n".join(b"  " + line for line in body.split(b"\n")) if indented else body)
        fh.write(b"\n]\n" if indented else b"]\n")
    return path.stat().st_size


def _peak_mb() -> float:
    """This process's own peak RSS: ``VmHWM`` where there is one (Linux keeps the forking parent's
    ``ru_maxrss`` across exec, so a small child would report at least the benchmark driver's size)."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _workers_peak_mb() -> float:
    """The largest worker process (``ru_maxrss`` of the waited-for children)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children: on a shared machine the wall time
    mostly measures the other processes, the CPU time the work itself."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_secnews(export: Path, out: Path, jobs: int) -> dict[str, float]:
    from secnews.labelstudio.importer import import_export

    t, cpu = time.perf_counter(), _cpu()
    report = import_export(export, out, jobs=jobs)
    seconds, cpu = time.perf_counter() - t, _cpu() - cpu
    assert report.ok and len(report.created) == report.tasks
    main_mb, worker_mb = _peak_mb(), _workers_peak_mb() if jobs > 1 else 0.0
    peak = main_mb + jobs * worker_mb * (jobs > 1)
    return {"tasks": report.tasks, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak}


def run_baseline(export: Path, out: Path, jobs: int = 1) -> dict[str, float]:
    from label_studio_sdk.converter import Converter

    from secnews.labelstudio.config import build_config

    conv = Converter(config=build_config(), project_dir=None, download_resources=False)
    t, cpu = time.perf_counter(), _cpu()
    conv.convert_to_json_min(str(export), str(out), is_dir=False)
    seconds, cpu = time.perf_counter() - t, _cpu() - cpu
    n = sum(1 for _ in orjson.loads((out / "result.json").read_bytes()))  # after timing and RSS matter less
    return {"records": n, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": _peak_mb()}


def profile_stages(export: Path, out: Path) -> str:
    """Where the CPU of a one-process import goes: start-up, then each step of every task (the
    importer's own functions, called in its order), then cProfile's top functions by own time."""
    import cProfile
    import io
    import pstats

    t0 = _cpu()
    from secnews.core.actors import load_actors
    from secnews.core.project import load_project
    from secnews.core.taxonomy import load_taxonomy
    from secnews.labelstudio.config import control_spec
    from secnews.labelstudio.export_reader import iter_export, open_export
    from secnews.labelstudio.importer import _read_existing, import_export
    from secnews.labelstudio.merge import merge_documents
    from secnews.labelstudio.staging import Staging
    from secnews.labelstudio.tasks import task_to_document
    from secnews.model.document import canonical_bytes
    from secnews.validate.engine import validate_document
    from secnews.validate.structure import _validators

    stages: dict[str, float] = {"start-up: module imports (not in the timed import)": _cpu() - t0}
    t0 = _cpu()
    tax = load_taxonomy()
    load_actors(), load_project(), control_spec(tax), _validators()
    stages["start-up: taxonomy, actors, project, config spec, schema compile"] = _cpu() - t0
    names = [
        "parse (cut + orjson.loads)",
        "convert (task -> document)",
        "read corpus copy + merge",
        "validate (schema + semantic checks)",
        "serialise (canonical bytes)",
        "write (staged files)",
    ]
    spent = dict.fromkeys(names, 0.0)
    staging, n = Staging(out), 0
    with open_export(export) as fh:
        it = iter_export(fh, str(export))
        while True:
            t = [_cpu()]
            got = next(it, None)
            t.append(_cpu())
            if got is None:
                spent[names[0]] += t[1] - t[0]
                break
            index, task = got
            doc = task_to_document(task, index, taxonomy=tax).doc
            t.append(_cpu())
            assert doc is not None
            merged = merge_documents(_read_existing(staging.path_for(doc["id"]), []), doc, task.get("id"), [])
            t.append(_cpu())
            validate_document(merged, file=str(out / f"{doc['id']}.json"))
            t.append(_cpu())
            data = canonical_bytes(merged)
            t.append(_cpu())
            staging.put(doc["id"], data)
            t.append(_cpu())
            for name, a, b in zip(names, t, t[1:], strict=False):
                spent[name] += b - a
            n += 1
    t0 = _cpu()
    staging.commit()
    spent["commit (sync, renames)"] = _cpu() - t0
    stages.update(spent)
    total = sum(v for k, v in stages.items() if "module imports" not in k)
    lines = [
        f"{n} tasks, {export.stat().st_size / 1e6:.1f} MB: {total:.2f} CPU-s "
        f"({1e3 * total / n:.2f} ms a task), one process",
        "",
    ]
    lines += [f"  {v:7.3f} s  {100 * v / total:5.1f} %  {k}" for k, v in stages.items()]
    prof = cProfile.Profile()
    prof.enable()
    import_export(export, out.parent / (out.name + "-profiled"), jobs=1)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(30)
    body = buf.getvalue()
    lines += [
        "",
        "cProfile of import_export (its overhead inflates many small calls), top 30 by own time:",
        body[body.index("   ncalls") :].rstrip(),
    ]
    return "\n".join(lines)


def measure(which: str, export: Path, workdir: Path, jobs: int = 1) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix=f"{which}-", dir=workdir))
    proc = subprocess.run(
        [sys.executable, __file__, "--child", f"{which}:{jobs}", str(export), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--small", type=int, default=1_000, help="a second, smaller export (RSS flatness)")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the second secnews run")
    ap.add_argument("--layout", choices=["compact", "indented", "both"], default="both")
    ap.add_argument("--child", nargs=3, metavar=("WHICH", "EXPORT", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="write a CPU breakdown (start-up, parse, convert, validate, write) and the top "
        "functions of a one-process import of each layout to FILE instead of the comparison",
    )
    args = ap.parse_args()
    if args.child:
        which, export, out = args.child
        if which == "profile":
            print(profile_stages(Path(export), Path(out)))
            return
        name, jobs = which.split(":")
        fn = run_secnews if name == "secnews" else run_baseline
        print(json.dumps(fn(Path(export), Path(out), int(jobs))))
        return
    results: dict[str, dict[str, float]] = {}
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="ls-import-profile-") as tmp:
            parts = []
            for layout in ("compact", "indented"):
                export = Path(tmp) / f"export-{layout}.json"
                generate_export(export, args.tasks, indented=layout == "indented")
                out = Path(tmp) / f"corpus-{layout}"
                cmd = [sys.executable, __file__, "--child", "profile", str(export), str(out)]
                proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
                parts.append(f"== {layout} export ==\n{proc.stdout.rstrip()}\n")
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        args.profile.write_text("\n".join(parts), encoding="utf-8")
        print("\n".join(parts))
        return
    with tempfile.TemporaryDirectory(prefix="ls-import-bench-") as tmp:
        work = Path(tmp)
        layouts = ["compact", "indented"] if args.layout == "both" else [args.layout]
        for layout, n in ((layout, n) for layout in layouts for n in (args.small, args.tasks)):
            export = work / f"export-{n}-{layout}.json"
            t = time.perf_counter()
            size = generate_export(export, n, indented=layout == "indented")
            row: dict[str, float] = {
                "export_mb": round(size / 1e6, 1),
                "generate_s": round(time.perf_counter() - t, 1),
            }
            serial = measure("secnews", export, work, 1)
            row["secnews_1proc_tasks_per_s"] = round(n / serial["seconds"])
            row["secnews_1proc_peak_rss_mb"] = round(serial["peak_rss_mb"])
            ours = measure("secnews", export, work, args.jobs)
            row[f"secnews_{args.jobs}workers_tasks_per_s"] = round(n / ours["seconds"])
            row[f"secnews_{args.jobs}workers_peak_rss_mb_total"] = round(ours["peak_rss_mb"])
            if not args.skip_baseline:
                base = measure("baseline", export, work)
                row["converter_tasks_per_s"] = round(n / base["seconds"])
                row["converter_peak_rss_mb"] = round(base["peak_rss_mb"])
                best = min(serial, ours, key=lambda r: r["seconds"])
                row["speed_ratio_secnews_best_vs_converter"] = round(base["seconds"] / best["seconds"], 2)
                # one process each, CPU seconds (the figure a loaded machine does not distort)
                row["cpu_ratio_converter_vs_secnews_1proc"] = round(
                    base["cpu_seconds"] / serial["cpu_seconds"], 2
                )
                row["rss_ratio_secnews_1proc_vs_converter"] = round(
                    serial["peak_rss_mb"] / base["peak_rss_mb"], 3
                )
            results[f"{n}_tasks_{layout}"] = row
            export.unlink()
    results["machine"] = {"cpus": os.cpu_count() or 0}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
