"""What the engine concludes for one program: its determination, its rules' results and why.

`plain_value` and `citation_dict` write these values as the JSON exports do (the
assessment's and the proof trees').
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

from bgtc_rules.engine.determination import Determination as Determination  # where it is defined, with its words
from bgtc_rules.engine.explain import ConditionResult, MissingFact
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.spec import Citation

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


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
    return citation.model_dump(mode="json", exclude_none=True)


def quick_maker(cls: type[T]) -> Callable[..., T]:
    """A constructor for the frozen dataclass `cls`, by keyword, that fills the instance's fields
    at once: the `__init__` a frozen dataclass is given sets them one by one through
    `object.__setattr__` (about 2.2 us for a `RuleResult` against 0.9 us; a distinct dossier makes
    about a hundred of these). The instance is the same: equal, hashed, copied and written alike.
    A field left out takes its default; every name given must be a field (the tests check the
    callers)."""
    if getattr(cls, "__post_init__", None) is not None or any(f.default_factory is not MISSING for f in fields(cls)):
        raise TypeError(f"{cls.__name__}: quick_maker would skip its __post_init__ or default factories")
    defaults = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    new = object.__new__

    def make(**values: Any) -> T:
        instance = new(cls)
        held = instance.__dict__
        held.update(defaults)
        held.update(values)
        return instance
    return make


make_rule_result = quick_maker(RuleResult)
make_program_assessment = quick_maker(ProgramAssessment)
make_fired_rule = quick_maker(FiredRule)
