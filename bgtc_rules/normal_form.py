"""Rewrite a rule's condition into the positive tests a pattern-matching engine can run.

Three-valued logic needs no negation-as-failure: a condition is *true* when one of its
"true terms" matches and *false* when one of its "false terms" matches; when neither
matches it is unknown. Each term is a conjunction of atoms on single facts, so it maps to
one Rete rule. `not` is pushed down to the leaves, where every test has an exact opposite
on a known fact (`<` and `>=`, `in` and `not_in`, `contains` and `contains_none`/`empty`).

The same pass enforces the limits of the durable-rules core, so that a rule base that
loads is one that every backend can run.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

from .leaves import Leaf, LeafValue
from .rulespec import Operator
from .ruletree import AllNode, AnyNode, ConceptNode, InForceNode, Node, NotNode

MAX_TERMS = 64          # terms per rule and polarity
MAX_SLOTS = 15          # facts joined by one term (engine: 16 message frames)
MAX_TESTS_PER_FACT = 48  # distinct tests on one fact path (engine: 64 alpha branches at once)

_OPPOSITE = {
    Operator.EQ: "ne", Operator.NE: "eq", Operator.LT: "ge", Operator.LE: "gt",
    Operator.GT: "le", Operator.GE: "lt", Operator.IN: "not_in",
}
_SAME = {Operator.EQ: "eq", Operator.NE: "ne", Operator.LT: "lt", Operator.LE: "le",
         Operator.GT: "gt", Operator.GE: "ge", Operator.IN: "in", Operator.CONTAINS: "contains"}


@dataclass(frozen=True)
class FactTest:
    """A test on a known fact (`known`/`unknown` test the status itself)."""

    path: str
    test: str
    value: LeafValue = None


@dataclass(frozen=True)
class ConceptTest:
    concept: str
    value: bool


Atom = FactTest | ConceptTest
Term = tuple[Atom, ...]


class RuleTooComplex(ValueError):
    """A rule exceeds what one Rete rule can express; split it with a concept."""


def leaf_tests(leaf: Leaf, want: bool) -> list[FactTest]:
    """The alternative tests that make `leaf` come out as `want`."""
    if leaf.op is Operator.EXISTS:
        return [FactTest(leaf.path, "known" if want else "unknown")]
    if leaf.op is Operator.CONTAINS and not want:
        return [FactTest(leaf.path, "contains_none", leaf.value), FactTest(leaf.path, "empty")]
    test = _SAME[leaf.op] if want else _OPPOSITE[leaf.op]
    return [FactTest(leaf.path, test, leaf.value)]


def _merge(atoms: tuple[Atom, ...]) -> Term | None:
    """Drop repeated atoms; a term asking a concept to be both true and false never matches."""
    unique = tuple(dict.fromkeys(atoms))
    concepts: dict[str, bool] = {}
    for atom in unique:
        if isinstance(atom, ConceptTest) and concepts.setdefault(atom.concept, atom.value) != atom.value:
            return None
    return unique


def terms(node: Node, want: bool) -> list[Term]:
    """Disjunctive normal form of "`node` evaluates to `want`" (in-force nodes excluded)."""
    if isinstance(node, (AllNode, AnyNode)):
        conjunctive = isinstance(node, AllNode) == want
        per_part = [terms(part, want) for part in node.parts]
        if not conjunctive:
            return [t for part in per_part for t in part]
        merged: list[Term] = []
        for combo in itertools.product(*per_part):
            term = _merge(tuple(a for t in combo for a in t))
            if term is not None:
                merged.append(term)
            if len(merged) > MAX_TERMS:
                raise RuleTooComplex(f"more than {MAX_TERMS} alternative matches")
        return merged
    if isinstance(node, NotNode):
        return terms(node.part, not want)
    if isinstance(node, ConceptNode):
        return [(ConceptTest(node.concept, want),)]
    if isinstance(node, InForceNode):
        raise TypeError("effective dates select rules before matching; they are not matched")
    return [(test,) for test in leaf_tests(node, want)]


def slots(term: Term) -> int:
    """Facts joined by a term: one per fact path or concept it tests."""
    return len({(type(a), getattr(a, "path", None) or getattr(a, "concept", None)) for a in term})


def check_rule_shape(when: Node) -> tuple[list[Term], list[Term]]:
    """Both normal forms of a rule condition, or `RuleTooComplex` saying which limit it breaks."""
    true_terms, false_terms = terms(when, True), terms(when, False)
    for term in (*true_terms, *false_terms):
        if slots(term) > MAX_SLOTS:
            raise RuleTooComplex(f"a match joins {slots(term)} facts (at most {MAX_SLOTS})")
    if len(true_terms) > MAX_TERMS or len(false_terms) > MAX_TERMS:
        raise RuleTooComplex(f"more than {MAX_TERMS} alternative matches")
    return true_terms, false_terms


def crowded_paths(all_terms: list[Term]) -> dict[str, int]:
    """Fact paths tested in more distinct ways than the engine can match at once."""
    tests = Counter(a.path for a in {a for t in all_terms for a in t} if isinstance(a, FactTest))
    return {path: n for path, n in tests.items() if n > MAX_TESTS_PER_FACT}
