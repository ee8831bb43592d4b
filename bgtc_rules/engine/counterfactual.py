"""What would change a determination: the smallest sets of dossier changes that reach a target.

Abduction over the compiled rules: "program is eligible" means one eligible rule holds and every
not-eligible and not-yet rule is refuted. Each of those is a disjunction of fact-level terms
(concepts expanded into the rules that conclude them), and a term costs the number of dossier
fields whose current value does not satisfy it. The cheapest combinations are kept (a beam),
turned into concrete field values, and checked by evaluating the changed dossier.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from bgtc_rules.base.errors import InputError
from bgtc_rules.dossier.editing import REMOVE, with_changes
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.evaluation import run_engine
from bgtc_rules.engine.facts import Facts, dossier_facts
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import FactType, FactValue, fact_catalog
from bgtc_rules.language.normal_form import ConceptTest, FactTest, terms
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Outcome
from bgtc_rules.language.tree import CompiledRule

BEAM = 48
MAX_RESULTS = 5
Term = frozenset[FactTest]
UNREACHABLE = 10**6


@dataclass(frozen=True)
class Change:
    """Set one dossier field to a value (for a list field: the whole new list)."""

    path: str
    value: Any
    summary: str


def test_holds(test: FactTest, value: FactValue | None) -> bool:
    """Whether a normal-form test holds for a fact value (`None` is unknown).

    Examples:
        >>> test_holds(FactTest("p", "ge", 5), 7), test_holds(FactTest("p", "unknown"), None)
        (True, True)
    """
    if test.test == "known":
        return value is not None
    if test.test == "unknown":
        return value is None
    if value is None:
        return False
    target: Any = test.value
    actual: Any = value
    match test.test:
        case "eq":
            return bool(actual == target)
        case "ne":
            return bool(actual != target)
        case "lt":
            return bool(actual < target)
        case "le":
            return bool(actual <= target)
        case "gt":
            return bool(actual > target)
        case "ge":
            return bool(actual >= target)
        case "in":
            return actual in target
        case "not_in":
            return actual not in target
        case "contains":
            return any(v in target for v in actual)
        case "contains_none":
            return bool(actual) and not any(v in target for v in actual)
        case "empty":
            return len(actual) == 0
    raise ValueError(f"unknown test {test.test!r}")


class _Abducer:
    def __init__(self, rulebase: RuleBase, facts: Facts, as_of: dt.date, abstract: bool = False) -> None:
        self.rulebase = rulebase
        self.facts = facts
        self.as_of = as_of
        self.abstract = abstract  # derived paths (counts, distinct values) may take any value
        self._memo: dict[tuple[str, bool], list[Term]] = {}

    def cost(self, term: Term) -> int:
        by_path: dict[str, list[FactTest]] = {}
        for test in term:
            by_path.setdefault(test.path, []).append(test)
        total = 0
        for path, tests in by_path.items():
            if all(test_holds(t, self.facts[path]) for t in tests):
                continue
            if solve(path, tests, self.facts[path], self.abstract) is None:
                return UNREACHABLE
            total += 1
        return total

    def best(self, candidates: Iterable[Term]) -> list[Term]:
        unique = {t: self.cost(t) for t in candidates}
        ranked = sorted((c, sorted(map(repr, t)), t) for t, c in unique.items() if c < UNREACHABLE)
        return [t for _, _, t in ranked[:BEAM]]

    def product(self, groups: list[list[Term]]) -> list[Term]:
        combined: list[Term] = [frozenset()]
        for group in groups:
            combined = self.best(a | b for a, b in itertools.product(combined, group))
        return combined

    def expand(self, atoms: tuple[FactTest | ConceptTest, ...]) -> list[Term]:
        facts = frozenset(a for a in atoms if isinstance(a, FactTest))
        groups = [self.concept_terms(a.concept, a.value) for a in atoms if isinstance(a, ConceptTest)]
        return self.product([[facts], *groups])

    def rule_terms(self, rule: CompiledRule, want: bool) -> list[Term]:
        if not rule.in_force.holds(self.as_of):
            return [] if want else [frozenset()]
        return self.best(t for atoms in terms(rule.when, want) for t in self.expand(atoms))

    def concept_terms(self, concept: str, want: bool) -> list[Term]:
        key = (concept, want)
        if key not in self._memo:
            rules = self.rulebase.concepts.get(concept, ())
            if want:
                self._memo[key] = self.best(t for rule in rules for t in self.rule_terms(rule, True))
            else:
                self._memo[key] = self.product([self.rule_terms(rule, False) for rule in rules])
        return self._memo[key]

    def eligible_terms(self, program: str) -> list[Term]:
        rules = self.rulebase.program_rules(program)
        ways = self.best(t for r in rules if r.outcome is Outcome.ELIGIBLE for t in self.rule_terms(r, True))
        blockers = [self.rule_terms(r, False) for r in rules if r.outcome is not Outcome.ELIGIBLE]
        return self.product([ways, *blockers])


def _candidates(fact: FactType, tests: list[FactTest], current: FactValue | None) -> list[Any]:
    values: list[Any] = [current]
    if fact.kind == "bool":
        return [*values, True, False]
    if fact.kind in ("enum", "str"):
        return values + list(fact.domain)
    if fact.kind == "enum_list":
        base: tuple[str, ...] = current if isinstance(current, tuple) else ()
        added = [tuple(sorted({*base, v})) for t in tests if t.test == "contains" for v in t.value[:4]]  # type: ignore[index]
        kept = tuple(v for v in base if not any(t.test == "contains_none" and v in t.value for t in tests))  # type: ignore[operator]
        return [*values, *added, kept, ()]
    if fact.kind == "items":
        base = current if isinstance(current, tuple) else ()
        wanted = [set(t.value) for t in tests if t.test == "contains"]  # type: ignore[arg-type]
        banned = set().union(*[set(t.value) for t in tests if t.test == "contains_none"])  # type: ignore[arg-type]
        kept = tuple(s for s in base if s not in banned)
        admitted = set.intersection(*wanted) - banned if wanted else set(fact.signatures({})) - banned
        return [*values, kept, *(tuple(sorted({*kept, s})) for s in sorted(admitted)[:1])]
    numbers: list[Any] = []
    for test in tests:
        if isinstance(test.value, (int, float)) and not isinstance(test.value, bool):
            numbers += [max(0, test.value - 1), test.value, test.value + 1]
        elif isinstance(test.value, dt.date):
            numbers += [test.value - dt.timedelta(days=1), test.value, test.value + dt.timedelta(days=1)]
        elif isinstance(test.value, tuple):
            numbers += list(test.value)
    return values + numbers


def solve(path: str, tests: list[FactTest], current: FactValue | None, abstract: bool = False) -> FactValue | None:
    """A value for `path` satisfying every test, preferring the current one; `None` if none is found.

    A derived path (a count, or the distinct values of an item property) cannot be set directly;
    only in `abstract` mode (satisfiability checks) is it treated as a free value.
    """
    fact = fact_catalog()[path]
    if not abstract and ("#" in path or "[]" in path):
        return current if all(test_holds(t, current) for t in tests) else None
    for value in _candidates(fact, tests, current):
        if value is not None and all(test_holds(t, value) for t in tests):
            return value  # type: ignore[no-any-return]
    return None


def _item_model(path: str) -> type[BaseModel]:
    node: Any = Dossier
    for part in path.split("."):
        annotation = node.model_fields[part].annotation
        inner = next((a for a in getattr(annotation, "__args__", ()) if a is not type(None)), annotation)
        if getattr(inner, "__origin__", None) is list:
            return inner.__args__[0]  # type: ignore[no-any-return]
        node = inner
    raise TypeError(path)


def _items(path: str, signatures: tuple[str, ...], dossier: Dossier) -> list[dict[str, Any]]:
    """Dossier items for the signatures: existing items kept as they are, new ones filled in."""
    fact = fact_catalog()[path]
    current: Any = dossier
    for part in path.split("."):
        current = getattr(current, part) if current is not None else None
    existing: dict[str, dict[str, Any]] = {}
    for present in current or []:
        data = present.model_dump(mode="json")
        signature = ";".join(f"{p.name}={_text(data[p.name])}" for p in fact.item_properties)
        existing.setdefault(signature, data)
    model = _item_model(path)
    result = []
    for signature in signatures:
        if signature in existing:
            result.append(existing[signature])
            continue
        item: dict[str, Any] = {}
        for pair in signature.split(";"):
            key, _, raw = pair.partition("=")
            item[key] = {"true": True, "false": False}.get(raw, raw)
        for name, info in model.model_fields.items():
            if name not in item and info.is_required():
                item[name] = "(to be provided)"
        result.append(item)
    return result


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _show(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
        return "[" + "; ".join(", ".join(f"{k}: {v}" for k, v in i.items() if v != "(to be provided)")
                               for i in value) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _changes(term: Term, facts: Facts, dossier: Dossier) -> tuple[Change, ...] | None:
    by_path: dict[str, list[FactTest]] = {}
    for test in term:
        by_path.setdefault(test.path, []).append(test)
    changes = []
    for path in sorted(by_path):
        tests, current = by_path[path], facts[path]
        if all(test_holds(t, current) for t in tests):
            continue
        value = solve(path, tests, current)
        if value is None:
            return None
        kind = fact_catalog()[path].kind
        shown = _items(path, value, dossier) if kind == "items" else (  # type: ignore[arg-type]
            list(value) if isinstance(value, tuple) else value)
        changes.append(Change(path, shown, f"{path} = {_show(shown)} (now {_show(current)})"))
    return tuple(changes)


def changes_to_reach(dossier: Dossier, rulebase: RuleBase, program: str, as_of: dt.date,
                     target: Determination = Determination.ELIGIBLE) -> list[tuple[Change, ...]]:
    """The smallest sets of field changes that make `program` eligible, checked by evaluation."""
    if target is not Determination.ELIGIBLE:
        raise ValueError("only eligibility is searched for")
    facts = dossier_facts(dossier)
    abducer = _Abducer(rulebase, facts, as_of)
    found: list[tuple[Change, ...]] = []
    seen: set[tuple[str, ...]] = set()
    for term in abducer.eligible_terms(program):
        changes = _changes(term, facts, dossier)
        if not changes or (key := tuple(c.summary for c in changes)) in seen:
            continue
        seen.add(key)
        if found and len(changes) > len(found[0]):
            break
        if _reaches(dossier, rulebase, program, as_of, changes):
            found.append(changes)
            if len(found) >= MAX_RESULTS:
                break
    return found


def _reaches(dossier: Dossier, rulebase: RuleBase, program: str, as_of: dt.date, changes: tuple[Change, ...]) -> bool:
    try:
        changed = with_changes(dossier, {c.path: REMOVE if c.value is None else c.value for c in changes})
    except InputError:
        return False
    determination = run_engine(changed, rulebase, as_of=as_of, backend="reference").program(program).determination
    return determination is Determination.ELIGIBLE
