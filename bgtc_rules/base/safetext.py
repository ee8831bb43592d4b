"""Text that reaches a screen or a file shows its control characters instead of obeying them.

A dossier's text (a program name, a disease, an endpoint) can hold terminal escape sequences: an
ESC or a C1 control clears the screen, retitles the window or writes fake lines when printed
raw, and lxml refuses a Word document holding one. Every output passes `visible` once, where it
is written (standard output and error, output files, batch lines, DOCX text), so no renderer has
to think about it: each C0 control but tab and line feed (and a carriage return that does not
end a line), DEL and each C1 control is written as `\\uXXXX`, which is also how JSON escapes it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import IO, Any, TypeVar

T = TypeVar("T")

# C0 controls but tab and newline, a carriage return not ending a line, DEL, C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# A screen for `_CONTROL`, about three times faster (a character class, no look-ahead): what it does
# not find, `_CONTROL` cannot find either (it also finds tab, newline and every carriage return).
_SCREEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The colour and weight sequences (SGR) the command line's own styling writes on a terminal.
_STYLE = re.compile(r"(\x1b\[[0-9;]{0,16}m)")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def visible(text: str, keep_style: bool = False) -> str:
    """`text` with each control character written out as `\\uXXXX` (see the module).

    With `keep_style`, colour and bold sequences (ESC [ ... m) are kept: what a terminal that
    shows colour gets from our own styling.

    Examples:
        >>> visible("AAV\\x1b]0;owned\\x07 x\\x9b2J\\ta\\r\\n")
        'AAV\\\\u001b]0;owned\\\\u0007 x\\\\u009b2J\\ta\\r\\n'
        >>> visible("\\x1b[1mbold\\x1b[0m \\x1b[2J", keep_style=True)
        '\\x1b[1mbold\\x1b[0m \\\\u001b[2J'
    """
    # Printable text (a JSON line: no raw tab or newline) holds no control; `isprintable` is a C
    # loop, several times faster than the screen, which is several times faster than `_CONTROL`.
    if text.isprintable() or not _SCREEN.search(text) or not _CONTROL.search(text):
        return text
    if not keep_style:
        return _CONTROL.sub(_escaped, text)
    parts = _STYLE.split(text)  # the odd parts are style sequences
    return "".join(part if index % 2 else _CONTROL.sub(_escaped, part) for index, part in enumerate(parts))


def visible_json(line: str) -> str:
    """`visible(line)` for JSON text whose writer escaped every C0 control (as `json.dumps` and
    orjson do): such text can only hold DEL and the C1 controls, so ASCII text without a DEL is
    returned at once (a 20 KB batch line: about 2 us, against about 50 us for `visible`).

    Examples:
        >>> visible_json('{"name":"AAV\\x7f\\x9b"}')
        '{"name":"AAV\\\\u007f\\\\u009b"}'
    """
    if line.isascii() and "\x7f" not in line:
        return line
    return visible(line)


def visible_in(value: T) -> T:
    """`value` with `visible` applied to every string in it: in dataclasses (rebuilt with
    `dataclasses.replace`), tuples, lists and dict values; other objects are kept as they are.

    Examples:
        >>> visible_in({"name": ("AAV\x1b[2J", 3)})
        {'name': ('AAV\\\\u001b[2J', 3)}
    """
    if isinstance(value, str):
        return visible(value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: visible_in(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple | list):
        return type(value)(visible_in(item) for item in value)
    if isinstance(value, dict):
        return {key: visible_in(item) for key, item in value.items()}  # type: ignore[return-value]
    return value


class VisibleStream:
    """A text stream that passes everything written to it through `visible` (keeping style on a
    terminal): installed over standard output and error by the `bgtc` program, so every message
    and prompt is shown safely, whichever code prints it."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._keep_style = _isatty(stream)

    def write(self, text: str) -> int:
        self._stream.write(visible(text, self._keep_style))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # fileno, flush, isatty, encoding, buffer, ...
        return getattr(self._stream, name)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
