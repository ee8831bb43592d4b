"""The YAML rule language, as strict pydantic models.

A rule file holds an optional `program` (what the program is, its benefits and timing) and
a list of `rules`. A rule concludes either a *concept* (`serious_condition`) or an *outcome*
for a program (`eligible`, `not_eligible`, `not_yet`) when its `when` condition holds:

```yaml
rules:
  - id: fast_track.eligible
    title: Serious condition with potential to address an unmet medical need
    conclude: {program: fast_track, outcome: eligible}
    when:
      all:
        - concept: serious_condition
        - concept: potential_to_address_unmet_need
    explanation: ...
    citations: [{source: fdca-506b, section: "506(b)(1)"}]   # the source itself is in sources.yaml
    effective_from: 1997-11-21
```
"""

# No `from __future__ import annotations`: pydantic would evaluate every field's annotation from
# its text when the class is made (a fifth of making a model, on every cold start); the three
# fields that name `Condition` before it is defined name it in quotes.

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bgtc_rules.base.dates import MAX_DAY_COUNT
from bgtc_rules.language.operators import AUTHORED, Operator

RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=120)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Prose = Annotated[str, Field(min_length=1, max_length=4000)]
Scalar = bool | int | float | str | dt.date


class _Strict(BaseModel):
    # Built on first validation: a cached rule base is read back without validating (see spec_data).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


_WRITTEN = frozenset(op.value for op in AUTHORED)
_WRITTEN_CHOICES = ", ".join(repr(op.value) for op in AUTHORED[:-1]) + f" or {AUTHORED[-1].value!r}"


class FactCondition(_Strict):
    """A test on one dossier fact. `exists` takes no value; `in` takes a list;
    `contains` takes a value (or list of values) for a list of enumerations, and a
    mapping of item properties for a list of objects."""

    fact: Annotated[str, Field(min_length=1, max_length=200)]
    op: Operator
    value: Scalar | list[Scalar] | dict[str, Scalar | list[Scalar]] | None = None
    says: Prose | None = Field(None, description="The condition as a plain sentence, as it reads when it holds.")
    says_not: Prose | None = Field(None, description="The sentence for when it does not hold (needed under `not`).")

    @field_validator("op", mode="before")
    @classmethod
    def _written_by_rules(cls, op: Any) -> Any:
        """Only the operators a rule writes (the normal form's own opposites are not), refused as
        an unknown choice is."""
        if not isinstance(op, str) or op not in _WRITTEN:
            raise PydanticCustomError("enum", "Input should be {expected}", {"expected": _WRITTEN_CHOICES})
        return op

    @model_validator(mode="after")
    def _value_fits_operator(self) -> "FactCondition":
        shape = self.op.value_shape
        if shape == "none":
            if self.value is not None:
                raise ValueError(f"{self.op.value!r} takes no value")
        elif self.value is None:
            raise ValueError(f"operator {self.op.value!r} needs a value")
        elif shape == "list" and not isinstance(self.value, list):
            raise ValueError(f"{self.op.value!r} needs a list of values")
        elif shape == "single" and isinstance(self.value, (list, dict)):
            raise ValueError(f"operator {self.op.value!r} compares with a single value")
        return self


class ConceptCondition(_Strict):
    """True when the named concept has been derived true."""

    concept: Name


class AllCondition(_Strict):
    all: Annotated[list["Condition"], Field(min_length=1, max_length=16)]


class AnyCondition(_Strict):
    any: Annotated[list["Condition"], Field(min_length=1, max_length=16)]


class NotCondition(_Strict):
    not_: "Condition" = Field(alias="not")


def _condition_tag(data: Any) -> str | None:
    if isinstance(data, dict):
        keys = [k for k in ("all", "any", "not", "concept", "fact") if k in data]
        return keys[0] if len(keys) == 1 else None
    for tag, kind in (("all", AllCondition), ("any", AnyCondition), ("not", NotCondition),
                      ("concept", ConceptCondition), ("fact", FactCondition)):
        if isinstance(data, kind):
            return tag
    return None


Condition = Annotated[
    Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[ConceptCondition, Tag("concept")]
    | Annotated[FactCondition, Tag("fact")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition",
        custom_error_message="a condition has exactly one of: all, any, not, concept, fact",
    ),
]


class ConceptWords(_Strict):
    """How a concept reads to a person: its name, and a sentence for when it holds and when it does not."""

    name: Prose
    holds: Prose
    fails: Prose


SourceId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]


class Source(_Strict):
    """One document the rules cite, listed once in `sources.yaml` under an id of the project's own.
    A secondary source (press report, law-firm summary, article: not the statute, a regulation, the
    Federal Register or FDA's own guidance or page) says why it is cited: beside the primary text,
    or because no primary text is public."""

    title: Prose
    date: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = Field(
        None, description="The date the title gives: YYYY, YYYY-MM or YYYY-MM-DD.")
    docket: Annotated[str, Field(pattern=r"^FDA-\d{4}-[A-Z]-\d+$")] | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    kind: Literal["primary", "secondary"] = "primary"
    reason: Prose | None = Field(None, description="Why a secondary source is cited; required with secondary.")

    @model_validator(mode="after")
    def _secondary_has_reason(self) -> "Source":
        if self.kind == "secondary" and self.reason is None:
            raise ValueError("a source of kind secondary needs a reason (why no primary text is cited)")
        if self.reason is not None and self.kind != "secondary":
            raise ValueError("reason is only for a source of kind secondary")
        return self


class Citation(_Strict):
    """Where a fact comes from: a source and the section of it that says so. Rule files write
    `{source: id, section: ...}` and the loader fills in the rest from `sources.yaml` (see
    `language.sources`); a rules directory of one's own may also write a source out in full."""

    document: Prose
    section: Prose
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    source: SourceId | None = Field(None, description="The source's id in sources.yaml.")
    secondary: bool = False
    reason: Prose | None = Field(None, description="Why a secondary source is cited; required with secondary.")

    @model_validator(mode="after")
    def _secondary_has_reason(self) -> "Citation":
        if self.secondary and self.reason is None:
            raise ValueError("a citation marked secondary: true needs a reason (why no primary text is cited)")
        if self.reason is not None and not self.secondary:
            raise ValueError("reason is only for a citation marked secondary: true")
        return self


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NOT_YET = "not_yet"  # the request window is not open yet at this stage or date
    CLOSED = "closed"  # the request window has passed for good at this stage or date


class Conclusion(_Strict):
    concept: Name | None = None
    program: Name | None = None
    outcome: Outcome | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Conclusion":
        if self.concept is not None and (self.program or self.outcome):
            raise ValueError("conclude either a concept or a program outcome, not both")
        if self.concept is None and (self.program is None or self.outcome is None):
            raise ValueError("conclude needs 'concept', or 'program' with 'outcome'")
        return self


class Rule(_Strict):
    id: RuleId
    title: Prose
    conclude: Conclusion
    when: Condition
    explanation: Prose
    citations: Annotated[list[Citation], Field(min_length=1)]
    effective_from: dt.date
    effective_until: dt.date | None = None
    caveats: list[Prose] = []
    ask: dict[str, Prose] = Field(
        default_factory=dict, description="Question to ask for a fact this rule reads, when it is unknown."
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Rule":
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise ValueError("effective_until is before effective_from")
        return self


class ProgramKind(StrEnum):
    DESIGNATION = "designation"
    PATHWAY = "pathway"
    PILOT = "pilot"
    FRAMEWORK = "framework"
    EXPANDED_ACCESS = "expanded_access"
    MEETING = "meeting"
    REQUIREMENT = "requirement"  # something the sponsor must submit (the initial pediatric study plan)
    EXCLUSIVITY = "exclusivity"  # what approval brings; never a step of the course


class Counted(StrEnum):
    """What a day count is measured from."""

    AFTER_REQUEST = "after_request"
    BEFORE_MEETING = "before_meeting"
    AFTER_PRELIMINARY_RESPONSES = "after_preliminary_responses"
    WITH_REQUEST = "with_request"
    AFTER_SUBMISSION = "after_submission"


class Timing(_Strict):
    """A day count from a cited source. `days: null` records that the sources give none."""

    days: Annotated[int, Field(ge=0, le=MAX_DAY_COUNT)] | None  # bounds the dates a plan can reach
    counted: Counted
    note: Prose | None = None
    caveats: list[Prose] = []
    citations: Annotated[list[Citation], Field(min_length=1)]


class MeetingTimeline(_Strict):
    """Calendar days for a formal meeting (PDUFA performance goals, not guarantees)."""

    response_to_request: Timing
    meeting_held: Timing
    package_due: Timing
    preliminary_responses: Timing | None = None
    sponsor_reply: Timing | None = None


class Benefit(_Strict):
    """What a program gives. Shared ids let the advice show which programs add nothing new."""

    id: Name
    text: Prose
    citations: Annotated[list[Citation], Field(min_length=1)]


class CourseLink(_Strict):
    """A link from this program's step in the recommended course to other programs' steps, with
    the reason a regulatory consultant gives for it (a plain sentence) and its sources."""

    programs: Annotated[list[Name], Field(min_length=1)]
    reason: Prose
    citations: Annotated[list[Citation], Field(min_length=1)]


class CourseGate(_Strict):
    """A condition on the dossier that changes this program's place in the course, with the reason."""

    when: Condition
    reason: Prose
    citations: Annotated[list[Citation], Field(min_length=1)]


class ProgramCourse(_Strict):
    """Where this program's step goes in the one recommended course (`advice.course`). Each field
    is optional; the course applies them to whatever the program's determination allows."""

    fallback_for: CourseLink | None = Field(
        None, description="Recommend this program only when none of these is held, requested or recommended.")
    file_with: CourseLink | None = Field(
        None, description="File this request on the same day as the first of these that is recommended.")
    folds_into: CourseLink | None = Field(
        None, description="Hold this meeting within the first of these meetings that is recommended.")
    comes_first_when: CourseGate | None = Field(
        None, description="When this holds, this step comes first and every other step waits for it.")
    only_before: CourseGate | None = Field(
        None, description="Once this holds, the program no longer helps: no step for it.")


class Program(_Strict):
    id: Name
    name: Prose
    kind: ProgramKind
    summary: Prose
    citations: Annotated[list[Citation], Field(min_length=1)]
    request_window: Prose | None = None
    response: Timing | None = None
    benefits: list[Benefit] = []
    includes: list[Name] = Field(default_factory=list, description="Programs whose benefits this one includes.")
    available_with: list[Name] = Field(default_factory=list, description=(
        "Designations whose grant makes this program available (rolling review, the initial comprehensive "
        "meeting): while none is held, the program is 'conditional' on those it qualifies for."))
    timeline: MeetingTimeline | None = None
    caveats: list[Prose] = []
    course: ProgramCourse | None = None


class Edition(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    date: dt.date


class QuestionHelp(_Strict):
    """One line of help beside a question, in the words of its source (quoted, and cited)."""

    text: Prose
    source: Citation


FactPath = Annotated[str, Field(min_length=1, max_length=200)]


class InterviewGuide(_Strict):
    """How the interview asks (`questions.yaml`, `interview:`): the questions asked before the others
    and after them, in order; the words shown for each choice of a field (a list item's property is
    written `list[].property`); and help on the answers that decide a designation."""

    first: list[FactPath] = []
    last: list[FactPath] = []
    labels: dict[FactPath, dict[str, Annotated[str, Field(min_length=1, max_length=120)]]] = {}
    help: dict[FactPath, QuestionHelp] = {}


class NewItemLimit(_Strict):
    """New items of a list that a change may propose only when the dossier allows them: items whose
    property `where` has one of its values need `only_if` to hold on the dossier as it is (for
    `designations`, `program_qualifies` instead: the program the item names must be one this dossier
    is eligible for)."""

    fact: FactPath
    where: dict[Name, list[Scalar]] = {}
    only_if: FactCondition | None = None
    program_qualifies: Name | None = Field(None, description="the item property naming the program")
    reason: Prose


class ChangeLimits(_Strict):
    """What a suggested change to a dossier may touch (`questions.yaml`, `changes:`).

    `fixed`: facts of the disease, the product or the world, proposed only while unknown. `forward`:
    facts that only move forward (a stage or phase in schema order, no to yes, a count up). `kept`:
    lists whose items are history: items may be added, never removed. `new_items`: items that only
    some dossiers allow."""

    fixed: list[FactPath] = []
    forward: list[FactPath] = []
    kept: list[FactPath] = []
    new_items: list[NewItemLimit] = []


class RuleFile(_Strict):
    """One YAML file under a rules directory."""

    edition: Edition | None = None
    program: Program | None = None
    questions: dict[str, Prose] = {}
    drafts: dict[str, Prose] = {}  # questions only the request drafts ask (fields no rule reads)
    interview: InterviewGuide | None = None
    changes: ChangeLimits | None = None
    concepts: dict[Name, ConceptWords] = {}
    rules: list[Rule] = []
    sources: dict[SourceId, Source] = {}


RuleKind = Literal["concept", "outcome"]
