"""Rule coverage of the policy scenarios: a pytest plugin, loaded by `features/conftest.py`.

Every evaluation in a scenario records each rule's outcome (`Assessment.rule_outcomes`). A rule is
*exercised* when some scenario made it hold, or refuted it on a date when it is in force (a rule
outside its effective dates is refuted by its dates alone, which says nothing about its
conditions). When the whole of `features/` runs, the run fails if a shipped rule was never
exercised, listing those rules, and the summary reports the figure:

    rule coverage: 129/129 (100.0%); held in some scenario: 129/129

The gate is on when every scenario of every feature file was collected (no `-k`, no single test
selected), so that a developer can still run one feature; `--rule-coverage=on` forces it on and
`--rule-coverage=off` turns it off. `--feature-rules DIR` adds a rules directory (as
`RuleBase.load` does) for the scenarios and the gate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from bgtc_rules import RuleBase
from bgtc_rules.policy.coverage import RuleCoverage

FEATURES = Path(__file__).resolve().parent


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("bgtc", "bgtc-rules policy features")
    group.addoption("--rule-coverage", choices=("auto", "on", "off"), default="auto",
                    help="Fail when a rule is never exercised by a scenario: auto (when all of features/ runs), "
                         "on, or off.")
    group.addoption("--feature-rules", action="append", default=[], metavar="DIR",
                    help="Extra rules directory for the policy scenarios (repeatable).")


def _expected_scenarios() -> Counter[tuple[str, str]]:
    """(feature file, scenario name) -> how many tests it makes (one per example row)."""
    from pytest_bdd.feature import get_features

    expected: Counter[tuple[str, str]] = Counter()
    for feature in get_features([str(FEATURES)]):
        for template in feature.scenarios.values():
            rows = sum(len(examples.examples) for examples in template.examples)
            expected[(str(Path(feature.filename).resolve()), template.name)] = rows or 1
    return expected


def _collected_scenarios(items: Iterable[pytest.Item]) -> Counter[tuple[str, str]]:
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    collected: Counter[tuple[str, str]] = Counter()
    # Only test functions can be scenarios (a doctest item has no function to look up).
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        template = scenario_wrapper_template_registry.get(item.obj)
        if template is not None:
            collected[(str(Path(template.feature.filename).resolve()), template.name)] += 1
    return collected


class RuleCoveragePlugin:
    """Decides whether the gate is on, and applies and reports it at the end of the session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.mode: str = config.getoption("rule_coverage")
        self.active = self.mode == "on"
        self.partial = False
        self.stopped = False
        self._coverage: RuleCoverage | None = None
        self.missing: list[str] = []

    @property
    def coverage(self) -> RuleCoverage:
        if self._coverage is None:
            extra = [Path(d) for d in self.config.getoption("feature_rules")]
            self._coverage = RuleCoverage(RuleBase.load(extra))
        return self._coverage

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if self.config.option.collectonly:
            self.active = False
            return
        if self.mode != "auto":
            return
        collected = _collected_scenarios(session.items)
        if not collected:
            return
        self.active = collected == _expected_scenarios()
        self.partial = not self.active

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.active:
            return
        if session.shouldstop or session.shouldfail:
            self.active, self.stopped = False, True
            return
        self.missing = self.coverage.unexercised()
        if self.missing and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.stopped:
            terminalreporter.write_line("rule coverage: not checked (the run stopped early)")
            return
        if self.partial:
            terminalreporter.write_line("rule coverage: not checked (part of features/ ran; --rule-coverage=on "
                                        "checks it anyway)")
            return
        if not self.active:
            return
        failed = bool(self.missing)
        terminalreporter.write_sep("=", "rule coverage", red=failed, green=not failed)
        terminalreporter.write_line(self.coverage.summary())
        if failed:
            terminalreporter.write_line(f"{len(self.missing)} rule(s) never exercised by a scenario "
                                        "(add a scenario that makes each hold or refutes it):", red=True)
            for rule_id in self.missing:
                rule = self.coverage.rules.by_id[rule_id]
                terminalreporter.write_line(f"  {rule_id}  ({_relative(rule.file, self.config.rootpath)}:{rule.line})")


def _relative(file: str, root: Path) -> str:
    try:
        return Path(file).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file


PLUGIN_NAME = "bgtc-rule-coverage"


def plugin(config: pytest.Config) -> RuleCoveragePlugin:
    found = config.pluginmanager.get_plugin(PLUGIN_NAME)
    assert isinstance(found, RuleCoveragePlugin)
    return found
