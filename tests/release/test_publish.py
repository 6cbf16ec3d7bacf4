"""Publishing: the upload and the version tag, against a local git repository (no Hub access here).

``FakeHub`` has the three ``HfApi`` methods ``push_release`` calls; it copies the folder into a local
git repository as one commit and tags it, as the Hub does, so the test checks the files and the tag.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from secnews.core.findings import SecnewsError
from secnews.model.document import save_document
from secnews.model.synth import generate_document
from secnews.release.build import build_release
from secnews.release.publish import hf_token, push_release

GIT = shutil.which("git")


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


@dataclass
class CommitInfo:
    oid: str
    commit_url: str


class FakeHub:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: list[tuple[str, dict]] = []

    def repo(self, repo_id: str) -> Path:
        return self.root / repo_id.replace("/", "__")

    def create_repo(self, repo_id: str, **kw) -> None:
        self.calls.append(("create_repo", kw))
        path = self.repo(repo_id)
        if not path.exists():
            path.mkdir(parents=True)
            git(path, "init", "-q")

    def upload_folder(self, *, folder_path: str, repo_id: str, **kw) -> CommitInfo:
        self.calls.append(("upload_folder", kw))
        path = self.repo(repo_id)
        shutil.copytree(folder_path, path, dirs_exist_ok=True)
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", kw["commit_message"])
        oid = git(path, "rev-parse", "HEAD")
        return CommitInfo(oid, f"file://{path}/commit/{oid}")

    def create_tag(self, repo_id: str, *, tag: str, revision: str | None = None, **kw) -> None:
        self.calls.append(("create_tag", {"tag": tag, "revision": revision, **kw}))
        git(self.repo(repo_id), "tag", tag, revision or "HEAD")


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("publish")
    for i in range(8):
        save_document(generate_document(200 + i, sentences=2, sets=1), base / "docs")
    build_release(
        "0.1.0",
        base / "docs",
        base / "out",
        records_dir=base / "rec",
        manifest_path=base / "m.tsv",
        date="2026-01-02",
    )
    return base / "out", base / "rec"


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_push_uploads_and_tags_the_version(release, tmp_path: Path) -> None:
    folder, records = release
    hub = FakeHub(tmp_path / "hub")
    result = push_release(folder, "org/secnews-fr", api=hub, records_dir=records)
    repo = hub.repo("org/secnews-fr")
    assert result.version == "0.1.0"
    assert git(repo, "rev-parse", "0.1.0") == result.commit
    files = set(git(repo, "ls-tree", "-r", "--name-only", "0.1.0").splitlines())
    assert {"README.md", "croissant.json", "SHA256SUMS", "CHANGELOG.md"} <= files
    assert any(f.startswith("documents/train-") for f in files)
    assert [c[0] for c in hub.calls] == ["create_repo", "upload_folder", "create_tag"]
    assert hub.calls[0][1]["repo_type"] == "dataset"
    # the pushed tree passes `sha256sum -c`
    out = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=repo, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_tampered_folder_is_not_pushed(release, tmp_path: Path) -> None:
    folder, records = release
    copy = tmp_path / "0.1.0"
    shutil.copytree(folder, copy)
    (copy / "CHANGELOG.md").write_text("edited\n")
    hub = FakeHub(tmp_path / "hub")
    with pytest.raises(SecnewsError) as exc:
        push_release(copy, "org/x", api=hub, records_dir=records, version="0.1.0")
    assert exc.value.findings[0].code == "RELEASE_CHECKSUM_MISMATCH"
    assert hub.calls == []


def test_token_comes_from_hf_token_only(monkeypatch) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with pytest.raises(SecnewsError) as exc:
        hf_token()
    assert exc.value.findings[0].code == "RELEASE_NO_TOKEN"
    assert "hf_" not in exc.value.findings[0].message
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    assert hf_token() == "hf_secret"


def test_cli_has_no_token_option() -> None:
    from click.testing import CliRunner

    from secnews.cli.release import command

    help_text = CliRunner().invoke(command, ["--help"]).output
    assert "--push" in help_text and "--token" not in help_text
