"""What would change a determination: the smallest sets of dossier changes that reach a target.

Abduction over the compiled rules: "program is eligible" means one eligible rule holds and every
not-eligible and not-yet rule is refuted. Each of those is a disjunction of fact-level terms
(concepts expanded into the rules that conclude them), and a term costs the number of dossier
fields whose current value does not satisfy it. The cheapest combinations are kept (a beam),
turned into concrete field values, and checked by evaluating the changed dossier.

Only changes the program can make are proposed (`engine.reach`: the limits in questions.yaml):
never a fact of the disease or the product that is already known, a step back, or a designation
the program does not qualify for. Designations it qualifies for come first, then evidence.
"""

from __future__ import annotations

import datetime as dt
import functools
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
from bgtc_rules.engine.reach import DESIGNATION_OPEN, Reach, describe, test_holds
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import FactType, FactValue, fact_catalog
from bgtc_rules.language.normal_form import ConceptTest, FactTest, terms
from bgtc_rules.language.operators import Operator
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import ChangeLimits, Outcome
from bgtc_rules.language.tree import CompiledRule

BEAM = 48
MAX_RESULTS = 5
MAX_NEW_ITEMS = 64  # new list items tried for one test (one when there are no limits: satisfiability)
Term = frozenset[FactTest]
UNREACHABLE = 10**6
CHANGE_COST = 3  # a changed field costs this plus its tier (see `engine.reach`)


@dataclass(frozen=True)
class Change:
    """Set one dossier field to a value (for a list field: the whole new list)."""

    path: str
    value: Any
    summary: str
    tier: int = 0  # engine.reach: 0 a designation it qualifies for, 1 evidence or an answer, 2 an open designation


class Abducer:
    """The ways a rule base's rules can come out, as fact-level terms, on one dossier's facts and
    date (each concept expanded once)."""

    def __init__(self, rulebase: RuleBase, facts: Facts, as_of: dt.date, abstract: bool = False,
                 reach: Reach | None = None) -> None:
        self.rulebase = rulebase
        self.facts = facts
        self.as_of = as_of
        self.abstract = abstract  # derived paths (counts, distinct values) may take any value
        self.reach = reach  # None: any value is reachable (satisfiability checks)
        self._memo: dict[tuple[str, bool], list[Term]] = {}

    def cost(self, term: Term) -> int:
        by_path: dict[str, list[FactTest]] = {}
        for test in term:
            by_path.setdefault(test.path, []).append(test)
        total = 0
        for path, tests in by_path.items():
            current = self.facts[path]
            if all(test_holds(t, current) for t in tests):
                continue
            value = solve(path, tests, current, self.abstract, self.reach)
            if value is None:
                return UNREACHABLE
            total += CHANGE_COST + (self.reach.tier(path, current, value) or 0 if self.reach else 0)
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


def _candidates(fact: FactType, tests: list[FactTest], current: FactValue | None, many: bool) -> list[Any]:
    values: list[Any] = [current]
    if fact.kind == "bool":
        return [*values, True, False]
    if fact.kind == "enum":
        return values + list(fact.domain)
    if fact.kind == "enum_list":
        base: tuple[str, ...] = current if isinstance(current, tuple) else ()
        added = [tuple(sorted({*base, v})) for t in tests if t.test is Operator.CONTAINS for v in t.value[:4]]  # type: ignore[index]
        kept = tuple(v for v in base if not any(t.test is Operator.CONTAINS_NONE and v in t.value for t in tests))  # type: ignore[operator]
        return [*values, *added, kept, ()]
    if fact.kind == "items":
        base = current if isinstance(current, tuple) else ()
        wanted = [set(t.value) for t in tests if t.test is Operator.CONTAINS]  # type: ignore[arg-type]
        banned = set().union(*[set(t.value) for t in tests if t.test is Operator.CONTAINS_NONE])  # type: ignore[arg-type]
        kept = tuple(s for s in base if s not in banned)
        every = _every_signature(fact.path)
        admitted = set.intersection(*wanted) - banned if wanted else set(every) - banned
        ordered = [s for s in every if s in admitted] if many else sorted(admitted)
        return [*values, kept, *(tuple(sorted({*kept, s})) for s in ordered[:MAX_NEW_ITEMS if many else 1])]
    numbers: list[Any] = []
    for test in tests:
        if isinstance(test.value, (int, float)) and not isinstance(test.value, bool):
            numbers += [max(0, test.value - 1), test.value, test.value + 1]
        elif isinstance(test.value, dt.date):
            numbers += [test.value - dt.timedelta(days=1), test.value, test.value + dt.timedelta(days=1)]
        elif isinstance(test.value, tuple):
            numbers += list(test.value)
        elif isinstance(test.value, str):  # free text compared with a value (a capsid)
            numbers.append(test.value)
    return values + list(fact.domain) + numbers


@functools.cache
def _every_signature(path: str) -> tuple[str, ...]:
    """Every item signature of a list of objects, in the schema's order (computed once)."""
    return fact_catalog()[path].signatures({})


def solve(path: str, tests: list[FactTest], current: FactValue | None, abstract: bool = False,
          reach: Reach | None = None) -> FactValue | None:
    """A value for `path` satisfying every test, preferring the current one, then the lowest tier
    `reach` allows; `None` if none is found.

    A derived path (a count, or the distinct values of an item property) cannot be set directly;
    only in `abstract` mode (satisfiability checks) is it treated as a free value.
    """
    fact = fact_catalog()[path]
    if not abstract and ("#" in path or "[]" in path):
        return current if all(test_holds(t, current) for t in tests) else None
    best: tuple[int, Any] | None = None
    # Several new items are tried only where limits may refuse some (not for satisfiability).
    for value in _candidates(fact, tests, current, many=reach is not None and not abstract):
        if value is None or not all(test_holds(t, value) for t in tests):
            continue
        tier = reach.tier(path, current, value) if reach is not None else 0
        if tier is not None and (best is None or tier < best[0]):
            best = (tier, value)
    return None if best is None else best[1]


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


def _alternatives(path: str, tests: list[FactTest], current: FactValue | None, reach: Reach) -> list[tuple[int, Any]]:
    """The values the program can give `path` to pass `tests`, lowest tier first: for a list of
    items naming programs, each program on its own (fast track, breakthrough or RMAT); otherwise
    the best one."""
    fact = fact_catalog()[path]
    several = any(limit.fact == path and limit.program_qualifies for limit in reach.limits.new_items)
    if not several or fact.kind != "items":
        value = solve(path, tests, current, reach=reach)
        tier = None if value is None else reach.tier(path, current, value)
        return [] if tier is None else [(tier, value)]
    found: list[tuple[int, Any]] = []
    for value in _candidates(fact, tests, current, many=True):
        if value is None or not all(test_holds(t, value) for t in tests) or any(v == value for _, v in found):
            continue
        tier = reach.tier(path, current, value)
        if tier is not None:
            found.append((tier, value))
    return sorted(found, key=lambda pair: pair[0])[:MAX_RESULTS]


def _changes(term: Term, facts: Facts, dossier: Dossier, reach: Reach, rulebase: RuleBase) -> list[tuple[Change, ...]]:
    """The concrete changes a term asks for, one combination per alternative new item."""
    by_path: dict[str, list[FactTest]] = {}
    for test in term:
        by_path.setdefault(test.path, []).append(test)
    names = {program_id: program.name for program_id, program in rulebase.programs.items()}
    options: list[list[Change]] = []
    for path in sorted(by_path):
        tests, current = by_path[path], facts[path]
        if all(test_holds(t, current) for t in tests):
            continue
        kind = fact_catalog()[path].kind
        choices = []
        for tier, value in _alternatives(path, tests, current, reach):
            shown = _items(path, value, dossier) if kind == "items" else (
                list(value) if isinstance(value, tuple) else value)
            summary = describe(path, current, value, tier=tier, question=rulebase.questions.get(path, path),
                               labels=rulebase.interview.labels, program_names=names,
                               determinations=reach.determinations)
            choices.append(Change(path, shown, summary, tier))
        if not choices:
            return []
        options.append(choices)
    return [tuple(combo) for combo in itertools.islice(itertools.product(*options), MAX_RESULTS)] if options else []


def changes_to_reach(dossier: Dossier, rulebase: RuleBase, program: str, as_of: dt.date,
                     target: Determination = Determination.ELIGIBLE) -> list[tuple[Change, ...]]:
    """The smallest sets of changes the program can make that make `program` eligible, checked by
    evaluation: designations it qualifies for first, then evidence (see `engine.reach`); a
    designation whose own criteria are undecided only when nothing else reaches it."""
    if target is not Determination.ELIGIBLE:
        raise ValueError("only eligibility is searched for")
    facts = dossier_facts(dossier)
    now = run_engine(dossier, rulebase, as_of=as_of, backend="reference")
    reach = Reach(rulebase.changes, facts, {p.program: p.determination for p in now.programs})
    abducer = Abducer(rulebase, facts, as_of, reach=reach)
    found: list[tuple[Change, ...]] = []
    seen: set[tuple[str, ...]] = set()
    for changes in (combo for term in abducer.eligible_terms(program)
                    for combo in _changes(term, facts, dossier, reach, rulebase)):
        if (key := tuple(c.summary for c in changes)) in seen:
            continue
        seen.add(key)
        if found and len(changes) > len(found[0]) + 1:
            break
        if _reaches(dossier, rulebase, program, as_of, changes) and _still_qualifies(dossier, rulebase, as_of, changes):
            found.append(changes)
            if len(found) >= 2 * MAX_RESULTS:
                break
    found.sort(key=lambda combo: (max(c.tier for c in combo), len(combo), _designation_rank(combo)))
    if found and max(c.tier for c in found[0]) < DESIGNATION_OPEN:
        found = [combo for combo in found if max(c.tier for c in combo) < DESIGNATION_OPEN]
    shortest = min((len(combo) for combo in found), default=0)
    return [combo for combo in found if len(combo) <= shortest + 1][:MAX_RESULTS]


def _designation_rank(combo: tuple[Change, ...]) -> int:
    """Designations in the schema's order (fast track, breakthrough, RMAT before the pilots)."""
    domain = fact_catalog()["designations[].program"].domain
    named = [item.get("program") for c in combo if c.path == "designations" for item in c.value]
    return max((domain.index(p) for p in named if p in domain), default=0)


def _still_qualifies(dossier: Dossier, rulebase: RuleBase, as_of: dt.date, changes: tuple[Change, ...]) -> bool:
    """A designation to obtain together with other changes (an IND, new evidence) is one the
    program is not refused once those other changes are made: never a designation it would fail."""
    others = [c for c in changes if c.path != "designations"]
    if not others or len(others) == len(changes):
        return True
    try:
        changed = with_changes(dossier, {c.path: REMOVE if c.value is None else c.value for c in others})
    except InputError:
        return False
    then = run_engine(changed, rulebase, as_of=as_of, backend="reference")
    named = {item["program"] for c in changes if c.path == "designations" for item in c.value
             if isinstance(item, dict) and item.get("program") in rulebase.programs}
    before = {str(getattr(d.program, "value", d.program)) for d in dossier.designations or []}
    return all(then.program(p).determination in (Determination.ELIGIBLE, Determination.UNDETERMINED)
               for p in named - before)


def _reaches(dossier: Dossier, rulebase: RuleBase, program: str, as_of: dt.date, changes: tuple[Change, ...]) -> bool:
    try:
        changed = with_changes(dossier, {c.path: REMOVE if c.value is None else c.value for c in changes})
    except InputError:
        return False
    determination = run_engine(changed, rulebase, as_of=as_of, backend="reference").program(program).determination
    return determination is Determination.ELIGIBLE


def can_become_eligible(rulebase: RuleBase, facts: Facts, program: str, as_of: dt.date,
                        fixed: tuple[str, ...] = (), forward: tuple[str, ...] = ()) -> bool:
    """Whether `program` has a way to eligibility that leaves the known `fixed` facts as they are
    and moves the `forward` ones only forward (any other fact may take any value): the interview
    asks nothing for a program that cannot be eligible at its stage or after it."""
    reach = Reach(ChangeLimits(fixed=list(fixed), forward=list(forward)), facts, {})
    return bool(Abducer(rulebase, facts, as_of, abstract=True, reach=reach).eligible_terms(program))
