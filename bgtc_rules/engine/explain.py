"""Explanations: each rule's conditions with their values, and the evidence still missing.

Built from the facts and the concept values the backend derived, so the why-not agrees with
the inference whichever backend ran.
"""

from __future__ import annotations

from dataclasses import dataclass

from bgtc_rules.base.memo import remember
from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Inference
from bgtc_rules.language.catalog import FactValue, base_path
from bgtc_rules.language.leaves import Leaf, Truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.tree import AllNode, AnyNode, CompiledRule, ConceptNode, Node, NotNode
from bgtc_rules.language.wording import expression, plain_date, sentence

_ASKED = 1 << 16  # missing facts kept per rule base (one per rule, leaf and chain of concepts)
_KINDS = {AllNode: "all", AnyNode: "any", NotNode: "not", ConceptNode: "concept", Leaf: "fact"}


@dataclass(frozen=True)
class ConditionResult:
    """One node of a rule's condition with its three-valued result."""

    text: str  # a sentence for people (see `language.wording`)
    value: Truth
    expression: str = ""  # the condition as the rule language writes it, for the exports
    kind: str = ""  # all | any | not | concept | fact | in_force
    fact: str | None = None
    fact_value: FactValue | None = None
    concept: str | None = None
    children: tuple[ConditionResult, ...] = ()


@dataclass(frozen=True)
class MissingFact:
    """A fact that is unknown and would help decide an outcome; `via` is the concept chain."""

    path: str
    question: str
    rule_id: str
    via: tuple[str, ...] = ()


class Explainer:
    """Explains rules against one dossier's facts and one inference."""

    def __init__(self, rulebase: RuleBase, facts: Facts, inference: Inference) -> None:
        self._rulebase = rulebase
        self._facts = facts
        self._as_of = inference.as_of
        # The backend's own valuation when it made one of these rules and facts; otherwise one from
        # the concepts it derived, so that the why-not agrees with the inference whichever backend ran.
        valuation = inference.valuation
        if (valuation is None or valuation.plan is not rulebase.valuation or valuation.facts is not facts
                or valuation.concepts != inference.concepts):
            valuation = rulebase.valuation.evaluate(facts, inference.as_of, inference.concepts)
        self.valuation = valuation
        self._truth = valuation.__getitem__
        plan = self._plan = valuation.plan
        self._values, self._slots, self._root_slots = valuation.values, plan.slots, plan.rule_slots  # `_truth`, inlined
        self._parts, self._negated = plan.parts, plan.negated
        self._texts, self._asked = plan.refuted_texts, plan.asked
        self._missing: dict[str, list[MissingFact]] = {}
        self._behind: dict[tuple[str, tuple[str, ...]], dict[str, MissingFact]] = {}

    def conditions(self, rule: CompiledRule) -> ConditionResult:
        """The rule's whole condition (effective dates first) as a result tree."""
        return self._result(rule.root)

    def _result(self, node: Node) -> ConditionResult:
        value = self._truth(node)
        # The condition as the rule states it; the mark beside it says whether it holds.
        text, shape = sentence(node, None, self._rulebase.concept_words), expression(node)
        kind = _KINDS.get(type(node), "in_force")
        if isinstance(node, (AllNode, AnyNode)):
            children = tuple(self._result(p) for p in node.parts)
            return ConditionResult(text, value, shape, kind, children=children)
        if isinstance(node, NotNode):
            return ConditionResult(text, value, shape, kind, children=(self._result(node.part),))
        if isinstance(node, ConceptNode):
            return ConditionResult(text, value, shape, kind, concept=node.concept)
        if isinstance(node, Leaf):
            return ConditionResult(text, value, shape, kind, fact=node.path, fact_value=self._facts[node.path])
        return ConditionResult(text, value, shape, kind)

    def missing(self, rule: CompiledRule) -> list[MissingFact]:
        """Unknown facts behind an unknown rule, following unknown concepts to their facts."""
        found = self._missing.get(rule.id)
        if found is None:
            found = self._missing[rule.id] = list(self._facts_behind(rule, ()).values())
        return found

    def _facts_behind(self, rule: CompiledRule, via: tuple[str, ...]) -> dict[str, MissingFact]:
        """The unknown facts behind `rule` (none when it is not unknown), reached through the
        concepts `via`, by fact, each as first met left to right. Worked out once per rule and
        chain for this dossier: the rules of several programs read the same concepts. (The rules
        read concepts without cycles, so a rule met again adds only facts already found.)"""
        key = (rule.id, via)
        found = self._behind.get(key)
        if found is not None:
            return found
        found = self._behind[key] = {}
        if self._values[self._root_slots[rule.id]] is not None:
            return found
        asked, rule_id, values, parts, negated = self._asked, rule.id, self._values, self._parts, self._negated
        # The unknown nodes under the unknown condition that are not all, any or not, left to right.
        stack = [self._slots[id(rule.when)]]
        pop, push, extend = stack.pop, stack.append, stack.extend  # bound once: this loop is hot
        while stack:
            slot = pop()
            if values[slot] is not None:
                continue
            inner = parts.get(slot)
            if inner is not None:
                extend(reversed(inner))
                continue
            if slot in negated:
                push(negated[slot])
                continue
            fact: MissingFact | None = asked.get((rule_id, slot, via))  # only a fact is asked for
            if fact is not None:
                found.setdefault(fact.path, fact)
                continue
            node = self._plan.node(slot)
            if isinstance(node, Leaf):  # ask for the dossier field a derived path summarises
                fact = remember(asked, (rule_id, slot, via), MissingFact(
                    base_path(node.path), self._rulebase.question(rule, node.path), rule_id, via), _ASKED)
                found.setdefault(fact.path, fact)
            elif isinstance(node, ConceptNode):
                chain = (*via, node.concept)
                for dependency in self._rulebase.concepts.get(node.concept, ()):
                    for path, fact in self._facts_behind(dependency, chain).items():
                        found.setdefault(path, fact)
        return found

    def failed(self, rule: CompiledRule) -> list[str]:
        """The conditions that refute a rule, each a sentence of what is the case."""
        in_force = self._slots[id(rule.in_force)]
        if self._values[in_force] is False:
            dated = self._plan.out_of_force_texts
            text = dated.get((in_force, self._as_of))
            if text is None:
                text = remember(dated, (in_force, self._as_of),
                                f"Not in force on {plain_date(self._as_of)}: the rule that would allow it "
                                f"{sentence(rule.in_force, True, {}).removeprefix('The rule ')}.", 4096)
            return [text]
        # The false nodes under the false condition that are not all or any, left to right, in words.
        texts, values, parts = self._texts, self._values, self._parts
        found: list[str] = []
        stack = [self._slots[id(rule.when)]]
        while stack:
            slot = stack.pop()
            if values[slot] is not False:
                continue
            inner = parts.get(slot)
            if inner is not None:
                stack.extend(reversed(inner))
                continue
            text = texts.get(slot)
            if text is None:
                text = texts.setdefault(slot, sentence(self._plan.node(slot), False, self._rulebase.concept_words))
            found.append(text)
        return found
