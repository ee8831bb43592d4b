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
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bgtc_rules.language.leaves import Leaf, LeafValue
from bgtc_rules.language.operators import ENGINE_BUILDS_ANEW, Operator
from bgtc_rules.language.tree import AllNode, AnyNode, ConceptNode, InForceNode, Node, NotNode

MAX_TERMS = 64          # terms per rule and polarity
MAX_COMBINATIONS = 4096  # combinations of alternatives tried for one `all` (bounds the work of loading)
MAX_SLOTS = 15          # facts joined by one term (engine: 16 message frames)
MAX_TESTS_PER_FACT = 48  # tests on one fact path that can hold at once (engine: 64 alpha branches at once)
MAX_LIST_TESTS = 14     # `in`/`contains` tests on one fact in one term (engine: 31 expression slots, 2 each)
MAX_BRANCHES = 500      # values and tests one node branches into: per fact path, concepts, fact paths,
#                         rules refuting a shared concept (engine: 512 slots; a full node never returns)
MAX_MATCHES = 4000      # terms in one rule set, both polarities (engine: 4096 rules per ruleset)
MAX_SHARING = 250       # terms ending in one identical fact or concept condition (engine: 256 per node)


@dataclass(frozen=True)
class FactTest:
    """A test on a known fact (`exists`/`unknown` test the status itself)."""

    path: str
    test: Operator
    value: LeafValue = None

    def __repr__(self) -> str:  # by the normal form's name of the test: the search for changes orders by it
        return f"FactTest(path={self.path!r}, test={self.test.test_name!r}, value={self.value!r})"


@dataclass(frozen=True)
class ConceptTest:
    """A concept holding (or not, with `value` false)."""

    concept: str
    value: bool


Atom = FactTest | ConceptTest
Term = tuple[Atom, ...]


class RuleTooComplex(ValueError):
    """A rule exceeds what one Rete rule can express; split it with a concept."""


def leaf_tests(leaf: Leaf, want: bool) -> list[FactTest]:
    """The alternative tests that make `leaf` come out as `want`."""
    tests = (leaf.op,) if want else leaf.op.negation
    return [FactTest(leaf.path, test, leaf.value if test.takes_value else None) for test in tests]


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
            alternatives = [t for part in per_part for t in part]
            if len(alternatives) > MAX_TERMS:
                raise RuleTooComplex(f"more than {MAX_TERMS} alternative matches")
            return alternatives
        merged: list[Term] = []
        # Most combinations may contradict each other and merge to nothing: bound the work, not the result.
        for examined, combo in enumerate(itertools.product(*per_part)):
            if examined == MAX_COMBINATIONS:
                raise RuleTooComplex(f"more than {MAX_COMBINATIONS} combinations of alternatives to try")
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
        lists = Counter(a.path for a in term if isinstance(a, FactTest) and a.test.takes_list)
        for path, count in lists.items():
            if count > MAX_LIST_TESTS:
                raise RuleTooComplex(f"a match tests {path} against {count} lists of values (at most {MAX_LIST_TESTS})")
    if len(true_terms) > MAX_TERMS or len(false_terms) > MAX_TERMS:
        raise RuleTooComplex(f"more than {MAX_TERMS} alternative matches")
    return true_terms, false_terms


def _width(test: FactTest) -> int:
    """Branches a test adds under its fact: one per value of an `in` list, else one."""
    if test.test.value_shape == "list" and isinstance(test.value, tuple):
        return len(test.value)
    return 1


def _per_path(all_terms: list[Term], distinct: bool) -> dict[str, int]:
    """Per fact path: distinct tests (or their total width), counting unshared tests once per term."""
    shared = {a for t in all_terms for a in t if isinstance(a, FactTest) and _shared(a)}
    unshared = [a for t in all_terms for a in t if isinstance(a, FactTest) and not _shared(a)]
    counts: Counter[str] = Counter()
    for test in itertools.chain(shared, unshared):
        counts[test.path] += 1 if distinct else _width(test)
    return dict(counts)


def _shared(test: FactTest) -> bool:
    """Whether the engine shares one node among the terms making this test."""
    return test.test not in ENGINE_BUILDS_ANEW


def crowded_paths(all_terms: list[Term]) -> dict[str, int]:
    """Fact paths tested in more ways than the engine can match at once."""
    return {path: n for path, n in _per_path(all_terms, True).items() if n > MAX_TESTS_PER_FACT}


@dataclass(frozen=True)
class LimitProblem:
    """A rule set that the Rete engine cannot hold; `subject` is the fact path or concept, if one."""

    kind: str
    subject: str | None
    message: str


def _subjects(term: Term) -> Iterable[str]:
    return (a.path if isinstance(a, FactTest) else a.concept for a in term)


def network_problems(all_terms: list[Term], refuting_rules: int) -> list[LimitProblem]:
    """What a rule set with these terms (every rule, both polarities) would overflow in the engine.

    `refuting_rules` counts the rules that conclude a concept some other rule concludes too:
    each refutes its concept by a fact of its own, and those facts branch from one node.
    """
    problems = [LimitProblem("at_once", path, f"fact is tested {n} different ways (at most {MAX_TESTS_PER_FACT}); "
                                              "read it through a concept instead")
                for path, n in crowded_paths(all_terms).items()]
    problems.extend(LimitProblem("branches", path, f"fact is tested against {n} values and conditions "
                                                   f"(at most {MAX_BRANCHES}); read it through a concept instead")
                    for path, n in _per_path(all_terms, False).items() if n > MAX_BRANCHES)
    paths = {a.path for t in all_terms for a in t if isinstance(a, FactTest)}
    concepts = {a.concept for t in all_terms for a in t if isinstance(a, ConceptTest)}
    for count, what in ((len(paths), "fact paths are read"), (len(concepts), "concepts are read"),
                        (refuting_rules, "rules conclude a concept that other rules conclude too")):
        if count > MAX_BRANCHES:
            problems.append(LimitProblem(what, None, f"{count} {what} (at most {MAX_BRANCHES}); split the rule set"))
    matches = len(all_terms) + refuting_rules + 1
    if matches > MAX_MATCHES:
        problems.append(LimitProblem("matches", None, f"the rules need {matches} matches (at most {MAX_MATCHES}); "
                                                      "split the rule set or simplify rules with many alternatives"))
    sharing: Counter[tuple[str, tuple[Atom, ...]]] = Counter()
    for term in all_terms:
        grouped: dict[str, list[Atom]] = defaultdict(list)
        for atom in term:
            grouped[atom.path if isinstance(atom, FactTest) else "concept:" + atom.concept].append(atom)
        sharing.update((subject, tuple(atoms)) for subject, atoms in grouped.items())
    worst: dict[str, tuple[tuple[Atom, ...], int]] = {}
    for (subject, atoms), n in sharing.items():  # one problem per fact or concept: its most shared test
        if n > worst.get(subject, ((), MAX_SHARING))[1]:
            worst[subject] = (atoms, n)
    for subject, (atoms, n) in sorted(worst.items()):
        if n > MAX_SHARING:
            name = subject.removeprefix("concept:")
            test = " and ".join(_describe(a) for a in atoms)
            problems.append(LimitProblem(f"sharing {test}", name,
                                         f"{n} matches end in the same test ({test}) (at most {MAX_SHARING}); "
                                         "derive a concept from it once and read that instead"))
    return problems


def _describe(atom: Atom) -> str:
    if isinstance(atom, ConceptTest):
        return f"concept {atom.concept} is {str(atom.value).lower()}"
    shown = "" if atom.value is None else f" {list(atom.value) if isinstance(atom.value, tuple) else atom.value}"
    return f"{atom.path} {atom.test.test_name}{shown}"


def mentions(term: Term, subject: str) -> bool:
    """Whether a term tests the fact path or concept `subject`."""
    return subject in _subjects(term)
