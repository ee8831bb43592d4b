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

The engine's fixed limits and the handle budget are in `durable_limits`, the JSON of its facts
and conditions in `durable_conditions`; neither imports durable-rules.

Evaluations drive the engine's C functions directly (`_drain`), doing what `durable.engine`'s
Host and Ruleset do between those calls, without the Python objects that layer builds per action.
"""

from __future__ import annotations

import contextlib
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
import durable_rules_engine  # type: ignore[import-not-found]  # the C core; no stubs
from durable.engine import Host

from bgtc_rules.base.errors import EngineError
from bgtc_rules.base.memo import remember
from bgtc_rules.engine.backends.durable_conditions import encode, matched_facts, term_slots
from bgtc_rules.engine.backends.durable_limits import (
    HANDLES,
    REGISTRATION_ATTEMPTS,
    checked_network,
    throwaway_ruleset,
)
from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Firing, Inference, derived_text
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.normal_form import FactTest, terms
from bgtc_rules.language.operators import Operator
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.tree import CompiledRule

NAME = "durable-rules"
_END = "end"

# Result codes of the engine's assert functions (rules.h): the fact matched no rule, the same fact
# was already asserted, or it was queued for later (only with a queue callback, never set here).
_NOT_HANDLED, _OBSERVED, _DEFERRED = 1, 2, 3

warnings.filterwarnings("ignore", message=r"datetime\.datetime\.utcfromtimestamp",
                        category=DeprecationWarning, module=r"durable\.engine")

# The C parser rejects exponents without a fraction ("1e-05"); write them as "1.0e-05".
_EXPONENT = re.compile(r'"(?:\\.|[^"\\])*"|(?<![\d.])(-?\d+)([eE][-+]?\d+)')


_MAYBE_EXPONENT = re.compile(r"\d[eE]")


def _dumps(obj: Any, **kwargs: Any) -> str:
    text = json.dumps(obj, **kwargs)
    if not _MAYBE_EXPONENT.search(text):  # the common case: no number to rewrite
        return text
    return _EXPONENT.sub(lambda m: m.group(0) if m.group(1) is None else f"{m.group(1)}.0{m.group(2)}", text)


engine.json = types.SimpleNamespace(dumps=_dumps, loads=json.loads)


class _SyncHost(Host):  # type: ignore[misc]
    """A host without the polling threads that would run actions behind our back."""

    def _run(self) -> None:
        pass


@dataclass
class _Evaluation:
    outcomes: dict[str, bool] = field(default_factory=dict)
    firings: dict[str, tuple[int, Firing]] = field(default_factory=dict)
    concepts: dict[str, bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class _Compiled:
    """One registered ruleset: the rules in force on some set of dates."""

    def __init__(self, host: Host, name: str, rules: list[CompiledRule], contexts: dict[str, _Evaluation]) -> None:
        self.name = name
        self.contexts = contexts
        self.paths = sorted({leaf.path for rule in rules for leaf in rule.leaves()})
        concluding: dict[str, list[CompiledRule]] = {}
        for rule in rules:
            if rule.concept:
                concluding.setdefault(rule.concept, []).append(rule)
        read = {c for rule in rules for c in rule.concepts_read()}
        self.absent_concepts = sorted(read - set(concluding))
        self.definition: dict[str, Any] = {_END: {"all": [{"m": {"t": _END}}], "run": lambda c: None}}
        self.unknown_tested: set[str] = set()  # paths some term tests for being unknown
        for rule in rules:
            shared = rule.concept is not None and len(concluding[rule.concept]) > 1
            # A program rule ends the chain, yet its refutation is matched here too: the engine
            # decides every outcome it reports, true or false; what it derives neither way is unknown.
            for want in (True, False):
                for index, term in enumerate(terms(rule.when, want)):
                    self.unknown_tested.update(a.path for a in term
                                               if isinstance(a, FactTest) and a.test is Operator.UNKNOWN)
                    slots = term_slots(term)
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
        problems = checked_network(self.definition)
        if problems:  # rule loading should have refused these rules; never let the engine hang on them
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise EngineError(f"rules too large for the durable-rules engine: {'; '.join(problems[:3])}{more}")
        # Registration takes the actions out of the definition; `_drain` runs them itself.
        self.actions: dict[str, Callable[[Any], None]] = {rule: body["run"] for rule, body in self.definition.items()}
        self.handle = 0  # the C core's ruleset handle, set by the backend once registered
        HANDLES.register(host, name, self.definition)

    def _action(self, rule: CompiledRule, want: bool, term: int, names: list[str],
                shared: bool) -> Callable[[Any], None]:
        contexts = self.contexts
        derived = derived_text(rule.concept, rule.program, rule.outcome)
        if rule.concept and (want or not shared):
            derive: dict[str, Any] | None = {"t": "c", "n": rule.concept, "v": want}
        elif rule.concept:
            derive = {"t": "r", "i": rule.index, "v": False}
        else:
            derive = None
        # The derived fact's text after its session id, written once (the id is all that varies).
        derive_rest = _dumps(derive, ensure_ascii=False)[1:] if derive else ""

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
                    evaluation.firings[rule.id] = (term, Firing(rule.id, matched_facts(c, names), derived))
                if derive is not None:
                    if derive["t"] == "c":
                        evaluation.concepts[rule.concept] = want  # type: ignore[index]
                    c.assert_text(derive_rest)
            except Exception as exc:  # the engine would swallow it and carry on
                evaluation.errors.append(f"{rule.id}: {exc!r}")
        return run

    def _refute(self, concept: str) -> Callable[[Any], None]:
        contexts = self.contexts
        refutation = _dumps({"t": "c", "n": concept, "v": False}, ensure_ascii=False)[1:]

        def run(c: Any) -> None:
            evaluation = contexts[c.s.sid]
            try:
                evaluation.concepts[concept] = False
                c.assert_text(refutation)
            except Exception as exc:
                evaluation.errors.append(f"refute {concept}: {exc!r}")
        return run


class _Closure:
    """What an action is given, in place of `durable.engine.Closure`: the session id as `c.s.sid`,
    the facts matched by each slot as `c.<slot name>` (plain dicts), and `c.assert_text`, which
    asserts into the running session like the engine's `c.assert_fact` (straight to the C core, its
    activations left for the driver to run after the action) but takes the fact's JSON text, written
    once per action, and returns the result code instead of raising for a fact no rule reads or one
    already asserted.

    The engine's message naming the matched facts is parsed only when an action reads a slot: most
    actions (refutations, a rule already fired by an earlier term) read none."""

    __slots__ = ("_handle", "_m", "_message", "s", "sid")

    def __init__(self, handle: int, sid: str) -> None:
        self._handle = handle
        self._m: dict[str, Any] | None = None
        self._message = ""
        self.s = self  # `c.s.sid`
        self.sid = sid

    def matched(self, message: str) -> None:
        """The engine's message for the action about to run: `{"<action>": {"<slot>": fact, ...}}`."""
        self._message = message
        self._m = None

    def __getattr__(self, name: str) -> Any:  # only reached for names that are not slots above
        if self._m is None:
            self._m = next(iter(json.loads(self._message).values()))
        try:
            return self._m[name]
        except KeyError:
            raise AttributeError(name) from None

    def assert_text(self, rest: str) -> int:
        """Assert a fact given as its JSON text after the opening brace, without a session id.

        Neither result code is an error: _OBSERVED, already derived by another match; _NOT_HANDLED,
        no rule reads it (the trace keeps it). The activations it makes run after this action."""
        code, _ = durable_rules_engine.assert_fact(self._handle, f'{{"sid":"{self.sid}",{rest}')
        return int(code)


def _drain(compiled: _Compiled, c: _Closure, state: int) -> None:
    """Run the session's pending activations one by one, as `Ruleset.do_actions` and `_flush_actions`
    do for a synchronous action: start one, run it, write the session state back, complete it
    and start the next, until none is left. The actions catch their own errors; anything else
    escaping one is recorded as an error of the evaluation rather than swallowed as the engine
    would. On a failure of the engine, or an interrupt, the running action is abandoned (as the
    engine does) and the error raised; the caller deletes the session in any case."""
    handle = compiled.handle
    started = durable_rules_engine.start_action_for_state(handle, state)
    if not started:
        return
    # Unlike the engine's Host, the session's state fact is not sent back after each action
    # (`update_state`): no action changes it and no rule matches it, so the engine would only
    # retract it and assert it again, unchanged.
    text: str | None = started[1]
    actions, contexts = compiled.actions, compiled.contexts
    while text:
        # One action per message, as the engine takes it: `{"<action name>": {...}}`. The names
        # are this module's own (`_Compiled`), never holding a quote or an escape.
        name = text[2:text.index('"', 2)]
        c.matched(text)
        try:
            try:
                actions[name](c)
            except Exception as exc:
                contexts[c.sid].errors.append(f"{name}: {exc!r}")
            text = durable_rules_engine.complete_and_start_action(handle, state)
        except BaseException:
            durable_rules_engine.abandon_action(handle, state)
            raise


def _word(value: Truth) -> str:
    return {True: "true", False: "false", None: "unknown"}[value]


class DurableBackend:
    """Runs a `RuleBase` on durable-rules; safe to share between threads."""

    name = NAME

    def __init__(self, rulebase: RuleBase) -> None:
        self._rulebase = rulebase
        self._host = _SyncHost()  # registers the rulesets; evaluations call the C core directly
        self._lock = threading.Lock()
        self._sessions = itertools.count()
        self._names = itertools.count()
        self._contexts: dict[str, _Evaluation] = {}
        self._compiled: dict[tuple[int, ...], _Compiled] = {}
        self._refused: dict[tuple[int, ...], str] = {}
        self._keys: dict[dt.date, tuple[int, ...]] = {}  # date -> the rules in force (a ruleset's key)

    def _register(self, rules: list[CompiledRule]) -> _Compiled:
        """Register the rules, trying again after a refusal with the C core's bare code.

        The core now and then refuses (`error code: 102`) a ruleset it accepts in a fresh process,
        and again when it is sent straight after: seen in about one full test-suite run in four,
        never alone, so it depends on what the parser's memory held, not on the rules. Before each
        new attempt a `throwaway_ruleset` changes that memory. A definition the engine really
        cannot take fails every attempt, and is then remembered as refused."""
        for attempt in range(1, REGISTRATION_ATTEMPTS):
            try:
                return _Compiled(self._host, f"rules{next(self._names)}", rules, self._contexts)
            except EngineError:
                raise
            except Exception:  # the engine's own error, a bare code; only a change of its memory is wanted
                with contextlib.suppress(Exception):
                    HANDLES.register(self._host, f"unsettle{next(self._names)}", throwaway_ruleset(attempt))
        return _Compiled(self._host, f"rules{next(self._names)}", rules, self._contexts)  # the last attempt

    def _ruleset(self, as_of: dt.date) -> _Compiled:
        key = self._keys.get(as_of)
        if key is None:
            in_force = self._rulebase.valuation.in_force(as_of)
            key = remember(self._keys, as_of, tuple(
                rule.index for rule, held in zip(self._rulebase.rules, in_force, strict=True) if held), 64)
        compiled = self._compiled.get(key)
        if compiled is None:
            if key in self._refused:  # a second attempt would fail again, and leak another handle
                raise EngineError(self._refused[key])
            rules = [self._rulebase.rules[i] for i in key]
            try:
                compiled = self._register(rules)
            except EngineError as exc:
                self._refused[key] = str(exc)
                raise
            except Exception as exc:  # the engine's own error: a bare code
                self._refused[key] = f"durable-rules refused the rules: {type(exc).__name__}: {exc}"
                raise EngineError(self._refused[key]) from None
            compiled.handle = self._host.get_ruleset(compiled.name)._handle  # what `durable.engine.Ruleset` calls
            self._compiled[key] = compiled
        return compiled

    def _facts(self, compiled: _Compiled, facts: Facts, sid: str) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        for path in compiled.paths:
            value = facts[path]
            if value is None:
                # Only an `unknown` test matches a fact whose status is unknown (no rule matches
                # on the absence of a fact): asserting it for any other path would do nothing.
                if path in compiled.unknown_tested:
                    batch.append({"sid": sid, "t": "f", "p": path, "k": 0})
            else:
                fact = {"sid": sid, "t": "f", "p": path, "k": 1, "v": encode(value)}
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
        return self._result(evaluation, as_of, facts)

    def _run_session(self, compiled: _Compiled, batch: list[dict[str, Any]], sid: str) -> None:
        handle = compiled.handle
        c = _Closure(handle, sid)
        try:
            try:
                if batch:  # asserting an empty batch crashes the engine
                    code, state = durable_rules_engine.assert_facts(handle, _dumps(batch, ensure_ascii=False))
                    # Like the engine's Host: when some fact matched no rule or was a duplicate, nothing
                    # runs now (the end marker runs what matched); otherwise the activations run here.
                    if code not in (_NOT_HANDLED, _OBSERVED):
                        _drain(compiled, c, 0 if code == _DEFERRED else state)
            finally:
                # Runs pending activations, and makes sure an action ran before the state is deleted.
                end = _dumps({"sid": sid, "t": _END}, ensure_ascii=False)
                code, state = durable_rules_engine.assert_fact(handle, end)
                if code not in (_NOT_HANDLED, _OBSERVED):
                    _drain(compiled, c, 0 if code == _DEFERRED else state)
        finally:
            durable_rules_engine.delete_state(handle, sid)

    def _result(self, evaluation: _Evaluation, as_of: dt.date, facts: Facts) -> Inference:
        outcomes: dict[str, Truth] = {}
        concepts: dict[str, Truth] = {}
        in_force = self._rulebase.valuation.in_force(as_of)
        for rule, held in zip(self._rulebase.rules, in_force, strict=True):
            outcomes[rule.id] = evaluation.outcomes.get(rule.id) if held else False
            if rule.concept:
                concepts[rule.concept] = evaluation.concepts.get(rule.concept, concepts.get(rule.concept))
        for concept in concepts:
            if concept not in evaluation.concepts and all(
                outcomes[r.id] is False for r in self._rulebase.concepts[concept]
            ):
                concepts[concept] = False
        # The valuation gives the explanations their node values; it never fills in an outcome. A
        # program rule's outcome that disagrees with it is the engine's fault or the evaluator's,
        # and is reported, not papered over.
        valuation = self._rulebase.valuation.evaluate(facts, as_of, concepts)
        for rule, held in zip(self._rulebase.rules, in_force, strict=True):
            if held and rule.program and outcomes[rule.id] is not valuation[rule.when]:
                raise EngineError(f"{rule.id}: the engine derived {_word(outcomes[rule.id])}, "
                                  f"the rule's conditions give {_word(valuation[rule.when])}")
        firings = tuple(evaluation.firings[r.id][1] for r in self._rulebase.rules if r.id in evaluation.firings)
        return Inference(NAME, as_of, outcomes, concepts, firings, valuation)
