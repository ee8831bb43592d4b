"""The concept dependency graph of a rule base, as Mermaid or Graphviz DOT text."""

from __future__ import annotations

from bgtc_rules.language.catalog import base_path
from bgtc_rules.language.rulebase import RuleBase


def _edges(rulebase: RuleBase, with_facts: bool) -> list[tuple[str, str]]:
    edges: set[tuple[str, str]] = set()
    for rule in rulebase.rules:
        target = f"concept:{rule.concept}" if rule.concept else f"program:{rule.program}"
        edges.update((f"concept:{c}", target) for c in rule.concepts_read())
        if with_facts:
            edges.update((f"fact:{base_path(leaf.path)}", target) for leaf in rule.leaves())
    return sorted(edges)


def _node_id(name: str) -> str:
    return name.replace(":", "_").replace(".", "_")


def to_mermaid(rulebase: RuleBase, with_facts: bool = False) -> str:
    """Mermaid flowchart: facts -> concepts -> programs."""
    lines = ["flowchart LR"]
    nodes = sorted({n for edge in _edges(rulebase, with_facts) for n in edge})
    shapes = {"fact": ("[/", "/]"), "concept": ("(", ")"), "program": ("[[", "]]")}
    for node in nodes:
        kind, _, label = node.partition(":")
        left, right = shapes[kind]
        lines.append(f'  {_node_id(node)}{left}"{label}"{right}')
    lines.extend(f"  {_node_id(a)} --> {_node_id(b)}" for a, b in _edges(rulebase, with_facts))
    return "\n".join(lines) + "\n"


def to_dot(rulebase: RuleBase, with_facts: bool = False) -> str:
    """Graphviz DOT digraph: facts -> concepts -> programs."""
    lines = ["digraph bgtc_rules {", "  rankdir=LR;"]
    styles = {"fact": "shape=note", "concept": "shape=ellipse", "program": "shape=box, style=bold"}
    nodes = sorted({n for edge in _edges(rulebase, with_facts) for n in edge})
    for node in nodes:
        kind, _, label = node.partition(":")
        lines.append(f'  "{node}" [label="{label}", {styles[kind]}];')
    lines.extend(f'  "{a}" -> "{b}";' for a, b in _edges(rulebase, with_facts))
    lines.append("}")
    return "\n".join(lines) + "\n"
