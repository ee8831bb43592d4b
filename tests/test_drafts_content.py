"""The request drafts' content from issue 23 and their questions from issue 28: every question a
draft shows is questions.yaml's wording; the orphan request's U.S. agent, fuller item 7, Form FDA
4035 and the rare pediatric disease request offered alongside (never when already requested);
breakthrough and RMAT safety summaries and Form FDA 1571; breakthrough's preliminary advice; and
the AAV pre-IND questions (AAV pre-IND requests only)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.drafts import Draft, build_draft, draftable
from bgtc_rules.advice.drafts.aav import SUGGESTED
from bgtc_rules.advice.drafts.reader import Reader
from bgtc_rules.base.errors import InputError
from bgtc_rules.dossier.editing import with_changes
from bgtc_rules.render.draft_markdown import render_draft_markdown

from .paths import AS_OF, ROOT, SCENARIOS

FULL = SCENARIOS / "aav_pre_ind_request_drafts.yaml"
PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"


@cache
def _rules() -> RuleBase:
    return RuleBase.load()


def _draft(path: Path, program: str, changes: dict[str, Any] | None = None) -> Draft:
    dossier = load_dossier(path)
    if changes:
        dossier = with_changes(dossier, changes)
    return build_draft(dossier, evaluate(dossier, _rules(), as_of=AS_OF), _rules(), program, AS_OF)


def _titles(draft: Draft) -> list[str]:
    return [e.title for e in draft.elements()]


def _text(draft: Draft) -> str:
    return render_draft_markdown(draft)


@pytest.mark.parametrize("path", [FULL, PHASE12, SCENARIOS / "adult_rare_with_available_therapy.yaml"],
                         ids=lambda p: p.stem)
def test_every_question_a_draft_asks_is_worded_as_in_questions_yaml(path: Path) -> None:
    rules = _rules()
    for program in draftable(rules):
        draft = _draft(path, program)
        for section in draft.sections[1:]:  # the first is the assessment, asked in the rules' own words
            for element in section.elements:
                for gap in element.gaps:
                    wording = {rules.questions.get(gap.field), rules.draft_questions.get(gap.field)}
                    contact = gap.field.rsplit(".", 1)[-1]
                    wording.add(rules.draft_questions.get(f"filing.contact.{contact}"))
                    assert gap.question in wording, f"{program}: {gap.field} asks {gap.question!r}"


def test_questions_yaml_words_each_draft_question_once() -> None:
    rules = _rules()
    assert rules.draft_questions and not set(rules.draft_questions) & set(rules.questions)
    everything = {**rules.questions, **rules.draft_questions}
    assert len(set(everything.values())) == len(everything), "two fields share one question"


def test_a_draft_question_for_a_field_the_schema_lacks_is_refused() -> None:
    sources = [(p, p.read_bytes()) for p in sorted((ROOT / "rules").rglob("*.yaml"))]
    bad = (Path("bad.yaml"), b"drafts:\n  filing.no_such_field: What is it?\n")
    with pytest.raises(InputError) as raised:
        RuleBase.from_sources([*sources, bad])
    assert any(p.where == "drafts.filing.no_such_field" for p in raised.value.problems)


def test_the_rule_base_keeps_the_draft_questions_through_the_cache() -> None:
    rules = _rules()
    assert RuleBase.from_data(rules.to_data()).draft_questions == rules.draft_questions


def test_a_reader_without_the_question_says_which_field_lacks_one() -> None:
    reader = Reader(load_dossier(FULL), {})
    with pytest.raises(KeyError, match=r"filing\.safety_summary"):
        reader.ask("filing.safety_summary")


def test_the_orphan_request_asks_for_all_data_and_the_fuller_regulatory_status() -> None:
    text = _text(_draft(FULL, "orphan_drug_designation"))
    assert "whether positive, negative or inconclusive" in text
    assert "Uses under investigation abroad, and indications approved abroad: Not under investigation" in text
    assert "Adverse regulatory actions in any country: None in any country" in text
    gaps = {g.field for g in _draft(FULL, "orphan_drug_designation", {"filing.adverse_regulatory_actions": None}).gaps}
    assert gaps == {"filing.adverse_regulatory_actions"}


@pytest.mark.parametrize(("foreign", "expected", "gap"), [
    (None, "Sponsor located outside the United States: ", "filing.foreign_sponsor"),
    (False, "U.S. agent: not needed", None),
    (True, "U.S. agent (a permanent resident of the United States, as 21 CFR 316.22 requires): ", "filing.us_agent"),
])
def test_a_foreign_sponsor_names_its_us_agent(foreign: bool | None, expected: str, gap: str | None) -> None:
    draft = _draft(FULL, "orphan_drug_designation", {"filing.foreign_sponsor": foreign})
    assert expected in _text(draft)
    assert {g.field for g in draft.gaps} == ({gap} if gap else set())


def test_a_named_us_agent_is_written_with_each_missing_detail_flagged() -> None:
    agent = {"name": "A. Agent", "email": "agent@example.org"}
    draft = _draft(FULL, "orphan_drug_designation", {"filing.foreign_sponsor": True, "filing.us_agent": agent})
    text = _text(draft)
    assert "A. Agent" in text and "U.S. agent email: agent@example.org" in text
    assert {g.field for g in draft.gaps} == {"filing.us_agent.title", "filing.us_agent.address",
                                             "filing.us_agent.phone"}


def test_the_optional_form_4035_is_offered() -> None:
    draft = _draft(FULL, "orphan_drug_designation")
    form = next(e for e in draft.elements() if e.title == "The request form (optional)")
    assert "Form FDA 4035" in form.lines[0].plain() and "not required" in form.lines[0].plain()


RPD_OFFER = "Rare pediatric disease designation: request it at the same time"


@pytest.mark.parametrize(("changes", "offered"), [
    ({}, True),
    ({"designations": [{"program": "rare_pediatric_disease", "status": "planned"}]}, True),
    ({"designations": [{"program": "rare_pediatric_disease", "status": "requested"}]}, False),
    ({"designations": [{"program": "rare_pediatric_disease", "status": "granted"}]}, False),
    ({"designations": [{"program": "rare_pediatric_disease", "status": "denied"}]}, False),
    ({"indication.serious_manifestations_before_18": False}, False),
    ({"indication.serious_manifestations_before_18": None}, True),  # undetermined: still plausible
    ({"indication.us_prevalence": 250_000, "indication.cost_recovery_expected": True}, False),
])
def test_rpd_is_offered_alongside_only_when_plausible_and_never_asked(changes: dict[str, Any], offered: bool) -> None:
    draft = _draft(FULL, "orphan_drug_designation", changes)
    assert (RPD_OFFER in _titles(draft)) is offered


@pytest.mark.parametrize("program", ["breakthrough_therapy", "rmat"])
def test_breakthrough_and_rmat_ask_for_safety_and_prompt_form_1571(program: str) -> None:
    draft = _draft(PHASE12, program)
    titles = _titles(draft)
    assert "Safety so far" in titles and "How the request is sent: to the IND, with Form FDA 1571" in titles
    form = next(e for e in draft.elements() if e.title.startswith("How the request is sent"))
    assert "On the Form FDA 1571: the sponsor (" in form.lines[1].plain()
    safety = next(e for e in draft.elements() if e.title == "Safety so far")
    assert [g.field for g in safety.gaps] == ["filing.safety_summary"]  # the phase 1/2 example does not give it


def test_the_safety_summary_is_written_when_the_dossier_gives_it() -> None:
    draft = _draft(FULL, "breakthrough_therapy")
    assert "Safety summary: No patient has been dosed yet (example)." in _text(draft)


@pytest.mark.parametrize(("status", "offered"), [(None, True), ("planned", True), ("requested", False),
                                                 ("granted", False)])
def test_preliminary_breakthrough_advice_is_offered_until_requested(status: str | None, offered: bool) -> None:
    changes = {"designations": [{"program": "breakthrough_therapy", "status": status}]} if status else {}
    draft = _draft(PHASE12, "breakthrough_therapy", changes)
    advice = [e for e in draft.elements() if "preliminary advice" in e.title]
    assert bool(advice) is offered
    if advice:
        assert advice[0].citation.section.startswith("Question 23")


def test_the_aav_pre_ind_request_offers_each_question_with_its_source() -> None:
    draft = _draft(FULL, "mtg_pre_ind")
    section = next(s for s in draft.sections if s.title.startswith("Questions sponsors of AAV gene therapies"))
    assert [e.title for e in section.elements] == [q.topic for q in SUGGESTED]
    for element in section.elements:
        assert element.citation.url and element.citation.document
        assert element.lines[0].plain().startswith("Suggested question: Does FDA agree")
        # a source that is not FDA's own text says so
        assert element.citation.secondary == ("No FDA text" in element.lines[1].plain())
    assert not draft.gaps  # suggestions, not fields to fill


@pytest.mark.parametrize(("program", "modality"), [("mtg_pre_ind", "cell_therapy"), ("mtg_interact", None),
                                                   ("mtg_type_c", None), ("mtg_pre_ind", None)])
def test_the_aav_questions_are_for_an_aav_pre_ind_request_only(program: str, modality: str | None) -> None:
    changes = {"program.modality": modality} if modality or program == "mtg_pre_ind" else {}
    draft = _draft(FULL, program, changes)
    assert not any(s.title.startswith("Questions sponsors of AAV") for s in draft.sections)
