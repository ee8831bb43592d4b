"""Plain-text (optionally coloured) summary of an assessment, for the terminal."""

from __future__ import annotations

import textwrap

import click

from bgtc_rules.advice.assessment import DISCLAIMER, Assessment
from bgtc_rules.engine.results import Determination, ProgramAssessment

_COLOURS = {
    Determination.ELIGIBLE: "green",
    Determination.NOT_ELIGIBLE: "red",
    Determination.UNDETERMINED: "yellow",
    Determination.NOT_YET: "cyan",
    Determination.CLOSED: "white",
    Determination.CONDITIONAL: "magenta",
}
_NAME_WIDTH = 44
_STATUS_WIDTH = 14


def _status(item: ProgramAssessment, colour: bool) -> str:
    text = item.determination.value.ljust(_STATUS_WIDTH)
    return click.style(text, fg=_COLOURS[item.determination], bold=True) if colour else text


def _row(item: ProgramAssessment, colour: bool, width: int) -> list[str]:
    name = textwrap.shorten(item.name, _NAME_WIDTH - 2, placeholder="...").ljust(_NAME_WIDTH)
    reason_width = max(30, width - _NAME_WIDTH - _STATUS_WIDTH - 2)
    reason = textwrap.wrap(item.reason, reason_width) or [""]
    indent = " " * (_NAME_WIDTH + _STATUS_WIDTH + 2)
    lines = [f"{name}{_status(item, colour)}  {reason[0]}"]
    lines.extend(indent + more for more in reason[1:])
    for missing in item.missing:
        lines.extend(textwrap.wrap(missing.question, len(indent) + reason_width, initial_indent=f"{indent}? ",
                                   subsequent_indent=f"{indent}  "))
    return lines


def render_text(assessment: Assessment, colour: bool = False, width: int = 120) -> str:
    """The summary table: program, determination, one-line reason, questions and caveats."""
    header = (
        f"{assessment.dossier_name}: assessed as of {assessment.as_of.isoformat()}\n"
        f"rules: {assessment.rules_edition} [{assessment.rules_digest}]; backend: {assessment.backend}\n"
    )
    title = "Program".ljust(_NAME_WIDTH) + "Determination".ljust(_STATUS_WIDTH) + "  Reason"
    if colour:
        title = click.style(title, bold=True)
    lines = [header, title]
    for item in assessment.programs:
        lines.extend(_row(item, colour, width))
    names = {item.program: item.name for item in assessment.programs}
    if assessment.stacking:
        lines.append("\nStacking (what each eligible program adds beyond the others):")
        for note in assessment.stacking:
            covered_by = note.superseded_by or sorted({p for _, by in note.covered for p in by})
            if note.adds_nothing:
                text = f"{names[note.program]}: adds nothing new; its benefits come with " + ", ".join(
                    names.get(p, p) for p in covered_by)
            else:
                text = f"{names[note.program]}: adds " + ", ".join(b.replace("_", " ") for b in note.new_benefits)
            lines.extend(textwrap.wrap(text, width - 4, initial_indent="  - ", subsequent_indent="    "))
    caveats = list(dict.fromkeys(c for item in assessment.programs for c in item.caveats))
    if caveats:
        lines.append("\nCaveats:")
        for caveat in caveats:
            lines.extend(textwrap.wrap(caveat, width - 4, initial_indent="  - ", subsequent_indent="    "))
    lines.append("\n" + DISCLAIMER)
    return "\n".join(lines) + "\n"
