"""One recommended course: the actions in the order an experienced regulatory consultant would
take them, each with its reason (a plain sentence) and its citation.

The ordering knowledge is data in the rules (each program's `course` fields, see
`docs/rule-language.md`); this module only applies it, so no program id appears in its logic:

- a step only for a program that qualifies now (`eligible`), or for a meeting that becomes
  available once a designation this course requests is granted (`conditional`); never for a
  designation the dossier holds or has requested, nor for one FDA denied or ended;
- `only_before`: once its condition holds (the BLA is submitted), the program no longer helps;
- `fallback_for`: the program is recommended only when none of the listed ones is held,
  requested or recommended (fast track beside breakthrough or RMAT);
- `file_with`: the request goes out on the same day as the first listed one recommended (RPD
  with orphan, for FDA's 60-day decision);
- `folds_into`: the meeting is held within the first listed meeting recommended (the initial
  comprehensive meeting within the end-of-phase meeting);
- `comes_first_when`: when its condition holds, the step comes first and every other step waits
  for it (the Type A meeting on clinical hold).

`plan` (dates), the reports' next steps, the cover sheet and the evaluate summary's "What to do
now" all render this one course.

Examples:
    >>> import datetime as dt
    >>> from bgtc_rules import RuleBase, evaluate, load_dossier
    >>> rules = RuleBase.load()
    >>> assessment = evaluate(load_dossier("scenarios/aav_phase12_pediatric_neuro.yaml"), rules,
    ...                       as_of=dt.date(2026, 11, 21))
    >>> [step.program for step in assessment.course.steps][:2]
    ['rmat', 'breakthrough_therapy']
    >>> "fast_track" in assessment.course.set_aside_programs()
    True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bgtc_rules.advice.conditional import designations_required
from bgtc_rules.advice.standing import DesignationState, Standing
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.engine.rule_engine import engine_for
from bgtc_rules.language.course_links import gate_node
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import (
    Citation,
    Outcome,
    Program,
    ProgramKind,
)
from bgtc_rules.language.tree import Node, Situation, truth

VERBS = {
    ProgramKind.DESIGNATION: "Request",
    ProgramKind.MEETING: "Request the",
    ProgramKind.PILOT: "Apply to",
    ProgramKind.PATHWAY: "Plan with the review division for",
    ProgramKind.FRAMEWORK: "Plan with the review division for",
    ProgramKind.EXPANDED_ACCESS: "Submit",
    ProgramKind.REQUIREMENT: "Submit the",
}
# Within one wave, designations go out first (they decide what the meetings can cover).
_KIND_ORDER = {ProgramKind.DESIGNATION: 0, ProgramKind.PILOT: 1, ProgramKind.EXPANDED_ACCESS: 2,
               ProgramKind.MEETING: 3, ProgramKind.REQUIREMENT: 3, ProgramKind.PATHWAY: 4, ProgramKind.FRAMEWORK: 4}
_ENDED = (Standing.DENIED, Standing.ENDED)
Cite = Callable[[Iterable[Citation]], list[str]]  # citations -> their ids in the export (`Tables.cite`)


@dataclass(frozen=True)
class CourseStep:
    """One action of the course. `waits_for` names the program whose step must come first (its
    meeting held, or FDA's answer received); `filed_with` the program whose request goes out on
    the same day; `folded` the meetings held within this one."""

    program: str
    name: str
    kind: str
    title: str
    reason: str
    citations: tuple[Citation, ...]
    waits_for: str | None = None
    filed_with: str | None = None
    folded: tuple[str, ...] = ()

    def timing(self, names: Mapping[str, str]) -> str:
        """When the step goes out beside the others, in words ("same day as the Orphan drug
        designation request", "after the Type A meeting"); empty for a step taken at once."""
        if self.filed_with:
            return f"same day as the {names.get(self.filed_with, self.filed_with)} request"
        if self.waits_for:
            return f"after the {names.get(self.waits_for, self.waits_for)}"
        return ""

    def to_dict(self, cite: Cite) -> dict[str, Any]:
        return {"program": self.program, "title": self.title, "reason": self.reason,
                "waits_for": self.waits_for, "filed_with": self.filed_with, "folded": list(self.folded),
                "citations": cite(self.citations)}


@dataclass(frozen=True)
class SetAside:
    """A program that qualifies but that the course does not request now, and why."""

    program: str
    name: str
    reason: str
    citations: tuple[Citation, ...] = ()

    def to_dict(self, cite: Cite) -> dict[str, Any]:
        return {"program": self.program, "reason": self.reason, "citations": cite(self.citations)}


@dataclass(frozen=True)
class Course:
    steps: tuple[CourseStep, ...] = ()
    set_aside: tuple[SetAside, ...] = ()

    @property
    def now(self) -> tuple[CourseStep, ...]:
        """The steps to take now (those waiting for no other step)."""
        return tuple(s for s in self.steps if s.waits_for is None)

    @property
    def later(self) -> tuple[CourseStep, ...]:
        return tuple(s for s in self.steps if s.waits_for is not None)

    def step(self, program: str) -> CourseStep | None:
        return next((s for s in self.steps if s.program == program), None)

    def set_aside_programs(self) -> tuple[str, ...]:
        return tuple(s.program for s in self.set_aside)

    def to_dict(self, cite: Cite) -> dict[str, Any]:
        """The export's `course`; `cite` gives the ids of the export's `sources` table."""
        return {"steps": [s.to_dict(cite) for s in self.steps], "set_aside": [s.to_dict(cite) for s in self.set_aside]}


def meetings_supported(rulebase: RuleBase) -> Mapping[str, frozenset[str]]:
    """For each designation, the meetings whose eligibility rules read it as granted (for example the
    Type B initial comprehensive meeting after breakthrough or RMAT designation); worked out once
    per rule base (kept by its engine)."""

    def build() -> dict[str, frozenset[str]]:
        supported: dict[str, set[str]] = {}
        for rule in rulebase.rules:
            target = rule.spec.conclude.program
            if (target in rulebase.programs and rulebase.programs[target].kind is ProgramKind.MEETING
                    and rule.spec.conclude.outcome is Outcome.ELIGIBLE):
                for designation in designations_required(rule.spec.when):
                    supported.setdefault(designation, set()).add(target)
        return {designation: frozenset(meetings) for designation, meetings in supported.items()}

    return engine_for(rulebase).kept("meetings supported", build)


def benefits_of(rulebase: RuleBase, program: str) -> frozenset[str]:
    """A program's own benefits and those of the programs it includes, transitively (worked out
    once per program of a rule base, kept by its engine)."""
    known: dict[str, frozenset[str]] = engine_for(rulebase).kept("benefits offered", dict)
    found = known.get(program)
    if found is None:
        found = known.setdefault(program, frozenset(_benefits_of(rulebase, program)))
    return found


def _benefits_of(rulebase: RuleBase, program: str, seen: frozenset[str] = frozenset()) -> set[str]:
    spec = rulebase.programs[program]
    found = {b.id for b in spec.benefits}
    for included in spec.includes:
        if included not in seen and included in rulebase.programs:
            found |= _benefits_of(rulebase, included, seen | {program})
    return found


def step_title(program: Program) -> str:
    return f"{VERBS.get(program.kind, 'Request')} {program.name}"


class _Course:
    """The course under construction for one assessment."""

    def __init__(self, programs: Sequence[ProgramAssessment], designations: Mapping[str, DesignationState],
                 rulebase: RuleBase, situation: Situation) -> None:
        self.items = {p.program: p for p in programs}
        self.order = {p.program: index for index, p in enumerate(programs)}
        self.designations = designations
        self.rulebase = rulebase
        self.situation = situation
        self.steps: dict[str, CourseStep] = {}
        self.set_aside: list[SetAside] = []

    def standing(self, program: str) -> Standing:
        state = self.designations.get(program)
        return state.standing if state is not None else Standing.NONE

    def asked(self, program: str) -> bool:
        return self.standing(program) in (Standing.HELD, Standing.PENDING)

    def gate(self, program: str, name: str) -> Truth:
        # Compiled once per rule base, kept by its engine.
        nodes: dict[tuple[str, str], Node | None] = engine_for(self.rulebase).kept("course gates", dict)
        key = (program, name)
        if key not in nodes:
            nodes[key] = gate_node(self.rulebase.programs[program], name)
        node = nodes[key]
        return None if node is None else truth(node, self.situation)

    def aside(self, program: str, reason: str, citations: Sequence[Citation] = ()) -> None:
        self.set_aside.append(SetAside(program, self.items[program].name, reason, tuple(citations)))

    def citations(self, item: ProgramAssessment) -> tuple[Citation, ...]:
        for rule_id in item.deciding_rules:
            rule = self.rulebase.by_id.get(rule_id)
            if rule is not None:
                return (rule.spec.citations[0],)
        return (self.rulebase.programs[item.program].citations[0],)

    def candidates(self) -> None:
        """A step for every program that qualifies now and is neither held, requested, ended nor past use."""
        for program, item in self.items.items():
            spec = self.rulebase.programs[program]
            if (item.determination is not Determination.ELIGIBLE or self.asked(program)
                    or spec.kind is ProgramKind.EXCLUSIVITY):  # what approval brings is not a request
                continue
            if self.standing(program) in _ENDED:
                what = ("FDA denied the request" if self.standing(program) is Standing.DENIED
                        else "FDA rescinded or revoked the designation")
                self.aside(program, f"{what}; ask again only with new evidence that answers FDA's reasons.")
                continue
            if spec.course is not None and spec.course.only_before is not None and self.gate(program, "only_before"):
                self.aside(program, spec.course.only_before.reason, spec.course.only_before.citations)
                continue
            reason = f"It qualifies now: {item.reason.rstrip('.')}."
            self.steps[program] = CourseStep(program, item.name, spec.kind.value, step_title(spec), reason,
                                             self.citations(item))

    def fallbacks(self) -> None:
        for program in list(self.steps):
            course = self.rulebase.programs[program].course
            link = course.fallback_for if course is not None else None
            if link is None:
                continue
            covering = [p for p in link.programs if p in self.steps or self.asked(p)]
            if covering:
                del self.steps[program]
                self.aside(program, link.reason, link.citations)
            else:
                step = self.steps[program]
                self.steps[program] = replace(step, reason=f"{step.reason} {link.reason}")

    def conditional_meetings(self) -> None:
        """Meetings available once a designation this course requests is granted: they wait for it."""
        for designation, meetings in sorted(meetings_supported(self.rulebase).items()):
            if designation not in self.steps:
                continue
            for meeting in sorted(meetings):
                item = self.items.get(meeting)
                if item is None or item.determination is not Determination.CONDITIONAL or meeting in self.steps:
                    continue
                spec = self.rulebase.programs[meeting]
                reason = f"Available once {self.items[designation].name} is granted."
                self.steps[meeting] = CourseStep(meeting, item.name, spec.kind.value, step_title(spec), reason,
                                                 (spec.citations[0],), waits_for=designation)

    def folds(self) -> None:
        for program in list(self.steps):
            course = self.rulebase.programs[program].course
            link = course.folds_into if course is not None else None
            target = next((p for p in link.programs if p in self.steps), None) if link is not None else None
            if link is None or target is None:
                continue
            folded = self.steps.pop(program)
            host = self.steps[target]
            when = f" Once {self.items[folded.waits_for].name} is granted:" if folded.waits_for else ""
            self.steps[target] = replace(
                host, folded=(*host.folded, program), citations=(*host.citations, *link.citations),
                reason=f"{host.reason}{when} {link.reason}")

    def first(self) -> None:
        """A step whose `comes_first_when` holds comes first; every other step waits for it."""
        leaders = [p for p in self.steps if self._leads(p)]
        if not leaders:
            return
        leader = leaders[0]
        gate = self.rulebase.programs[leader].course.comes_first_when  # type: ignore[union-attr]
        assert gate is not None
        step = self.steps[leader]
        self.steps[leader] = replace(step, reason=f"First: {gate.reason} {step.reason}",
                                     citations=(*gate.citations, *step.citations))
        for program, other in list(self.steps.items()):
            if program != leader and other.waits_for is None:
                self.steps[program] = replace(other, waits_for=leader)

    def _leads(self, program: str) -> bool:
        course = self.rulebase.programs[program].course
        return course is not None and course.comes_first_when is not None and self.gate(
            program, "comes_first_when") is True

    def partners(self) -> None:
        for program in list(self.steps):
            course = self.rulebase.programs[program].course
            link = course.file_with if course is not None else None
            partner = next((p for p in link.programs if p in self.steps), None) if link is not None else None
            if link is None or partner is None:
                continue
            step = self.steps[program]
            host = self.steps[partner]
            self.steps[program] = replace(step, filed_with=partner, waits_for=host.waits_for,
                                          reason=f"{step.reason} {link.reason}",
                                          citations=(*link.citations, *step.citations))

    def ordered(self) -> tuple[CourseStep, ...]:
        def depth(step: CourseStep) -> int:
            seen = 0
            while step.waits_for is not None and step.waits_for in self.steps and seen < len(self.steps):
                step, seen = self.steps[step.waits_for], seen + 1
            return seen

        def key(step: CourseStep) -> tuple[int, int, int, int, int]:
            # The broadest designation first (RMAT before breakthrough, which it includes); a request
            # filed with another right after it.
            anchor = self.steps.get(step.filed_with or "", step)
            broad = -len(benefits_of(self.rulebase, anchor.program))
            return (depth(step), _KIND_ORDER.get(ProgramKind(anchor.kind), 5), broad, self.order[anchor.program],
                    0 if step.filed_with is None else 1)

        return tuple(sorted(self.steps.values(), key=key))


def recommend_course(programs: Sequence[ProgramAssessment], designations: Mapping[str, DesignationState],
                     rulebase: RuleBase, facts: Mapping[str, object], concepts: Mapping[str, Truth],
                     as_of: dt.date) -> Course:
    """The one recommended course for a program's determinations and designation standing."""
    course = _Course(programs, designations, rulebase, Situation(facts, concepts, as_of))
    course.candidates()
    course.fallbacks()
    course.conditional_meetings()
    course.folds()
    course.first()
    course.partners()
    return Course(course.ordered(), tuple(sorted(course.set_aside, key=lambda s: course.order[s.program])))
