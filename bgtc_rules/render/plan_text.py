"""Text rendering of a regulatory plan."""

from __future__ import annotations

import textwrap

from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.plan import Plan


def render_plan(plan: Plan) -> str:
    assessment = plan.assessment
    lines = [
        f"Regulatory plan for {assessment.dossier_name}, starting {plan.start.isoformat()}",
        f"(rules {assessment.rules_edition}, as of {assessment.as_of.isoformat()}; "
        "FDA day counts are performance goals, not guarantees)",
        "",
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
    lines += ["", DISCLAIMER]
    return "\n".join(lines) + "\n"
