"""Conventions shared by the exporter and the importer (the parts of a task that are ours).

A task this toolkit exports carries, besides the text and the fields the editor displays, a
``data.secnews`` object: the document's ``schema_version`` and full ``meta``, and for each exported
annotation set its header (id, kind, annotator, status, timestamps, origin, adjudication), how it was
exported (``as``: prediction or annotation) and a ``digest`` of its content. On import, a
prediction or annotation whose content has that digest *is* that set, so its header is restored
and the round trip canonical -> Label Studio -> canonical is the identity; one whose content was
changed in the editor no longer matches and becomes a new set of its own (nothing is overwritten).
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from secnews.model.document import LAYERS

SECNEWS_KEY = "secnews"
#: ``data`` key of a task's content hash: a second push updates exactly the tasks whose hash changed
HASH_KEY = "secnews_hash"
#: ``data.secnews`` key: ``type|head|tail`` -> id of the document's record relations (the editor drops
#: relation ids on any edit; the importer gives them back)
RELATION_IDS_KEY = "relation_ids"
LAYER_KEYS = ("labels", *LAYERS)
#: data fields shown in the editor (``$title``, ``$published``) or useful to filter tasks by
FLAT_META_KEYS = ("published", "title", "url", "source", "license", "language", "collection")
CANONICAL_META_KEYS = (
    "title",
    "published",
    "source",
    "url",
    "language",
    "license",
    "collection",
    "attribution",
    "source_id",
    "authors",
    "retrieved",
    "notes",
)


def content_digest(ann: dict[str, Any]) -> str:
    """A digest of what an annotation set says (labels and layers), not of who or when."""
    body = {k: ann.get(k) for k in LAYER_KEYS}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def set_header(ann: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ann.items() if k not in LAYER_KEYS}
