"""The benefit matrix: what each designation adds beyond those held or recommended (the AMT-next-to-RMAT question)."""

from __future__ import annotations

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.course import benefits_of
from bgtc_rules.dossier.editing import with_changes

from .paths import AS_OF, SCENARIOS


def test_included_programs_pass_on_their_benefits(rulebase: RuleBase) -> None:
    assert benefits_of(rulebase, "fast_track") <= benefits_of(rulebase, "breakthrough_therapy")
    assert benefits_of(rulebase, "breakthrough_therapy") <= benefits_of(rulebase, "rmat")


def test_fast_track_adds_nothing_beside_rmat_but_amt_does(rulebase: RuleBase) -> None:
    dossier = with_changes(load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml"), {
        "manufacturing.novel_technology": True,
        "manufacturing.improvements": ["reduces_development_time", "increases_supply"],
        "manufacturing.quality_equivalent_or_better": True,
    })
    assessment = evaluate(dossier, rulebase, as_of=AS_OF)
    assert assessment.program("amt_designation").determination.value == "eligible"
    matrix = assessment.benefits
    assert matrix.row("fast_track").adds_nothing
    assert matrix.row("fast_track").standing.value == "not advised"
    assert "rmat" in matrix.others_offering("fast_track", "rolling_review")
    assert matrix.row("breakthrough_therapy").adds_nothing  # RMAT gives every breakthrough benefit
    assert set(matrix.row("amt_designation").adds) == {"expedited_review_of_amt_applications", "amt_data_reliance"}
    assert "supplemental applications" in matrix.text("expedited_review_of_amt_applications")
    assert not matrix.row("rmat").adds_nothing
    exported = {r["program"]: r for r in assessment.to_dict()["benefits"]["rows"]}
    assert exported["fast_track"]["adds"] == []
