"""Reading the dossier for a draft: a field's value as text, or a `Gap` naming the field and the
question that would fill it. Unknown stays unknown: nothing is guessed or defaulted."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from bgtc_rules.advice.drafts.model import Fragment, Gap, Line
from bgtc_rules.advice.labels import label
from bgtc_rules.dossier.paths import field_of, value_at
from bgtc_rules.dossier.schema import Dossier


class Reader:
    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self._data = dossier.model_dump(mode="json")

    def value(self, path: str) -> Any:
        return value_at(self._data, path)

    def known(self, path: str) -> bool:
        return self.value(path) is not None

    def text(self, path: str, question: str, render: Callable[[Any], str] | None = None) -> Fragment:
        """The field as text, or a gap asking `question`."""
        value = self.value(path)
        if value is None:
            return Gap(path, question)
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
        node = field_of(self.dossier, path)
        return isinstance(node, StrEnum) or (isinstance(node, list) and any(isinstance(v, StrEnum) for v in node))


def line(*fragments: Fragment) -> Line:
    return Line(tuple(f for f in fragments if f != ""))


def bullet(*fragments: Fragment) -> Line:
    return Line(tuple(f for f in fragments if f != ""), bullet=True)
