"""The reference evaluator: evaluates the compiled rules in dependency order, in pure Python.

It is the definition the Rete backend is tested against, the backend wherever durable-rules
cannot be imported, and the source of the condition-by-condition why-not.
"""

from __future__ import annotations

import datetime as dt

from ..facts import Facts, FactValue
from ..inference import Firing, Inference, derived_text
from ..leaves import Leaf, Truth
from ..rulebase import RuleBase
from ..ruletree import AllNode, AnyNode, ConceptNode, InForceNode, Node, NotNode, Situation, kleene_any, truth

NAME = "reference"

Match = tuple[str, FactValue | bool | None]


def support(node: Node, want: bool, situation: Situation) -> list[Match]:
    """The facts and concepts that make `node` come out as `want` (it must)."""
    if isinstance(node, (AllNode, AnyNode)):
        everyone = isinstance(node, AllNode) == want
        parts = [p for p in node.parts if truth(p, situation) is want]
        chosen = parts if everyone else parts[:1]
        return [m for p in chosen for m in support(p, want, situation)]
    if isinstance(node, NotNode):
        return support(node.part, not want, situation)
    if isinstance(node, ConceptNode):
        return [(f"concept:{node.concept}", want)]
    if isinstance(node, InForceNode):
        return []
    assert isinstance(node, Leaf)
    return [(node.path, situation.facts[node.path])]  # type: ignore[list-item]


class ReferenceBackend:
    name = NAME

    def __init__(self, rulebase: RuleBase) -> None:
        self._rulebase = rulebase

    def infer(self, facts: Facts, as_of: dt.date) -> Inference:
        concepts: dict[str, Truth] = {}
        outcomes: dict[str, Truth] = {}
        firings: list[Firing] = []
        situation = Situation(facts, concepts, as_of)
        for rule in self._rulebase.rules:
            value = truth(rule.root, situation)
            outcomes[rule.id] = value
            if rule.concept:
                concepts[rule.concept] = kleene_any([concepts.get(rule.concept, False), value])
            if value is True:
                matched = tuple(dict.fromkeys(support(rule.when, True, situation)))
                firings.append(Firing(rule.id, matched, derived_text(rule.concept, rule.program, rule.outcome)))
        return Inference(NAME, as_of, outcomes, concepts, tuple(firings))
