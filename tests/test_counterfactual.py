"""The smallest changes to eligibility are ones the program can make (`engine.counterfactual`,
`engine.reach`, the limits in rules/questions.yaml `changes:`)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bgtc_rules import RuleBase, dossier_from_mapping
from bgtc_rules.dossier.loading import load_dossier
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.counterfactual import Change, changes_to_reach
from bgtc_rules.engine.evaluation import run_engine
from bgtc_rules.engine.facts import dossier_facts
from bgtc_rules.engine.reach import DESIGNATION_HELD, DESIGNATION_OPEN, EVIDENCE, Reach
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import fact_catalog

from .paths import ROOT
from .strategies import dossiers

AS_OF = dt.date(2026, 12, 6)
SCENARIOS = ROOT / "scenarios"


@functools.cache
def _rules() -> RuleBase:
    return RuleBase.load()


def _scenario(name: str) -> Dossier:
    return load_dossier(SCENARIOS / f"{name}.yaml")


def _designations(combo: tuple[Change, ...]) -> set[str]:
    return {item["program"] for c in combo if c.path == "designations" for item in c.value}


def _determinations(dossier: Dossier) -> dict[str, Determination]:
    return {p.program: p.determination for p in run_engine(dossier, _rules(), AS_OF, "reference").programs}


def test_rolling_review_is_reached_through_the_designations_the_program_qualifies_for() -> None:
    dossier = _scenario("aav_phase12_pediatric_neuro")
    found = changes_to_reach(dossier, _rules(), "rolling_review", AS_OF)
    assert [_designations(combo) for combo in found] == [{"fast_track"}, {"breakthrough_therapy"}, {"rmat"}]
    assert all(c.tier == DESIGNATION_HELD for combo in found for c in combo)
    assert all(c.summary.startswith("Obtain ") and "qualifies for it now" in c.summary
               for combo in found for c in combo)


def test_rolling_review_never_suggests_a_designation_the_program_fails() -> None:
    dossier = _scenario("rdep_ultra_rare_known_genetic_cause")
    now = _determinations(dossier)
    assert now["breakthrough_therapy"] is Determination.NOT_ELIGIBLE
    found = changes_to_reach(dossier, _rules(), "rolling_review", AS_OF)
    suggested = set().union(*(_designations(combo) for combo in found))
    assert suggested, "fast track or RMAT reaches it"
    assert all(now[program] is Determination.ELIGIBLE for program in suggested)


def test_no_active_control_where_no_therapy_is_approved() -> None:
    dossier = _scenario("aav_pre_ind_pediatric_neuro")
    assert dossier.therapy_landscape is not None and dossier.therapy_landscape.available_therapies == []
    for program in ("breakthrough_therapy", "rmat"):
        found = changes_to_reach(dossier, _rules(), program, AS_OF)
        assert found
        endpoints = [item for combo in found for c in combo if c.path == "clinical.endpoints" for item in c.value]
        assert endpoints and all(item["comparator"] != "active_control" for item in endpoints)


def test_an_active_control_may_be_suggested_where_a_therapy_is_approved() -> None:
    reach = Reach(_rules().changes, {"therapy_landscape.available_therapies#count": 1}, {})
    signature = "kind=clinical;surrogate_status=not_applicable;comparator=active_control;effect=substantial_improvement"
    assert reach.item_tier("clinical.endpoints", signature) == EVIDENCE
    assert Reach(_rules().changes, {"therapy_landscape.available_therapies#count": 0}, {}).item_tier(
        "clinical.endpoints", signature) is None


def test_before_the_ind_rolling_review_is_reached_with_the_ind_and_fast_track_once_it_can_be_requested() -> None:
    dossier = _scenario("aav_pre_ind_pediatric_neuro")
    found = changes_to_reach(dossier, _rules(), "rolling_review", AS_OF)
    assert found and _designations(found[0]) == {"fast_track"}
    assert {c.path for c in found[0]} == {"designations", "development.stage"}
    assert "once it can be requested" in next(c.summary for c in found[0] if c.path == "designations")
    assert all(not ({"rmat", "breakthrough_therapy"} & _designations(combo)) for combo in found), \
        "RMAT and breakthrough need clinical evidence the IND alone does not bring"


def test_no_change_after_the_bla_goes_back_a_stage() -> None:
    dossier = _scenario("aav_bla_submitted_priority_review_voucher")
    assert changes_to_reach(dossier, _rules(), "breakthrough_therapy", AS_OF) == []


def test_known_facts_of_the_disease_and_product_are_not_changed_but_unknown_ones_may_be_answered() -> None:
    limits = _rules().changes
    reach = Reach(limits, {}, {})
    assert reach.tier("indication.us_prevalence", 250_000, 150_000) is None
    assert reach.tier("program.modality", "aav_gene_therapy", "cell_therapy") is None
    assert reach.tier("indication.us_prevalence", None, 150_000) == EVIDENCE
    assert reach.tier("development.stage", "bla_submitted", "ind_active") is None
    assert reach.tier("development.stage", "ind_enabling", "ind_active") == EVIDENCE
    assert reach.tier("clinical.patients_dosed", 3, 1) is None
    assert reach.tier("development.end_of_phase_2_held", True, False) is None


def test_an_undecided_designation_is_suggested_only_when_nothing_better_reaches_it() -> None:
    reach = Reach(_rules().changes, {}, {"fast_track": Determination.UNDETERMINED, "cnpv": Determination.NOT_ELIGIBLE,
                                         "rmat": Determination.ELIGIBLE})
    assert reach.item_tier("designations", "program=fast_track;status=granted") == DESIGNATION_OPEN
    assert reach.item_tier("designations", "program=cnpv;status=granted") is None
    assert reach.item_tier("designations", "program=rmat;status=granted") == DESIGNATION_HELD
    later = Reach(_rules().changes, {}, {"fast_track": Determination.NOT_YET, "rmat": Determination.CLOSED})
    assert later.item_tier("designations", "program=fast_track;status=granted") == DESIGNATION_OPEN
    assert later.item_tier("designations", "program=rmat;status=granted") is None, "its window has passed"
    assert reach.tier("designations", ("program=rmat;status=requested",), ()) is None, "history is kept"


PROGRAMS = st.sampled_from(["rolling_review", "breakthrough_therapy", "rmat", "fast_track",
                            "mtg_type_b_initial_comprehensive", "accelerated_approval", "orphan_drug_designation"])


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=dossiers(), program=PROGRAMS)
@example(data={"schema_version": 1, "program": {"name": "x"}, "designations": [
    {"program": "orphan_drug_designation", "status": "planned"}] * 3}, program="rolling_review")
def test_every_suggested_change_is_one_the_program_can_make(data: dict[str, Any], program: str) -> None:
    """On generated dossiers: no known fixed fact changes, nothing moves back, no history is lost,
    every suggested designation is one the program is eligible for (or undecided, when nothing
    else reaches it), no active control without an approved therapy; designations first."""
    rules = _rules()
    dossier = dossier_from_mapping(data)
    facts = dossier_facts(dossier)
    now = _determinations(dossier)
    limits = rules.changes
    found = changes_to_reach(dossier, rules, program, AS_OF)
    tiers = [max(c.tier for c in combo) for combo in found]
    assert tiers == sorted(tiers)
    if tiers and tiers[0] < DESIGNATION_OPEN:
        assert DESIGNATION_OPEN not in tiers
    therapies = facts["therapy_landscape.available_therapies#count"]
    for combo in found:
        for change in combo:
            before = facts[change.path]
            if change.path in limits.fixed:
                assert before is None, f"{change.path} is known and cannot change"
            if change.path in limits.forward and before is not None and fact_catalog()[change.path].kind == "enum":
                domain = fact_catalog()[change.path].domain
                assert domain.index(change.value) >= domain.index(before)
            if change.path == "designations":
                for program_id in _designations((change,)):
                    already = any(d.program == program_id for d in dossier.designations or [])
                    assert already or now[program_id] in (Determination.ELIGIBLE, Determination.UNDETERMINED,
                                                          Determination.NOT_YET)
                # Identical records say nothing more than one of them: the facts hold each once.
                distinct = {(d.program, d.status, d.date) for d in dossier.designations or []}
                assert len(change.value) >= len(distinct)
            if change.path == "clinical.endpoints" and not therapies:
                had = sum(1 for e in (dossier.clinical.endpoints or []) if dossier.clinical
                          and str(getattr(e.comparator, "value", e.comparator)) == "active_control")
                assert sum(1 for item in change.value if item.get("comparator") == "active_control") <= had
