"""The guided interview in the browser: one question at a time, in the order and with the checks of
`advice.interview` (the same `Interview` the terminal dialogue drives), with "I don't know", back,
the running determinations, and the dossier to download as `bgtc interview -o` writes it.

Nothing is kept on the server: the page carries the dossier so far (as the YAML file the
interview writes, which records the fields answered "I don't know") and the steps taken (for
back), and every post rebuilds the interview from them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bgtc_rules.advice.answers import AnswerError, Field, parse_answer
from bgtc_rules.advice.interview import (
    Change,
    Interview,
    Question,
    Step,
    dossier_yaml,
    file_header,
    skipped_from_text,
)
from bgtc_rules.base.errors import InputError, Problem
from bgtc_rules.dossier.paths import value_at
from bgtc_rules.service.web.forms import Carried, Form
from bgtc_rules.service.web.layout import Answer, Context, Download, Page, render_page

SOURCE = "interview.yaml"  # the name the dossier goes by once the interview hands it on
MAX_ROWS = 30


def _problem(where: str, message: str) -> InputError:
    return InputError([Problem("interview form", where, message)])


def _steps(text: str, data: dict[str, Any]) -> list[Step]:
    try:
        raw = json.loads(text) if text else []
    except ValueError:
        raw = None
    if not isinstance(raw, list) or not all(
            isinstance(s, list) and len(s) == 2 and isinstance(s[0], str) and isinstance(s[1], bool) for s in raw):
        raise _problem("steps", "the steps taken cannot be read; start again or open the downloaded dossier")
    return [Step(path, skipped, None if skipped else value_at(data, path)) for path, skipped in raw]


def _session(context: Context, text: str, as_of: dt.date, steps: str = "") -> Interview:
    """The interview as the page left it (a validated dossier, by the strict reader)."""
    data: dict[str, Any] | None = None
    if text.strip():
        document = Carried(text, SOURCE).document(context.max_bytes)
        from bgtc_rules.base.validation import validate_document
        from bgtc_rules.dossier.schema import Dossier

        validate_document(Dossier, document)  # located problems for a dossier that is not valid
        if not isinstance(document.data, dict):
            raise InputError([Problem(SOURCE, "", "expected a mapping of fields")])
        data = document.data
    session = Interview(context.rules, as_of, context.backend, data, skipped_from_text(text))
    session.steps = _steps(steps, data or {})
    return session


def resume_interview(context: Context, dossier: Carried, as_of: dt.date) -> Page:
    """The interview continued from an opened dossier: only what is still unknown and decisive is asked."""
    from bgtc_rules.base.validation import validate_document
    from bgtc_rules.dossier.schema import Dossier

    document = dossier.document(context.max_bytes)
    validate_document(Dossier, document)
    if not isinstance(document.data, dict):
        raise InputError([Problem(dossier.source, "", "expected a mapping of fields")])
    session = Interview(context.rules, as_of, context.backend, document.data, skipped_from_text(dossier.text))
    return _page(context, session, resumed=dossier.source)


def resume_from_form(context: Context, form: Form) -> Page:
    """"Continue the interview" from an assessment page: the dossier it carries."""
    from bgtc_rules.service.web.forms import carried

    return resume_interview(context, carried(form), form.date("as_of", context.today))


def _item_answer(field: Field, form: Form, rows: int) -> list[dict[str, Any]]:
    items = []
    for row in range(rows):
        texts = {prop.name: form.text(f"item-{row}-{prop.name}").strip() for prop in field.item_fields}
        if not any(texts.values()):
            continue
        item: dict[str, Any] = {}
        for prop in field.item_fields:
            text = texts[prop.name]
            if not text:
                if prop.required and prop.default is None:
                    raise AnswerError(f"{field.noun} {row + 1}: the {prop.name.replace('_', ' ')} is needed")
                continue
            try:
                item[prop.name] = parse_answer(prop, text)
            except AnswerError as exc:
                raise AnswerError(f"{field.noun} {row + 1}, {prop.name.replace('_', ' ')}: {exc}") from None
        items.append(item)
    return items


def answer_value(field: Field, form: Form, rows: int) -> Any:
    """The value the question's form gives, read by `parse_answer` as the terminal reads a typed answer."""
    if field.kind == "items":
        return _item_answer(field, form, rows)
    if field.kind == "enum_list":
        chosen = [c for c in form.all("answer") if c]
        return parse_answer(field, ", ".join(chosen) if chosen else "none")
    text = form.text("answer").strip()
    if not text:
        raise AnswerError("please answer, or choose “I don't know”")
    return parse_answer(field, text)


def interview_step(context: Context, form: Form) -> Answer:
    """One post of the interview form: answer, "I don't know", back, another row, or the download."""
    as_of = form.date("as_of", context.today)
    session = _session(context, form.text("dossier"), as_of, form.text("steps"))
    action = form.text("action")
    rows_text = form.text("rows")
    rows = min(MAX_ROWS, max(1, int(rows_text) if rows_text.isdigit() and len(rows_text) <= 3 else 1))
    if action == "download":
        return Download(_file(session).encode("utf-8"), SOURCE, "application/yaml; charset=utf-8")
    question = session.next_question()
    if action in ("answer", "skip", "more") and (question is None or question.path != form.text("path")):
        raise _problem("path", "this question was already dealt with; the page shows the current one")
    assert question is not None or action not in ("answer", "skip", "more")
    changes: list[Change] = []
    try:
        if action == "back":
            step, changes = session.back()
            return _page(context, session, changes, note=f"Back: “{_question_text(context, step.path)}” is open "
                         "again." if step else "There is no earlier question to go back to.")
        if action == "more" and question is not None:
            return _page(context, session, rows=min(MAX_ROWS, rows + 1), entered=form)
        if action == "skip" and question is not None:
            session.skip(question.path)
            return _page(context, session, note="Left unknown; it will not be asked again.")
        if action == "answer" and question is not None:
            changes = session.answer(question.path, answer_value(question.field, form, rows))
    except AnswerError as exc:
        return _page(context, session, error=str(exc), rows=rows, entered=form, status=400)
    return _page(context, session, changes, note="" if changes else "No determination changed.")


def start_interview(context: Context, form: Form) -> Page:
    return _page(context, _session(context, "", form.date("as_of", context.today)))


def _question_text(context: Context, path: str) -> str:
    from bgtc_rules.advice.interview import NAME_PATH, NAME_QUESTION

    return NAME_QUESTION if path == NAME_PATH else context.rules.questions.get(path, path)


def _file(session: Interview) -> str:
    """The dossier as `bgtc interview -o FILE` writes it."""
    return dossier_yaml(session, file_header(session.as_of))


def _page(context: Context, session: Interview, changes: list[Change] | None = None, *, note: str = "",
          error: str = "", rows: int = 1, entered: Form | None = None, resumed: str = "",
          status: int = 200) -> Page:
    question: Question | None = session.next_question()
    changes = changes or []
    first = bool(changes) and all(not change.before for change in changes)  # the first evaluation: no news
    text = _file(session) if session.dossier() is not None else ""
    existing = session.value(question.path) if question is not None else None
    if question is not None and question.field.kind == "items" and isinstance(existing, list):
        rows = max(rows, len(existing) + 1)
    names = {p.program: p.name for p in session.assessment.programs} if session.assessment else {}
    item_choices: dict[str, Any] = {}
    item_help: dict[str, Any] = {}
    if question is not None and question.field.kind == "items":
        from bgtc_rules.advice.asking import choices, help_for

        for prop in question.field.item_fields:
            found = choices(context.rules, f"{question.path}[].{prop.name}", prop)
            item_choices[prop.name] = ([("yes", "yes"), ("no", "no")] if prop.kind == "bool"
                                       else [(choice.value, choice.label) for choice in found])
            item_help[prop.name] = help_for(context.rules, f"{question.path}[].{prop.name}")
    return render_page(
        "interview.html.j2", status=status, title="Guided interview", session=session, question=question,
        number=len(session.steps) + 1, changes=[] if first else changes, note=note, error=error,
        rows=rows, entered=entered, resumed=resumed, names=names, item_choices=item_choices, item_help=item_help,
        state={"dossier": text, "steps": json.dumps([[s.path, s.skipped] for s in session.steps]),
               "as_of": session.as_of.isoformat()},
        handoff={"dossier": text, "source": SOURCE, "as_of": session.as_of.isoformat()})
