"""The guided interview: which unknown fact to ask about next, and how to read the answer.

Which questions are asked comes from the rules, never from a list: after every answer the
dossier is evaluated again, and a question is open when an undetermined program lists its field
among its missing facts and that field can still matter at the program's stage (`stage`: no
complete-response-letter question before a BLA, nothing for a program whose window has passed).
The open questions are put in the order questions.yaml gives (`interview.first`: stage, modality,
phase, pediatric onset...; `interview.last`: situational questions), then the one that the most
undetermined programs list first (ties go to the field that comes first in the dossier schema).
A rule added with a new question is therefore asked as soon as it is decisive. The product's name
is asked first: a dossier cannot exist without it. Each question carries its choices as labels
with their values, and a cited line of help where questions.yaml gives one (`asking`).

Answers are read against the dossier schema (see `answers`) and a new dossier is
validated after every answer; an invalid answer changes nothing. "I don't know" leaves a field
unknown and it is not asked again; `Interview.back` undoes the previous step.

This module does no input or output: the terminal dialogue is `bgtc_rules/cli/interview.py`.

Examples:
    >>> import datetime as dt
    >>> from bgtc_rules import RuleBase
    >>> interview = Interview(RuleBase.load(), as_of=dt.date(2026, 11, 21))
    >>> interview.next_question().path
    'program.name'
    >>> _ = interview.answer("program.name", "AAV9-X")
    >>> question = interview.next_question()
    >>> question.path, len(question.decides) > 1
    ('development.stage', True)
"""

from __future__ import annotations

import datetime as dt
import time
import typing
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel

from bgtc_rules.advice.answers import AnswerError, Field, field_for
from bgtc_rules.advice.asking import Choice, Help, choices, help_for, place
from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.evaluation import evaluate
from bgtc_rules.advice.stage import STAGE_PATH, facts_that_matter
from bgtc_rules.base.errors import InputError
from bgtc_rules.dossier.loading import dossier_from_mapping
from bgtc_rules.dossier.paths import remove_at, set_at, unwrap_optional, value_at
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import fact_catalog
from bgtc_rules.language.rulebase import RuleBase

NAME_PATH = "program.name"
NAME_QUESTION = "What is the name or code of the product?"
SKIPPED_HEADER = "# bgtc interview, skipped (I don't know):"


# --- the questions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """The next thing to ask: a dossier field, its question, and the open programs it decides."""

    path: str
    text: str
    field: Field
    decides: tuple[str, ...]  # ids of the undetermined programs listing the field as missing
    choices: tuple[Choice, ...] = ()  # for a choice field: each value with its label
    help: Help | None = None  # the cited help on the answer, where questions.yaml gives one


def _catalog_order() -> dict[str, int]:
    return {path: index for index, path in enumerate(fact_catalog())}


def rank_questions(assessment: Assessment, rules: RuleBase, exclude: Collection[str] = (),
                   matter: Mapping[str, frozenset[str]] | None = None) -> list[Question]:
    """Every unknown field that would help decide an undetermined program, in the order to ask.

    The questions.yaml order comes first (`asking.place`); then a field's weight, the number of
    undetermined programs whose missing facts list it; ties go to the field that comes first in
    the dossier schema. `exclude`: fields not to ask about (answered, or answered "I don't know").
    `matter`: program -> the fields that can matter at its stage (`stage.facts_that_matter`);
    a program or field outside it is not asked about.
    """
    deciding: dict[str, list[str]] = {}
    wording: dict[str, str] = {}
    for program in assessment.programs:
        if program.determination is not Determination.UNDETERMINED:
            continue
        for missing in program.missing:
            if missing.path in exclude or (matter is not None and missing.path not in matter.get(program.program, ())):
                continue
            programs = deciding.setdefault(missing.path, [])
            if program.program not in programs:
                programs.append(program.program)
            wording.setdefault(missing.path, missing.question)
    order = _catalog_order()
    ranked = sorted(deciding, key=lambda path: (*place(rules, path), -len(deciding[path]),
                                                order.get(path, len(order)), path))
    return [_question(rules, path, rules.questions.get(path) or wording[path], tuple(deciding[path]))
            for path in ranked]


def _question(rules: RuleBase, path: str, text: str, decides: tuple[str, ...]) -> Question:
    field_ = field_for(path)
    return Question(path, text, field_, decides, choices(rules, path, field_), help_for(rules, path))


# --- the dossier being built ----------------------------------------------------------------------


def _ordered(data: Any, model: type[BaseModel]) -> Any:
    """A dossier mapping with its keys in schema order, and without empty sections."""
    if not isinstance(data, Mapping):
        return data
    result: dict[str, Any] = {}
    names = list(model.model_fields)
    for key in sorted(data, key=lambda k: names.index(k) if k in names else len(names)):
        value = data[key]
        info = model.model_fields.get(key)
        inner = unwrap_optional(info.annotation) if info is not None else None
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            value = _ordered(value, inner)
            if value == {}:
                continue
        elif typing.get_origin(inner) is list and isinstance(value, list):
            item = unwrap_optional(typing.get_args(inner)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                value = [_ordered(v, item) for v in value]
        result[key] = value
    return result


def _copy(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {str(k): _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


@dataclass(frozen=True)
class Change:
    """One program whose determination an answer changed."""

    program: str
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class Step:
    """One question dealt with: answered (with its value) or answered "I don't know"."""

    path: str
    skipped: bool
    value: Any = None


@dataclass
class Interview:
    """The state of one interview: the dossier so far, what was skipped, and the steps taken."""

    rules: RuleBase
    as_of: dt.date
    backend: str | None = None
    start: Mapping[str, Any] | None = None  # a dossier to resume from (as read from its file)
    skipped: set[str] = field(default_factory=set)
    steps: list[Step] = field(default_factory=list)
    evaluation_seconds: list[float] = field(default_factory=list, init=False)
    assessment: Assessment | None = field(default=None, init=False)
    _data: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._data = _copy(self.start) if self.start else {"schema_version": 1}
        self._data.setdefault("schema_version", 1)
        if value_at(self._data, NAME_PATH) is not None:
            self.assessment = self._evaluate(self._validated(self._data))

    # --- reading the state

    def data(self) -> dict[str, Any]:
        """The dossier so far, as it is written to a file: answered fields only, in schema order."""
        ordered = _ordered(self._data, Dossier)
        assert isinstance(ordered, dict)
        return ordered

    def dossier(self) -> Dossier | None:
        """The validated dossier so far; None until the product has a name."""
        if value_at(self._data, NAME_PATH) is None:
            return None
        return self._validated(self._data)

    def known(self, path: str) -> bool:
        return value_at(self._data, path) is not None

    def value(self, path: str) -> Any:
        return value_at(self._data, path)

    @property
    def answered(self) -> int:
        return sum(1 for step in self.steps if not step.skipped)

    def determinations(self) -> dict[str, str]:
        return self.assessment.determinations() if self.assessment else {}

    def counts(self) -> dict[str, int]:
        """How many programs have each determination, in the order of `Determination`."""
        found = Counter(self.determinations().values())
        return {d.value: found[d.value] for d in Determination if found[d.value]}

    def next_question(self) -> Question | None:
        """The most decisive open question; None when no undetermined program has one left."""
        if self.assessment is None:
            return _question(self.rules, NAME_PATH, NAME_QUESTION, ())
        ranked = self.open_questions()
        return ranked[0] if ranked else None

    def open_questions(self) -> list[Question]:
        """Every question still worth asking (not answered, not skipped), most decisive first."""
        if self.assessment is None:
            return []
        missing = {m.path for p in self.assessment.programs for m in p.missing}
        exclude = self.skipped | {path for path in missing if self.known(path)}
        stage = self.value(STAGE_PATH)
        matter = facts_that_matter(self.rules, self.as_of, str(stage)) if stage is not None else None
        return rank_questions(self.assessment, self.rules, exclude, matter)

    # --- changing the state

    def answer(self, path: str, value: Any) -> list[Change]:
        """Set a field, validate the whole dossier and evaluate it again; the programs that changed.

        Raises `AnswerError` (and changes nothing) when the dossier would not be valid.
        """
        data = _copy(self._data)
        set_at(data, path, value)
        if value_at(data, NAME_PATH) is None:
            raise AnswerError("the product needs a name first")
        dossier = self._validated(data)
        before = self.determinations()
        self._data = data
        self.skipped.discard(path)
        self.steps.append(Step(path, False, value))
        self.assessment = self._evaluate(dossier)
        return self._changes(before)

    def skip(self, path: str) -> None:
        """Answer "I don't know": the field stays unknown and is not asked again."""
        if path == NAME_PATH:
            raise AnswerError("the product needs a name (any working name will do)")
        self.skipped.add(path)
        self.steps.append(Step(path, True))

    def back(self) -> tuple[Step | None, list[Change]]:
        """Undo the last step: forget its answer (or its "I don't know"), so it is asked again."""
        if not self.steps:
            return None, []
        step = self.steps.pop()
        if step.skipped:
            self.skipped.discard(step.path)
            return step, []
        before = self.determinations()
        data = _copy(self._data)
        remove_at(data, step.path, prune=True)
        self._data = data
        if value_at(data, NAME_PATH) is None:
            self.assessment = None
            return step, []
        self.assessment = self._evaluate(self._validated(data))
        return step, self._changes(before)

    # --- helpers

    def _validated(self, data: Mapping[str, Any]) -> Dossier:
        try:
            return dossier_from_mapping(_copy(data), "<interview>")
        except InputError as exc:
            raise AnswerError("; ".join(f"{p.where}: {p.message}" if p.where else p.message
                                        for p in exc.problems)) from None

    def _evaluate(self, dossier: Dossier) -> Assessment:
        started = time.perf_counter()
        assessment = evaluate(dossier, self.rules, as_of=self.as_of, backend=self.backend, source="<interview>")
        self.evaluation_seconds.append(time.perf_counter() - started)
        return assessment

    def _changes(self, before: Mapping[str, str]) -> list[Change]:
        if self.assessment is None:
            return []
        return [Change(p.program, p.name, before.get(p.program, ""), p.determination.value)
                for p in self.assessment.programs if before.get(p.program) != p.determination.value]


# --- the file -------------------------------------------------------------------------------------


def file_header(as_of: dt.date, resume_from: str | None = None) -> list[str]:
    """The comment lines at the top of a dossier the interview writes; `resume_from`: the file an
    interrupted interview is saved to, named in the line that says how to continue."""
    lines = [f"Dossier written by `bgtc interview` (rules applied on {as_of.isoformat()}).",
             "Only the answered fields are set: a field left out is unknown."]
    if resume_from is not None:
        lines.append(f"Interview in progress; continue with: bgtc interview --resume {resume_from}")
    return lines


def dossier_yaml(interview: Interview, header: Iterable[str] = ()) -> str:
    """The dossier as YAML (answered fields only), after `# ` comment lines; the fields answered
    "I don't know" are listed in a comment that `skipped_from_text` reads back on resume."""
    lines = [f"# {line}" if line else "#" for line in header]
    if interview.skipped:
        lines.append(f"{SKIPPED_HEADER} {', '.join(sorted(interview.skipped))}")
    body = yaml.safe_dump(interview.data(), sort_keys=False, allow_unicode=True, width=100)
    return "\n".join([*lines, body]) if lines else body


def skipped_from_text(text: str) -> set[str]:
    """The fields a dossier written by `dossier_yaml` records as answered "I don't know".

    Examples:
        >>> sorted(skipped_from_text(SKIPPED_HEADER + " designations, meeting.dispute, nonsense\\nx: 1"))
        ['designations', 'meeting.dispute']
    """
    found: set[str] = set()
    catalog = fact_catalog()
    for line in text.splitlines():
        if line.startswith(SKIPPED_HEADER):
            found.update(p.strip() for p in line[len(SKIPPED_HEADER):].split(",") if p.strip() in catalog)
    return found
