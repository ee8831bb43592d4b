"""The step vocabulary of the policy scenarios: one definition per step, used by both the BDD
suite (`features/steps.py` registers each with pytest-bdd) and the handbook's replay.

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
    Then "rolling_review" can be reached by obtaining "rmat"      # the smallest changes (bgtc explain)
    Then "rolling_review" is never reached by obtaining "breakthrough_therapy"
    Then no change toward "breakthrough_therapy" mentions "active control"
    Then the interview asks about "program.modality" before "indication.serious"
    Then the interview never asks about "development.non_approval_action_received"
    Then the course requests "rmat" before "breakthrough_therapy"   # the recommended course (course_steps)
    Then the course does not request "fast_track"                  # also: requests "X", requests "X" now
    Then the course files "rare_pediatric_disease" with "orphan_drug_designation"
    Then in the course "mtg_type_b_eop" waits for "mtg_type_a"
    Then the course holds "mtg_type_b_initial_comprehensive" within "mtg_type_b_eop"
    Then the "orphan_drug_designation" draft has a part on "rare pediatric disease"   # request drafts
    Then the "breakthrough_therapy" draft has no part on "preliminary advice"      # (draft_steps)
    Then the "orphan_drug_designation" draft says "U.S. agent"

Values are read as YAML reads a scalar: `true`, `900`, `ind_active`, `[a, b]`,
`{program: rmat, status: granted}`. Steps call only the public library API; a `Then` step that
does not hold raises `StepFailed` and returns the program it named when it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from inspect import signature
from typing import TYPE_CHECKING, Any, Literal

from bgtc_rules.advice.evaluation import evaluate
from bgtc_rules.advice.explanation import explain
from bgtc_rules.advice.interview import Interview
from bgtc_rules.dossier.editing import REMOVE, parse_value, value_at
from bgtc_rules.dossier.loading import dossier_from_mapping, load_dossier
from bgtc_rules.engine.counterfactual import Change, changes_to_reach
from bgtc_rules.engine.results import Determination
from bgtc_rules.policy.course_steps import (
    course_does_not_request,
    course_files_with,
    course_holds_within,
    course_order,
    course_requests,
    course_requests_now,
    course_waits_for,
)
from bgtc_rules.policy.draft_steps import draft_has_no_part, draft_has_part, draft_says
from bgtc_rules.policy.world import StepFailed as StepFailed
from bgtc_rules.policy.world import World as World

if TYPE_CHECKING:
    from parse import Parser

BLANK = {"program": {"name": "Scenario"}}  # what "a dossier with:" starts from
Table = list[list[str]]


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


def _rows(datatable: Table, header: list[str]) -> Table:
    if not datatable or [cell.strip() for cell in datatable[0]] != header:
        raise StepFailed(f"the table needs a header row | {' | '.join(header)} |")
    return datatable[1:]


def _items(datatable: Table) -> list[dict[str, Any]]:
    if len(datatable) < 2:
        raise StepFailed("the table needs a header row of item properties and one row per item")
    header = [cell.strip() for cell in datatable[0]]
    return [{key: parse_value(cell) for key, cell in zip(header, row, strict=True)} for row in datatable[1:]]


def _append(world: World, path: str, items: list[Any]) -> None:
    if world.dossier is None:
        raise StepFailed("no 'Given' step chose a dossier")
    current = value_at(world.dossier.model_dump(mode="json"), path)
    world.change({path: [*(current or []), *items]})


# -- Given


def example_dossier(world: World, name: str) -> None:
    world.dossier = load_dossier(world.scenarios_dir / name)


def dossier_with(world: World, datatable: Table) -> None:
    rows = _rows(datatable, ["field", "value"])
    world.dossier = dossier_from_mapping(BLANK, "<scenario>")
    world.change({path.strip(): parse_value(value) for path, value in rows})


def dossier_states(world: World, path: str, value: Any) -> None:
    world.change({path: value})


def dossier_leaves_out(world: World, path: str) -> None:
    world.change({path: REMOVE})


def dossier_adds(world: World, item: Any, path: str) -> None:
    _append(world, path, [item])


def dossier_adds_times(world: World, item: Any, path: str, count: int) -> None:
    _append(world, path, [item] * count)


def dossier_adds_rows(world: World, path: str, datatable: Table) -> None:
    _append(world, path, _items(datatable))


# -- When


def evaluated(world: World, date: dt.date) -> None:
    if world.dossier is None:
        raise StepFailed("no 'Given' step chose a dossier")
    world.assessment = evaluate(world.dossier, world.rules, as_of=date, backend=world.backend)
    if world.on_evaluated is not None:
        world.on_evaluated(world.assessment)


# -- Then: each returns the program it named


def determination_is(world: World, program: str, determination: Determination) -> str:
    result = world.program(program)
    if result.determination is not determination:
        raise StepFailed(f"the rules give {result.determination.value} ({result.reason})")
    return program


def decided_by(world: World, program: str, rule: str) -> str:
    result = world.program(program)
    if rule not in result.deciding_rules:
        raise StepFailed(f"decided by {', '.join(result.deciding_rules) or 'no rule'}")
    return program


def asks_about(world: World, program: str, path: str) -> str:
    asked = [m.path for m in world.program(program).missing]
    if path not in asked:
        raise StepFailed(f"asks about {', '.join(asked) or 'nothing'}")
    return program


def does_not_ask_about(world: World, program: str, path: str) -> str:
    if path in (m.path for m in world.program(program).missing):
        raise StepFailed(f"asks about {path}")
    return program


def caveat_mentions(world: World, program: str, text: str) -> str:
    if not any(text.lower() in caveat.lower() for caveat in world.program(program).caveats):
        raise StepFailed(f"no caveat of {program} mentions {text!r}")
    return program


def available_once(world: World, program: str, designations: str) -> str:
    wanted = tuple(d.strip() for d in designations.split(",") if d.strip())
    found = world.program(program).available_once
    if found != wanted:
        raise StepFailed(f"available once {', '.join(found) or 'nothing'} ({world.program(program).reason})")
    return program


def recorded_as(world: World, program: str, standing: str) -> str:
    if world.assessment is None:
        raise StepFailed("no 'When' step evaluated the dossier")
    found = world.assessment.designation(program).standing.value
    if found != standing:
        raise StepFailed(f"{program} is recorded as {found}")
    return program


def reason_mentions(world: World, program: str, text: str) -> str:
    reason = world.program(program).reason
    if text.lower() not in reason.lower():
        raise StepFailed(f"the reason of {program} is {reason!r}")
    return program


def _changes(world: World, program: str) -> list[tuple[Change, ...]]:
    world.program(program)
    assert world.dossier is not None and world.assessment is not None
    return changes_to_reach(world.dossier, world.rules, program, world.assessment.as_of)


def _obtained(combos: list[tuple[Change, ...]]) -> set[str]:
    return {item["program"] for combo in combos for c in combo if c.path == "designations" for item in c.value}


def reached_by_obtaining(world: World, program: str, designation: str) -> str:
    found = _obtained(_changes(world, program))
    if designation not in found:
        raise StepFailed(f"the smallest changes obtain {', '.join(sorted(found)) or 'no designation'}")
    return program


def never_reached_by_obtaining(world: World, program: str, designation: str) -> str:
    if designation in _obtained(_changes(world, program)):
        raise StepFailed(f"a smallest change obtains {designation}")
    return program


def no_change_mentions(world: World, program: str, text: str) -> str:
    """Neither the change nor the sentence `bgtc explain` shows for it mentions `text`."""
    assert world.dossier is not None and world.assessment is not None
    explanation = explain(world.dossier, world.rules, program, world.assessment.as_of, world.backend)
    said = [words for combo in explanation.changes for c in combo for words in (c.summary, explanation.says(c))
            if text.lower() in words.lower()]
    if said:
        raise StepFailed(f"a change says: {said[0]}")
    return program


def _interview_order(world: World) -> list[str]:
    """The questions the interview asks from this dossier, answering "I don't know" to each."""
    if world.dossier is None or world.assessment is None:
        raise StepFailed("no 'When it is evaluated' step ran")
    start = world.dossier.model_dump(mode="json", exclude_none=True)
    session = Interview(world.rules, world.assessment.as_of, world.backend, start)
    asked = []
    while (question := session.next_question()) is not None:
        asked.append(question.path)
        session.skip(question.path)
    return asked


def interview_asks_before(world: World, first: str, second: str) -> None:
    asked = _interview_order(world)
    if first not in asked or second not in asked or asked.index(first) > asked.index(second):
        raise StepFailed(f"the interview asks, in order: {', '.join(asked) or 'nothing'}")


def interview_never_asks(world: World, path: str) -> None:
    if path in _interview_order(world):
        raise StepFailed(f"the interview asks about {path}")


def reason_reads(world: World, program: str, text: str) -> str:
    reason = world.program(program).reason
    if reason != text:
        raise StepFailed(f"the reason reads {reason!r}")
    return program


@dataclass(frozen=True)
class StepDefinition:
    kind: Literal["given", "when", "then"]
    pattern: str  # a `parse` pattern over TYPES
    run: Callable[..., str | None]  # (world, the pattern's arguments, datatable if it takes one)


VOCABULARY: tuple[StepDefinition, ...] = (
    StepDefinition("given", 'the example dossier "{name}"', example_dossier),
    StepDefinition("given", "a dossier with:", dossier_with),
    StepDefinition("given", 'the dossier states "{path:Path}" is "{value:Value}"', dossier_states),
    StepDefinition("given", 'the dossier leaves out "{path:Path}"', dossier_leaves_out),
    StepDefinition("given", 'the dossier adds "{item:Value}" to "{path:Path}"', dossier_adds),
    StepDefinition("given", 'the dossier adds "{item:Value}" to "{path:Path}" {count:d} times', dossier_adds_times),
    StepDefinition("given", 'the dossier adds to "{path:Path}":', dossier_adds_rows),
    StepDefinition("when", 'it is evaluated as of "{date:Date}"', evaluated),
    StepDefinition("then", '"{program:Id}" is "{determination:Determination}"', determination_is),
    StepDefinition("then", '"{program:Id}" is decided by "{rule:Id}"', decided_by),
    StepDefinition("then", '"{program:Id}" asks about "{path:Path}"', asks_about),
    StepDefinition("then", '"{program:Id}" does not ask about "{path:Path}"', does_not_ask_about),
    StepDefinition("then", '"{program:Id}" has a caveat mentioning "{text}"', caveat_mentions),
    StepDefinition("then", '"{program:Id}" is available once "{designations}" is granted', available_once),
    StepDefinition("then", '"{program:Id}" is recorded as "{standing}"', recorded_as),
    StepDefinition("then", '"{program:Id}" says "{text}"', reason_mentions),
    StepDefinition("then", '"{program:Id}" can be reached by obtaining "{designation:Id}"', reached_by_obtaining),
    StepDefinition("then", '"{program:Id}" is never reached by obtaining "{designation:Id}"',
                   never_reached_by_obtaining),
    StepDefinition("then", 'no change toward "{program:Id}" mentions "{text}"', no_change_mentions),
    StepDefinition("then", 'the interview asks about "{first:Path}" before "{second:Path}"', interview_asks_before),
    StepDefinition("then", 'the interview never asks about "{path:Path}"', interview_never_asks),
    StepDefinition("then", 'the reason for "{program:Id}" reads "{text}"', reason_reads),
    StepDefinition("then", 'the course requests "{program:Id}"', course_requests),
    StepDefinition("then", 'the course requests "{program:Id}" now', course_requests_now),
    StepDefinition("then", 'the course does not request "{program:Id}"', course_does_not_request),
    StepDefinition("then", 'the course requests "{first:Id}" before "{second:Id}"', course_order),
    StepDefinition("then", 'the course files "{program:Id}" with "{other:Id}"', course_files_with),
    StepDefinition("then", 'in the course "{program:Id}" waits for "{other:Id}"', course_waits_for),
    StepDefinition("then", 'the course holds "{program:Id}" within "{host:Id}"', course_holds_within),
    StepDefinition("then", 'the "{program:Id}" draft has a part on "{text}"', draft_has_part),
    StepDefinition("then", 'the "{program:Id}" draft has no part on "{text}"', draft_has_no_part),
    StepDefinition("then", 'the "{program:Id}" draft says "{text}"', draft_says),
)


def run_step(world: World, text: str, datatable: Table | None) -> str | None:
    """Run the step whose pattern matches all of `text`; the program a `Then` step named."""
    from parse import Result

    for definition, parser, takes_table in _parsers():
        found = parser.parse(text)
        if isinstance(found, Result):
            arguments = dict(found.named)
            if takes_table:
                arguments["datatable"] = datatable or []
            return definition.run(world, **arguments)
    raise StepFailed("not a step of the policy vocabulary (bgtc_rules/policy/steps.py)")


@cache
def _parsers() -> list[tuple[StepDefinition, Parser, bool]]:
    from parse import compile as compile_pattern  # the matcher pytest-bdd uses for the same patterns

    return [(d, compile_pattern(d.pattern, extra_types=TYPES), "datatable" in signature(d.run).parameters)
            for d in VOCABULARY]
