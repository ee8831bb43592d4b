"""Read the expectations written in an example dossier's header comment.

The header of every file in scenarios/ says what the program should get, as lines
`#   <program>: <determination>   -- why` after `# Expected (as of YYYY-MM-DD):`.
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
