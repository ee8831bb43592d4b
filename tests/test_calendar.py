"""The plan's calendar export: written by icalendar, stable, and closed to text that would add
properties or events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar

from bgtc_rules.advice.plan import Plan, PlanEvent
from bgtc_rules.render.calendar import plan_to_ics

HOSTILE = "Meeting; with, commas\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected"


def _plan(*events: PlanEvent) -> Plan:
    assessment: Any = None  # the export reads only the events and the start date
    return Plan(dt.date(2027, 1, 4), assessment, events, ())


def test_dossier_text_stays_inside_its_property() -> None:
    plan = _plan(PlanEvent(dt.date(2027, 2, 1), "rmat", "meeting", HOSTILE, basis="60 days; per guidance, 2024"))
    calendar = icalendar.Calendar.from_ical(plan_to_ics(plan))
    (event,) = calendar.walk("VEVENT")
    assert str(event.get("SUMMARY")) == HOSTILE.replace("\r\n", "\n")  # a line break is text, kept as \n
    assert str(event.get("DESCRIPTION")).startswith("60 days; per guidance, 2024 ")
    assert event.get("DTSTART").dt == dt.date(2027, 2, 1) and event.get("DTEND").dt == dt.date(2027, 2, 2)


def test_the_same_plan_gives_the_same_bytes_with_folded_crlf_lines() -> None:
    plan = _plan(PlanEvent(dt.date(2027, 2, 1), "rmat", "meeting", "x" * 200))
    text = plan_to_ics(plan)
    assert text == plan_to_ics(plan)
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert lines[0] == "BEGIN:VCALENDAR" and "UID:" in text and "DTSTAMP:20270104T000000Z" in text
