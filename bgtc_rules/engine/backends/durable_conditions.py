"""The JSON the durable-rules engine matches: facts' values, each fact test's conditions, a
term's named slots, and the facts an action's slots matched, read back. Plain data: this module
imports nothing of durable-rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bgtc_rules.language.catalog import FactValue, fact_catalog
from bgtc_rules.language.leaves import LeafValue
from bgtc_rules.language.normal_form import ConceptTest, FactTest, Term


def encode(value: LeafValue | FactValue) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    return value


def fact_conditions(test: FactTest) -> list[dict[str, Any]]:
    """durable-rules conditions for one test, after the `t`/`p` discriminators."""
    value = encode(test.value)
    simple = {"eq": "$eq", "ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}
    match test.test:
        case "known":
            return [{"k": 1}]
        case "unknown":
            return [{"k": 0}]
        case "empty":
            return [{"k": 1}, {"n": 0}]
        case "in":
            return [{"k": 1}, {"$or": [{"v": v} for v in value]}]
        case "not_in":
            return [{"k": 1}, {"$and": [{"$neq": {"v": v}} for v in value]}]
        case "contains":
            return [{"k": 1}, {"$iany": {"v": {"$or": [{"$i": v} for v in value]}}}]
        case "contains_none":
            return [{"k": 1}, {"$iall": {"v": {"$and": [{"$neq": {"$i": v}} for v in value]}}}]
        case name if name in simple:
            return [{"k": 1}, {simple[name]: {"v": value}}]
    raise ValueError(f"unknown test {test.test!r}")


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
