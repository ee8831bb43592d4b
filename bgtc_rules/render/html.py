"""A self-contained HTML report: summary, plan (with a Gantt chart) and every program's explanation.

The page is the Jinja2 template `templates/report.html.j2` (with `proof.html.j2` for the proof
trees and `report.css`), rendered with autoescape on: every text from the dossier or the rules
is escaped, and only the inline SVG charts of `render.gantt` and `render.diagram`, which escape
their own text, come in as markup. The page opens offline: no scripts, no fonts, no images or
styles by URL. Determinations are shown with a symbol and a word as well as a colour, and the page
prints on light paper. Nothing is decided here: the determinations, proof trees and dates all
come from the `Report`.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

from bgtc_rules._version import __version__
from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.report import ProgramReport, Report
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import base_path
from bgtc_rules.language.truth import ALTERNATIVE_LOOK, TRUTH_LOOKS
from bgtc_rules.language.wording import answer
from bgtc_rules.render.diagram import explanation_svg
from bgtc_rules.render.gantt import gantt_svg
from bgtc_rules.render.source_list import SourceList, secondary_note
from bgtc_rules.render.svg import safe_url

if TYPE_CHECKING:
    from jinja2 import Environment, Template

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


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined  # only HTML output needs Jinja2

    return Environment(loader=PackageLoader("bgtc_rules.render", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def page_template(name: str) -> Template:
    """A page template of `templates/`, autoescaped, with undefined names an error."""
    return _environment().get_template(name)


def _template() -> Template:
    return page_template("report.html.j2")


def _questions_asked(program: ProgramReport) -> dict[str, str]:
    """The questions that would decide the program, or its open questions when none would."""
    return {m.path: m.question for m in program.assessment.missing} or program.questions


def render_html(report: Report) -> str:
    """The whole report as one HTML5 page (UTF-8, no external assets)."""
    from markupsafe import Markup  # the charts' SVG, escaped where it is drawn

    assessment = report.assessment
    counts = Counter(p.determination for p in assessment.programs)
    names = {p.program: p.name for p in assessment.programs}
    chart = gantt_svg(report.plan, names)
    diagrams = {p.assessment.program: Markup(explanation_svg(
        p.assessment.program, p.assessment.name, p.assessment.determination, p.proofs, p.assessment.deciding_rules))
        for p in report.programs}
    return _template().render(
        report=report,
        version=__version__,
        disclaimer=DISCLAIMER,
        counts=[(d, counts[d]) for d in Determination if counts[d]],
        names=names,
        chart=Markup(chart) if chart else "",
        diagrams=diagrams,
        eligible=Determination.ELIGIBLE,
        truth_looks=TRUTH_LOOKS,
        alternative_look=ALTERNATIVE_LOOK,
        step_words=_STEP_WORDS,
        program_anchor=program_anchor,
        safe_url=safe_url,
        sources=SourceList(),
        secondary_note=secondary_note,
        base_path=base_path,
        answer=answer,
        questions_asked=_questions_asked,
        benefit_givers=lambda row: ", ".join(sorted({
            names.get(p, p) for b in row.offers for p in assessment.benefits.others_offering(row.program, b)})),
    )
