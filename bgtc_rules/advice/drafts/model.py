"""What a request draft is made of: sections of elements, each element answering one item of the
governing text (with its citation), written as lines of filled text and flagged gaps.

A `Gap` is a dossier field the draft needs and the dossier leaves unknown; renderers show it
inline as `[MISSING: <question>]` (the field stays in `Gap.field`, for programs, not in the text).
The content is decided here; renderers only lay it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from bgtc_rules.language.spec import Citation


@dataclass(frozen=True)
class Gap:
    """A dossier field the draft needs and the dossier does not give."""

    field: str
    question: str

    @property
    def marker(self) -> str:
        return f"[MISSING: {self.question}]"


Fragment = str | Gap


@dataclass(frozen=True)
class Line:
    """One paragraph (or, with `bullet`, one list item) of text runs and gaps."""

    fragments: tuple[Fragment, ...]
    bullet: bool = False

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(f for f in self.fragments if isinstance(f, Gap))

    def plain(self) -> str:
        """The line as text, with each gap as its marker."""
        return "".join(f if isinstance(f, str) else f.marker for f in self.fragments)


@dataclass(frozen=True)
class Element:
    """One item the governing text asks the request to contain."""

    title: str
    citation: Citation
    lines: tuple[Line, ...]

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(gap for line in self.lines for gap in line.gaps)


@dataclass(frozen=True)
class Section:
    title: str
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Draft:
    """The first draft of one submission: what to send, filled from the dossier."""

    program: str
    title: str
    dossier_name: str
    as_of: dt.date
    start: dt.date
    determination: str
    reason: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = field(default=())  # where the sources are unclear, or the draft is incomplete
    disclaimer: str = ""

    def elements(self) -> Iterator[Element]:
        for section in self.sections:
            yield from section.elements

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(gap for element in self.elements() for gap in element.gaps)
