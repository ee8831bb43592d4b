"""Checks on a loaded rule base that loading itself cannot make.

- every rule is cited and dated (loading enforces it; checked again here, as the lint's promise);
- no rule is unreachable: some dossier can make it hold;
- no program can be both eligible and not eligible on the same facts;
- every program has an eligible, a not-eligible and an undetermined path;
- every concept that is concluded is read by some rule;
- every condition a person can read has its plain sentence: `says` on each fact condition
  (`says_not` under `not`), and `name`, `holds`, `fails` for each concept (see `language.wording`);
- citations: no tracking or aggregator links (errors), no unmarked secondary links, and every
  claim cites at least one primary source (warnings; see `language.citations`).

Reachability uses the same fact-level terms as the counterfactual search, from a dossier where
everything is unknown; a term is reachable when each field it tests can take a value that
satisfies all of its tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from bgtc_rules.dossier.schema import Dossier, ProgramInfo
from bgtc_rules.engine.counterfactual import Abducer
from bgtc_rules.engine.evaluation import EngineRun, run_engine
from bgtc_rules.engine.facts import dossier_facts
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.citations import citation_issues
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Outcome, ProgramKind
from bgtc_rules.language.tree import CompiledRule
from bgtc_rules.language.wording import unworded


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.subject}: {self.message}"


def _empty_dossier() -> Dossier:
    return Dossier(program=ProgramInfo(name="lint"))


class _Lint:
    """What one lint run works out once and reads many times: per date, the abducer (its concept
    expansions) and the run on a dossier where everything is unknown. Made by each `lint()` call
    and dropped with it, so that runs on different rule bases, or at once, share nothing."""

    def __init__(self, rulebase: RuleBase) -> None:
        self.rulebase = rulebase
        self._abducers: dict[dt.date, Abducer] = {}
        self._runs: dict[dt.date, EngineRun] = {}

    def abducer(self, as_of: dt.date) -> Abducer:
        if as_of not in self._abducers:
            self._abducers[as_of] = Abducer(self.rulebase, dossier_facts(_empty_dossier()), as_of, abstract=True)
        return self._abducers[as_of]

    def empty_run(self, as_of: dt.date) -> EngineRun:
        if as_of not in self._runs:
            self._runs[as_of] = run_engine(_empty_dossier(), self.rulebase, as_of=as_of, backend="reference")
        return self._runs[as_of]


def _dates(rulebase: RuleBase, rules: tuple[CompiledRule, ...]) -> list[dt.date]:
    """Dates on which the rules in force change, within the windows of `rules`."""
    edges = {r.spec.effective_from for r in rulebase.rules}
    edges |= {r.spec.effective_until for r in rulebase.rules if r.spec.effective_until}
    return sorted(d for d in edges if any(r.in_force.holds(d) for r in rules))


def _reachable(state: _Lint, rule: CompiledRule) -> bool:
    return any(state.abducer(as_of).rule_terms(rule, True) for as_of in _dates(state.rulebase, (rule,)))


def _conflicts(state: _Lint, program: str) -> list[Finding]:
    rulebase = state.rulebase
    rules = rulebase.program_rules(program)
    findings = []
    for as_of in _dates(rulebase, rules):
        abducer = state.abducer(as_of)
        eligible = [t for r in rules if r.outcome is Outcome.ELIGIBLE for t in abducer.rule_terms(r, True)]
        for rule in (r for r in rules if r.outcome is Outcome.NOT_ELIGIBLE):
            both = abducer.product([eligible, abducer.rule_terms(rule, True)])
            if both:
                example = ", ".join(sorted(f"{t.path} {t.test.test_name} {t.value}" for t in both[0]))
                findings.append(Finding("error", program, f"eligible and {rule.id} can hold together "
                                        f"(as of {as_of}), e.g. when {example}"))
        if findings:
            break
    return findings


def _paths(state: _Lint, program: str) -> list[Finding]:
    rulebase = state.rulebase
    rules = rulebase.program_rules(program)
    dates = _dates(rulebase, rules)
    eligible = not_eligible = undetermined = not_yet = False
    for as_of in dates:
        abducer = state.abducer(as_of)
        eligible = eligible or bool(abducer.eligible_terms(program))
        refute = [abducer.rule_terms(r, False) for r in rules if r.outcome is not Outcome.NOT_ELIGIBLE]
        not_eligible = not_eligible or any(
            abducer.rule_terms(r, True) for r in rules if r.outcome is Outcome.NOT_ELIGIBLE
        ) or bool(abducer.product(refute))
        result = state.empty_run(as_of).program(program)
        undetermined = undetermined or result.determination is Determination.UNDETERMINED
        not_yet = not_yet or any(abducer.rule_terms(r, True) for r in rules
                                 if r.outcome in (Outcome.NOT_YET, Outcome.CLOSED))
    # A meeting type is gated by stage alone: where it does not fit, its window is not open yet
    # or has closed, rather than the program failing a criterion, so either path will do.
    if rulebase.programs[program].kind is ProgramKind.MEETING:
        not_eligible = not_eligible or not_yet
    paths = ((Determination.ELIGIBLE, eligible), (Determination.NOT_ELIGIBLE, not_eligible),
             (Determination.UNDETERMINED, undetermined))
    return [Finding("error", program, f"no {kind.value.replace('_', '-')} path") for kind, found in paths if not found]


def _concepts_in_force(rulebase: RuleBase) -> list[Finding]:
    """A rule in force before any rule of a concept it reads would read that concept as refuted."""
    findings = []
    for rule in rulebase.rules:
        for concept in sorted(set(rule.concepts_read())):
            first = min(r.spec.effective_from for r in rulebase.concepts[concept])
            if rule.spec.effective_from < first:
                findings.append(Finding("error", rule.id, f"in force from {rule.spec.effective_from}, but concept "
                                        f"{concept} is only defined from {first}; before that it reads as refuted"))
    return findings


# Words by which a rule's title says its window has passed for good, or is not open yet: a rule
# that says one and concludes the other is likely a slip between `not_yet` (too early) and
# `closed` (too late); the answers differ (a later step, or none).
_SAYS_CLOSED = re.compile(r"\b(has closed|window closed|closed on|has passed|no longer|too late|must be requested "
                          r"before|come before)\b", re.IGNORECASE)
_SAYS_NOT_YET = re.compile(r"\b(not (yet )?open|too early|not yet|before the first)\b", re.IGNORECASE)


def _early_or_late(rulebase: RuleBase) -> list[Finding]:
    findings = []
    for rule in rulebase.rules:
        title = rule.spec.title
        if rule.outcome is Outcome.NOT_YET and _SAYS_CLOSED.search(title):
            findings.append(Finding("warning", rule.id, "concludes not_yet (too early), but its title says the "
                                    "window has passed: conclude closed?"))
        elif rule.outcome is Outcome.CLOSED and _SAYS_NOT_YET.search(title):
            findings.append(Finding("warning", rule.id, "concludes closed (too late), but its title says the window "
                                    "is not open yet: conclude not_yet?"))
    return findings


def lint(rulebase: RuleBase, also_cited: Collection[str] = ()) -> list[Finding]:
    """Every finding for the rule base, errors first; `also_cited`: the source ids the code cites
    itself (a source of sources.yaml that nothing cites is a warning)."""
    state = _Lint(rulebase)
    findings: list[Finding] = []
    for rule in rulebase.rules:
        if not rule.spec.citations or not rule.spec.effective_from:
            findings.append(Finding("error", rule.id, "rule is not cited and dated"))
        if not _reachable(state, rule):
            findings.append(Finding("error", rule.id, "unreachable: no dossier can make this rule hold"))
    findings.extend(_concepts_in_force(rulebase))
    findings.extend(_early_or_late(rulebase))
    findings.extend(Finding("error", subject, message) for subject, message in
                    unworded(rulebase.rules, rulebase.concept_words))
    read = {c for rule in rulebase.rules for c in rule.concepts_read()}
    for concept in sorted(set(rulebase.concepts) - read):
        findings.append(Finding("warning", concept, "concept is concluded but no rule reads it"))
    for program in sorted(rulebase.programs):
        if not rulebase.program_rules(program):
            findings.append(Finding("error", program, "program has no rules"))
            continue
        findings.extend(_conflicts(state, program))
        findings.extend(_paths(state, program))
    findings.extend(Finding(i.level, i.subject, i.message) for i in citation_issues(rulebase, also_cited))
    return sorted(findings, key=lambda f: (f.level != "error", f.subject, f.message))
