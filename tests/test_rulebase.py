from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bgtc_rules import InputError, RuleBase

Writer = Callable[[dict[str, str]], Path]

PROGRAM = """
program:
  id: demo
  name: Demo program
  kind: designation
  summary: A program for tests.
  citations: [{document: Test source, section: "1"}]
"""

CITED = "citations: [{document: Test source, section: '1'}]"


def _rule(rule_id: str, conclude: str, when: str, extra: str = "") -> str:
    return f"""
  - id: {rule_id}
    title: {rule_id}
    conclude: {conclude}
    when: {when}
    explanation: Test rule.
    {CITED}
    effective_from: 2020-01-01
    {extra}
"""


def _load(write: Writer, rules: str, program: str = PROGRAM) -> RuleBase:
    directory = write({"program.yaml": program, "rules.yaml": "rules:" + rules})
    return RuleBase.load([directory], include_bundled=False)


def _errors(write: Writer, rules: str, program: str = PROGRAM) -> str:
    with pytest.raises(InputError) as caught:
        _load(write, rules, program)
    return str(caught.value)


SERIOUS = "{fact: indication.serious, op: '==', value: true}"


def test_a_valid_rule_set_loads_in_dependency_order(write_rules: Writer) -> None:
    rules = _load(write_rules, _rule("b", "{program: demo, outcome: eligible}", "{concept: c}")
                  + _rule("a", "{concept: c}", SERIOUS, "ask: {indication.serious: 'Serious?'}"))
    assert [r.id for r in rules.rules] == ["a", "b"]
    assert rules.edition == "custom"


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (_rule("a", "{concept: c}", SERIOUS) + _rule("a", "{concept: c}", SERIOUS), "duplicate rule id"),
        (_rule("a", "{concept: c}", "{fact: indication.seriousness, op: '==', value: true}"), "unknown fact path"),
        (_rule("a", "{concept: c}", "{concept: nowhere}"), "unknown concept 'nowhere'"),
        (_rule("a", "{program: other, outcome: eligible}", SERIOUS), "unknown program 'other'"),
        (_rule("a", "{concept: c}", "{concept: d}") + _rule("b", "{concept: d}", "{concept: c}"), "dependency cycle"),
        (_rule("a", "{concept: c}", "{fact: indication.us_prevalence, op: '<', value: many}"),
         "expected a whole number"),
        (_rule("a", "{concept: c}", "{fact: development.stage, op: '==', value: phase_9}"), "expected one of"),
        (_rule("a", "{concept: c}", "{fact: indication.serious, op: '<', value: true}"), "does not support '<'"),
        (_rule("a", "{concept: c}", "{fact: indication.serious, op: '==', value: true}"), "no question for fact"),
        (_rule("a", "{concept: c}", "{fact: indication.serious, op: in, value: true}"), "needs a list"),
        (_rule("a", "{concept: c}", "{fact: indication.serious, op: '=~', value: true}"), "Input should be"),
        (_rule("a", "{concept: c}", "{fact: clinical.endpoints, op: contains, value: {colour: red}}"),
         "items have no property 'colour'"),
    ],
)
def test_load_errors_name_file_line_and_rule(write_rules: Writer, rules: str, expected: str) -> None:
    message = _errors(write_rules, rules)
    assert expected in message
    assert "rules.yaml:" in message


def test_rule_without_citation_is_refused(write_rules: Writer) -> None:
    rules = _rule("a", "{concept: c}", SERIOUS).replace(CITED, "citations: []")
    message = _errors(write_rules, rules)
    assert "rule a: " in message and "citations" in message


def test_effective_dates_must_be_in_order(write_rules: Writer) -> None:
    rules = _rule("a", "{concept: c}", SERIOUS, "effective_until: 2019-01-01")
    assert "effective_until is before effective_from" in _errors(write_rules, rules)


def test_unknown_keys_are_refused(write_rules: Writer) -> None:
    rules = _rule("a", "{concept: c}", SERIOUS, "severity: high")
    message = _errors(write_rules, rules)
    assert "rule a: unknown field" in message and "severity" in message


def test_too_many_alternatives_are_refused(write_rules: Writer) -> None:
    parts = ", ".join(f"{{any: [{SERIOUS}, {{fact: indication.progressive, op: '==', value: true}}]}}"
                      for _ in range(7))
    rules = _rule("a", "{concept: c}", f"{{all: [{parts}]}}")
    questions = "questions: {indication.serious: 'S?', indication.progressive: 'P?'}\n"
    directory = write_rules({"program.yaml": PROGRAM, "q.yaml": questions, "rules.yaml": "rules:" + rules})
    with pytest.raises(InputError, match="too complex"):
        RuleBase.load([directory], include_bundled=False)


def test_bundled_rules_load_with_an_edition(rulebase: RuleBase) -> None:
    assert rulebase.edition.startswith("bgtc-rules ")
    assert {"fast_track", "breakthrough_therapy", "rmat", "orphan_drug_designation",
            "rare_pediatric_disease"} <= set(rulebase.programs)
    for rule in rulebase.rules:
        assert rule.spec.citations, rule.id


def test_extra_rule_directories_extend_the_bundled_rules(write_rules: Writer) -> None:
    directory = write_rules({"mine.yaml": PROGRAM + "rules:" + _rule(
        "demo.eligible", "{program: demo, outcome: eligible}", "{concept: serious_condition}")})
    rules = RuleBase.load([directory])
    assert "demo" in rules.programs
    assert rules.edition.endswith("+ custom rules")


def test_missing_rules_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="rules directory not found"):
        RuleBase.load([tmp_path / "nope"])
