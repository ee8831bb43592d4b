"""A policy scenario's state (`World`) and the failure of a step (`StepFailed`), shared by the step
vocabulary (`policy.steps`) and the course steps (`policy.course_steps`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.dossier.editing import with_changes
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.results import ProgramAssessment
from bgtc_rules.language.rulebase import RuleBase


class StepFailed(AssertionError):
    """A step that does not hold, or cannot run; the message says what the rules give instead."""


@dataclass
class World:
    """One scenario's state, and what the steps need from whoever runs them."""

    rules: RuleBase
    scenarios_dir: Path
    backend: str | None = None  # None: the default backend
    on_evaluated: Callable[[Assessment], None] | None = None  # told of every evaluation (rule coverage)
    dossier: Dossier | None = None
    assessment: Assessment | None = None

    def change(self, changes: dict[str, Any]) -> None:
        if self.dossier is None:
            raise StepFailed("no 'Given' step chose a dossier")
        self.dossier = with_changes(self.dossier, changes, source="<scenario>")

    def program(self, program: str) -> ProgramAssessment:
        if self.assessment is None:
            raise StepFailed("no 'When it is evaluated' step ran")
        try:
            return self.assessment.program(program)
        except KeyError:
            raise StepFailed(f"no program {program!r}") from None
