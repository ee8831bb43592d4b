"""Plain-text (optionally coloured) summary of an assessment, for the terminal.

The default summary is short and ordered by what matters: what to do now (when a course is
given), the designations held or pending, what the program qualifies for now, what cannot be
told yet with the questions that decide it, then what is not open yet, closed, and not eligible.
Full names wrap, never cut; the caveats of the programs shown in full are numbered once at the
end. `detail=True` gives everything: every program's reason and questions, the stacking notes
and every caveat.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import click

from bgtc_rules.advice.assessment import DISCLAIMER, Assessment
from bgtc_rules.advice.standing import Standing
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.render.plan_text import course_lines

_COLOURS = {
    Determination.ELIGIBLE: "green",
    Determination.NOT_ELIGIBLE: "red",
    Determination.UNDETERMINED: "yellow",
    Determination.NOT_YET: "cyan",
    Determination.CLOSED: "white",
    Determination.CONDITIONAL: "magenta",
}
_WORDS = {
    Determination.ELIGIBLE: "qualifies now",
    Determination.CONDITIONAL: "once another is granted",
    Determination.UNDETERMINED: "cannot tell yet",
    Determination.NOT_YET: "not yet",
    Determination.CLOSED: "closed",
    Determination.NOT_ELIGIBLE: "not eligible",
}
# The summary's sections after the held and pending designations, in the order they matter.
_SECTIONS = (
    ((Determination.ELIGIBLE,), "Qualifies now"),
    ((Determination.CONDITIONAL,), "Available once another designation is granted"),
    ((Determination.UNDETERMINED,), "Cannot tell yet: the answers that decide it"),
    ((Determination.NOT_YET,), "Not yet: the window opens later"),
    ((Determination.CLOSED,), "Closed: the window has passed"),
    ((Determination.NOT_ELIGIBLE,), "Not eligible"),
)
_KINDS = ("designation", "pathway", "pilot", "framework", "expanded_access", "meeting", "requirement",
          "exclusivity")
# Sections whose rows carry their caveats in the default summary (with the held and pending
# designations): what the sponsor acts on now.
_WITH_CAVEATS = {Determination.ELIGIBLE}
_INDENT = "    "


def render_steps(steps: Sequence[str], width: int = 120) -> list[str]:
    """The "What to do now" section: the steps given, numbered, in their order (none: no section).

    Examples:
        >>> render_steps(["Request RMAT designation.", "Request the pre-BLA meeting."])
        ['What to do now', '  1. Request RMAT designation.', '  2. Request the pre-BLA meeting.', '']
    """
    if not steps:
        return []
    lines = ["What to do now"]
    for number, step in enumerate(steps, 1):
        lines.extend(textwrap.wrap(step, width - 2, initial_indent=f"  {number}. ",
                                   subsequent_indent=" " * (len(str(number)) + 4)))
    return [*lines, ""]


def _ordered(items: Iterable[ProgramAssessment]) -> list[ProgramAssessment]:
    return sorted(items, key=lambda p: (_KINDS.index(p.kind) if p.kind in _KINDS else len(_KINDS), p.name))


def _wrap(text: str, width: int, indent: str = _INDENT) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent) or [indent.rstrip()]


class _Caveats:
    """The caveats shown, numbered once in the order first met."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def refer(self, caveats: Iterable[str]) -> str:
        numbers = [self.numbers.setdefault(c, len(self.numbers) + 1) for c in dict.fromkeys(caveats)]
        if not numbers:
            return ""
        return ("Caveat " if len(numbers) == 1 else "Caveats ") + ", ".join(map(str, sorted(numbers))) + " below."

    def lines(self, width: int) -> list[str]:
        if not self.numbers:
            return []
        lines = ["Caveats"]
        for caveat, number in self.numbers.items():
            lines.extend(textwrap.wrap(caveat, width - 2, initial_indent=f"  {number}. ",
                                       subsequent_indent=" " * (len(str(number)) + 4)))
        return [*lines, ""]


def _name(item: ProgramAssessment, colour: bool, width: int) -> list[str]:
    lines = textwrap.wrap(item.name, width - 2, initial_indent="  ", subsequent_indent="  ")
    if colour:
        lines = [click.style(line, bold=True) for line in lines]
    return lines


def _label(determination: Determination, colour: bool) -> str:
    text = _WORDS[determination]
    return click.style(text, fg=_COLOURS[determination], bold=True) if colour else text


_QUESTIONS = 2  # the questions shown per program in the default summary; --detail shows them all


def _questions(item: ProgramAssessment, width: int, detail: bool) -> list[str]:
    lines: list[str] = []
    shown = item.missing if detail else item.missing[:_QUESTIONS]
    for missing in shown:
        lines.extend(textwrap.wrap(missing.question, width, initial_indent=f"{_INDENT}? ",
                                   subsequent_indent=f"{_INDENT}  "))
    if len(shown) < len(item.missing):
        more = len(item.missing) - len(shown)
        lines.append(f"{_INDENT}  ... and {more} more question{'s' if more > 1 else ''} (--detail)")
    return lines


def _standing_row(assessment: Assessment, item: ProgramAssessment, caveats: _Caveats, colour: bool,
                  width: int, detail: bool) -> list[str]:
    state = assessment.designation(item.program)
    lines = _name(item, colour, width)
    lines.extend(_wrap(assessment.standing_words(item.program), width))
    if detail or state.standing is not Standing.HELD:
        # pending: what FDA will answer, whether the criteria still look met, and what that rests on
        lines.extend(_wrap(f"Assessment: {_label(item.determination, colour)}. {item.reason}", width))
        lines.extend(_wrap(caveats.refer(item.caveats), width) if item.caveats else [])
    return lines


def _row(assessment: Assessment, item: ProgramAssessment, caveats: _Caveats, colour: bool, width: int,
         detail: bool) -> list[str]:
    lines = _name(item, colour, width)
    state = assessment.designation(item.program)
    if state.standing is not Standing.NONE:
        lines.extend(_wrap(assessment.standing_words(item.program), width))
    if item.determination is Determination.UNDETERMINED:
        lines.extend(_questions(item, width, detail))
    else:
        lines.extend(_wrap(item.reason, width))
    if item.caveats and (detail or item.determination in _WITH_CAVEATS):
        lines.extend(_wrap(caveats.refer(item.caveats), width))
    return lines


def what_to_do_now(assessment: Assessment, width: int = 100) -> list[str]:
    """The recommended course (`advice.course`), numbered, each step with why and its source, then
    what qualifies but is not advised now."""
    names = {item.program: item.name for item in assessment.programs}
    lines = ["What to do now (the recommended course, in order; bgtc plan gives the dates)",
             *course_lines(assessment.course, names, width - 4)]
    for aside in assessment.course.set_aside:
        lines.extend(textwrap.wrap(f"Not now: {aside.name}: {aside.reason}", width - 4, initial_indent="  - ",
                                   subsequent_indent="    "))
    return [*lines, ""]


def _benefits(assessment: Assessment, width: int) -> list[str]:
    """The benefit matrix: what each designation adds beyond those held, requested or recommended."""
    matrix = assessment.benefits
    if not matrix.rows:
        return []
    lines = ["What each designation adds beyond those held, requested or recommended"]
    for row in matrix.rows:
        adds = " ".join(matrix.text(b) for b in row.adds) or "nothing new beyond the others"
        lines.extend(textwrap.wrap(f"{row.name} ({row.standing.value}): {adds}", width - 4,
                                   initial_indent="  - ", subsequent_indent="    "))
    return [*lines, ""]


def render_text(assessment: Assessment, colour: bool = False, width: int = 100, detail: bool = False,
                steps: Sequence[str] = ()) -> str:
    """The summary: what to do now (`steps`, else the recommended course), held and pending designations, then each
    determination in the order it matters, the caveats numbered once; `detail` for everything."""
    lines = [
        f"{assessment.dossier_name}: assessed as of {assessment.as_of.isoformat()}",
        f"Rules: {assessment.rules_edition} [{assessment.rules_digest}]; backend: {assessment.backend}",
        "",
        *(render_steps(steps, width) if steps else what_to_do_now(assessment, width)),
    ]
    caveats = _Caveats()
    asked = [p for p in assessment.programs if assessment.designation(p.program).asked]
    if asked:
        lines.append(_heading("Held and pending designations", colour))
        for item in _ordered(asked):
            lines.extend(_standing_row(assessment, item, caveats, colour, width, detail))
        lines.append("")
    shown = {p.program for p in asked}
    for determinations, title in _SECTIONS:
        items = _ordered(p for p in assessment.programs if p.determination in determinations
                         and p.program not in shown)
        if not items:
            continue
        lines.append(_heading(f"{title} ({len(items)})", colour))
        for item in items:
            lines.extend(_row(assessment, item, caveats, colour, width, detail))
        lines.append("")
    if detail:
        lines.extend(_benefits(assessment, width))
    lines.extend(caveats.lines(width))
    if not detail:
        lines.append("Every program's reasons, what each designation adds and every caveat: --detail.")
    lines.append(DISCLAIMER)
    return "\n".join(lines) + "\n"


def _heading(text: str, colour: bool) -> str:
    return click.style(text, bold=True, underline=True) if colour else text
