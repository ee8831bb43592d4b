"""A self-contained HTML report: summary, plan (with a Gantt chart) and every program's explanation.

The page opens offline: no scripts, no fonts, no images or styles by URL; the CSS is inline and
the charts are inline SVG from `render.svg`. All text is escaped. Determinations are shown with
a symbol and a word as well as a colour, and the page prints on light paper. Nothing is decided
here: the determinations, proof trees and dates all come from the `Report`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bgtc_rules._version import __version__
from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.report import ProgramReport, Report
from bgtc_rules.engine.proof import ConditionProof, RuleProof
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import base_path
from bgtc_rules.language.leaves import display_value
from bgtc_rules.language.spec import Citation
from bgtc_rules.render.diagram import explanation_svg
from bgtc_rules.render.gantt import gantt_svg
from bgtc_rules.render.svg import DETERMINATION_STYLES, TRUTH_STYLES, esc, safe_url

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px 28px 48px; color: #1f2328; background: #ffffff;
  font: 15px/1.5 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.3em; margin: 1.8em 0 .6em; padding-bottom: .2em; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.1em; margin: 0 0 .3em; }
h4 { font-size: .95em; margin: 1em 0 .3em; }
a { color: #0b5cad; }
code { font: .86em/1.4 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace;
  background: #f6f8fa; padding: 0 .25em; border-radius: 3px; overflow-wrap: anywhere; }
.disclaimer { border-left: 4px solid #8a5a00; background: #fff8e1; padding: .5em .9em; margin: .8em 0;
  font-weight: bold; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1.2em; margin: .6em 0; }
dl.meta dt { color: #57606a; }
dl.meta dd { margin: 0; }
nav ul { list-style: none; padding: 0; display: flex; gap: 1.4em; margin: .6em 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: .93em; }
th, td { border: 1px solid #d0d7de; padding: .35em .55em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
td.reason-cell { overflow-wrap: anywhere; }
thead th { background: #f6f8fa; }
tbody th { font-weight: normal; }
tbody tr:nth-child(even) { background: #fbfcfd; }
.badge { display: inline-block; white-space: nowrap; font-weight: bold; border: 1.5px solid; border-radius: 1em;
  padding: 0 .6em; font-size: .92em; }
.d-eligible .badge, .badge.d-eligible { color: #1a7f37; background: #dafbe1; }
.d-not_eligible .badge, .badge.d-not_eligible { color: #c4232d; background: #ffebe9; }
.d-undetermined .badge, .badge.d-undetermined { color: #8a5a00; background: #fff3c4; border-style: dashed; }
.d-not_yet .badge, .badge.d-not_yet { color: #0b5cad; background: #ddf4ff; }
.nowrap { white-space: nowrap; }
.counts { display: flex; flex-wrap: wrap; gap: .6em; list-style: none; padding: 0; margin: .4em 0; }
figure { margin: .8em 0 1.2em; }
figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #d0d7de; border-radius: 6px; }
figcaption { color: #57606a; font-size: .88em; margin-top: .3em; }
section.program { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 6px; padding: .9em 1.1em;
  margin: 1.2em 0; break-inside: auto; }
section.program.d-eligible { border-left-color: #1a7f37; }
section.program.d-not_eligible { border-left-color: #c4232d; }
section.program.d-undetermined { border-left-color: #8a5a00; border-left-style: dashed; }
section.program.d-not_yet { border-left-color: #0b5cad; }
.reason { font-size: 1.02em; margin: .2em 0 .5em; }
.muted, .meta-line { color: #57606a; font-size: .9em; }
ul.proof, ul.proof ul { list-style: none; padding-left: 1.3em; margin: .15em 0; }
ul.proof { padding-left: 0; }
ul.proof li { margin: .12em 0; }
.mark { display: inline-block; width: 1.2em; text-align: center; font-weight: bold; }
.v-true > .line .mark, .v-true > .mark { color: #1a7f37; }
.v-false > .line .mark, .v-false > .mark { color: #c4232d; }
.v-unknown > .line .mark, .v-unknown > .mark { color: #8a5a00; }
.word { color: #57606a; font-size: .88em; }
li.rule > .line { font-weight: bold; }
li.rule.deciding > .line { background: #f3f6fa; border-radius: 4px; }
.tag { font-size: .78em; font-weight: bold; border: 1px solid #57606a; border-radius: 3px; padding: 0 .3em;
  color: #57606a; margin-left: .3em; }
.fact { color: #57606a; font-size: .9em; }
.ask { margin-left: 1.5em; color: #8a5a00; font-size: .92em; }
.explanation { color: #3d444d; font-size: .9em; margin: .1em 0 .2em 1.5em; }
ul.sources { list-style: none; padding-left: 1.5em; margin: .1em 0 .3em; font-size: .85em; color: #57606a; }
.legend { font-size: .9em; }
.legend span { margin-right: 1.2em; white-space: nowrap; }
footer { margin-top: 2.5em; color: #57606a; font-size: .85em; border-top: 1px solid #d0d7de; padding-top: .6em; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, tr, .reason { break-inside: avoid; }
  a { color: inherit; }
}
"""

_STEP_WORDS = {
    "request": "request",
    "fda_response": "FDA response",
    "package_due": "package due",
    "preliminary_responses": "preliminary responses",
    "sponsor_reply": "sponsor reply",
    "meeting": "meeting",
}


def program_anchor(program: str) -> str:
    return f"program-{program}"


def _badge(determination: Determination) -> str:
    style = DETERMINATION_STYLES[determination]
    return (f'<span class="badge {style.css}" data-determination="{determination.value}">'
            f'<span aria-hidden="true">{esc(style.symbol)}</span> {esc(style.word)}</span>')


def _mark(value: bool | None) -> str:
    style = TRUTH_STYLES[value]
    return f'<span class="mark" title="{style.word}">{esc(style.symbol)}</span>'


def _citation(citation: Citation) -> str:
    document = esc(citation.document)
    if citation.url:
        document = f'<a href="{esc(safe_url(citation.url))}" rel="noreferrer">{document}</a>'
    reference = f" [{esc(citation.reference)}]" if citation.reference else ""
    return f"<li>Source: {document}, {esc(citation.section)}{reference}</li>"


class _Proof:
    """The proof tree of one program as nested lists."""

    def __init__(self, questions: dict[str, str], deciding: Iterable[str]) -> None:
        self.questions = questions
        self.deciding = set(deciding)
        self.out: list[str] = []

    def rule(self, proof: RuleProof, top: bool) -> None:
        style = TRUTH_STYLES[proof.value]
        deciding = top and proof.rule_id in self.deciding
        classes = f"rule {style.css}" + (" deciding" if deciding else "")
        tag = ' <span class="tag">deciding</span>' if deciding else ""
        self.out.append(f'<li class="{classes}" data-rule="{esc(proof.rule_id)}"><div class="line">'
                        f"{_mark(proof.value)} <code>{esc(proof.rule_id)}</code> {esc(proof.title)} "
                        f'<span class="word">[{style.word}]</span>{tag}</div>')
        if top:
            self.out.append(f'<p class="explanation">{esc(proof.explanation)}</p>')
        self.out.append("<ul>")
        if proof.in_force.value is not True:
            self.condition(proof.in_force)
        self.condition(proof.condition)
        self.out.append("</ul>")
        if proof.citations:
            self.out.append('<ul class="sources">' + "".join(_citation(c) for c in proof.citations) + "</ul>")
        self.out.append("</li>")

    def condition(self, proof: ConditionProof) -> None:
        style = TRUTH_STYLES[proof.value]
        text = f"<code>{esc(proof.text)}</code>" if proof.fact is not None else esc(proof.text)
        if proof.concept is not None:
            text = f"concept <code>{esc(proof.concept)}</code>"
        line = f'<li class="cond {style.css}">{_mark(proof.value)} {text}'
        if proof.fact is not None:
            field = base_path(proof.fact)
            where = f", dossier field <code>{esc(field)}</code>" if field != proof.fact else ""
            line += (f' <span class="fact">[<code>{esc(proof.fact)}</code> = '
                     f"<code>{esc(display_value(proof.fact_value))}</code>{where}]</span>")
            question = self.questions.get(field)
            if proof.fact_value is None and question:
                line += f'<div class="ask">Ask: {esc(question)}</div>'
        self.out.append(line)
        if proof.parts or proof.derived_by:
            self.out.append("<ul>")
            for part in proof.parts:
                self.condition(part)
            for rule in proof.derived_by:
                self.rule(rule, top=False)
            self.out.append("</ul>")
        self.out.append("</li>")


def _summary(report: Report) -> list[str]:
    counts = Counter(p.determination for p in report.assessment.programs)
    out = ['<section id="summary">', "<h2>Summary</h2>", '<ul class="counts">']
    for determination in Determination:
        if counts[determination]:
            out.append(f"<li>{_badge(determination)} × {counts[determination]}</li>")
    out += ["</ul>", '<table class="summary">', "<thead><tr><th scope=\"col\">Program</th>"
            '<th scope="col">Determination</th><th scope="col">Reason</th><th scope="col">Caveats</th></tr></thead>',
            "<tbody>"]
    for item in report.assessment.programs:
        anchor = program_anchor(item.program)
        caveats = (f'<a href="#{anchor}-caveats">{len(item.caveats)} caveat{"s" if len(item.caveats) != 1 else ""}'
                   "</a>" if item.caveats else '<span class="muted">none</span>')
        out.append(f'<tr data-program="{esc(item.program)}" data-determination="{item.determination.value}">'
                   f'<th scope="row"><a href="#{anchor}">{esc(item.name)}</a></th>'
                   f'<td class="{DETERMINATION_STYLES[item.determination].css}">{_badge(item.determination)}</td>'
                   f'<td class="reason-cell">{esc(item.reason)}</td><td class="nowrap">{caveats}</td></tr>')
    out += ["</tbody></table>", "</section>"]
    return out


def _plan(report: Report) -> list[str]:
    plan = report.plan
    names = {p.program: p.name for p in report.assessment.programs}
    out = ['<section id="plan">', "<h2>Regulatory plan</h2>",
           f"<p>Counting from <strong>{plan.start.isoformat()}</strong>, the day the first requests go out. "
           "Every date comes from a day count in the rules, with its source; FDA day counts are performance "
           "goals or statutory deadlines, not guarantees.</p>"]
    chart = gantt_svg(plan, names)
    if chart:
        out.append(f'<figure class="timeline">{chart}<figcaption>Timeline: one row per program that can be '
                   "requested now; the bar runs from the request to the last dated step. Hover a marker for "
                   "its date; the table below lists every step.</figcaption></figure>")
        out += ['<table class="plan-events">', '<thead><tr><th scope="col">Date</th>'
                '<th scope="col">Step</th><th scope="col">What</th><th scope="col">Basis</th></tr></thead>',
                "<tbody>"]
        for event in plan.events:
            basis = esc(event.basis) + "".join(f'<br><span class="muted">Caveat: {esc(c)}</span>'
                                               for c in event.caveats)
            out.append(f'<tr data-program="{esc(event.program)}" data-step="{esc(event.step)}">'
                       f'<td class="nowrap">{event.date.isoformat()}</td>'
                       f'<td class="nowrap">{esc(_STEP_WORDS.get(event.step, event.step))}</td>'
                       f"<td>{esc(event.title)}</td>"
                       f"<td>{basis}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>Nothing can be requested yet, so the plan has no dates.</p>")
    if plan.next_steps:
        out += ["<h3>Next steps (no date yet)</h3>", '<table class="next-steps">',
                '<thead><tr><th scope="col">Program</th><th scope="col">Step</th><th scope="col">Detail</th></tr>'
                "</thead><tbody>"]
        for step in plan.next_steps:
            out.append(f'<tr data-program="{esc(step.program)}"><td><a href="#{program_anchor(step.program)}">'
                       f"{esc(names.get(step.program, step.program))}</a></td><td>{esc(step.title)}</td>"
                       f"<td>{esc(step.detail)}</td></tr>")
        out.append("</tbody></table>")
    if plan.undated:
        out += ["<h3>Without a date (the sources give no day count)</h3>", "<ul>"]
        out += [f"<li>{esc(item)}</li>" for item in plan.undated]
        out.append("</ul>")
    out.append("</section>")
    return out


def _why_not(program: ProgramReport) -> list[str]:
    """The failed and unknown conditions, and the questions, for a program that is not eligible (yet)."""
    item = program.assessment
    if item.determination is Determination.ELIGIBLE:
        return []
    out: list[str] = []
    failed = program.failed_eligibility
    if failed:
        out += ["<h4>Failed conditions on the way to eligibility</h4>", '<ul class="failed">']
        out += [f'<li class="v-false">{_mark(False)} <code>{esc(rule)}</code>: {esc(text)}</li>'
                for rule, text in failed]
        out.append("</ul>")
    unknown = program.unknown_fields
    if unknown:
        out += ["<h4>Unknown conditions</h4>", '<ul class="unknown">']
        for path, sources in unknown.items():
            rules = ", ".join(f"<code>{esc(rule)}</code>" + (f" via {esc(' → '.join(via))}" if via else "")
                              for rule, via in sources)
            out.append(f'<li class="v-unknown">{_mark(None)} <code>{esc(path)}</code> '
                       f'<span class="muted">(rule{"s" if len(sources) > 1 else ""} {rules})</span></li>')
        out.append("</ul>")
    asked = {m.path: m.question for m in item.missing} or program.questions
    if asked:
        title = "Questions that would decide it" if item.missing else "Open questions"
        out += [f"<h4>{title}</h4>", '<ol class="questions">']
        out += [f'<li>{esc(question)} <span class="muted">(<code>{esc(path)}</code>)</span></li>'
                for path, question in asked.items()]
        out.append("</ol>")
    return out


def _program(program: ProgramReport) -> list[str]:
    item = program.assessment
    anchor = program_anchor(item.program)
    style = DETERMINATION_STYLES[item.determination]
    out = [f'<section class="program {style.css}" id="{anchor}" data-program="{esc(item.program)}" '
           f'data-determination="{item.determination.value}">',
           f"<h3>{esc(item.name)} {_badge(item.determination)}</h3>",
           f'<p class="reason">{esc(item.reason)}</p>',
           f'<p class="meta-line"><code>{esc(item.program)}</code> · {esc(item.kind)} · deciding rules: '
           + (", ".join(f"<code>{esc(r)}</code>" for r in item.deciding_rules) or "none") + "</p>"]
    out += _why_not(program)
    diagram = explanation_svg(item.program, item.name, item.determination, program.proofs, item.deciding_rules)
    out.append(f'<figure class="diagram">{diagram}<figcaption>Why: the determination (left) rests on the program\'s '
               "rules, which read concepts, which rest on facts from the dossier.</figcaption></figure>")
    out.append("<h4>Proof</h4>")
    writer = _Proof(program.questions, item.deciding_rules)
    writer.out.append('<ul class="proof">')
    for proof in program.proofs:
        writer.rule(proof, top=True)
    writer.out.append("</ul>")
    out += writer.out
    if item.caveats:
        out += [f'<h4 id="{anchor}-caveats">Caveats</h4>', '<ul class="caveats">']
        out += [f"<li>{esc(c)}</li>" for c in item.caveats]
        out.append("</ul>")
    out.append("</section>")
    return out


def _legend() -> str:
    truths = "".join(f'<span class="{s.css}"><span class="mark" style="color:{s.stroke}">{esc(s.symbol)}</span> '
                     f"{esc(s.word)}</span>" for s in TRUTH_STYLES.values())
    return (f'<p class="legend">Marks: {truths}<span>dashed arrow: read through “not”</span>'
            "<span>heavy border: a deciding rule</span></p>")


def render_html(report: Report) -> str:
    """The whole report as one HTML5 page (UTF-8, no external assets)."""
    assessment = report.assessment
    title = f"FDA program assessment: {assessment.dossier_name}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="bgtc-rules {esc(__version__)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="disclaimer" role="note">{esc(DISCLAIMER)}</p>',
        '<dl class="meta">',
        f"<dt>Dossier</dt><dd>{esc(assessment.dossier_name)}</dd>",
    ]
    if assessment.source:
        out.append(f"<dt>Source</dt><dd><code>{esc(assessment.source)}</code></dd>")
    out += [
        f"<dt>As of</dt><dd>{assessment.as_of.isoformat()}</dd>",
        f"<dt>Rules edition</dt><dd>{esc(assessment.rules_edition)} <code>{esc(assessment.rules_digest)}</code></dd>",
        f"<dt>Backend</dt><dd>{esc(assessment.backend)}</dd>",
        f"<dt>Plan start</dt><dd>{report.plan.start.isoformat()}</dd>",
        "</dl>",
        '<nav><ul><li><a href="#summary">Summary</a></li><li><a href="#plan">Plan</a></li>'
        '<li><a href="#explanations">Explanations</a></li></ul></nav>',
        "</header>",
        "<main>",
    ]
    out += _summary(report)
    out += _plan(report)
    out += ['<section id="explanations">', "<h2>Explanations</h2>", _legend()]
    for program in report.programs:
        out += _program(program)
    out += ["</section>", "</main>",
            f"<footer>bgtc-rules {esc(__version__)} · rules {esc(assessment.rules_edition)} · backend "
            f"{esc(assessment.backend)} · as of {assessment.as_of.isoformat()}</footer>",
            "</body>", "</html>"]
    return "\n".join(out) + "\n"
