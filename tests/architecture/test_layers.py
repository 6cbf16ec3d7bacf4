"""The package's imports go one way: core -> model -> validate -> (ingest | labelstudio | annotate | quality)
-> formats -> release -> (baselines | report) -> cli. A lower layer importing a higher one fails here, lazy imports included
(an import inside a function is still a dependency; only a cycle would be hidden by it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "secnews"
#: sub-package -> layer rank; equal ranks are independent siblings (they may not import each other)
RANK = {
    "core": 0,
    "model": 1,
    "validate": 2,
    "ingest": 3,
    "labelstudio": 3,
    "annotate": 3,
    "quality": 3,
    "formats": 4,
    "release": 5,
    "baselines": 6,
    "report": 6,
    "cli": 7,
}


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("secnews."):
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("secnews.")]
    return out


def violations(src: Path = SRC) -> list[str]:
    """Every import of a higher or sibling layer, as ``file:line package -> module``."""
    found = []
    for path in sorted(src.rglob("*.py")):
        parts = path.relative_to(src).parts
        if len(parts) < 2:
            continue
        me = parts[0]
        for line, module in _imports(path):
            other = module.split(".")[1]
            if other != me and RANK[other] >= RANK[me]:
                found.append(f"{path.relative_to(src)}:{line} {me} -> {module}")
    return found


def test_every_sub_package_has_a_layer() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(RANK)


def test_no_module_at_the_top_but_the_package_marker() -> None:
    assert sorted(p.name for p in SRC.glob("*.py")) == ["__init__.py"]


def test_imports_go_one_way() -> None:
    assert violations() == []


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    """The contract test itself can fail: a model module importing the release is reported."""
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "__init__.py").write_text("")
    (tmp_path / "model" / "bad.py").write_text("def f():\n    from secnews.release.build import x\n")
    assert violations(tmp_path) == ["model/bad.py:2 model -> secnews.release.build"]


@pytest.mark.parametrize("sibling", ["ingest", "labelstudio", "annotate", "quality"])
def test_siblings_are_independent(tmp_path: Path, sibling: str) -> None:
    other = "quality" if sibling != "quality" else "ingest"
    (tmp_path / sibling).mkdir()
    (tmp_path / sibling / "m.py").write_text(f"import secnews.{other}.x\n")
    assert violations(tmp_path) == [f"{sibling}/m.py:1 {sibling} -> secnews.{other}.x"]
