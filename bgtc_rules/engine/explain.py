"""Explanations: each rule's conditions with their values, and the evidence still missing.

Built from the facts and the concept values the backend derived, so the why-not agrees with
the inference whichever backend ran.
"""

from __future__ import annotations

from dataclasses import dataclass

from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Inference
from bgtc_rules.language.catalog import FactValue, base_path
from bgtc_rules.language.leaves import Leaf, Truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.tree import AllNode, AnyNode, CompiledRule, ConceptNode, Node, NotNode
from bgtc_rules.language.wording import expression, plain_date, sentence

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
        self._values, self._slots = valuation.values, valuation.plan.slots  # `_truth`, inlined below
        self._texts = valuation.plan.refuted_texts
        self._missing: dict[str, list[MissingFact]] = {}

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
        if rule.id not in self._missing:
            found: dict[str, MissingFact] = {}
            self._collect(rule, (), found, set())
            self._missing[rule.id] = list(found.values())
        return self._missing[rule.id]

    def _collect(self, rule: CompiledRule, via: tuple[str, ...], found: dict[str, MissingFact],
                 seen: set[str]) -> None:
        if rule.id in seen or self._truth(rule.root) is not None:
            return
        seen.add(rule.id)
        for node in self._unknown_nodes(rule.when):
            if isinstance(node, Leaf):
                field = base_path(node.path)  # ask for the dossier field a derived path summarises
                if field not in found:
                    found[field] = MissingFact(field, self._rulebase.question(rule, node.path), rule.id, via)
            elif isinstance(node, ConceptNode):
                for dependency in self._rulebase.concepts.get(node.concept, ()):
                    self._collect(dependency, (*via, node.concept), found, seen)

    def _unknown_nodes(self, node: Node) -> list[Node]:
        if self._values[self._slots[id(node)]] is not None:
            return []
        if isinstance(node, (AllNode, AnyNode)):
            return [n for p in node.parts for n in self._unknown_nodes(p)]
        if isinstance(node, NotNode):
            return self._unknown_nodes(node.part)
        return [node]

    def failed(self, rule: CompiledRule) -> list[str]:
        """The conditions that refute a rule, each a sentence of what is the case."""
        if self._truth(rule.in_force) is False:
            return [f"Not in force on {plain_date(self._as_of)}: the rule that would allow it "
                    f"{sentence(rule.in_force, True, {}).removeprefix('The rule ')}."]
        texts, words = self._texts, self._rulebase.concept_words
        return [texts.get(id(n)) or texts.setdefault(id(n), sentence(n, False, words))
                for n in self._false_nodes(rule.when)]

    def _false_nodes(self, node: Node) -> list[Node]:
        if self._values[self._slots[id(node)]] is not False:
            return []
        if isinstance(node, AllNode):
            return [n for p in node.parts for n in self._false_nodes(p)]
        if isinstance(node, AnyNode):
            return [n for p in node.parts for n in self._false_nodes(p)]
        return [node]
