"""From rule outcomes to one determination per program.

A program's rules conclude `eligible`, `not_eligible` or `not_yet`. With E, N and Y the
three-valued "any rule of that kind holds", the determination is, in order:

1. N true: **not eligible** (an exclusion holds);
2. Y true: **not yet** (the request window is not open at this stage, or has closed);
3. E false: **not eligible** (every way to eligibility is refuted);
4. E true, N and Y false: **eligible**;
5. otherwise **undetermined**, with the unknown facts that would decide it.
"""

from __future__ import annotations

from .assessment import Determination, ProgramAssessment, RuleResult
from .explain import Explainer, MissingFact
from .inference import Inference
from .leaves import Truth
from .rulebase import RuleBase
from .rulespec import Outcome, Program
from .ruletree import CompiledRule, kleene_any


def _rule_result(rule: CompiledRule, value: Truth, explainer: Explainer, detail: bool) -> RuleResult:
    return RuleResult(
        rule_id=rule.id,
        title=rule.spec.title,
        concludes=f"{rule.program}: {rule.outcome.value if rule.outcome else ''}",
        value=value,
        explanation=rule.spec.explanation,
        citations=tuple(rule.spec.citations),
        caveats=tuple(rule.spec.caveats),
        failed=tuple(explainer.failed(rule)) if value is False else (),
        missing=tuple(explainer.missing(rule)) if value is None else (),
        conditions=explainer.conditions(rule) if detail else None,
    )


def _concept_caveats(rules: tuple[CompiledRule, ...], rulebase: RuleBase) -> list[str]:
    """Caveats of the concept rules a program's rules depend on, nearest first."""
    caveats: list[str] = []
    seen: set[str] = set()
    pending = [c for rule in rules for c in rule.concepts_read()]
    while pending:
        concept = pending.pop(0)
        if concept in seen:
            continue
        seen.add(concept)
        for rule in rulebase.concepts.get(concept, ()):
            caveats.extend(rule.spec.caveats)
            pending.extend(rule.concepts_read())
    return caveats


def _decide(by_outcome: dict[Outcome, list[RuleResult]]) -> tuple[Determination, list[RuleResult]]:
    def holding(outcome: Outcome) -> list[RuleResult]:
        return [r for r in by_outcome[outcome] if r.value is True]

    def combined(outcome: Outcome) -> Truth:
        return kleene_any([r.value for r in by_outcome[outcome]])

    if holding(Outcome.NOT_ELIGIBLE):
        return Determination.NOT_ELIGIBLE, holding(Outcome.NOT_ELIGIBLE)
    if holding(Outcome.NOT_YET):
        return Determination.NOT_YET, holding(Outcome.NOT_YET)
    if combined(Outcome.ELIGIBLE) is False:
        return Determination.NOT_ELIGIBLE, by_outcome[Outcome.ELIGIBLE]
    if holding(Outcome.ELIGIBLE) and combined(Outcome.NOT_ELIGIBLE) is False and combined(Outcome.NOT_YET) is False:
        return Determination.ELIGIBLE, holding(Outcome.ELIGIBLE)
    return Determination.UNDETERMINED, [r for rs in by_outcome.values() for r in rs if r.value is None]


def _reason(determination: Determination, deciding: list[RuleResult]) -> str:
    if determination is Determination.UNDETERMINED:
        count = len({m.path for r in deciding for m in r.missing})
        return f"cannot tell yet: {count} fact(s) unknown"
    if determination is Determination.NOT_ELIGIBLE and deciding and all(r.value is False for r in deciding):
        failed = [f for r in deciding for f in r.failed]
        return "criteria not met: " + "; ".join(dict.fromkeys(failed)) if failed else "criteria not met"
    return deciding[0].title if deciding else determination.value


def determine_program(program: Program, rulebase: RuleBase, inference: Inference,
                      explainer: Explainer, detail: bool = False) -> ProgramAssessment:
    """The determination for one program, with every rule's result and the evidence missing.

    With `detail`, each rule also carries its whole condition tree with every value.
    """
    rules = rulebase.program_rules(program.id)
    results = [_rule_result(rule, inference.outcomes[rule.id], explainer, detail) for rule in rules]
    by_outcome: dict[Outcome, list[RuleResult]] = {o: [] for o in Outcome}
    for rule, result in zip(rules, results, strict=True):
        by_outcome[rule.outcome].append(result)  # type: ignore[index]
    determination, deciding = _decide(by_outcome)
    missing: dict[str, MissingFact] = {}
    if determination is Determination.UNDETERMINED:
        for result in deciding:
            for fact in result.missing:
                missing.setdefault(fact.path, fact)
    # A refuted rule's own caveat does not bear on the outcome; the concepts' caveats still do.
    caveats = tuple(dict.fromkeys([*program.caveats, *(c for r in results if r.value is not False for c in r.caveats),
                                   *_concept_caveats(rules, rulebase)]))
    return ProgramAssessment(
        program=program.id,
        name=program.name,
        kind=program.kind.value,
        determination=determination,
        reason=_reason(determination, deciding),
        deciding_rules=tuple(r.rule_id for r in deciding),
        rules=tuple(results),
        missing=tuple(missing.values()),
        caveats=caveats,
    )
