"""Rule coverage of policy scenarios: which rules the scenarios made hold, and which they refuted
on a date when the rule is in force (a rule outside its effective dates is refuted by its dates
alone, which says nothing about its conditions). The BDD suite's coverage gate
(`features/coverage.py`) and the handbook's replay both keep it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.language.rulebase import RuleBase


@dataclass
class RuleCoverage:
    """Which rules the scenarios have made hold, and which they have refuted while in force."""

    rules: RuleBase
    held: set[str] = field(default_factory=set)
    refuted: set[str] = field(default_factory=set)
    evaluations: int = 0

    def record(self, assessment: Assessment) -> None:
        self.evaluations += 1
        self.add(assessment.rule_outcomes, assessment.as_of)

    def add(self, outcomes: Mapping[str, bool | None], as_of: Any) -> None:
        for rule_id, value in outcomes.items():
            if value is True:
                self.held.add(rule_id)
            elif value is False and rule_id in self.rules.by_id and self.rules.by_id[rule_id].in_force.holds(as_of):
                self.refuted.add(rule_id)

    @property
    def exercised(self) -> set[str]:
        return self.held | self.refuted

    def unexercised(self) -> list[str]:
        return unexercised_rules(self.rules, self.exercised)

    def summary(self) -> str:
        total = len(self.rules.rules)
        covered = total - len(self.unexercised())
        held = len({r.id for r in self.rules.rules} & self.held)
        percent = 100.0 * covered / total if total else 100.0
        return f"rule coverage: {covered}/{total} ({percent:.1f}%); held in some scenario: {held}/{total}"


def unexercised_rules(rules: RuleBase, exercised: Iterable[str]) -> list[str]:
    """The gate: every rule of the rule base that no scenario exercised, in rule-file order."""
    seen = set(exercised)
    return [rule.id for rule in sorted(rules.rules, key=lambda r: (r.file, r.line or 0)) if rule.id not in seen]
