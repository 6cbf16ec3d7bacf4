"""Push and pull rates (tasks/s) against a real Label Studio server on 127.0.0.1.

    .venv/bin/python benchmarks/ls_sync.py                  # 300 synthetic documents
    .venv/bin/python benchmarks/ls_sync.py --docs 1000 --corpus corpus/documents

Measured, each once, on a server started from the test template:

- ``push (new)``: a new project, every document imported with its model predictions;
- ``push (unchanged)``: the same push again: every task's content hash matches, nothing is sent;
- ``push (10% changed)``: one document in ten has a changed model prediction (its relevance label): those tasks are updated in
  place (data and predictions replaced), the rest skipped;
- ``pull (strict)`` and ``pull (lenient)``: a snapshot export streamed and imported into an empty
  corpus, all or nothing vs annotation by annotation (the team's default);
- ``pull (1 bad)``: lenient, with one annotation the server accepted but the toolkit refuses.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument(
        "--corpus", type=Path, default=None, help="push these documents instead of synthetic ones"
    )
    args = parser.parse_args()
    from label_studio_sdk import LabelStudio

    from secnews.labelstudio import server as S
    from secnews.labelstudio.sync import pull, push
    from secnews.model.document import iter_documents, save_document
    from secnews.model.synth import generate_document

    with (
        tempfile.TemporaryDirectory(prefix="secnews-sync-") as tmp,
        S.throwaway(ROOT / ".venv-labelstudio") as server,
    ):
        corpus = Path(tmp) / "corpus"
        if args.corpus:
            docs = [doc for _, doc in iter_documents([args.corpus])]
        else:
            docs = [generate_document(seed, sentences=8, sets=2) for seed in range(args.docs)]
        for doc in docs:
            save_document(doc, corpus)
        client = LabelStudio(base_url=server.url, api_key=server.credentials.token)
        n = len(docs)
        rows: list[tuple[str, int, float]] = []

        def timed(name: str, count: int, fn):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            out = fn()
            rows.append((name, count, time.perf_counter() - t0))
            return out

        first = timed("push (new)", n, lambda: push([corpus], project="bench"))
        timed("push (unchanged)", n, lambda: push([corpus], project="bench"))
        changed = docs[::10]
        for doc in changed:
            pred = next(a for a in doc["annotations"] if a["kind"] == "prediction")
            pred["labels"] = {**pred["labels"], "relevant": not pred["labels"].get("relevant")}
            save_document(doc, corpus)
        again = timed("push (10% changed)", n, lambda: push([corpus], project="bench"))
        assert len(again.updated) == len(changed), (len(again.updated), len(changed))
        tasks = list(client.tasks.list(project=first.project_id, fields="all"))
        for task in tasks[: max(1, n // 5)]:  # a fifth of the tasks annotated: the prediction accepted
            pred = client.predictions.list(task=task.id)[0]
            client.annotations.create(id=task.id, result=[dict(r) for r in pred.result])
        timed("pull (strict)", n, lambda: pull(project="bench", into=Path(tmp) / "a", strict=True))
        timed("pull (lenient)", n, lambda: pull(project="bench", into=Path(tmp) / "b"))
        bad = {"id": "bad0000001", "from_name": "entity", "to_name": "text", "type": "labels"}
        bad["value"] = {"start": 0, "end": 3, "text": "???", "labels": ["LOC"]}
        client.annotations.create(id=tasks[-1].id, result=[bad])
        report = timed("pull (1 bad)", n, lambda: pull(project="bench", into=Path(tmp) / "c"))
        assert len(report.refused) == 1
    print(f"{n} documents, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, count, seconds in rows:
        print(f"{name:20s} {seconds:7.1f} s  {count / seconds:7.1f} tasks/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
