"""What a new user trips over (issue 27): program names, what-if paths, batch JSON errors, schema ids."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bgtc_rules import RuleBase
from bgtc_rules.base.errors import InputError
from bgtc_rules.cli import main
from bgtc_rules.language.program_names import resolve_program

from .paths import SCENARIOS

PHASE12 = str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")
BGTC = str(Path(sys.executable).parent / "bgtc")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("typed", "program"), [
    ("RMAT", "rmat"), ("Rmat", "rmat"), ("FAST_TRACK", "fast_track"), ("fast track", "fast_track"),
    ("fast-track", "fast_track"), ("pre-IND", "mtg_pre_ind"), ("Type A", "mtg_type_a"), ("BTD", "breakthrough_therapy"),
    ("orphan drug", "orphan_drug_designation"), ("breakthrough", "breakthrough_therapy"), ("CNPV", "cnpv"),
    ("Regenerative medicine advanced therapy (RMAT) designation", "rmat"), ("EOP", "mtg_type_b_eop"),
])
def test_a_program_is_named_by_its_id_in_any_case_or_its_common_name(typed: str, program: str) -> None:
    assert resolve_program(RuleBase.load().programs, typed) == program


def test_a_name_of_several_programs_is_refused_with_each_of_them() -> None:
    with pytest.raises(InputError) as raised:
        resolve_program(RuleBase.load().programs, "Type B")
    message = str(raised.value.problems[0])
    assert "more than one program" in message
    assert "mtg_type_b_eop" in message and "mtg_type_b_pre_bla" in message and "mtg_pre_ind" not in message


def test_explain_and_draft_take_a_program_in_any_case() -> None:
    code, out, err = _run("explain", PHASE12, "RMAT", "--as-of", "2026-11-21")
    assert code == 0, err
    assert out.startswith("Regenerative medicine advanced therapy (RMAT) designation: ")
    code, out, err = _run("draft", PHASE12, "Cover", "--as-of", "2026-11-21")
    assert code == 0, err
    assert out.startswith("# Designations cover sheet")
    code, _, err = _run("explain", PHASE12, "RMATT")
    assert code == 2 and "unknown program" in err and "rmat" in err


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_shell_completes_program_ids(shell: str) -> None:
    # bash and zsh give the position of the word being completed; fish gives the word itself
    env = {**os.environ, "_BGTC_COMPLETE": f"{shell}_complete", "COMP_WORDS": f"bgtc explain {PHASE12} rm",
           "COMP_CWORD": "rm" if shell == "fish" else "3"}
    done = subprocess.run([BGTC], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "rmat" in done.stdout and "rolling_review" not in done.stdout
    env["COMP_WORDS"], env["COMP_CWORD"] = f"bgtc draft {PHASE12} co", "co" if shell == "fish" else "3"
    done = subprocess.run([BGTC], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert "cover" in done.stdout


@pytest.mark.parametrize("path", ["clinical.endpoints[0].effect", "clinical.endpoints.0.effect"])
def test_whatif_changes_a_list_item_by_its_position(path: str) -> None:
    code, out, err = _run("whatif", PHASE12, "--as-of", "2026-11-21", "--set", f"{path}=no_change")
    assert code == 0, err
    assert "breakthrough_therapy): eligible -> not_eligible" in out


@pytest.mark.parametrize(("path", "expected"), [
    ("clinical.endpoints[5].effect", "clinical.endpoints has 2 item(s); positions count from 0, so the last is [1]"),
    ("clinical.endpoints.effect", "clinical.endpoints is a list: name an item by its position"),
    ("clinical[0]", "clinical is a section with fields, not a list"),
])
def test_whatif_says_what_is_wrong_with_a_list_position(path: str, expected: str) -> None:
    code, _, err = _run("whatif", PHASE12, "--set", f"{path}=no_change")
    assert code == 2
    assert expected in err


def test_whatif_without_a_change_asks_for_one() -> None:
    code, out, err = _run("whatif", PHASE12)
    assert code == 2
    assert out == ""
    assert "give the change to try: --set PATH=VALUE" in err


def test_batch_names_the_line_column_and_what_was_expected_in_bad_jsonl(tmp_path: Path) -> None:
    jsonl = tmp_path / "dossiers.jsonl"
    jsonl.write_text('{"schema_version": 1, "program": {"name": "A\tB"}}\n'
                     '{"schema_version": 1, "program": {"name": "ok", "modality": "aav_gene_therapy"}}\n'
                     '{"schema_version": 1,, }\n'
                     '{"schema_version": 1, "program": {"name": "A"}\n')
    code, _, err = _run("batch", str(jsonl), "--jobs", "1", "--as-of", "2026-11-21")
    assert code == 0, err
    assert (f"{jsonl}:1: invalid JSON at column 45: a control character (a tab or a line break) inside a "
            "string: write it as \\t or \\n") in err
    assert f"{jsonl}:3: invalid JSON at column 22: expected a field name in double quotes" in err
    assert f"{jsonl}:4: invalid JSON at column 47: expected a comma between two items, or the closing" in err


def test_the_schema_names_its_dialect_and_id_and_validates_a_scenario() -> None:
    import jsonschema
    import yaml

    code, out, _ = _run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:bgtc-rules:dossier:1"
    jsonschema.Draft202012Validator.check_schema(schema)
    scenario = yaml.safe_load(Path(PHASE12).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(scenario)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({**scenario, "unknown_section": {}})


def test_the_export_names_the_source_the_caller_gave_or_leaves_it_out() -> None:
    from bgtc_rules import evaluate, load_dossier

    from .paths import AS_OF

    dossier = load_dossier(PHASE12)
    unnamed = json.loads(evaluate(dossier, RuleBase.load(), as_of=AS_OF).to_json())
    assert unnamed["dossier"] == {"name": "AAV9-NRX1 (example)"}
    compact = json.loads(evaluate(dossier, RuleBase.load(), as_of=AS_OF).to_json(indent=None))
    assert compact["dossier"] == {"name": "AAV9-NRX1 (example)"}
    named = json.loads(evaluate(dossier, RuleBase.load(), as_of=AS_OF, source="registry #12").to_json())
    assert named["dossier"]["source"] == "registry #12"
    code, out, _ = _run("evaluate", PHASE12, "--format", "json", "--as-of", "2026-11-21")
    assert code == 0 and json.loads(out)["dossier"]["source"] == PHASE12


# OPM's published federal holiday calendars for 2026 and 2027 (observed dates)
OPM_HOLIDAYS = {
    2026: ["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
           "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"],
    2027: ["2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06",
           "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24", "2027-12-31"],
}


@pytest.mark.parametrize("year", sorted(OPM_HOLIDAYS))
def test_federal_holidays_are_computed_from_5_usc_6103(year: int) -> None:
    from bgtc_rules.base.holidays import federal_holidays

    assert [d.isoformat() for d in federal_holidays(year)] == OPM_HOLIDAYS[year]


def test_inauguration_day_is_a_holiday_where_fda_is_but_not_moved_off_a_saturday() -> None:
    import datetime as dt

    from bgtc_rules.base.holidays import federal_holidays

    assert "Inauguration Day" in federal_holidays(2033)[dt.date(2033, 1, 20)]  # a Thursday
    assert dt.date(2029, 1, 20) not in federal_holidays(2029)  # a Saturday: no holiday


def test_a_plan_date_on_a_weekend_or_holiday_says_so_and_what_the_cited_text_counts() -> None:
    import datetime as dt

    from bgtc_rules import load_dossier
    from bgtc_rules.advice.plan import plan_for

    plan = plan_for(load_dossier(PHASE12), RuleBase.load(), as_of=dt.date(2026, 11, 21), start=dt.date(2026, 12, 9))
    # RMAT, not fast track: the recommended course sets fast track aside beside RMAT (advice.course)
    rmat = next(e for e in plan.events if e.program == "rmat" and e.step == "fda_response")
    assert rmat.date == dt.date(2027, 2, 7)  # 60 days, as counted: never moved
    assert rmat.day_note == ("Sunday 2027-02-07 is a weekend day. The cited text counts 60 calendar days, "
                                   "weekends and holidays included, so the date is not moved.")
    reply = next(e for e in plan.events if e.step == "sponsor_reply")
    assert reply.date == dt.date(2027, 2, 15)
    assert reply.day_note.startswith("Monday 2027-02-15 is a federal holiday (Washington's Birthday; 5 U.S.C. 6103).")
    assert reply.day_note.endswith("To be safe, send it by Friday 2027-02-12, the business day before.")
    on_weekdays = [e for e in plan.events if e.date.weekday() < 5 and e.date != dt.date(2027, 2, 15)]
    assert on_weekdays and not any(e.day_note for e in on_weekdays)
    events = json.loads(plan.to_json())["events"]
    assert {e["business_day"] for e in events} == {True, False}
    assert all(bool(e["day_note"]) != e["business_day"] for e in events)


def test_the_day_note_reaches_the_text_csv_and_calendar() -> None:
    code, out, err = _run("plan", PHASE12, "--as-of", "2026-11-21", "--start", "2026-12-09")
    assert code == 0, err
    assert "note: Sunday 2027-02-07 is a weekend day." in out
    import datetime as dt

    from bgtc_rules import load_dossier
    from bgtc_rules.advice.plan import plan_for
    from bgtc_rules.render.calendar import plan_to_csv, plan_to_ics

    plan = plan_for(load_dossier(PHASE12), RuleBase.load(), as_of=dt.date(2026, 11, 21), start=dt.date(2026, 12, 9))
    assert plan_to_csv(plan).splitlines()[0].endswith(",note")
    assert "Sunday 2027-02-07 is a weekend day" in plan_to_csv(plan)
    assert "Sunday 2027-02-07 is a weekend" in plan_to_ics(plan).replace("\r\n ", "")


def test_a_docx_draft_has_links_an_author_page_numbers_and_notes_set_apart(tmp_path: Path) -> None:
    import zipfile

    import docx

    target = tmp_path / "pre-ind.docx"
    code, _, err = _run("draft", str(SCENARIOS / "aav_pre_ind_request_drafts.yaml"), "pre-IND", "--as-of",
                        "2026-11-21", "-o", str(target))
    assert code == 0, err
    document = docx.Document(str(target))
    assert document.core_properties.author == "bgtc-rules"
    assert "python-docx" not in (document.core_properties.last_modified_by + document.core_properties.comments)
    header = document.sections[0].header.paragraphs[0].text
    assert header.startswith("Pre-IND meeting (Type B) request") and "first draft" in header
    footer = zipfile.ZipFile(target).read("word/footer1.xml").decode()
    assert "PAGE" in footer and "NUMPAGES" in footer
    body = zipfile.ZipFile(target).read("word/document.xml").decode()
    links = [r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links and all(url.startswith("https://") for url in links)
    assert body.count("<w:hyperlink ") >= len(links)
    assert "<https://" not in "\n".join(p.text for p in document.paragraphs)
    notes = [p.text for p in document.paragraphs if p.style.name == "Drafting note"]
    assert notes and all(not p.text.startswith(("Answers:", "Drafting note:")) for p in document.paragraphs
                         if p.style.name != "Drafting note")
    assert any(n.startswith("Drafting note: this element answers ") for n in notes)


@pytest.mark.parametrize("fmt", ["markdown", "docx"])
def test_drafts_show_labels_not_coded_values(tmp_path: Path, fmt: str) -> None:
    import docx

    target = tmp_path / f"cover.{'md' if fmt == 'markdown' else 'docx'}"
    for program in ("cover", "rmat"):
        code, _, err = _run("draft", PHASE12, program, "--as-of", "2026-11-21", "-o", str(target))
        assert code == 0, err
        text = (target.read_text(encoding="utf-8") if fmt == "markdown"
                else "\n".join(p.text for p in docx.Document(str(target)).paragraphs))
        for coded in ("ind active", "aav gene therapy", "not_yet", "not\\_yet", "ind_active"):
            assert coded not in text, (program, coded)
    assert "AAV gene therapy" in text


def test_every_coded_value_has_words_without_underscores() -> None:
    from enum import StrEnum

    from bgtc_rules.advice.labels import label
    from bgtc_rules.dossier import meeting, schema
    from bgtc_rules.engine.results import Determination

    enums = [e for module in (schema, meeting) for e in vars(module).values()
             if isinstance(e, type) and issubclass(e, StrEnum) and e is not StrEnum]
    for enum in [*enums, Determination]:
        for member in enum:
            assert "_" not in label(member) and label(member) == label(member.value), member


def test_the_gantt_chart_shows_every_program_name_whole() -> None:
    import re

    code, out, err = _run("evaluate", PHASE12, "--as-of", "2026-11-21", "--format", "html")
    assert code == 0, err
    svg = out[out.index('class="gantt"'):]
    svg = svg[:svg.index("</svg>")]
    rows = re.findall(r'<g class="gantt-row" data-program="([^"]+)">(.*?)</g>\n(?=<g class="gantt-row"|<line)',
                      svg, re.S)
    names = {p.id: p.name for p in RuleBase.load().programs.values()}
    assert len(rows) >= 5
    for program, row in rows:
        label = re.search(r'<text class="program-name"[^>]*>(.*?)</text>', row, re.S)
        assert label is not None
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", label.group(1))
        assert " ".join(lines).replace("&#x27;", "'").replace("&#39;", "'") == names[program]
        assert all(len(line) <= 44 for line in lines)
    assert "…" not in svg
    assert any(len(re.findall("<tspan", row)) == 3 for _, row in rows)  # the end-of-phase meeting: 3 lines


def test_a_problem_names_its_field_path_as_where_and_as_path() -> None:
    from bgtc_rules import load_dossier

    with pytest.raises(InputError) as raised:
        load_dossier(SCENARIOS / "no-such-dossier.yaml")
    problem = raised.value.problems[0]
    assert problem.path == problem.where and problem.file.endswith("no-such-dossier.yaml")
    assert problem.to_dict()["path"] == problem.path


def test_the_readme_says_the_chart_and_diagrams_are_in_the_html_report_only() -> None:
    from .paths import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code, markdown, _ = _run("evaluate", PHASE12, "--as-of", "2026-11-21", "--format", "markdown")
    assert code == 0
    assert "<svg" not in markdown and "![" not in markdown  # the Markdown report draws nothing
    assert "which the HTML report also draws as a timeline chart and as diagrams" in readme
