"""Document-level labels of an annotation set whose values the JSON Schema cannot enumerate."""

from __future__ import annotations

from secnews.core.countries import COUNTRY_CODES
from secnews.core.findings import Rule, register
from secnews.validate.check import Context, SetScope, check

register(
    Rule(
        "UNKNOWN_COUNTRY",
        "Unknown country",
        "error",
        "{value!r} is not an ISO 3166-1 alpha-2 country code",
        "The countries label uses ISO 3166-1 alpha-2 codes (ML, BF, NE...).",
        "document",
    ),
)


@check("UNKNOWN_COUNTRY")
def labels(ctx: Context, scope: SetScope) -> None:
    """Countries are ISO 3166-1 alpha-2 codes (the schema only checks their shape)."""
    for j, c in enumerate(scope.ann["labels"]["countries"]):
        if c not in COUNTRY_CODES:
            ctx.add("UNKNOWN_COUNTRY", ("labels", "countries", j), value=c)
