"""Reading the dossier for a draft: a field's value as text, or a `Gap` naming the field and the
question that would fill it. Unknown stays unknown: nothing is guessed or defaulted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bgtc_rules.advice.drafts.model import Fragment, Gap, Line
from bgtc_rules.dossier.editing import value_at
from bgtc_rules.dossier.schema import Dossier


def words(value: str) -> str:
    """An enum value as words: `aav_gene_therapy` -> `aav gene therapy`."""
    return value.replace("_", " ")


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
        if isinstance(value, list):
            return "; ".join(str(v) for v in value) if value else "none"
        return str(value)


def line(*fragments: Fragment) -> Line:
    return Line(tuple(f for f in fragments if f != ""))


def bullet(*fragments: Fragment) -> Line:
    return Line(tuple(f for f in fragments if f != ""), bullet=True)
