"""Relations: both ends resolve, to the layers the relation type names, and are two records."""

from __future__ import annotations

from secnews.core.findings import Rule, register
from secnews.validate.check import Context, SetScope, check
from secnews.validate.references import REF_CODES, expect_layer, points_at

register(
    Rule(
        "SELF_RELATION",
        "Relation to itself",
        "error",
        "relation {value!r} links {head!r} to itself",
        "A relation needs two different records.",
        "reference",
    ),
)


@check(*REF_CODES, "SELF_RELATION")
def relations(ctx: Context, scope: SetScope) -> None:
    """Each relation's head and tail against the layers its type takes (schema/taxonomy.yaml)."""
    index = scope.index
    for i, rel in enumerate(scope.ann["relations"]):
        path = ("relations", i)
        head_layer, tail_layer = ctx.tax.relation_layers(rel["type"])
        head, tail = rel["head"], rel["tail"]
        if not (points_at(index, head, head_layer) and points_at(index, tail, tail_layer)):
            what = f"relation {rel['type']}"
            expect_layer(ctx, index, head, head_layer, (*path, "head"), rel["id"], f"{what} head")
            expect_layer(ctx, index, tail, tail_layer, (*path, "tail"), rel["id"], f"{what} tail")
        if head == tail:
            ctx.add("SELF_RELATION", path, rel["id"], value=rel["id"], head=rel["head"])
