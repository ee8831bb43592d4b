"""Exports that cannot be turned against their reader (issue 17, part 2).

The corpus case `tests/corpus/exports/` is a dossier and a `--rules` file whose every text is an
injection attempt. Each export is produced through the CLI, as a user would, and read back the way
its consumer reads it: the CSV by a CSV reader (no cell a spreadsheet would compute), the calendar
by icalendar (no event or property the plan did not make), the HTML by an HTML parser (no element
from the text) and the Markdown table by its cell separators (no cell from the text).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from bgtc_rules.cli import main
from bgtc_rules.render.calendar import FORMULA_STARTS, spreadsheet_text

from .paths import AS_OF
from .test_reports import parse_html

CASE = Path(__file__).resolve().parent / "corpus" / "exports"
DOSSIER = str(CASE / "hostile_dossier.yaml")
RULES = str(CASE / "rules")
PROGRAM_NAME = '<script>alert(1)</script> | x | =HYPERLINK("http://evil.test","click")'
EVENT_PROPERTIES = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "CATEGORIES"}


def _run(command: str, fmt: str) -> str:
    result = CliRunner().invoke(main, [command, DOSSIER, "--rules", RULES, "--as-of", AS_OF.isoformat(),
                                       "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def plan_events() -> list[dict[str, object]]:
    events: list[dict[str, object]] = json.loads(_run("plan", "json"))["events"]
    assert any(e["program"] == "hostile_meeting" for e in events)
    return events


def test_no_csv_cell_is_a_formula(plan_events: list[dict[str, object]]) -> None:
    header, *rows = list(csv.reader(io.StringIO(_run("plan", "csv"))))
    assert header == ["date", "program", "step", "title", "basis", "caveats", "note"]
    assert len(rows) == len(plan_events)  # a line break inside a text stayed inside its cell
    assert all(len(row) == len(header) for row in rows)
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    caveats = [row[5] for row in rows if row[1] == "hostile_meeting" and row[2] == "fda_response"]
    assert caveats == ["'=1+1 | +SUM(A1) | -2+3 | @cmd | line\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected"]


@pytest.mark.parametrize("cell", ["=1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_each_formula_start_is_neutralised(cell: str) -> None:
    assert spreadsheet_text(cell) == "'" + cell


def test_no_calendar_text_adds_an_event_or_a_property(plan_events: list[dict[str, object]]) -> None:
    calendar = icalendar.Calendar.from_ical(_run("plan", "ics"))
    events = calendar.walk("VEVENT")
    assert len(events) == len(plan_events)
    assert [set(event.keys()) - EVENT_PROPERTIES for event in events] == [set()] * len(events)
    assert set(calendar.keys()) == {"PRODID", "VERSION", "CALSCALE"}
    summaries = [str(event["SUMMARY"]) for event in events]
    assert "injected" not in summaries and sorted(summaries) == sorted(str(e["title"]) for e in plan_events)


def test_html_shows_every_dossier_text_as_text() -> None:
    root, builder = parse_html(_run("evaluate", "html"))
    assert builder.errors == []
    assert not {e.tag for e in root.iter()} & {"script", "img", "iframe", "b"}
    assert not any(name.startswith("on") for e in root.iter() for name in e.attrs)
    assert root.find("h1").text() == f"FDA program assessment: {PROGRAM_NAME}"
    assert not [a for a in root.find_all("a") if a.attrs.get("href", "").startswith("javascript:")]


def test_markdown_tables_keep_their_columns() -> None:
    text = _run("evaluate", "markdown")
    prose = re.sub(r"(`+).+?\1", "", text)  # inside a code span, markup is shown as it is
    assert "<script" in text and not re.search(r"(?<!\\)<(script|iframe|img|b)\b", prose)
    assert not re.search(r"(?<!\\)\]\(javascript:", prose)
    tables: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    assert len(tables) >= 2
    for table in tables:
        columns = [len(re.findall(r"(?<!\\)\|", row)) for row in table]
        assert set(columns) == {columns[0]}, table  # every row as wide as its header
    assert "\\<script\\>alert(1)\\</script\\> \\| x \\|" in text
