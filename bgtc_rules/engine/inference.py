"""What an inference backend returns, and the protocol every backend follows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bgtc_rules.base.errors import EngineError
from bgtc_rules.engine.facts import Facts
from bgtc_rules.language.catalog import FactValue
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.valuation import Valuation


@dataclass(frozen=True)
class Firing:
    """One rule whose condition held: the facts it matched and what it derived.

    `matched` pairs a source with its value: a fact path, or `concept:<name>`.
    """

    rule_id: str
    matched: tuple[tuple[str, FactValue | bool | None], ...]
    derived: str


@dataclass(frozen=True)
class Inference:
    """Every rule's outcome (true, false, or unknown as `None`), concept values, firings in order."""

    backend: str
    as_of: dt.date
    outcomes: Mapping[str, Truth]
    concepts: Mapping[str, Truth]
    firings: tuple[Firing, ...]
    # Every condition node's value under these concepts, when the backend computed it anyway.
    valuation: Valuation | None = field(default=None, compare=False, repr=False)

    def fired(self) -> frozenset[str]:
        return frozenset(rule_id for rule_id, value in self.outcomes.items() if value is True)


class Backend(Protocol):
    """Runs the compiled rules of one `RuleBase` over the facts of one dossier, or of several."""

    name: str

    def infer(self, facts: Facts, as_of: dt.date) -> Inference: ...

    def infer_many(self, items: Sequence[Facts], as_of: dt.date) -> list[Inference | EngineError]:
        """Every dossier's inference, or the engine's failure on it, in order; one dossier's
        failure is never another's."""
        ...


def derived_text(concept: str | None, program: str | None, outcome: str | None) -> str:
    """What a firing derived, in words used in traces: `serious_condition` or `fast_track: eligible`."""
    return concept if concept else f"{program}: {outcome}"
