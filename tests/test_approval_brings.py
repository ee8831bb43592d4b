"""What approval would bring (the exclusivity programs): listed in the plan, never a course step."""

from __future__ import annotations

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.plan import build_plan
from bgtc_rules.dossier.editing import with_changes
from bgtc_rules.language.spec import ProgramKind
from bgtc_rules.render.plan_text import render_plan

from .paths import AS_OF, SCENARIOS

PHASE_12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"


def _exclusivities(rulebase: RuleBase) -> set[str]:
    return {p for p, spec in rulebase.programs.items() if spec.kind is ProgramKind.EXCLUSIVITY}


def test_exclusivities_are_listed_in_the_plan_and_never_steps_of_the_course(rulebase: RuleBase) -> None:
    dossier = with_changes(load_dossier(PHASE_12), {"pediatric.written_request_received": True,
                                                    "pediatric.written_request_studies_accepted": True})
    assessment = evaluate(dossier, rulebase, as_of=AS_OF)
    plan = build_plan(assessment, rulebase, AS_OF)
    exclusivities = _exclusivities(rulebase)
    assert exclusivities == {"reference_product_exclusivity", "pediatric_exclusivity"}
    assert not exclusivities & {step.program for step in assessment.course.steps}
    assert not exclusivities & {step.program for step in plan.next_steps}
    assert {step.program for step in plan.approval_brings} == exclusivities
    text = render_plan(plan)
    assert "What approval would bring:" in text
    assert "12 years after the date of first licensure" in text
    assert plan.to_dict()["approval_brings"][0]["program"] in exclusivities


def test_an_open_exclusivity_says_what_decides_it(rulebase: RuleBase) -> None:
    assessment = evaluate(load_dossier(PHASE_12), rulebase, as_of=AS_OF)
    plan = build_plan(assessment, rulebase, AS_OF)
    pediatric = next(step for step in plan.approval_brings if step.program == "pediatric_exclusivity")
    assert pediatric.title.startswith("Possibly: ")
    assert "Written Request" in pediatric.detail


def test_a_drug_approved_under_an_nda_brings_no_biologic_exclusivity(rulebase: RuleBase) -> None:
    dossier = with_changes(load_dossier(PHASE_12), {"program.modality": "antisense_or_rna"})
    plan = build_plan(evaluate(dossier, rulebase, as_of=AS_OF), rulebase, AS_OF)
    assert plan.approval_brings == ()
    assert "What approval would bring" not in render_plan(plan)
