"""The result of evaluating one dossier: per-program determinations with their evidence.

`Assessment.to_dict()` is the versioned JSON export (`format: bgtc.assessment/1`); its key
order and list order are stable, so the same input gives byte-identical JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .explain import ConditionResult, MissingFact

if TYPE_CHECKING:
    from .advice import StackingNote
from .leaves import Truth
from .rulespec import Citation

FORMAT = "bgtc.assessment/1"
DISCLAIMER = "Decision support only; not a determination by FDA."


class Determination(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNDETERMINED = "undetermined"
    NOT_YET = "not_yet"


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


@dataclass(frozen=True)
class Assessment:
    dossier_name: str
    source: str
    as_of: dt.date
    backend: str
    rules_edition: str
    rules_digest: str
    programs: tuple[ProgramAssessment, ...]
    concepts: dict[str, Truth]
    firings: tuple[FiredRule, ...]
    stacking: tuple[StackingNote, ...] = ()
    rule_outcomes: Mapping[str, Truth] = field(default_factory=dict)  # every rule: held, refuted or unknown

    def program(self, program_id: str) -> ProgramAssessment:
        for item in self.programs:
            if item.program == program_id:
                return item
        raise KeyError(program_id)

    def determinations(self) -> dict[str, str]:
        return {p.program: p.determination.value for p in self.programs}

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "disclaimer": DISCLAIMER,
            "dossier": {"name": self.dossier_name, "source": self.source},
            "as_of": self.as_of.isoformat(),
            "backend": self.backend,
            "rules": {"edition": self.rules_edition, "digest": self.rules_digest},
            "programs": [_program_dict(p) for p in self.programs],
            "stacking": [
                {"program": n.program, "adds": list(n.new_benefits), "superseded_by": list(n.superseded_by),
                 "already_offered_by": {benefit: list(by) for benefit, by in n.covered}}
                for n in self.stacking
            ],
            "concepts": {name: truth_word(value) for name, value in sorted(self.concepts.items())},
            "fired_rules": [_firing_dict(f) for f in self.firings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The export as text; `indent=None` writes one compact line (much faster, for batches)."""
        separators = (",", ":") if indent is None else None
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, separators=separators) + "\n"


def truth_word(value: Truth) -> str:
    return {True: "true", False: "false", None: "unknown"}[value]


def plain_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [plain_value(v) for v in value]
    return value


def citation_dict(citation: Citation) -> dict[str, Any]:
    return citation.model_dump(mode="json", exclude_none=True)


def _condition_dict(result: ConditionResult) -> dict[str, Any]:
    data: dict[str, Any] = {"condition": result.text, "result": truth_word(result.value)}
    if result.fact is not None:
        data["fact"] = result.fact
        data["fact_value"] = plain_value(result.fact_value)
    if result.children:
        data["parts"] = [_condition_dict(child) for child in result.children]
    return data


def _missing_dict(missing: MissingFact) -> dict[str, Any]:
    data: dict[str, Any] = {"fact": missing.path, "question": missing.question, "rule": missing.rule_id}
    if missing.via:
        data["via"] = list(missing.via)
    return data


def _rule_dict(rule: RuleResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.rule_id,
        "title": rule.title,
        "concludes": rule.concludes,
        "result": truth_word(rule.value),
    }
    if rule.conditions is not None:
        data["explanation"] = rule.explanation
        data["citations"] = [citation_dict(c) for c in rule.citations]
        data["conditions"] = _condition_dict(rule.conditions)
    if rule.caveats and rule.value is not False:
        data["caveats"] = list(rule.caveats)
    if rule.failed:
        data["failed"] = list(rule.failed)
    if rule.missing:
        data["missing"] = [_missing_dict(m) for m in rule.missing]
    return data


def _program_dict(item: ProgramAssessment) -> dict[str, Any]:
    deciding = [r for r in item.rules if r.rule_id in item.deciding_rules]
    citations = {c: citation_dict(c) for r in deciding for c in r.citations}
    return {
        "program": item.program,
        "name": item.name,
        "kind": item.kind,
        "determination": item.determination.value,
        "reason": item.reason,
        "deciding_rules": list(item.deciding_rules),
        "explanation": [r.explanation for r in deciding],
        "citations": list(citations.values()),
        "missing": [_missing_dict(m) for m in item.missing],
        "caveats": list(item.caveats),
        "rules": [_rule_dict(r) for r in item.rules],
    }


def _firing_dict(firing: FiredRule) -> dict[str, Any]:
    return {
        "rule": firing.rule_id,
        "matched": [{"source": source, "value": plain_value(value)} for source, value in firing.matched],
        "derived": firing.derived,
        "citations": [citation_dict(c) for c in firing.citations],
    }
