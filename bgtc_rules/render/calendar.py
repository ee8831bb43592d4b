"""Export a plan as an iCalendar file (RFC 5545) or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.plan import Plan


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Split a content line into chunks of at most 75 octets, continuation lines start with a space."""
    chunks: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not chunks else 74
        if len((current + char).encode("utf-8")) > limit:
            chunks.append(current)
            current = ""
        current += char
    chunks.append(current)
    return [chunks[0]] + [" " + c for c in chunks[1:]]


def _day(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def plan_to_ics(plan: Plan) -> str:
    """All-day events, one per dated step; UIDs and stamps derive from the content, so output is stable."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bgtc-rules//regulatory plan//EN", "CALSCALE:GREGORIAN"]
    stamp = _day(plan.start) + "T000000Z"
    for event in plan.events:
        uid = hashlib.sha256(f"{event.date}|{event.program}|{event.step}|{event.title}".encode()).hexdigest()[:24]
        description = " ".join(filter(None, [event.basis, *event.caveats, DISCLAIMER]))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@bgtc-rules",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_day(event.date)}",
            f"DTEND;VALUE=DATE:{_day(event.date + dt.timedelta(days=1))}",
            f"SUMMARY:{_escape(event.title)}",
            f"DESCRIPTION:{_escape(description)}",
            f"CATEGORIES:{_escape(event.program)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(chunk + "\r\n" for line in lines for chunk in _fold(line))


def plan_to_csv(plan: Plan) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "program", "step", "title", "basis", "caveats"])
    for event in plan.events:
        writer.writerow([event.date.isoformat(), event.program, event.step, event.title, event.basis,
                         " | ".join(event.caveats)])
    return out.getvalue()
