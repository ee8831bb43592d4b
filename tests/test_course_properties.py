"""Properties of the recommended course and its plan over thousands of generated dossiers: no step
requests a designation the dossier holds or has requested, or one FDA denied or ended; no step for a
program that is not eligible, closed, too early or undetermined; and the plan dates exactly the
course's steps, each no earlier than the step it waits for and on the same day as the one it is
filed with."""

from __future__ import annotations

import random
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_dossier
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate
from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.plan import build_plan
from bgtc_rules.advice.standing import Standing
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.results import Determination

from .paths import AS_OF
from .strategies import dossiers

_STEP_DETERMINATIONS = (Determination.ELIGIBLE, Determination.CONDITIONAL)
_NEVER = (Standing.HELD, Standing.PENDING, Standing.DENIED, Standing.ENDED)


@cache
def _rules() -> RuleBase:
    return RuleBase.load()


def _check(dossier: Dossier) -> None:
    rules = _rules()
    assessment: Assessment = evaluate(dossier, rules, as_of=AS_OF, backend="reference")
    course = assessment.course
    steps = {step.program: step for step in course.steps}
    assert len(steps) == len(course.steps)
    for step in course.steps:
        assert assessment.designation(step.program).standing not in _NEVER, step
        assert assessment.program(step.program).determination in _STEP_DETERMINATIONS, step
        assert step.reason and step.citations
        for other in (step.waits_for, step.filed_with):
            assert other is None or other in steps
        assert not set(step.folded) & set(steps)
    plan = build_plan(assessment, rules, AS_OF)
    requests = {e.program: e.date for e in plan.events if e.step == "request"}
    assert set(requests) == set(steps)
    assert not {e.program for e in plan.events} - set(steps)
    for step in course.steps:
        if step.filed_with is not None:
            assert requests[step.program] == requests[step.filed_with]
        elif step.waits_for is not None:
            assert requests[step.program] >= requests[step.waits_for]
            assert requests[step.program] > AS_OF
    assert [s.program for s in course.steps if s.waits_for is None] == [s.program for s in course.now]
    exported = assessment.to_dict()["course"]["steps"]
    assert [s["program"] for s in exported] == [s.program for s in course.steps]


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), index=st.integers(0, 10_000))
def test_course_and_plan_over_generated_dossiers(seed: int, index: int) -> None:
    data = generate_dossier(random.Random(seed), index)
    _check(dossier_from_mapping(data, source=f"seed {seed} #{index}"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=dossiers())
def test_course_and_plan_over_schema_generated_dossiers(data: dict[str, object]) -> None:
    _check(dossier_from_mapping(data, source="<generated>"))
