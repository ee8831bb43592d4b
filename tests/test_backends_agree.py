"""The durable-rules backend and the reference evaluator must reach the same conclusions."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bgtc_rules import RuleBase, dossier_from_mapping, evaluate
from bgtc_rules.engine.backends import durable_available

from .strategies import dossiers

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules is not importable here")

@functools.cache
def _rules() -> RuleBase:
    return RuleBase.load()


DATES = st.sampled_from([dt.date(2015, 6, 1), dt.date(2024, 6, 1), dt.date(2026, 11, 21), dt.date(2030, 1, 1)])


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=dossiers(), as_of=DATES)
def test_backends_agree_on_generated_dossiers(data: dict[str, Any], as_of: dt.date) -> None:
    rulebase = _rules()
    dossier = dossier_from_mapping(data)
    durable = evaluate(dossier, rulebase, as_of=as_of, backend="durable-rules")
    reference = evaluate(dossier, rulebase, as_of=as_of, backend="reference")
    assert durable.determinations() == reference.determinations()
    assert [f.rule_id for f in durable.firings] == [f.rule_id for f in reference.firings]
    assert durable.concepts == reference.concepts
    durable_json, reference_json = durable.to_dict(), reference.to_dict()
    assert durable_json.pop("backend") == "durable-rules"
    assert reference_json.pop("backend") == "reference"
    assert durable_json == reference_json


def _program_rules_refuted(assessment: Any, rulebase: RuleBase) -> list[str]:
    return [r.id for r in rulebase.rules if r.program and assessment.rule_outcomes[r.id] is False
            and r.in_force.holds(assessment.as_of)]


def test_the_engine_itself_refutes_program_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program rule's refutation is matched by the engine, not read off the reference valuation:
    with one rule's false terms left out of the ruleset, the evaluation is an error, not a quiet
    copy of the reference's answer."""
    from bgtc_rules.base.errors import EngineError
    from bgtc_rules.dossier.loading import load_dossier
    from bgtc_rules.engine.backends import durable as durable_module
    from bgtc_rules.engine.backends import durable_ruleset
    from bgtc_rules.engine.facts import dossier_facts

    rulebase = RuleBase.load()
    dossier = load_dossier("scenarios/aav_phase12_pediatric_neuro.yaml")
    as_of = dt.date(2026, 11, 21)
    refuted = _program_rules_refuted(evaluate(dossier, rulebase, as_of=as_of, backend="reference"), rulebase)
    assert refuted, "the scenario must refute some program rule"
    target = rulebase.by_id[refuted[0]].when
    original = durable_ruleset.terms

    def without_target_refutation(condition: Any, want: bool) -> Any:
        return [] if condition is target and not want else original(condition, want)

    monkeypatch.setattr(durable_ruleset, "terms", without_target_refutation)
    backend = durable_module.DurableBackend(rulebase)  # its own ruleset, not the shared backend's
    with pytest.raises(EngineError, match=f"{refuted[0]}: the engine derived unknown"):
        backend.infer(dossier_facts(dossier), as_of)
