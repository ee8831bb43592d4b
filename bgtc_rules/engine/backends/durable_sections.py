"""The facts of a batched durable-rules session and the conditions that match them. Plain data:
this module imports nothing of durable-rules.

A session holds several dossiers. Each dossier is given to the engine as one fact per section
of the dossier (`indication`, `clinical`, ...; a section of more than `PATHS_PER_FACT` paths in
several), numbered `d` within its session, with each fact path the rules read as one property
(`p0`, `p1`, ...; absent when unknown). Not one fact per dossier, nor per section whatever its
size: one fact must never leave more than the engine's 64 tests pending at once (error 303, the
fact dropped). What rules derive (a concept's value some rule reads, a rule's refutation that a
concept's refutation joins) is held the same way: each derived value is one property (`k0`,
`k1`, ...) of a fact of its group (`Derived`), and what one dossier derives in one wave of actions
goes to the engine as one fact per group, not one fact per value: the engine's cost is mostly
per fact.

Every rule joining two or more facts joins them on `d`, and the join comes right after the type
tests of each fact's condition: a join placed after an `$iany`/`$iall` test is silently ignored
by the engine's C core, and dossiers of one session then match each other's facts.
`join_order_problems` refuses a ruleset that breaks this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bgtc_rules.engine.backends.durable_conditions import LONGEST_PATTERN, encode, fact_conditions
from bgtc_rules.engine.facts import Facts
from bgtc_rules.language.catalog import fact_catalog
from bgtc_rules.language.normal_form import ConceptTest, FactTest, Term
from bgtc_rules.language.operators import Operator

# The property holding a fact's dossier number within its session, written as a string: the engine
# hashes a join's value to look its partners up, and writes a number out first (`snprintf`) to do it
# (a string is hashed as it is: 2 % fewer instructions a dossier in sessions of 50).
DOSSIER = "d"
# Fact paths one fact holds at most. The network model (`durable_limits`) counts at most 39 tests
# pending for a whole section, yet the engine failed with error 303 on sections of 15 paths: the
# model undercounts for facts of many properties. Sections of 8 never failed (property tests).
PATHS_PER_FACT = 8
# Derived values one fact holds at most. Each value is one property tested only for equality
# with one value, so one fact leaves at most 2 x 24 + 1 tests pending (a test per value in a
# rule's first fact, the join, a test per value after it), below the engine's 64.
DERIVED_PER_FACT = 24
FIRST = "m0"  # the slot every other slot of a rule joins with
JOIN = {DOSSIER: {FIRST: DOSSIER}}  # "the same dossier as the first fact's"

# Where a term reads one source (a fact path, or `concept:<name>`): its slot and property.
Source = tuple[str, str, str]


# Where one derived value is held: its group's fact type, and its property in it.
Place = tuple[str, str]


class Derived:
    """Which group fact holds each derived value, under which property: a concept's value that
    some rule reads (the property holds the value), and the refutation of a rule that concludes
    a concept with others (the property holds false). Values come in waves (those one wave of
    actions is expected to derive): a group holds values of one wave only, so that what one
    dossier derives in a wave shares few facts."""

    def __init__(self, waves: Iterable[Iterable[tuple[str, bool] | int]] = ()) -> None:
        self.concept: dict[tuple[str, bool], Place] = {}
        self.refutation: dict[int, Place] = {}
        self.values: dict[str, bool] = {}  # a concept value's property -> that value
        groups = values = 0
        for wave in waves:
            for index, key in enumerate(wave):
                if index % DERIVED_PER_FACT == 0:
                    groups += 1
                place = (f"c:{groups - 1}", f"k{values}")
                values += 1
                if isinstance(key, int):
                    self.refutation[key] = place
                else:
                    self.concept[key] = place
                    self.values[place[1]] = key[1]

    @staticmethod
    def held(place: Place, value: bool) -> tuple[str, str]:
        """A derived value as it is given to the engine: its group's type, and its property as JSON."""
        return place[0], f'"{place[1]}":{"true" if value else "false"}'

    @staticmethod
    def facts(values: Iterable[tuple[int, str, str]], sid: str) -> str:
        """The facts holding derived values (dossier, type, property as JSON: `held`), as a JSON
        array: one fact per dossier and group, in the order the values came."""
        facts: dict[tuple[int, str], list[str]] = {}
        for dossier, kind, prop in values:
            key = (dossier, kind)
            if key in facts:
                facts[key].append(prop)
            else:
                facts[key] = [f'{{"{DOSSIER}":"{dossier}","sid":"{sid}","t":"{kind}"', prop]
        return "[" + ",".join(",".join(props) + "}" for props in facts.values()) + "]"


_AS_IS = frozenset({type(None), bool, int, float, str})  # values a fact holds unchanged (`encode`)

# Tests of a list of strings that only ask which items it holds (or its length, or whether it is
# known): on such a list the engine can be given each item's code instead of its text.
_BY_ITEM = frozenset({Operator.CONTAINS, Operator.CONTAINS_NONE, Operator.EXISTS, Operator.EMPTY, Operator.UNKNOWN})
# No "e" among a code's characters: a digit followed by "e" in a JSON text may be a number's
# exponent, which `durable_ruleset.facts_json` then looks for with a regular expression.
_DIGITS = "0123456789abcdfghijklmnopqrstuvwxyz"
UNLISTED = "_"  # the code of every item no rule names (never a code: codes are digits and letters)


def item_codes(tests: Iterable[FactTest], lists: Iterable[str]) -> dict[str, dict[str, str]]:
    """A short code for each item the rules name, by list path: the engine is given codes in both
    the facts and the conditions, and still tests every item. The items are long strings (an
    endpoint's encoded combination is up to 90 characters, named in dozens of conditions); written
    out, they were three fifths of the ruleset's definition, which the engine parses at every start.
    Only paths whose every test is by item (`_BY_ITEM`), of strings, are coded: an item no rule
    names is `UNLISTED`, equal to none of the codes, as the item is to none of the named ones.
    Codes follow the items' sorted order, so one set of rules always gets the same codes."""
    named: dict[str, set[str]] = {path: set() for path in lists}
    for test in tests:
        if test.path not in named:
            continue
        values = test.value if isinstance(test.value, tuple) else ()
        if test.test not in _BY_ITEM or not all(isinstance(value, str) for value in values):
            del named[test.path]
        else:
            named[test.path].update(values)  # strings, checked above
    codes: dict[str, dict[str, str]] = {}
    for path, items in named.items():
        width = 1
        while len(_DIGITS) ** width < len(items):
            width += 1
        codes[path] = {item: _code(index, width) for index, item in enumerate(sorted(items))}
    return codes


def _code(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, len(_DIGITS))
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits))


class Layout:
    """Which section fact holds each fact path the rules read, under which property; and which
    group fact each derived value (`Derived`)."""

    def __init__(self, paths: Iterable[str], derived: Derived | None = None, tests: Iterable[FactTest] = ()) -> None:
        """`tests`: the rules' fact tests, which give the lists' item codes (`item_codes`); without
        them every value is given to the engine as it is."""
        self.derived = derived or Derived()
        self.paths = sorted(set(paths))
        parts: dict[str, list[str]] = {}
        for path in self.paths:
            parts.setdefault(re.split(r"[.\[#]", path, maxsplit=1)[0], []).append(path)
        # A section of many paths is held in several facts of at most `PATHS_PER_FACT` paths each.
        self.section = {path: f"f:{name}:{index // PATHS_PER_FACT}"
                        for name, found in parts.items() for index, path in enumerate(found)}
        self.key = {path: f"p{index}" for index, path in enumerate(self.paths)}
        self.sections = sorted(set(self.section.values()))
        index = {section: i for i, section in enumerate(self.sections)}
        kinds = fact_catalog()
        self._lists = frozenset(p for p in self.paths if kinds[p].kind in ("items", "enum_list"))
        self.codes = item_codes(tests, self._lists)
        self._places = [(path, index[self.section[path]], self.key[path], self.codes.get(path)) for path in self.paths]

    def facts(self, facts: Facts, dossier: int, sid: str) -> list[dict[str, Any]]:
        """The dossier's section facts. An unknown value is left out: only an unknown test (`$nex`)
        matches a property the fact does not have, and a missing property is one fewer for the
        engine to look at in every test of the fact."""
        number = str(dossier)
        made: list[dict[str, Any]] = [{DOSSIER: number, "sid": sid, "t": section} for section in self.sections]
        values = facts.by_path
        for path, index, key, codes in self._places:
            value = values[path]
            if value is None:
                continue
            if type(value) in _AS_IS:
                made[index][key] = value
            elif codes is not None and isinstance(value, tuple):
                made[index][key] = [codes.get(item, UNLISTED) for item in value]
                made[index][f"n{key}"] = len(value)
            else:
                made[index][key] = encode(value)
                if isinstance(value, tuple):
                    made[index][f"n{key}"] = len(value)
        return made

    def slots(self, term: Term) -> tuple[dict[str, dict[str, Any]], tuple[Source, ...]]:
        """The term's named slots (`m0`, `m1`, ...: one per section fact or concept it reads, each
        after the first joined on the dossier), and where each source it reads is matched, in the
        order it first reads them (the order the reference evaluator reports them in)."""
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        reads: list[tuple[str, tuple[str, str], str]] = []
        for atom in term:
            if isinstance(atom, ConceptTest):
                kind, prop = self.derived.concept[atom.concept, atom.value]
                group = ("c", prop)
                groups.setdefault(group, [{"t": kind}, {prop: atom.value}])
                read = (f"concept:{atom.concept}", group, prop)
            else:
                group, key = ("f", self.section[atom.path]), self.key[atom.path]
                groups.setdefault(group, [{"t": group[1]}]).extend(
                    _renamed(c, key, atom.path in self._lists) for c in self._conditions(atom))
                read = (atom.path, group, key)
            if read not in reads:
                reads.append(read)
        names = {group: f"m{index}" for index, group in enumerate(groups)}
        slots = {names[group]: {"$and": conditions if names[group] == FIRST else [conditions[0], JOIN, *conditions[1:]]}
                 for group, conditions in groups.items()}
        return slots, tuple((source, names[group], key) for source, group, key in reads)


    def _conditions(self, test: FactTest) -> list[dict[str, Any]]:
        """The engine's conditions for one fact test, on the items' codes where its list is coded.
        A coded list holds only codes and `UNLISTED`, so "none of these items" is "every item one
        of the others": one pattern tested per item (`only_codes`), not one test per item and
        value named (an endpoints' test names up to 60 values, each a node of the engine's network)."""
        codes = self.codes.get(test.path)
        if codes is None or not isinstance(test.value, tuple):
            return fact_conditions(test)
        named = [codes[item] for item in test.value]
        if test.test is Operator.CONTAINS_NONE:
            pattern = only_codes(set(codes.values()) - set(named), unlisted=True)
            if len(pattern) <= LONGEST_PATTERN:
                return [{"k": 1}, {"$iall": {"v": {"$mt": {"$i": pattern}}}}]
        elif test.test is Operator.CONTAINS and len(set(named)) > 1:
            pattern = only_codes(named)
            if len(pattern) <= LONGEST_PATTERN:
                return [{"k": 1}, {"$iany": {"v": {"$mt": {"$i": pattern}}}}]
        return fact_conditions(FactTest(test.path, test.test, tuple(named)))


def only_codes(codes: Iterable[str], unlisted: bool = False) -> str:
    """A pattern matching exactly the given codes (of one width), and `UNLISTED` if asked: the
    codes by all but their last character, each prefix followed by a class of the last characters it comes
    with, prefixes sharing those sharing a class. Few states for the engine's pattern compiler
    (each state costs it a 16 KB table): `only_codes(["0a", "0b", "1a", "1b", "2c"], unlisted=True)`
    is `(_|2[c]|[01][ab])`."""
    ends: dict[str, set[str]] = {}
    for code in codes:
        ends.setdefault(code[:-1], set()).add(code[-1])
    prefixes: dict[str, list[str]] = {}
    for prefix, last in ends.items():
        prefixes.setdefault("".join(sorted(last)), []).append(prefix)
    parts = sorted(_class(group) + f"[{last}]" for last, group in prefixes.items())
    parts = [UNLISTED, *parts] if unlisted else parts
    return "(" + "|".join(parts) + ")"


def _class(prefixes: list[str]) -> str:
    """Prefixes of one width as a pattern: one class when they are single characters."""
    if all(len(prefix) == 1 for prefix in prefixes):
        return f"[{''.join(sorted(prefixes))}]" if len(prefixes) > 1 else prefixes[0]
    return "(" + "|".join(sorted(prefixes)) + ")" if len(prefixes) > 1 else prefixes[0]


def _renamed(condition: dict[str, Any], key: str, listed: bool) -> dict[str, Any]:
    """A condition on a one-path fact (`durable_conditions.fact_conditions`: `k` its status, `v` its
    value, `n` its length) rewritten for that path's property `key` in its section fact."""
    ((name, value),) = condition.items()
    if name == "k":  # an unknown value is not in the fact; a known one is
        return {"$nex": {key: 1}} if value == 0 else {"$ex": {key: 1}}
    if name in ("v", "n"):
        return {key if name == "v" else f"n{key}": value}
    if name in ("$and", "$or"):
        return {name: [_renamed(part, key, listed) for part in value]}
    ((prop, operand),) = value.items()  # an operator or an array test on `v` or `n`
    if prop not in ("v", "n"):
        raise ValueError(f"unexpected condition {condition!r}")
    return {name: {key if prop == "v" else f"n{key}": operand}}


def join_order_problems(definition: dict[str, Any]) -> list[str]:
    """Rules of a ruleset definition whose facts are not all joined on the dossier right after
    their type tests; empty when every rule is. A rule reading one fact needs no join."""
    problems: list[str] = []
    for name, rule in definition.items():
        slots = rule["all"]
        if len(slots) < 2:
            continue
        for index, slot in enumerate(slots):
            ((fact, condition),) = slot.items()
            parts = condition.get("$and", [condition])
            types = 0
            while types < len(parts) and set(parts[types]) == {"t"} and not isinstance(parts[types]["t"], dict):
                types += 1
            joins = [part for part in parts if part == JOIN]
            if index == 0 and (fact != FIRST or joins):
                problems.append(f"rule {name}: its first fact must be {FIRST}, joined with nothing")
            elif index > 0 and (types == 0 or types >= len(parts) or parts[types] != JOIN or len(joins) != 1):
                problems.append(f"rule {name}, fact {fact}: the join on the dossier must come right after "
                                f"the type tests, once")
    return problems
