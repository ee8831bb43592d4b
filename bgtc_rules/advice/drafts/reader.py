"""Reading the dossier for a draft: a field's value as text, or a `Gap` naming the field and the
question that would fill it. Unknown stays unknown: nothing is guessed or defaulted.

The questions are rules/questions.yaml's (`questions:` for the fields rules read, `drafts:` for
the rest), so a draft asks in the same words as the interview and the reports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from bgtc_rules.advice.drafts.model import Fragment, Gap, Line
from bgtc_rules.advice.labels import label
from bgtc_rules.dossier.editing import value_at
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.rulebase import RuleBase


class Reader:
    def __init__(self, dossier: Dossier, questions: Mapping[str, str] | None = None) -> None:
        self.dossier = dossier
        self._data = dossier.model_dump(mode="json")
        self._questions = questions or {}

    @classmethod
    def of(cls, dossier: Dossier, rulebase: RuleBase) -> Reader:
        """A reader asking in the rule base's words (questions.yaml `questions:` and `drafts:`)."""
        return cls(dossier, {**rulebase.questions, **rulebase.draft_questions})

    def value(self, path: str) -> Any:
        return value_at(self._data, path)

    def known(self, path: str) -> bool:
        return self.value(path) is not None

    def ask(self, path: str) -> str:
        """The question for the field at `path`, as questions.yaml words it.

        Raises:
            KeyError: questions.yaml has no question for `path` (a drafting error, caught by the tests).
        """
        if path not in self._questions:
            raise KeyError(f"no question for {path!r} in rules/questions.yaml (`questions:` or `drafts:`)")
        return self._questions[path]

    def gap(self, path: str) -> Gap:
        return Gap(path, self.ask(path))

    def text(self, path: str, render: Callable[[Any], str] | None = None) -> Fragment:
        """The field as text, or a gap asking the field's question."""
        value = self.value(path)
        if value is None:
            return self.gap(path)
        if render is not None:
            return render(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        coded = self._coded(path)
        if isinstance(value, list):
            return "; ".join(label(v) if coded else str(v) for v in value) if value else "none"
        return label(value) if coded else str(value)

    def _coded(self, path: str) -> bool:
        """Whether the field holds coded values (an enum, or a list of them), which read as their labels."""
        node: Any = self.dossier
        for part in path.split("."):
            node = getattr(node, part, None)
        return isinstance(node, StrEnum) or (isinstance(node, list) and any(isinstance(v, StrEnum) for v in node))


def line(*fragments: Fragment) -> Line:
    return Line(tuple(f for f in fragments if f != ""))


def bullet(*fragments: Fragment) -> Line:
    return Line(tuple(f for f in fragments if f != ""), bullet=True)
