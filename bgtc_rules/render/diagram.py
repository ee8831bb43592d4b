"""A program's explanation as an inline SVG diagram, for the reports: the determination, the
rules that decide it, the concepts they read and the conditions down to the dossier facts.

The layout follows the shape of the proof trees; nothing is decided here. `<title>` elements
carry the full text wherever a label had to be shortened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bgtc_rules.engine.proof import ConditionProof, RuleProof
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.truth import Look, truth_look
from bgtc_rules.language.wording import answer
from bgtc_rules.render.svg import (
    INK,
    MUTED,
    esc,
    fits,
    shorten,
    svg_open,
    wrap,
)


@dataclass
class _Node:
    key: str
    kind: str  # determination | rule | concept | condition
    line1: str  # what it is: wrapped, never cut
    line2: str  # its value, or the dossier's answer
    title: str
    value: Truth
    order: int
    determination: Determination | None = None
    deciding: bool = False
    alternative: bool = False  # refuted, but not a failure: drawn apart (see `language.truth.ALTERNATIVE_LOOK`)
    column: int = 0
    x: float = 0.0
    y: float = 0.0
    parents: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        width = _D_WIDTH[self.kind] - 16
        return wrap(self.line1, fits(width, 6.9), _D_MAX_LINES)

    @property
    def height(self) -> float:
        return _D_LINE * (len(self.lines) + 1) + 10

    @property
    def style(self) -> Look:
        if self.determination is not None:
            return self.determination.look
        return truth_look(self.value, self.alternative)


_D_WIDTH = {"determination": 150, "rule": 230, "concept": 200, "condition": 340}
_D_LINE = 14
_D_MAX_LINES = 8
_D_GAP = 10
_D_COLUMN_GAP = 44
_D_PAD = 12
_D_HEAD = 22
_EXCLUSIONS = (": not_eligible", ": not_yet", ": closed")


class _Graph:
    """Determination <- rules <- concepts <- fact conditions, with the concepts' own rules folded
    into the concept they conclude.

    A false node is a failure only where it was needed: a false branch of an `any` that holds,
    an exclusion or window rule that does not apply, and what sits under a `not` that holds are
    refuted alternatives, and so is everything false below them."""

    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[tuple[str, str, bool], None] = {}
        self._expanded: set[str] = set()

    def node(self, key: str, make: _Node) -> _Node:
        if key not in self.nodes:
            self.nodes[key] = make
        else:  # a node needed anywhere is needed: a failure there is a failure
            self.nodes[key].alternative = self.nodes[key].alternative and make.alternative
        return self.nodes[key]

    def edge(self, child: str, parent: str, negated: bool) -> None:
        self.edges.setdefault((child, parent, negated), None)
        if parent not in self.nodes[child].parents:
            self.nodes[child].parents.append(parent)

    def rule(self, proof: RuleProof, parent: str, deciding: bool, alternative: bool = False) -> None:
        key = f"rule:{proof.rule_id}"
        alternative = alternative or (proof.value is False and proof.concludes.endswith(_EXCLUSIONS))
        word = truth_look(proof.value, alternative).word
        title = f"{proof.title} [{word}]" + (" (deciding)" if deciding else "")
        self.node(key, _Node(key, "rule", proof.title, word, title, proof.value,
                             len(self.nodes), deciding=deciding, alternative=alternative))
        self.edge(key, parent, False)
        self.body(proof, key, alternative)

    def body(self, proof: RuleProof, key: str, alternative: bool) -> None:
        if proof.in_force.value is not True:
            self.condition(proof.in_force, key, False, alternative)
        self.condition(proof.condition, key, False, alternative)

    def condition(self, proof: ConditionProof, parent: str, negated: bool, alternative: bool) -> None:
        if proof.concept is not None:
            key = f"concept:{proof.concept}"
            word = truth_look(proof.value, alternative).word
            self.node(key, _Node(key, "concept", proof.name or proof.concept, word,
                                 f"{proof.name}: {proof.text} [{word}]", proof.value, len(self.nodes),
                                 alternative=alternative))
            self.edge(key, parent, negated)
            if key not in self._expanded:
                self._expanded.add(key)
                for rule in proof.derived_by:
                    self.body(rule, key, alternative)
            return
        if proof.kind == "not":
            self.condition(proof.parts[0], parent, not negated, alternative or proof.value is True)
            return
        if proof.parts:
            branch = alternative or (proof.kind == "any" and proof.value is True)
            for part in proof.parts:
                self.condition(part, parent, negated, branch)
            return
        key = f"condition:{proof.expression or proof.text}"
        word = truth_look(proof.value, alternative).word
        second = f"your dossier: {answer(proof.fact_value)}" if proof.fact is not None else word
        self.node(key, _Node(key, "condition", proof.text, second, f"{proof.text} [{word}]; {second}",
                             proof.value, len(self.nodes), alternative=alternative))
        self.edge(key, parent, negated)


def _layout(graph: _Graph) -> tuple[list[list[_Node]], int, int]:
    """Columns by longest path from the determination (fact conditions always last), each column
    ordered by the mean height of its nodes' parents and centred; returns columns, width, height."""
    memo: dict[str, int] = {}

    def depth(key: str) -> int:
        if key not in memo:
            node = graph.nodes[key]
            memo[key] = 0 if not node.parents else 1 + max(depth(p) for p in node.parents)
        return memo[key]

    concept_columns = [depth(k) for k, n in graph.nodes.items() if n.kind == "concept"]
    last = max([*concept_columns, 1]) + 1
    for key, node in graph.nodes.items():
        node.column = last if node.kind == "condition" else depth(key)
    grouped: list[list[_Node]] = [[] for _ in range(last + 1)]
    for node in sorted(graph.nodes.values(), key=lambda n: n.order):
        grouped[node.column].append(node)
    columns = [c for c in grouped if c]

    def extent(column: list[_Node]) -> float:
        return sum(n.height for n in column) + _D_GAP * (len(column) - 1)

    body = max(extent(c) for c in columns)
    x = float(_D_PAD)
    for column in columns:
        if column[0].kind != "determination":
            def parents_height(node: _Node) -> tuple[float, int]:
                heights = [graph.nodes[p].y + graph.nodes[p].height / 2 for p in node.parents]
                return (sum(heights) / len(heights), node.order)

            column.sort(key=parents_height)
        y = _D_HEAD + _D_PAD + (body - extent(column)) / 2
        for node in column:
            node.x, node.y = x, y
            y += node.height + _D_GAP
        x += _D_WIDTH[column[0].kind] + _D_COLUMN_GAP
    return columns, int(x - _D_COLUMN_GAP + _D_PAD), int(_D_HEAD + body + 2 * _D_PAD)


def explanation_svg(program: str, name: str, determination: Determination, proofs: Sequence[RuleProof],
                    deciding: Sequence[str]) -> str:
    """One program's explanation as a diagram: the determination (left) <- the program's rules <-
    the concepts they read (each concept's own rules folded into it) <- the fact conditions, each
    node coloured and marked (✔ holds, ✘ refuted, ? unknown, ○ a refuted alternative that is not
    needed); a dashed arrow is read through a `not`. Deciding rules have a heavier border."""
    graph = _Graph()
    det_style = determination.look
    graph.node("determination", _Node("determination", "determination", name, det_style.word,
                                      f"{name}: {det_style.word}", None, 0, determination=determination))
    # The program's eligible rules are alternatives too: one that holds makes the others unneeded.
    eligible_holds = any(p.value is True and p.concludes.endswith(": eligible") for p in proofs)
    for proof in proofs:
        graph.rule(proof, "determination", proof.rule_id in deciding,
                   eligible_holds and proof.concludes.endswith(": eligible"))
    columns, width, height = _layout(graph)
    label_id = f"explanation-{program}-title"
    label = f"Explanation of {name}: {det_style.word}, from {sum(1 for _ in proofs)} rules"
    arrow = f"arrow-{program}"
    defs = (f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 Z" fill="{MUTED}"/></marker></defs>\n')
    out = [svg_open(width, height, "explanation", label_id, label, f' data-program="{esc(program)}"'), defs]
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>\n')
    headings = {"determination": "determination", "rule": "program rules", "concept": "concepts",
                "condition": "facts (dossier fields)"}
    for index, column in enumerate(columns):
        kind = column[0].kind
        deeper = kind == "concept" and columns[index - 1][0].kind == "concept"
        heading = "concepts they read" if deeper else headings[kind]
        out.append(f'<text class="column-heading" x="{column[0].x:.1f}" y="{_D_PAD + 10}" fill="{MUTED}" '
                   f'font-size="11" font-weight="bold">{esc(heading)}</text>\n')
    out.append('<g class="edges" fill="none">\n')
    for child_key, parent_key, negated in graph.edges:
        child, parent = graph.nodes[child_key], graph.nodes[parent_key]
        x1, y1 = child.x, child.y + child.height / 2
        x2, y2 = parent.x + _D_WIDTH[parent.kind], parent.y + parent.height / 2
        bend = max((x1 - x2) / 2, 20)
        heavy = parent.kind == "determination" and child.deciding
        dash = ' stroke-dasharray="5 3"' if negated else ""
        colour = INK if heavy else MUTED
        out.append(f'<path class="edge{" negated" if negated else ""}" d="M{x1:.1f} {y1:.1f} C{x1 - bend:.1f} '
                   f'{y1:.1f} {x2 + bend:.1f} {y2:.1f} {x2 + 1:.1f} {y2:.1f}" stroke="{colour}" '
                   f'stroke-width="{2.2 if heavy else 1.1}"{dash} marker-end="url(#{arrow})"/>\n')
        if negated:
            out.append(f'<text x="{x2 + 12:.1f}" y="{y2 - 5:.1f}" fill="{MUTED}" font-size="10" '
                       'stroke="#ffffff" stroke-width="3" paint-order="stroke">not</text>\n')
    out.append('</g>\n<g class="nodes">\n')
    for column in columns:
        for node in column:
            out.append(_node_svg(node))
    out.append('</g>\n</svg>')
    return "".join(out)


def _node_svg(node: _Node) -> str:
    width, height, style = _D_WIDTH[node.kind], node.height, node.style
    dashed = node.determination is None and (node.value is None or (node.alternative and node.value is False))
    dash = ' stroke-dasharray="4 2"' if dashed else ""
    stroke_width = 2.6 if node.deciding or node.kind == "determination" else 1.2
    lines = node.lines
    text = [f'<text x="{node.x + 8:.1f}" y="{node.y + 15:.1f}" fill="{INK}">'
            f'<tspan fill="{style.stroke}" font-weight="bold">{esc(style.symbol)} </tspan>{esc(lines[0])}</text>']
    text += [f'<text x="{node.x + 8:.1f}" y="{node.y + 15 + _D_LINE * i:.1f}" fill="{INK}">{esc(line)}</text>'
             for i, line in enumerate(lines[1:], 1)]
    second = shorten(node.line2, fits(width - 16, 6.2))
    text.append(f'<text x="{node.x + 8:.1f}" y="{node.y + 15 + _D_LINE * len(lines):.1f}" fill="{MUTED}" '
                f'font-size="11">{esc(second)}</text>')
    return (f'<g class="node node-{node.kind} {style.css}" data-key="{esc(node.key)}">'
            f'<title>{esc(node.title)}</title>'
            f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{width}" height="{height}" rx="5" '
            f'fill="{style.fill}" stroke="{style.stroke}" stroke-width="{stroke_width}"{dash}/>'
            + "".join(text) + '</g>\n')
