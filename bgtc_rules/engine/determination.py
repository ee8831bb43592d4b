"""The determinations (what the engine concludes for a program) and how people see each: its
mark, its words in each place it is written, and its colours, defined once for every renderer,
draft and command.

`engine.determine` decides which determination a program gets; this module only names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bgtc_rules.language.truth import Look


class Determination(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNDETERMINED = "undetermined"
    NOT_YET = "not_yet"  # too early: the window opens at a later stage or date
    CLOSED = "closed"  # too late: the window has passed for good at this stage or date
    # Available once another designation is granted (rolling review, the initial comprehensive
    # meeting): decided over the other programs' determinations, in the advice layer.
    CONDITIONAL = "conditional"

    @property
    def look(self) -> DeterminationLook:
        """How this determination is shown (`word`: on a badge; see `DeterminationLook`)."""
        return _LOOKS[self]


@dataclass(frozen=True)
class DeterminationLook(Look):
    """A determination's look (its badge: `symbol`, `word` and colours), with its words elsewhere:
    `label` in sentences (drafts, the reader's words for a coded value), `summary` beside a
    program in the terminal summary, `heading` over that summary's section, `handbook` in the
    handbook's rule pages and tallies."""

    label: str
    summary: str
    heading: str
    handbook: str


_LOOKS = {
    Determination.ELIGIBLE: DeterminationLook(
        "✔", "eligible", "#1a7f37", "#dafbe1", "d-eligible", "green",
        label="eligible", summary="qualifies now", heading="Qualifies now", handbook="eligible"),
    Determination.NOT_ELIGIBLE: DeterminationLook(
        "✘", "not eligible", "#c4232d", "#ffebe9", "d-not_eligible", "red",
        label="not eligible", summary="not eligible", heading="Not eligible", handbook="not eligible"),
    Determination.UNDETERMINED: DeterminationLook(
        "?", "undetermined", "#8a5a00", "#fff3c4", "d-undetermined", "yellow",
        label="cannot tell yet", summary="cannot tell yet", heading="Cannot tell yet: the answers that decide it",
        handbook="undetermined"),
    Determination.NOT_YET: DeterminationLook(
        "◷", "not yet", "#0b5cad", "#ddf4ff", "d-not_yet", "cyan",
        label="not yet", summary="not yet", heading="Not yet: the window opens later", handbook="not yet"),
    Determination.CLOSED: DeterminationLook(
        "■", "closed", "#57606a", "#eaeef2", "d-closed", "white",
        label="closed", summary="closed", heading="Closed: the window has passed", handbook="closed"),
    Determination.CONDITIONAL: DeterminationLook(
        "→", "conditional", "#6639ba", "#fbefff", "d-conditional", "magenta",
        label="conditional", summary="once another is granted",
        heading="Available once another designation is granted",
        handbook="available once another designation is held"),
}
