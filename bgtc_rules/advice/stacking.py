"""The benefit matrix: what each designation adds beyond those the program holds or the course
recommends (the AMT-next-to-RMAT question).

Benefits carry shared ids in the rules (`rolling_review`, `priority_review_eligibility`, ...)
and a program `includes` the benefits of the programs it builds on (breakthrough includes fast
track; RMAT includes both). A row is a designation the program holds, has requested, is advised
to request, qualifies for but is not advised to request (its benefits come with another), or
could qualify for once open questions are answered; its `adds` are the benefits no held,
requested or recommended designation other than itself gives.

Examples:
    >>> import datetime as dt
    >>> from bgtc_rules import RuleBase, evaluate, load_dossier
    >>> rules = RuleBase.load()
    >>> matrix = evaluate(load_dossier("scenarios/aav_phase12_pediatric_neuro.yaml"), rules,
    ...                   as_of=dt.date(2026, 11, 21)).benefits
    >>> matrix.row("fast_track").adds
    ()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bgtc_rules.advice.course import Cite, Course, benefits_of
from bgtc_rules.advice.standing import DesignationState, Standing
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.engine.rule_engine import engine_for
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Benefit, ProgramKind


class RowStanding(StrEnum):
    HELD = "held"
    REQUESTED = "requested"
    RECOMMENDED = "recommended"  # a step of the course
    NOT_ADVISED = "not advised"  # qualifies, but the course sets it aside
    OPEN = "could qualify"  # undetermined: questions open


_COUNTED = (RowStanding.HELD, RowStanding.REQUESTED, RowStanding.RECOMMENDED)


@dataclass(frozen=True)
class BenefitRow:
    program: str
    name: str
    standing: RowStanding
    offers: tuple[str, ...]  # benefit ids, its own and those of the programs it includes
    adds: tuple[str, ...]  # those no other held, requested or recommended designation gives

    @property
    def adds_nothing(self) -> bool:
        return not self.adds


@dataclass(frozen=True)
class BenefitMatrix:
    """Rows: designations; columns: benefits, each with the rules' wording and citation."""

    benefits: tuple[Benefit, ...] = ()
    rows: tuple[BenefitRow, ...] = ()

    def row(self, program: str) -> BenefitRow:
        for row in self.rows:
            if row.program == program:
                return row
        raise KeyError(program)

    def text(self, benefit: str) -> str:
        return next((b.text for b in self.benefits if b.id == benefit), benefit.replace("_", " "))

    def others_offering(self, program: str, benefit: str) -> tuple[str, ...]:
        """The held, requested or recommended designations other than `program` that give `benefit`."""
        return tuple(r.program for r in self.rows
                     if r.program != program and r.standing in _COUNTED and benefit in r.offers)

    def to_dict(self, cite: Cite) -> dict[str, Any]:
        """The export's `benefits`; `cite` gives the ids of the export's `sources` table."""
        return {
            "benefits": [{"id": b.id, "text": b.text, "citations": cite(b.citations)} for b in self.benefits],
            "rows": [{"program": r.program, "standing": r.standing.value, "offers": list(r.offers),
                      "adds": list(r.adds)} for r in self.rows],
        }


def benefit_spec(rulebase: RuleBase, program: str, benefit: str) -> Benefit | None:
    """The program's own wording of a benefit, or that of the program it includes the benefit from."""
    spec = rulebase.programs[program]
    for own in spec.benefits:
        if own.id == benefit:
            return own
    for included in spec.includes:
        if included in rulebase.programs and (found := benefit_spec(rulebase, included, benefit)):
            return found
    return None


def _row_standing(item: ProgramAssessment, state: DesignationState | None, course: Course) -> RowStanding | None:
    standing = state.standing if state is not None else Standing.NONE
    if standing is Standing.HELD:
        return RowStanding.HELD
    if standing is Standing.PENDING:
        return RowStanding.REQUESTED
    if course.step(item.program) is not None:
        return RowStanding.RECOMMENDED
    if item.program in course.set_aside_programs() and standing not in (Standing.DENIED, Standing.ENDED):
        return RowStanding.NOT_ADVISED
    if item.determination is Determination.UNDETERMINED and standing not in (Standing.DENIED, Standing.ENDED):
        return RowStanding.OPEN
    return None


class _Offers:
    """A designation's benefits (`benefits_of`), in id order, each with its wording (`benefit_spec`):
    the same for every assessment of a rule base."""

    __slots__ = ("offers", "ordered", "specs")

    def __init__(self, rulebase: RuleBase, program: str) -> None:
        self.offers = benefits_of(rulebase, program)
        self.ordered = tuple(sorted(self.offers))
        self.specs = tuple((benefit, found) for benefit in self.ordered
                           if (found := benefit_spec(rulebase, program, benefit)) is not None)


def _designation_offers(rulebase: RuleBase) -> dict[str, _Offers]:
    """The designations of a rule base that offer a benefit, with their offers (kept by its engine)."""
    return engine_for(rulebase).kept("designation offers", lambda: {
        key: offers for key, spec in rulebase.programs.items() if spec.kind is ProgramKind.DESIGNATION
        and (offers := _Offers(rulebase, key)).offers})


def benefit_matrix(rulebase: RuleBase, programs: Sequence[ProgramAssessment],
                   designations: Mapping[str, DesignationState], course: Course) -> BenefitMatrix:
    """The matrix for one assessment: designations in the assessment's order, benefits in first-offered order."""
    offered = _designation_offers(rulebase)
    rows: list[tuple[str, str, RowStanding, _Offers]] = []
    for item in programs:
        known = offered.get(item.program)  # a designation that offers nothing has no row
        if known is not None and (standing := _row_standing(item, designations.get(item.program), course)):
            rows.append((item.program, item.name, standing, known))
    built = []
    columns: dict[str, Benefit] = {}
    for program, name, standing, known in rows:
        others: set[str] = set().union(*(o.offers for p, _, s, o in rows if p != program and s in _COUNTED))
        built.append(BenefitRow(program, name, standing, known.ordered,
                                known.ordered if not others else tuple(sorted(known.offers - others))))
        for benefit, found in known.specs:
            columns.setdefault(benefit, found)
    return BenefitMatrix(tuple(columns.values()), tuple(built))
