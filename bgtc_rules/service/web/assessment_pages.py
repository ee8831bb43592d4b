"""The assessment (summary and plan from the HTML report), one program's explanation, what-if,
the drafts, and the downloads: each the library call the command line makes, and each shown
with the renderer the command line writes with.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.base.errors import InputError, Problem
from bgtc_rules.service.web.embed import PageParts, element, page_parts, sources_cited_in, without
from bgtc_rules.service.web.forms import Carried, Form, carried
from bgtc_rules.service.web.layout import Answer, Context, Download, Page, render_page

WHATIF_SOURCE = "what-if form"


def _evaluate(context: Context, dossier: Carried, as_of: dt.date) -> Assessment:
    from bgtc_rules.advice.evaluation import evaluate

    return evaluate(dossier.dossier(context.max_bytes), context.rules, as_of=as_of, backend=context.backend,
                    source=dossier.source)


def _state(dossier: Carried, as_of: dt.date) -> dict[str, str]:
    """The hidden fields every form of an assessment page carries."""
    return {"dossier": dossier.text, "source": dossier.source, "as_of": as_of.isoformat()}


def _questions(assessment: Assessment) -> dict[str, str]:
    """Each unknown dossier field that would decide an open program, with its question (first wording)."""
    asked: dict[str, str] = {}
    for item in assessment.programs:
        for missing in item.missing:
            asked.setdefault(missing.path, missing.question)
    return asked


def whatif_fields(context: Context) -> list[tuple[str, str]]:
    """The dossier fields a what-if can set from one answer, each with its question."""
    from bgtc_rules.advice.answers import field_for
    from bgtc_rules.language.catalog import fact_catalog

    found = []
    for path in fact_catalog():
        if "#" in path or "[]" in path:
            continue
        try:
            kind = field_for(path).kind
        except (KeyError, TypeError):
            continue
        if kind != "items":
            found.append((path, context.rules.questions.get(path, path)))
    return found


def assessment_page(context: Context, dossier: Carried, as_of: dt.date, whatif: Any = None,
                    assessment: Assessment | None = None) -> Page:
    """The summary, the recommended course and the plan as the HTML report shows them, then the programs
    (each explained on its own page), what is missing with its question, the what-if form and downloads."""
    from bgtc_rules.advice.plan import build_plan
    from bgtc_rules.advice.report import ProgramReport, Report
    from bgtc_rules.render.html import render_html

    assessment = assessment or _evaluate(context, dossier, as_of)
    # The report without its explanations, which have a page each: the full report, with a diagram and a
    # proof for every program, is far longer than a phone should load at once. Every program is in the
    # report (without its proof), so that the summary and the plan number the caveats as the report does.
    report = Report(assessment, tuple(ProgramReport(item, ()) for item in assessment.programs),
                    build_plan(assessment, context.rules, as_of))
    parts = page_parts(render_html(report))
    parts = PageParts(parts.styles, without(parts.body, "section", "explanations"), parts.style_attributes)
    return render_page("assessment.html.j2", embedded=parts, title=f"Assessment: {assessment.dossier_name}",
                       assessment=assessment, state=_state(dossier, as_of), questions=_questions(assessment),
                       fields=whatif_fields(context), whatif=whatif, drafts=_drafts(context))


def _drafts(context: Context) -> list[tuple[str, str]]:
    from bgtc_rules.advice.drafts import COVER, draftable

    names = {pid: p.name for pid, p in context.rules.programs.items()}
    return [(pid, names.get(pid, "Cover sheet for the designation requests" if pid == COVER else pid))
            for pid in draftable(context.rules)]


def assessment_from_form(context: Context, form: Form) -> Page:
    return assessment_page(context, carried(form), form.date("as_of", context.today))


def explain_page(context: Context, form: Form) -> Page:
    """One program's explanation: the HTML report's section for it (diagram, proof, what is missing),
    and the smallest changes that would make it eligible (`bgtc explain`)."""
    from bgtc_rules.advice.explanation import explain
    from bgtc_rules.advice.plan import Plan
    from bgtc_rules.advice.report import ProgramReport, Report
    from bgtc_rules.render.html import program_anchor, render_html

    dossier, as_of, program = carried(form), form.date("as_of", context.today), form.text("program")
    if program not in context.rules.programs:
        raise InputError([Problem("form", "program", f"no program {program!r}")])
    result = explain(dossier.dossier(context.max_bytes), context.rules, program, as_of=as_of,
                     backend=context.backend, source=dossier.source)
    # The program first, and a plan without dates (the page shows neither the summary nor the plan): the
    # report then writes out every caveat of the program in its section, rather than referring to another.
    others = tuple(ProgramReport(item, ()) for item in result.assessment.programs if item.program != program)
    report = Report(result.assessment, (ProgramReport(result.item, tuple(result.proofs)), *others),
                    Plan(as_of, result.assessment, (), ()))
    parts = page_parts(render_html(report))
    legend = element(parts.body, "p", "legend", attribute="class")
    section = element(parts.body, "section", program_anchor(program))
    listed = sources_cited_in(element(parts.body, "section", "sources"), section)  # the sources its proof cites
    shown = PageParts(parts.styles, legend + section + listed, parts.style_attributes)
    changes = [[(c.path, result.says(c), json.dumps({c.path: c.value}, default=str)) for c in combo]
               for combo in result.changes]
    return render_page("explain.html.j2", embedded=shown, title=f"{result.item.name}: why",
                       item=result.item, state=_state(dossier, as_of), changes=changes)


def whatif_changes(context: Context, form: Form) -> dict[str, Any]:
    """The change a what-if form asks for: a field and an answer read as the interview reads it, the field
    made unknown, or (from an explanation) the changes as JSON."""
    from bgtc_rules.advice.answers import AnswerError, field_for, parse_answer
    from bgtc_rules.dossier.editing import REMOVE

    if form.text("changes"):
        try:
            changes = json.loads(form.text("changes"))
        except ValueError:
            changes = None
        if not isinstance(changes, dict):
            raise InputError([Problem(WHATIF_SOURCE, "changes", "expected the changes as a JSON object")])
        return changes
    path = form.text("path")
    if path not in dict(whatif_fields(context)):
        raise InputError([Problem(WHATIF_SOURCE, "path", "choose a dossier field from the list")])
    if form.text("unknown"):
        return {path: REMOVE}
    try:
        return {path: parse_answer(field_for(path), form.text("value"))}
    except AnswerError as exc:
        raise InputError([Problem(WHATIF_SOURCE, path, str(exc))]) from None


def _answer_words(path: str, value: Any) -> str:
    """A what-if's value as the interview would write the answer (`yes`, `3`, `ind_active`)."""
    from bgtc_rules.advice.answers import field_for, format_value

    try:
        return format_value(field_for(path), value)
    except (KeyError, TypeError):
        return json.dumps(value, default=str)


def whatif_page(context: Context, form: Form) -> Page:
    """The assessment page with what changes, program by program (`bgtc whatif`), above it."""
    from bgtc_rules.advice.whatif import what_if

    dossier, as_of = carried(form), form.date("as_of", context.today)
    try:
        changes = whatif_changes(context, form)
        comparison = what_if(dossier.dossier(context.max_bytes), context.rules, changes, as_of=as_of,
                             backend=context.backend, source=dossier.source, changes_source=WHATIF_SOURCE)
    except InputError as exc:
        return assessment_page(context, dossier, as_of, whatif={"problems": exc.problems})
    from bgtc_rules.dossier.editing import REMOVE

    shown = {path: "unknown" if value is REMOVE else _answer_words(path, value) for path, value in changes.items()}
    return assessment_page(context, dossier, as_of, whatif={"comparison": comparison, "changes": shown,
                                                            "problems": ()}, assessment=comparison.before)


# --- drafts and downloads -------------------------------------------------------------------------


def _draft(context: Context, form: Form) -> Any:
    from bgtc_rules.advice.drafts import build_draft, require_draftable

    dossier, as_of, program = carried(form), form.date("as_of", context.today), form.text("draft")
    require_draftable(context.rules, program)
    loaded = dossier.dossier(context.max_bytes)
    from bgtc_rules.advice.evaluation import evaluate

    assessment = evaluate(loaded, context.rules, as_of=as_of, backend=context.backend, source=dossier.source)
    return build_draft(loaded, assessment, context.rules, program, as_of)


def draft_page(context: Context, form: Form) -> Page:
    """A request draft as `bgtc draft --format html` writes it, with its downloads."""
    from bgtc_rules.render.draft_html import render_draft_html

    draft = _draft(context, form)
    parts = page_parts(render_draft_html(draft))
    dossier, as_of = carried(form), form.date("as_of", context.today)
    return render_page("draft.html.j2", embedded=parts, title=draft.title, draft=draft,
                       state=_state(dossier, as_of), gaps=len(draft.gaps))


def _stem(source: str) -> str:
    name = source.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in stem) or "dossier"


def download(context: Context, form: Form, kind: str) -> Answer | None:
    """A download: the report (HTML, Markdown), the plan (ICS, CSV), the JSON export, or a draft."""
    dossier, as_of = carried(form), form.date("as_of", context.today)
    stem = _stem(dossier.source)
    if kind.startswith("draft-"):
        return _draft_download(context, form, kind.removeprefix("draft-"), stem)
    if kind == "json":
        text = _evaluate(context, dossier, as_of).to_json()
        return Download(text.encode("utf-8"), f"{stem}-assessment.json", "application/json")
    if kind in ("ics", "csv"):
        from bgtc_rules.advice.plan import plan_for
        from bgtc_rules.render.calendar import plan_to_csv, plan_to_ics

        plan = plan_for(dossier.dossier(context.max_bytes), context.rules, as_of=as_of, backend=context.backend,
                        source=dossier.source)
        if kind == "ics":
            return Download(plan_to_ics(plan).encode("utf-8"), f"{stem}-plan.ics", "text/calendar; charset=utf-8")
        return Download(plan_to_csv(plan).encode("utf-8"), f"{stem}-plan.csv", "text/csv; charset=utf-8")
    if kind in ("html", "markdown"):
        from bgtc_rules.advice.report import build_report

        report = build_report(dossier.dossier(context.max_bytes), context.rules, as_of=as_of,
                              backend=context.backend, source=dossier.source)
        if kind == "html":
            from bgtc_rules.render.html import render_html

            return Download(render_html(report).encode("utf-8"), f"{stem}-report.html", "text/html; charset=utf-8")
        from bgtc_rules.render.markdown import render_markdown

        return Download(render_markdown(report).encode("utf-8"), f"{stem}-report.md",
                        "text/markdown; charset=utf-8")
    return None


def _draft_download(context: Context, form: Form, fmt: str, stem: str) -> Download | None:
    draft = _draft(context, form)
    name = f"{stem}-{draft.program}"
    if fmt == "docx":
        from bgtc_rules.render.draft_docx import render_draft_docx

        return Download(render_draft_docx(draft), f"{name}.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if fmt == "html":
        from bgtc_rules.render.draft_html import render_draft_html

        return Download(render_draft_html(draft).encode("utf-8"), f"{name}.html", "text/html; charset=utf-8")
    if fmt == "markdown":
        from bgtc_rules.render.draft_markdown import render_draft_markdown

        return Download(render_draft_markdown(draft).encode("utf-8"), f"{name}.md", "text/markdown; charset=utf-8")
    return None
