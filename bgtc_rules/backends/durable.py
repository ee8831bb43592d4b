"""The Rete backend on durable-rules. The only module that imports `durable`.

Every rule becomes "true terms" and "false terms" (see `normal_form`), each one durable rule
whose action records the firing and asserts what it derived: a concept value, or, for a
concept concluded by several rules, the rule's refutation, which a join turns into the
concept's refutation once every such rule is refuted. Unknown is what neither derives.

The engine's sharp edges are kept inside this module (see shared/notes/durable-rules.md):
a host without timer threads; one session per evaluation, always deleted after an end
marker has run an action; action errors caught here, not swallowed by the engine; numbers
written so the C parser accepts them; one lock, since the engine takes none. Effective
dates select the rules *before* matching: a ruleset is registered per set of rules in force.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import threading
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import durable.engine as engine
from durable.engine import Host, MessageNotHandledException, MessageObservedException

from ..catalog import fact_catalog
from ..errors import EngineError
from ..facts import Facts, FactValue
from ..inference import Firing, Inference, derived_text
from ..leaves import LeafValue, Truth
from ..normal_form import ConceptTest, FactTest, Term, terms
from ..rulebase import RuleBase
from ..ruletree import CompiledRule

NAME = "durable-rules"
_END = "end"

warnings.filterwarnings("ignore", message=r"datetime\.datetime\.utcfromtimestamp",
                        category=DeprecationWarning, module=r"durable\.engine")

# The C parser rejects exponents without a fraction ("1e-05"); write them as "1.0e-05".
_EXPONENT = re.compile(r'"(?:\\.|[^"\\])*"|(?<![\d.])(-?\d+)([eE][-+]?\d+)')


def _dumps(obj: Any, **kwargs: Any) -> str:
    text = json.dumps(obj, **kwargs)
    return _EXPONENT.sub(lambda m: m.group(0) if m.group(1) is None else f"{m.group(1)}.0{m.group(2)}", text)


engine.json = types.SimpleNamespace(dumps=_dumps, loads=json.loads)


class _SyncHost(Host):  # type: ignore[misc]
    """A host without the polling threads that would run actions behind our back."""

    def _run(self) -> None:
        pass


def _encode(value: LeafValue | FactValue) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _fact_test(test: FactTest) -> list[dict[str, Any]]:
    """durable-rules conditions for one test, after the `t`/`p` discriminators."""
    value = _encode(test.value)
    simple = {"eq": "$eq", "ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}
    match test.test:
        case "known":
            return [{"k": 1}]
        case "unknown":
            return [{"k": 0}]
        case "empty":
            return [{"k": 1}, {"n": 0}]
        case "in":
            return [{"k": 1}, {"$or": [{"v": v} for v in value]}]
        case "not_in":
            return [{"k": 1}, {"$and": [{"$neq": {"v": v}} for v in value]}]
        case "contains":
            return [{"k": 1}, {"$iany": {"v": {"$or": [{"$i": v} for v in value]}}}]
        case "contains_none":
            return [{"k": 1}, {"$iall": {"v": {"$and": [{"$neq": {"$i": v}} for v in value]}}}]
        case name if name in simple:
            return [{"k": 1}, {simple[name]: {"v": value}}]
    raise ValueError(f"unknown test {test.test!r}")


def _slots(term: Term) -> dict[str, dict[str, Any]]:
    """One named slot per fact or concept the term joins (durable fact names m0, m1, ...)."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for atom in term:
        if isinstance(atom, ConceptTest):
            grouped.setdefault(("c", atom.concept), [{"t": "c"}, {"n": atom.concept}]).append({"v": atom.value})
        else:
            grouped.setdefault(("f", atom.path), [{"t": "f"}, {"p": atom.path}]).extend(_fact_test(atom))
    return {f"m{i}": {"$and": conditions} for i, conditions in enumerate(grouped.values())}


@dataclass
class _Evaluation:
    outcomes: dict[str, bool] = field(default_factory=dict)
    firings: dict[str, tuple[int, Firing]] = field(default_factory=dict)
    concepts: dict[str, bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _matched(c: Any, names: list[str]) -> tuple[tuple[str, Any], ...]:
    kinds = fact_catalog()
    found: list[tuple[str, Any]] = []
    for name in names:
        fact = dict(getattr(c, name).items())  # the engine's wrapper maps attributes to properties
        if fact["t"] == "c":
            found.append((f"concept:{fact['n']}", fact["v"]))
            continue
        value = fact.get("v")
        kind = kinds[fact["p"]].kind
        if kind == "date" and value is not None:
            value = dt.date.fromordinal(value)
        elif isinstance(value, list):
            value = tuple(value)
        found.append((fact["p"], value))
    return tuple(found)


class _Compiled:
    """One registered ruleset: the rules in force on some set of dates."""

    def __init__(self, host: Host, name: str, rules: list[CompiledRule], contexts: dict[str, _Evaluation]) -> None:
        self.name = name
        self._contexts = contexts
        self.paths = sorted({leaf.path for rule in rules for leaf in rule.leaves()})
        concluding: dict[str, list[CompiledRule]] = {}
        for rule in rules:
            if rule.concept:
                concluding.setdefault(rule.concept, []).append(rule)
        read = {c for rule in rules for c in rule.concepts_read()}
        self.absent_concepts = sorted(read - set(concluding))
        self.definition: dict[str, Any] = {_END: {"all": [{"m": {"t": _END}}], "run": lambda c: None}}
        for rule in rules:
            shared = rule.concept is not None and len(concluding[rule.concept]) > 1
            for want in (True, False):
                for index, term in enumerate(terms(rule.when, want)):
                    slots = _slots(term)
                    self.definition[f"{rule.index}{'T' if want else 'F'}{index}"] = {
                        "all": [{name: cond} for name, cond in slots.items()],
                        "run": self._action(rule, want, index, list(slots), shared),
                    }
        for concept, group in concluding.items():
            if len(group) > 1:
                self.definition[f"refute:{concept}"] = {
                    "all": [{f"m{i}": {"$and": [{"t": "r"}, {"i": r.index}, {"v": False}]}}
                            for i, r in enumerate(group)],
                    "run": self._refute(concept),
                }
        host.set_rulesets({name: self.definition})

    def _action(self, rule: CompiledRule, want: bool, term: int, names: list[str],
                shared: bool) -> Callable[[Any], None]:
        contexts = self._contexts
        derived = derived_text(rule.concept, rule.program, rule.outcome)
        if rule.concept and (want or not shared):
            derive: dict[str, Any] | None = {"t": "c", "n": rule.concept, "v": want}
        elif rule.concept:
            derive = {"t": "r", "i": rule.index, "v": False}
        else:
            derive = None

        def run(c: Any) -> None:  # one positional parameter: a synchronous action
            evaluation = contexts[c.s.sid]
            try:
                previous = evaluation.outcomes.setdefault(rule.id, want)
                if previous != want:
                    evaluation.errors.append(f"{rule.id} derived both true and false")
                    return
                # Of several matching terms, report the first in normal-form order, as the
                # reference evaluator does, so that both backends give the same trace.
                if want and term < evaluation.firings.get(rule.id, (term + 1,))[0]:
                    evaluation.firings[rule.id] = (term, Firing(rule.id, _matched(c, names), derived))
                if derive is not None:
                    if derive["t"] == "c":
                        evaluation.concepts[rule.concept] = want  # type: ignore[index]
                    _assert_quietly(c, derive)
            except Exception as exc:  # the engine would swallow it and carry on
                evaluation.errors.append(f"{rule.id}: {exc!r}")
        return run

    def _refute(self, concept: str) -> Callable[[Any], None]:
        contexts = self._contexts

        def run(c: Any) -> None:
            evaluation = contexts[c.s.sid]
            try:
                evaluation.concepts[concept] = False
                _assert_quietly(c, {"t": "c", "n": concept, "v": False})
            except Exception as exc:
                evaluation.errors.append(f"refute {concept}: {exc!r}")
        return run


def _assert_quietly(c: Any, fact: dict[str, Any]) -> None:
    try:
        c.assert_fact(dict(fact))  # a copy: the engine writes the session id into the dict it is given
    except MessageObservedException:
        pass  # already derived by another match
    except MessageNotHandledException:
        pass  # no rule reads it; the trace keeps it


class DurableBackend:
    """Runs a `RuleBase` on durable-rules; safe to share between threads."""

    name = NAME

    def __init__(self, rulebase: RuleBase) -> None:
        self._rulebase = rulebase
        self._host = _SyncHost()
        self._lock = threading.Lock()
        self._sessions = itertools.count()
        self._contexts: dict[str, _Evaluation] = {}
        self._compiled: dict[tuple[int, ...], _Compiled] = {}

    def _ruleset(self, as_of: dt.date) -> _Compiled:
        key = tuple(rule.index for rule in self._rulebase.rules if rule.in_force.holds(as_of))
        compiled = self._compiled.get(key)
        if compiled is None:
            rules = [self._rulebase.rules[i] for i in key]
            compiled = _Compiled(self._host, f"rules{len(self._compiled)}", rules, self._contexts)
            self._compiled[key] = compiled
        return compiled

    def _facts(self, compiled: _Compiled, facts: Facts, sid: str) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        for path in compiled.paths:
            value = facts[path]
            if value is None:
                batch.append({"sid": sid, "t": "f", "p": path, "k": 0})
            else:
                fact = {"sid": sid, "t": "f", "p": path, "k": 1, "v": _encode(value)}
                if isinstance(value, tuple):
                    fact["n"] = len(value)
                batch.append(fact)
        batch.extend({"sid": sid, "t": "c", "n": c, "v": False} for c in compiled.absent_concepts)
        return batch

    def infer(self, facts: Facts, as_of: dt.date) -> Inference:
        with self._lock:
            compiled = self._ruleset(as_of)
            sid = f"e{next(self._sessions)}"
            evaluation = self._contexts[sid] = _Evaluation()
            try:
                self._run_session(compiled, self._facts(compiled, facts, sid), sid)
            finally:
                self._contexts.pop(sid, None)
        if evaluation.errors:
            raise EngineError("; ".join(evaluation.errors))
        return self._result(evaluation, as_of)

    def _run_session(self, compiled: _Compiled, batch: list[dict[str, Any]], sid: str) -> None:
        try:
            try:
                if batch:  # asserting an empty batch crashes the engine
                    self._host.assert_facts(compiled.name, batch)
            except (MessageNotHandledException, MessageObservedException):
                pass  # facts no rule reads; the end marker still runs what matched
            finally:
                # Runs pending activations, and makes sure an action ran before the state is deleted.
                self._host.assert_fact(compiled.name, {"sid": sid, "t": _END})
        finally:
            self._host.delete_state(compiled.name, sid)

    def _result(self, evaluation: _Evaluation, as_of: dt.date) -> Inference:
        outcomes: dict[str, Truth] = {}
        concepts: dict[str, Truth] = {}
        for rule in self._rulebase.rules:
            outcomes[rule.id] = evaluation.outcomes.get(rule.id) if rule.in_force.holds(as_of) else False
            if rule.concept:
                concepts[rule.concept] = evaluation.concepts.get(rule.concept, concepts.get(rule.concept))
        for concept in concepts:
            if concept not in evaluation.concepts and all(
                outcomes[r.id] is False for r in self._rulebase.concepts[concept]
            ):
                concepts[concept] = False
        firings = tuple(evaluation.firings[r.id][1] for r in self._rulebase.rules if r.id in evaluation.firings)
        return Inference(NAME, as_of, outcomes, concepts, firings)
