"""Typed fact tests: check a rule's fact condition against the catalogue, and evaluate it.

A `Leaf` is a fact condition whose value has been checked against the fact's type and
normalised (enumerations as strings, `in` values as tuples, `contains` on a list of objects
as the tuple of item signatures it admits). Evaluation is three-valued: an unknown fact
gives `None`, never `False`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.language.catalog import MAX_SIGNATURES, FactType, FactValue
from bgtc_rules.language.operators import AUTHORED, Operator
from bgtc_rules.language.spec import FactCondition
from bgtc_rules.language.truth import Truth as Truth  # three-valued truth, defined with its marks and words

LeafValue = bool | int | float | str | dt.date | tuple[Any, ...] | None


@dataclass(frozen=True)
class Leaf:
    """One test on one fact path: its operator and the value it compares with."""

    path: str
    op: Operator
    value: LeafValue
    label: str = field(default="", compare=False)
    says: str = field(default="", compare=False)  # the rule's sentence for the condition (see `spec.FactCondition`)
    says_not: str = field(default="", compare=False)

    def describe(self) -> str:
        """Readable form, as the rule wrote it, e.g. `indication.us_prevalence < 200000`.

        Examples:
            >>> Leaf("indication.serious", Operator.EQ, True).describe()
            'indication.serious == true'
        """
        if not self.op.takes_value:
            return f"{self.path} {self.op.words}"
        return f"{self.path} {self.op.value} {self.label or show(self.value)}"


def display_value(value: Any) -> str:
    """A fact value for people: `unknown` when absent, otherwise as a rule author writes it.

    Examples:
        >>> display_value(None), display_value(True), display_value(("a", "b"))
        ('unknown', 'true', '[a, b]')
    """
    return "unknown" if value is None else show(value)


def show(value: Any) -> str:
    """A value as a rule author writes it: `true`, `[a, b]`, `{kind: clinical}`.

    Examples:
        >>> show({"kind": ["clinical", "surrogate"], "effect": "improvement"})
        '{kind: [clinical, surrogate], effect: improvement}'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _scalar(fact: FactType, value: Any) -> Any:
    kind = fact.kind if not fact.is_list else "enum"
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind == "date" and isinstance(value, dt.date):
        return value
    if kind == "str" and isinstance(value, str):
        return value
    if kind == "enum" and isinstance(value, str) and value in fact.domain:
        return value
    kinds = {"bool": "true or false", "int": "a whole number", "float": "a number", "date": "a date (YYYY-MM-DD)",
             "str": "text"}
    expected = f"one of {list(fact.domain)}" if fact.domain else kinds.get(kind, kind)
    raise ValueError(f"{fact.path}: expected {expected}, got {value!r}")


def _item_value(fact: FactType, spec: Any) -> tuple[str, ...]:
    if not isinstance(spec, dict) or not spec:
        raise ValueError(f"{fact.path}: 'contains' on a list of objects takes a mapping of item properties")
    props = {p.name: p for p in fact.item_properties}
    wanted: dict[str, tuple[str, ...]] = {}
    for name, raw in spec.items():
        if name not in props:
            raise ValueError(f"{fact.path}: items have no property {name!r}; expected one of {sorted(props)}")
        values = raw if isinstance(raw, list) else [raw]
        text = tuple(("true" if v else "false") if isinstance(v, bool) else v for v in values)
        bad = [v for v in text if v not in props[name].domain]
        if bad:
            raise ValueError(f"{fact.path}[].{name}: {bad[0]!r} is not one of {list(props[name].domain)}")
        wanted[name] = text
    signatures = fact.signatures(wanted)
    if len(signatures) > MAX_SIGNATURES:
        raise ValueError(f"{fact.path}: condition admits {len(signatures)} item kinds; narrow it "
                         f"(at most {MAX_SIGNATURES})")
    return signatures


def make_leaf(condition: FactCondition, fact: FactType) -> Leaf:
    """Check `condition` against the fact's type; raise `ValueError` saying what was expected."""
    words = {"says": condition.says or "", "says_not": condition.says_not or ""}
    op = condition.op
    if not op.takes_value:
        return Leaf(fact.path, op, None, **words)
    if not op.applies_to(fact.kind):
        allowed = [*sorted(o.value for o in AUTHORED if o.takes_value and o.applies_to(fact.kind)),
                   *(o.value for o in AUTHORED if not o.takes_value)]
        raise ValueError(f"{fact.path} ({fact.kind}) does not support {op.value!r}; use one of {allowed}")
    value = condition.value
    if fact.kind == "items":
        return Leaf(fact.path, op, _item_value(fact, value), show(value), **words)
    if op.value_shape == "list" or fact.kind == "enum_list":
        values = value if isinstance(value, list) else [value]
        return Leaf(fact.path, op, tuple(_scalar(fact, v) for v in values), **words)
    return Leaf(fact.path, op, _scalar(fact, value), **words)


def leaf_truth(leaf: Leaf, value: FactValue | None) -> Truth:
    """Evaluate a leaf on a fact value: `True`, `False`, or `None` when the fact is unknown
    (the operator's own definition: `Operator.truth`).

    Examples:
        >>> leaf_truth(Leaf("p", Operator.LT, 200000), 150000)
        True
        >>> leaf_truth(Leaf("p", Operator.LT, 200000), None) is None
        True
        >>> leaf_truth(Leaf("p", Operator.EXISTS, None), None)
        False
    """
    return leaf.op.truth(value, leaf.value)
