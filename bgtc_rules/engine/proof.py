"""Proof trees: why a program got its determination, down to the dossier facts.

A concept in a condition is expanded into the rules that conclude it, so the tree reads from
the determination through derived concepts to the facts and their dossier fields, each rule
with its citations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bgtc_rules.engine.explain import ConditionResult
from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Inference
from bgtc_rules.engine.results import citation_dict, plain_value
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Citation
from bgtc_rules.language.tree import CompiledRule
from bgtc_rules.language.truth import truth_word
from bgtc_rules.language.wording import concept_name

MAX_DEPTH = 12


@dataclass(frozen=True)
class RuleProof:
    """One rule, its value, and its condition with concepts expanded into their rules."""

    rule_id: str
    title: str
    concludes: str
    value: Truth
    explanation: str
    citations: tuple[Citation, ...]
    caveats: tuple[str, ...]
    in_force: ConditionProof
    condition: ConditionProof


@dataclass(frozen=True)
class ConditionProof:
    text: str  # a sentence for people
    value: Truth
    expression: str = ""  # the rule language's form, for the JSON export
    kind: str = ""  # all | any | not | concept | fact | in_force
    name: str = ""  # a concept's readable name
    fact: str | None = None
    fact_value: object = None
    concept: str | None = None
    parts: tuple[ConditionProof, ...] = ()
    derived_by: tuple[RuleProof, ...] = ()


class ProofBuilder:
    """Builds proof trees for one evaluated dossier."""

    def __init__(self, rulebase: RuleBase, facts: Facts, inference: Inference) -> None:
        from bgtc_rules.engine.explain import Explainer

        self._rulebase = rulebase
        self._explainer = Explainer(rulebase, facts, inference)

    def rule(self, rule: CompiledRule, depth: int = 0) -> RuleProof:
        result = self._explainer.conditions(rule)
        in_force, when = result.children
        return RuleProof(
            rule_id=rule.id,
            title=rule.spec.title,
            concludes=rule.concept or f"{rule.program}: {rule.outcome.value if rule.outcome else ''}",
            value=result.value,
            explanation=rule.spec.explanation,
            citations=tuple(rule.spec.citations),
            caveats=tuple(rule.spec.caveats),
            in_force=self._condition(in_force, depth),
            condition=self._condition(when, depth),
        )

    def _condition(self, result: ConditionResult, depth: int) -> ConditionProof:
        derived: tuple[RuleProof, ...] = ()
        if result.concept is not None and depth < MAX_DEPTH:
            derived = tuple(self.rule(r, depth + 1) for r in self._rulebase.concepts.get(result.concept, ())
                            if self._relevant(r, result.value))
        return ConditionProof(
            text=result.text,
            value=result.value,
            expression=result.expression,
            kind=result.kind,
            name=concept_name(result.concept, self._rulebase.concept_words) if result.concept else "",
            fact=result.fact,
            fact_value=result.fact_value,
            concept=result.concept,
            parts=tuple(self._condition(p, depth) for p in result.children),
            derived_by=derived,
        )

    def _relevant(self, rule: CompiledRule, concept_value: Truth) -> bool:
        """A true concept is explained by the rules that hold; a false or unknown one by all."""
        if concept_value is not True:
            return True
        return self._explainer.conditions(rule).value is True

    def program(self, program: str) -> list[RuleProof]:
        return [self.rule(r) for r in self._rulebase.program_rules(program)]


def rule_proof_dict(proof: RuleProof) -> dict[str, Any]:
    """JSON form of a rule proof."""
    return {
        "rule": proof.rule_id,
        "title": proof.title,
        "concludes": proof.concludes,
        "result": truth_word(proof.value),
        "explanation": proof.explanation,
        "citations": [citation_dict(c) for c in proof.citations],
        "caveats": list(proof.caveats),
        "in_force": _condition_dict(proof.in_force),
        "condition": _condition_dict(proof.condition),
    }


def _condition_dict(proof: ConditionProof) -> dict[str, Any]:
    data: dict[str, Any] = {"condition": proof.expression, "says": proof.text, "result": truth_word(proof.value)}
    if proof.fact is not None:
        data["fact"] = proof.fact
        data["fact_value"] = plain_value(proof.fact_value)
    if proof.parts:
        data["parts"] = [_condition_dict(p) for p in proof.parts]
    if proof.derived_by:
        data["derived_by"] = [rule_proof_dict(r) for r in proof.derived_by]
    return data
