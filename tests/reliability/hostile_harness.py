"""Run one hostile-input case through the real command line and hold it to the contract.

The contract (issue 13): a stable code in the output, naming the document, annotation or rule; exit
status 1 or 2; no traceback; and nothing written or changed (the workspace is hashed before and after).
Cases run in-process through :func:`secnews.cli.main.main` (one interpreter for ~80 cases keeps the
catalogue to seconds); an exception escaping ``main`` is exactly the traceback a user would have seen.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from secnews.cli.main import main
from secnews.core.environ import environ_set

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASE_DOC: dict[str, Any] = json.loads((FIXTURES / "valid" / "fixture-base.json").read_text(encoding="utf-8"))

#: files a case writes into its workspace: relative path -> bytes (or a function of the workspace)
Files = dict[str, bytes]


@dataclass(frozen=True)
class Case:
    """One bad input: the files, the command (``{w}`` is the workspace), what must be reported."""

    id: str
    command: str
    argv: tuple[str, ...]
    files: Files
    codes: tuple[str, ...]
    names: tuple[str, ...] = ()
    exits: tuple[int, ...] = (1, 2)
    #: paths (relative to the workspace) that may change; everything else must keep its bytes
    may_change: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    crash: str | None


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under ``root`` (hidden ones too: a stray temporary file is a change) and its SHA-256."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            out[str(path.relative_to(root)) + "/"] = "dir"
    return out


def materialise(case: Case, work: Path) -> list[str]:
    """Write the case's files (and the base corpus) into ``work``; return the argv with paths filled."""
    base = work / "corpus" / "documents" / "fixture-base.json"
    base.parent.mkdir(parents=True, exist_ok=True)
    base.write_bytes((FIXTURES / "valid" / "fixture-base.json").read_bytes())
    for rel, data in case.files.items():
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return [a.replace("{w}", str(work)) for a in case.argv]


def run_cli(argv: list[str], env: dict[str, str] | None = None) -> Outcome:
    """``secnews ARGV`` in this process, its output captured, any escaping exception recorded."""
    runner = CliRunner()
    crash: str | None = None
    with environ_set(env or {}), runner.isolation() as (out, err, _):
        try:
            code = main(argv)
        except SystemExit as exc:  # click's own exits are fine
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            crash = traceback.format_exc()
            code = -1
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace") if err is not None else ""
    return Outcome(code, stdout, stderr, crash)


def check_case(case: Case, work: Path, prepare: Callable[[Path], None] | None = None) -> Outcome:
    """Run ``case`` in ``work`` and assert the contract; returns the outcome for further checks."""
    argv = materialise(case, work)
    if prepare is not None:
        prepare(work)
    before = tree_hashes(work)
    outcome = run_cli(argv, case.env)
    after = tree_hashes(work)
    output = outcome.stdout + outcome.stderr
    assert outcome.crash is None, f"{case.id}: exception escaped\n{outcome.crash}"
    assert "Traceback" not in output, f"{case.id}: traceback printed\n{output}"
    assert outcome.exit_code in case.exits, f"{case.id}: exit {outcome.exit_code}\n{output}"
    assert any(f"[{c}]" in output or f'"{c}"' in output for c in case.codes), (
        f"{case.id}: none of {case.codes} in\n{output}"
    )
    for name in case.names:
        assert name in output, f"{case.id}: {name!r} not named in\n{output}"
    changed = {
        k
        for k in set(before) | set(after)
        if before.get(k) != after.get(k) and not any(k.startswith(p) for p in case.may_change)
    }
    assert not changed, f"{case.id}: changed {sorted(changed)}\n{output}"
    return outcome
