"""What would change a determination: the smallest sets of dossier changes that reach a target.

Candidate changes come from the rules themselves: for every fact test in the program's rules
and the concepts they depend on, a value that makes the test come out true or false. Sets of
one, then two, then three changes are tried in order, so the first sets found are minimal.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .assessment import Determination
from .catalog import FactType, base_path, fact_catalog
from .dossier import Dossier
from .dossier_edit import with_changes
from .errors import InputError
from .evaluate import evaluate
from .leaves import Leaf
from .rulebase import RuleBase
from .rulespec import Operator
from .ruletree import CompiledRule

MAX_CHANGES = 3
MAX_CANDIDATES = 40
MAX_RESULTS = 5


@dataclass(frozen=True)
class Change:
    """Set one dossier field to a value (for a list field: the list after adding an item)."""

    path: str
    value: Any
    summary: str


def _rules_in_cone(rulebase: RuleBase, program: str) -> list[CompiledRule]:
    cone: dict[str, CompiledRule] = {}
    pending = list(rulebase.program_rules(program))
    while pending:
        rule = pending.pop()
        if rule.id in cone:
            continue
        cone[rule.id] = rule
        for concept in rule.concepts_read():
            pending.extend(rulebase.concepts.get(concept, ()))
    return [r for r in rulebase.rules if r.id in cone]


def _scalar_candidates(leaf: Leaf, fact: FactType) -> list[Any]:
    value = leaf.value
    if fact.kind == "bool":
        return [True, False]
    if fact.kind in ("enum", "str"):
        admitted = list(value) if isinstance(value, tuple) else [value]
        others = [v for v in fact.domain if v not in admitted][:2]
        return admitted + others
    if fact.kind in ("int", "float") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return sorted({max(0, value - 1), value, value + 1})
    if fact.kind == "date" and isinstance(value, dt.date):
        return [value - dt.timedelta(days=1), value, value + dt.timedelta(days=1)]
    return []


def _item_from_signature(signature: str, model: type[BaseModel]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for pair in signature.split(";"):
        key, _, raw = pair.partition("=")
        item[key] = {"true": True, "false": False}.get(raw, raw)
    for name, info in model.model_fields.items():
        if name not in item and info.is_required():
            item[name] = "hypothetical"
    return item


def _item_model(dossier: Dossier, path: str) -> type[BaseModel] | None:
    node: Any = type(dossier)
    for part in path.split("."):
        info = node.model_fields[part]
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        inner = next((a for a in args if a is not type(None)), annotation)
        if getattr(inner, "__origin__", None) is list:
            return inner.__args__[0]  # type: ignore[no-any-return]
        node = inner
    return None


def _list_candidates(leaf: Leaf, fact: FactType, dossier: Dossier, current: Any) -> list[Any]:
    existing = list(current or [])
    if fact.kind == "enum_list" and isinstance(leaf.value, tuple):
        return [sorted({*existing, v}) for v in leaf.value[:3]]
    model = _item_model(dossier, fact.path)
    if model is None or not isinstance(leaf.value, tuple) or not leaf.value:
        return []
    return [[*existing, _item_from_signature(leaf.value[0], model)]]


def _current(dossier: Dossier, path: str) -> Any:
    node: Any = dossier.model_dump(mode="json", exclude_none=True)
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def candidate_changes(dossier: Dossier, rulebase: RuleBase, program: str) -> list[Change]:
    """Changes that flip at least one fact test the program depends on."""
    catalog = fact_catalog()
    found: dict[tuple[str, str], Change] = {}
    for rule in _rules_in_cone(rulebase, program):
        for leaf in rule.leaves():
            if leaf.op is Operator.EXISTS or base_path(leaf.path) != leaf.path:
                continue
            fact = catalog[leaf.path]
            current = _current(dossier, leaf.path)
            values = (_list_candidates(leaf, fact, dossier, current) if fact.is_list
                      else _scalar_candidates(leaf, fact))
            for value in values:
                if value == current:
                    continue
                change = Change(leaf.path, value, _summary(leaf.path, value, current))
                found.setdefault((leaf.path, repr(value)), change)
    return list(found.values())[:MAX_CANDIDATES]


def _summary(path: str, value: Any, current: Any) -> str:
    now = "unknown" if current is None else _short(current)
    return f"{path} = {_short(value)} (now {now})"


def _short(value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[-1], dict):
        item = ", ".join(f"{k}: {v}" for k, v in value[-1].items() if v != "hypothetical")
        return f"[... + {{{item}}}]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).lower() if isinstance(value, bool) else str(value)


def _combinations(changes: list[Change], size: int) -> Iterator[tuple[Change, ...]]:
    for combo in itertools.combinations(changes, size):
        if len({c.path for c in combo}) == size:
            yield combo


def changes_to_reach(dossier: Dossier, rulebase: RuleBase, program: str, as_of: dt.date,
                     target: Determination = Determination.ELIGIBLE,
                     max_changes: int = MAX_CHANGES) -> list[tuple[Change, ...]]:
    """The smallest sets of changes (at most `max_changes`) that give `program` the `target`."""
    candidates = candidate_changes(dossier, rulebase, program)
    results: list[tuple[Change, ...]] = []
    for size in range(1, max_changes + 1):
        for combo in _combinations(candidates, size):
            if _reaches(dossier, rulebase, program, as_of, target, combo):
                results.append(combo)
                if len(results) >= MAX_RESULTS:
                    return results
        if results:
            return results
    return results


def _reaches(dossier: Dossier, rulebase: RuleBase, program: str, as_of: dt.date, target: Determination,
             combo: tuple[Change, ...]) -> bool:
    try:
        changed = with_changes(dossier, {c.path: c.value for c in combo})
    except InputError:
        return False
    assessment = evaluate(changed, rulebase, as_of=as_of, backend="reference")
    return assessment.program(program).determination is target
