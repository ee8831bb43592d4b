"""Stacking: which eligible programs add nothing beyond the others (the AMT-next-to-RMAT question)."""

from __future__ import annotations

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.stacking import benefits_of
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
    notes = {n.program: n for n in assessment.stacking}
    assert notes["fast_track"].adds_nothing
    assert "rmat" in notes["fast_track"].superseded_by
    assert notes["breakthrough_therapy"].superseded_by == ("rmat",)
    assert "amt_designation" not in notes or not notes["amt_designation"].adds_nothing
    assert not notes["rmat"].adds_nothing
    exported = {n["program"]: n for n in assessment.to_dict()["stacking"]}
    assert exported["fast_track"]["adds"] == []
