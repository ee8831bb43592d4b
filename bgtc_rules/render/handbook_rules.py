"""The handbook's Markdown for one rule (its conditions written out, explanation, dates, caveats,
questions and sources) and for a program's data (request window, response timing, meeting
timeline, benefits), with the anchors the pages link to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bgtc_rules.engine.results import Determination
from bgtc_rules.language.leaves import show
from bgtc_rules.language.operators import Operator
from bgtc_rules.language.spec import (
    AllCondition,
    AnyCondition,
    Citation,
    ConceptCondition,
    ConceptWords,
    Condition,
    FactCondition,
    NotCondition,
    Program,
    Timing,
)
from bgtc_rules.language.tree import CompiledRule
from bgtc_rules.language.wording import concept_name
from bgtc_rules.render.markdown import code, md, paragraph
from bgtc_rules.render.svg import safe_url

COUNTED = {
    "after_request": "after the request", "before_meeting": "before the meeting",
    "after_preliminary_responses": "after the preliminary responses", "with_request": "with the request",
    "after_submission": "after the submission",
}
TIMELINE = {
    "response_to_request": "FDA responds to the request", "meeting_held": "Meeting held",
    "package_due": "Meeting package due", "preliminary_responses": "FDA's preliminary responses",
    "sponsor_reply": "Sponsor's reply to the preliminary responses",
}
WORDS = {
    Determination.ELIGIBLE: "eligible", Determination.NOT_ELIGIBLE: "not eligible",
    Determination.UNDETERMINED: "undetermined", Determination.NOT_YET: "not yet",
    Determination.CLOSED: "closed", Determination.CONDITIONAL: "available once another designation is held",
}


def shown_value(value: Any) -> str:
    """A condition's value, readable: numbers with thousands separators, lists as 'a, b or c'."""
    if isinstance(value, bool):
        return code("true" if value else "false")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        parts = [shown_value(v) for v in value]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
    if isinstance(value, dict):
        return "; ".join(f"{md(key)} {shown_value(item)}" for key, item in value.items())
    return code(show(value))


def anchor_slug(kind: str, name: str) -> str:
    return f"{kind}-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def anchor(name: str, kind: str) -> str:
    """An explicit HTML anchor, so that links do not depend on how a renderer slugs headings."""
    return f'<a id="{anchor_slug(kind, name)}"></a>'


def concept_link(name: str, words: Mapping[str, ConceptWords] | None = None) -> str:
    """A link to the concept on the concepts page, by its readable name."""
    return f"[{md(concept_name(name, words or {}))}](concepts.md#{anchor_slug('concept', name)})"


def condition_lines(cond: Condition, depth: int = 0, words: Mapping[str, ConceptWords] | None = None,
                    negated: bool = False) -> list[str]:
    """A condition as a nested Markdown list of the rule's sentences (`negated`: read under a `not`)."""
    pad = "  " * depth
    words = words or {}
    if isinstance(cond, (AllCondition, AnyCondition)):
        parts = cond.all if isinstance(cond, AllCondition) else cond.any
        head = "all of these:" if isinstance(cond, AllCondition) else "any one of these:"
        head = {"all of these:": "not all of these:", "any one of these:": "none of these:"}[head] if negated else head
        return [f"{pad}- {head}", *(line for part in parts for line in condition_lines(part, depth + 1, words))]
    if isinstance(cond, NotCondition):
        return condition_lines(cond.not_, depth, words, not negated)
    if isinstance(cond, ConceptCondition):
        found = words.get(cond.concept)
        if found is None:
            return [f"{pad}- {concept_link(cond.concept)} {'does not hold' if negated else 'holds'}"]
        return [f"{pad}- {md(found.fails if negated else found.holds)} (see {concept_link(cond.concept, words)})"]
    assert isinstance(cond, FactCondition)
    if cond.says:
        return [f"{pad}- {md((cond.says_not or 'Not: ' + cond.says) if negated else cond.says)}"]
    if negated:
        return [f"{pad}- **not**:", *condition_lines(cond, depth + 1, words)]
    if not cond.op.takes_value:
        return [f"{pad}- {code(cond.fact)} {cond.op.words}"]
    if cond.op is Operator.CONTAINS and isinstance(cond.value, dict):
        return [f"{pad}- {code(cond.fact)} includes an item with {shown_value(cond.value)}"]
    if cond.op is Operator.CONTAINS and isinstance(cond.value, list) and len(cond.value) > 1:
        return [f"{pad}- {code(cond.fact)} includes any of {shown_value(cond.value)}"]
    return [f"{pad}- {code(cond.fact)} {cond.op.words} {shown_value(cond.value)}"]


def citation_text(citation: Citation) -> str:
    document = f"[{md(citation.document)}](<{safe_url(citation.url)}>)" if citation.url else md(citation.document)
    secondary = f" (secondary source: {md(citation.reason)})" if citation.secondary and citation.reason else ""
    return f"{document}, {md(citation.section)}{secondary}"


def bullets(items: Iterable[str], indent: str = "") -> list[str]:
    return [f"{indent}- {item}" for item in items]


def in_force_text(rule: CompiledRule) -> str:
    spec = rule.spec
    if spec.effective_until:
        return f"in force from {spec.effective_from.isoformat()} to {spec.effective_until.isoformat()} (inclusive)"
    return f"in force from {spec.effective_from.isoformat()}"


def relative_source(rule: CompiledRule, root: Path) -> str:
    path = Path(rule.file)
    try:
        shown = path.resolve().relative_to(root).as_posix()
    except ValueError:
        shown = path.name
    return f"{shown}, line {rule.line}" if rule.line else shown


def rule_section(rule: CompiledRule, root: Path, heading: str,
                 words: Mapping[str, ConceptWords] | None = None) -> list[str]:
    spec = rule.spec
    if spec.conclude.outcome is not None:
        concludes = f"Concludes **{WORDS[Determination(spec.conclude.outcome.value)]}**"
    else:
        concludes = f"Concludes the concept {concept_link(spec.conclude.concept or '', words)}"
    lines = [anchor(rule.id, "rule"), "", f"{heading} {code(rule.id)}: {md(spec.title)}", "",
             f"{concludes}; {in_force_text(rule)}. Source: {code(relative_source(rule, root))}.", "",
             "When:", "", *condition_lines(spec.when, 0, words), "", paragraph(spec.explanation), ""]
    if spec.caveats:
        lines += ["Caveats:", "", *bullets(md(c) for c in spec.caveats), ""]
    if spec.ask:
        lines += ["Questions this rule asks in its own words:", "",
                  *bullets(f"{code(path)}: {md(question)}" for path, question in sorted(spec.ask.items())), ""]
    lines += ["Sources:", "", *bullets(citation_text(c) for c in spec.citations), ""]
    return lines


def timing_text(timing: Timing) -> str:
    counted = COUNTED[timing.counted.value]
    if timing.days is None:
        when = f"no day count in the sources ({counted})"
    elif timing.days == 0:
        when = counted
    else:
        when = f"{timing.days} calendar days {counted}"
    note = f" {md(timing.note)}" if timing.note else ""
    return f"{when}.{note}"


def timing_lines(timing: Timing) -> list[str]:
    lines = [timing_text(timing), ""]
    if timing.caveats:
        lines += ["Caveats:", "", *bullets(md(c) for c in timing.caveats), ""]
    lines += ["Sources:", "", *bullets(citation_text(c) for c in timing.citations), ""]
    return lines


def program_data(program: Program, programs: dict[str, Program]) -> list[str]:
    lines = ["## Program data", ""]
    lines += ["### Request window", "", paragraph(program.request_window or "Not stated in the sources."), ""]
    if program.response is not None:
        lines += ["### Response", "", *timing_lines(program.response)]
    if program.timeline is not None:
        lines += ["### Meeting timeline", "", "| Step | When | Sources |", "|---|---|---|"]
        for key, label in TIMELINE.items():
            timing = getattr(program.timeline, key)
            if timing is not None:
                sources = "; ".join(citation_text(c) for c in timing.citations)
                lines.append(f"| {label} | {timing_text(timing)} | {sources} |")
        lines.append("")
        caveats = [c for key in TIMELINE if (t := getattr(program.timeline, key)) is not None for c in t.caveats]
        if caveats:
            lines += ["Timeline caveats:", "", *bullets(md(c) for c in dict.fromkeys(caveats)), ""]
    if program.benefits:
        lines += ["### Benefits", ""]
        for benefit in program.benefits:
            sources = "; ".join(citation_text(c) for c in benefit.citations)
            lines.append(f"- {md(benefit.text)} ({code(benefit.id)}; source: {sources})")
        lines.append("")
    if program.includes:
        links = ", ".join(f"[{md(programs[p].name)}]({p}.md)" for p in program.includes if p in programs)
        lines += [f"Includes the benefits of: {links}.", ""]
    if program.course is not None:
        lines += _course_lines(program, programs)
    if program.caveats:
        lines += ["### Caveats", "", *bullets(md(c) for c in program.caveats), ""]
    return lines


_COURSE_WORDS = {
    "fallback_for": "Advised only when none of these is held, requested or advised",
    "file_with": "Filed on the same day as",
    "folds_into": "Held within",
    "comes_first_when": "Comes first, every other step waiting for it, when",
    "only_before": "No longer advised once",
}


def _course_lines(program: Program, programs: dict[str, Program]) -> list[str]:
    """The program's place in the recommended course (its `course` fields)."""
    assert program.course is not None
    lines = ["### Place in the recommended course", ""]
    for key, words in _COURSE_WORDS.items():
        item = getattr(program.course, key)
        if item is None:
            continue
        sources = "; ".join(citation_text(c) for c in item.citations)
        if hasattr(item, "programs"):
            what = ", ".join(f"[{md(programs[p].name)}]({p}.md)" for p in item.programs if p in programs)
            lines.append(f"- {words}: {what}. {md(item.reason)} (source: {sources})")
        else:
            lines.append(f"- {words} the condition below holds. {md(item.reason)} (source: {sources})")
            lines += condition_lines(item.when, 1)
    return [*lines, ""]
