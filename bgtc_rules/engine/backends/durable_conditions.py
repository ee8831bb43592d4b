"""The JSON the durable-rules engine matches: facts' values, each fact test's conditions, a
term's named slots, and the facts an action's slots matched, read back. Plain data: this module
imports nothing of durable-rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from bgtc_rules.language.catalog import FactValue, fact_catalog
from bgtc_rules.language.leaves import LeafValue
from bgtc_rules.language.normal_form import ConceptTest, FactTest, Term
from bgtc_rules.language.operators import Operator


def encode(value: LeafValue | FactValue) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    return value


# durable-rules' condition for each operator, on a fact's `k` (1 known, 0 unknown), `n` (a list's
# length) and `v` (its value; `$i` an item of it), given the encoded test value. The operators'
# meaning is defined once, in `language.operators`; this table is only durable's spelling of it,
# kept here because that JSON dialect is this backend's business and no other module may know it.
# A new operator adds one line; `tests/test_operators.py` checks every operator has one and agrees.
CONDITIONS: dict[Operator, Callable[[Any], list[dict[str, Any]]]] = {
    Operator.EQ: lambda v: [{"k": 1}, {"$eq": {"v": v}}],
    Operator.NE: lambda v: [{"k": 1}, {"$neq": {"v": v}}],
    Operator.LT: lambda v: [{"k": 1}, {"$lt": {"v": v}}],
    Operator.LE: lambda v: [{"k": 1}, {"$lte": {"v": v}}],
    Operator.GT: lambda v: [{"k": 1}, {"$gt": {"v": v}}],
    Operator.GE: lambda v: [{"k": 1}, {"$gte": {"v": v}}],
    Operator.IN: lambda v: [{"k": 1}, {"$or": [{"v": x} for x in v]}],
    Operator.CONTAINS: lambda v: [{"k": 1}, {"$iany": {"v": {"$or": [{"$i": x} for x in v]}}}],
    Operator.EXISTS: lambda v: [{"k": 1}],
    Operator.NOT_IN: lambda v: [{"k": 1}, {"$and": [{"$neq": {"v": x}} for x in v]}],
    Operator.CONTAINS_NONE: lambda v: [{"k": 1}, {"$iall": {"v": {"$and": [{"$neq": {"$i": x}} for x in v]}}}],
    Operator.EMPTY: lambda v: [{"k": 1}, {"n": 0}],
    Operator.UNKNOWN: lambda v: [{"k": 0}],
}


def fact_conditions(test: FactTest) -> list[dict[str, Any]]:
    """durable-rules conditions for one test, after the `t`/`p` discriminators."""
    return CONDITIONS[test.test](encode(test.value))


def term_slots(term: Term) -> dict[str, dict[str, Any]]:
    """One named slot per fact or concept the term joins (durable fact names m0, m1, ...)."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for atom in term:
        if isinstance(atom, ConceptTest):
            grouped.setdefault(("c", atom.concept), [{"t": "c"}, {"n": atom.concept}]).append({"v": atom.value})
        else:
            grouped.setdefault(("f", atom.path), [{"t": "f"}, {"p": atom.path}]).extend(fact_conditions(atom))
    return {f"m{i}": {"$and": conditions} for i, conditions in enumerate(grouped.values())}


def matched_facts(c: Any, names: list[str]) -> tuple[tuple[str, Any], ...]:
    kinds = fact_catalog()
    found: list[tuple[str, Any]] = []
    for name in names:
        fact = dict(getattr(c, name).items())  # the engine's wrapper maps attributes to properties
        if fact["t"] == "c":
            found.append((f"concept:{fact['n']}", fact["v"]))
            continue
        value = fact.get("v")
        kind = kinds[fact["p"]].kind
        if kind == "date" and value is not None:
            value = dt.date.fromordinal(value)
        elif isinstance(value, list):
            value = tuple(value)
        found.append((fact["p"], value))
    return tuple(found)
