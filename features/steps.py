"""A small, typed step vocabulary for policy scenarios. Steps call only the public API.

    Given the example dossier "aav_phase12_pediatric_neuro.yaml"
    Given the dossier states "indication.serious" is "true"
    Given the dossier leaves out "indication.serious"
    When it is evaluated as of "2026-11-21"
    Then "fast_track" is "eligible"
    Then "fast_track" asks about "indication.serious"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from bgtc_rules import Assessment, RuleBase, evaluate, load_dossier
from bgtc_rules.dossier import Dossier, ProgramInfo
from bgtc_rules.dossier_edit import REMOVE, parse_value, with_changes

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@dataclass
class World:
    dossier: Dossier = field(default_factory=lambda: Dossier(program=ProgramInfo(name="Scenario")))
    assessment: Assessment | None = None


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture(scope="session")
def rules() -> RuleBase:
    return RuleBase.load()


@given(parsers.parse('the example dossier "{name}"'))
def example_dossier(world: World, name: str) -> None:
    world.dossier = load_dossier(SCENARIOS / name)


@given(parsers.parse('the dossier states "{path}" is "{value}"'))
def dossier_states(world: World, path: str, value: str) -> None:
    world.dossier = with_changes(world.dossier, {path: parse_value(value)})


@given(parsers.parse('the dossier leaves out "{path}"'))
def dossier_leaves_out(world: World, path: str) -> None:
    world.dossier = with_changes(world.dossier, {path: REMOVE})


@when(parsers.parse('it is evaluated as of "{date}"'))
def evaluated(world: World, rules: RuleBase, date: str) -> None:
    world.assessment = evaluate(world.dossier, rules, as_of=dt.date.fromisoformat(date))


def _program(world: World, program: str) -> Any:
    assert world.assessment is not None, "no 'When it is evaluated' step ran"
    return world.assessment.program(program)


@then(parsers.parse('"{program}" is "{determination}"'))
def determination_is(world: World, program: str, determination: str) -> None:
    assert _program(world, program).determination.value == determination


@then(parsers.parse('"{program}" asks about "{path}"'))
def asks_about(world: World, program: str, path: str) -> None:
    assert path in {m.path for m in _program(world, program).missing}
