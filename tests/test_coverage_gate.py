"""The rule-coverage gate of the policy features (features/coverage.py).

The gate fails a full run of features/ when a shipped rule is never exercised by a scenario: the
unit tests check the gate with a rule base that has one extra rule, and an end-to-end run of the
whole of features/ (on a temporary copy, with an extra rules directory) shows the run failing
and naming that rule, while a partial run stays quiet.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bgtc_rules import RuleBase, dossier_from_mapping, evaluate
from bgtc_rules.policy.coverage import RuleCoverage, unexercised_rules

from .paths import ROOT

EXTRA_RULE = """\
    program:
      id: extra_pilot
      name: Extra pilot
      kind: pilot
      summary: A program added without a scenario.
      citations: [{document: Example notice, section: "1"}]
    rules:
      - id: extra_pilot.eligible
        title: An emergency
        conclude: {program: extra_pilot, outcome: eligible}
        when: {fact: expanded_access.emergency, op: "==", value: true}
        explanation: Added to show that the gate notices a rule no scenario exercises.
        citations: [{document: Example notice, section: "1"}]
        effective_from: 2024-01-01
"""


@pytest.fixture
def extra_rules(write_rules: Callable[[dict[str, str]], Path]) -> Path:
    return write_rules({"extra.yaml": EXTRA_RULE})


def test_gate_lists_a_rule_that_no_scenario_exercised(rulebase: RuleBase, extra_rules: Path) -> None:
    extended = RuleBase.load([extra_rules])
    exercised = {rule.id for rule in rulebase.rules}
    assert unexercised_rules(extended, exercised) == ["extra_pilot.eligible"]
    assert unexercised_rules(rulebase, exercised) == []

    coverage = RuleCoverage(extended, held=set(exercised))
    total = len(extended.rules)
    assert coverage.unexercised() == ["extra_pilot.eligible"]
    assert coverage.summary().startswith(f"rule coverage: {total - 1}/{total} ({100 * (total - 1) / total:.1f}%)")


def test_a_rule_refuted_only_by_its_dates_is_not_exercised(extra_rules: Path) -> None:
    rules = RuleBase.load([extra_rules])
    dossier = dossier_from_mapping({"program": {"name": "X"}, "expanded_access": {"emergency": False}})
    coverage = RuleCoverage(rules)

    coverage.record(evaluate(dossier, rules, as_of=dt.date(2023, 12, 31)))  # before the rule is in force
    assert "extra_pilot.eligible" in coverage.unexercised()

    coverage.record(evaluate(dossier, rules, as_of=dt.date(2024, 1, 1)))  # in force, and refuted
    assert "extra_pilot.eligible" not in coverage.unexercised()
    assert "extra_pilot.eligible" in coverage.refuted and "extra_pilot.eligible" not in coverage.held


def _copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "features", project / "features", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "scenarios", project / "scenarios")
    (project / "pytest.ini").write_text(textwrap.dedent("""\
        [pytest]
        bdd_features_base_dir = features
        filterwarnings =
            error
            ignore:datetime.datetime.utcfromtimestamp:DeprecationWarning
        """), encoding="utf-8")
    return project


def _pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "features", *args],
                          cwd=project, capture_output=True, text=True, timeout=600, check=False)


def test_full_run_fails_when_a_rule_is_added_without_a_scenario(tmp_path: Path, extra_rules: Path,
                                                                 rulebase: RuleBase) -> None:
    project = _copy_project(tmp_path)
    result = _pytest(project, "--feature-rules", str(extra_rules))
    total = len(rulebase.rules) + 1
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    # Every scenario passed: the gate failed the run. (Once, in CI, two scenarios failed here and
    # nowhere else; the output is kept in full so that a recurrence can be diagnosed.)
    assert " failed" not in result.stdout.splitlines()[-1], result.stdout[-20000:]
    assert f"rule coverage: {total - 1}/{total} (" in result.stdout
    assert "1 rule(s) never exercised by a scenario" in result.stdout
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ") and "(" in line]
    assert listed == ["extra_pilot.eligible"]


def test_one_feature_runs_without_the_gate_unless_asked(tmp_path: Path, extra_rules: Path) -> None:
    project = _copy_project(tmp_path)
    quiet = _pytest(project, "--feature-rules", str(extra_rules), "-k", "cnpv")
    assert quiet.returncode == 0, quiet.stdout[-3000:]
    assert "rule coverage: not checked" in quiet.stdout

    forced = _pytest(project, "--feature-rules", str(extra_rules), "-k", "cnpv", "--rule-coverage=on")
    assert forced.returncode == 1
    assert "extra_pilot.eligible" in forced.stdout
