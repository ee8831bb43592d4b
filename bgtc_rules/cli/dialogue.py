"""The terminal dialogue of `bgtc interview` (`cli.interview`): prompts, the running determinations,
the files.

The questions, their order and the checks on each answer come from `bgtc_rules.advice.interview`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import click

from bgtc_rules.advice.answers import (
    NO_WORDS,
    NONE_WORDS,
    YES_WORDS,
    AnswerError,
    Field,
    control,
    format_value,
    parse_answer,
)
from bgtc_rules.advice.asking import Choice, Help, choices, help_for
from bgtc_rules.advice.interview import (
    Change,
    Interview,
    Question,
    dossier_yaml,
    file_header,
    skipped_from_text,
)
from bgtc_rules.advice.standing import Standing, standing_text
from bgtc_rules.base.errors import input_error
from bgtc_rules.cli.common import parse_date, use_colour

EXIT_INTERRUPTED = 130


class _Back:
    """The reply "back"."""


class _Skip:
    """The reply "I don't know"."""


BACK = _Back()
SKIP = _Skip()
Reply = Any  # a value for the field, BACK or SKIP


def _width() -> int:
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 2))


def _say(text: str = "", *, indent: str = "", bold: bool = False, dim: bool = False, fg: str | None = None) -> None:
    lines = textwrap.wrap(text, _width(), initial_indent=indent, subsequent_indent=indent) if text else [""]
    for line in lines:
        if use_colour():
            click.secho(line, bold=bold, dim=dim, fg=fg)
        else:
            click.echo(line)


def _prompt(label: str) -> str:
    """One line of input; an empty line is returned as ''. Ctrl-C and end of input raise `click.Abort`."""
    text: str = click.prompt(label, default="", show_default=False, prompt_suffix=": ")
    return text.strip()


def _choices(options: tuple[Choice, ...], indent: str = "    ") -> None:
    """The numbered choices: one a line when they have labels (`2 IND in effect [ind_active]`),
    else packed into as few lines as fit (a choice is never split)."""
    entries = [f"{number} {choice.shown()}" for number, choice in enumerate(options, 1)]
    if any(choice.label != choice.value for choice in options):
        for entry in entries:
            click.echo(indent + entry)
        return
    line = ""
    for entry in entries:
        if line and len(indent) + len(line) + 2 + len(entry) > _width():
            click.echo(indent + line)
            line = ""
        line = f"{line}  {entry}" if line else entry
    if line:
        click.echo(indent + line)


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


# --- asking ---------------------------------------------------------------------------------------


def _ask_scalar(field: Field, label: str = "Answer") -> Reply:
    while True:
        text = _prompt(label)
        word = control(text)
        if word == "back":
            return BACK
        if word == "skip":
            return SKIP
        if not text:
            _say("Please answer, or type ? if you do not know.", indent="  ")
            continue
        try:
            return parse_answer(field, text)
        except AnswerError as exc:
            _say(f"Not a valid answer: {exc}.", indent="  ", fg="red")


def _help(found: Help | None, indent: str) -> None:
    if found is not None:
        _say(f"Help: {found.text} ({found.source})", indent=indent, dim=True)


def _ask_item_property(noun: str, field: Field, path: str, session: Interview) -> Reply:
    """One property of a list item; BACK drops the item, SKIP means "use the default"."""
    if field.kind in ("enum", "enum_list"):
        _help(help_for(session.rules, path), "      ")
        _choices(choices(session.rules, path, field), indent="      ")
    if field.default is not None:
        extra = f" [{format_value(field, field.default)}]"
    elif not field.required:
        extra = " [blank: unknown]"
    else:
        extra = ""
    hint = "number or value" if field.kind == "enum" else field.hint()
    label = f"    {noun} {field.name.replace('_', ' ')} ({hint}){extra}"
    while True:
        text = _prompt(label)
        word = control(text)
        if word == "back":
            return BACK
        if not text or word == "skip":
            if field.default is not None or not field.required:
                return SKIP
            _say(f"The {field.name} is needed; answer it, or type back to drop this {noun}.", indent="      ")
            continue
        try:
            return parse_answer(field, text)
        except AnswerError as exc:
            _say(f"Not a valid answer: {exc}.", indent="      ", fg="red")


def _ask_item(field: Field, path: str, session: Interview) -> dict[str, Any] | None:
    item: dict[str, Any] = {}
    for prop in field.item_fields:
        reply = _ask_item_property(field.noun, prop, f"{path}[].{prop.name}", session)
        if reply is BACK:
            _say(f"Dropped this {field.noun}.", indent="    ")
            return None
        if reply is not SKIP:
            item[prop.name] = reply
    return item


def _ask_items(field: Field, path: str, session: Interview) -> Reply:
    """A list of objects, item by item: 'none' (or 'no' before the first) is an empty list."""
    items: list[dict[str, Any]] = []
    while True:
        label = (f"Add another {field.noun}? (yes/no)" if items
                 else f"Add {_article(field.noun)} {field.noun}? (yes, or none)")
        text = _prompt(label)
        word = control(text)
        lowered = text.lower()
        if word == "back":
            if not items:
                return BACK
            items.pop()
            _say(f"Removed the last {field.noun}.", indent="  ")
        elif word == "skip":
            if not items:
                return SKIP
            _say(f"You have added {len(items)}; answer no to keep them, or back to remove the last.", indent="  ")
        elif lowered in NONE_WORDS or lowered in NO_WORDS:
            return items
        elif lowered in YES_WORDS:
            item = _ask_item(field, path, session)
            if item is not None:
                items.append(item)
        else:
            _say("Answer yes or no (none: there are none; ?: you do not know; back).", indent="  ")


def _ask(question: Question, number: int, session: Interview) -> Reply:
    click.echo("")
    decides = len(question.decides)
    heading = f"Question {number}"
    if decides:
        heading += f" (can decide {decides} open determination{'s' if decides != 1 else ''})"
    _say(heading, dim=True)
    _say(question.text, bold=True)
    _help(question.help, "  ")
    _say(f"[{question.path}] {question.field.hint()}  (? = don't know, back = previous)", indent="  ", dim=True)
    if question.field.kind in ("enum", "enum_list"):
        _choices(question.choices)
    if question.field.kind == "items":
        return _ask_items(question.field, question.path, session)
    return _ask_scalar(question.field)


# --- reporting ------------------------------------------------------------------------------------


def _counts(session: Interview) -> str:
    """The determinations counted, then the designations held and pending (never advised again)."""
    standing = session.assessment.standings() if session.assessment else {}
    asked = [(sum(1 for s in standing.values() if s == name), name)
             for name in (Standing.HELD.value, Standing.PENDING.value)]
    return ", ".join([*(f"{count} {name}" for name, count in session.counts().items()),
                      *(f"{count} designation(s) {name}" for count, name in asked if count)])


def _show(session: Interview, changes: list[Change]) -> None:
    """The programs whose determination changed (one line each), then the counts."""
    first = all(not change.before for change in changes)  # the first evaluation: counts only
    changes = [] if first else changes
    for change in changes:
        line = f"  {change.program}: {change.before} -> {change.after}  ({change.name})"
        if len(line) > _width():
            line = line[:_width() - 2] + "…)"
        click.echo(click.style(line, fg="green") if use_colour() else line)
    milliseconds = session.evaluation_seconds[-1] * 1000 if session.evaluation_seconds else 0.0
    prefix = "" if changes or first else "No determination changed. "
    _say(f"{prefix}Now: {_counts(session)} (re-evaluated in {milliseconds:.0f} ms)", indent="  ", dim=True)


def _summary(session: Interview, fields: int) -> None:
    asked = len(session.steps)
    unknown = sum(1 for step in session.steps if step.skipped)
    click.echo("")
    _say("No undetermined program has a question left that could decide it.", bold=True)
    _say(f"Asked {asked} question{'s' if asked != 1 else ''} ({asked - unknown} answered, {unknown} "
         f"\"I don't know\"); the dossier schema has {fields} fields.")
    if session.assessment is not None:
        _say(f"Determinations as of {session.as_of.isoformat()}:")
        width = max(len(p.program) for p in session.assessment.programs)
        for program in session.assessment.programs:
            standing = standing_text(session.assessment.designation(program.program))
            click.echo(f"  {program.program:<{width}}  {program.determination.value}"
                       + (f"  ({standing})" if standing else ""))
    if session.evaluation_seconds:
        mean = sum(session.evaluation_seconds) / len(session.evaluation_seconds) * 1000
        slowest = max(session.evaluation_seconds) * 1000
        backend = session.assessment.backend if session.assessment else ""
        _say(f"Re-evaluation: {mean:.1f} ms on average, {slowest:.1f} ms at most, over "
             f"{len(session.evaluation_seconds)} evaluations ({backend} backend).", dim=True)


def _header(session: Interview, progress: bool, target: Path | None) -> list[str]:
    return file_header(session.as_of, str(target) if progress and target is not None else None)


def _save_progress(session: Interview, target: Path) -> None:
    from bgtc_rules.base.outputs import write_atomically

    click.echo("")
    if session.dossier() is None:
        _say("Interrupted before the product had a name: nothing to save.")
        return
    write_atomically(target, dossier_yaml(session, _header(session, True, target)))
    click.echo(f"Interrupted. Progress saved to {target} ({session.answered} answer"
               f"{'s' if session.answered != 1 else ''} this session).")
    click.echo(f"Resume with: bgtc interview --resume {target} --as-of {session.as_of.isoformat()}")


def _run(session: Interview) -> None:
    while True:
        question = session.next_question()
        if question is None:
            return
        reply = _ask(question, len(session.steps) + 1, session)
        if reply is BACK:
            step, changes = session.back()
            if step is None:
                _say("There is no earlier question to go back to.", indent="  ")
                continue
            _say(f"Back to {step.path}: its answer is undone.", indent="  ")
            if changes:
                _show(session, changes)
            continue
        try:
            if reply is SKIP:
                session.skip(question.path)
                _say("Left unknown; it will not be asked again.", indent="  ", dim=True)
                continue
            changes = session.answer(question.path, reply)
        except AnswerError as exc:
            _say(f"Not a valid answer: {exc}.", indent="  ", fg="red")
            continue
        _show(session, changes)


def _load_resume(path: Path) -> tuple[dict[str, Any], set[str]]:
    from bgtc_rules.base.documents import read_document
    from bgtc_rules.base.validation import validate_document
    from bgtc_rules.dossier.schema import Dossier

    document = read_document(path)
    validate_document(Dossier, document)  # located errors (file, line, field) for a bad dossier
    if not isinstance(document.data, dict):
        raise input_error(str(path), "", "expected a mapping of fields")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return document.data, skipped_from_text(text)


def converse(resume: Path | None, output: Path | None, as_of: str | None, rule_dirs: tuple[Path, ...],
             backend: str | None, progress_file: Path) -> None:
    """The whole `bgtc interview` (see `cli.interview` for its options): ask, show, save."""
    from bgtc_rules.base.outputs import write_atomically
    from bgtc_rules.language.catalog import fact_catalog
    from bgtc_rules.language.rulebase import RuleBase

    when = parse_date(as_of) or dt.date.today()
    output = output if output is not None else resume  # a resumed interview is saved back where it came from
    if output is not None and not (output.parent if str(output.parent) else Path(".")).is_dir():
        raise input_error(str(output), "", "the output directory does not exist")
    start, skipped = _load_resume(resume) if resume is not None else (None, set())
    rules = RuleBase.load(rule_dirs)
    session = Interview(rules, when, backend, start, skipped)
    fields = sum(1 for path in fact_catalog() if "#" not in path and "[]" not in path)

    _say(f"bgtc interview: rules applied on {when.isoformat()}. Only the questions that can change the "
         "advice are asked, the most decisive first.", bold=True)
    _say("Answer ? (or skip) if you do not know, back for the previous question; Ctrl-C saves your "
         "progress.", dim=True)
    if resume is not None and session.assessment is not None:
        _say(f"Resuming from {resume}: {_counts(session)}.")
    try:
        _run(session)
    except (click.Abort, KeyboardInterrupt):
        _save_progress(session, output or progress_file)
        sys.exit(EXIT_INTERRUPTED)
    _summary(session, fields)
    text = dossier_yaml(session, _header(session, False, output))
    if output is None:
        click.echo("")
        click.echo(text, nl=False)
        return
    write_atomically(output, text)
    click.echo(f"Wrote {output}. Evaluate it with: bgtc evaluate {output} --as-of {when.isoformat()}")
