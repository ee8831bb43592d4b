"""Every evaluator agrees with the one definition of each operator (`language.operators`): the
reference `leaf_truth`, the generated valuation, the normal form's positive tests and their
negations, and the durable-rules conditions. Unknown is never false, except for `exists`."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bgtc_rules.engine import reach
from bgtc_rules.engine.backends import durable_available
from bgtc_rules.engine.backends.durable_conditions import CONDITIONS, encode, fact_conditions
from bgtc_rules.language.leaves import Leaf, leaf_truth
from bgtc_rules.language.normal_form import FactTest, leaf_tests
from bgtc_rules.language.operators import AUTHORED, Operator
from bgtc_rules.language.tree import AllNode, InForceNode
from bgtc_rules.language.valuation import ValuationPlan

AS_OF = dt.date(2026, 1, 1)
_SCALARS = st.one_of(st.integers(-3, 3), st.sampled_from(["a", "b", "c"]), st.booleans(),
                     st.dates(dt.date(2019, 12, 30), dt.date(2020, 1, 3)))
_ITEMS = st.lists(st.sampled_from(["a", "b", "c", "k=v;x=y"]), max_size=3, unique=True).map(tuple)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Operator, Any, Any]:
    """An operator, a target of its value shape, and a fact value (sometimes unknown) of the same kind."""
    op = draw(st.sampled_from(list(Operator)))
    if op.value_shape == "single":
        kind = draw(st.sampled_from([st.integers(-3, 3), st.sampled_from(["a", "b"]), st.booleans(),
                                     st.dates(dt.date(2019, 12, 30), dt.date(2020, 1, 3))]))
        if op not in (Operator.EQ, Operator.NE):
            kind = draw(st.sampled_from([st.integers(-3, 3), st.dates(dt.date(2019, 12, 30), dt.date(2020, 1, 3))]))
        target, actual = draw(kind), draw(st.none() | kind)
    elif op.value_shape == "list":
        target, actual = tuple(draw(st.lists(st.integers(-3, 3), max_size=4))), draw(st.none() | st.integers(-3, 3))
    elif op.value_shape == "one or many":
        target, actual = draw(_ITEMS.filter(bool)), draw(st.none() | _ITEMS)
    else:  # `empty` tests a list; `exists` and `unknown` any fact
        target, actual = None, draw(st.none() | (_ITEMS if op is Operator.EMPTY else _SCALARS | _ITEMS))
    return op, target, actual


def _generated(leaf: Leaf, actual: Any) -> Any:
    """The leaf's value as the code `valuation` generates computes it."""
    rule = SimpleNamespace(id="r", concept=None, in_force=InForceNode(dt.date(2000, 1, 1), None))
    rule.root = AllNode((rule.in_force, leaf))
    plan = ValuationPlan([rule])  # type: ignore[list-item]
    return plan.evaluate({"p": actual}, AS_OF)[leaf]


def _normal_form(leaf: Leaf, actual: Any) -> Any:
    """True when a true test holds, False when a false one does, unknown when neither does."""
    true = any(reach.test_holds(t, actual) for t in leaf_tests(leaf, True))
    false = any(reach.test_holds(t, actual) for t in leaf_tests(leaf, False))
    assert not (true and false), leaf
    return True if true else False if false else None


@settings(max_examples=400, deadline=None)
@given(case=_cases())
def test_every_evaluator_gives_each_operator_its_definition(case: tuple[Operator, Any, Any]) -> None:
    op, target, actual = case
    leaf = Leaf("p", op, target)
    expected = op.truth(actual, target)
    assert expected is (None if actual is None and not op.on_status else op.holds_on_known(actual, target))
    assert leaf_truth(leaf, actual) is expected
    assert _generated(leaf, actual) is expected
    assert reach.test_holds(FactTest("p", op, target), actual) is (expected is True)
    if op.authored:  # a rule's own operators are negated by the normal form
        assert _normal_form(leaf, actual) is expected


def test_every_operator_is_defined_everywhere() -> None:
    assert set(CONDITIONS) == set(Operator)
    assert [op.value for op in AUTHORED] == ["==", "!=", "<", "<=", ">", ">=", "in", "contains", "exists"]
    for op in AUTHORED:
        assert op.kinds and op.words and op.negation, op
        assert all(not n.authored or n.negation == (op,) for n in op.negation), op
    assert {op.test_name for op in Operator} >= {"eq", "known", "unknown", "not_in", "contains_none", "empty"}


# -- durable-rules: each operator's condition fires exactly when the definition holds ----------------

_GRID: list[tuple[Operator, Any, Any]] = [
    *((op, t, a) for op in (Operator.EQ, Operator.NE, Operator.LT, Operator.LE, Operator.GT, Operator.GE)
      for t in (2, dt.date(2020, 1, 1)) for a in (1, 2, 3, dt.date(2019, 12, 31), dt.date(2020, 1, 1), None)
      if a is None or type(a) is type(t)),
    *((op, t, a) for op in (Operator.EQ, Operator.NE) for t in ("a", True) for a in ("a", "b", True, False)
      if type(a) is type(t)),
    *((op, (1, 3), a) for op in (Operator.IN, Operator.NOT_IN) for a in (1, 2, 3, None)),
    *((op, ("a", "b"), a) for op in (Operator.CONTAINS, Operator.CONTAINS_NONE, Operator.EMPTY)
      for a in ((), ("a",), ("c",), ("c", "b"), None)),
    *((op, None, a) for op in (Operator.EXISTS, Operator.UNKNOWN) for a in (0, (), "a", None)),
]


@pytest.mark.skipif(not durable_available(), reason="durable-rules is not importable here")
def test_durable_conditions_fire_exactly_when_the_operator_holds() -> None:
    from .test_engine_limits import _run

    # One rule per case, on a fact of its own, asserted as the durable backend asserts facts.
    for index, (op, target, actual) in enumerate(_GRID):
        test = FactTest(f"p{index}", op, None if op in (Operator.EMPTY,) else target)
        condition = {"$and": [{"t": "f"}, {"p": test.path}, *fact_conditions(test)]}
        fact: dict[str, Any] = {"t": "f", "p": test.path, "k": 0}
        if actual is not None:
            fact.update(k=1, v=encode(actual), **({"n": len(actual)} if isinstance(actual, tuple) else {}))
        fired = _run({"r": {"all": [{"m": condition}]}}, [fact])
        assert bool(fired) is op.holds(actual, target), (op, target, actual)
