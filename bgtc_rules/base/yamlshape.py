"""The YAML event pass that refuses aliases and deep nesting, and when it can be left out.

`documents.parse_yaml` refuses aliases and deep nesting by a pass over every parser event
before composing (`scan_events`: libyaml's composer is written in C and cannot be stopped half
way). That pass costs about a third of the parse, and for hand-written dossiers it never finds
anything. `scan_can_refuse` says, from a cheap look at the text, whether it could: when it says
no, the pass would raise nothing, and parsing without it gives the same values, lines and errors.

Every test here is conservative: on any doubt the answer is yes and the full pass runs.

- An alias is written with `*`: no `*`, no alias.
- The pass reads every document of the stream, the composer stops at the first: a second
  document needs a line opening with `---`, `...` or a `%` directive.
- Nesting: a flow collection opens with `[` or `{` (inside `[...]` a `key: value` pair is a
  mapping of its own, hence twice the brackets). A block collection opens at a column deeper
  than the one it is in (libyaml's indentation stack), except a sequence written at its key's
  column, which is one per mapping. So block nesting is at most twice the number of distinct
  columns where a collection can start: a line's indentation, and the place after each
  `- `, `? ` or `: ` that opens it. Anchors and tags (`&`, `!`) can stand before a key and
  move it; tabs, other line breaks and byte-order marks move columns: with any of them, the
  answer is yes.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# Characters after which the columns read here would not be libyaml's, or that could alias.
_DOUBTFUL = "*&!\t\r\x85\u2028\u2029\ufeff"  # a byte-order mark at a line start is skipped as a column
_DOCUMENT_MARKS = ("---", "...", "%")
# A line's indentation, then the indicators that open a collection on the same line (the text is
# searched with a line break put before it, which is faster than a multi-line `^`).
_LINE_OPENING = re.compile(r"\n *(?:[-?:] +)*")
_INDICATOR = re.compile(r"[-?:] +")


def nesting_bound(text: str) -> int:
    """An upper bound on how deeply `text`'s collections nest (the root counts one), for text
    without the characters `scan_can_refuse` doubts.

    Examples:
        >>> nesting_bound("a:\\n  b: [1, {c: 2}]\\n")
        7
        >>> nesting_bound("- - x\\n")  # two sequences, at columns 0 and 2
        6
    """
    columns: set[int] = set()
    for opening in set(_LINE_OPENING.findall("\n" + text)):
        indicators = opening.lstrip("\n ")
        column = len(opening) - 1 - len(indicators)
        columns.add(column)
        for indicator in _INDICATOR.findall(indicators):
            column += len(indicator)
            columns.add(column)
    return 2 * len(columns) + 2 * text.count("[") + text.count("{")


def scan_can_refuse(text: str, max_nesting: int) -> bool:
    """Whether the event pass could find an alias, a second document, or collections nested
    more than `max_nesting` levels below the root.

    Examples:
        >>> scan_can_refuse("a: 1\\nb: [x, y]\\n", 32)
        False
        >>> scan_can_refuse("a: &x 1\\nb: *x\\n", 32)
        True
        >>> scan_can_refuse("a: " + "[" * 20 + "]" * 20, 32)
        True
    """
    if any(character in text for character in _DOUBTFUL):
        return True
    if text.startswith(_DOCUMENT_MARKS) or any("\n" + mark in text for mark in _DOCUMENT_MARKS):
        return True
    return nesting_bound(text) > max_nesting + 1


_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def scan_events(loader: Any, max_nesting: int) -> None:
    """Refuse aliases and nesting deeper than `max_nesting` below the root from the event stream
    of `loader` (which is disposed of), before any tree is built."""
    depth = 0
    try:
        while not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed; write the value out",
                                           problem_mark=event.start_mark)  # type: ignore[arg-type]
            if isinstance(event, _OPENING):
                depth += 1
                if depth > max_nesting + 1:
                    raise yaml.MarkedYAMLError(problem=f"nested more than {max_nesting} levels deep",
                                               problem_mark=event.start_mark)  # type: ignore[arg-type]
            elif isinstance(event, _CLOSING):
                depth -= 1
    finally:
        loader.dispose()
