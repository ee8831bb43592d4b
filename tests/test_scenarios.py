"""Each example dossier gets the determinations its header promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtc_rules import RuleBase, evaluate, load_dossier

from .paths import SCENARIOS
from .scenario_headers import expectations

FILES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_header_expectations_hold(rulebase: RuleBase, path: Path) -> None:
    blocks = expectations(path)
    assert blocks, f"{path.name} has no 'Expected (as of ...)' block in its header"
    dossier = load_dossier(path)
    for as_of, expected in blocks:
        got = evaluate(dossier, rulebase, as_of=as_of).determinations()
        assert {p: got[p] for p in expected} == expected, f"{path.name} as of {as_of}"
