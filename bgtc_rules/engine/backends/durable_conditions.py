"""The JSON the durable-rules engine matches: facts' values and each fact test's conditions (a
term's slots are laid out by `durable_sections.Layout`). Plain data: this module imports nothing
of durable-rules.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from bgtc_rules.language.catalog import FactValue
from bgtc_rules.language.leaves import LeafValue
from bgtc_rules.language.normal_form import FactTest
from bgtc_rules.language.operators import Operator


def encode(value: LeafValue | FactValue) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    return value


# durable-rules' condition for each operator, on a fact's `k` (1 known, 0 unknown), `n` (a list's
# length) and `v` (its value; `$i` an item of it), given the encoded test value. The operators'
# meaning is defined once, in `language.operators`; this table is only durable's spelling of it,
# kept here because that JSON dialect is this backend's business and no other module may know it.
# A new operator adds one line; `tests/test_operators.py` checks every operator has one and agrees.
CONDITIONS: dict[Operator, Callable[[Any], list[dict[str, Any]]]] = {
    Operator.EQ: lambda v: [{"k": 1}, {"$eq": {"v": v}}],
    Operator.NE: lambda v: [{"k": 1}, {"$neq": {"v": v}}],
    Operator.LT: lambda v: [{"k": 1}, {"$lt": {"v": v}}],
    Operator.LE: lambda v: [{"k": 1}, {"$lte": {"v": v}}],
    Operator.GT: lambda v: [{"k": 1}, {"$gt": {"v": v}}],
    Operator.GE: lambda v: [{"k": 1}, {"$gte": {"v": v}}],
    Operator.IN: lambda v: [{"k": 1}, {"$or": [{"v": x} for x in v]}],
    Operator.CONTAINS: lambda v: [{"k": 1}, {"$iany": {"v": _any_of(v)}}],
    Operator.EXISTS: lambda v: [{"k": 1}],
    Operator.NOT_IN: lambda v: [{"k": 1}, {"$and": [{"$neq": {"v": x}} for x in v]}],
    Operator.CONTAINS_NONE: lambda v: [{"k": 1}, {"$iall": {"v": {"$and": [{"$neq": {"$i": x}} for x in v]}}}],
    Operator.EMPTY: lambda v: [{"k": 1}, {"n": 0}],
    Operator.UNKNOWN: lambda v: [{"k": 0}],
}


# Strings a pattern spells as they are: none of the engine's pattern characters among them.
_PLAIN = re.compile(r"[A-Za-z0-9_=;]+")


# Pattern length the engine compiles for sure: its state table is fixed (patterns of about 4,400
# characters were refused, error 503, at registration); a longer one is an `$or` of the values.
LONGEST_PATTERN = 2000


def _any_of(values: list[Any]) -> dict[str, Any]:
    """An item equal to one of the values. Several plain strings make one pattern, matched whole
    (`$mt`): the engine tests it once per item, where an `$or` is one test per value and item
    (the endpoints' encoded combinations are dozens of values)."""
    if len(values) > 1 and all(isinstance(x, str) and _PLAIN.fullmatch(x) for x in values):
        pattern = alternatives(values)
        if len(pattern) <= LONGEST_PATTERN:
            return {"$mt": {"$i": pattern}}
    return {"$or": [{"$i": x} for x in values]}


def alternatives(strings: list[str]) -> str:
    """A pattern matching exactly the given plain strings. Strings of `;`-separated fields, as
    the encoded combinations are, are factored field by field (a set that is every combination
    of its fields' values is one choice per field); others are a tree of their common prefixes:
    `alternatives(["ab", "abc", "ad"])` is `a(b(c)?|d)`."""
    rows = sorted({tuple(string.split(";")) for string in strings})
    if len({len(row) for row in rows}) == 1 and all(rows[0]):
        return _fields(rows)
    return _prefixes(strings)


def _choice(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + "|".join(parts) + ")"


def _fields(rows: list[tuple[str, ...]]) -> str:
    """The pattern of rows of fields (one length, none empty): one choice per field when the rows
    are every combination of their fields' values, else a choice of first fields, each followed
    by the pattern of the rests it comes with (first fields sharing their rests share a choice)."""
    columns = [sorted({row[i] for row in rows}) for i in range(len(rows[0]))]
    if math.prod(len(column) for column in columns) == len(rows):
        return ";".join(_prefixes(column) for column in columns)
    rests: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for row in rows:
        rests.setdefault((row[0],), []).append(row[1:])
    heads: dict[tuple[tuple[str, ...], ...], list[str]] = {}
    for (head,), rest in rests.items():
        heads.setdefault(tuple(rest), []).append(head)
    return _choice([_choice(sorted(firsts)) + (";" + _fields(list(rest)) if rest[0] else "")
                    for rest, firsts in heads.items()])


def _prefixes(strings: list[str]) -> str:
    """The pattern of plain strings as a tree of their common prefixes."""
    trie: dict[str, Any] = {}
    for string in strings:
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}  # a string ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [char + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = _choice(branches)
        if "" not in node:
            return body
        return f"({body})?" if len(branches) == 1 else f"{body}?"
    return pattern(trie)


def fact_conditions(test: FactTest) -> list[dict[str, Any]]:
    """durable-rules conditions for one test, after the `t`/`p` discriminators."""
    return CONDITIONS[test.test](encode(test.value))
