"""bgtc explain, whatif and plan, through click's CliRunner."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import icalendar
from click.testing import CliRunner

from bgtc_rules import RuleBase
from bgtc_rules.cli import main

from .paths import SCENARIOS

PHASE12 = str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")
PRE_IND = str(SCENARIOS / "aav_pre_ind_pediatric_neuro.yaml")
NEW_CLINICAL_DATA = [
    "--set", "development.stage=ind_active",
    "--set", "development.clinical_hold=false",
    "--set", "clinical.patients_dosed=3",
    "--set", "clinical.endpoints=[{name: Motor milestones, kind: clinical, comparator: natural_history, "
             "effect: substantial_improvement}]",
]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_explain_rmat_shows_facts_rules_and_citations() -> None:
    code, out, _ = _run("explain", PHASE12, "rmat", "--as-of", "2026-11-21")
    assert code == 0
    assert out.startswith("Regenerative medicine advanced therapy (RMAT) designation: eligible")
    assert "✔ Regenerative medicine therapy for a serious condition with preliminary clinical evidence (holds)" in out
    assert "✔ A gene therapy with a sustained effect on cells or tissues (holds)" in out
    assert "✔ The gene therapy has a sustained effect on cells or tissues.    (your dossier: yes)" in out
    number = re.search(r"source: 506\(g\)\(2\)\(A\)-\(C\): criteria \[(\d+)\]", out)
    assert number is not None  # the section cited, and the source's number in this explanation
    assert f"  [{number.group(1)}] FD&C Act section 506(g)(2), 21 U.S.C. 356(g)(2)" in out.split("\nSources\n")[1]


def test_explain_breakthrough_before_ind_is_not_yet_and_says_what_would_change_it() -> None:
    code, out, _ = _run("explain", PRE_IND, "breakthrough_therapy", "--as-of", "2026-11-21")
    assert code == 0
    assert out.startswith("Breakthrough therapy designation: not yet")
    changes = out.split("Smallest changes that would make it eligible:")[1]
    assert "At least one patient has received the product. (now: 0)" in changes
    assert "An IND is in effect, or the program is past it. (now: ind enabling)" in changes
    assert "shows a substantial improvement" in changes
    assert "active control" not in changes, "no therapy is approved: nothing to compare with"


def test_explain_json_lists_proofs_and_changes() -> None:
    code, out, _ = _run("explain", PRE_IND, "rmat", "--as-of", "2026-11-21", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["determination"] == "not_yet"
    assert data["changes_to_eligible"]
    assert {p["rule"] for p in data["rules_proofs"]} >= {"rmat.eligible", "rmat.not_serious"}


def test_explain_unknown_program_exits_2() -> None:
    code, _, err = _run("explain", PHASE12, "warp_speed")
    assert code == 2 and "unknown program" in err and "fast_track" in err


def test_whatif_new_clinical_data_turns_breakthrough_and_rmat_eligible() -> None:
    code, out, _ = _run("whatif", PRE_IND, "--as-of", "2026-11-21", *NEW_CLINICAL_DATA)
    assert code == 0
    assert "(breakthrough_therapy): not_yet -> eligible" in out
    assert "(rmat): not_yet -> eligible" in out
    code, out, _ = _run("whatif", PRE_IND, "--as-of", "2026-11-21", "--format", "json", *NEW_CLINICAL_DATA)
    changed = {c["program"]: (c["before"], c["after"]) for c in json.loads(out)["changed"]}
    assert changed["rmat"] == ("not_yet", "eligible")


def test_whatif_unset_makes_a_fact_unknown() -> None:
    code, out, _ = _run("whatif", PHASE12, "--as-of", "2026-11-21", "--unset", "indication.serious")
    assert code == 0 and "(fast_track): eligible -> undetermined" in out


def test_whatif_bad_assignment_exits_2() -> None:
    code, _, err = _run("whatif", PHASE12, "--set", "clinical.patients_dosed")
    assert code == 2 and "PATH=VALUE" in err


def _timelines(rules: RuleBase) -> dict[str, dict[str, int | None]]:
    return {
        pid: {"response": p.timeline.response_to_request.days, "meeting": p.timeline.meeting_held.days}
        for pid, p in rules.programs.items() if p.timeline is not None
    }


def test_plan_dates_follow_the_rules_day_counts_and_ics_is_valid(tmp_path: Path, rulebase: RuleBase) -> None:
    ics, table = tmp_path / "plan.ics", tmp_path / "plan.csv"
    code, out, _ = _run("plan", PHASE12, "--start", "2027-01-04", "--ics", str(ics), "--csv", str(table),
                        "--format", "json")
    assert code == 0
    events = json.loads(out)["events"]
    start = dt.date(2027, 1, 4)
    timelines = _timelines(rulebase)
    checked = 0
    for event in events:
        days = (dt.date.fromisoformat(event["date"]) - start).days
        program = rulebase.programs[event["program"]]
        if event["step"] == "fda_response" and program.timeline is None:
            assert program.response is not None and days == program.response.days
            checked += 1
        elif event["step"] == "meeting":
            assert days == timelines[event["program"]]["meeting"]
            checked += 1
        elif event["step"] == "fda_response":
            assert days == timelines[event["program"]]["response"]
            checked += 1
    assert checked, "the plan has no dated FDA step to check"
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    dated = [c for c in calendar.walk("VEVENT")]
    assert len(dated) == len(events)
    assert {c.get("DTSTART").dt for c in dated} == {dt.date.fromisoformat(e["date"]) for e in events}
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert [r["date"] for r in rows] == [e["date"] for e in events]
