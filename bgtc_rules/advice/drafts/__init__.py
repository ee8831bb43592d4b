"""Request drafts: the first draft of a designation request, a meeting request or the cover sheet,
structured as the governing text asks, filled from the dossier, every gap flagged.

One module per request family: `designations` (orphan, rare pediatric disease), `expedited`
(fast track, breakthrough, RMAT), `meetings` (formal meetings), `cover` (the cover sheet);
`common` holds the shared elements, `reader` the dossier lookups, `model` the content types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bgtc_rules.advice.assessment import DISCLAIMER, Assessment
from bgtc_rules.advice.drafts import designations, expedited, meetings
from bgtc_rules.advice.drafts.common import Body, Context, status_section
from bgtc_rules.advice.drafts.cover import cover_sheet
from bgtc_rules.advice.drafts.model import Draft, Element, Gap, Line, Section
from bgtc_rules.advice.drafts.reader import Reader
from bgtc_rules.base.errors import input_error
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import ProgramKind

__all__ = ["COVER", "Draft", "Element", "Gap", "Line", "Section", "build_draft", "draftable", "require_draftable"]

COVER = "cover"

_DESIGNATIONS: dict[str, Callable[[Context], Body]] = {
    "orphan_drug_designation": designations.orphan_request,
    "rare_pediatric_disease": designations.rpd_request,
    "fast_track": expedited.fast_track_request,
    "breakthrough_therapy": expedited.breakthrough_request,
    "rmat": expedited.rmat_request,
}


def _writer(rulebase: RuleBase, program: str) -> Callable[[Context], Body] | None:
    if program in _DESIGNATIONS:
        return _DESIGNATIONS[program]
    spec = rulebase.programs.get(program)
    if spec is not None and spec.kind is ProgramKind.MEETING and spec.timeline is not None:
        return meetings.meeting_request
    return None


def draftable(rulebase: RuleBase) -> tuple[str, ...]:
    """Every request `build_draft` writes: the designation and meeting program ids, and `cover`."""
    return (*sorted(p for p in rulebase.programs if _writer(rulebase, p) is not None), COVER)


def require_draftable(rulebase: RuleBase, program: str) -> None:
    """Raise `InputError` naming `program` and listing the requests that can be drafted, unless it is one."""
    if program not in draftable(rulebase):
        raise input_error("PROGRAM", "", f"no request draft for {program!r}; expected one of: "
                          + ", ".join(draftable(rulebase)))


def build_draft(dossier: Dossier, assessment: Assessment, rulebase: RuleBase, program: str,
                start: dt.date) -> Draft:
    """The draft of the request for `program` (or the cover sheet, `cover`), sent on `start`.

    Raises:
        InputError: `program` names no request that can be drafted; the message lists those that can.
    """
    reader = Reader.of(dossier, rulebase)
    if program == COVER:
        body = cover_sheet(reader, assessment, rulebase)
        return Draft(COVER, body.title, assessment.dossier_name, assessment.as_of, start, "", "",
                     body.sections, body.notes, DISCLAIMER)
    require_draftable(rulebase, program)
    writer = _writer(rulebase, program)
    assert writer is not None
    item = assessment.program(program)
    body = writer(Context(reader, assessment, rulebase, rulebase.programs[program], item, start))
    status = status_section(item, assessment.designation(program))
    return Draft(program, body.title, assessment.dossier_name, assessment.as_of, start,
                 item.determination.value, item.reason, (status, *body.sections), body.notes, DISCLAIMER)
