"""The reference evaluator: evaluates the compiled rules in dependency order, in pure Python.

It is the definition the Rete backend is tested against, the backend wherever durable-rules
cannot be imported, and the source of the condition-by-condition why-not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import itemgetter

from bgtc_rules.base.errors import EngineError
from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Firing, Inference, derived_text
from bgtc_rules.language.catalog import FactValue
from bgtc_rules.language.leaves import Leaf, Truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.tree import AllNode, AnyNode, ConceptNode, InForceNode, Node, NotNode
from bgtc_rules.language.valuation import Valuation

NAME = "reference"

Match = tuple[str, FactValue | bool | None]


def support(node: Node, want: bool, valuation: Valuation) -> list[Match]:
    """The facts and concepts that make `node` come out as `want` (it must)."""
    if isinstance(node, (AllNode, AnyNode)):
        everyone = isinstance(node, AllNode) == want
        parts = [p for p in node.parts if valuation[p] is want]
        chosen = parts if everyone else parts[:1]
        return [m for p in chosen for m in support(p, want, valuation)]
    if isinstance(node, NotNode):
        return support(node.part, not want, valuation)
    if isinstance(node, ConceptNode):
        return [(f"concept:{node.concept}", want)]
    if isinstance(node, InForceNode):
        return []
    assert isinstance(node, Leaf)
    return [(node.path, valuation.facts[node.path])]


class ReferenceBackend:
    name = NAME

    def __init__(self, rulebase: RuleBase) -> None:
        self._rulebase = rulebase
        # Every rule's outcome is read off the valuation in one call, in the rules' order; what
        # a firing derives is written once per rule.
        self._rules = rulebase.rules
        self._ids = tuple(rule.id for rule in rulebase.rules)
        self._rule_values = _getter([rulebase.valuation.rule_slots[rule_id] for rule_id in self._ids])
        self._derived = tuple(derived_text(rule.concept, rule.program, rule.outcome) for rule in rulebase.rules)

    def infer(self, facts: Facts, as_of: dt.date) -> Inference:
        valuation = self._rulebase.valuation.evaluate(facts, as_of)
        rule_values = self._rule_values(valuation.values)
        outcomes: dict[str, Truth] = dict(zip(self._ids, rule_values, strict=True))
        firings = tuple(Firing(rule.id, tuple(dict.fromkeys(support(rule.when, True, valuation))), derived)
                        for rule, value, derived in zip(self._rules, rule_values, self._derived, strict=True)
                        if value is True)
        return Inference(NAME, as_of, outcomes, valuation.concepts, firings, valuation)

    def infer_many(self, items: Sequence[Facts], as_of: dt.date) -> list[Inference | EngineError]:
        return [self.infer(facts, as_of) for facts in items]  # nothing to share between dossiers


def _getter(slots: list[int]) -> Callable[[list[Truth]], tuple[Truth, ...]]:
    """A function giving the values at `slots`, as a tuple (`itemgetter` gives one value for one)."""
    if len(slots) < 2:
        return lambda values: tuple(values[slot] for slot in slots)
    return itemgetter(*slots)
