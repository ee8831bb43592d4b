"""The policy vocabulary's steps about the recommended course (`advice.course`): what it requests,
in which order, what goes out together, what waits and what is held within another meeting. Each
returns the program it named, as every `Then` step does (`policy.steps`)."""

from __future__ import annotations

from bgtc_rules.advice.course import CourseStep
from bgtc_rules.policy.world import StepFailed, World


def _course_steps(world: World) -> list[str]:
    if world.assessment is None:
        raise StepFailed("no 'When it is evaluated' step ran")
    return [step.program for step in world.assessment.course.steps]


def _course_step(world: World, program: str) -> CourseStep:
    step = world.assessment.course.step(program) if world.assessment is not None else None
    if step is None:
        raise StepFailed(f"the course does not request {program}; it requests {', '.join(_course_steps(world))}")
    return step


def course_requests(world: World, program: str) -> str:
    _course_step(world, program)
    return program


def course_requests_now(world: World, program: str) -> str:
    step = _course_step(world, program)
    if step.waits_for is not None:
        raise StepFailed(f"{program} waits for {step.waits_for}")
    return program


def course_does_not_request(world: World, program: str) -> str:
    if program in _course_steps(world):
        raise StepFailed(f"the course requests {program}: {_course_step(world, program).reason}")
    return program


def course_order(world: World, first: str, second: str) -> str:
    steps = _course_steps(world)
    for program in (first, second):
        _course_step(world, program)
    if steps.index(first) > steps.index(second):
        raise StepFailed(f"the course requests {', '.join(steps)}")
    return first


def course_files_with(world: World, program: str, other: str) -> str:
    step = _course_step(world, program)
    if step.filed_with != other:
        raise StepFailed(f"{program} is filed with {step.filed_with or 'nothing'}")
    return program


def course_waits_for(world: World, program: str, other: str) -> str:
    step = _course_step(world, program)
    if step.waits_for != other:
        raise StepFailed(f"{program} waits for {step.waits_for or 'nothing'}")
    return program


def course_holds_within(world: World, program: str, host: str) -> str:
    if program not in _course_step(world, host).folded:
        raise StepFailed(f"{host} holds {', '.join(_course_step(world, host).folded) or 'no other meeting'} within it")
    return program
