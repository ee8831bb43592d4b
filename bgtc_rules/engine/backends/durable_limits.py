"""The durable-rules engine's fixed limits, and a model of the alpha network its C core would
build for a ruleset definition, to refuse a definition that would overflow a table before the
engine sees it (see shared/notes/durable-rules.md); the handle budget, and the malloc tuning
for processes that run many sessions. Imports nothing of durable-rules itself.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from bgtc_rules.base.errors import EngineError

# Fixed table sizes of the engine's C core (durable-rules 2.0.28: rules.h, rete.h, state.h, events.c).
# Past them it fails at registration, fails at evaluation, or never returns (a full branch table).
MAX_BRANCHES = 511        # NEXT_BUCKET_LENGTH 512: with all 512 slots taken, a lookup loops for ever
MAX_JOINS = 127           # NEXT_LIST_LENGTH 128: `$or` joins and absence tests hanging from one node
MAX_NODE_RULES = 255      # BETA_LIST_LENGTH 256: rules that end in one node (256 crashes the process)
MAX_RULES = 4096          # MAX_ACTIONS 4096: rules in one ruleset, the end marker included
MAX_EXPRESSIONS = 31      # MAX_SEQUENCE_EXPRESSIONS 32: expression slots in one fact's condition
MAX_FRAMES = 16           # MAX_MESSAGE_FRAMES 16: facts joined by one rule
MAX_HANDLES = 131_071     # MAX_HANDLES 131072, handle 0 unused: rulesets alive in one process
MAX_PENDING = 64          # MAX_STACK_SIZE 64: nodes pending while one fact is matched


class _Node:
    """A node of the engine's alpha network, as `rete.c` would build it (see `network_problems`)."""

    __slots__ = ("branches", "extra", "joins", "rules", "test")

    def __init__(self, test: tuple[str, str, str]) -> None:
        self.test = test                                        # (property, operator, value as JSON)
        self.branches: dict[tuple[str, str, str] | int, _Node] = {}  # the hash table of tests
        self.extra: list[_Node] = []                            # array tests ($i), never shared
        self.joins: list[_Node] = []                            # `$or` joins and `$nex` tests
        self.rules = 0                                          # rules whose condition ends here


_OPERATORS = {"$eq", "$neq", "$lt", "$lte", "$gt", "$gte", "$ex", "$nex", "$mt", "$imt"}


def _place(condition: dict[str, Any], parent: _Node, in_array: bool) -> _Node:
    """Add one condition below `parent` the way `createAlpha` does; return the node it ends in."""
    ((key, value),) = condition.items()
    if key == "$and":
        node = parent
        for index, part in enumerate(value):
            node = _place(part, node, in_array and index == 0)
        return node
    if key == "$or":
        join = _Node(("", "$or", ""))  # a fresh join per `$or`, never shared
        for part in value:
            _place(part, parent, in_array).joins.append(join)
        return join
    if key in ("$iany", "$iall"):
        ((prop, inner),) = value.items()
        node = _Node((prop, key, ""))  # never shared either
        _link(parent, node, in_array, id(node))
        _place(inner, node, True)
        return node
    if key in _OPERATORS:
        ((prop, operand),) = value.items()
    else:
        key, prop, operand = "$eq", key, value
    test = (prop, key, json.dumps(operand, sort_keys=True))
    for found in (*parent.branches.values(), *parent.joins):  # `findAlpha` never looks at array tests
        if found.test == test:
            return found
    node = _Node(test)
    if key == "$nex":
        parent.joins.append(node)
    else:
        _link(parent, node, in_array, test)
    return node


def _link(parent: _Node, node: _Node, in_array: bool, key: tuple[str, str, str] | int) -> None:
    if in_array and parent.test[1] in ("$iany", "$iall"):
        parent.extra.append(node)
    else:
        parent.branches[key] = node


def _expressions(condition: dict[str, Any]) -> int:
    """Expression slots one fact's condition takes (each `$and`/`$or` 2, each reference 1)."""
    ((key, value),) = condition.items()
    if key in ("$and", "$or"):
        return 2 + sum(_expressions(part) for part in value)
    if key in ("$iany", "$iall"):
        ((_, inner),) = value.items()
        return _expressions(inner)
    if key in _OPERATORS:
        ((_, value),) = value.items()
    return 1 if isinstance(value, dict) else 0


def expression_slots(condition: dict[str, Any]) -> int:
    """Expression slots one fact's condition takes in the engine (at most `MAX_EXPRESSIONS`)."""
    return _expressions(condition)


def _pending(node: _Node, memo: dict[int, int]) -> int:
    """At most how many nodes wait on the engine's stack while a fact is matched below `node`.

    The engine pops a node and pushes every child the fact satisfies. Equality tests on one
    property hold one at a time; any other test, and every join, may hold together.
    """
    if id(node) in memo:
        return memo[id(node)]
    children = [*node.branches.values(), *node.joins]
    equal = {c.test[0] for c in node.branches.values() if c.test[1] == "$eq" and not c.test[2].startswith("{")}
    others = sum(1 for c in node.branches.values() if c.test[1] != "$eq" or c.test[2].startswith("{"))
    held = len(equal) + others + len(node.joins)
    deepest = max((_pending(child, memo) for child in children), default=0)
    memo[id(node)] = result = max(held, held - 1 + deepest) if children else 0
    return result


def network_problems(definition: dict[str, Any]) -> list[str]:
    """What a ruleset definition would overflow in the engine; empty when it fits.

    Mirrors how `rete.c` builds the alpha network (tests are shared between rules except
    `$or` joins and array tests), then checks every fixed table and the matching stack.
    """
    problems: list[str] = []
    if len(definition) > MAX_RULES:
        problems.append(f"{len(definition)} rules in one ruleset (at most {MAX_RULES})")
    root = _Node(("", "", ""))
    for name, rule in definition.items():
        if len(rule["all"]) > MAX_FRAMES:
            problems.append(f"rule {name} joins {len(rule['all'])} facts (at most {MAX_FRAMES})")
        for slot in rule["all"]:
            ((fact, condition),) = slot.items()
            if _expressions(condition) > MAX_EXPRESSIONS:
                problems.append(f"rule {name}, fact {fact}: {_expressions(condition)} expression slots "
                                f"(at most {MAX_EXPRESSIONS})")
            _place(condition, root, False).rules += 1
    stack, seen = [(root, "")], set()
    while stack:
        node, where = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        here = f"{where} {node.test[0]} {node.test[1]} {node.test[2]}".strip() if node.test[1] else where
        for count, most, what in ((len(node.branches), MAX_BRANCHES, "tests branch"),
                                  (len(node.extra), MAX_BRANCHES, "array tests branch"),
                                  (len(node.joins), MAX_JOINS, "joins hang"),
                                  (node.rules, MAX_NODE_RULES, "rule conditions end")):
            if count > most:
                problems.append(f"{count} {what} from one node (at most {most}), after: {here or 'the root'}")
        stack.extend((child, here) for child in (*node.branches.values(), *node.extra, *node.joins))
    pending = _pending(root, {})
    if pending > MAX_PENDING:
        problems.append(f"one fact can leave {pending} tests pending at once (at most {MAX_PENDING})")
    return problems


def checked_network(definition: dict[str, Any]) -> list[str]:
    """`network_problems(definition)`, kept in the compiled-rule cache (see `language.cache`).

    The check walks every condition of the ruleset (about a third of a registration, which a
    `bgtc evaluate` pays on every start); its answer depends only on the conditions and on this
    module, so both are in the key: a change to either checks again."""
    from bgtc_rules.language.cache import cached

    conditions = json.dumps({name: rule["all"] for name, rule in definition.items()}, separators=(",", ":"))
    digest = hashlib.sha256(b"durable-network\0" + Path(__file__).read_bytes() + b"\0" + conditions.encode())
    return cached(digest.hexdigest(), list, _problem_list, lambda: network_problems(definition))


def _problem_list(data: Any) -> list[str]:
    if not isinstance(data, list) or not all(isinstance(problem, str) for problem in data):
        raise TypeError("not a list of problems")
    return data


class HandleBudget:
    """Rulesets registered in this process. The engine's table holds `MAX_HANDLES` and freeing
    one is not safe (after about a thousand frees, registering fails with error 102), so the
    count only grows: by one per rule base and distinct set of rules in force, and by one per
    failed registration, whose handle the engine keeps."""

    def __init__(self) -> None:
        self.used = 0
        self._lock = threading.Lock()

    def register(self, host: Any, name: str, definition: dict[str, Any]) -> None:
        with self._lock:
            if self.used >= MAX_HANDLES:
                raise EngineError(
                    f"this process has registered {self.used} durable-rules rulesets, the most the engine can hold "
                    "(one per rule base and set of rules in force; they cannot be freed); restart the process "
                    "or use the reference backend")
            self.used += 1
            host.set_rulesets({name: definition})


HANDLES = HandleBudget()

REGISTRATION_ATTEMPTS = 4  # a bare refusal is tried this often (see `DurableBackend._register`)


def throwaway_ruleset(attempt: int) -> dict[str, Any]:
    """A small ruleset, larger with each `attempt`, registered between two attempts at a refused
    one only to change what the engine's parser finds in memory; nothing asserts its facts."""
    tests = [{"t": f"unsettle{attempt}"}, *({f"p{i}": i} for i in range(attempt))]
    return {f"r{i}": {"all": [{"m": {"$and": tests}}], "run": _no_action} for i in range(attempt)}


def _no_action(c: Any) -> None:
    """The action of a rule that never fires."""


def tune_malloc() -> bool:
    """Keep glibc from returning and re-requesting memory on every session (about 1 MB each).

    The engine allocates per-rule state for every session; with glibc's dynamic thresholds this
    churns pages on each evaluation (shared/notes/durable-rules.md, section 4). This raises the
    mmap and trim thresholds for the whole process, so it is for worker processes that evaluate
    many dossiers (`bgtc batch`, benchmarks), not something a library does on import. Returns
    whether it took effect (glibc only).
    """
    import ctypes  # here, not at import: only worker processes tune their memory (ctypes costs ~3 ms)

    try:
        libc = ctypes.CDLL("libc.so.6")
        mmap = libc.mallopt(_M_MMAP_THRESHOLD, 32 * 1024 * 1024)
        return bool(mmap and libc.mallopt(_M_TRIM_THRESHOLD, 128 * 1024 * 1024))
    except (OSError, AttributeError):
        return False


_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
