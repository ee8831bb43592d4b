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
from bgtc_rules.language.tree import ConceptNode, InForceNode, Node
from bgtc_rules.language.valuation import Valuation

NAME = "reference"

Match = tuple[str, FactValue | bool | None]


def support(node: Node, want: bool, valuation: Valuation) -> list[Match]:
    """The facts and concepts that make `node` come out as `want` (it must): of an all node that
    holds (an any node that fails), every part's; of an any node that holds (an all node that
    fails), the first such part's; a not node's part's, the other way."""
    found: list[Match] = []
    _support_of(valuation.plan.slots[id(node)], want, valuation, found)
    return found


def _support_of(slot: int, want: bool, valuation: Valuation, found: list[Match]) -> None:
    """`support` of the node at `slot`, added to `found`: the same walk on the valuation's slots."""
    plan, values = valuation.plan, valuation.values
    parts = plan.parts.get(slot)
    if parts is not None:
        everyone = (slot in plan.conjunctions) == want
        for part in parts:
            if values[part] is want:
                _support_of(part, want, valuation, found)
                if not everyone:
                    return
        return
    inner = plan.negated.get(slot)
    if inner is not None:
        _support_of(inner, not want, valuation, found)
        return
    node = plan.node(slot)
    if isinstance(node, ConceptNode):
        found.append((f"concept:{node.concept}", want))
    elif not isinstance(node, InForceNode):
        assert isinstance(node, Leaf)
        found.append((node.path, valuation.facts[node.path]))


class ReferenceBackend:
    name = NAME

    def __init__(self, rulebase: RuleBase) -> None:
        self._rulebase = rulebase
        # Every rule's outcome is read off the valuation in one call, in the rules' order; what
        # a firing derives is written once per rule.
        self._ids = tuple(rule.id for rule in rulebase.rules)
        self._rule_values = _getter([rulebase.valuation.rule_slots[rule_id] for rule_id in self._ids])
        self._derived = tuple(derived_text(rule.concept, rule.program, rule.outcome) for rule in rulebase.rules)
        self._when_slots = tuple(rulebase.valuation.slots[id(rule.when)] for rule in rulebase.rules)

    def infer(self, facts: Facts, as_of: dt.date) -> Inference:
        valuation = self._rulebase.valuation.evaluate(facts, as_of)
        rule_values = self._rule_values(valuation.values)
        outcomes: dict[str, Truth] = dict(zip(self._ids, rule_values, strict=True))
        firings = []
        for rule_id, value, derived, when in zip(self._ids, rule_values, self._derived, self._when_slots, strict=True):
            if value is True:
                matched: list[Match] = []
                _support_of(when, True, valuation, matched)
                firings.append(Firing(rule_id, tuple(dict.fromkeys(matched)), derived))
        return Inference(NAME, as_of, outcomes, valuation.concepts, tuple(firings), valuation)

    def infer_many(self, items: Sequence[Facts], as_of: dt.date) -> list[Inference | EngineError]:
        return [self.infer(facts, as_of) for facts in items]  # nothing to share between dossiers


def _getter(slots: list[int]) -> Callable[[list[Truth]], tuple[Truth, ...]]:
    """A function giving the values at `slots`, as a tuple (`itemgetter` gives one value for one)."""
    if len(slots) < 2:
        return lambda values: tuple(values[slot] for slot in slots)
    return itemgetter(*slots)
