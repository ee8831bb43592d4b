"""Runs every scenario of every feature file in this directory.

Tests are named `test_<feature file>__<scenario>`, so that one feature runs with
`pytest features -k orphan_drug_designation` (the rule-coverage gate stays off for a partial run).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytest_bdd import scenario
from pytest_bdd.feature import get_features
from pytest_bdd.scenario import make_python_name

HERE = Path(__file__).resolve().parent


def _bind(feature_file: str, name: str) -> Callable[..., Any]:
    @scenario(feature_file, name)
    def test() -> None:
        """One scenario (or one row of a scenario outline's examples)."""

    return test


for _feature in get_features([str(HERE)]):
    for _name in _feature.scenarios:
        _test = f"test_{Path(_feature.filename).stem}__{make_python_name(_name)}"
        if _test in globals():
            raise ValueError(f"{_feature.filename}: scenario names {_name!r} and another give the same test {_test}")
        globals()[_test] = _bind(_feature.filename, _name)
