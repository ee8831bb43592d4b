"""Stacking advice: what a further designation adds beyond the others the program can hold.

Benefits carry shared ids in the rules (`rolling_review`, `priority_review_eligibility`, ...)
and a program `includes` the benefits of the programs it builds on (breakthrough includes fast
track; RMAT includes both). A program whose every benefit is already offered by another program
the sponsor holds or qualifies for adds nothing new; the note says which programs cover it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bgtc_rules.advice.assessment import StackingNote
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.language.rulebase import RuleBase


def benefits_of(rulebase: RuleBase, program: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """A program's own benefits and those of the programs it includes, transitively."""
    spec = rulebase.programs[program]
    found = {b.id for b in spec.benefits}
    for included in spec.includes:
        if included not in seen and included in rulebase.programs:
            found |= benefits_of(rulebase, included, seen | {program})
    return found


def stacking_notes(rulebase: RuleBase, programs: Iterable[ProgramAssessment],
                   held: set[str]) -> tuple[StackingNote, ...]:
    """For each eligible program with benefits, what it adds beyond the other eligible or held programs."""
    items = list(programs)
    eligible = {p.program for p in items if p.determination is Determination.ELIGIBLE}
    available = eligible | (held & set(rulebase.programs))
    offered = {p: benefits_of(rulebase, p) for p in available}
    notes = []
    for item in items:
        if item.determination is not Determination.ELIGIBLE or not offered.get(item.program):
            continue
        others = {p: b for p, b in offered.items() if p != item.program}
        covered = tuple(
            (benefit, tuple(sorted(p for p, b in others.items() if benefit in b)))
            for benefit in sorted(offered[item.program])
            if any(benefit in b for b in others.values())
        )
        new = tuple(sorted(offered[item.program] - {benefit for benefit, _ in covered}))
        superseded = tuple(sorted(p for p, b in others.items() if offered[item.program] <= b))
        if covered:
            notes.append(StackingNote(item.program, new, covered, superseded))
    return tuple(notes)
