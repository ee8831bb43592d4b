"""Where the program stands with each designation it can hold, read once from the dossier.

A dossier's `designations` list records what the sponsor has asked for and what FDA answered,
possibly several times for one program (requested, denied, requested again). The latest record
decides: by date where both records are dated, else by their order in the list. Every interface
(evaluate, plan, the course, explain, drafts, batch, the interview, the service) reads a
program's standing through `designation_states`, so they cannot disagree.

Examples:
    >>> import datetime as dt
    >>> from bgtc_rules import RuleBase, load_dossier
    >>> rules = RuleBase.load()
    >>> dossier = load_dossier("scenarios/aav_bla_submitted_priority_review_voucher.yaml")
    >>> states = designation_states(dossier, rules)
    >>> states["rmat"].standing.value, states["rmat"].date
    ('held', datetime.date(2023, 9, 1))
    >>> states["fast_track"].standing.value
    'none'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bgtc_rules.dossier.schema import DesignationRecord, DesignationStatus, Dossier
from bgtc_rules.engine.rule_engine import engine_for
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Counted


class Standing(StrEnum):
    """The program's standing with one designation."""

    NONE = "none"  # never requested (or only planned)
    PLANNED = "planned"  # the sponsor intends to request it; nothing is filed
    PENDING = "pending"  # requested; FDA has not answered
    HELD = "held"  # granted, and neither rescinded nor revoked
    DENIED = "denied"
    WITHDRAWN = "withdrawn"  # the sponsor withdrew the request
    ENDED = "ended"  # granted, then rescinded or revoked by FDA


_STANDING = {
    DesignationStatus.PLANNED: Standing.PLANNED,
    DesignationStatus.REQUESTED: Standing.PENDING,
    DesignationStatus.GRANTED: Standing.HELD,
    DesignationStatus.DENIED: Standing.DENIED,
    DesignationStatus.WITHDRAWN: Standing.WITHDRAWN,
    DesignationStatus.RESCINDED: Standing.ENDED,
    DesignationStatus.REVOKED: Standing.ENDED,
}


@dataclass(frozen=True)
class DesignationState:
    """One program's standing, with the date of the record it rests on and, for a pending request
    with a date, the day FDA's answer falls due (the program's `response` day count)."""

    program: str
    standing: Standing
    status: DesignationStatus | None = None  # as the dossier words it; None when it says nothing
    date: dt.date | None = None
    response_due: dt.date | None = None

    @property
    def asked(self) -> bool:
        """Held or pending: the sponsor has it or is waiting for it, so it is never advised again."""
        return self.standing in (Standing.HELD, Standing.PENDING)


def _latest(records: list[DesignationRecord]) -> DesignationRecord:
    current = records[0]
    for record in records[1:]:
        if record.date is None or current.date is None or record.date >= current.date:
            current = record
    return current


def _response_due(rulebase: RuleBase, program: str, requested: dt.date | None) -> dt.date | None:
    spec = rulebase.programs.get(program)
    timing = spec.response if spec is not None else None
    if requested is None or timing is None or timing.days is None or timing.counted not in (
            Counted.AFTER_REQUEST, Counted.AFTER_SUBMISSION):
        return None
    return requested + dt.timedelta(days=timing.days)


def _nothing_recorded(rulebase: RuleBase) -> dict[str, DesignationState]:
    """Each program's standing when the dossier records nothing, in program id order (the same
    for every dossier: made once per rule base, kept by its engine)."""
    return engine_for(rulebase).kept("no standing", lambda: {
        program: DesignationState(program, Standing.NONE) for program in sorted(rulebase.programs)})


def designation_states(dossier: Dossier, rulebase: RuleBase) -> Mapping[str, DesignationState]:
    """Every program of the rule base with its standing (`Standing.NONE` where the dossier says nothing)."""
    by_program: dict[str, list[DesignationRecord]] = {}
    for record in dossier.designations or ():
        by_program.setdefault(record.program._value_, []).append(record)  # `.value`: a slower descriptor
    states = dict(_nothing_recorded(rulebase))  # in program id order; those with a record replaced in place
    for program, records in by_program.items():
        if program not in states:  # a program the rule base does not have
            continue
        record = _latest(records)
        standing = _STANDING[record.status]
        due = _response_due(rulebase, program, record.date) if standing is Standing.PENDING else None
        states[program] = DesignationState(program, standing, record.status, record.date, due)
    return states


def standing_text(state: DesignationState) -> str:
    """The standing as a plain sentence ("" when the dossier records nothing), the same wherever it is shown.

    Examples:
        >>> standing_text(DesignationState("rmat", Standing.HELD, DesignationStatus.GRANTED, dt.date(2023, 9, 1)))
        'Held: granted on 2023-09-01.'
        >>> standing_text(DesignationState("rmat", Standing.PENDING, DesignationStatus.REQUESTED,
        ...                                dt.date(2026, 1, 5), dt.date(2026, 3, 6)))
        "Pending: requested on 2026-01-05; FDA's answer is due by 2026-03-06."
    """
    on = f" on {state.date.isoformat()}" if state.date else ""
    if state.standing is Standing.HELD:
        return f"Held: granted{on}."
    if state.standing is Standing.PENDING:
        due = (f"; FDA's answer is due by {state.response_due.isoformat()}" if state.response_due
               else "; FDA has not answered yet")
        return f"Pending: requested{on}{due}."
    return {
        Standing.PLANNED: "Planned: not requested yet.",
        Standing.DENIED: f"Requested and denied{on}.",
        Standing.WITHDRAWN: f"Requested, then withdrawn{on}.",
        Standing.ENDED: f"Granted, then {state.status.value if state.status else 'ended'}{on}.",
    }.get(state.standing, "")
