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
