"""The core install's size and time, and the pre-commit hook's set-up, against the issue's targets.

    python benchmarks/core_install.py                 # core venv from a local wheelhouse + the hook
    python benchmarks/core_install.py --compile       # as pip installs by default (bytecode compiled)

Baselines: the issue's targets (core venv under 150 MB, hook set-up under 20 s with a warm cache) and
the full development venv this script runs in (every extra). The wheelhouse (our wheel, the core's
pinned dependencies, the build backend) is built first from pip's cache, so the timed installs read
no index; the hook is timed with ``pre-commit try-repo`` on a fresh ``PRE_COMMIT_HOME`` (set-up and
run) and again with its environment cached (run only).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB, TARGET_HOOK_S = 150, 20


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SECNEWS_HOME", "VIRTUAL_ENV")}
    out.update(PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return out


def run(cmd: list[str], cwd: Path, environ: dict[str, str]) -> float:
    started = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=environ, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return time.perf_counter() - started


def core_pins() -> list[str]:
    """``name==version`` of the core's dependency closure, as installed here."""
    with open(ROOT / "pyproject.toml", "rb") as fh:
        todo = [Requirement(r) for r in tomllib.load(fh)["project"]["dependencies"]]
    pins: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        req = todo.pop()
        key = (req.name.lower().replace("_", "-"), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        dist = metadata.distribution(req.name)
        pins[key[0]] = dist.version
        for line in dist.requires or []:
            sub = Requirement(line)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in ("", *req.extras)):
                todo.append(sub)
    return sorted(f"{n}=={v}" for n, v in pins.items() if n not in ("setuptools", "wheel", "pip"))


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def largest(site: Path, n: int = 8) -> list[tuple[str, float]]:
    sizes = [(p.name, size_mb(p)) for p in site.iterdir() if p.is_dir() and not p.name.endswith("-info")]
    return sorted(sizes, key=lambda x: -x[1])[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--compile", action="store_true", help="let pip compile bytecode (its default)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="secnews-core-"))
    wh = tmp / "wheelhouse"
    pip = [sys.executable, "-m", "pip"]
    t_wh = run([*pip, "wheel", "-q", "--no-deps", str(ROOT), "-w", str(wh)], ROOT, env())
    (tmp / "pins.txt").write_text("\n".join([*core_pins(), "setuptools>=77", "wheel"]) + "\n")
    t_wh += run([*pip, "wheel", "-q", "--no-deps", "-r", str(tmp / "pins.txt"), "-w", str(wh)], ROOT, env())
    local = env(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wh), **({} if args.compile else {"PIP_COMPILE": "0"}))
    venv = tmp / "core"
    t_venv = run([sys.executable, "-m", "venv", str(venv)], tmp, local)
    wheel = next(wh.glob("secnews_fr-*.whl"))
    t_install = run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], tmp, local)
    core_mb, dev_mb = size_mb(venv), size_mb(Path(sys.prefix))
    site = next((venv / "lib").glob("python3*/site-packages"))

    repo = tmp / "repo"
    run([str(venv / "bin" / "secnews"), "init", str(repo)], tmp, env())
    run(
        [str(venv / "bin" / "secnews"), "synth", "1", "--out", str(repo / "corpus" / "documents")],
        repo,
        env(),
    )
    git = env(GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@b")
    run(["git", "init", "-q"], repo, git)
    run(["git", "add", "-A"], repo, git)
    hook_env = {**git, **local, "PRE_COMMIT_HOME": str(tmp / "pre-commit-home")}
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    hook = [pre_commit, "run", "--all-files", "secnews-validate"]
    config = f"repos:\n- repo: {ROOT}\n  rev: HEAD\n  hooks: [{{id: secnews-validate}}]\n"
    (repo / ".pre-commit-config.yaml").write_text(config)
    run(["git", "add", "-A"], repo, git)
    t_hook_cold = run(hook, repo, hook_env)
    t_hook_warm = run(hook, repo, hook_env)
    report = {
        "core_venv_mb": round(core_mb, 1),
        "core_venv_target_mb": TARGET_MB,
        "core_vs_target": round(core_mb / TARGET_MB, 2),
        "dev_venv_mb (baseline: every extra)": round(dev_mb, 1),
        "core_vs_dev": round(core_mb / dev_mb, 2),
        "largest_packages_mb": {k: round(v, 1) for k, v in largest(site)},
        "wheelhouse_s": round(t_wh, 1),
        "core_install_s (venv + pip install, local wheels)": round(t_venv + t_install, 1),
        "hook_setup_and_run_s (fresh PRE_COMMIT_HOME, warm wheelhouse)": round(t_hook_cold, 1),
        "hook_run_s (environment cached)": round(t_hook_warm, 1),
        "hook_target_s": TARGET_HOOK_S,
        "hook_setup_vs_target": round(t_hook_cold / TARGET_HOOK_S, 2),
        "bytecode_compiled": args.compile,
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
