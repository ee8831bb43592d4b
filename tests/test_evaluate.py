from __future__ import annotations

import json

import pytest

from bgtc_rules import Determination, RuleBase, dossier_from_mapping, evaluate, load_dossier
from bgtc_rules.advice.assessment import FORMAT
from bgtc_rules.engine.backends import durable_available

from .paths import AS_OF, SCENARIOS

PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"


def _without_seriousness() -> dict[str, object]:
    dossier = load_dossier(PHASE12).model_dump(mode="json", exclude_none=True)
    del dossier["indication"]["serious"]  # type: ignore[attr-defined]
    return dossier


def test_unknown_seriousness_makes_fast_track_undetermined_not_ineligible(rulebase: RuleBase) -> None:
    assessment = evaluate(dossier_from_mapping(_without_seriousness()), rulebase, as_of=AS_OF)
    fast_track = assessment.program("fast_track")
    assert fast_track.determination is Determination.UNDETERMINED
    missing = {m.path: m.question for m in fast_track.missing}
    assert "indication.serious" in missing
    assert "serious or life-threatening" in missing["indication.serious"]


@pytest.mark.skipif(not durable_available(), reason="durable-rules is not importable here")
def test_json_has_determinations_chain_citations_and_backend(rulebase: RuleBase) -> None:
    data = json.loads(evaluate(load_dossier(PHASE12), rulebase, as_of=AS_OF, backend="durable-rules").to_json())
    assert data["format"] == FORMAT
    assert data["backend"] == "durable-rules"
    assert data["rules"]["edition"].startswith("bgtc-rules")
    rmat = next(p for p in data["programs"] if p["program"] == "rmat")
    assert rmat["determination"] == "eligible"
    fired = {f["rule"]: f for f in data["fired_rules"]}
    # available therapy (refuted) -> unmet need -> potential to address it -> fast track: three derived steps
    chain = ["concept.unmet_medical_need.no_available_therapy", "concept.potential_to_address_unmet_need",
             "fast_track.eligible"]
    assert all(rule in fired for rule in chain)
    assert {"source": "concept:unmet_medical_need", "value": True} in fired[chain[1]]["matched"]
    assert {"source": "concept:potential_to_address_unmet_need", "value": True} in fired[chain[2]]["matched"]
    assert all(f["citations"] for f in data["fired_rules"])
    assert all(p["citations"] for p in data["programs"] if p["determination"] != "undetermined")


def test_rules_out_of_force_do_not_fire(rulebase: RuleBase) -> None:
    import datetime as dt

    before_cures_act = evaluate(load_dossier(PHASE12), rulebase, as_of=dt.date(2016, 1, 1))
    rmat = before_cures_act.program("rmat")
    assert rmat.determination is Determination.NOT_ELIGIBLE
    assert "rmat.eligible" not in {f.rule_id for f in before_cures_act.firings}
    failed = {f for r in rmat.rules for f in r.failed}
    assert "Not in force on January 1, 2016: the rule that would allow it is in force from December 13, 2016." in failed


def test_same_input_gives_identical_json(rulebase: RuleBase) -> None:
    dossier = load_dossier(PHASE12)
    first = evaluate(dossier, rulebase, as_of=AS_OF).to_json()
    assert all(evaluate(dossier, rulebase, as_of=AS_OF).to_json() == first for _ in range(3))


def test_why_not_lists_failed_conditions(rulebase: RuleBase) -> None:
    dossier = load_dossier(SCENARIOS / "adult_rare_with_available_therapy.yaml")
    breakthrough = evaluate(dossier, rulebase, as_of=AS_OF).program("breakthrough_therapy")
    assert breakthrough.determination is Determination.NOT_ELIGIBLE
    assert breakthrough.reason == "No clinically significant endpoint shows a substantial improvement."


def test_the_exported_evaluate_is_the_function_even_after_its_module_is_imported() -> None:
    import bgtc_rules
    import bgtc_rules.advice.evaluation  # a submodule import sets the package attribute of its own name

    assert callable(bgtc_rules.evaluate) and bgtc_rules.evaluate.__module__ == "bgtc_rules.advice.evaluation"
