"""An interview that follows the stage (`advice.stage`, `advice.asking`, questions.yaml `interview:`):
no question that cannot matter at the program's stage, the guide's order first, choices with
labels, cited help, and `--resume FILE` saving back to FILE. The library is what a web interview
would call, so most checks are on it; the terminal is driven at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from bgtc_rules import RuleBase
from bgtc_rules.advice.answers import field_for
from bgtc_rules.advice.asking import choices, help_for
from bgtc_rules.advice.interview import Interview
from bgtc_rules.advice.stage import facts_that_matter
from bgtc_rules.cli import main
from bgtc_rules.language.catalog import fact_catalog

from .paths import AS_OF

STAGES = field_for("development.stage").choices


def _interview(rulebase: RuleBase, **answers: Any) -> Interview:
    session = Interview(rulebase, AS_OF)
    session.answer("program.name", "AAV9-X")
    for path, value in answers.items():
        session.answer(path.replace("__", "."), value)
    return session


def _all_asked(session: Interview) -> set[str]:
    """Every question the interview would still ask, answering "I don't know" to each in turn."""
    asked: set[str] = set()
    while (question := session.next_question()) is not None:
        asked.add(question.path)
        session.skip(question.path)
    return asked


def test_no_complete_response_letter_question_before_the_bla(rulebase: RuleBase) -> None:
    for stage in ("research", "ind_enabling", "ind_active"):
        asked = _all_asked(_interview(rulebase, development__stage=stage))
        assert "development.non_approval_action_received" not in asked, stage
    after = _all_asked(_interview(rulebase, development__stage="bla_submitted"))
    assert "development.non_approval_action_received" in after


def test_no_clinical_phase_question_before_the_ind(rulebase: RuleBase) -> None:
    asked = _all_asked(_interview(rulebase, development__stage="ind_enabling"))
    assert "development.phase" not in asked
    assert "development.end_of_phase_2_held" not in asked


@pytest.mark.parametrize("stage", STAGES)
def test_a_question_is_asked_only_for_programs_that_can_still_use_it(rulebase: RuleBase, stage: str) -> None:
    matter = facts_that_matter(rulebase, AS_OF, stage)
    session = _interview(rulebase, development__stage=stage)
    for question in session.open_questions():
        for program in question.decides:
            assert question.path in matter[program], (stage, question.path, program)
    if stage in ("ind_active", "bla_submitted", "bla_approved"):
        assert "mtg_interact" not in matter and "mtg_pre_ind" not in matter, "those windows passed with the IND"
    if stage in ("bla_submitted", "bla_approved"):
        assert "breakthrough_therapy" not in matter, "breakthrough is not requested after the BLA"


def test_modality_phase_and_pediatric_onset_come_right_after_the_stage(rulebase: RuleBase) -> None:
    session = _interview(rulebase)
    order: list[str] = []
    answers = {"development.stage": "ind_active", "program.modality": "aav_gene_therapy",
               "development.phase": "phase_1_2", "indication.serious_manifestations_before_18": True}
    while (question := session.next_question()) is not None and question.path in answers:
        order.append(question.path)
        session.answer(question.path, answers[question.path])
    assert order == list(answers)


def test_choices_are_labels_with_their_values_and_every_label_is_a_choice(rulebase: RuleBase) -> None:
    session = _interview(rulebase)
    question = session.next_question()
    assert question is not None and question.path == "development.stage"
    shown = [c.shown() for c in question.choices]
    assert "IND in effect (clinical trials) [ind_active]" in shown
    assert [c.value for c in question.choices] == list(STAGES)
    for path, labels in rulebase.interview.labels.items():
        assert set(labels) <= set(fact_catalog()[path].domain), path
    effect = field_for("clinical.endpoints").item_fields[-1]
    assert effect.name == "effect"
    labelled = choices(rulebase, "clinical.endpoints[].effect", effect)
    assert labelled[0].shown() == "Substantial improvement (a clear advantage) [substantial_improvement]"


def test_the_answer_that_decides_breakthrough_has_the_guidance_words(rulebase: RuleBase) -> None:
    found = help_for(rulebase, "clinical.endpoints[].effect")
    assert found is not None
    assert "magnitude of the treatment effect" in found.text and "clear advantage over available therapy" in found.text
    assert "Expedited Programs for Serious Conditions" in found.source and found.url
    serious = _interview(rulebase, development__stage="ind_active")
    questions = {q.path: q for q in serious.open_questions()}
    assert questions["indication.serious"].help is not None
    assert "day-to-day functioning" in questions["indication.serious"].help.text


def test_the_terminal_shows_labels_and_help(rulebase: RuleBase, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the interview ends early and saves its progress in the current directory
    lines = ["AAV9-X", "ind_active", "aav", "phase_1_2", "yes", "yes", "?", "3",
             "yes", "Motor", "1", "", "3"]
    result = CliRunner().invoke(main, ["interview", "--as-of", AS_OF.isoformat()],
                                input="".join(f"{line}\n" for line in lines))
    assert "3 IND in effect (clinical trials) [ind_active]" in result.output
    assert "Help: Breakthrough needs a substantial improvement" in result.output
    assert "Help: A serious disease or condition is one" in result.output


def test_resume_saves_back_to_the_file_it_resumed(tmp_path: Path, rulebase: RuleBase) -> None:
    progress = tmp_path / "progress.yaml"
    progress.write_text("schema_version: 1\nprogram: {name: AAV9-X}\ndevelopment: {stage: ind_active}\n",
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["interview", "--as-of", AS_OF.isoformat(), "--resume", str(progress)],
                                input="aav\nphase_1_2\n")
    assert result.exit_code == 130, result.output
    assert f"Progress saved to {progress}" in result.output
    data = yaml.safe_load(progress.read_text(encoding="utf-8"))
    assert data["program"]["modality"] == "aav_gene_therapy"
    assert data["development"] == {"stage": "ind_active", "phase": "phase_1_2"}
    other = tmp_path / "other.yaml"
    elsewhere = CliRunner().invoke(main, ["interview", "--as-of", AS_OF.isoformat(), "--resume", str(progress),
                                          "-o", str(other)], input="yes\n")
    assert elsewhere.exit_code == 130, elsewhere.output
    assert other.exists() and "serious_manifestations_before_18" not in progress.read_text(encoding="utf-8")
