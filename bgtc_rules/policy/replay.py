"""Replaying policy scenarios through the library: every scenario of a feature (every row of an
outline's examples) run step by step with `steps.VOCABULARY`, and the outcome the rules give for
each program a `Then` step names. A scenario whose statement the rules do not bear out is an
`InputError` naming the feature file, the scenario and the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bgtc_rules.base.errors import InputError, Problem, input_error
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Outcome as RuleOutcome
from bgtc_rules.policy.coverage import RuleCoverage
from bgtc_rules.policy.features import Feature, RuleBlock, Scenario, Step
from bgtc_rules.policy.steps import StepFailed, World, run_step

BACKEND = "reference"  # the handbook's outcomes come from the definition both backends are tested against


@dataclass(frozen=True)
class Outcome:
    """What the rules give for one program in one scenario (or one row of examples)."""

    program: str
    determination: Determination
    deciding: tuple[str, ...]
    questions: tuple[tuple[str, str], ...]  # (fact path, question) when undetermined
    refuted: bool = False  # not eligible because every eligible rule is refuted
    reason: str = ""


@dataclass(frozen=True)
class Run:
    context: dict[str, str]
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class ScenarioResult:
    rule: RuleBlock
    scenario: Scenario
    runs: tuple[Run, ...]


class Replayer:
    """Runs scenarios' steps through the library, and keeps which rules they exercised."""

    def __init__(self, rules: RuleBase, scenarios_dir: Path) -> None:
        self.rules = rules
        self.scenarios_dir = scenarios_dir
        self.coverage = RuleCoverage(rules)  # what the replayed scenarios exercised

    def run(self, steps: list[Step]) -> tuple[World, list[str]]:
        """Replay the steps; the world they leave and the programs named by `Then` steps, in order."""
        world = World(self.rules, self.scenarios_dir, backend=BACKEND, on_evaluated=self.coverage.record)
        named: list[str] = []
        for step in steps:
            try:
                program = run_step(world, step.text, [list(row) for row in step.table] if step.table else None)
            except StepFailed as exc:
                raise _Failed(step, str(exc)) from None
            if program and program not in named:
                named.append(program)
        return world, named

    def outcome(self, world: World, program: str) -> Outcome:
        result = world.program(program)
        questions = tuple((m.path, m.question) for m in result.missing)
        refuted = result.determination is Determination.NOT_ELIGIBLE and all(
            self.rules.by_id[rule_id].outcome is RuleOutcome.ELIGIBLE for rule_id in result.deciding_rules)
        return Outcome(program, result.determination, result.deciding_rules, questions, refuted, result.reason)


class _Failed(Exception):
    def __init__(self, step: Step, message: str) -> None:
        super().__init__(message)
        self.step = step


def replay(feature: Feature, replayer: Replayer, display: str) -> list[ScenarioResult]:
    """Every scenario (every row of examples) of a feature, with the outcomes the rules give."""
    results = []
    for rule, scenario in feature.scenarios:
        runs = []
        for context in scenario.contexts():
            steps = [s.render(context) for s in (*feature.background, *rule.background, *scenario.steps)]
            row = f" [{', '.join(f'{k}={v}' for k, v in context.items())}]" if context else ""
            try:
                world, named = replayer.run(steps)
            except _Failed as exc:
                raise input_error(display, f"scenario {scenario.name!r}{row}", f"{exc.step.keyword} "
                                  f"{exc.step.text}: {exc}", exc.step.line) from None
            except InputError as exc:
                problems = [Problem(display, f"scenario {scenario.name!r}{row}", str(p), scenario.line)
                            for p in exc.problems]
                raise InputError(problems) from None
            runs.append(Run(context, tuple(replayer.outcome(world, p) for p in named)))
        results.append(ScenarioResult(rule, scenario, tuple(runs)))
    return results
