"""Inline SVG for the reports: the plan as a Gantt chart, a program's explanation as a diagram.

Pure layout. Positions come from the plan's dates (as `build_plan` computed them: no day count
is recomputed here) and from the shape of the proof trees; nothing is decided here. The SVG has
no scripts, fonts or external references, is the same bytes for the same input, and every mark
says what it means in text or by symbol as well as by colour; `<title>` elements carry full text
wherever a label had to be shortened.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from bgtc_rules.advice.plan import Plan, PlanEvent
from bgtc_rules.engine.proof import ConditionProof, RuleProof
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.leaves import Truth, display_value


@dataclass(frozen=True)
class Style:
    """How a value is shown: a symbol, a word, and colours (text/border and background)."""

    symbol: str
    word: str
    stroke: str
    fill: str
    css: str


TRUTH_STYLES: dict[Truth, Style] = {
    True: Style("✔", "holds", "#1a7f37", "#dafbe1", "v-true"),
    False: Style("✘", "refuted", "#c4232d", "#ffebe9", "v-false"),
    None: Style("?", "unknown", "#8a5a00", "#fff3c4", "v-unknown"),
}

DETERMINATION_STYLES: dict[Determination, Style] = {
    Determination.ELIGIBLE: Style("✔", "eligible", "#1a7f37", "#dafbe1", "d-eligible"),
    Determination.NOT_ELIGIBLE: Style("✘", "not eligible", "#c4232d", "#ffebe9", "d-not_eligible"),
    Determination.UNDETERMINED: Style("?", "undetermined", "#8a5a00", "#fff3c4", "d-undetermined"),
    Determination.NOT_YET: Style("◷", "not yet", "#0b5cad", "#ddf4ff", "d-not_yet"),
}

FONT = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
_INK = "#1f2328"
_MUTED = "#57606a"
_RULE = "#d0d7de"


def esc(text: str) -> str:
    """Text (or an attribute value) escaped for HTML and SVG."""
    return html.escape(text, quote=True)


def safe_url(url: str) -> str:
    """A cited URL with the characters a URL may not contain percent-encoded (quotes, angle
    brackets, spaces, ...); reserved characters and existing %-escapes are kept.

    Examples:
        >>> safe_url('https://example.test/a b"<c>?q=1&r=%20')
        'https://example.test/a%20b%22%3Cc%3E?q=1&r=%20'
    """
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _fits(width: float, char_width: float) -> int:
    return max(int(width // char_width), 4)


def _svg_open(width: int, height: int, css: str, label_id: str, label: str, extra: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" aria-labelledby="{label_id}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="{esc(FONT)}" font-size="12"{extra}>\n'
            f'<title id="{label_id}">{esc(label)}</title>\n')


# --- the plan as a Gantt chart ------------------------------------------------------------------

@dataclass(frozen=True)
class _Step:
    label: str
    shape: str
    colour: str


_STEPS: dict[str, _Step] = {
    "request": _Step("request sent", "circle", "#0b5cad"),
    "fda_response": _Step("FDA response due", "square", "#6639ba"),
    "package_due": _Step("meeting package due", "triangle", "#b35900"),
    "preliminary_responses": _Step("FDA preliminary responses", "down", "#6639ba"),
    "sponsor_reply": _Step("reply to preliminary responses", "ring", "#0b5cad"),
    "meeting": _Step("meeting held (or written responses)", "diamond", "#1a7f37"),
}
_OTHER_STEP = _Step("other step", "ring", _MUTED)

_G_LABEL = 320
_G_CHART = 700
_G_RIGHT = 96
_G_ROW = 30
_G_TOP = 46


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
    if shape == "square":
        return (f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}" '
                'stroke="#ffffff" stroke-width="1"/>')
    if shape == "triangle":
        return (f'<path d="M{x:.1f} {y - 6.5:.1f} L{x + 6:.1f} {y + 4.5:.1f} L{x - 6:.1f} {y + 4.5:.1f} Z" '
                f'fill="{colour}" stroke="#ffffff" stroke-width="1"/>')
    if shape == "down":
        return (f'<path d="M{x:.1f} {y + 6.5:.1f} L{x + 6:.1f} {y - 4.5:.1f} L{x - 6:.1f} {y - 4.5:.1f} Z" '
                f'fill="{colour}" stroke="#ffffff" stroke-width="1"/>')
    if shape == "diamond":
        return (f'<path d="M{x:.1f} {y - 7.5:.1f} L{x + 7.5:.1f} {y:.1f} L{x:.1f} {y + 7.5:.1f} '
                f'L{x - 7.5:.1f} {y:.1f} Z" fill="{colour}" stroke="#ffffff" stroke-width="1"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months after `first` up to `last`, thinned out for long spans."""
    months = (last.year - first.year) * 12 + last.month - first.month
    every = 1 if months <= 14 else 3 if months <= 42 else 12
    ticks: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        tick = dt.date(year, month, 1)
        if tick > last:
            return ticks
        if (month - 1) % every == 0:
            ticks.append(tick)


def gantt_svg(plan: Plan, names: dict[str, str]) -> str:
    """The plan's dated events as a Gantt chart: one row per program, a bar from its request to
    its last dated step, and a marker (shape and colour, with a legend) for every step.

    `names` maps a program id to its display name. Returns "" when the plan has no dated event.
    """
    if not plan.events:
        return ""
    rows: dict[str, list[PlanEvent]] = {}
    for event in plan.events:
        rows.setdefault(event.program, []).append(event)
    first = min(plan.start, *(e.date for e in plan.events))
    last = max(e.date for e in plan.events)
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return _G_LABEL + 10 + (day - first).days * (_G_CHART - 20) / span

    used = [s for s in _STEPS if any(e.step == s for e in plan.events)]
    if any(e.step not in _STEPS for e in plan.events):
        used.append("")
    legend_rows = (len(used) + 2) // 3
    width = _G_LABEL + _G_CHART + _G_RIGHT
    chart_bottom = _G_TOP + len(rows) * _G_ROW
    height = chart_bottom + 24 + legend_rows * 20 + 8
    label = (f"Regulatory plan timeline from {plan.start.isoformat()} to {last.isoformat()}: "
             f"{len(plan.events)} dated steps for {len(rows)} programs")
    out = [_svg_open(width, height, "gantt", "gantt-title", label)]
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>\n')
    # the time axis: month ticks and the start line
    out.append('<g class="axis">\n')
    for tick in _month_starts(first, last):
        x = x_of(tick)
        out.append(f'<line x1="{x:.1f}" y1="{_G_TOP - 6}" x2="{x:.1f}" y2="{chart_bottom}" stroke="{_RULE}" '
                   'stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{_G_TOP - 10}" text-anchor="middle" fill="{_MUTED}" '
                   f'font-size="11">{esc(str(tick)[:7])}</text>\n')
    x0 = x_of(plan.start)
    out.append(f'<line x1="{x0:.1f}" y1="{_G_TOP - 24}" x2="{x0:.1f}" y2="{chart_bottom}" stroke="{_INK}" '
               'stroke-width="1.5" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{x0 + 4:.1f}" y="{_G_TOP - 28}" fill="{_INK}" font-size="11">start '
               f'{esc(plan.start.isoformat())}</text>\n')
    out.append('</g>\n')
    name_chars = _fits(_G_LABEL - 16, 6.9)
    for index, (program, events) in enumerate(rows.items()):
        top = _G_TOP + index * _G_ROW
        y = top + _G_ROW / 2
        name = names.get(program, program)
        out.append(f'<g class="gantt-row" data-program="{esc(program)}">\n')
        if index % 2 == 0:
            out.append(f'<rect x="0" y="{top}" width="{width}" height="{_G_ROW}" fill="#f6f8fa"/>\n')
        out.append(f'<text x="8" y="{y + 4:.1f}" fill="{_INK}"><title>{esc(name)}</title>'
                   f'{esc(shorten(name, name_chars))}</text>\n')
        begin, end = min(e.date for e in events), max(e.date for e in events)
        if end > begin:
            out.append(f'<rect class="bar" x="{x_of(begin):.1f}" y="{y - 4:.1f}" '
                       f'width="{x_of(end) - x_of(begin):.1f}" height="8" rx="4" fill="#c8d8ec" '
                       'stroke="#8aa6c8" stroke-width="0.8"/>\n')
        for event in sorted(events, key=lambda e: (e.date, e.step == "request", e.step)):
            step = _STEPS.get(event.step, _OTHER_STEP)
            out.append(f'<g class="milestone" data-step="{esc(event.step)}" data-date="{event.date.isoformat()}">'
                       f'<title>{esc(event.date.isoformat())}: {esc(event.title)}</title>'
                       f'{_marker(step.shape, x_of(event.date), y, step.colour)}</g>\n')
        out.append(f'<text x="{x_of(end) + 11:.1f}" y="{y + 4:.1f}" fill="{_MUTED}" font-size="11">'
                   f'{esc(end.isoformat())}</text>\n')
        out.append('</g>\n')
    out.append(f'<line x1="0" y1="{chart_bottom}" x2="{width}" y2="{chart_bottom}" stroke="{_RULE}"/>\n')
    out.append('<g class="legend">\n')
    for index, key in enumerate(used):
        step = _STEPS.get(key, _OTHER_STEP)
        lx = 8 + (index % 3) * 300
        ly = chart_bottom + 22 + (index // 3) * 20
        out.append(_marker(step.shape, lx + 6, ly - 4, step.colour))
        out.append(f'<text x="{lx + 18}" y="{ly}" fill="{_INK}" font-size="11">{esc(step.label)}</text>\n')
    out.append('</g>\n</svg>')
    return "".join(out)


# --- the explanation as a diagram -----------------------------------------------------------------

@dataclass
class _Node:
    key: str
    kind: str  # determination | rule | concept | condition
    line1: str
    line2: str
    title: str
    value: Truth
    order: int
    determination: Determination | None = None
    deciding: bool = False
    column: int = 0
    x: float = 0.0
    y: float = 0.0
    parents: list[str] = field(default_factory=list)


_D_WIDTH = {"determination": 150, "rule": 220, "concept": 190, "condition": 330}
_D_HEIGHT = 38
_D_GAP = 10
_D_COLUMN_GAP = 44
_D_PAD = 12
_D_HEAD = 22


class _Graph:
    """Determination <- rules <- concepts <- fact conditions, with the concepts' own rules folded
    into the concept they conclude."""

    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[tuple[str, str, bool], None] = {}
        self._expanded: set[str] = set()

    def node(self, key: str, make: _Node) -> _Node:
        if key not in self.nodes:
            self.nodes[key] = make
        return self.nodes[key]

    def edge(self, child: str, parent: str, negated: bool) -> None:
        self.edges.setdefault((child, parent, negated), None)
        if parent not in self.nodes[child].parents:
            self.nodes[child].parents.append(parent)

    def rule(self, proof: RuleProof, parent: str, deciding: bool) -> None:
        key = f"rule:{proof.rule_id}"
        style = TRUTH_STYLES[proof.value]
        short = proof.rule_id.split(".", 1)[-1] if "." in proof.rule_id else proof.rule_id
        title = f"{proof.rule_id}: {proof.title} [{style.word}]" + (" (deciding)" if deciding else "")
        self.node(key, _Node(key, "rule", f"{style.symbol} {short}", proof.title, title, proof.value,
                             len(self.nodes), deciding=deciding))
        self.edge(key, parent, False)
        self.body(proof, key)

    def body(self, proof: RuleProof, key: str) -> None:
        if proof.in_force.value is not True:
            self.condition(proof.in_force, key, False)
        self.condition(proof.condition, key, False)

    def condition(self, proof: ConditionProof, parent: str, negated: bool) -> None:
        if proof.concept is not None:
            key = f"concept:{proof.concept}"
            style = TRUTH_STYLES[proof.value]
            self.node(key, _Node(key, "concept", f"{style.symbol} {proof.concept}", f"concept: {style.word}",
                                 f"concept {proof.concept} [{style.word}]", proof.value, len(self.nodes)))
            self.edge(key, parent, negated)
            if key not in self._expanded:
                self._expanded.add(key)
                for rule in proof.derived_by:
                    self.body(rule, key)
            return
        if len(proof.parts) == 1 and proof.text.startswith("not"):
            self.condition(proof.parts[0], parent, not negated)
            return
        if proof.parts:
            for part in proof.parts:
                self.condition(part, parent, negated)
            return
        key = f"condition:{proof.text}"
        style = TRUTH_STYLES[proof.value]
        if proof.fact is not None:
            test = proof.text[len(proof.fact):].strip() if proof.text.startswith(proof.fact) else proof.text
            line1, line2 = proof.fact, f"{test}; is {display_value(proof.fact_value)}"
            title = f"{proof.text} [{style.word}]; {proof.fact} = {display_value(proof.fact_value)}"
        else:
            line1, line2, title = proof.text, style.word, f"{proof.text} [{style.word}]"
        self.node(key, _Node(key, "condition", f"{style.symbol} {line1}", line2, title, proof.value,
                             len(self.nodes)))
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
    step = _D_HEIGHT + _D_GAP
    body = max(len(c) for c in columns) * step - _D_GAP
    x = float(_D_PAD)
    for column in columns:
        if column[0].kind != "determination":
            def parents_height(node: _Node) -> tuple[float, int]:
                heights = [graph.nodes[p].y for p in node.parents]
                return (sum(heights) / len(heights), node.order)

            column.sort(key=parents_height)
        top = _D_HEAD + _D_PAD + (body - (len(column) * step - _D_GAP)) / 2
        for index, node in enumerate(column):
            node.x, node.y = x, top + index * step
        x += _D_WIDTH[column[0].kind] + _D_COLUMN_GAP
    return columns, int(x - _D_COLUMN_GAP + _D_PAD), int(_D_HEAD + body + 2 * _D_PAD)


def explanation_svg(program: str, name: str, determination: Determination, proofs: Sequence[RuleProof],
                    deciding: Sequence[str]) -> str:
    """One program's explanation as a diagram: the determination (left) <- the program's rules <-
    the concepts they read (each concept's own rules folded into it) <- the fact conditions, each
    node coloured and marked (✔ holds, ✘ refuted, ? unknown); a dashed arrow is read through a
    `not`. Deciding rules have a heavier border."""
    graph = _Graph()
    det_style = DETERMINATION_STYLES[determination]
    graph.node("determination", _Node("determination", "determination", f"{det_style.symbol} {det_style.word}",
                                      name, f"{name}: {det_style.word}", None, 0, determination=determination))
    for proof in proofs:
        graph.rule(proof, "determination", proof.rule_id in deciding)
    columns, width, height = _layout(graph)
    label_id = f"explanation-{program}-title"
    label = f"Explanation of {name}: {det_style.word}, from {sum(1 for _ in proofs)} rules"
    arrow = f"arrow-{program}"
    defs = (f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 Z" fill="{_MUTED}"/></marker></defs>\n')
    out = [_svg_open(width, height, "explanation", label_id, label, f' data-program="{esc(program)}"'), defs]
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>\n')
    headings = {"determination": "determination", "rule": "program rules", "concept": "concepts",
                "condition": "facts (dossier fields)"}
    for index, column in enumerate(columns):
        kind = column[0].kind
        deeper = kind == "concept" and columns[index - 1][0].kind == "concept"
        heading = "concepts they read" if deeper else headings[kind]
        out.append(f'<text class="column-heading" x="{column[0].x:.1f}" y="{_D_PAD + 10}" fill="{_MUTED}" '
                   f'font-size="11" font-weight="bold">{esc(heading)}</text>\n')
    out.append('<g class="edges" fill="none">\n')
    for child_key, parent_key, negated in graph.edges:
        child, parent = graph.nodes[child_key], graph.nodes[parent_key]
        x1, y1 = child.x, child.y + _D_HEIGHT / 2
        x2, y2 = parent.x + _D_WIDTH[parent.kind], parent.y + _D_HEIGHT / 2
        bend = max((x1 - x2) / 2, 20)
        heavy = parent.kind == "determination" and child.deciding
        dash = ' stroke-dasharray="5 3"' if negated else ""
        colour = _INK if heavy else _MUTED
        out.append(f'<path class="edge{" negated" if negated else ""}" d="M{x1:.1f} {y1:.1f} C{x1 - bend:.1f} '
                   f'{y1:.1f} {x2 + bend:.1f} {y2:.1f} {x2 + 1:.1f} {y2:.1f}" stroke="{colour}" '
                   f'stroke-width="{2.2 if heavy else 1.1}"{dash} marker-end="url(#{arrow})"/>\n')
        if negated:
            out.append(f'<text x="{x2 + 12:.1f}" y="{y2 - 5:.1f}" fill="{_MUTED}" font-size="10" '
                       'stroke="#ffffff" stroke-width="3" paint-order="stroke">not</text>\n')
    out.append('</g>\n<g class="nodes">\n')
    for column in columns:
        for node in column:
            out.append(_node_svg(node))
    out.append('</g>\n</svg>')
    return "".join(out)


def _node_svg(node: _Node) -> str:
    width = _D_WIDTH[node.kind]
    style = TRUTH_STYLES[node.value] if node.determination is None else DETERMINATION_STYLES[node.determination]
    dash = ' stroke-dasharray="4 2"' if node.value is None and node.determination is None else ""
    stroke_width = 2.6 if node.deciding or node.kind == "determination" else 1.2
    first = shorten(node.line1, _fits(width - 16, 8.1))
    second = shorten(node.line2, _fits(width - 16, 6.8))
    return (f'<g class="node node-{node.kind} {style.css}" data-key="{esc(node.key)}">'
            f'<title>{esc(node.title)}</title>'
            f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{width}" height="{_D_HEIGHT}" rx="5" '
            f'fill="{style.fill}" stroke="{style.stroke}" stroke-width="{stroke_width}"{dash}/>'
            f'<text x="{node.x + 8:.1f}" y="{node.y + 15:.1f}" fill="{_INK}" font-weight="bold">'
            f'<tspan fill="{style.stroke}">{esc(first[:1])}</tspan>{esc(first[1:])}</text>'
            f'<text x="{node.x + 8:.1f}" y="{node.y + 30:.1f}" fill="{_MUTED}" font-size="11">'
            f'{esc(second)}</text></g>\n')
