"""Compiled rules: typed condition trees that every backend evaluates the same way.

Conditions are three-valued (Kleene): `all` is false as soon as one part is false and true
only when every part is true; `any` is the dual; `not` swaps true and false; anything
else is unknown (`None`). Unknown is never turned into false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from bgtc_rules.language.leaves import Leaf, Truth, leaf_truth
from bgtc_rules.language.spec import Outcome, Rule


@dataclass(frozen=True)
class AllNode:
    """True when every part is true, false when one is false, else unknown."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AnyNode:
    """True when one part is true, false when every part is false, else unknown."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class NotNode:
    """True and false swapped; unknown stays unknown."""

    part: Node


@dataclass(frozen=True)
class ConceptNode:
    """What the rules concluded about a concept."""

    concept: str


@dataclass(frozen=True)
class InForceNode:
    """True when the evaluation date lies within the rule's effective dates."""

    effective_from: dt.date
    effective_until: dt.date | None

    def holds(self, as_of: dt.date) -> bool:
        return self.effective_from <= as_of and (self.effective_until is None or as_of <= self.effective_until)


Node = AllNode | AnyNode | NotNode | ConceptNode | InForceNode | Leaf


@dataclass(frozen=True)
class CompiledRule:
    """A validated rule: its source, what it concludes, and its condition tree.

    `root` is `all(in_force, when)`, so a rule outside its effective dates is refuted, not
    unknown.
    """

    index: int
    spec: Rule
    file: str
    line: int | None
    when: Node

    @cached_property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def concept(self) -> str | None:
        return self.spec.conclude.concept

    @cached_property
    def program(self) -> str | None:
        return self.spec.conclude.program

    @cached_property
    def outcome(self) -> Outcome | None:
        return self.spec.conclude.outcome

    @cached_property
    def in_force(self) -> InForceNode:
        return InForceNode(self.spec.effective_from, self.spec.effective_until)

    @cached_property
    def root(self) -> AllNode:
        return AllNode((self.in_force, self.when))

    @cached_property
    def _leaves(self) -> tuple[Leaf, ...]:
        return tuple(node for node in walk(self.when) if isinstance(node, Leaf))

    @cached_property
    def _concepts(self) -> tuple[str, ...]:
        return tuple(node.concept for node in walk(self.when) if isinstance(node, ConceptNode))

    def leaves(self) -> Iterator[Leaf]:
        return iter(self._leaves)

    def concepts_read(self) -> Iterator[str]:
        return iter(self._concepts)


def walk(node: Node) -> Iterator[Node]:
    """The node and all nodes below it, depth first."""
    yield node
    if isinstance(node, (AllNode, AnyNode)):
        for part in node.parts:
            yield from walk(part)
    elif isinstance(node, NotNode):
        yield from walk(node.part)


def kleene_all(values: list[Truth]) -> Truth:
    if False in values:
        return False
    return None if None in values else True


def kleene_any(values: list[Truth]) -> Truth:
    if True in values:
        return True
    return None if None in values else False


@dataclass(frozen=True)
class Situation:
    """What a condition is evaluated against: facts, concept values so far, and the date."""

    facts: Mapping[str, object]
    concepts: Mapping[str, Truth]
    as_of: dt.date


def truth(node: Node, situation: Situation, record: Callable[[Node, Truth], None] | None = None) -> Truth:
    """Three-valued value of `node`; `record` (if given) sees every node's value."""
    kind = type(node)
    value: Truth
    if kind is Leaf:
        value = leaf_truth(node, situation.facts[node.path])  # type: ignore[union-attr, arg-type]
    elif kind is ConceptNode:
        value = situation.concepts.get(node.concept)  # type: ignore[union-attr]
    elif kind is AllNode or kind is AnyNode:
        # All parts are evaluated (not short-circuited) so that `record` sees each of them.
        values = [truth(p, situation, record) for p in node.parts]  # type: ignore[union-attr]
        value = kleene_all(values) if kind is AllNode else kleene_any(values)
    elif kind is NotNode:
        inner = truth(node.part, situation, record)  # type: ignore[union-attr]
        value = None if inner is None else not inner
    else:
        value = node.holds(situation.as_of)  # type: ignore[union-attr]
    if record is not None:
        record(node, value)
    return value
