"""Read the expectations written in an example dossier's header comment.

The header of every file in scenarios/ says what the program should get, as lines
`#   <program>: <determination>   -- why` after `# Expected (as of YYYY-MM-DD):`. A header may also
say what the recommended course is, after `# Course (as of YYYY-MM-DD):`: lines `#   N. <program>`
for its steps in order, and `#   not: <program>` for programs it must not request.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

_START = re.compile(r"^#\s*Expected \(as of (\d{4}-\d{2}-\d{2})\):\s*$")
_LINE = re.compile(r"^#\s+([a-z][a-z0-9_]*):\s*(eligible|not_eligible|undetermined|not_yet|closed|conditional)\b")


def expectations(path: Path) -> list[tuple[dt.date, dict[str, str]]]:
    """Every `Expected (as of ...)` block of the header, in order."""
    blocks: list[tuple[dt.date, dict[str, str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        start = _START.match(line)
        if start:
            blocks.append((dt.date.fromisoformat(start.group(1)), {}))
        elif blocks and (item := _LINE.match(line)):
            blocks[-1][1][item.group(1)] = item.group(2)
    return blocks


_COURSE = re.compile(r"^#\s*Course \(as of (\d{4}-\d{2}-\d{2})\):\s*$")
_STEP = re.compile(r"^#\s+(\d+)\.\s+([a-z][a-z0-9_]*)\b")
_NOT = re.compile(r"^#\s+not:\s+([a-z][a-z0-9_]*)\b")


def course_expectations(path: Path) -> list[tuple[dt.date, list[str], list[str]]]:
    """Every `Course (as of ...)` block: (date, the steps in order, the programs never requested)."""
    blocks: list[tuple[dt.date, list[str], list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if start := _COURSE.match(line):
            blocks.append((dt.date.fromisoformat(start.group(1)), [], []))
        elif blocks and (step := _STEP.match(line)):
            blocks[-1][1].append(step.group(2))
        elif blocks and (never := _NOT.match(line)):
            blocks[-1][2].append(never.group(1))
        elif _START.match(line):
            blocks.append((dt.date.min, [], []))  # an Expected block ends the course block
    return [b for b in blocks if b[0] != dt.date.min]
