"""Conditions in plain words: the sentence a person reads for each node of a condition tree.

The sentences are written in the rules (`says`/`says_not` on a fact condition, `holds`/`fails`
on a concept's words); this module only picks the one that fits the node's value. `expression`
keeps the rule-language form for the machine-readable exports, and `unworded` lists the
conditions that lack their sentence (`bgtc rules lint` refuses them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from bgtc_rules.language.leaves import Leaf, Truth
from bgtc_rules.language.spec import ConceptWords
from bgtc_rules.language.tree import AllNode, AnyNode, CompiledRule, ConceptNode, InForceNode, Node, NotNode, walk


def lower_first(sentence: str) -> str:
    """`sentence` with its first letter lowered, unless it starts an acronym or a name in capitals.

    Examples:
        >>> lower_first("The disease is rare."), lower_first("FDA has agreed.")
        ('the disease is rare.', 'FDA has agreed.')
    """
    if len(sentence) > 1 and sentence[0].isupper() and not sentence[1].isupper():
        return sentence[0].lower() + sentence[1:]
    return sentence


def concept_name(concept: str, words: Mapping[str, ConceptWords]) -> str:
    """The concept's readable name (its id in words, for rules that give none)."""
    found = words.get(concept)
    return found.name if found else concept.replace("_", " ")


def _concept(concept: str, holds: bool, words: Mapping[str, ConceptWords]) -> str:
    found = words.get(concept)
    if found is None:
        return concept.replace("_", " ") + ("" if holds else ": does not hold")
    return found.holds if holds else found.fails


def _fact(leaf: Leaf, holds: bool) -> str:
    if not leaf.says:
        return leaf.describe() if holds else f"not {leaf.describe()}"
    if holds:
        return leaf.says
    return leaf.says_not or f"Not met: {lower_first(leaf.says)}"


def plain_date(day: dt.date) -> str:
    """A date as a person writes it.

    Examples:
        >>> plain_date(dt.date(2025, 6, 7))
        'June 7, 2025'
    """
    return f"{day:%B} {day.day}, {day.year}"


def sentence(node: Node, value: Truth, words: Mapping[str, ConceptWords]) -> str:
    """What a person reads for `node`: with `value` True or None, the condition as the rule states
    it (for a tree, where a mark beside it says whether it holds); with `value` False, what is the
    case instead (for a reason standing alone: a refuted concept reads as its `fails` sentence)."""
    holds = value is not False
    if isinstance(node, Leaf):
        return _fact(node, holds)
    if isinstance(node, ConceptNode):
        return _concept(node.concept, holds, words)
    if isinstance(node, NotNode):
        inner = node.part
        if isinstance(inner, Leaf):
            return _fact(inner, not holds)
        if isinstance(inner, ConceptNode):
            return _concept(inner.concept, not holds, words)
        return "None of these holds:" if isinstance(inner, AnyNode) else "Not all of these hold:"
    if isinstance(node, AllNode):
        return "All of these:"
    if isinstance(node, AnyNode):
        return "Any one of these:"
    assert isinstance(node, InForceNode)
    until = f" to {plain_date(node.effective_until)}" if node.effective_until else ""
    return f"The rule is in force from {plain_date(node.effective_from)}{until}"


def expression(node: Node) -> str:
    """The node as the rule language writes it (for the machine-readable exports)."""
    if isinstance(node, AllNode):
        return "all of"
    if isinstance(node, AnyNode):
        return "any of"
    if isinstance(node, NotNode):
        inner = node.part
        return "not" if isinstance(inner, (AllNode, AnyNode)) else f"not {expression(inner)}"
    if isinstance(node, ConceptNode):
        return node.concept
    if isinstance(node, InForceNode):
        until = node.effective_until.isoformat() if node.effective_until else "open-ended"
        return f"in force ({node.effective_from.isoformat()} to {until})"
    return node.describe()


def answer(value: Any) -> str:
    """A dossier value as a person reads it: yes/no, words instead of identifiers, a count of entries.

    Examples:
        >>> answer(True), answer(None), answer("ind_active"), answer(("clinical", "cmc")), answer(6)
        ('yes', 'not answered yet', 'ind active', 'clinical, cmc', '6')
    """
    if value is None:
        return "not answered yet"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return plain_date(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "none"
        if all(isinstance(v, str) and "=" in v for v in value):  # item signatures of a list of objects
            return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
        return ", ".join(answer(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {answer(v)}" for k, v in value.items() if v != "(to be provided)")
    return str(value).replace("_", " ")


def _negated_leaves(node: Node, negated: bool = False) -> Iterator[Leaf]:
    if isinstance(node, Leaf) and negated:
        yield node
    elif isinstance(node, NotNode):
        yield from _negated_leaves(node.part, not negated)
    elif isinstance(node, (AllNode, AnyNode)):
        for part in node.parts:
            yield from _negated_leaves(part, negated)


def unworded(rules: tuple[CompiledRule, ...], words: Mapping[str, ConceptWords]) -> list[tuple[str, str]]:
    """(rule or concept, what is missing) for every condition a person would read as rule code."""
    found: list[tuple[str, str]] = []
    for rule in rules:
        for node in walk(rule.when):
            if isinstance(node, Leaf) and not node.says:
                found.append((rule.id, f"the condition on {node.path} has no `says:` sentence"))
        for leaf in _negated_leaves(rule.when):
            if leaf.says and not leaf.says_not:
                found.append((rule.id, f"the condition on {leaf.path} is read under `not` and has no `says_not:`"))
    concepts = {rule.concept for rule in rules if rule.concept} | {c for rule in rules for c in rule.concepts_read()}
    found.extend((concept, "concept has no words (name, holds, fails) under `concepts:`")
                 for concept in sorted(concepts - set(words)))
    return found
