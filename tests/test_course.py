"""The one recommended course (`advice.course`) and the plan that dates it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.plan import build_plan
from bgtc_rules.base.errors import InputError
from bgtc_rules.dossier.editing import with_changes
from bgtc_rules.dossier.schema import Dossier

from .paths import AS_OF, SCENARIOS
from .scenario_headers import course_expectations

PHASE_12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
ON_HOLD = SCENARIOS / "aav_ind_on_clinical_hold.yaml"
BLA = SCENARIOS / "aav_bla_submitted_priority_review_voucher.yaml"


def _assess(rulebase: RuleBase, path: Path, changes: dict[str, Any] | None = None) -> Assessment:
    dossier: Dossier = load_dossier(path)
    if changes:
        dossier = with_changes(dossier, changes)
    return evaluate(dossier, rulebase, as_of=AS_OF)


def _steps(assessment: Assessment) -> list[str]:
    return [step.program for step in assessment.course.steps]


def test_rmat_first_breakthrough_beside_it_and_fast_track_set_aside(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, PHASE_12)
    steps = _steps(assessment)
    assert steps[:2] == ["rmat", "breakthrough_therapy"]
    assert "fast_track" not in steps
    aside = {s.program: s for s in assessment.course.set_aside}
    assert "every fast track feature" in aside["fast_track"].reason
    assert any("506(g)(5)" in c.section for c in aside["fast_track"].citations)


def test_fast_track_is_the_fallback_when_rmat_and_breakthrough_were_denied(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, PHASE_12, {"designations": [
        {"program": "rmat", "status": "denied", "date": dt.date(2026, 6, 1)},
        {"program": "breakthrough_therapy", "status": "denied", "date": dt.date(2026, 6, 1)},
    ]})
    steps = _steps(assessment)
    assert "fast_track" in steps
    assert "rmat" not in steps and "breakthrough_therapy" not in steps
    aside = {s.program: s.reason for s in assessment.course.set_aside}
    assert "new evidence" in aside["rmat"]


def test_a_held_or_pending_designation_is_never_requested_again(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, PHASE_12, {"designations": [
        {"program": "rmat", "status": "granted", "date": dt.date(2026, 9, 1)},
        {"program": "orphan_drug_designation", "status": "requested", "date": dt.date(2026, 10, 1)},
    ]})
    steps = _steps(assessment)
    assert "rmat" not in steps and "orphan_drug_designation" not in steps
    assert "fast_track" not in steps  # RMAT is held: fast track adds nothing
    plan = build_plan(assessment, rulebase, AS_OF)
    assert not {e.program for e in plan.events} & {"rmat", "orphan_drug_designation", "fast_track"}


def test_rpd_goes_out_with_orphan_for_the_60_day_decision(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, PHASE_12)
    step = assessment.course.step("rare_pediatric_disease")
    assert step is not None and step.filed_with == "orphan_drug_designation"
    assert "60 days" in step.reason and "529(d)" in step.citations[0].section
    plan = build_plan(assessment, rulebase, AS_OF)
    requests = {e.program: e.date for e in plan.events if e.step == "request"}
    assert requests["rare_pediatric_disease"] == requests["orphan_drug_designation"]


def test_rpd_filed_alone_has_no_response_deadline_in_the_plan(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, PHASE_12, {"designations": [
        {"program": "orphan_drug_designation", "status": "granted", "date": dt.date(2026, 1, 5)}]})
    step = assessment.course.step("rare_pediatric_disease")
    assert step is not None and step.filed_with is None
    plan = build_plan(assessment, rulebase, AS_OF)
    assert not [e for e in plan.events if e.program == "rare_pediatric_disease" and e.step == "fda_response"]
    assert any("no deadline when filed on its own" in line for line in plan.undated)


def test_initial_comprehensive_meeting_folds_into_the_end_of_phase_meeting(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, PHASE_12, {"designations": [
        {"program": "rmat", "status": "granted", "date": dt.date(2026, 9, 1)}]})
    assert assessment.program("mtg_type_b_initial_comprehensive").determination.value == "eligible"
    eop = assessment.course.step("mtg_type_b_eop")
    assert eop is not None and eop.folded == ("mtg_type_b_initial_comprehensive",)
    assert "mtg_type_b_initial_comprehensive" not in _steps(assessment)
    assert any("Initial Comprehensive Meeting" in c.section for c in eop.citations)
    plan = build_plan(assessment, rulebase, AS_OF)
    assert "mtg_type_b_initial_comprehensive" not in {e.program for e in plan.events}
    request = next(e for e in plan.events if e.program == "mtg_type_b_eop" and e.step == "request")
    assert "held within it" in request.title


def test_without_an_end_of_phase_meeting_the_initial_comprehensive_meeting_is_its_own_step(
        rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, PHASE_12, {
        "designations": [{"program": "rmat", "status": "granted", "date": dt.date(2026, 9, 1)}],
        "development.end_of_phase_2_held": True})
    assert "mtg_type_b_eop" not in _steps(assessment)
    assert "mtg_type_b_initial_comprehensive" in _steps(assessment)


def test_on_clinical_hold_the_type_a_meeting_comes_first_and_the_rest_waits(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, ON_HOLD)
    steps = assessment.course.steps
    assert steps[0].program == "mtg_type_a" and steps[0].waits_for is None
    assert steps[0].reason.startswith("First:")
    assert all(s.waits_for == "mtg_type_a" for s in steps[1:])
    assert {"breakthrough_therapy", "mtg_type_b_eop"} <= {s.program for s in steps[1:]}
    plan = build_plan(assessment, rulebase, AS_OF)
    held = next(e.date for e in plan.events if e.program == "mtg_type_a" and e.step == "meeting")
    later = [e for e in plan.events if e.step == "request" and e.program != "mtg_type_a"]
    assert later and all(e.date >= held for e in later)


def test_without_the_hold_the_type_a_meeting_does_not_hold_the_rest_back(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, ON_HOLD, {"development.clinical_hold": False})
    assert all(s.waits_for is None or s.filed_with for s in assessment.course.steps)


def test_after_the_bla_nothing_that_only_helps_before_it(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, BLA)
    steps = set(_steps(assessment))
    assert not steps & {"fast_track", "breakthrough_therapy", "rmat", "orphan_drug_designation",
                        "rare_pediatric_disease", "mtg_type_b_eop"}


def test_the_plan_lists_the_course_steps_in_course_order_on_each_day(rulebase: RuleBase) -> None:
    assessment = _assess(rulebase, PHASE_12)
    plan = build_plan(assessment, rulebase, AS_OF)
    first_day = [e.program for e in plan.events if e.step == "request" and e.date == AS_OF]
    assert first_day == [p for p in _steps(assessment) if p in first_day]
    assert {e.program for e in plan.events if e.step == "request"} == set(_steps(assessment))


def test_the_export_carries_the_course_and_the_benefit_matrix(rulebase: RuleBase) -> None:
    data = _assess(rulebase, PHASE_12).to_dict()
    assert data["format"] == "bgtc.assessment/2"
    assert [s["program"] for s in data["course"]["steps"]][:2] == ["rmat", "breakthrough_therapy"]
    rows = {r["program"]: r for r in data["benefits"]["rows"]}
    assert rows["fast_track"]["standing"] == "not advised" and rows["fast_track"]["adds"] == []


def _rule_dir(tmp_path: Path, course: str) -> Path:
    (tmp_path / "extra.yaml").write_text(f"""
program:
  id: extra_designation
  name: Extra designation
  kind: designation
  summary: A test program.
  citations: [{{document: Test, section: "1"}}]
  course:
{course}
""", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("course", "message"), [
    ("    fallback_for: {programs: [no_such_program], reason: Because., citations: [{document: T, section: '1'}]}",
     "course.fallback_for names unknown program 'no_such_program'"),
    ("    file_with: {programs: [extra_designation], reason: Because., citations: [{document: T, section: '1'}]}",
     "course.file_with names the program itself"),
    ("    only_before: {when: {fact: development.no_such_fact, op: '==', value: true}, reason: Because., "
     "citations: [{document: T, section: '1'}]}", "unknown fact path 'development.no_such_fact'"),
    ("    comes_first_when: {when: {concept: no_such_concept}, reason: Because., "
     "citations: [{document: T, section: '1'}]}", "reads unknown concept 'no_such_concept'"),
])
def test_loading_refuses_a_course_field_that_points_at_nothing(tmp_path: Path, course: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        RuleBase.load([_rule_dir(tmp_path, course)])
    assert message in str(error.value)


def test_a_course_field_needs_a_reason_and_a_citation(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        RuleBase.load([_rule_dir(tmp_path, "    fallback_for: {programs: [rmat]}")])


COURSE_SCENARIOS = sorted(p for p in SCENARIOS.glob("*.yaml") if course_expectations(p))


def test_the_course_scenarios_are_bundled() -> None:
    names = {p.name for p in COURSE_SCENARIOS}
    assert {"course_clinical_hold_type_a_first.yaml", "course_rmat_rather_than_fast_track.yaml",
            "course_orphan_and_rare_pediatric_together.yaml",
            "course_end_of_phase_meeting_with_initial_comprehensive.yaml"} <= names


@pytest.mark.parametrize("path", COURSE_SCENARIOS, ids=lambda p: p.name)
def test_scenario_course_headers_hold(rulebase: RuleBase, path: Path) -> None:
    dossier = load_dossier(path)
    for as_of, steps, never in course_expectations(path):
        assessment = evaluate(dossier, rulebase, as_of=as_of)
        got = _steps(assessment)
        assert [p for p in got if p in steps] == steps, f"{path.name}: course {got}"
        assert not set(got) & set(never), f"{path.name}: course {got}"
        plan = build_plan(assessment, rulebase, as_of)
        assert not {e.program for e in plan.events} & set(never)
