"""The ruleset a batched durable-rules session runs: one engine rule per term of every rule (see
`normal_form`), the actions that record each dossier's matches, and the JSON of a session's input
facts. Plain data and Python: this module imports nothing of durable-rules (`durable` runs it).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.base.errors import EngineError
from bgtc_rules.engine.backends.durable_limits import HANDLES, MAX_EXPRESSIONS, checked_network, expression_slots
from bgtc_rules.engine.backends.durable_sections import (
    DOSSIER,
    FIRST,
    JOIN,
    Derived,
    Layout,
    Place,
    Source,
    join_order_problems,
)
from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Firing, derived_text
from bgtc_rules.language.normal_form import ConceptTest, FactTest, Term, terms
from bgtc_rules.language.tree import CompiledRule

END = "end"
HELD = "held:"  # the rules holding every input fact of one section (see `CompiledRuleset`)
REFUTE = "refute:"  # the rule refuting a concept once every rule concluding it is refuted
NEVER = "never"  # a type no fact has: a held fact waits for it, so its rule never fires

# Dossiers per engine session. Measured (benchmarks/README.md): inference CPU per dossier falls
# steeply up to about 25 and little after 50; a session's memory grows with it.
SESSION_SIZE = 50
CAP = 1000  # matches an action is given at most: above a session's matches of one rule and wave

# The C parser rejects exponents without a fraction ("1e-05"); write them as "1.0e-05".
_EXPONENT = re.compile(r'"(?:\\.|[^"\\])*"|(?<![\d.])(-?\d+)([eE][-+]?\d+)')


def facts_json(facts: list[dict[str, Any]]) -> str:
    """Facts as the engine reads them: compact JSON by orjson (by `json` for what orjson refuses,
    an integer beyond 64 bits, which the engine's checks refuse after), exponents with a fraction."""
    import orjson  # here, not at import: a command that never evaluates on durable-rules does without

    try:
        return _with_fractions(orjson.dumps(facts).decode())
    except TypeError:
        return dumps(facts, ensure_ascii=False, separators=(",", ":"))


def dumps(obj: Any, **kwargs: Any) -> str:
    return _with_fractions(json.dumps(obj, **kwargs))


def _with_fractions(text: str) -> str:
    """JSON text with every exponent given a fraction. orjson and `json` write every exponent with
    its sign (`1e+16`, `-2e-7`), so the common case, no exponent at all, is told by two substring
    searches: a regular expression over a whole session's facts cost 0.02 ms a dossier."""
    if "e-" not in text and "e+" not in text:
        return text
    return _EXPONENT.sub(lambda m: m.group(0) if m.group(1) is None else f"{m.group(1)}.0{m.group(2)}", text)


@dataclass
class Evaluation:
    """What the engine derived for one dossier: rule outcomes, first firings, concepts; its errors."""

    outcomes: dict[str, bool] = field(default_factory=dict)
    firings: dict[str, tuple[int, Firing]] = field(default_factory=dict)
    concepts: dict[str, bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Session:
    """One engine session: its dossiers' evaluations and facts by their number, and the session's
    failure. A session may be given dossiers over several calls (`DurableBackend`), numbered on."""

    sid: str
    evaluations: list[Evaluation]
    derived: set[tuple[int, str]] = field(default_factory=set)  # (dossier, property as JSON) derived so far
    pending: list[tuple[int, str, str]] = field(default_factory=list)  # derived, not yet given to the engine
    items: list[Facts] = field(default_factory=list)  # the dossiers' facts, by their number
    failure: str = ""  # the engine failed, or dropped a fact: no dossier of the session can be trusted

    def derive(self, dossier: int, held: tuple[str, str]) -> None:
        """Keep a derived value (`Derived.held`) for the engine, unless this dossier had it already
        (two terms of a rule, or two rules, can derive the same concept)."""
        key = (dossier, held[1])
        if key not in self.derived:
            self.derived.add(key)
            self.pending.append((dossier, *held))

    def take_derived(self) -> str:
        """The facts holding what was derived since the last call (`Derived.facts`), or ""."""
        if not self.pending:
            return ""
        facts, self.pending = Derived.facts(self.pending, self.sid), []
        return facts


# A dossier number below 100 by the two characters that begin it in a message (a one-digit number
# is followed by the quote that ends it: `DOSSIER`).
_TWO_DIGITS = 100
_NUMBERS = {f'{n}"': n for n in range(10)} | {str(n): n for n in range(10, _TWO_DIGITS)}
# How every match's first fact begins in a message: every fact is given to the engine with its
# dossier first (`Layout.facts`, `Derived.facts`, `CompiledRuleset.session_facts`), and the engine
# writes a fact back as it was given.
_FIRST_FACT = f'"m0":{{"{DOSSIER}":"'


def match_dossiers(text: str, dossiers: int) -> list[int]:
    """The dossier of each match in one action's message `{"<action>": [{"m0": fact, ...}, ...]}`:
    its first fact's, whose number comes first in it, so that a match's dossier is the number
    after each `_FIRST_FACT` (which can only be a key: in a JSON string a quote is escaped). A text
    not so is parsed. `dossiers`: how many the session holds (up to 100, two characters tell each
    number)."""
    pieces = text.split(_FIRST_FACT)
    if dossiers <= _TWO_DIGITS and len(pieces) > 1:
        with contextlib.suppress(KeyError):  # not a number
            return [_NUMBERS[piece[:2]] for piece in pieces[1:]]
    matches = next(iter(_loads(text).values()))  # a list under `cap`
    return [int(match["m0"][DOSSIER]) for match in ([matches] if isinstance(matches, dict) else matches)]


def _loads(text: str) -> Any:
    """The engine's message read by orjson (a C parser, several times faster than `json`, which
    reads the rare text orjson refuses: what the engine writes is the facts it was given)."""
    import orjson

    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


# What an action does with its matches (the dossier of each): it records them, and what they
# derive, in the session.
Action = Callable[[Session, Sequence[int]], None]


def _no_action(c: Any) -> None:
    """What the engine's host is given as every rule's action; `_drain` runs the real ones."""

class CompiledRuleset:
    """One registered ruleset: the rules in force on some set of dates."""

    def __init__(self, host: Any, name: str, rules: list[CompiledRule]) -> None:  # a durable-rules Host
        self.name = name
        concluding: dict[str, list[CompiledRule]] = {}
        for rule in rules:
            if rule.concept:
                concluding.setdefault(rule.concept, []).append(rule)
        read = {c for rule in rules for c in rule.concepts_read()}
        self.absent_concepts = sorted(read - set(concluding))
        term_lists = {(rule.index, want): terms(rule.when, want) for rule in rules for want in (True, False)}
        self.concepts_read = {(atom.concept, atom.value) for found in term_lists.values() for term in found
                              for atom in term if isinstance(atom, ConceptTest)}  # concept values some term reads
        self.layout = Layout((leaf.path for rule in rules for leaf in rule.leaves()),
                             Derived(_waves(rules, term_lists, concluding, self.concepts_read)),
                             (atom for found in term_lists.values() for term in found for atom in term
                              if isinstance(atom, FactTest)))
        self.definition: dict[str, Any] = {END: {"all": [{"m": {"t": END}}], "run": _no_action}}
        # Every input fact is matched by one rule at least, so that an assert's result code can only
        # say "already observed" when the engine took two different facts for one (their ids hash
        # to 32 bits): that fact would be lost, and its session is then not trusted. The rule holding
        # a section's facts joins them with a fact that never comes: held, they make no action (an
        # action would send every fact of the session back through Python).
        for section in self.layout.sections:
            never = {"$and": [{"t": NEVER}, JOIN]}
            self.definition[f"{HELD}{section}"] = {"all": [{"m0": {"t": section}}, {"m1": never}], "run": _no_action}
        held = self.definition
        self.actions: dict[str, Action] = {}
        # A rule's false terms reading one fact are merged (`_one_fact_alternatives`), unless the
        # merged conditions would overflow a table of the engine's network; then they are not.
        for merge in (True, False):
            self.definition, self.actions = dict(held), {}
            false_terms = self._terms(rules, term_lists, concluding, merge)
            # The engine looks for the next action to run from its first rule on, every time (its C
            # core's `getNextResultInState`): rules that fire often come first. A dossier refutes more
            # terms than it satisfies (about 107 false terms fire for 40 true ones, measured on
            # generated dossiers); the holders never fire. The order changes no answer: each dossier's
            # outcomes, concepts and first firings are the same in whatever order its actions run.
            holders = [name for name in self.definition if name.startswith(HELD)]
            ranks = {END: 0, **dict.fromkeys(false_terms, 1), **dict.fromkeys(holders, 3)}
            self.definition = dict(sorted(self.definition.items(), key=lambda item: ranks.get(item[0], 2)))
            problems = join_order_problems(self.definition) + checked_network(self.definition)
            if not problems:
                break
        if problems:  # rule loading should have refused these rules; never let the engine hang on them
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise EngineError(f"rules too large for the durable-rules engine: {'; '.join(problems[:3])}{more}")
        self.handle = 0  # the C core's ruleset handle, set by the backend once registered
        HANDLES.register(host, name, self.definition)

    def _terms(self, rules: list[CompiledRule], term_lists: dict[tuple[int, bool], list[Term]],
               concluding: dict[str, list[CompiledRule]], merge: bool) -> list[str]:
        """Add an engine rule and its action for every term of every rule, and for every concept
        concluded by several rules the join of their refutations; the false terms' names."""
        shared = [rule for group in concluding.values() if len(group) > 1 for rule in group]
        false_terms: list[str] = []
        for rule in rules:
            # A program rule ends the chain, yet its refutation is matched here too: the engine
            # decides every outcome it reports, true or false; what it derives neither way is unknown.
            for want in (True, False):
                laid = [self.layout.slots(term) for term in term_lists[rule.index, want]]
                merged = _one_fact_alternatives([slots for slots, _ in laid]) if merge and not want else {}
                for index, (slots, sources) in enumerate(laid):
                    if merged.get(index) == {}:
                        continue  # an alternative in an earlier false term's engine rule
                    term_name = f"{rule.index}{'T' if want else 'F'}{index}"
                    self.definition[term_name] = _rule(merged.get(index) or slots)
                    self.actions[term_name] = self._action(rule, want, index, sources, rule in shared)
                    if not want:
                        false_terms.append(term_name)
        for concept, group in concluding.items():
            if len(group) > 1:
                slots = {}
                for i, r in enumerate(group):
                    kind, prop = self.layout.derived.refutation[r.index]
                    slots[f"m{i}"] = {"$and": [{"t": kind}, *([JOIN] if i else []), {prop: False}]}
                self.definition[f"{REFUTE}{concept}"] = _rule(slots)
                self.actions[f"{REFUTE}{concept}"] = self._refute(concept)
        return false_terms

    def _derived(self, concept: str, value: bool) -> Place | None:
        """Where a derived concept value is held, or None when no rule reads it."""
        return self.layout.derived.concept.get((concept, value))

    def _action(self, rule: CompiledRule, want: bool, term: int, sources: tuple[Source, ...],
                shared: bool) -> Action:
        derived_by = derived_text(rule.concept, rule.program, rule.outcome)
        concept = rule.concept if rule.concept and (want or not shared) else None
        place: Place | None = None
        if concept:
            place = self._derived(concept, want)
        elif rule.concept:
            place = self.layout.derived.refutation[rule.index]
        derive = Derived.held(place, want) if place else None
        # A firing's matched values: the values of the paths its term reads in the dossier the engine
        # matched (its facts hold nothing else: `Layout.facts`), and the concept values it tested.
        reads = tuple((source, None, self.layout.derived.values[key]) if source.startswith("concept:")
                      else (source, source, None) for source, _, key in sources)

        rule_id = rule.id
        kind, prop = derive or ("", "")
        later = (term + 1,)  # a rule's first firing is always earlier than this

        def run(session: Session, dossiers: Sequence[int]) -> None:
            evaluations, derived, pending, items = session.evaluations, session.derived, session.pending, session.items
            for dossier in dossiers:
                evaluation = evaluations[dossier]
                try:
                    if evaluation.outcomes.setdefault(rule_id, want) is not want:
                        evaluation.errors.append(f"{rule_id} derived both true and false")
                        continue
                    # Of several matching terms, report the first in normal-form order, as the
                    # reference evaluator does, so that both backends give the same trace.
                    if want and term < evaluation.firings.get(rule_id, later)[0]:
                        values = items[dossier].by_path
                        matched = tuple([(source, values[path] if path else value) for source, path, value in reads])
                        evaluation.firings[rule_id] = (term, Firing(rule_id, matched, derived_by))
                    if concept:
                        evaluation.concepts[concept] = want
                    if derive and (dossier, prop) not in derived:  # `Session.derive`, inlined
                        derived.add((dossier, prop))
                        pending.append((dossier, kind, prop))
                except Exception as exc:  # the engine would swallow it and carry on
                    evaluation.errors.append(f"{rule_id}: {exc!r}")
        return run

    def _refute(self, concept: str) -> Action:
        place = self._derived(concept, False)
        refutation = Derived.held(place, False) if place else None

        def run(session: Session, dossiers: Sequence[int]) -> None:
            for dossier in dossiers:
                session.evaluations[dossier].concepts[concept] = False
                if refutation:
                    session.derive(dossier, refutation)
        return run

    def session_facts(self, items: Sequence[Facts], sid: str, first: int = 0) -> list[dict[str, Any]]:
        """The input facts of dossiers given to a session, numbered from `first`: each dossier's
        sections and the concepts no rule concludes (false, in the facts of their groups)."""
        batch: list[dict[str, Any]] = []
        absent = [place for place in (self._derived(c, False) for c in self.absent_concepts) if place]
        for dossier, facts in enumerate(items, first):
            batch.extend(self.layout.facts(facts, dossier, sid))
            groups: dict[str, dict[str, Any]] = {}
            for kind, prop in absent:
                groups.setdefault(kind, {DOSSIER: str(dossier), "sid": sid, "t": kind})[prop] = False
            batch.extend(groups.values())
        return batch


DerivedKey = tuple[str, bool] | int  # a concept value, or the refutation of a rule (its index)


def _waves(rules: list[CompiledRule], term_lists: dict[tuple[int, bool], list[Term]],
           concluding: dict[str, list[CompiledRule]], read: set[tuple[str, bool]]) -> list[list[DerivedKey]]:
    """The derived values (concept values some rule reads; refutations of rules that conclude a
    concept with others) by the earliest wave of actions that can derive them: a term fires one
    wave after the last value it reads (a dossier's facts are wave 0), a shared concept's
    refutation one wave after the last of its rules' refutations."""
    wave: dict[DerivedKey, float] = {(c, False): 0 for c, v in read if c not in concluding}
    derives: list[tuple[DerivedKey, list[Term]]] = []
    for rule in rules:
        if not rule.concept:
            continue
        shared = len(concluding[rule.concept]) > 1
        derives.append(((rule.concept, True), term_lists[rule.index, True]))
        derives.append((rule.index if shared else (rule.concept, False), term_lists[rule.index, False]))
    changed = True
    while changed:  # the rules' concepts form no cycle: this settles
        changed = False
        for key, found in derives:
            for term in found:
                earliest = 1 + max((wave.get((atom.concept, atom.value), math.inf) for atom in term
                                    if isinstance(atom, ConceptTest)), default=0)
                if earliest < wave.get(key, math.inf):
                    wave[key], changed = earliest, True
        for concept, group in concluding.items():
            if len(group) > 1:
                last = 1 + max(wave.get(rule.index, math.inf) for rule in group)
                if last < wave.get((concept, False), math.inf):
                    wave[concept, False], changed = last, True
    shared_rules = sorted(rule.index for group in concluding.values() if len(group) > 1 for rule in group)
    keys: list[DerivedKey] = [*sorted(read), *shared_rules]  # a value no term derives comes last
    waves: dict[float, list[DerivedKey]] = {}
    for key in keys:
        waves.setdefault(wave.get(key, math.inf), []).append(key)
    return [waves[w] for w in sorted(waves)]


_UNMERGED = frozenset({"$iany", "$iall", "$nex"})  # tests kept out of an `$or` of alternatives


def _tests_any(condition: Any, operators: frozenset[str]) -> bool:
    """Whether the condition (dicts and lists, as the engine takes them) holds a test by any of
    the operators; walked, not written out as JSON: each registration looks at every false term."""
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if not operators.isdisjoint(node):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _one_fact_alternatives(laid: list[dict[str, dict[str, Any]]]) -> dict[int, dict[str, dict[str, Any]]]:
    """A rule's false terms that read one fact of one type, as one engine rule each few: the first
    term's index -> the slots of all of them (its fact's type, then an `$or` of the terms' tests),
    every other one's -> {}. Only whether a false term holds is read (never which one), so one
    action for all of them records what one per term did. Array and absence tests stay out, and
    a condition stays within the engine's expression slots."""
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, slots in enumerate(laid):
        parts = slots[FIRST].get("$and", [slots[FIRST]]) if len(slots) == 1 else []
        rest = parts[1:]
        if rest and not _tests_any(rest, _UNMERGED):
            groups.setdefault(parts[0]["t"], []).append((index, rest[0] if len(rest) == 1 else {"$and": rest}))
    merged: dict[int, dict[str, dict[str, Any]]] = {}
    for kind, found in groups.items():
        while len(found) > 1:
            taken = 1
            while taken < len(found) and expression_slots(_alternatives(kind, found[:taken + 1])) <= MAX_EXPRESSIONS:
                taken += 1
            if taken > 1:
                merged[found[0][0]] = {FIRST: _alternatives(kind, found[:taken])}
                merged.update((index, {}) for index, _ in found[1:taken])
            found = found[taken:]
    return merged


def _alternatives(kind: str, found: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    return {"$and": [{"t": kind}, {"$or": [branch for _, branch in found]}]}


def _rule(slots: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A durable rule joining the named slots; its matches come to its action together (`cap`).
    Two slots of one type may be filled by one fact (two values derived in one wave): the engine
    would refuse that unless told (`dist`)."""
    kinds = [condition["$and"][0]["t"] if "$and" in condition else condition["t"] for condition in slots.values()]
    rule: dict[str, Any] = {"all": [{name: condition} for name, condition in slots.items()], "cap": CAP,
                            "run": _no_action}
    if len(set(kinds)) < len(kinds):
        rule["dist"] = 0
    return rule
