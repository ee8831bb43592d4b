"""Text rendering of a regulatory plan."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.course import Course
from bgtc_rules.render.source_list import SourceList, text_list, text_reference

if TYPE_CHECKING:  # `bgtc evaluate` prints the course, never a plan: the planner is not imported for it
    from bgtc_rules.advice.plan import Plan


def course_lines(course: Course, names: dict[str, str], sources: SourceList, width: int = 96) -> list[str]:
    """The recommended course as numbered steps, each with its reason and first source, numbered in
    `sources` (also the evaluate summary's "What to do now")."""
    if not course.steps:
        return ["  Nothing to request now."]
    lines: list[str] = []
    for number, step in enumerate(course.steps, 1):
        when = f" ({timing})" if (timing := step.timing(names)) else ""
        lines.extend(textwrap.wrap(f"{number}. {step.title}{when}", width, initial_indent="  ",
                                   subsequent_indent="     "))
        lines.extend(textwrap.wrap(step.reason, width, initial_indent="     Why: ", subsequent_indent="     "))
        source = step.citations[0] if step.citations else None
        if source is not None:
            lines.extend(textwrap.wrap(text_reference(sources, source), width,
                                       initial_indent="     Source: ", subsequent_indent="     "))
    return lines


def render_plan(plan: Plan) -> str:
    assessment = plan.assessment
    sources = SourceList()
    lines = [
        f"Regulatory plan for {assessment.dossier_name}, starting {plan.start.isoformat()}",
        f"(rules {assessment.rules_edition}, as of {assessment.as_of.isoformat()}; "
        "FDA day counts are performance goals, not guarantees)",
        "",
        "Recommended course (the dates below follow it):",
        *course_lines(assessment.course, {p.program: p.name for p in assessment.programs}, sources),
        "",
        "Dates:",
    ]
    if not plan.events:
        lines.append("  Nothing can be requested yet.")
    for event in plan.events:
        lines.append(f"  {event.date.isoformat()}  {event.title}")
        if event.basis:
            lines.extend(textwrap.wrap(event.basis, 96, initial_indent=" " * 14 + "from ",
                                       subsequent_indent=" " * 19))
        if event.day_note:
            lines.extend(textwrap.wrap(event.day_note, 96, initial_indent=" " * 14 + "note: ",
                                       subsequent_indent=" " * 20))
        for caveat in event.caveats:
            lines.extend(textwrap.wrap(caveat, 96, initial_indent=" " * 14 + "caveat: ",
                                       subsequent_indent=" " * 22))
    if plan.next_steps:
        lines += ["", "Next steps:"]
        for step in plan.next_steps:
            lines.append(f"  - {step.title}")
            lines.extend(textwrap.wrap(step.detail, 96, initial_indent="      ", subsequent_indent="      "))
    if plan.undated:
        lines += ["", "Without a date (the sources give no day count):"]
        lines.extend(f"  - {item}" for item in plan.undated)
    if plan.approval_brings:
        lines += ["", "What approval would bring:"]
        for step in plan.approval_brings:
            lines.append(f"  - {step.title}")
            lines.extend(textwrap.wrap(step.detail, 96, initial_indent="      ", subsequent_indent="      "))
    lines += ["", *text_list(sources), *([""] if sources else []), DISCLAIMER]
    return "\n".join(lines) + "\n"
