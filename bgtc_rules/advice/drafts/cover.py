"""The one-page cover sheet: what to do now (the recommended course, `advice.course`), the
designations the program holds, has requested, is advised to request or qualifies for, what each
adds beyond the others (stacked designations), and the meetings the course requests."""

from __future__ import annotations

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.course import benefits_of, meetings_supported
from bgtc_rules.advice.drafts.common import Body, disease_fragment
from bgtc_rules.advice.drafts.model import Element, Line, Section
from bgtc_rules.advice.drafts.reader import Reader, bullet, line
from bgtc_rules.advice.drafts.sources import MEETINGS_GUIDANCE, TOOL
from bgtc_rules.advice.labels import label
from bgtc_rules.advice.standing import Standing, standing_text
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import ProgramKind

_RECOMMENDED = "recommended now (not yet requested)"
_NOT_ADVISED = "qualifies, but not advised now"

_IN_FORCE = (Standing.HELD, Standing.PENDING, Standing.PLANNED, Standing.NONE)


def _standing(assessment: Assessment, rulebase: RuleBase) -> dict[str, tuple[Standing, str]]:
    """Each designation worth listing, with its standing (`Assessment.designation`, as every
    interface reads it) in words: held, pending, planned, denied, withdrawn, ended, or qualifies now."""
    standing: dict[str, tuple[Standing, str]] = {}
    for item in assessment.programs:
        state = assessment.designation(item.program)
        if state.standing is not Standing.NONE:
            text = standing_text(state).rstrip(".")
            standing[item.program] = (state.standing, text[:1].lower() + text[1:])
        elif (item.determination is Determination.ELIGIBLE
              and rulebase.programs[item.program].kind is ProgramKind.DESIGNATION):
            advised = assessment.course.step(item.program) is not None
            standing[item.program] = (Standing.NONE, _RECOMMENDED if advised else _NOT_ADVISED)
    order = list(Standing)  # held and pending first, then planned, qualifying now, and the rest
    first = (Standing.HELD, Standing.PENDING, Standing.PLANNED, Standing.NONE)
    return dict(sorted(standing.items(), key=lambda kv: (first.index(kv[1][0]) if kv[1][0] in first
                                                         else len(first) + order.index(kv[1][0]))))


def _benefit_text(rulebase: RuleBase, program: str, benefit: str) -> str | None:
    """The program's own wording of a benefit, or that of the program it includes the benefit from."""
    spec = rulebase.programs[program]
    for own in spec.benefits:
        if own.id == benefit:
            return own.text
    for included in spec.includes:
        if included in rulebase.programs and (text := _benefit_text(rulebase, included, benefit)):
            return text
    return None


def _designation_element(program_id: str, status: str, stack: dict[str, frozenset[str]], rulebase: RuleBase,
                         assessment: Assessment, givers: set[str]) -> Element:
    program = rulebase.programs[program_id]
    lines: list[Line] = []
    determination = next((p for p in assessment.programs if p.program == program_id), None)
    if assessment.designation(program_id).asked:
        lines.append(bullet("Not to be requested again."))
    elif determination is not None:
        lines.append(bullet(f"bgtc assessment: {label(determination.determination)}: {determination.reason}"))
    live = {p: b for p, b in stack.items() if p != program_id and p in givers}
    aside = next((a for a in assessment.course.set_aside if a.program == program_id), None)
    if aside is not None:
        lines.append(bullet(f"Not advised now: {aside.reason}"))
    for benefit in sorted(stack[program_id]):
        others = sorted(rulebase.programs[p].name for p, b in live.items() if benefit in b)
        also = f" (also from: {', '.join(others)})" if others else " (adds this)"
        text = _benefit_text(rulebase, program_id, benefit) or label(benefit)
        lines.append(bullet(f"{text}{also}"))
    if not stack[program_id]:
        lines.append(bullet("No benefits are recorded for this program in the rules."))
    for meeting in sorted(meetings_supported(rulebase).get(program_id, ())):
        standing = next((p for p in assessment.programs if p.program == meeting), None)
        now = f" (bgtc assessment now: {standing.determination.look.label})" if standing else ""
        lines.append(bullet(f"Supports the {rulebase.programs[meeting].name}{now}."))
    return Element(f"{program.name}: {status}", program.citations[0], tuple(lines))


def cover_sheet(reader: Reader, assessment: Assessment, rulebase: RuleBase) -> Body:
    standing = {p: text for p, (_, text) in _standing(assessment, rulebase).items()}
    active = {p: text for p, (state, text) in _standing(assessment, rulebase).items() if state in _IN_FORCE}
    stack = {p: benefits_of(rulebase, p) for p in active}
    givers = {p for p, s in active.items() if s != _NOT_ADVISED}
    header = Section("Program", (Element("Sponsor, product and indication", TOOL, (
        bullet("Sponsor: ", reader.text("program.sponsor")),
        bullet(f"Product: {reader.value('program.name')}"),
        bullet("Disease: ", disease_fragment(reader)),
        bullet("Development stage: ", reader.text("development.stage", label)),
    )),))
    designations = tuple(_designation_element(p, s, stack, rulebase, assessment, givers) if p in stack else
                         Element(f"{rulebase.programs[p].name}: {s}", rulebase.programs[p].citations[0], (
                             line("Not in force; its benefits are not counted."),))
                         for p, s in standing.items())
    if not designations:
        designations = (Element("Designations", TOOL, (line("None held, requested or qualifying now."),)),)
    names = {program: spec.name for program, spec in rulebase.programs.items()}
    course = tuple(Element(f"{number}. {step.title}", step.citations[0] if step.citations else TOOL, (
        line(step.reason),
        *([bullet(f"{timing[:1].upper()}{timing[1:]}.")] if (timing := step.timing(names)) else []),
    )) for number, step in enumerate(assessment.course.steps, 1))
    course_section = Section("What to do now (the recommended course, in order)", course or (Element(
        "Nothing to request now", TOOL, (line("No request or meeting is recommended at this stage."),)),))
    meetings = [bullet(f"{step.title}: {step.reason}") for step in assessment.course.steps
                if step.kind == ProgramKind.MEETING.value]
    meeting_section = Section("Meetings the program can request now", (Element(
        "Recommended meetings", MEETINGS_GUIDANCE,
        tuple(meetings) or (line("No formal meeting is recommended at this stage."),)),))
    notes = ("Each benefit is marked with the other listed designations (held, requested or qualifying now) that "
             "also give it, or '(adds this)' when none does; a designation whose every benefit another gives adds "
             "nothing new on its own. Designations that qualify but are not advised now are not counted as giving "
             "anything. Benefits are what the rules record for each program, with its citation.",)
    return Body(f"Designations cover sheet: {reader.value('program.name')}",
                (header, course_section, Section("Designations held, requested and qualifying", designations),
                 meeting_section),
                notes)
