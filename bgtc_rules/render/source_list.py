"""A rendered document's sources, numbered [1], [2] ... in the order the document first cites them.

Each document (a report, a handbook page, an explanation, a draft) numbers its own sources and
lists them at its end; no label of the rule base (a source's id) reaches the reader. Citations of
the same source share its number; the section cited stays beside the number in the text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable

from bgtc_rules.language.spec import Citation

SOURCES_HEADING = "Sources"


class SourceList:
    """The sources one document cites, numbered in order of first citation.

    Examples:
        >>> a = Citation(document="FD&C Act section 506(b)", section="506(b)(1)", source="fdca-506b")
        >>> sources = SourceList()
        >>> sources.number(a), sources.number(a.model_copy(update={"section": "506(b)(2)"}))
        (1, 1)
        >>> sources.number(Citation(document="21 CFR 316.20", section="(b)")), len(sources)
        (2, 2)
    """

    def __init__(self) -> None:
        self._numbers: dict[Hashable, int] = {}
        self.cited: list[Citation] = []  # the first citation of each source, in number order

    @staticmethod
    def _key(citation: Citation) -> Hashable:
        return citation.source or (citation.document, citation.url, citation.secondary, citation.reason)

    def number(self, citation: Citation) -> int:
        """The source's number in this document (given on its first citation)."""
        key = self._key(citation)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
            self.cited.append(citation)
        return self._numbers[key]

    def __len__(self) -> int:
        return len(self.cited)

    def numbered(self) -> list[tuple[int, Citation]]:
        return list(enumerate(self.cited, 1))


def secondary_note(citation: Citation) -> str:
    """What the reader is told about a secondary source: that it is one, and why it is cited."""
    return f" (secondary source: {citation.reason})" if citation.secondary and citation.reason else ""


def text_reference(sources: SourceList, citation: Citation) -> str:
    """`506(b)(1) [1]`: the section cited, then its source's number in this document."""
    return f"{citation.section} [{sources.number(citation)}]"


def text_list(sources: SourceList, width: int = 100) -> list[str]:
    """The numbered sources as plain text under a heading: each title wrapped, its address below it."""
    if not sources:
        return []
    lines = [SOURCES_HEADING]
    for number, citation in sources.numbered():
        mark = f"  [{number}] "
        lines += textwrap.wrap(citation.document + secondary_note(citation), width, initial_indent=mark,
                               subsequent_indent=" " * len(mark))
        if citation.url:
            lines.append(" " * len(mark) + citation.url)
    return lines
