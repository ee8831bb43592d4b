"""A dated regulatory plan: which requests to file when, and when FDA's answers fall due.

Every date is the start date plus a day count carried by the rules (`program.response`,
`program.timeline`), each with its citation; no day count lives in this code. Counts are FDA
performance goals or statutory deadlines, not guarantees. A date on a weekend or a federal holiday
is kept as counted and carries a note saying so (`day_note`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.course import step_title
from bgtc_rules.advice.evaluation import evaluate
from bgtc_rules.advice.standing import Standing
from bgtc_rules.base.holidays import SECTION as HOLIDAY_LAW
from bgtc_rules.base.holidays import business_day_before, non_business_day
from bgtc_rules.base.jsontext import document
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Counted, MeetingTimeline, Program, ProgramKind, Timing


@dataclass(frozen=True)
class PlanEvent:
    """One dated step. `basis` says where the day count comes from."""

    date: dt.date
    program: str
    step: str
    title: str
    basis: str = ""
    caveats: tuple[str, ...] = ()
    day_note: str = ""  # when the date is not a federal business day: what that means for it
    reason: str = ""  # for a request: why the course takes this step, and why then


@dataclass(frozen=True)
class NextStep:
    """An undated step: a window not yet open, or questions to answer first."""

    program: str
    title: str
    detail: str


@dataclass(frozen=True)
class Plan:
    start: dt.date
    assessment: Assessment
    events: tuple[PlanEvent, ...]
    next_steps: tuple[NextStep, ...]
    undated: tuple[str, ...] = field(default=())
    # What approval brings (exclusivities): those that apply, or may once questions are answered.
    approval_brings: tuple[NextStep, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "bgtc.plan/1",
            "start": self.start.isoformat(),
            "as_of": self.assessment.as_of.isoformat(),
            "rules": {"edition": self.assessment.rules_edition, "digest": self.assessment.rules_digest},
            "backend": self.assessment.backend,
            "events": [
                {"date": e.date.isoformat(), "program": e.program, "step": e.step, "title": e.title,
                 "basis": e.basis, "caveats": list(e.caveats), "business_day": not e.day_note,
                 "day_note": e.day_note, "reason": e.reason}
                for e in self.events
            ],
            "next_steps": [{"program": s.program, "title": s.title, "detail": s.detail} for s in self.next_steps],
            "undated": list(self.undated),
            "approval_brings": [{"program": s.program, "title": s.title, "detail": s.detail}
                                for s in self.approval_brings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The export as text; `indent=None` writes it on one line."""
        return document(self.to_dict(), indent)


def _basis(timing: Timing) -> str:
    source = timing.citations[0]
    note = f"; {timing.note}" if timing.note else ""
    return f"{timing.days} days ({timing.counted.value.replace('_', ' ')}): {source.document}, {source.section}{note}"


# the steps the sponsor has to meet (the others are FDA's)
_SPONSOR_STEPS = frozenset({"package_due", "sponsor_reply"})


def day_note(when: dt.date, step: str, timing: Timing | None = None) -> str:
    """What it means that `when` is a weekend day or a federal holiday ("" on a business day).

    The date is never moved: the texts the rules cite count calendar days, weekends and holidays
    included, and none we hold moves a due date off a weekend or holiday. The note says so, and
    for the sponsor's own steps names the business day before as the safe day to send.
    """
    why = non_business_day(when)
    if why is None:
        return ""
    day = f"{when:%A} {when.isoformat()}"
    if why == when.strftime("%A"):
        text = f"{day} is a weekend day."
    else:
        text = f"{day} is a federal holiday ({why}; {HOLIDAY_LAW})."
    if timing is not None and timing.days is not None and timing.counted is not Counted.WITH_REQUEST:
        cited = " ".join([timing.note or "", *(c.section for c in timing.citations)])
        if "calendar day" in cited:
            text += (f" The cited text counts {timing.days} calendar days, weekends and holidays included, "
                     "so the date is not moved.")
        else:
            text += (f" The cited source gives {timing.days} days without saying how weekends or holidays count; "
                     "the date is counted in calendar days and not moved.")
    if step in _SPONSOR_STEPS:
        text += f" To be safe, send it by {business_day_before(when):%A %Y-%m-%d}, the business day before."
    return text


class _Builder:
    def __init__(self, start: dt.date) -> None:
        self.start = start
        self.events: list[PlanEvent] = []
        self.undated: list[str] = []

    def add(self, program: str, step: str, title: str, timing: Timing | None, anchor: dt.date,
            direction: int = 1, requested: dt.date | None = None) -> dt.date | None:
        """Add an event `timing.days` after (or before) `anchor`; return its date."""
        if timing is None:
            return None
        if timing.counted is Counted.WITH_REQUEST:
            when = requested or self.start
        elif timing.days is None:
            self.undated.append(f"{title}: no day count in the sources")  # the title names the program
            return None
        else:
            when = anchor + dt.timedelta(days=direction * timing.days)
        basis = "with the request" if timing.counted is Counted.WITH_REQUEST else _basis(timing)
        self.events.append(PlanEvent(when, program, step, title, basis, tuple(timing.caveats),
                                     day_note(when, step, timing)))
        return when

    def meeting(self, program: Program, timeline: MeetingTimeline, day: dt.date | None = None,
                reason: str = "", title: str = "") -> dt.date:
        """The meeting's steps from a request on `day`; returns the day it is held (or the request day)."""
        day = day or self.start
        name = program.name
        self.events.append(PlanEvent(day, program.id, "request", title or f"Request the {name}",
                                     day_note=day_note(day, "request"), reason=reason))
        self.add(program.id, "fda_response", f"FDA grants or denies the {name} request",
                 timeline.response_to_request, day)
        meeting = self.add(program.id, "meeting", f"{name} held (or written responses issued)",
                           timeline.meeting_held, day)
        if meeting is None:
            return day
        self.add(program.id, "package_due", f"Meeting package due for the {name}", timeline.package_due,
                 meeting, direction=-1, requested=day)
        preliminary = self.add(program.id, "preliminary_responses", f"FDA preliminary responses ({name})",
                               timeline.preliminary_responses, meeting, direction=-1)
        reply = timeline.sponsor_reply
        if reply is not None and reply.counted is Counted.AFTER_PRELIMINARY_RESPONSES and preliminary:
            self.add(program.id, "sponsor_reply", f"Reply to preliminary responses ({name})", reply, preliminary)
        elif reply is not None:
            self.add(program.id, "sponsor_reply", f"Reply to preliminary responses ({name})", reply, meeting, -1)
        return meeting

    def request(self, program: Program, day: dt.date | None = None, reason: str = "",
                clock: bool = True) -> dt.date:
        """The request on `day` and FDA's answer; `clock` False for a request filed apart from the one
        its response deadline depends on (`course.file_with`). Returns the day the answer is due."""
        day = day or self.start
        self.events.append(PlanEvent(day, program.id, "request", step_title(program),
                                     day_note=day_note(day, "request"), reason=reason))
        if not clock:
            self.undated.append(f"{program.name}: FDA response: no deadline when filed on its own")
            return day
        return self.add(program.id, "fda_response", f"FDA response due: {program.name}", program.response,
                        day) or day


def _standing_step(assessment: Assessment, item: ProgramAssessment) -> NextStep:
    """A designation held or pending: never requested again; what it gives now, or when FDA answers."""
    state = assessment.designation(item.program)
    detail = assessment.standing_words(item.program)
    if state.standing is Standing.HELD:
        return NextStep(item.program, f"Held: {item.name}", detail + " Not to be requested again.")
    return NextStep(item.program, f"Waiting for FDA: {item.name}", detail + " Not to be requested again.")


def _next_step(item: ProgramAssessment) -> NextStep:
    if item.determination is Determination.NOT_YET:
        return NextStep(item.program, f"Later: {item.name}", f"Not yet: {item.reason}")
    if item.determination is Determination.CONDITIONAL:
        return NextStep(item.program, f"Once granted: {item.name}", item.reason)
    questions = "; ".join(m.question for m in item.missing[:3])
    more = f" (+{len(item.missing) - 3} more)" if len(item.missing) > 3 else ""
    return NextStep(item.program, f"Find out: {item.name}", f"Answer: {questions}{more}")


def _moot(assessment: Assessment, rulebase: RuleBase, program: str) -> bool:
    """Nothing to find out: the program is held or requested, or another step of the course covers it."""
    if assessment.designation(program).asked:
        return True
    course = rulebase.programs[program].course
    link = course.fallback_for if course is not None else None
    return link is not None and any(assessment.course.step(p) is not None or assessment.designation(p).asked
                                    for p in link.programs)


def approval_brings(assessment: Assessment, rulebase: RuleBase) -> tuple[NextStep, ...]:
    """The exclusivities approval would bring: what each gives (its benefits, in the rules' words),
    and for one still open the questions that decide it."""
    found = []
    for item in assessment.programs:
        spec = rulebase.programs.get(item.program)
        if spec is None or spec.kind is not ProgramKind.EXCLUSIVITY:
            continue
        gives = " ".join(b.text for b in spec.benefits)
        if item.determination is Determination.ELIGIBLE:
            found.append(NextStep(item.program, item.name, gives))
        elif item.determination in (Determination.UNDETERMINED, Determination.NOT_YET):
            questions = "; ".join(m.question for m in item.missing[:3])
            open_ = f" Cannot tell yet: {questions}" if questions else f" Not yet: {item.reason}"
            found.append(NextStep(item.program, f"Possibly: {item.name}", gives + open_))
    return tuple(found)


def request_timeline(program: Program, start: dt.date) -> tuple[tuple[PlanEvent, ...], tuple[str, ...]]:
    """The dated steps of one request filed on `start`, whatever its determination (for a draft),
    and the steps the sources give no day count for."""
    builder = _Builder(start)
    if program.timeline is not None:
        builder.meeting(program, program.timeline)
    else:
        builder.request(program)
    return tuple(sorted(builder.events, key=lambda e: e.date)), tuple(builder.undated)  # stable: the request first


def build_plan(assessment: Assessment, rulebase: RuleBase, start: dt.date) -> Plan:
    """The plan for an assessment, counting from `start` (the day the first requests go out): the
    recommended course (`assessment.course`), dated. A step that waits for another is requested on
    the day the other is done (its meeting held, or FDA's answer due); a step filed with another
    goes out on the same day."""
    builder = _Builder(start)
    requested: dict[str, dt.date] = {}
    done: dict[str, dt.date] = {}
    for step in assessment.course.steps:
        program = rulebase.programs[step.program]
        if step.filed_with in requested:
            day = requested[step.filed_with or ""]
        elif step.waits_for in done:
            day = done[step.waits_for or ""]
        else:
            day = start
        requested[step.program] = day
        if program.timeline is not None:
            title = step.title + "".join(f" (with the {rulebase.programs[p].name} held within it)"
                                         for p in step.folded if p in rulebase.programs)
            done[step.program] = builder.meeting(program, program.timeline, day, step.reason, title)
        else:
            alone = program.course is not None and program.course.file_with is not None and step.filed_with is None
            done[step.program] = builder.request(program, day, step.reason, clock=not alone)
    standing = [_standing_step(assessment, item) for item in assessment.programs
                if assessment.designation(item.program).asked]  # held and pending come first
    in_course = {s.program for s in assessment.course.steps} | {p for s in assessment.course.steps
                                                                 for p in s.folded}
    steps = [_next_step(item) for item in assessment.programs
             if item.determination in (Determination.NOT_YET, Determination.UNDETERMINED, Determination.CONDITIONAL)
             and item.program not in in_course and not _moot(assessment, rulebase, item.program)
             and rulebase.programs[item.program].kind is not ProgramKind.EXCLUSIVITY]
    steps += [NextStep(s.program, f"Not now: {s.name}", s.reason) for s in assessment.course.set_aside]
    order = {step.program: index for index, step in enumerate(assessment.course.steps)}
    events = sorted(builder.events, key=lambda e: (e.date, order.get(e.program, len(order))))  # stable
    return Plan(start, assessment, tuple(events), (*standing, *steps), tuple(builder.undated),
                approval_brings(assessment, rulebase))


def plan_for(dossier: Dossier, rules: RuleBase, as_of: dt.date | None = None, start: dt.date | None = None,
             backend: str | None = None, source: str = "") -> Plan:
    """Evaluate and plan, as `bgtc plan` does: the plan starts on `start`, else on `as_of`, else today;
    without `as_of`, the rules are applied on the start date."""
    first = start or as_of or dt.date.today()
    return build_plan(evaluate(dossier, rules, as_of=as_of or first, backend=backend, source=source), rules, first)
