"""Events: trigger spans, fatalities, and arguments checked against the taxonomy's roles.

A correct argument (the common case) is cleared in the loop of :func:`events` with one lookup and two set
tests; only a failing one is diagnosed by :func:`_check_argument`, which may report several codes.
"""

from __future__ import annotations

from typing import Any

from secnews.core.findings import Rule, register
from secnews.core.taxonomy import TIMEX_REF, Taxonomy
from secnews.validate.check import Context, RecordIndex, SetScope, check
from secnews.validate.references import REF_CODES
from secnews.validate.spans import SPAN_CODES, check_span, span_ok

register(
    Rule(
        "ROLE_NOT_ALLOWED",
        "Role not allowed for event type",
        "error",
        "role {role} is not allowed for {event_type} (allowed: {allowed})",
        "The taxonomy lists which roles each event type takes (schema/taxonomy.yaml, event_types[].roles).",
        "reference",
    ),
    Rule(
        "ROLE_ENTITY_TYPE",
        "Wrong entity type for role",
        "error",
        "role {role} accepts {allowed}, but {value!r} is a {found}",
        "The taxonomy lists which entity types each role accepts (schema/taxonomy.yaml, roles[].accepts).",
        "reference",
    ),
    Rule(
        "DUPLICATE_ARGUMENT",
        "Duplicate argument",
        "warning",
        "argument {role} -> {value!r} is listed twice",
        "A repeated argument is a double entry.",
        "reference",
    ),
    Rule(
        "FATALITIES_RANGE",
        "Fatalities range inverted",
        "error",
        "fatalities min {min} is greater than max {max}",
        "Fatalities are a reported range {min, max}; ACLED keeps the lowest.",
        "reference",
    ),
)

_ARGUMENT_CODES = ("DUPLICATE_ARGUMENT", "ROLE_NOT_ALLOWED", "ROLE_ENTITY_TYPE", *REF_CODES)


@check(*SPAN_CODES, "FATALITIES_RANGE", *_ARGUMENT_CODES)
def events(ctx: Context, scope: SetScope) -> None:
    """Each event's trigger, fatalities range and arguments."""
    tax, index = ctx.tax, scope.index
    role_accepts = tax.role_accepts
    for i, ev in enumerate(scope.ann["events"]):
        path = ("events", i)
        if not span_ok(ev["trigger"], scope.text):
            check_span(ctx, ev["trigger"], (*path, "trigger"), scope.text, ev["id"])
        fat = ev["fatalities"]
        if fat and fat["min"] is not None and fat["max"] is not None and fat["min"] > fat["max"]:
            ctx.add("FATALITIES_RANGE", (*path, "fatalities"), ev["id"], min=fat["min"], max=fat["max"])
        allowed = tax.allowed_roles(ev["type"])
        seen: set[tuple[str, str]] = set()
        for j, arg in enumerate(ev["arguments"]):
            # the fast path, inline (a dozen arguments a document): one lookup, two set tests
            key = (arg["role"], arg["ref"])
            target = index.get(key[1])
            if (
                target is None
                or key[0] not in allowed
                or key in seen
                or not (
                    target[1]["type"] in role_accepts(key[0])
                    if target[0] == "entities"
                    else target[0] == "timexes" and TIMEX_REF in role_accepts(key[0])
                )
            ):
                _check_argument(ctx, ev, arg, (*path, "arguments", j), index, tax, allowed, seen)
            seen.add(key)


def _check_argument(
    ctx: Context,
    ev: dict[str, Any],
    arg: dict[str, Any],
    path: tuple[Any, ...],
    index: RecordIndex,
    tax: Taxonomy,
    allowed: frozenset[str],
    seen: set[tuple[str, str]],
) -> None:
    """Every way the argument is wrong: repeated, role not allowed, and what its ref points at."""
    role, ref = arg["role"], arg["ref"]
    if (role, ref) in seen:
        ctx.add("DUPLICATE_ARGUMENT", path, ev["id"], role=role, value=ref)
    if role not in allowed:
        ctx.add(
            "ROLE_NOT_ALLOWED",
            path,
            ev["id"],
            role=role,
            event_type=ev["type"],
            allowed=", ".join(sorted(allowed)),
        )
    _check_argument_target(ctx, ev["id"], role, ref, (*path, "ref"), index, tax)


def _check_argument_target(
    ctx: Context, ev_id: str, role: str, ref: str, path: tuple[Any, ...], index: RecordIndex, tax: Taxonomy
) -> None:
    """The ref resolves, to the layer the role takes (a timex for TIME), of a type the role accepts."""
    target = index.get(ref)
    if target is None:
        ctx.add("DANGLING_REF", path, ev_id, what=f"argument {role}", value=ref)
        return
    layer, rec = target
    accepts = tax.role_accepts(role)
    wants_timex = TIMEX_REF in accepts
    if (wants_timex and layer != "timexes") or (not wants_timex and layer != "entities"):
        expected = "a timex" if wants_timex else "an entity"
        ctx.add(
            "WRONG_REF_LAYER",
            path,
            ev_id,
            what=f"argument {role}",
            value=ref,
            found=layer.rstrip("s"),
            expected=expected,
        )
        return
    if layer == "entities" and rec["type"] not in accepts:
        ctx.add(
            "ROLE_ENTITY_TYPE",
            path,
            ev_id,
            role=role,
            allowed=", ".join(sorted(accepts)),
            value=ref,
            found=rec["type"],
        )
