"""Step definitions for the policy features, shared by every feature file, and the rule-coverage gate."""

from __future__ import annotations

import pytest

from bgtc_rules import RuleBase
from bgtc_rules.policy.coverage import RuleCoverage
from features.coverage import PLUGIN_NAME, RuleCoveragePlugin, add_options, plugin
from features.steps import *  # noqa: F403


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(RuleCoveragePlugin(config), PLUGIN_NAME)


@pytest.fixture(scope="session")
def rule_coverage(request: pytest.FixtureRequest) -> RuleCoverage:
    """What the scenarios have exercised so far (the evaluation step records into it)."""
    return plugin(request.config).coverage


@pytest.fixture(scope="session")
def rules(rule_coverage: RuleCoverage) -> RuleBase:
    """The rules the scenarios run on: the bundled rules plus any `--feature-rules` directories."""
    return rule_coverage.rules
