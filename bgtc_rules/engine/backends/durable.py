"""The Rete backend on durable-rules. The only module that imports `durable`.

Every rule becomes "true terms" and "false terms" (see `normal_form`), each one durable rule
whose action records the firing and asserts what it derived: a concept value, or, for a
concept concluded by several rules, the rule's refutation, which a join turns into the
concept's refutation once every such rule is refuted. Unknown is what neither derives.

Dossiers are evaluated in batches: one engine session holds up to `SESSION_SIZE` dossiers, each
given as one fact per dossier section and numbered within the session (`durable_sections`), and
every rule joins its facts on that number. A rule's matches come to its action together (`cap`),
one action per rule and wave of matches instead of one per match, and what they derive goes back
to the engine in one call. The engine still decides every match and every derivation. One dossier
is a batch of one: `infer` and `infer_many` take the same path.

The engine's sharp edges are kept inside this module (see shared/notes/durable-rules.md):
a host without timer threads; every session deleted after an end marker has run an action;
action errors caught here, not swallowed by the engine; numbers written so the C parser accepts
them; one lock, since the engine takes none. Effective dates select the rules *before*
matching: a ruleset is registered per set of rules in force.

The engine's fixed limits and the handle budget are in `durable_limits`, the JSON of its facts
and conditions in `durable_conditions` and `durable_sections`; none of them imports durable-rules.

Evaluations drive the engine's C functions directly (`_drain`), doing what `durable.engine`'s
Host and Ruleset do between those calls, without the Python objects that layer builds per action.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import threading
import types
import warnings
from collections.abc import Sequence

import durable.engine as engine
import durable_rules_engine  # type: ignore[import-not-found]  # the C core; no stubs
from durable.engine import Host

from bgtc_rules.base.errors import EngineError
from bgtc_rules.base.memo import remember
from bgtc_rules.engine.backends.durable_limits import HANDLES, REGISTRATION_ATTEMPTS, throwaway_ruleset
from bgtc_rules.engine.backends.durable_ruleset import (
    END,
    SESSION_SIZE,
    CompiledRuleset,
    Evaluation,
    Session,
    dumps,
    facts_json,
    match_dossiers,
)
from bgtc_rules.engine.backends.durable_sections import DOSSIER
from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Inference
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.tree import CompiledRule
from bgtc_rules.language.truth import truth_word

NAME = "durable-rules"

# Result codes of the engine's assert functions (rules.h): the fact matched no rule, the same fact
# was already asserted, or it was queued for later (only with a queue callback, never set here).
_NOT_HANDLED, _OBSERVED, _DEFERRED = 1, 2, 3


def _prepare_engine() -> None:
    """Done when a ruleset is registered (the first time only: then it finds the engine prepared),
    not at import: importing this module only tells whether durable-rules is there
    (`backends.durable_available`), and a process that never uses the backend keeps the engine's
    module as it is. The engine writes a ruleset's JSON with `durable.engine.json`, so its numbers
    go through `dumps`; its actions would warn twice each about `utcfromtimestamp` on Python >= 3.12
    (this module runs them itself, but a host's own actions would)."""
    if getattr(engine.json, "dumps", None) is dumps:
        return
    warnings.filterwarnings("ignore", message=r"datetime\.datetime\.utcfromtimestamp",
                            category=DeprecationWarning, module=r"durable\.engine")
    engine.json = types.SimpleNamespace(dumps=dumps, loads=json.loads)


class _SyncHost(Host):  # type: ignore[misc]
    """A host without the polling threads that would run actions behind our back."""

    def _run(self) -> None:
        pass


def _drain(compiled: CompiledRuleset, session: Session, state: int, only: tuple[int] | None) -> None:
    """Run the session's pending activations, and then what they derived, until nothing is left.

    One wave: the activations run one by one, as `Ruleset.do_actions` and `_flush_actions` do for
    a synchronous action (start one, run it, complete it and start the next). An action's matches
    come together (`cap`); what the wave derived goes to the engine after it, in one call, as one
    fact per dossier and group of values (`Derived`), and the activations it makes are the next
    wave. The actions catch each dossier's errors themselves; anything else failing makes the
    whole session's failure. On a failure of the engine, or an interrupt, the running action is
    abandoned (as the engine does) and the error raised; the caller deletes the session in any case.
    `only`: the dossier of every match, when the session is given one dossier at a time."""
    handle = compiled.handle
    while True:
        _run_actions(compiled, session, state, only)
        derived = session.take_derived()
        if not derived or session.failure:
            return
        code, state = durable_rules_engine.assert_facts(handle, derived)
        if code in (_NOT_HANDLED, _OBSERVED):
            # Every derived value is read by some rule, and distinct facts differ: the engine took two
            # facts for one (their ids hash to 32 bits), or dropped one. The end marker runs what is left.
            session.failure = ("the engine took two different derived facts for one" if code == _OBSERVED
                               else "the engine matched a derived fact with no rule")
            return
        if code == _DEFERRED:
            state = 0


def _run_actions(compiled: CompiledRuleset, session: Session, state: int, only: tuple[int] | None) -> None:
    handle = compiled.handle
    started = durable_rules_engine.start_action_for_state(handle, state)
    if not started:
        return
    # Unlike the engine's Host, the session's state fact is not sent back after each action
    # (`update_state`): no action changes it and no rule matches it, so the engine would only
    # retract it and assert it again, unchanged.
    text: str | None = started[1]
    actions, dossiers = compiled.actions, len(session.evaluations)
    while text:
        # One action per message, as the engine takes it: `{"<action name>": [{...}, ...]}`. The
        # names are this module's own (`CompiledRuleset`), never holding a quote or an escape.
        name = text[2:text.index('"', 2)]
        try:
            action = actions.get(name)  # the end marker and the input facts' holders do nothing
            if action is not None:
                try:
                    action(session, only or match_dossiers(text, dossiers))
                except Exception as exc:
                    session.failure = session.failure or f"{name}: {exc!r}"
            text = durable_rules_engine.complete_and_start_action(handle, state)
        except BaseException:
            durable_rules_engine.abandon_action(handle, state)
            raise


class DurableBackend:
    """Runs a `RuleBase` on durable-rules; safe to share between threads."""

    name = NAME

    def __init__(self, rulebase: RuleBase, session_size: int = SESSION_SIZE, reuse_sessions: bool = True) -> None:
        """`session_size`: dossiers given to the engine together (`infer_many`). `reuse_sessions`:
        whether a session is kept open for the next call's dossiers (`_session`); without, every
        call has a session of its own."""
        self._rulebase = rulebase
        self._session_size = max(1, session_size)
        self._reuse = reuse_sessions
        self._capacity = max(self._session_size, SESSION_SIZE)  # dossiers one session is given at most
        # The one session kept open for the next call, and its ruleset's handle (one only: a session
        # holds up to `capacity` dossiers' facts, about 10 MB at 50).
        self._open: tuple[int, Session] | None = None
        self._host = _SyncHost()  # registers the rulesets; evaluations call the C core directly
        self._lock = threading.Lock()
        self._sessions = itertools.count()
        self._names = itertools.count()
        self._compiled: dict[tuple[int, ...], CompiledRuleset] = {}
        self._refused: dict[tuple[int, ...], str] = {}
        self._keys: dict[dt.date, tuple[int, ...]] = {}  # date -> the rules in force (a ruleset's key)
        self._plans: dict[dt.date, _ResultPlan] = {}

    def _register(self, rules: list[CompiledRule]) -> CompiledRuleset:
        """Register the rules, trying again after a refusal with the C core's bare code.

        The core now and then refuses (`error code: 102`) a ruleset it accepts in a fresh process,
        and again when it is sent straight after: seen in about one full test-suite run in four,
        never alone, so it depends on what the parser's memory held, not on the rules. Before each
        new attempt a `throwaway_ruleset` changes that memory. A definition the engine really
        cannot take fails every attempt, and is then remembered as refused."""
        _prepare_engine()
        for attempt in range(1, REGISTRATION_ATTEMPTS):
            try:
                return CompiledRuleset(self._host, f"rules{next(self._names)}", rules)
            except EngineError:
                raise
            except Exception:  # the engine's own error, a bare code; only a change of its memory is wanted
                with contextlib.suppress(Exception):
                    HANDLES.register(self._host, f"unsettle{next(self._names)}", throwaway_ruleset(attempt))
        return CompiledRuleset(self._host, f"rules{next(self._names)}", rules)  # the last attempt

    def _ruleset(self, as_of: dt.date) -> CompiledRuleset:
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

    def infer(self, facts: Facts, as_of: dt.date) -> Inference:
        (result,) = self.infer_many([facts], as_of)
        if isinstance(result, EngineError):
            raise result
        return result

    def infer_many(self, items: Sequence[Facts], as_of: dt.date) -> list[Inference | EngineError]:
        """Every dossier's inference, or the engine's failure on that dossier, in order.

        Dossiers are evaluated `session_size` at a time in one session. A dossier whose actions
        failed gets its own error; the others of its session are unaffected (each action reads
        and derives per dossier). When the session as a whole failed (the engine raised, or took
        two facts for one), every dossier of it is evaluated again alone, so that one dossier
        cannot cost the others their answers (a lone dossier too when sessions are kept: the
        session held earlier calls' facts); a dossier that fails alone gets the error."""
        with self._lock:
            compiled = self._ruleset(as_of)
        results: list[Inference | EngineError] = []
        for start in range(0, len(items), self._session_size):
            chunk = items[start:start + self._session_size]
            evaluations = self._session(compiled, chunk, self._reuse)
            if isinstance(evaluations, str):
                evaluations = [self._alone(compiled, facts) for facts in chunk] if len(chunk) > 1 or self._reuse else [
                    Evaluation(errors=[evaluations])]
            results.extend(self._result(evaluation, as_of, facts)
                           for evaluation, facts in zip(evaluations, chunk, strict=True))
        return results

    def _alone(self, compiled: CompiledRuleset, facts: Facts) -> Evaluation:
        evaluations = self._session(compiled, [facts], reuse=False)
        return Evaluation(errors=[evaluations]) if isinstance(evaluations, str) else evaluations[0]

    def _session(self, compiled: CompiledRuleset, items: Sequence[Facts], reuse: bool = True) -> list[Evaluation] | str:
        """Evaluate the dossiers in one session: their evaluations, or why the session failed.

        With `reuse`, the dossiers go to the session kept open by the last call when it is of the
        same ruleset and has room for them, after the dossiers of earlier calls, numbered on, and
        the session is kept open for the next call until it holds `capacity` dossiers. Creating a
        session and deleting it is most of the engine's work for one dossier (its C core builds and
        frees a table per rule and join), and a session of several dossiers gives each the answer
        it gets alone: every rule joins its facts on the dossier's number, and each dossier's
        activations have all run when its call returns (`tests/test_durable_batches.py`). A session
        in which anything failed (the engine, an action, an interrupt) is deleted, never given more
        dossiers."""
        handle = compiled.handle
        with self._lock:
            session = None
            if reuse and self._open is not None:
                (kept, session), self._open = self._open, None
                if kept != handle or len(session.evaluations) + len(items) > self._capacity:
                    self._delete(kept, session.sid)  # another ruleset's (another date's), or full
                    session = None
            if session is None:
                session = Session(f"s{next(self._sessions)}", [])
            sid, first = session.sid, len(session.evaluations)
            session.evaluations.extend(Evaluation() for _ in items)
            session.items.extend(items)
            # In a call of one dossier every match is that dossier's: the engine's messages are not read.
            only = (first,) if len(items) == 1 else None
            try:
                try:
                    facts = compiled.session_facts(items, sid, first)
                    if facts:  # asserting an empty batch crashes the engine
                        code, state = durable_rules_engine.assert_facts(handle, facts_json(facts))
                        if code == _OBSERVED:
                            session.failure = "the engine took two different facts of the dossiers for one"
                        # Like the engine's Host: when some fact matched no rule or was a duplicate, nothing
                        # runs now (the end marker runs what matched); otherwise the activations run here.
                        if code not in (_NOT_HANDLED, _OBSERVED):
                            _drain(compiled, session, 0 if code == _DEFERRED else state, only)
                finally:
                    # Runs pending activations, and makes sure an action ran before the state is deleted.
                    # Numbered, unlike the session's earlier end markers: never "already observed".
                    code, state = durable_rules_engine.assert_fact(
                        handle, f'{{"sid":"{sid}","t":"{END}","{DOSSIER}":{first}}}')
                    if code not in (_NOT_HANDLED, _OBSERVED):
                        _drain(compiled, session, 0 if code == _DEFERRED else state, only)
            except Exception as exc:  # the engine's own failure
                session.failure = session.failure or f"durable-rules failed: {type(exc).__name__}: {exc}"
            except BaseException:  # an interrupt goes on up, and the session with it
                self._delete(handle, sid)
                raise
            given = session.evaluations[first:]
            if reuse and not session.failure and not any(e.errors for e in given) and (
                    len(session.evaluations) < self._capacity):
                self._open = (handle, session)
            else:
                self._delete(handle, sid)
        return session.failure or given

    def _delete(self, handle: int, sid: str) -> None:
        durable_rules_engine.delete_state(handle, sid)

    def _result(self, evaluation: Evaluation, as_of: dt.date, facts: Facts) -> Inference | EngineError:
        if evaluation.errors:
            return EngineError("; ".join(evaluation.errors))
        plan = self._plans.get(as_of) or remember(self._plans, as_of, _ResultPlan(self._rulebase, as_of), 64)
        # A rule not in force is false; one in force is what the engine derived, or unknown. The
        # engine's ruleset holds only the rules in force, so it derives nothing for the others.
        outcomes: dict[str, Truth] = plan.outcomes.copy()
        outcomes.update(evaluation.outcomes)
        found = evaluation.concepts
        concepts: dict[str, Truth] = {concept: found.get(concept) for concept in plan.concepts}
        for concept, concluding in plan.concluding:  # refuted when every rule concluding it is false
            if concept not in found and all(outcomes[rule_id] is False for rule_id in concluding):
                concepts[concept] = False
        # The valuation gives the explanations their node values; it never fills in an outcome. A
        # program rule's outcome that disagrees with it is the engine's fault or the evaluator's,
        # and is reported, not papered over.
        valuation = self._rulebase.valuation.evaluate(facts, as_of, concepts)
        values = valuation.values
        for rule_id, slot in plan.checked:
            if outcomes[rule_id] is not values[slot]:
                return EngineError(f"{rule_id}: the engine derived {truth_word(outcomes[rule_id])}, "
                                   f"the rule's conditions give {truth_word(values[slot])}")
        fired = evaluation.firings
        firings = tuple(fired[rule_id][1] for rule_id in sorted(fired, key=plan.order.__getitem__))
        return Inference(NAME, as_of, outcomes, concepts, firings, valuation)


class _ResultPlan:
    """What `DurableBackend._result` reads of the rule base on one date, looked up once: every
    rule's outcome before the engine's (unknown, or false when not in force), concepts in the
    order rules conclude them, the rules concluding each, the program rules in force (whose
    outcomes are checked against the valuation, with their conditions' slots in it), and each
    rule's position."""

    def __init__(self, rulebase: RuleBase, as_of: dt.date) -> None:
        in_force = rulebase.valuation.in_force(as_of)
        self.outcomes: dict[str, Truth] = {rule.id: None if held else False
                                           for rule, held in zip(rulebase.rules, in_force, strict=True)}
        self.concepts = list(dict.fromkeys(rule.concept for rule in rulebase.rules if rule.concept))
        self.concluding = [(concept, [rule.id for rule in rulebase.concepts[concept]]) for concept in self.concepts]
        slots = rulebase.valuation.slots  # the valuation's slot of each node, by the node's id
        self.checked = [(rule.id, slots[id(rule.when)]) for rule, held in zip(rulebase.rules, in_force, strict=True)
                        if held and rule.program]
        self.order = {rule.id: index for index, rule in enumerate(rulebase.rules)}
