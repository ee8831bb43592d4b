"""The regulatory plan as an inline SVG Gantt chart, for the reports.

Positions come from the plan's dates as `build_plan` computed them: no day count is recomputed
here. Every mark says what it means by symbol and text as well as by colour.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

from bgtc_rules.advice.plan import Plan, PlanEvent
from bgtc_rules.render.svg import (
    INK,
    MUTED,
    RULE,
    esc,
    fits,
    svg_open,
)


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
_OTHER_STEP = _Step("other step", "ring", MUTED)

_G_LABEL = 320
_G_CHART = 700
_G_RIGHT = 96
_G_ROW = 30
_G_LINE = 14  # between the lines of a program name too long for one
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

    # a program's whole name, wrapped onto as many lines as it needs; its row grows to hold them
    name_chars = fits(_G_LABEL - 16, 6.9)
    wrapped = {program: textwrap.wrap(names.get(program, program), name_chars) or [program] for program in rows}
    heights = [max(_G_ROW, 12 + _G_LINE * len(wrapped[program])) for program in rows]
    tops = [_G_TOP + sum(heights[:index]) for index in range(len(heights))]

    used = [s for s in _STEPS if any(e.step == s for e in plan.events)]
    if any(e.step not in _STEPS for e in plan.events):
        used.append("")
    legend_rows = (len(used) + 2) // 3
    width = _G_LABEL + _G_CHART + _G_RIGHT
    chart_bottom = _G_TOP + sum(heights)
    height = chart_bottom + 24 + legend_rows * 20 + 8
    label = (f"Regulatory plan timeline from {plan.start.isoformat()} to {last.isoformat()}: "
             f"{len(plan.events)} dated steps for {len(rows)} programs")
    out = [svg_open(width, height, "gantt", "gantt-title", label)]
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>\n')
    # the time axis: month ticks and the start line
    out.append('<g class="axis">\n')
    for tick in _month_starts(first, last):
        x = x_of(tick)
        out.append(f'<line x1="{x:.1f}" y1="{_G_TOP - 6}" x2="{x:.1f}" y2="{chart_bottom}" stroke="{RULE}" '
                   'stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{_G_TOP - 10}" text-anchor="middle" fill="{MUTED}" '
                   f'font-size="11">{esc(str(tick)[:7])}</text>\n')
    x0 = x_of(plan.start)
    out.append(f'<line x1="{x0:.1f}" y1="{_G_TOP - 24}" x2="{x0:.1f}" y2="{chart_bottom}" stroke="{INK}" '
               'stroke-width="1.5" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{x0 + 4:.1f}" y="{_G_TOP - 28}" fill="{INK}" font-size="11">start '
               f'{esc(plan.start.isoformat())}</text>\n')
    out.append('</g>\n')
    for index, (program, events) in enumerate(rows.items()):
        top, height, lines = tops[index], heights[index], wrapped[program]
        y = top + height / 2
        name = names.get(program, program)
        out.append(f'<g class="gantt-row" data-program="{esc(program)}">\n')
        if index % 2 == 0:
            out.append(f'<rect x="0" y="{top}" width="{width}" height="{height}" fill="#f6f8fa"/>\n')
        first_line = y + 4 - _G_LINE * (len(lines) - 1) / 2
        spans = "".join(f'<tspan x="8" y="{first_line + n * _G_LINE:.1f}">{esc(text)}</tspan>'
                        for n, text in enumerate(lines))
        out.append(f'<text class="program-name" fill="{INK}"><title>{esc(name)}</title>{spans}</text>\n')
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
        out.append(f'<text x="{x_of(end) + 11:.1f}" y="{y + 4:.1f}" fill="{MUTED}" font-size="11">'
                   f'{esc(end.isoformat())}</text>\n')
        out.append('</g>\n')
    out.append(f'<line x1="0" y1="{chart_bottom}" x2="{width}" y2="{chart_bottom}" stroke="{RULE}"/>\n')
    out.append('<g class="legend">\n')
    for index, key in enumerate(used):
        step = _STEPS.get(key, _OTHER_STEP)
        lx = 8 + (index % 3) * 300
        ly = chart_bottom + 22 + (index // 3) * 20
        out.append(_marker(step.shape, lx + 6, ly - 4, step.colour))
        out.append(f'<text x="{lx + 18}" y="{ly}" fill="{INK}" font-size="11">{esc(step.label)}</text>\n')
    out.append('</g>\n</svg>')
    return "".join(out)


