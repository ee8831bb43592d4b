"""A GitHub-flavoured Markdown report: summary, plan and every program's explanation.

GitHub strips inline `<svg>` from Markdown, so this report carries no charts: the plan is a
table of dated steps (the data of the HTML report's Gantt chart) and each explanation is its
proof tree as nested lists (the data of the HTML report's diagram). Text from the rules and the
dossier is escaped, so it cannot open a link, a tag or a table cell. Nothing is decided here.
"""

from __future__ import annotations

import re
from collections import Counter

from bgtc_rules._version import __version__
from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.report import ProgramReport, Report
from bgtc_rules.engine.proof import ConditionProof, RuleProof
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import base_path
from bgtc_rules.language.spec import Citation
from bgtc_rules.language.wording import answer
from bgtc_rules.render.svg import DETERMINATION_STYLES, TRUTH_STYLES, safe_url

_KINDS = {"expanded_access": "expanded access"}  # program kinds that are not one word
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLOCK_START = re.compile(r"^(#|>|[-+]\s|\d+[.)]\s)")


def md(text: str) -> str:
    """One line of inline text with Markdown's active characters escaped.

    Examples:
        >>> md("a | b <i>*c*</i> [d](e) &amp; FD&C")
        'a \\\\| b \\\\<i\\\\>\\\\*c\\\\*\\\\</i\\\\> \\\\[d\\\\](e) \\\\&amp; FD&C'
    """
    text = " ".join(text.split())
    return _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))


def paragraph(text: str) -> str:
    """`md`, also escaping what would start a heading, quote or list at the start of a line."""
    escaped = md(text)
    return "\\" + escaped if _BLOCK_START.match(escaped) else escaped


def code(text: str) -> str:
    """An inline code span that holds any text (pipes escaped too, as GFM tables need)."""
    text = " ".join(text.split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.

    Examples:
        >>> slug("Regenerative medicine advanced therapy (RMAT) designation")
        'regenerative-medicine-advanced-therapy-rmat-designation'
    """
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _link(text: str, url: str | None) -> str:
    if not url:
        return md(text)
    return f"[{md(text)}](<{safe_url(url)}>)"


def _badge(determination: Determination) -> str:
    style = DETERMINATION_STYLES[determination]
    return f"{style.symbol} **{style.word}**"


def _citation(citation: Citation) -> str:
    return f"source: {_link(citation.document, citation.url)}, {md(citation.section)}"


class _Proof:
    def __init__(self, questions: dict[str, str], deciding: tuple[str, ...]) -> None:
        self.questions = questions
        self.deciding = set(deciding)
        self.lines: list[str] = []

    def rule(self, proof: RuleProof, depth: int, top: bool) -> None:
        pad = "  " * depth
        style = TRUTH_STYLES[proof.value]
        tag = " *(deciding)*" if top and proof.rule_id in self.deciding else ""
        self.lines.append(f"{pad}- {style.symbol} {md(proof.title)} \\[{style.word}\\]{tag}")
        if proof.in_force.value is not True:
            self.condition(proof.in_force, depth + 1)
        self.condition(proof.condition, depth + 1)
        for citation in proof.citations:
            self.lines.append(f"{pad}  - {_citation(citation)}")

    def condition(self, proof: ConditionProof, depth: int) -> None:
        pad = "  " * depth
        style = TRUTH_STYLES[proof.value]
        line = f"{pad}- {style.symbol} {md(proof.text)}"
        if proof.fact is not None:
            field = base_path(proof.fact)
            line += f" — your dossier: {md(answer(proof.fact_value))}"
            question = self.questions.get(field)
            if proof.fact_value is None and question:
                line += f" — to answer: {md(question)}"
        self.lines.append(line)
        for part in proof.parts:
            self.condition(part, depth + 1)
        for rule in proof.derived_by:
            self.rule(rule, depth + 1, top=False)


def _summary(report: Report, anchors: dict[str, str]) -> list[str]:
    counts = Counter(p.determination for p in report.assessment.programs)
    tally = ", ".join(f"{_badge(d)} × {counts[d]}" for d in Determination if counts[d])
    lines = ["## Summary", "", tally, "", "| Program | Determination | Designation | Reason | Caveats |",
             "|---|---|---|---|---|"]
    for item in report.assessment.programs:
        count = len(set(item.caveats))
        caveats = f"[{count}](#{anchors[item.program]})" if count else "none"
        standing = report.assessment.standing_words(item.program) or "none recorded"
        lines.append(f"| [{md(item.name)}](#{anchors[item.program]}) | {_badge(item.determination)} "
                     f"| {md(standing)} | {md(item.reason)} | {caveats} |")
    return [*lines, ""]


def _plan(report: Report, anchors: dict[str, str]) -> list[str]:
    plan = report.plan
    names = {p.program: p.name for p in report.assessment.programs}
    lines = ["## Regulatory plan", "",
             f"Counting from **{plan.start.isoformat()}**, the day the first requests go out. Every date comes "
             "from a day count in the rules, with its source; FDA day counts are performance goals or statutory "
             "deadlines, not guarantees. (The HTML report draws these steps as a timeline.)", ""]
    if plan.events:
        lines += ["| Date | Program | What | Basis |", "|---|---|---|---|"]
        for event in plan.events:
            numbers = report.refer(event.caveats)
            basis = md(event.basis) + (f"<br>note: {md(event.day_note)}" if event.day_note else "")
            basis += f" (caveat {', '.join(str(n) for n in numbers)})" if numbers else ""
            lines.append(f"| {event.date.isoformat()} | {md(names.get(event.program, event.program))} "
                         f"| {md(event.title)} | {basis} |")
    else:
        lines.append("Nothing can be requested yet, so the plan has no dates.")
    lines.append("")
    written, _ = report.caveats_of("plan", tuple(c for e in plan.events for c in e.caveats))
    lines += _caveat_lines(written, [])
    if plan.next_steps:
        lines += ["### Next steps (no date yet)", ""]
        for step in plan.next_steps:
            target = anchors.get(step.program)
            title = f"[{md(step.title)}](#{target})" if target else md(step.title)
            lines.append(f"- **{title}**: {md(step.detail)}")
        lines.append("")
    if plan.undated:
        lines += ["### Without a date (the sources give no day count)", ""]
        lines += [f"- {md(item)}" for item in plan.undated]
        lines.append("")
    if plan.approval_brings:
        lines += ["### What approval would bring", ""]
        lines += [f"- **{md(step.title)}**: {md(step.detail)}" for step in plan.approval_brings]
        lines.append("")
    return lines


def _course(report: Report, anchors: dict[str, str]) -> list[str]:
    """What to do now: the recommended course, each step with its reason and source."""
    course = report.assessment.course
    names = {p.program: p.name for p in report.assessment.programs}
    lines = ["## What to do now", "",
             "The recommended course, in order; the regulatory plan below dates it.", ""]
    if not course.steps:
        lines += ["Nothing to request now.", ""]
    for number, step in enumerate(course.steps, 1):
        when = f" ({md(timing)})" if (timing := step.timing(names)) else ""
        sources = "; ".join(_citation(c) for c in step.citations[:2])
        lines.append(f"{number}. **[{md(step.title)}](#{anchors.get(step.program, '')})**{when}: "
                     f"{md(step.reason)} ({sources})")
    lines.append("")
    if course.set_aside:
        lines += ["Not advised now:", ""]
        lines += [f"- **{md(s.name)}**: {md(s.reason)}" for s in course.set_aside]
        lines.append("")
    return lines + _benefits(report)


def _benefits(report: Report) -> list[str]:
    matrix = report.assessment.benefits
    if not matrix.rows:
        return []
    names = {p.program: p.name for p in report.assessment.programs}
    lines = ["### What each designation adds", "",
             "Beyond the designations the program holds, has requested or is advised to request.", "",
             "| Designation | Standing | Adds |", "|---|---|---|"]
    for row in matrix.rows:
        if row.adds:
            adds = "<br>".join(md(matrix.text(b)) for b in row.adds)
        else:
            others = sorted({names.get(p, p) for b in row.offers for p in matrix.others_offering(row.program, b)})
            adds = "nothing new: its benefits come with " + md(", ".join(others))
        lines.append(f"| {md(row.name)} | {md(row.standing.value)} | {adds} |")
    lines += ["", "Sources of the benefits:", ""]
    lines += [f"- {md(b.text)} ({_citation(b.citations[0])})" for b in matrix.benefits]
    return [*lines, ""]


def _why_not(program: ProgramReport) -> list[str]:
    item = program.assessment
    if item.determination is Determination.ELIGIBLE:
        return []
    lines: list[str] = []
    if program.failed_eligibility:
        lines += ["**Failed conditions on the way to eligibility:**", ""]
        mark = TRUTH_STYLES[False].symbol
        lines += [f"- {mark} {md(text)} ({md(title)})" for title, text in program.failed_eligibility]
        lines.append("")
    asked = {m.path: m.question for m in item.missing} or program.questions
    if asked:
        title = "Questions that would decide it" if item.missing else "Open questions"
        lines += [f"**{title}:**", ""]
        lines += [f"{index}. {md(question)}" for index, question in enumerate(asked.values(), 1)]
        lines.append("")
    return lines


def _program(program: ProgramReport, report: Report) -> list[str]:
    item = program.assessment
    deciding = "; ".join(md(t) for t in program.deciding_titles) or "none"
    standing = report.assessment.standing_words(item.program)
    lines = [f"### {md(item.name)}", "",
             f"{_badge(item.determination)}: {paragraph(item.reason)}", "",
             *([f"**Designation:** {md(standing)}", ""] if standing else []),
             f"{md(_KINDS.get(item.kind, item.kind))} · decided by: {deciding}", ""]
    lines += _why_not(program)
    writer = _Proof(program.questions, item.deciding_rules)
    for proof in program.proofs:
        writer.rule(proof, 0, top=True)
    lines += ["**Proof:**", "", *writer.lines, ""]
    return lines + _caveat_lines(*report.caveats_of(item.program, item.caveats))


def _caveat_lines(written: list[tuple[int, str]], earlier: list[int]) -> list[str]:
    """Caveats written out here, numbered, and those written out elsewhere, by number."""
    if not written and not earlier:
        return []
    lines = ["**Caveats:**", ""]
    lines += [f'- <a id="caveat-{n}"></a>**{n}.** {md(c)}' for n, c in written]
    if earlier:
        refs = ", ".join(f"[{n}](#caveat-{n})" for n in earlier)
        lines.append(f"- See also caveat{'s' if len(earlier) > 1 else ''} {refs}.")
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    """The whole report as GitHub-flavoured Markdown."""
    assessment = report.assessment
    anchors = {p.program: slug(p.name) for p in assessment.programs}
    lines = [
        f"# FDA program assessment: {md(assessment.dossier_name)}",
        "",
        f"> **{md(DISCLAIMER)}**",
        "",
        "| | |",
        "|---|---|",
        f"| Dossier | {md(assessment.dossier_name)} |",
    ]
    if assessment.source:
        lines.append(f"| Source | {code(assessment.source)} |")
    lines += [
        f"| As of | {assessment.as_of.isoformat()} |",
        f"| Rules edition | {md(assessment.rules_edition)} {code(assessment.rules_digest)} |",
        f"| Backend | {md(assessment.backend)} |",
        f"| Plan start | {report.plan.start.isoformat()} |",
        "",
    ]
    lines += _course(report, anchors)
    lines += _summary(report, anchors)
    lines += _plan(report, anchors)
    lines += ["## Explanations", "",
              "Marks: " + ", ".join(f"{s.symbol} {s.word}" for s in TRUTH_STYLES.values())
              + ". Each program's rules, their conditions with the dossier's values, and their sources.", ""]
    for program in report.programs:
        lines += _program(program, report)
    lines += ["---", "",
              f"bgtc-rules {md(__version__)} · rules {md(assessment.rules_edition)} · backend "
              f"{md(assessment.backend)} · as of {assessment.as_of.isoformat()}", ""]
    return "\n".join(lines)
