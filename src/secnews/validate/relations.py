"""Relations: both ends resolve, to the layers the relation type names, and are two records."""

from __future__ import annotations

from secnews.core.findings import Rule, register
from secnews.validate.check import Context, SetScope, check
from secnews.validate.references import REF_CODES, expect_layer

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
    for i, rel in enumerate(scope.ann["relations"]):
        path = ("relations", i)
        head_layer, tail_layer = ctx.tax.relation_layers(rel["type"])
        what = f"relation {rel['type']}"
        expect_layer(ctx, scope.index, rel["head"], head_layer, (*path, "head"), rel["id"], f"{what} head")
        expect_layer(ctx, scope.index, rel["tail"], tail_layer, (*path, "tail"), rel["id"], f"{what} tail")
        if rel["head"] == rel["tail"]:
            ctx.add("SELF_RELATION", path, rel["id"], value=rel["id"], head=rel["head"])
