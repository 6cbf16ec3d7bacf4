"""Real browser: the editor draws pre-annotations on an emoji text exactly over their text.

One task, one page load in Debian's headless Chromium (``/usr/bin/chromium``, driven by Playwright).
A region given at UTF-16 offsets would be drawn shifted after the flag ("li 🔥" instead of "Mali"):
the DOM text of each highlight is compared with the region's own text.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk import LabelStudio

from labelstudio_browser import chromium_available, logged_in_page, open_task
from secnews.labelstudio import server as S
from secnews.labelstudio.sync import push
from secnews.model.document import save_document
from secnews.model.synth import generate_document

pytestmark = pytest.mark.labelstudio

TEXT = "Mali 🇲🇱 🔥 : l'armée malienne 👨\u200d👩\u200d👧 a été déployée à Bamako après l'attaque de 𝕊évaré."
WORDS = {
    "E1": ("Mali", "GPE"),
    "E2": ("l'armée malienne", "STATE_FORCE"),
    "E3": ("Bamako", "GPE"),
    "E4": ("𝕊évaré", "GPE"),
}


def _document() -> dict[str, Any]:
    doc = generate_document(11, sentences=1, sets=1)
    doc["id"], doc["text"] = "emoji-browser-001", TEXT
    entities = []
    for rid, (word, etype) in WORDS.items():
        start = TEXT.index(word)
        entities.append(
            {
                "id": rid,
                "start": start,
                "end": start + len(word),
                "text": word,
                "type": etype,
                "mention": "NAM",
                "actor": None,
            }
        )
    doc["annotations"] = [
        {
            "id": "pred-browser",
            "kind": "prediction",
            "annotator": "model:browser-test",
            "status": "submitted",
            "created": None,
            "updated": None,
            "labels": {"relevant": None, "countries": []},
            "entities": entities,
            "events": [],
            "attributions": [],
            "timexes": [],
            "relations": [],
        }
    ]
    return doc


def test_emoji_regions_are_drawn_over_their_own_text(labelstudio_env: S.Server, tmp_path: Path) -> None:
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium (.ci/run installs it)")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    save_document(_document(), tmp_path)
    pushed = push([tmp_path], project=f"browser-{uuid.uuid4().hex[:8]}")
    client = LabelStudio(base_url=labelstudio_env.url, api_key=labelstudio_env.credentials.token)
    task = next(iter(client.tasks.list(project=pushed.project_id)))
    creds = labelstudio_env.credentials
    with logged_in_page(labelstudio_env.url, creds.username, creds.password) as page:
        opened = open_task(
            page, labelstudio_env.url, pushed.project_id, task.id, regions=len(WORDS), timeout=60
        )
    assert opened.region_texts == {rid: word for rid, (word, _) in WORDS.items()}, opened.spans
