"""From rule outcomes to one determination per program.

A program's rules conclude `eligible`, `not_eligible`, `not_yet` or `closed`. With E, N, Y and
C the three-valued "any rule of that kind holds", the determination is, in order:

1. N true: **not eligible** (an exclusion holds);
2. C true: **closed** (the request window has passed for good at this stage or date);
3. Y true: **not yet** (the request window is not open yet at this stage or date);
4. E false: **not eligible** (every way to eligibility is refuted);
5. E true, N, C and Y false: **eligible**;
6. otherwise **undetermined**, with the unknown facts that would decide it.

A rule that holds decides even when rules of lower precedence are unknown, and so does the
refutation of every eligible rule; a rule of higher precedence that is still unknown does not
block it (a closed window is reported as such even when an exclusion is still unanswered).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from bgtc_rules.base.memo import remember
from bgtc_rules.engine.explain import Explainer, MissingFact
from bgtc_rules.engine.inference import Inference
from bgtc_rules.engine.results import (
    Determination,
    ProgramAssessment,
    RuleResult,
)
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Outcome, Program
from bgtc_rules.language.tree import AllNode, AnyNode, CompiledRule, NotNode, kleene_any, walk
from bgtc_rules.language.valuation import ValuationPlan

_OUTCOMES = tuple(Outcome)  # iterating the enum class itself costs a call per member
_BLOCKING = (Outcome.NOT_ELIGIBLE, Outcome.CLOSED, Outcome.NOT_YET)  # what must be refuted for eligibility
_COMPOSITE = (AllNode, AnyNode, NotNode)  # nodes valued from their parts alone


class _RuleParts:
    """What a rule's result takes from the rule itself, the same for every result: written once."""

    __slots__ = ("caveats", "citations", "concludes", "explanation", "title", "why_failed")

    def __init__(self, rule: CompiledRule) -> None:
        self.title = rule.spec.title
        self.concludes = f"{rule.program}: {rule.outcome.value if rule.outcome else ''}"
        self.explanation = rule.spec.explanation
        self.citations = tuple(rule.spec.citations)
        self.caveats = tuple(rule.spec.caveats)
        # Why an exclusion or a window rule does not hold is not asked; why eligibility fails is.
        self.why_failed = rule.outcome is Outcome.ELIGIBLE


def _rule_result(rule: CompiledRule, value: Truth, explainer: Explainer, detail: bool,
                 why_unknown: bool, parts: _RuleParts | None = None) -> RuleResult:
    """A rule's result; the failed conditions of a refuted rule, and (when they can decide the
    program) the facts missing behind an unknown one."""
    if parts is None:
        parts = _RuleParts(rule)
    return RuleResult(
        rule_id=rule.id,
        title=parts.title,
        concludes=parts.concludes,
        value=value,
        explanation=parts.explanation,
        citations=parts.citations,
        caveats=parts.caveats,
        failed=tuple(explainer.failed(rule)) if value is False and (detail or parts.why_failed) else (),
        missing=tuple(explainer.missing(rule)) if value is None and why_unknown else (),
        conditions=explainer.conditions(rule) if detail else None,
    )


def _plain_result(rule_id: str, value: Truth, parts: _RuleParts) -> RuleResult:
    """A rule's result without failed conditions or missing facts (what `_rule_result` gives when
    it is not asked why)."""
    return RuleResult(rule_id=rule_id, title=parts.title, concludes=parts.concludes, value=value,
                      explanation=parts.explanation, citations=parts.citations, caveats=parts.caveats,
                      failed=(), missing=())


def _concept_caveats(rules: tuple[CompiledRule, ...], rulebase: RuleBase) -> list[str]:
    """Caveats of the concept rules a program's rules depend on, nearest first."""
    return [c for rule in rules for dependency in rulebase.dependencies[rule.id] for c in dependency.spec.caveats]


def _decide(by_outcome: dict[Outcome, list[tuple[str, Truth]]]) -> tuple[Determination, list[str]]:
    """The determination from (rule id, value) pairs grouped by outcome, and the deciding rules."""
    holding = {outcome: [rule_id for rule_id, value in pairs if value is True] for outcome, pairs in by_outcome.items()}

    def combined(outcome: Outcome) -> Truth:
        return kleene_any([value for _, value in by_outcome[outcome]])

    if holding[Outcome.NOT_ELIGIBLE]:
        return Determination.NOT_ELIGIBLE, holding[Outcome.NOT_ELIGIBLE]
    if holding[Outcome.CLOSED]:
        return Determination.CLOSED, holding[Outcome.CLOSED]
    if holding[Outcome.NOT_YET]:
        return Determination.NOT_YET, holding[Outcome.NOT_YET]
    if combined(Outcome.ELIGIBLE) is False:
        return Determination.NOT_ELIGIBLE, [rule_id for rule_id, _ in by_outcome[Outcome.ELIGIBLE]]
    if holding[Outcome.ELIGIBLE] and all(combined(o) is False for o in _BLOCKING):
        return Determination.ELIGIBLE, holding[Outcome.ELIGIBLE]
    return Determination.UNDETERMINED, [r for pairs in by_outcome.values() for r, value in pairs if value is None]


def _full_stop(sentence: str) -> str:
    return sentence if sentence.endswith((".", "?", "!")) else sentence + "."


def _reason(determination: Determination, deciding: list[RuleResult]) -> str:
    if determination is Determination.UNDETERMINED:
        count = len({m.path for r in deciding for m in r.missing})
        return f"cannot tell yet: {count} question{'' if count == 1 else 's'} to answer"
    if determination is Determination.NOT_ELIGIBLE and deciding and all(r.value is False for r in deciding):
        failed = [_full_stop(f) for r in deciding for f in r.failed]
        # Of several rules out of force (one per period of a program), the last written says enough.
        dated = [f for f in failed if f.startswith("Not in force on ")]
        failed = [f for f in failed if f not in dated[:-1]]
        return " ".join(dict.fromkeys(failed)) if failed else "The criteria are not met."
    return deciding[0].title if deciding else determination.value


RuleResults = Callable[[CompiledRule, Truth, bool], RuleResult]


def determine_program(program: Program, rulebase: RuleBase, inference: Inference,
                      explainer: Explainer, detail: bool = False,
                      result_of: RuleResults | None = None,
                      concept_caveats: list[str] | None = None) -> ProgramAssessment:
    """The determination for one program, with every rule's result and the evidence missing.

    With `detail`, each rule also carries its whole condition tree with every value.
    `result_of(rule, value, why_unknown)`, if given, stands in for working out a rule's result;
    `concept_caveats`, if given, for `_concept_caveats` of the program's rules.
    """
    rules = rulebase.program_rules(program.id)
    by_outcome: dict[Outcome, list[tuple[str, Truth]]] = {o: [] for o in _OUTCOMES}
    for rule in rules:
        by_outcome[rule.outcome].append((rule.id, inference.outcomes[rule.id]))  # type: ignore[index]
    determination, deciding_ids = _decide(by_outcome)
    why_unknown = determination is Determination.UNDETERMINED or detail
    if result_of is None:
        results = [_rule_result(rule, inference.outcomes[rule.id], explainer, detail, why_unknown) for rule in rules]
    else:
        results = [result_of(rule, inference.outcomes[rule.id], why_unknown) for rule in rules]
    deciding = [r for r in results if r.rule_id in deciding_ids]
    missing: dict[str, MissingFact] = {}
    if determination is Determination.UNDETERMINED:
        for result in deciding:
            for fact in result.missing:
                missing.setdefault(fact.path, fact)
    # A refuted rule's own caveat does not bear on the outcome; the concepts' caveats still do.
    caveats = tuple(dict.fromkeys([*program.caveats, *(c for r in results if r.value is not False for c in r.caveats),
                                   *(_concept_caveats(rules, rulebase) if concept_caveats is None
                                     else concept_caveats)]))
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


def _values_read(plan: ValuationPlan, rules: Iterable[CompiledRule]) -> Callable[[list[Truth]], Hashable]:
    """A function giving, as a tuple, the values of the `rules`' conditions: of every node that is
    not an all, any or not node, whose value follows from its parts' (so the tuple tells the
    value of every node, with fewer values to gather and hash)."""
    slots = sorted({plan.slots[id(node)] for rule in rules for node in walk(rule.root)
                    if type(node) not in _COMPOSITE})
    return _tuple_of(slots)


def _tuple_of(keys: Sequence[Hashable]) -> Callable[[Any], tuple[Truth, ...]]:
    """A function giving, as a tuple, the values under these keys (indexes, or rule ids) of what
    it is given; `itemgetter` where it gives a tuple (of two keys or more)."""
    if len(keys) > 1:
        return itemgetter(*keys)
    if keys:  # itemgetter gives one value for one key
        key = keys[0]
        return lambda values: (values[key],)
    return lambda values: ()


class _ProgramPlan:
    """`determine_program` for one program, its rules grouped and their parts and caveats gathered
    once for the rule base; `determine` takes the rules' outcomes in the order of `rules`. The
    tests check that both give the same assessment."""

    def __init__(self, program: Program, rules: tuple[CompiledRule, ...], parts: Mapping[str, _RuleParts],
                 plain: Mapping[tuple[str, Truth], RuleResult], concept_caveats: list[str]) -> None:
        self.program = program  # the rules are not kept: each run gives its own rule base's (see `determine`)
        self.kind = program.kind.value
        of = {o: tuple(i for i, rule in enumerate(rules) if rule.outcome is o) for o in _OUTCOMES}
        # The exclusions, then the closed and the not yet open windows: the first that holds decides.
        self.blocking = ((of[Outcome.NOT_ELIGIBLE], Determination.NOT_ELIGIBLE),
                         (of[Outcome.CLOSED], Determination.CLOSED), (of[Outcome.NOT_YET], Determination.NOT_YET))
        self.blocking_rules = tuple(i for indexes, _ in self.blocking for i in indexes)
        self.eligible = of[Outcome.ELIGIBLE]
        self.blocking_values, self.eligible_values = _tuple_of(self.blocking_rules), _tuple_of(self.eligible)
        # Each rule's result when nobody asks why it has its value: by value, None where one must ask.
        self.plain = tuple({value: plain.get((rule.id, value)) for value in (True, False, None)} for rule in rules)
        self.caveated = tuple((i, parts[rule.id].caveats) for i, rule in enumerate(rules) if parts[rule.id].caveats)
        self.concept_caveats = concept_caveats
        self.caveats = tuple(dict.fromkeys([*program.caveats, *concept_caveats]))  # when no rule adds one

    def decide(self, values: tuple[Truth, ...]) -> tuple[Determination, list[int]]:
        """`_decide` on the outcomes: the determination and the indexes of the deciding rules.
        (Outcomes are True, False or None, so `in` finds them as `is` would.)"""
        blocking = self.blocking_values(values)
        if True in blocking:
            for indexes, determination in self.blocking:
                holding = [i for i in indexes if values[i] is True]
                if holding:
                    return determination, holding
        eligible = self.eligible_values(values)
        if True not in eligible:
            if None not in eligible:
                return Determination.NOT_ELIGIBLE, list(self.eligible)
        elif None not in blocking:
            return Determination.ELIGIBLE, [i for i in self.eligible if values[i] is True]
        return Determination.UNDETERMINED, [i for i, value in enumerate(values) if value is None]

    def determine(self, rules: tuple[CompiledRule, ...], values: tuple[Truth, ...],
                  result_of: RuleResults) -> ProgramAssessment:
        """The assessment for the program's `rules` (of the rule base given to the run, which may be
        another loaded from the same files) with these outcomes."""
        determination, deciding_at = self.decide(values)
        why_unknown = determination is Determination.UNDETERMINED
        # The plain results (most of them) looked up without a call; the others worked out.
        if why_unknown:
            results = [result_of(rule, None, True) if value is None else plain[value] or result_of(rule, value, True)
                       for rule, value, plain in zip(rules, values, self.plain, strict=True)]
        else:
            results = [plain[value] or result_of(rule, value, False)
                       for rule, value, plain in zip(rules, values, self.plain, strict=True)]
        deciding = [results[i] for i in deciding_at]
        missing: dict[str, MissingFact] = {}
        if why_unknown:
            for result in deciding:
                for fact in result.missing:
                    missing.setdefault(fact.path, fact)
        caveats = self.caveats
        own_caveats = [c for i, own in self.caveated if values[i] is not False for c in own]
        if own_caveats:
            caveats = tuple(dict.fromkeys([*self.program.caveats, *own_caveats, *self.concept_caveats]))
        program = self.program
        return ProgramAssessment(program=program.id, name=program.name, kind=self.kind,
                                 determination=determination, reason=_reason(determination, deciding),
                                 deciding_rules=tuple([r.rule_id for r in deciding]), rules=tuple(results),
                                 missing=tuple(missing.values()), caveats=caveats)


class Determiner:
    """Every program's determination for one rule base, each distinct case worked out once.

    A program's determination, rule results, why-not and missing evidence depend on nothing
    but the date, its rules' outcomes and the values of the condition nodes its rules read,
    their own and those of the concept rules below them. The dossiers of a portfolio, and the
    answers of an interview, share most of these cases: each is computed by `determine_program`
    the first time and remembered (up to `LIMIT` cases per program; when full, the older half is
    forgotten). With `detail`, the result carries fact values, so it is always computed.

    The cases are indexes into the rule base's `valuation`, which numbers the nodes the same
    way for every rule base loaded from the same files (the same `digest`): one determiner serves
    them all, and works with the rule base it is given.
    """

    LIMIT = 1024  # cases per program (about 2.3 KiB each, with their JSON)
    RULE_LIMIT = 8192  # rule results

    def __init__(self, rulebase: RuleBase) -> None:
        self._digest = rulebase.digest
        self._programs = tuple(sorted(rulebase.programs.values(), key=lambda p: p.id))
        plan = rulebase.valuation
        self._cases: dict[str, Callable[[list[Truth]], Hashable]] = {}
        for program in self._programs:
            rules = rulebase.program_rules(program.id)
            self._cases[program.id] = _values_read(
                plan, [*rules, *(d for rule in rules for d in rulebase.dependencies[rule.id])])
        self._memo: dict[str, dict[Hashable, ProgramAssessment]] = {p.id: {} for p in self._programs}
        self._outcomes = {p.id: _tuple_of([rule.id for rule in rulebase.program_rules(p.id)])
                          for p in self._programs}
        # A rule's result, remembered the same way. Held, it is the same every time; refuted, it
        # reads its own nodes (why it failed); unknown, when asked why, the concept rules' below
        # it as well (what is missing).
        self._own: dict[str, Callable[[list[Truth]], Hashable]] = {}
        self._below: dict[str, Callable[[list[Truth]], Hashable]] = {}
        for rule in rulebase.rules:
            if rule.program:
                self._own[rule.id] = _values_read(plan, [rule])
                self._below[rule.id] = _values_read(plan, [rule, *rulebase.dependencies[rule.id]])
        self._rule_memo: dict[Hashable, RuleResult] = {}
        self._parts = {rule.id: _RuleParts(rule) for rule in rulebase.rules if rule.program}
        # A held rule, an unknown one nobody asks about, a refuted exclusion or window rule: such
        # a result reads nothing of the dossier, so each is made once for the rule base.
        self._plain = {(rule_id, value): _plain_result(rule_id, value, parts)
                       for rule_id, parts in self._parts.items() for value in (True, False, None)
                       if not (value is False and parts.why_failed)}
        self._concept_caveats = {p.id: _concept_caveats(rulebase.program_rules(p.id), rulebase) for p in self._programs}
        self._plans = {p.id: _ProgramPlan(p, rulebase.program_rules(p.id), self._parts, self._plain,
                                          self._concept_caveats[p.id]) for p in self._programs}
        # What `determine` takes for each program, in program id order, looked up once here.
        self._each = tuple((p.id, self._outcomes[p.id], self._cases[p.id], self._memo[p.id], self._plans[p.id])
                           for p in self._programs)

    def forget(self) -> None:
        """Drop every remembered case."""
        for memo in self._memo.values():
            memo.clear()
        self._rule_memo.clear()

    def determine(self, rulebase: RuleBase, inference: Inference, explainer: Explainer, detail: bool = False
                  ) -> tuple[ProgramAssessment, ...]:
        """Every program's assessment, in program id order."""
        if rulebase.digest != self._digest:
            raise ValueError("this determiner serves another rule base")
        if detail:
            return tuple(determine_program(p, rulebase, inference, explainer, True) for p in self._programs)
        values = explainer.valuation.values
        result_of = self._results(values, inference.as_of, explainer)
        as_of, rule_outcomes, program_rules = inference.as_of, inference.outcomes, rulebase.program_rules
        found: list[ProgramAssessment] = []
        for program_id, outcomes_of, case_of, memo, plan in self._each:
            outcomes = outcomes_of(rule_outcomes)
            case = (as_of, outcomes, case_of(values))
            assessment = memo.get(case)
            if assessment is None:
                assessment = remember(memo, case, plan.determine(program_rules(program_id), outcomes, result_of),
                                      self.LIMIT)
            found.append(assessment)
        return tuple(found)

    def _results(self, values: list[Truth], as_of: Hashable, explainer: Explainer) -> RuleResults:
        memo, own, below, parts, plain = self._rule_memo, self._own, self._below, self._parts, self._plain

        def result_of(rule: CompiledRule, value: Truth, why_unknown: bool) -> RuleResult:
            if value is False and parts[rule.id].why_failed:
                case: Hashable = (rule.id, as_of, value, own[rule.id](values))
            elif value is None and why_unknown:
                case = (rule.id, value, below[rule.id](values))
            else:
                return plain[(rule.id, value)]
            found = memo.get(case)
            if found is None:
                found = remember(memo, case, _rule_result(rule, value, explainer, False, why_unknown, parts[rule.id]),
                                 self.RULE_LIMIT)
            return found
        return result_of
