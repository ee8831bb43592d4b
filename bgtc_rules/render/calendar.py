"""Export a plan as an iCalendar file (RFC 5545, written by `icalendar`) or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.plan import Plan


def plan_to_ics(plan: Plan) -> str:
    """All-day events, one per dated step; UIDs and stamps derive from the content, so output is stable.

    `icalendar` escapes the dossier's text (commas, semicolons, newlines) and folds long lines, so
    no text can add a property or an event.
    """
    from icalendar import Calendar, Event  # imported here: only `bgtc plan --ics` needs it

    calendar = Calendar()
    calendar.add("prodid", "-//bgtc-rules//regulatory plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    stamp = dt.datetime.combine(plan.start, dt.time(), tzinfo=dt.UTC)
    for step in plan.events:
        uid = hashlib.sha256(f"{step.date}|{step.program}|{step.step}|{step.title}".encode()).hexdigest()[:24]
        event = Event()
        event.add("uid", f"{uid}@bgtc-rules")
        event.add("dtstamp", stamp)
        event.add("dtstart", step.date)
        event.add("dtend", step.date + dt.timedelta(days=1))
        event.add("summary", step.title)
        event.add("description", " ".join(filter(None, [step.basis, step.day_note, *step.caveats, DISCLAIMER])))
        event.add("categories", [step.program])
        calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))


# A spreadsheet reads a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_text(cell: str) -> str:
    """`cell` as text a spreadsheet shows rather than computes: a leading apostrophe before a
    formula character, as OWASP recommends (Excel, LibreOffice and Sheets hide the apostrophe).

    >>> print(spreadsheet_text('=HYPERLINK("http://x","y")'), spreadsheet_text("2027-01-04"))
    '=HYPERLINK("http://x","y") 2027-01-04
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def plan_to_csv(plan: Plan) -> str:
    """The dated steps as CSV, no cell readable as a formula (rule text
    from `--rules` directories, like the dossier's, is not ours to trust)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "program", "step", "title", "basis", "caveats", "note"])
    for event in plan.events:
        row = [event.date.isoformat(), event.program, event.step, event.title, event.basis, " | ".join(event.caveats),
               event.day_note]
        writer.writerow([spreadsheet_text(cell) for cell in row])
    return out.getvalue()
