"""Every condition node of a rule base valued at once, by code generated from the rules.

`truth` (in `language.tree`) is the definition: a recursive walk that dispatches on node types.
Evaluating a dossier asks for the same nodes many times (the outcome, the firing's support,
the why-not, the missing evidence), so the rule base is compiled once into one straight-line
Python function that computes every node's value into a list, leaves first and rules in
dependency order. The result is a `Valuation`: a node's value is one list index away.

The generated code is a transcription of `truth` and of each operator's definition
(`language.operators`), node by node; the tests check that both give the same value for every
node on generated dossiers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bgtc_rules.base.memo import remember
from bgtc_rules.language.cache import compiled_code
from bgtc_rules.language.leaves import Leaf, Truth
from bgtc_rules.language.tree import AllNode, AnyNode, CompiledRule, ConceptNode, InForceNode, Node, NotNode

_ALL = "False if False in x else (None if None in x else True)"
_ANY = "True if True in x else (None if None in x else False)"


@dataclass(frozen=True)
class Valuation:
    """The value of every node of the rule base for one dossier, and the concept values it used."""

    plan: ValuationPlan
    facts: Mapping[str, Any]
    values: list[Truth]
    concepts: Mapping[str, Truth]

    def __getitem__(self, node: Node) -> Truth:
        """The node's value; a `KeyError` for a node that is not part of the rule base."""
        return self.values[self.plan.slots[id(node)]]


class ValuationPlan:
    """The generated evaluator of one rule base (rules in dependency order).

    `evaluate(facts, as_of)` derives the concepts as it goes, as the reference evaluator
    does; `evaluate(facts, as_of, concepts)` reads concept values another backend derived.
    """

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.slots: dict[int, int] = {}
        self._nodes: list[Node] = []  # keeps every node alive, so its id stays its own
        self._constants: list[Any] = []
        self._in_force = tuple(rule.in_force for rule in rules)  # in the rules' order
        self._flag_of = {id(node): index for index, node in enumerate(self._in_force)}
        self.rule_slots: dict[str, int] = {}
        self._flags: dict[dt.date, list[bool]] = {}
        # The shape of the conditions by slot, for the explanations (`engine.explain`) to walk the
        # values without dispatching on node types: an all or any node's parts, a not node's part.
        self.parts: dict[int, tuple[int, ...]] = {}
        self.conjunctions: set[int] = set()  # the all nodes among them
        self.negated: dict[int, int] = {}
        self._derive, self._given = self._generate(rules)
        # A refuted node's sentence (by its slot), the missing fact an unknown leaf asks for (by the
        # rule's id, the slot and the chain of concepts it was reached through), a rule's sentence
        # when out of force on a date: the same for every dossier, written once by the first
        # explainer that needs it (`engine.explain`), kept here with the nodes they name.
        self.refuted_texts: dict[int, str] = {}
        self.asked: dict[tuple[str, int, tuple[str, ...]], Any] = {}
        self.out_of_force_texts: dict[tuple[int, dt.date], str] = {}

    # --- code generation ---------------------------------------------------------------------

    def _slot(self, node: Node) -> int:
        key = id(node)
        if key not in self.slots:
            self.slots[key] = len(self._nodes)
            self._nodes.append(node)
        return self.slots[key]

    def _constant(self, value: Any) -> int:
        self._constants.append(value)
        return len(self._constants) - 1

    def _literal(self, value: Any) -> str:
        """The value as Python source when it reads back exactly, else a reference to the table."""
        plain = (bool, int, str)
        if type(value) in plain or (type(value) is tuple and all(type(v) in plain for v in value)):
            return repr(value)
        return f"K[{self._constant(value)}]"

    def _emit(self, node: Node, lines: list[str]) -> int:
        """Lines computing `node` (children first) into V[slot]; the slot."""
        slot = self._slot(node)
        kind = type(node)
        if kind is AllNode or kind is AnyNode:
            parts = [self._emit(p, lines) for p in node.parts]  # type: ignore[union-attr]
            self.parts[slot] = tuple(parts)
            if kind is AllNode:
                self.conjunctions.add(slot)
            operands = ", ".join(f"V[{p}]" for p in parts)
            lines.append(f"    x = ({operands},)")
            lines.append(f"    V[{slot}] = {_ALL if kind is AllNode else _ANY}")
        elif kind is NotNode:
            inner = self._emit(node.part, lines)  # type: ignore[union-attr]
            self.negated[slot] = inner
            lines.append(f"    x = V[{inner}]")
            lines.append(f"    V[{slot}] = None if x is None else not x")
        elif kind is ConceptNode:
            lines.append(f"    V[{slot}] = C.get({node.concept!r})")  # type: ignore[union-attr]
        elif kind is InForceNode:
            lines.append(f"    V[{slot}] = I[{self._flag_of[id(node)]}]")
        else:
            lines.extend(self._leaf(node, slot))  # type: ignore[arg-type]
        return slot

    def _leaf(self, leaf: Leaf, slot: int) -> list[str]:
        fetch = f"    x = F[{leaf.path!r}]"
        op = leaf.op
        if op.python is None:  # no inline form (`contains`): the definition itself, on a known value
            test = f"K[{self._constant(op.holds_on_known)}](x, {self._literal(leaf.value)})"
        else:  # facts are plain bool, int, float, str, date or tuple values: comparing them gives a bool
            test = op.python.format(value=self._literal(leaf.value)) if op.takes_value else op.python
        # A test of whether the fact is known is never unknown; any other is unknown on an unknown fact.
        return [fetch, f"    V[{slot}] = {test}" if op.on_status else f"    V[{slot}] = None if x is None else {test}"]

    def _generate(self, rules: Sequence[CompiledRule]) -> tuple[Any, Any]:
        """Two evaluators: one deriving the concepts as it goes, one reading them as given."""
        lines: list[str] = []
        derivations: set[int] = set()  # the lines that derive a concept
        for rule in rules:
            root = self._emit(rule.root, lines)
            self.rule_slots[rule.id] = root
            if rule.concept:
                # concepts[c] = any(concepts.get(c, False), value), as the reference evaluator keeps it
                derivations.update((len(lines), len(lines) + 1))
                lines.append(f"    x = (C.get({rule.concept!r}, False), V[{root}])")
                lines.append(f"    C[{rule.concept!r}] = {_ANY}")
        head = ["def evaluate(F, C, I):", f"    V = [None] * {len(self._nodes)}"]
        derive = [*head, *lines, "    return V"]
        given = [*head, *(line for i, line in enumerate(lines) if i not in derivations), "    return V"]
        return self._compile(derive), self._compile(given)

    def _compile(self, lines: list[str]) -> Any:
        namespace: dict[str, Any] = {"K": tuple(self._constants)}
        exec(compiled_code("\n".join(lines), "<bgtc valuation>"), namespace)  # our own generated code
        return namespace["evaluate"]

    # --- evaluation ---------------------------------------------------------------------------

    def in_force(self, as_of: dt.date) -> list[bool]:
        """Whether each rule, in the order given, is in force on the date (the few dates in use
        are remembered)."""
        flags = self._flags.get(as_of)
        if flags is None:
            flags = remember(self._flags, as_of, [node.holds(as_of) for node in self._in_force], 64)
        return flags

    def evaluate(self, facts: Mapping[str, Any], as_of: dt.date,
                 concepts: Mapping[str, Truth] | None = None) -> Valuation:
        table = facts.by_path if hasattr(facts, "by_path") else facts
        flags = self.in_force(as_of)
        if concepts is None:
            derived: dict[str, Truth] = {}
            return Valuation(self, facts, self._derive(table, derived, flags), derived)
        return Valuation(self, facts, self._given(table, concepts, flags), concepts)

    def node(self, slot: int) -> Node:
        return self._nodes[slot]

    def slots_of(self, nodes: Sequence[Node]) -> tuple[int, ...]:
        return tuple(self.slots[id(node)] for node in nodes)
