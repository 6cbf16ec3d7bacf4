"""Publishing a built release to the Hugging Face Hub (``secnews release VERSION --push REPO_ID``).

The folder is verified against its record first, uploaded in one commit with ``HfApi.upload_folder``
(a dataset repository, created if missing) and the commit is tagged with the version, so users pin it
with ``load_dataset(repo_id, config, revision="0.1.0")``. The token comes from the ``HF_TOKEN``
environment variable only: never a command-line flag, never printed.

Manual step (cannot run in CI, which has no Hub access)::

    export HF_TOKEN=hf_...            # a write token of the organisation
    secnews release 0.1.0 --push secnews-fr/secnews-fr

The tests run :func:`push_release` against an injected ``HfApi``-compatible object that records the
calls and copies the folder into a local git repository, then check the tag and the files there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secnews.core.findings import SecnewsError, make_finding
from secnews.release.verify import folder_version, verify_release


@dataclass
class PushResult:
    repo_id: str
    version: str
    commit: str | None
    url: str | None


def hf_token(token: str | None = None) -> str:
    token = token or os.environ.get("HF_TOKEN")
    if not token:
        raise SecnewsError(make_finding("RELEASE_NO_TOKEN"))
    return token


def push_release(
    folder: Path | str,
    repo_id: str,
    token: str | None = None,
    *,
    api: Any = None,
    version: str | None = None,
    private: bool = False,
    verify: bool = True,
    records_dir: Path | str | None = None,
) -> PushResult:
    """Upload a release folder to a Hub dataset repository and tag the commit with its version.

    ``api`` defaults to ``huggingface_hub.HfApi(token=...)``; tests inject a fake with the same
    methods (``create_repo``, ``upload_folder``, ``create_tag``). A folder that fails verification
    is not pushed.
    """
    folder = Path(folder)
    version = version or folder_version(folder) or folder.name
    if verify:
        findings = verify_release(folder, records_dir=records_dir)
        if findings:
            raise SecnewsError(*findings)
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi(token=hf_token(token))
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    info = api.upload_folder(
        folder_path=str(folder),
        repo_id=repo_id,
        repo_type="dataset",
        commit_message=f"secnews-fr release {version}",
        commit_description=f"Built by `secnews release {version}`; verify with SHA256SUMS.",
        delete_patterns=["*/*.parquet"],  # shards of an older version that this one no longer has
    )
    commit = getattr(info, "oid", None)
    api.create_tag(
        repo_id,
        tag=version,
        tag_message=f"secnews-fr {version}",
        revision=commit,
        repo_type="dataset",
        exist_ok=False,
    )
    return PushResult(repo_id=repo_id, version=version, commit=commit, url=getattr(info, "commit_url", None))
