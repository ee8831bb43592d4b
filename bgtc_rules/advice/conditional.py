"""Programs that follow from another designation: decided over the other programs' answers.

Rolling review and the initial comprehensive meeting are not requested on their own merits: they
come with a granted designation (fast track, breakthrough therapy or RMAT; breakthrough or RMAT).
A program declares those designations in its YAML (`available_with`); its rules say when it is
eligible (one is held) and when its window is not open yet or has closed. Where its rules find
no designation held, the answer depends on the designations it could still get:

- **conditional**, "available once X or Y is granted", naming only those the program qualifies
  for now (eligible or undetermined) or is waiting for (pending);
- **not yet**, where none qualifies now but one of them is not open yet;
- **not eligible**, where it qualifies for none.

A program whose own rules conclude closed, not yet, undetermined or an exclusion keeps that answer.

Examples:
    >>> import datetime as dt
    >>> from bgtc_rules import RuleBase, evaluate, load_dossier
    >>> rules = RuleBase.load()
    >>> found = evaluate(load_dossier("scenarios/aav_phase12_pediatric_neuro.yaml"), rules, as_of=dt.date(2026, 11, 21))
    >>> item = found.program("rolling_review")
    >>> item.determination.value, item.available_once
    ('conditional', ('fast_track', 'breakthrough_therapy', 'rmat'))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from bgtc_rules.advice.standing import DesignationState, Standing
from bgtc_rules.base.memo import remember
from bgtc_rules.dossier.schema import DesignationStatus
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.engine.rule_engine import RuleEngine, engine_for
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import AllCondition, AnyCondition, Condition, FactCondition

_DESIGNATIONS = "designations"  # the dossier field listing what was requested and granted
_UNLISTED = " The dossier does not list the program's designations; if one of these is held, it is available now."
_QUALIFYING = (Determination.ELIGIBLE, Determination.UNDETERMINED)
_LIMIT = 4096
# (the engine's assessment, its new answer) -> the assessment with that answer: the engine's
# assessments are shared between dossiers (`engine.determine.Determiner`), so are these (kept by
# the rule base's engine), and the JSON written for them once (`advice.export_parts`).
Decided = dict[tuple[int, Determination, str, tuple[str, ...]], tuple[ProgramAssessment, ProgramAssessment]]


def plain_name(name: str) -> str:
    """A program's name inside a sentence: its first letter lowered unless it starts an acronym.

    Examples:
        >>> plain_name("Fast track designation"), plain_name("RMAT designation")
        ('fast track designation', 'RMAT designation')
    """
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


_SUFFIX = " designation"


def either(names: list[str]) -> str:
    """Names joined with commas and a final "or"; a shared " designation" said once.

    Examples:
        >>> either(["a"]), either(["a", "b"]), either(["a", "b", "c"])
        ('a', 'a or b', 'a, b or c')
        >>> either(["fast track designation", "RMAT designation"])
        'fast track or RMAT designation'
    """
    if len(names) > 1 and all(n.endswith(_SUFFIX) for n in names):
        return either([n[:-len(_SUFFIX)] for n in names]) + _SUFFIX
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _qualifies(state: DesignationState, item: ProgramAssessment | None) -> bool:
    if state.standing is Standing.PENDING:
        return True
    if state.standing in (Standing.DENIED, Standing.ENDED) or item is None:
        return False
    return item.determination in _QUALIFYING


def _pending_note(rulebase: RuleBase, states: list[DesignationState]) -> str:
    notes = []
    for state in states:
        name = plain_name(rulebase.programs[state.program].name)
        asked = f" on {state.date.isoformat()}" if state.date else ""
        due = f"; FDA's answer is due by {state.response_due.isoformat()}" if state.response_due else ""
        notes.append(f"{name} was requested{asked}{due}")
    return " (" + "; ".join(notes) + ")" if notes else ""


def _with_answer(engine: RuleEngine, item: ProgramAssessment, determination: Determination, reason: str,
                 available_once: tuple[str, ...]) -> ProgramAssessment:
    key = (id(item), determination, reason, available_once)
    decided: Decided = engine.kept("conditional answers", dict, forget=dict.clear)
    with engine.lock:
        known = decided.get(key)
        if known is not None and known[0] is item:
            return known[1]
        changed = dataclasses.replace(item, determination=determination, reason=reason,
                                      available_once=available_once)
        remember(decided, key, (item, changed), _LIMIT)
        return changed


def decide_conditional(rulebase: RuleBase, programs: tuple[ProgramAssessment, ...],
                       designations: Mapping[str, DesignationState]) -> tuple[ProgramAssessment, ...]:
    """The programs, with those that follow from another designation decided over the others'."""
    by_id = {item.program: item for item in programs}
    engine = engine_for(rulebase)
    decided = []
    for item in programs:
        spec = rulebase.programs.get(item.program)
        if spec is None or not spec.available_with or not (
                _refuted_for_want_of_designation(item) or _grant_ended(rulebase, item, designations)):
            decided.append(item)
            continue
        states = [designations.get(d) or DesignationState(d, Standing.NONE) for d in spec.available_with
                  if d in rulebase.programs]
        qualifying = [s for s in states if _qualifies(s, by_id.get(s.program))]
        names = [plain_name(rulebase.programs[s.program].name) for s in qualifying]
        if qualifying:
            pending = [s for s in qualifying if s.standing is Standing.PENDING]
            reason = (f"Available once {either(names)} is granted"
                      f"{_pending_note(rulebase, pending)}."
                      f"{_UNLISTED if item.determination is Determination.UNDETERMINED else ''}")
            decided.append(_with_answer(engine, item, Determination.CONDITIONAL, reason,
                                        tuple(s.program for s in qualifying)))
            continue
        if item.determination is Determination.UNDETERMINED:  # one may be held: the dossier does not say
            decided.append(item)
            continue
        all_names = either([plain_name(rulebase.programs[s.program].name) for s in states])
        later = [s for s in states if (found := by_id.get(s.program)) is not None
                 and found.determination is Determination.NOT_YET]
        if later:
            which = ("which cannot be requested yet" if len(later) == len(states) else
                     either([plain_name(rulebase.programs[s.program].name) for s in later])
                     + " cannot be requested yet")
            decided.append(_with_answer(engine, item, Determination.NOT_YET,
                                        f"It comes with {all_names}, {which}.", ()))
        else:
            decided.append(_with_answer(engine, item, Determination.NOT_ELIGIBLE, (
                f"It comes with {all_names}, and the program qualifies for none of them now."), ()))
    return tuple(decided)


def designations_required(condition: Condition) -> set[str]:
    """The designations a condition asks to be granted (`designations contains {program, status:
    granted}`), outside any negation."""
    if isinstance(condition, (AllCondition, AnyCondition)):
        parts = condition.all if isinstance(condition, AllCondition) else condition.any
        return set().union(*(designations_required(c) for c in parts))
    if isinstance(condition, FactCondition) and condition.fact == "designations" and isinstance(condition.value, dict):
        programs, status = condition.value.get("program"), condition.value.get("status")
        if DesignationStatus.GRANTED in (status if isinstance(status, list) else [status]):
            return {str(p) for p in programs} if isinstance(programs, list) else {str(programs)}
    return set()


def _grant_ended(rulebase: RuleBase, item: ProgramAssessment, designations: Mapping[str, DesignationState]) -> bool:
    """The engine found the program eligible on a designation the dossier records as granted, but
    a later record ended it (rescinded, revoked, withdrawn): no designation the deciding rules ask
    for is held now."""
    if item.determination is not Determination.ELIGIBLE:
        return False
    # What each rule and the concepts below it ask to be granted: the same for every dossier, worked
    # out once per rule (kept by the rule base's engine).
    known: dict[str, frozenset[str]] = engine_for(rulebase).kept("designations required", dict)
    required: set[str] = set()
    for rule_id in item.deciding_rules:
        found = known.get(rule_id)
        if found is None:
            found = known.setdefault(rule_id, frozenset().union(*(
                designations_required(part.spec.when) for part in (rulebase.by_id[rule_id],
                                                                   *rulebase.dependencies[rule_id]))))
        required |= found
    return bool(required) and not any(
        (state := designations.get(d)) is not None and state.standing is Standing.HELD for d in required)


def _refuted_for_want_of_designation(item: ProgramAssessment) -> bool:
    """The engine found the program not eligible because no eligible rule holds (no designation
    held), not because an exclusion holds; or could not tell only because the dossier does not
    list the program's designations."""
    if item.determination is Determination.UNDETERMINED:
        return bool(item.missing) and all(m.path == _DESIGNATIONS for m in item.missing)
    if item.determination is not Determination.NOT_ELIGIBLE:
        return False
    deciding = [r for r in item.rules if r.rule_id in item.deciding_rules]
    return bool(deciding) and all(r.value is False and r.concludes.endswith(": eligible") for r in deciding)
