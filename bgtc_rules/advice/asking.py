"""How a question is put to a person: its choices as labels with their values, a cited line of help,
and where it comes in the order. All of it is data in rules/questions.yaml (`interview:`, see
`language.guide`), so that the terminal interview and a web form show the same words.

Examples:
    >>> from bgtc_rules import RuleBase
    >>> from bgtc_rules.advice.answers import field_for
    >>> rules = RuleBase.load()
    >>> [c.label for c in choices(rules, "development.stage", field_for("development.stage"))][2]
    'IND in effect (clinical trials)'
    >>> help_for(rules, "clinical.endpoints[].effect").source.startswith("FDA guidance: Expedited Programs")
    True
"""

from __future__ import annotations

from dataclasses import dataclass

from bgtc_rules.advice.answers import Field
from bgtc_rules.language.rulebase import RuleBase

FIRST, MIDDLE, LAST = 0, 1, 2


@dataclass(frozen=True)
class Choice:
    """One answer to choose: the value written in the dossier, and the words shown for it."""

    value: str
    label: str

    def shown(self) -> str:
        """`IND in effect (clinical trials) [ind_active]`: the label, then the value it stands for."""
        return self.label if self.label == self.value else f"{self.label} [{self.value}]"


@dataclass(frozen=True)
class Help:
    """One line of help, quoted from its source, and the source."""

    text: str
    source: str  # document, section
    url: str | None = None


def choices(rules: RuleBase, path: str, field: Field) -> tuple[Choice, ...]:
    """The choices of the field at `path` (a list item's property: `list[].property`), with labels."""
    labels = rules.interview.labels.get(path, {})
    return tuple(Choice(value, labels.get(value, value)) for value in field.choices)


def help_for(rules: RuleBase, path: str) -> Help | None:
    """The help on the field at `path`, if questions.yaml gives one."""
    found = rules.interview.help.get(path)
    if found is None:
        return None
    return Help(" ".join(found.text.split()), f"{found.source.document}, {found.source.section}", found.source.url)


def place(rules: RuleBase, path: str) -> tuple[int, int]:
    """Where the question about `path` comes: (FIRST, its position) for the questions asked
    first, (LAST, its position) for those kept for the end, else (MIDDLE, 0)."""
    guide = rules.interview
    if path in guide.first:
        return FIRST, guide.first.index(path)
    if path in guide.last:
        return LAST, guide.last.index(path)
    return MIDDLE, 0
