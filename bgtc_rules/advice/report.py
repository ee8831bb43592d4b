"""The data a full report needs: the assessment, every program's proof tree, and the plan.

Nothing here decides anything: the determinations come from `evaluate`, the proof trees from
`ProofBuilder` and the dates from `build_plan`. The renderers (`render.markdown`,
`render.html`) only lay this out.

Examples:
    >>> from bgtc_rules import RuleBase, load_dossier
    >>> report = build_report(load_dossier("scenarios/aav_phase12_pediatric_neuro.yaml"), RuleBase.load(),
    ...                       as_of=dt.date(2026, 11, 21))
    >>> report.program("rmat").assessment.determination.value
    'eligible'
    >>> report.plan.start.isoformat()
    '2026-11-21'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.evaluation import evaluate_with_proofs
from bgtc_rules.advice.plan import Plan, build_plan
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.proof import RuleProof
from bgtc_rules.engine.results import ProgramAssessment
from bgtc_rules.language.rulebase import RuleBase


@dataclass(frozen=True)
class ProgramReport:
    """One program: its assessment and the proof tree of each of its rules, in rule order."""

    assessment: ProgramAssessment
    proofs: tuple[RuleProof, ...]

    @property
    def questions(self) -> dict[str, str]:
        """The question to ask for each unknown dossier field any of the program's rules reads."""
        return {m.path: m.question for r in self.assessment.rules for m in r.missing}

    @property
    def failed_eligibility(self) -> tuple[tuple[str, str], ...]:
        """(rule title, sentence) for each failed condition of the program's refuted `eligible` rules."""
        return tuple((r.title, text) for r in self.assessment.rules
                     if r.value is False and r.concludes.endswith(": eligible") for text in r.failed)

    @property
    def deciding_titles(self) -> tuple[str, ...]:
        """The titles of the rules that decide the determination."""
        titles = {r.rule_id: r.title for r in self.assessment.rules}
        return tuple(titles[r] for r in self.assessment.deciding_rules if r in titles)


@dataclass(frozen=True)
class Report:
    """Everything a report shows, for one dossier on one date."""

    assessment: Assessment
    programs: tuple[ProgramReport, ...]
    plan: Plan

    @cached_property
    def caveat_numbers(self) -> dict[str, tuple[int, str]]:
        """Every caveat of the report numbered once, with where it is written out (the program's id,
        or `plan`): the explained programs' caveats first, in their order, so that a program's
        section is whole on its own; then the plan's; then those of programs the report does not
        explain. A caveat several programs share is written under the first and referred to after."""
        numbers: dict[str, tuple[int, str]] = {}
        owned = [(p.assessment.program, c) for p in self.programs for c in p.assessment.caveats]
        owned += [("plan", c) for e in self.plan.events for c in e.caveats]
        owned += [(p.program, c) for p in self.assessment.programs for c in p.caveats]
        for owner, caveat in owned:
            numbers.setdefault(caveat, (len(numbers) + 1, owner))
        return numbers

    def refer(self, caveats: tuple[str, ...]) -> list[int]:
        """The numbers of `caveats` (see `caveat_numbers`), ascending."""
        return sorted({self.caveat_numbers[c][0] for c in caveats})

    def caveats_of(self, owner: str, caveats: tuple[str, ...]) -> tuple[list[tuple[int, str]], list[int]]:
        """(number, text) of the caveats written out under `owner`, and the numbers of those
        written out elsewhere, to refer to."""
        written: list[tuple[int, str]] = []
        earlier: set[int] = set()
        for caveat in dict.fromkeys(caveats):
            number, first = self.caveat_numbers[caveat]
            if first == owner:
                written.append((number, caveat))
            else:
                earlier.add(number)
        return sorted(written), sorted(earlier)

    def program(self, program_id: str) -> ProgramReport:
        for item in self.programs:
            if item.assessment.program == program_id:
                return item
        raise KeyError(program_id)


def build_report(dossier: Dossier, rules: RuleBase, as_of: dt.date | None = None, backend: str | None = None,
                 source: str = "", start: dt.date | None = None) -> Report:
    """Evaluate `dossier`, build every program's proof tree, and the plan counted from `start`.

    Args:
        dossier: a validated dossier (see `load_dossier`).
        rules: the rule base (see `RuleBase.load`).
        as_of: the date the rules are applied on; today if not given.
        backend: as for `evaluate`.
        source: where the dossier came from, for the report header.
        start: the day the first requests go out (default: the as-of date).
    """
    assessment, proofs = evaluate_with_proofs(dossier, rules, as_of=as_of, backend=backend, source=source)
    programs = tuple(ProgramReport(item, tuple(proofs[item.program])) for item in assessment.programs)
    plan = build_plan(assessment, rules, start or assessment.as_of)
    return Report(assessment, programs, plan)
