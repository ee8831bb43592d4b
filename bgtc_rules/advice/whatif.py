"""Compare two assessments of the same program: what changed, program by program."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.evaluation import evaluate
from bgtc_rules.base.jsontext import document
from bgtc_rules.dossier.editing import with_changes
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.rulebase import RuleBase


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

    def to_json(self, indent: int | None = 2) -> str:
        """The export as text; `indent=None` writes it on one line."""
        return document(self.to_dict(), indent)


def compare(before: Assessment, after: Assessment) -> Comparison:
    """The programs whose determination differs between `before` and `after`."""
    old = before.determinations()
    changes = tuple(
        ProgramChange(item.program, item.name, old.get(item.program, "absent"), item.determination.value, item.reason)
        for item in after.programs
        if old.get(item.program) != item.determination.value
    )
    return Comparison(before, after, changes)


def what_if(dossier: Dossier, rules: RuleBase, changes: Mapping[str, Any], as_of: dt.date | None = None,
            backend: str | None = None, source: str = "", changes_source: str = "<changes>") -> Comparison:
    """Evaluate `dossier` before and after `changes` (dotted path -> value, or `editing.REMOVE`) and compare.

    Raises:
        InputError: the changed dossier is not valid (named as `changes_source`).
    """
    changed = with_changes(dossier, changes, source=changes_source)
    before = evaluate(dossier, rules, as_of=as_of, backend=backend, source=source)
    after = evaluate(changed, rules, as_of=as_of, backend=backend, source=source)
    return compare(before, after)
