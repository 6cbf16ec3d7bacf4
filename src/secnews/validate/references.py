"""Record ids and the references between records of one annotation set.

The index of ids is built once per set (:func:`index_records`) and shared by every check that
resolves a reference, so a dangling or wrongly layered reference is reported the same way wherever
it occurs (argument, relation, attribution).
"""

from __future__ import annotations

from typing import Any

from secnews.core.findings import Rule, register
from secnews.model.document import LAYERS
from secnews.validate.check import Context, RecordIndex, SetScope, check

register(
    Rule(
        "DUPLICATE_ID",
        "Duplicate record id",
        "error",
        "id {value!r} is used by {count} records of this set",
        "Arguments and relations point at records by id: an id must be unique across all layers of a set.",
        "span",
    ),
    Rule(
        "DANGLING_REF",
        "Dangling reference",
        "error",
        "{what} points at {value!r}, which does not exist in this set",
        "References (arguments, relations, attribution sources and events, timex anchors) must resolve within the set.",
        "reference",
    ),
    Rule(
        "WRONG_REF_LAYER",
        "Reference to the wrong layer",
        "error",
        "{what} points at {value!r}, a {found}; expected {expected}",
        "Each reference has a layer: an argument points at an entity (a timex for TIME), a relation at the layer its type says.",
        "reference",
    ),
)

#: the codes :func:`expect_layer` may emit, for the checks that call it to declare
REF_CODES = ("DANGLING_REF", "WRONG_REF_LAYER")


def index_records(ann: dict[str, Any]) -> tuple[RecordIndex, dict[str, int]]:
    """id -> (layer, record) over all layers, and id -> count for the ids used more than once."""
    index: RecordIndex = {}
    dupes: dict[str, int] = {}
    for layer in LAYERS:
        contents = layer == "attributions"
        for rec in ann[layer]:
            rid = rec["id"]
            if rid in index:  # _index_one inlined: this loop runs for every record of every document
                dupes[rid] = dupes.get(rid, 1) + 1
            else:
                index[rid] = (layer, rec)
            if contents:
                for c in rec["content"]:
                    if c.get("id") is not None:
                        _index_one(index, dupes, c["id"], "content", c)
    return index, dupes


def _index_one(index: RecordIndex, dupes: dict[str, int], rid: str, layer: str, rec: dict[str, Any]) -> None:
    if rid in index:
        dupes[rid] = dupes.get(rid, 1) + 1
    else:
        index[rid] = (layer, rec)


@check("DUPLICATE_ID")
def record_ids(ctx: Context, scope: SetScope) -> None:
    """Each duplicated id once: arguments and relations could not tell its records apart."""
    for rec_id, count in scope.duplicate_ids.items():
        ctx.add("DUPLICATE_ID", (), rec_id, value=rec_id, count=count)


def points_at(index: RecordIndex, ref: str, layer: str) -> bool:
    """The fast path of :func:`expect_layer`: one lookup, no finding, no path built."""
    target = index.get(ref)
    return target is not None and target[0] == layer


def expect_layer(
    ctx: Context, index: RecordIndex, ref: str, layer: str, path: tuple[Any, ...], rec_id: str, what: str
) -> bool:
    """Whether ``ref`` names a record of ``layer``; reports ``REF_CODES`` when it does not."""
    target = index.get(ref)
    if target is None:
        ctx.add("DANGLING_REF", path, rec_id, what=what, value=ref)
        return False
    if target[0] != layer:
        ctx.add(
            "WRONG_REF_LAYER",
            path,
            rec_id,
            what=what,
            value=ref,
            found=target[0].rstrip("s"),
            expected=f"an {layer.rstrip('s')}" if layer[0] in "aeiou" else f"a {layer.rstrip('s')}",
        )
        return False
    return True
