"""The start page (open a dossier, start the interview, start from a bundled scenario), a refused
dossier shown with each problem next to the line and field it names, and the rules browser."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bgtc_rules.base.errors import InputError, Problem
from bgtc_rules.service.web.forms import Carried, Form, uploaded
from bgtc_rules.service.web.layout import Answer, Context, Page, render_page

# The bundled scenarios sit beside the package in a source checkout (they are not in the wheel).
SCENARIOS_DIR = Path(__file__).resolve().parents[3] / "scenarios"


@dataclass(frozen=True)
class Scenario:
    name: str  # the file name
    summary: str  # the first comment line of its header


@cache
def scenarios(directory: Path = SCENARIOS_DIR) -> tuple[Scenario, ...]:
    if not directory.is_dir():
        return ()
    found = []
    for path in sorted(directory.glob("*.yaml")):
        header = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            header.append(line[1:].strip())
        text = " ".join(header)
        sentence = text.split(". ")[0].rstrip(".") if text else path.stem
        found.append(Scenario(path.name, sentence if len(sentence) <= 120 else sentence[:117] + "..."))
    return tuple(found)


def scenario_dossier(form: Form) -> Carried:
    name = form.text("scenario")
    if name not in {s.name for s in scenarios()}:
        raise InputError([Problem("form", "scenario", f"no bundled scenario {name!r}; choose one from the list")])
    return Carried((SCENARIOS_DIR / name).read_text(encoding="utf-8"), name)


@dataclass(frozen=True)
class ListedLine:
    number: int
    text: str
    problems: tuple[Problem, ...]


def start_page(context: Context, as_of: str = "", problems: Sequence[Problem] = (), refused: Carried | None = None,
               status: int = 200) -> Page:
    """The start page; with `refused`, the dossier that could not be used, each problem under its line."""
    listing: list[ListedLine] = []
    unplaced: list[Problem] = list(problems)
    if refused is not None:
        lines = refused.text.splitlines()
        placed = {p.line for p in problems if p.line is not None and 1 <= p.line <= len(lines)}
        listing = [ListedLine(number, text, tuple(p for p in problems if p.line == number))
                   for number, text in enumerate(lines, 1)]
        unplaced = [p for p in problems if p.line not in placed]
    return render_page("start.html.j2", status=status, title="Which FDA programs fit your gene therapy?",
                       as_of=as_of or context.today.isoformat(), scenarios=scenarios(), problems=problems,
                       unplaced=unplaced, listing=listing, refused=refused)


def open_dossier(context: Context, form: Form) -> Answer:
    """The start page's "open": the assessment, or the interview continued from the file."""
    from bgtc_rules.service.web.assessment_pages import assessment_page
    from bgtc_rules.service.web.interview_page import resume_interview

    as_of = form.date("as_of", context.today)
    try:
        dossier = uploaded(form)
    except InputError as exc:
        return start_page(context, as_of.isoformat(), exc.problems, status=400)
    try:
        if form.text("action") == "interview":
            return resume_interview(context, dossier, as_of)
        return assessment_page(context, dossier, as_of)
    except InputError as exc:
        return start_page(context, as_of.isoformat(), exc.problems, dossier, status=400)


def open_scenario(context: Context, form: Form) -> Answer:
    from bgtc_rules.service.web.assessment_pages import assessment_page

    return assessment_page(context, scenario_dossier(form), form.date("as_of", context.today))


# --- the rules browser ----------------------------------------------------------------------------


def rules_page(context: Context) -> Page:
    from bgtc_rules.render.rulebook import program_entries

    rules = context.rules
    return render_page("rules.html.j2", title="Programs and rules", edition=rules.edition,
                       entries=program_entries(rules), programs=rules.programs)


def condition_kind(condition: object) -> str:
    """`all`, `any`, `not`, `concept` or `fact`: how the rules browser writes a condition out."""
    from bgtc_rules.language.spec import AllCondition, AnyCondition, ConceptCondition, NotCondition

    kinds = ((AllCondition, "all"), (AnyCondition, "any"), (NotCondition, "not"), (ConceptCondition, "concept"))
    return next((word for kind, word in kinds if isinstance(condition, kind)), "fact")


def program_page(context: Context, program_id: str) -> Page | None:
    """One program: its data, and each rule with its conditions, citations, dates and caveats."""
    from bgtc_rules.language.leaves import show
    from bgtc_rules.render.handbook_rules import COUNTED, TIMELINE, WORDS, in_force_text

    rules = context.rules
    program = rules.programs.get(program_id)
    if program is None:
        return None
    return render_page("program.html.j2", title=program.name, program=program,
                       rules=rules.program_rules(program_id), in_force_text=in_force_text, counted=COUNTED,
                       timeline_words=TIMELINE, words=WORDS, show=show,
                       condition_kind=condition_kind,
                       names={pid: p.name for pid, p in rules.programs.items()})
