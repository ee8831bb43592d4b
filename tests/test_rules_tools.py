"""bgtc rules list/show/lint/graph and bgtc init, and the lint checks themselves."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bgtc_rules import RuleBase, load_dossier
from bgtc_rules.cli import main
from bgtc_rules.engine.lint import lint

Writer = Callable[[dict[str, str]], Path]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_rules_list_shows_every_program_with_dates_and_citations(rulebase: RuleBase) -> None:
    code, out, _ = _run("rules", "list", "--format", "json")
    assert code == 0
    entries = {e["id"]: e for e in json.loads(out)["programs"]}
    assert set(entries) == set(rulebase.programs)
    for entry in entries.values():
        assert entry["effective_from"] and entry["citations"] and entry["rules"]
    code, out, _ = _run("rules", "list")
    assert code == 0 and "fast_track  (designation)" in out and "cites:" in out


def test_rules_show_program_and_rule() -> None:
    code, out, _ = _run("rules", "show", "rmat")
    assert code == 0 and "rmat.eligible" in out and "effective_from" in out
    code, out, _ = _run("rules", "show", "fast_track.eligible")
    assert code == 0 and "source:" in out and "fast_track.yaml" in out
    code, _, err = _run("rules", "show", "nothing_here")
    assert code == 2 and "no program or rule" in err


def test_rules_graph_mermaid_and_dot() -> None:
    code, out, _ = _run("rules", "graph")
    assert code == 0 and out.startswith("flowchart LR")
    assert "concept_unmet_medical_need --> concept_potential_to_address_unmet_need" in out
    code, out, _ = _run("rules", "graph", "--format", "dot", "--facts")
    assert code == 0 and out.startswith("digraph") and '"fact:indication.serious"' in out


def test_bundled_rules_pass_lint(rulebase: RuleBase) -> None:
    findings = [f for f in lint(rulebase) if f.level == "error"]
    assert not findings, "\n".join(map(str, findings))


PROGRAM = """
program:
  id: demo
  name: Demo
  kind: designation
  summary: For tests.
  citations: [{document: Test, section: "1", url: "https://www.ecfr.gov/current/title-21/part-316"}]
questions: {indication.serious: "Serious?", indication.us_prevalence: "Prevalence?"}
rules:
"""


PRIMARY_URL = "https://www.ecfr.gov/current/title-21/part-316"


def _rule(rule_id: str, outcome: str, when: str) -> str:
    return (f"  - {{id: {rule_id}, title: t, conclude: {{program: demo, outcome: {outcome}}}, when: {when}, "
            f"explanation: e, citations: [{{document: Test, section: '1', url: '{PRIMARY_URL}'}}], "
            "effective_from: 2020-01-01}\n")


SERIOUS = "{fact: indication.serious, op: '==', value: true, says: The disease is serious.}"
NOT_SERIOUS = "{fact: indication.serious, op: '==', value: false, says: The disease is not serious.}"
RARE = "{fact: indication.us_prevalence, op: '<', value: 200000, says: The disease is rare.}"
IMPOSSIBLE = ("{all: [{fact: indication.us_prevalence, op: '<', value: 10, says: Very rare.}, "
              "{fact: indication.us_prevalence, op: '>', value: 20, says: Not that rare.}]}")
CONCEPT_RULE = ("  - {id: demo.serious, title: t, conclude: {concept: serious}, when: " + SERIOUS + ", "
                f"explanation: e, citations: [{{document: Test, section: '1', url: '{PRIMARY_URL}'}}], "
                "effective_from: 2020-01-01}\n")
SERIOUS_WORDS = "concepts: {serious: {name: Serious, holds: It is serious., fails: It is not serious.}}\n"


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (_rule("demo.ok", "eligible", SERIOUS) + _rule("demo.never", "not_yet", IMPOSSIBLE),
         "demo.never: unreachable"),
        (_rule("demo.ok", "eligible", SERIOUS) + _rule("demo.no", "not_eligible", RARE),
         "eligible and demo.no can hold together (as of 2020-01-01), e.g. when indication.serious eq True, "
         "indication.us_prevalence lt 200000"),
        (_rule("demo.ok", "eligible", f"{{any: [{SERIOUS}, {NOT_SERIOUS}]}}"), "demo: no not-eligible path"),
        # a condition a person reads needs its sentence in the rule
        (_rule("demo.ok", "eligible", "{fact: indication.serious, op: '==', value: true}")
         + _rule("demo.no", "not_eligible", NOT_SERIOUS),
         "demo.ok: the condition on indication.serious has no `says:` sentence"),
        (_rule("demo.ok", "eligible", SERIOUS) + _rule("demo.no", "not_eligible", f"{{not: {SERIOUS}}}"),
         "demo.no: the condition on indication.serious is read under `not` and has no `says_not:`"),
        (CONCEPT_RULE + _rule("demo.ok", "eligible", "{concept: serious}")
         + _rule("demo.no", "not_eligible", "{not: {concept: serious}}"),
         "serious: concept has no words (name, holds, fails) under `concepts:`"),
    ],
)
def test_lint_finds_problems(write_rules: Writer, rules: str, expected: str) -> None:
    directory = write_rules({"demo.yaml": PROGRAM + rules})
    findings = lint(RuleBase.load([directory], include_bundled=False))
    assert any(expected in str(f) for f in findings), findings
    code, out, _ = _run("rules", "lint", "--no-bundled", "--rules", str(directory))
    assert code == 1 and expected in out


def test_clean_custom_rules_lint_clean(write_rules: Writer) -> None:
    directory = write_rules({"demo.yaml": PROGRAM + _rule("demo.ok", "eligible", SERIOUS)
                             + _rule("demo.no", "not_eligible", NOT_SERIOUS)})
    assert lint(RuleBase.load([directory], include_bundled=False)) == []
    worded = write_rules({"demo.yaml": SERIOUS_WORDS + PROGRAM + CONCEPT_RULE + _rule("demo.ok", "eligible",
                          "{concept: serious}") + _rule("demo.no", "not_eligible", "{not: {concept: serious}}")})
    assert lint(RuleBase.load([worded], include_bundled=False)) == []


def _titled(rule_id: str, outcome: str, when: str, title: str) -> str:
    return _rule(rule_id, outcome, when).replace("title: t,", f"title: '{title}',")


@pytest.mark.parametrize(("outcome", "title", "says"), [
    ("not_yet", "The application window closed on March 1, 2024", "conclude closed?"),
    ("closed", "Too early: the window is not open yet", "conclude not_yet?"),
])
def test_lint_warns_when_a_window_rule_says_the_other_of_too_early_and_too_late(
        write_rules: Writer, outcome: str, title: str, says: str) -> None:
    directory = write_rules({"demo.yaml": PROGRAM + _rule("demo.ok", "eligible", SERIOUS)
                             + _rule("demo.no", "not_eligible", NOT_SERIOUS)
                             + _titled("demo.window", outcome, RARE, title)})
    findings = [str(f) for f in lint(RuleBase.load([directory], include_bundled=False))]
    assert any("demo.window" in f and says in f for f in findings), findings


def test_available_with_must_name_another_program(write_rules: Writer) -> None:
    directory = write_rules({"demo.yaml": PROGRAM.replace("  summary: For tests.\n",
                                                          "  summary: For tests.\n  available_with: [fast_trak]\n")
                             + _rule("demo.ok", "eligible", SERIOUS)})
    code, _, err = _run("rules", "lint", "--no-bundled", "--rules", str(directory))
    assert code == 2 and "available_with names 'fast_trak'" in err


def test_init_writes_a_valid_template_with_questions(tmp_path: Path) -> None:
    target = tmp_path / "new.yaml"
    code, _, err = _run("init", str(target))
    assert code == 0 and "bgtc evaluate" in err
    text = target.read_text()
    assert "# Is the disease serious or life-threatening" in text
    code, _, err = _run("evaluate", str(target))  # not filled in yet: refused, not evaluated as "(required)"
    assert code == 2 and "program.name: still the template's '(required)'" in err
    target.write_text(text.replace('name: "(required)"', "name: AAV-X", 1))
    assert load_dossier(target).indication.serious is None
    code, _, err = _run("init", str(target))
    assert code == 2 and "--force" in err
