"""How long the longest document takes to open in the Label Studio editor (Debian's headless Chromium).

    .venv/bin/python benchmarks/ls_open.py                 # the corpus's longest document, 3 loads each
    .venv/bin/python benchmarks/ls_open.py --runs 5 --doc wikinews-fr-2018-12-08-001

A real server is started from the test template (see ``tests/labelstudio_server.py``) on 127.0.0.1;
the document is pushed to one project per variant and opened in a fresh page, logged in:

- ``baseline``: what ``scripts/labelstudio-up`` pushed before issue 19: every set as a prediction,
  and the editor opens the task on the newest one (the adjudicated gold: all its regions and arcs).
- ``default``: what it pushes now: model predictions only (``--set kind:prediction``).
- ``gold``: the gold set alone (for reference: the heaviest set an adjudicator would review).

The time runs from the navigation to the moment every region of the shown set is in the DOM
(:func:`labelstudio_browser.open_task`). Reported: median seconds per variant, and the ratio to the
baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from labelstudio_browser import logged_in_page, open_task  # noqa: E402
from secnews.core.paths import documents_dir  # noqa: E402
from secnews.labelstudio import server as S  # noqa: E402
from secnews.labelstudio.exporter import select_sets  # noqa: E402
from secnews.model.document import read_document, save_document  # noqa: E402

LAYERS = ("entities", "events", "timexes", "attributions")


def regions(ann: dict) -> int:
    """Labelled regions the editor draws for a set (content spans are regions too)."""
    return sum(len(ann[layer]) for layer in LAYERS) + sum(len(a["content"]) for a in ann["attributions"])


def longest_document() -> Path:
    return max(documents_dir().glob("*.json"), key=lambda p: len(read_document(p)["text"]))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--doc", default=None, help="document id (default: the longest text)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = documents_dir() / f"{args.doc}.json" if args.doc else longest_document()
    doc = read_document(path)
    variants = {
        "baseline": (["all"], doc["annotations"][-1]),
        "default": (["kind:prediction"], select_sets(doc, ["kind:prediction"])[-1]),
        "gold": (["gold"], select_sets(doc, ["gold"])[-1]),
    }
    with (
        S.throwaway(ROOT / ".venv-labelstudio") as server,
        tempfile.TemporaryDirectory(prefix="secnews-open-") as tmp,
    ):
        from label_studio_sdk import LabelStudio

        from secnews.labelstudio.sync import push

        client = LabelStudio(base_url=server.url, api_key=server.credentials.token)
        corpus = Path(tmp) / "corpus"
        save_document(doc, corpus)
        print(f"{doc['id']}: {len(doc['text'])} characters, sets {[a['id'] for a in doc['annotations']]}")
        results: dict[str, float] = {}
        creds = server.credentials
        with logged_in_page(server.url, creds.username, creds.password) as page:
            for name, (sets, shown) in variants.items():
                pushed = push([corpus], project=f"open-{name}", sets=sets)
                task = next(iter(client.tasks.list(project=pushed.project_id)))
                times, busy = [], []
                for _ in range(args.runs):
                    page.goto("about:blank")
                    opened = open_task(
                        page, server.url, pushed.project_id, task.id, regions(shown), timeout=300
                    )
                    times.append(opened.seconds)
                    busy.append(opened.busy)
                results[name] = (statistics.median(times), statistics.median(busy))
                print(
                    f"{name:9s} shows {shown['id']:20s} {regions(shown):5d} regions "
                    f"{len(opened.region_texts):5d} drawn  wall {[round(t, 1) for t in times]} s  "
                    f"main thread {[round(t, 1) for t in busy]} s",
                    flush=True,
                )
        base_wall, base_busy = results["baseline"]
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for name, (wall, busy) in results.items():
            print(
                f"{name:9s} wall {wall:6.1f} s (ratio {wall / base_wall:.2f})  "
                f"main thread {busy:6.1f} s (ratio {busy / base_busy:.2f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
