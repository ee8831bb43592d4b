"""The policy features' steps: the package's step vocabulary (`bgtc_rules.policy.steps`, where
each step is written out with an example) registered with pytest-bdd, so that the BDD suite and
the handbook (`bgtc docs`) run the same step definitions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from bgtc_rules import RuleBase
from bgtc_rules.policy.steps import TYPES, VOCABULARY, World

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
_DECORATORS = {"given": given, "when": when, "then": then}


@pytest.fixture
def world(rules: RuleBase, rule_coverage: Any) -> World:
    """A scenario's state: the rules it runs on, and the coverage gate told of every evaluation."""
    return World(rules, SCENARIOS, on_evaluated=rule_coverage.record)


for _definition in VOCABULARY:
    # pytest-bdd passes the pattern's arguments, `datatable` and `world` by the function's parameter names.
    _DECORATORS[_definition.kind](parsers.parse(_definition.pattern, extra_types=TYPES))(_definition.run)
