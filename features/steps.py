"""A small, typed step vocabulary for the policy scenarios. Steps call only the public library API.

Every feature file uses these steps and no others (`bgtc docs` replays the same vocabulary to
render the handbook, and refuses a step it does not know):

    Given the example dossier "aav_phase12_pediatric_neuro.yaml"   # a file in scenarios/
    Given a dossier with:                                          # a fresh dossier, one field a row
      | field                    | value |
      | indication.us_prevalence | 900   |
    Given the dossier states "indication.serious" is "true"        # set a field (a YAML scalar or list)
    Given the dossier leaves out "indication.serious"              # the fact becomes unknown
    Given the dossier adds "onshoring" to "program.national_priorities"  # append one list item
    Given the dossier adds "{text: Q, topic: endpoints, discipline: clinical}" to "meeting.questions" 4 times
    Given the dossier adds to "meeting.questions":                 # append items, one a row
      | text | topic | discipline |
    When it is evaluated as of "2026-11-21"
    Then "fast_track" is "eligible"                  # eligible | not_eligible | undetermined | not_yet
    Then "fast_track" is decided by "fast_track.before_ind"
    Then "fast_track" asks about "indication.serious"
    Then "fast_track" has a caveat mentioning "withdraw"

Values are read as YAML reads a scalar: `true`, `900`, `ind_active`, `[a, b]`,
`{program: rmat, status: granted}`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from bgtc_rules import (
    Assessment,
    Determination,
    Dossier,
    ProgramAssessment,
    RuleBase,
    dossier_from_mapping,
    evaluate,
    load_dossier,
)
from bgtc_rules.dossier.editing import REMOVE, parse_value, with_changes

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
BLANK = {"program": {"name": "Scenario"}}


def _typed(pattern: str, convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """A `parse` type: the text a step argument must match, and its conversion."""

    def converter(text: str) -> Any:
        return convert(text)

    converter.pattern = pattern  # type: ignore[attr-defined]
    return converter


TYPES = {
    "Path": _typed(r"[a-z_][a-z0-9_.]*", str),  # a dossier field, e.g. indication.us_prevalence
    "Id": _typed(r"[a-z_][a-z0-9_.]*", str),  # a program or rule id
    "Value": _typed(r'[^"]*', parse_value),  # a YAML scalar, list or flow mapping
    "Date": _typed(r"\d{4}-\d{2}-\d{2}", dt.date.fromisoformat),
    "Determination": _typed("|".join(d.value for d in Determination), Determination),
}


def step(text: str) -> parsers.parse:
    """A step pattern with the vocabulary's types: Path, Value, Date, Determination, Id."""
    return parsers.parse(text, extra_types=TYPES)


@dataclass
class World:
    dossier: Dossier | None = None
    assessment: Assessment | None = None

    def change(self, changes: dict[str, Any]) -> None:
        assert self.dossier is not None, "no 'Given' step chose a dossier"
        self.dossier = with_changes(self.dossier, changes, source="<scenario>")

    def program(self, program: str) -> ProgramAssessment:
        assert self.assessment is not None, "no 'When it is evaluated' step ran"
        return self.assessment.program(program)


@pytest.fixture
def world() -> World:
    return World()


def _rows(datatable: list[list[str]], header: list[str]) -> list[list[str]]:
    assert datatable and [cell.strip() for cell in datatable[0]] == header, f"the table needs a header row {header}"
    return datatable[1:]


def _items(datatable: list[list[str]]) -> list[dict[str, Any]]:
    header = [cell.strip() for cell in datatable[0]]
    return [{key: parse_value(cell) for key, cell in zip(header, row, strict=True)} for row in datatable[1:]]


@given(step('the example dossier "{name}"'))
def example_dossier(world: World, name: str) -> None:
    world.dossier = load_dossier(SCENARIOS / name)


@given(step("a dossier with:"))
def dossier_with(world: World, datatable: list[list[str]]) -> None:
    world.dossier = dossier_from_mapping(BLANK, "<scenario>")
    world.change({path.strip(): parse_value(value) for path, value in _rows(datatable, ["field", "value"])})


@given(step('the dossier states "{path:Path}" is "{value:Value}"'))
def dossier_states(world: World, path: str, value: Any) -> None:
    world.change({path: value})


@given(step('the dossier leaves out "{path:Path}"'))
def dossier_leaves_out(world: World, path: str) -> None:
    world.change({path: REMOVE})


def _append(world: World, path: str, items: list[Any]) -> None:
    assert world.dossier is not None, "no 'Given' step chose a dossier"
    current: Any = world.dossier.model_dump(mode="json")
    for part in path.split("."):
        current = current.get(part) if isinstance(current, dict) else None
    world.change({path: [*(current or []), *items]})


@given(step('the dossier adds "{item:Value}" to "{path:Path}"'))
def dossier_adds(world: World, item: Any, path: str) -> None:
    _append(world, path, [item])


@given(step('the dossier adds "{item:Value}" to "{path:Path}" {count:d} times'))
def dossier_adds_times(world: World, item: Any, path: str, count: int) -> None:
    _append(world, path, [item] * count)


@given(step('the dossier adds to "{path:Path}":'))
def dossier_adds_rows(world: World, path: str, datatable: list[list[str]]) -> None:
    _append(world, path, _items(datatable))


@when(step('it is evaluated as of "{date:Date}"'))
def evaluated(world: World, rules: RuleBase, rule_coverage: Any, date: dt.date) -> None:
    assert world.dossier is not None, "no 'Given' step chose a dossier"
    world.assessment = evaluate(world.dossier, rules, as_of=date)
    rule_coverage.record(world.assessment)


@then(step('"{program:Id}" is "{determination:Determination}"'))
def determination_is(world: World, program: str, determination: Determination) -> None:
    result = world.program(program)
    assert result.determination is determination, (
        f"{program} is {result.determination.value} ({result.reason}), not {determination.value}"
    )


@then(step('"{program:Id}" is decided by "{rule:Id}"'))
def decided_by(world: World, program: str, rule: str) -> None:
    result = world.program(program)
    assert rule in result.deciding_rules, f"{program} is decided by {', '.join(result.deciding_rules) or 'no rule'}"


@then(step('"{program:Id}" asks about "{path:Path}"'))
def asks_about(world: World, program: str, path: str) -> None:
    asked = {m.path: m.question for m in world.program(program).missing}
    assert path in asked, f"{program} asks about {', '.join(asked) or 'nothing'}"


@then(step('"{program:Id}" has a caveat mentioning "{text}"'))
def caveat_mentions(world: World, program: str, text: str) -> None:
    caveats = world.program(program).caveats
    assert any(text.lower() in caveat.lower() for caveat in caveats), f"no caveat of {program} mentions {text!r}"
