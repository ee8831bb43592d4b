"""The operators of fact tests, each defined once: how it holds on a value, its negation, its plain
words, the Python the generated evaluator inlines for it, and what the engine limits count.

A rule writes nine of them (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `contains`, `exists`). The
normal form (`language.normal_form`) pushes `not` down to the leaves and needs the exact opposite
of each on a known fact; four of those are not written by rules (`not_in`, `contains_none`,
`empty`, `unknown`), so they are members here too, refused by the rule language.

Every evaluator reads these definitions: `leaves.leaf_truth` (the reference), the code
`valuation` generates, `reach.test_holds` (the normal form's tests), the counterfactual search,
and each engine backend, which keeps one table from operator to its own condition (durable-rules
may only be imported under `engine/backends/`, and its JSON dialect is that backend's business).
Adding an operator is one member below, plus one line in each backend's table; the tests check
that every evaluator and every table agrees on every member.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Literal

ValueShape = Literal["none", "single", "list", "one or many"]
_ALL_KINDS = frozenset({"bool", "int", "float", "date", "str", "enum", "enum_list", "items"})
_EQUALITY = frozenset({"bool", "int", "date", "str", "enum"})
_ORDER = frozenset({"int", "float", "date"})
_CHOICE = frozenset({"int", "str", "enum"})
_LISTS = frozenset({"enum_list", "items"})
_NOT_WRITTEN: frozenset[str] = frozenset()  # the normal form's own opposites: no rule writes them
_NOT_NEGATED: tuple[str, ...] = ()  # only a rule's own operators are negated


def _contains(actual: Any, target: Any) -> bool:
    return any(item in target for item in actual)


class Operator(StrEnum):
    """A test on one fact. The value is the operator as a rule writes it (or, for the normal form's
    own opposites, as the engine-limit messages name it).

    Examples:
        >>> Operator.LT.truth(150000, 200000), Operator.LT.truth(None, 200000), Operator.EXISTS.truth(None, None)
        (True, None, False)
        >>> Operator.CONTAINS.negation, Operator("<").words
        ((<Operator.CONTAINS_NONE: 'contains_none'>, <Operator.EMPTY: 'empty'>), 'is less than')
    """

    # symbol, normal-form name, holds on a known value, negation (member names), words, value shape,
    # fact kinds a rule may use it on, Python the generated evaluator inlines (`x` the fact, `{value}`),
    # and whether it tests if the fact is known (then it is never unknown)
    EQ = ("==", "eq", lambda a, t: bool(a == t), ("NE",), "is", "single", _EQUALITY, "x == {value}")
    NE = ("!=", "ne", lambda a, t: bool(a != t), ("EQ",), "is not", "single", _EQUALITY, "x != {value}")
    LT = ("<", "lt", lambda a, t: bool(a < t), ("GE",), "is less than", "single", _ORDER, "x < {value}")
    LE = ("<=", "le", lambda a, t: bool(a <= t), ("GT",), "is at most", "single", _ORDER, "x <= {value}")
    GT = (">", "gt", lambda a, t: bool(a > t), ("LE",), "is more than", "single", _ORDER, "x > {value}")
    GE = (">=", "ge", lambda a, t: bool(a >= t), ("LT",), "is at least", "single", _ORDER, "x >= {value}")
    IN = ("in", "in", lambda a, t: a in t, ("NOT_IN",), "is one of", "list", _CHOICE, "x in {value}")
    CONTAINS = ("contains", "contains", _contains, ("CONTAINS_NONE", "EMPTY"), "includes", "one or many", _LISTS,
                None)
    # Tests whether the fact is known at all: the only test that is never unknown.
    EXISTS = ("exists", "known", lambda a, t: a is not None, ("UNKNOWN",), "is known", "none", _ALL_KINDS,
              "x is not None", True)
    # The normal form's opposites: never written by a rule, never negated again.
    NOT_IN = ("not_in", "not_in", lambda a, t: a not in t, _NOT_NEGATED, "is not one of", "list", _NOT_WRITTEN, None)
    CONTAINS_NONE = ("contains_none", "contains_none", lambda a, t: bool(a) and not _contains(a, t), _NOT_NEGATED,
                     "includes none of", "one or many", _NOT_WRITTEN, None)
    EMPTY = ("empty", "empty", lambda a, t: len(a) == 0, _NOT_NEGATED, "is empty", "none", _NOT_WRITTEN, None)
    UNKNOWN = ("unknown", "unknown", lambda a, t: a is None, _NOT_NEGATED, "is unknown", "none", _NOT_WRITTEN,
               "x is None", True)

    test_name: str
    holds_on_known: Callable[[Any, Any], bool]
    words: str
    value_shape: ValueShape
    kinds: frozenset[str]
    python: str | None
    _negation: tuple[str, ...]
    on_status: bool

    def __new__(cls, symbol: str, test_name: str, holds: Callable[[Any, Any], bool], negation: tuple[str, ...],
                words: str, value_shape: ValueShape, kinds: frozenset[str], python: str | None,
                on_status: bool = False) -> Operator:
        member = str.__new__(cls, symbol)
        member._value_ = symbol
        member.test_name = test_name  # the normal form's name for the test (engine-limit messages use it)
        member.holds_on_known = holds
        member._negation = negation
        member.words = words  # the plain words between a fact and its value, as the handbook writes them
        member.value_shape = value_shape
        member.kinds = kinds
        member.python = python
        member.on_status = on_status
        return member

    @property
    def authored(self) -> bool:
        """Whether a rule may write it (the others are the normal form's opposites)."""
        return bool(self.kinds)

    @property
    def takes_value(self) -> bool:
        return self.value_shape != "none"

    @property
    def takes_list(self) -> bool:
        """Whether its value is a list of values (the engine tests each in an expression slot)."""
        return self.value_shape in ("list", "one or many")

    @property
    def negation(self) -> tuple[Operator, ...]:
        """The tests of which one holds exactly when this one fails on a known fact (on an unknown
        one, the negation of a test is unknown too, except for `exists`)."""
        return tuple(Operator[name] for name in self._negation)

    def truth(self, actual: Any, target: Any) -> bool | None:
        """Three-valued: `None` when the fact is unknown (`actual is None`), except for `exists`
        and `unknown`, which test exactly that."""
        if actual is None and not self.on_status:
            return None
        return self.holds_on_known(actual, target)

    def holds(self, actual: Any, target: Any) -> bool:
        """Two-valued, for the normal form: a test on an unknown fact does not hold."""
        return self.truth(actual, target) is True

    def applies_to(self, kind: str) -> bool:
        """Whether a rule may test a fact of this kind with it."""
        return kind in self.kinds


AUTHORED = tuple(op for op in Operator if op.authored)
# The tests the engine builds anew for every term that makes them, instead of sharing one node among
# them (an `$or`, `$iany` or `$iall` of values): the engine-limit checks count them once per term.
ENGINE_BUILDS_ANEW = frozenset({Operator.IN, Operator.CONTAINS, Operator.CONTAINS_NONE})
