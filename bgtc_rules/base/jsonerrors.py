"""What a JSON syntax error means, in words: where it is (line, column) and what was expected there.

Python's own messages stop mid-sentence ("Invalid control character at") and name no column.
"""

from __future__ import annotations

import json

# the start of Python's message -> what it means for the person who wrote the JSON
_MEANINGS = {
    "Expecting value": "expected a value: a string in double quotes, a number, true, false, null, {...} or [...]",
    "Expecting property name enclosed in double quotes":
        "expected a field name in double quotes (a comma before a closing brace is not allowed)",
    "Expecting ',' delimiter": "expected a comma between two items, or the closing bracket or brace",
    "Expecting ':' delimiter": "expected a colon after the field name",
    "Extra data": "expected the end of the value: one document (in a JSONL file, one dossier per line)",
    "Unterminated string": "a string is not closed with a double quote",
    "Invalid control character":
        "a control character (a tab or a line break) inside a string: write it as \\t or \\n",
    "Invalid \\escape": "an unknown escape after a backslash in a string (write a backslash as \\\\)",
    "Invalid \\uXXXX escape": "expected four hexadecimal digits after \\u in a string",
}


def json_syntax_message(error: json.JSONDecodeError) -> str:
    """`invalid JSON at column C: <what was expected>` (the line is the problem's own).

    Examples:
        >>> try:
        ...     json.loads('{"name": "A\\tB"}')
        ... except json.JSONDecodeError as exc:
        ...     print(json_syntax_message(exc))
        invalid JSON at column 12: a control character (a tab or a line break) inside a string: write it as \\t or \\n
    """
    meaning = next((text for start, text in _MEANINGS.items() if error.msg.startswith(start)),
                   error.msg.removesuffix(" at"))
    return f"invalid JSON at column {error.colno}: {meaning}"
