"""The same inference on CLIPS (clipspy), for the benchmark only: a yardstick, not a product backend.

The compiled rules are translated from the same normal form the durable-rules backend uses
(`bgtc_rules.language.normal_form.terms`): every rule's "true terms" and "false terms" become one CLIPS
`defrule` each, whose patterns are the term's atoms grouped per fact path or concept (one
pattern per fact joined, as in the Rete backend). A firing asserts the rule's outcome and what
it derived: the concept's value or, for a concept several rules conclude, the rule's refutation,
which a join turns into the concept's refutation once every such rule is refuted. Unknown is
what neither derives. Effective dates select the rules in force before matching: one CLIPS
environment per set of rules in force, as durable-rules registers one ruleset per set.

Facts: one `f` fact per fact path the rules read, `(f (p PATH-ID) (k 1) (v VALUE))` for a
known scalar, `(f (p PATH-ID) (k 1) (m VALUES...) (n COUNT))` for a known list, `(f (p
PATH-ID) (k 0))` for an unknown fact. Paths and concepts are numbered (integers compare and
hash fastest in CLIPS); strings stay strings, booleans are the symbols TRUE and FALSE, dates
their ordinal. A dossier's facts go in as one text (`LoadFactsFromString`), the outcomes come
back as one string, so the Python<->C crossings are a handful per dossier, not one per fact.

Needs `clipspy==1.0.6` (the `bench` extra). `ClipsBackend` follows `bgtc_rules.engine.inference.Backend`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import clips
from clips._clips import ffi, lib

from bgtc_rules.base.errors import EngineError
from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Firing, Inference, derived_text
from bgtc_rules.language.catalog import FactValue, fact_catalog
from bgtc_rules.language.leaves import LeafValue, Truth
from bgtc_rules.language.normal_form import ConceptTest, FactTest, Term, terms
from bgtc_rules.language.operators import Operator
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.tree import CompiledRule

NAME = "clips"

_TEMPLATES = (
    "(deftemplate f (slot p (type INTEGER)) (slot k (type INTEGER)) (slot v) (multislot m) (slot n))",
    "(deftemplate c (slot n (type INTEGER)) (slot v (type SYMBOL)))",   # a concept's value
    "(deftemplate r (slot i (type INTEGER)))",                          # a rule's refutation (shared concepts)
    # a rule's outcome: (rule index << 8) | (term index << 1) | (1 if true else 0)
    "(deftemplate o (slot x (type INTEGER)))",
)
_FUNCTIONS = (
    # Whether any item of the list `?m` is one of `?set`.
    "(deffunction some-in (?m ?set) (foreach ?x ?m (if (member$ ?x ?set) then (return TRUE))) FALSE)",
)


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _atom(value: Any) -> str:
    """A scalar as CLIPS text (booleans are symbols; dates their ordinal)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EngineError(f"CLIPS cannot hold the number {value!r}")
        text = repr(value)
        return text if any(ch in text for ch in ".eE") else text + ".0"
    if isinstance(value, dt.date):
        return str(value.toordinal())
    if isinstance(value, str):
        return _string(value)
    raise EngineError(f"no CLIPS form for {value!r}")


_COMPARE = {Operator.LT: "<", Operator.LE: "<=", Operator.GT: ">", Operator.GE: ">="}


class _Pattern:
    """The constraints of one `f` pattern: one fact path, all the term's tests on it."""

    def __init__(self, path_id: int, var: str) -> None:
        self.path_id = path_id
        self.var = var
        self.known: int | None = None
        self.count: int | None = None
        self.value: list[tuple[str, str]] = []   # (literal-form, predicate-form) per test on `v`
        self.items: list[str] = []               # predicates on `m`

    def text(self) -> str:
        slots = [f"(p {self.path_id})"]
        if self.known is not None:
            slots.append(f"(k {self.known})")
        if self.count is not None:
            slots.append(f"(n {self.count})")
        if len(self.value) == 1:
            slots.append(f"(v {self.value[0][0]})")  # a literal test: the pattern network hashes it
        elif self.value:
            v = f"?v{self.var}"
            slots.append(f"(v {v}" + "".join(f"&:{pred.format(v=v)}" for _, pred in self.value) + ")")
        if self.items:
            m = f"?m{self.var}"
            slots.append(f"(m ${m}" + "".join(f"&:{pred.format(m=m)}" for pred in self.items) + ")")
        return "(f " + " ".join(slots) + ")"


@dataclass(frozen=True)
class _Slot:
    """What a term matched on one fact path or concept (`concept:NAME`), for the firing's trace."""

    source: str
    concept: bool
    value: bool | None = None


class _Translator:
    """Writes the CLIPS constructs of one set of rules in force."""

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.rules = list(rules)
        self.path_ids = {path: i for i, path in enumerate(fact_catalog())}
        concluding: dict[str, list[CompiledRule]] = {}
        for rule in self.rules:
            if rule.concept:
                concluding.setdefault(rule.concept, []).append(rule)
        self.concluding = concluding
        read = {c for rule in self.rules for c in rule.concepts_read()}
        self.absent = sorted(read - set(concluding))
        self.concept_ids = {c: i for i, c in enumerate(sorted(read | set(concluding)))}
        self.paths = sorted({leaf.path for rule in self.rules for leaf in rule.leaves()})
        self.sets: dict[tuple[str, ...], str] = {}
        # rule index -> per term index: the slots it matches (true terms only)
        self.slots: dict[int, list[list[_Slot]]] = {}

    def _set(self, values: tuple[Any, ...]) -> str:
        key = tuple(_atom(v) for v in values)
        if key not in self.sets:
            self.sets[key] = f"?*s{len(self.sets)}*"
        return self.sets[key]

    def _fact_test(self, pattern: _Pattern, test: FactTest) -> None:
        value: LeafValue = test.value
        match test.test:
            case Operator.EXISTS:
                pattern.known = 1
            case Operator.UNKNOWN:
                pattern.known = 0
            case Operator.EMPTY:
                pattern.known, pattern.count = 1, 0
            case Operator.EQ:
                pattern.known = 1
                equal = "=" if isinstance(value, (int, float)) and not isinstance(value, bool) else "eq"
                pattern.value.append((_atom(value), f"({equal} {{v}} {_atom(value)})"))
            case Operator.NE:
                pattern.known = 1
                differ = "<>" if isinstance(value, (int, float)) and not isinstance(value, bool) else "neq"
                pattern.value.append(("~" + _atom(value), f"({differ} {{v}} {_atom(value)})"))
            case Operator.LT | Operator.LE | Operator.GT | Operator.GE:
                pattern.known = 1
                op = _COMPARE[test.test]
                pattern.value.append((f"?v{pattern.var}&:({op} ?v{pattern.var} {_atom(value)})",
                                      f"({op} {{v}} {_atom(value)})"))
            case Operator.IN:
                assert isinstance(value, tuple)
                pattern.known = 1
                atoms = [_atom(v) for v in value]
                pattern.value.append(("|".join(atoms), "(or " + " ".join(f"(eq {{v}} {a})" for a in atoms) + ")"))
            case Operator.NOT_IN:
                assert isinstance(value, tuple)
                pattern.known = 1
                atoms = [_atom(v) for v in value]
                pattern.value.append(("&".join("~" + a for a in atoms),
                                      "(and " + " ".join(f"(neq {{v}} {a})" for a in atoms) + ")"))
            case Operator.CONTAINS:
                assert isinstance(value, tuple)
                pattern.known = 1
                pattern.items.append(f"(some-in {{m}} {self._set(value)})")
            case Operator.CONTAINS_NONE:
                assert isinstance(value, tuple)
                pattern.known = 1
                pattern.items.append(f"(not (some-in {{m}} {self._set(value)}))")
            case other:
                raise EngineError(f"unknown test {other!r}")

    def _lhs(self, term: Term) -> tuple[list[str], list[_Slot]]:
        """The patterns of one term, one per fact path or concept, in the order the term names them."""
        grouped: dict[tuple[str, str], _Pattern | ConceptTest] = {}
        for atom in term:
            if isinstance(atom, ConceptTest):
                grouped.setdefault(("c", atom.concept), atom)
            else:
                found = grouped.setdefault(("f", atom.path), _Pattern(self.path_ids[atom.path], str(len(grouped))))
                assert isinstance(found, _Pattern)
                self._fact_test(found, atom)
        patterns: list[str] = []
        slots: list[_Slot] = []
        for (_kind, subject), item in grouped.items():
            if isinstance(item, ConceptTest):
                patterns.append(f"(c (n {self.concept_ids[subject]}) (v {'TRUE' if item.value else 'FALSE'}))")
                slots.append(_Slot(f"concept:{subject}", True, item.value))
            else:
                patterns.append(item.text())
                slots.append(_Slot(subject, False))
        return patterns, slots

    def constructs(self) -> list[str]:
        rules: list[str] = []
        for rule in self.rules:
            shared = rule.concept is not None and len(self.concluding[rule.concept]) > 1
            for want in (True, False):
                term_slots: list[list[_Slot]] = []
                for index, term in enumerate(terms(rule.when, want)):
                    patterns, slots = self._lhs(term)
                    term_slots.append(slots)
                    if index > 127:
                        raise EngineError(f"rule {rule.id}: more than 128 terms")
                    code = (rule.index << 8) | (index << 1) | int(want)
                    actions = [f"(assert (o (x {code})))"]
                    if rule.concept and (want or not shared):
                        cid = self.concept_ids[rule.concept]
                        actions.append(f"(assert (c (n {cid}) (v {'TRUE' if want else 'FALSE'})))")
                    elif rule.concept:
                        actions.append(f"(assert (r (i {rule.index})))")
                    rules.append(f"(defrule r{rule.index}{'T' if want else 'F'}{index} "
                                 + " ".join(patterns) + " => " + " ".join(actions) + ")")
                if want:
                    self.slots[rule.index] = term_slots
        for concept, group in self.concluding.items():
            if len(group) > 1:
                joins = " ".join(f"(r (i {r.index}))" for r in group)
                rules.append(f"(defrule refute-{self.concept_ids[concept]} {joins} => "
                             f"(assert (c (n {self.concept_ids[concept]}) (v FALSE))))")
        absent = " ".join(f"(c (n {self.concept_ids[c]}) (v FALSE))" for c in self.absent)
        globals_ = [f"(defglobal {name} = (create$ {' '.join(atoms)}))" for atoms, name in self.sets.items()]
        deffacts = [f"(deffacts absent-concepts {absent})"] if absent else []
        return [*_TEMPLATES, *_FUNCTIONS, *globals_, *deffacts, *rules]


def _fact_text(path_id: int, value: FactValue | None) -> str:
    """A fact as CLIPS text (for `translate` and tests; evaluation asserts through the C API)."""
    if value is None:
        return f"(f (p {path_id}) (k 0))"
    if isinstance(value, tuple):
        return f"(f (p {path_id}) (k 1) (m {' '.join(_atom(v) for v in value)}) (n {len(value)}))"
    return f"(f (p {path_id}) (k 1) (v {_atom(value)}))"


class _Ruleset:
    """One CLIPS environment holding the rules in force on some set of dates.

    Facts are asserted and outcomes read through CLIPS's C API (`FactBuilder`, `GetFactSlot`),
    as an embedding would: parsing fact text goes through clipspy's Python error router once
    per character (about 10 ms a dossier), which would measure clipspy's glue, not CLIPS.
    """

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        translator = _Translator(rules)
        self.text = translator.constructs()
        self.env = clips.Environment()
        for construct in self.text:
            self.env.build(construct)
        self.paths = [(path, translator.path_ids[path]) for path in translator.paths]
        self.slots = translator.slots
        self.concept_names = {i: c for c, i in translator.concept_ids.items()}
        self.rule_count = sum(construct.startswith("(defrule") for construct in self.text)
        raw = self.env._env
        self._raw = raw
        self._facts = lib.CreateFactBuilder(raw, b"f")
        self._items = lib.CreateMultifieldBuilder(raw, 8)
        self._value = ffi.new("CLIPSValue *")
        self._item = ffi.new("CLIPSValue *")
        self._outcome = lib.FindDeftemplate(raw, b"o")
        self._concept = lib.FindDeftemplate(raw, b"c")

    def __del__(self) -> None:
        # Before the environment goes: CLIPS reports builders still alive when it is destroyed.
        facts, items = getattr(self, "_facts", None), getattr(self, "_items", None)
        if facts is not None:
            lib.FBDispose(facts)
        if items is not None:
            lib.MBDispose(items)

    def _put(self, slot: bytes, value: Any) -> None:
        self._value.value = self._create(value)
        if lib.FBPutSlot(self._facts, slot, self._value) != 0:
            raise EngineError(f"CLIPS refused the value {value!r}")

    def _create(self, value: Any) -> Any:
        raw = self._raw
        if isinstance(value, bool):
            return lib.CreateSymbol(raw, b"TRUE" if value else b"FALSE")
        if isinstance(value, int):
            return lib.CreateInteger(raw, value)
        if isinstance(value, float):
            return lib.CreateFloat(raw, value)
        if isinstance(value, dt.date):
            return lib.CreateInteger(raw, value.toordinal())
        if isinstance(value, str):
            return lib.CreateString(raw, value.encode())
        raise EngineError(f"no CLIPS form for {value!r}")

    def _assert(self, path_id: int, value: FactValue | None) -> None:
        self._put(b"p", path_id)
        self._put(b"k", 0 if value is None else 1)
        if isinstance(value, tuple):
            lib.MBReset(self._items)
            for item in value:
                self._item.value = self._create(item)
                lib.MBAppend(self._items, self._item)
            self._value.value = lib.MBCreate(self._items)
            lib.FBPutSlot(self._facts, b"m", self._value)
            self._put(b"n", len(value))
        elif value is not None:
            self._put(b"v", value)
        if lib.FBAssert(self._facts) == ffi.NULL:
            raise EngineError(f"CLIPS refused a fact (error {lib.FBError(self._raw)})")

    def _slot(self, fact: Any, slot: bytes) -> Any:
        lib.GetFactSlot(fact, slot, self._value)
        return self._value

    def run(self, facts: Facts) -> tuple[dict[int, bool], dict[int, int], dict[str, bool], list[str]]:
        """Rule outcomes, each true rule's first true term, concept values, and contradictions."""
        lib.Reset(self._raw)  # working memory back to the absent concepts' facts
        for path, path_id in self.paths:
            self._assert(path_id, facts[path])
        lib.Run(self._raw, -1)
        outcomes: dict[int, bool] = {}
        first: dict[int, int] = {}
        errors: list[str] = []
        fact = lib.GetNextFactInTemplate(self._outcome, ffi.NULL)
        while fact != ffi.NULL:
            code = self._slot(fact, b"x").integerValue.contents
            index, term, want = code >> 8, (code >> 1) & 127, bool(code & 1)
            if outcomes.setdefault(index, want) != want:
                errors.append(f"rule #{index} derived both true and false")
            if want and term < first.get(index, term + 1):
                first[index] = term
            fact = lib.GetNextFactInTemplate(self._outcome, fact)
        concepts: dict[str, bool] = {}
        fact = lib.GetNextFactInTemplate(self._concept, ffi.NULL)
        while fact != ffi.NULL:
            name = self.concept_names[self._slot(fact, b"n").integerValue.contents]
            concepts[name] = ffi.string(self._slot(fact, b"v").lexemeValue.contents) == b"TRUE"
            fact = lib.GetNextFactInTemplate(self._concept, fact)
        return outcomes, first, concepts, errors


class ClipsBackend:
    """Runs a `RuleBase` on CLIPS through clipspy (one environment per set of rules in force)."""

    name = NAME

    def __init__(self, rulebase: RuleBase) -> None:
        self._rulebase = rulebase
        self._compiled: dict[tuple[int, ...], _Ruleset] = {}

    def ruleset(self, as_of: dt.date) -> _Ruleset:
        key = tuple(rule.index for rule in self._rulebase.rules if rule.in_force.holds(as_of))
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = _Ruleset([self._rulebase.rules[i] for i in key])
        return found

    def infer_many(self, items: Sequence[Facts], as_of: dt.date) -> list[Inference | EngineError]:
        results: list[Inference | EngineError] = []
        for facts in items:
            try:
                results.append(self.infer(facts, as_of))
            except EngineError as exc:
                results.append(exc)
        return results

    def infer(self, facts: Facts, as_of: dt.date) -> Inference:
        compiled = self.ruleset(as_of)
        derived, first, derived_concepts, errors = compiled.run(facts)
        if errors:
            raise EngineError("; ".join(errors))
        outcomes: dict[str, Truth] = {}
        concepts: dict[str, Truth] = {}
        rules = self._rulebase.rules
        for rule in rules:
            outcomes[rule.id] = derived.get(rule.index) if rule.in_force.holds(as_of) else False
            if rule.concept:
                concepts[rule.concept] = derived_concepts.get(rule.concept, concepts.get(rule.concept))
        for concept in concepts:
            if concept not in derived_concepts and all(
                outcomes[r.id] is False for r in self._rulebase.concepts[concept]
            ):
                concepts[concept] = False
        firings: list[Firing] = []
        for rule in rules:
            if rule.index in first:
                matched = tuple((slot.source, slot.value if slot.concept else facts[slot.source])
                                for slot in compiled.slots[rule.index][first[rule.index]])
                firings.append(Firing(rule.id, matched, derived_text(rule.concept, rule.program, rule.outcome)))
        return Inference(NAME, as_of, outcomes, concepts, tuple(firings))


def translate(rulebase: RuleBase, as_of: dt.date) -> str:
    """The CLIPS constructs for the rules in force on `as_of`, one per line (to read or to `load`)."""
    rules = [rule for rule in rulebase.rules if rule.in_force.holds(as_of)]
    return "\n".join(_Translator(rules).constructs()) + "\n"
