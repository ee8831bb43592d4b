"""Request drafts (`bgtc draft`): every bundled scenario x every request renders in Markdown, HTML
and DOCX; every element the governing text asks for is there, filled or flagged; a gap is never
flagged for a field the dossier has; bad input exits 2 and never leaves a partial file."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cache
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.drafts import COVER, Draft, build_draft, draftable
from bgtc_rules.advice.drafts.reader import Reader
from bgtc_rules.base.errors import InputError
from bgtc_rules.cli import main
from bgtc_rules.dossier.editing import with_changes
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.render.draft_docx import render_draft_docx
from bgtc_rules.render.draft_html import render_draft_html
from bgtc_rules.render.draft_markdown import render_draft_markdown

from .paths import AS_OF, SCENARIOS

FILES = sorted(SCENARIOS.glob("*.yaml"))
FULL = SCENARIOS / "aav_pre_ind_request_drafts.yaml"
PROGRAMS = tuple(draftable(RuleBase.load()))


@cache
def _assessed(path: Path) -> tuple[Dossier, Assessment, RuleBase]:
    rules = RuleBase.load()
    dossier = load_dossier(path)
    return dossier, evaluate(dossier, rules, as_of=AS_OF), rules


def _draft(path: Path, program: str) -> Draft:
    dossier, assessment, rules = _assessed(path)
    return build_draft(dossier, assessment, rules, program, AS_OF)


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_every_request_family_is_draftable() -> None:
    expected = {"orphan_drug_designation", "rare_pediatric_disease", "fast_track", "breakthrough_therapy", "rmat",
                "mtg_interact", "mtg_pre_ind", "mtg_type_a", "mtg_type_b_eop", "mtg_type_c", "mtg_type_d", COVER}
    assert expected <= set(PROGRAMS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_scenario_and_request_renders_in_three_formats_with_every_gap_visible(path: Path) -> None:
    for program in PROGRAMS:
        draft = _draft(path, program)
        gaps = len(draft.gaps)
        markdown, html, word = render_draft_markdown(draft), render_draft_html(draft), render_draft_docx(draft)
        assert markdown.startswith("# ") and markdown.count("[MISSING: ") == gaps, program
        assert html.startswith("<!DOCTYPE html>") and html.count('<mark class="missing">[MISSING: ') == gaps
        assert zipfile.is_zipfile(io.BytesIO(word)) and _docx_text(word).count("[MISSING: ") == gaps, program
        assert "not a determination by FDA" in markdown and "not a determination by FDA" in html


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_element_is_filled_or_flagged_and_cites_its_source(path: Path) -> None:
    for program in PROGRAMS:
        for element in _draft(path, program).elements():
            assert element.lines, f"{program}: {element.title} is empty"
            assert element.citation.document and element.citation.section
            assert any(line.plain().strip() for line in element.lines)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_gap_is_flagged_for_a_field_the_dossier_has(path: Path) -> None:
    dossier, _, _ = _assessed(path)
    reader = Reader(dossier)
    for program in PROGRAMS:
        for gap in _draft(path, program).gaps:
            assert reader.value(gap.field) is None, f"{program}: {gap.field} is in the dossier but flagged"
            assert gap.question.strip()


def test_a_filled_field_is_written_and_an_emptied_one_is_flagged() -> None:
    dossier, assessment, rules = _assessed(FULL)
    orphan = build_draft(dossier, assessment, rules, "orphan_drug_designation", AS_OF)
    assert orphan.gaps == ()
    text = render_draft_markdown(orphan)
    assert "Point prevalence on 2026-10-01" in text and "Example Viral Vectors Inc." in text
    emptied = with_changes(dossier, {"indication.prevalence_basis": None, "filing.contact": None})
    flagged = build_draft(emptied, evaluate(emptied, rules, as_of=AS_OF), rules, "orphan_drug_designation", AS_OF)
    assert {g.field for g in flagged.gaps} == {"indication.prevalence_basis", "filing.contact"}


def test_the_orphan_request_has_the_eight_items_of_316_20b_in_order() -> None:
    draft = _draft(FULL, "orphan_drug_designation")
    request = next(s for s in draft.sections if "316.20(b)" in s.title)
    sections = [e.citation.section for e in request.elements]
    assert sections[:5] == [f"316.20(b)({n})" for n in range(1, 6)]
    assert sections[5].startswith("316.20(b)(6)") and sections[6:] == ["316.20(b)(7)", "316.20(b)(8)"]
    assert [e.title[:2] for e in request.elements] == [f"{n}." for n in range(1, 9)]


def test_a_meeting_request_has_the_guidance_elements_and_the_plan_dates() -> None:
    draft = _draft(FULL, "mtg_pre_ind")
    titles = [e.title for e in draft.elements()]
    for wanted in ("Product, application and indication", "Meeting type requested, and why", "Purpose and objectives",
                   "Proposed agenda", "Questions, grouped by discipline", "Attendees", "Requested format and dates"):
        assert wanted in titles
    text = render_draft_markdown(draft)
    assert text.index("CMC:") < text.index("Pharmacology/toxicology:") < text.index("Clinical:")
    # 21 days to a response and 60 to the meeting, from the pre-IND rule's timeline
    assert "2026-12-12: FDA grants or denies" in text and "2027-01-20: Pre-IND meeting (Type B) held" in text
    assert "2026-12-21: Meeting package due" in text


def test_type_d_states_its_limits_and_interact_its_package() -> None:
    type_d = [e.title for e in _draft(FULL, "mtg_type_d").elements()]
    assert "Type D limits on topics and questions" in type_d
    text = render_draft_markdown(_draft(FULL, "mtg_type_d"))
    assert "This request: 3 question(s), 3 topic(s), 3 discipline(s)." in text
    interact = render_draft_markdown(_draft(FULL, "mtg_interact"))
    assert "no longer than 50 pages" in interact and "protocol outlines" in interact
    assert "copies of the publications referred to" in interact


def test_the_elements_the_review_found_in_the_governing_texts_are_asked_for() -> None:
    """Added in the regulatory review: OTP's INTERACT page, the 2019 RMAT guidance (III.C), FDA's 2012
    breakthrough fact sheet and FDA's orphan FAQ ask for these, and the drafts used to leave them out."""
    rmat = render_draft_markdown(_draft(FULL, "rmat"))
    assert "risks and benefits of each available therapy" in rmat and "III.C" in rmat
    breakthrough = render_draft_markdown(_draft(FULL, "breakthrough_therapy"))
    assert "Form FDA 1571" in breakthrough
    assert "full copies (not abstracts)" in render_draft_markdown(_draft(FULL, "orphan_drug_designation"))
    purpose = next(e for e in _draft(FULL, "mtg_type_c").elements() if e.title == "Purpose and objectives")
    assert purpose.citation.url is not None and "sb-navigate" in purpose.citation.url


def test_cover_letter_wording_follows_the_ind_stage() -> None:
    pre_ind = render_draft_markdown(_draft(FULL, "rmat"))
    assert "INITIAL INVESTIGATIONAL NEW DRUG SUBMISSION and REQUEST FOR REGENERATIVE MEDICINE ADVANCED" in pre_ind
    active = render_draft_markdown(_draft(SCENARIOS / "aav_phase12_pediatric_neuro.yaml", "fast_track"))
    assert "as: REQUEST FOR FAST TRACK DESIGNATION" in active


def test_the_cover_sheet_states_stacked_designations() -> None:
    dossier, _, rules = _assessed(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")
    stacked = with_changes(dossier, {"designations": [{"program": "rmat", "status": "granted"},
                                                      {"program": "amt_designation", "status": "requested"}]})
    draft = build_draft(stacked, evaluate(stacked, rules, as_of=AS_OF), rules, COVER, AS_OF)
    titles = [e.title for e in draft.elements()]
    assert "Regenerative medicine advanced therapy (RMAT) designation: held: granted" in titles
    assert any(t.startswith("Advanced manufacturing technology (AMT) designation: pending: requested") for t in titles)
    text = render_draft_markdown(draft)
    # what the AMT designation adds is its own: no other designation in the stack gives it
    amt = text[text.index("Advanced manufacturing technology (AMT) designation: pending: requested"):]
    assert "(adds this)" in amt.split("###")[0]
    assert "Initial Comprehensive" in text and "(also from: Regenerative medicine" in text
    rmat = text[text.index("designation: held: granted"):].split("###")[0]
    assert "Supports the Initial Comprehensive Meeting after breakthrough or RMAT designation (Type B)" in rmat


def test_an_unknown_program_is_refused_with_the_list_of_requests(tmp_path: Path) -> None:
    dossier, assessment, rules = _assessed(FULL)
    with pytest.raises(InputError):
        build_draft(dossier, assessment, rules, "priority_review", AS_OF)
    target = tmp_path / "draft.md"
    result = CliRunner().invoke(main, ["draft", str(FULL), "orfan", "-o", str(target)])
    assert result.exit_code == 2
    assert "unknown program" in result.stderr and "orphan_drug_designation" in result.stderr
    assert "Traceback" not in result.output and not target.exists()


def test_output_files_are_whole_or_absent(tmp_path: Path) -> None:
    target = tmp_path / "draft.docx"
    result = CliRunner().invoke(main, ["draft", str(FULL), "rmat", "-o", str(target), "--as-of", "2026-11-21"])
    assert result.exit_code == 0 and zipfile.is_zipfile(target)  # the format follows the suffix
    html = tmp_path / "draft.html"
    html.write_text("previous\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nprogram: {name: X}\nindication: {us_prevalence: many}\n")
    result = CliRunner().invoke(main, ["draft", str(bad), "mtg_pre_ind", "-o", str(html)])
    assert result.exit_code == 2 and "indication.us_prevalence" in result.stderr
    assert html.read_text() == "previous\n" and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_dossier_text_is_escaped_in_html_and_markdown() -> None:
    dossier, _, rules = _assessed(FULL)
    hostile = with_changes(dossier, {"meeting.purpose": "<script>alert(1)</script> [link](javascript:x)"})
    draft = build_draft(hostile, evaluate(hostile, rules, as_of=AS_OF), rules, "mtg_pre_ind", dt.date(2026, 11, 21))
    assert "<script>" not in render_draft_html(draft) and "&lt;script&gt;" in render_draft_html(draft)
    assert "[link](javascript:x)" not in render_draft_markdown(draft)


@pytest.mark.parametrize("program", ["orphan_drug_designation", "mtg_pre_ind", "rmat"])
def test_the_rendered_examples_in_docs_are_current(program: str) -> None:
    committed = (SCENARIOS.parent / "docs" / "request-drafts" / f"{program}.md").read_text(encoding="utf-8")
    assert committed == render_draft_markdown(_draft(FULL, program)), (
        "docs/request-drafts is out of date: run `bgtc draft scenarios/aav_pre_ind_request_drafts.yaml "
        f"{program} --as-of 2026-11-21 -o docs/request-drafts/{program}.md`")


def test_the_new_fields_are_in_the_json_schema_and_the_template() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    for name in ('"Filing"', '"prevalence_basis"', '"requested_format"', '"proposed_dates"', '"attendees"',
                 '"context"', '"clinical_superiority_hypothesis"'):
        assert name in result.stdout
    template = CliRunner().invoke(main, ["init"]).stdout
    assert "\nfiling:\n" in template and "prevalence_basis:" in template


def test_the_drafts_benchmark_runs() -> None:
    from benchmarks.drafts import measure

    lines = measure(1, [FULL])
    assert [line.split()[0] for line in lines] == ["build_draft", "render", "render", "render"]
    assert all(f"{len(PROGRAMS)} drafts" in line for line in lines)


def test_docx_goes_to_a_pipe_but_not_to_a_terminal() -> None:
    result = CliRunner().invoke(main, ["draft", str(FULL), "cover", "--format", "docx", "--as-of", "2026-11-21"])
    assert result.exit_code == 0 and zipfile.is_zipfile(io.BytesIO(result.stdout_bytes))
    assert "Designations cover sheet" in _docx_text(result.stdout_bytes)


def test_the_interview_asks_each_draft_question_for_its_context() -> None:
    from bgtc_rules.advice.answers import field_for

    items = {f.name: f for f in field_for("meeting.questions").item_fields}
    assert items["context"].kind == "str" and not items["context"].required
