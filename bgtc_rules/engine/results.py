"""What the engine concludes for one program: its determination, its rules' results and why.

`plain_value` and `citation_dict` write these values as the JSON exports do (the
assessment's and the proof trees').
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bgtc_rules.engine.determination import Determination as Determination  # where it is defined, with its words
from bgtc_rules.engine.explain import ConditionResult, MissingFact
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.spec import Citation


@dataclass(frozen=True)
class RuleResult:
    """One rule of a program, its result and why."""

    rule_id: str
    title: str
    concludes: str
    value: Truth
    explanation: str
    citations: tuple[Citation, ...]
    caveats: tuple[str, ...]
    failed: tuple[str, ...]
    missing: tuple[MissingFact, ...]
    conditions: ConditionResult | None = None  # the whole condition tree, when asked for in detail


@dataclass(frozen=True)
class FiredRule:
    """A rule whose condition held: what it matched, what it derived, and its sources."""

    rule_id: str
    matched: tuple[tuple[str, Any], ...]
    derived: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class ProgramAssessment:
    program: str
    name: str
    kind: str
    determination: Determination
    reason: str
    deciding_rules: tuple[str, ...]
    rules: tuple[RuleResult, ...]
    missing: tuple[MissingFact, ...]
    caveats: tuple[str, ...]
    # For a conditional program: the designations whose grant would make it available, those the
    # program qualifies for (see `advice.conditional`).
    available_once: tuple[str, ...] = ()


def plain_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [plain_value(v) for v in value]
    return value


def citation_dict(citation: Citation) -> dict[str, Any]:
    """`citation.model_dump(mode="json", exclude_none=True)`, read off its fields: every field is
    text, a flag or None, so nothing needs converting, and the model's serializer is never built
    (its first use costs a `bgtc batch` or export start tens of ms)."""
    values = vars(citation)
    return {name: value for name in _CITATION_FIELDS if (value := values[name]) is not None}


_CITATION_FIELDS = tuple(Citation.model_fields)

