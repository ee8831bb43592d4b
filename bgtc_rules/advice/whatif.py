"""Compare two assessments of the same program: what changed, program by program."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bgtc_rules.advice.assessment import Assessment


@dataclass(frozen=True)
class ProgramChange:
    program: str
    name: str
    before: str
    after: str
    reason_after: str


@dataclass(frozen=True)
class Comparison:
    before: Assessment
    after: Assessment
    changes: tuple[ProgramChange, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "bgtc.whatif/1",
            "as_of": self.after.as_of.isoformat(),
            "backend": self.after.backend,
            "changed": [
                {"program": c.program, "before": c.before, "after": c.after, "reason": c.reason_after}
                for c in self.changes
            ],
            "unchanged": sorted(set(self.after.determinations()) - {c.program for c in self.changes}),
        }


def compare(before: Assessment, after: Assessment) -> Comparison:
    """The programs whose determination differs between `before` and `after`."""
    old = before.determinations()
    changes = tuple(
        ProgramChange(item.program, item.name, old.get(item.program, "absent"), item.determination.value, item.reason)
        for item in after.programs
        if old.get(item.program) != item.determination.value
    )
    return Comparison(before, after, changes)
