"""Strict JSON read fast: by orjson (a C parser) wherever its reading is the strict parser's.

`documents.parse_json` reads JSON strictly: no duplicate keys, no NaN or Infinity, no integer of
more than 30 digits, nesting at most 32 levels, and every problem located (line and field path).
orjson parses some 50 times faster but reports none of these: it keeps the last of duplicate keys
and reads a long integer as a float. So its result is taken only where nothing of the kind can
be in the text; anything else (a syntax error included) is left to the strict parser, which gives
the same value, or the same located problem, as it always did.

Examples:
    >>> fast_json('{"a": [1, 2.5, "x:y"], "b": null}', 32)
    {'a': [1, 2.5, 'x:y'], 'b': None}
    >>> [fast_json(text, 32) is NOT_FAST for text in ('{"a": 1, "a": 2}', '[1234567890123456789012]', '{"a": NaN}')]
    [True, True, True]
"""

from __future__ import annotations

import re
from typing import Any

NOT_FAST: Any = object()  # what `fast_json` gives for a text the strict parser must read

_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
_LONG_NUMBER = re.compile(r"\d{19}")  # where orjson may read an integer as a float (beyond 64 bits)


def fast_json(text: str, max_nesting: int) -> Any:
    """The value of the JSON `text`, or `NOT_FAST` where the strict parser must read it: a text
    orjson refuses, a duplicate key, a number of 19 digits or more, nesting deeper than `max_nesting`."""
    import orjson

    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return NOT_FAST
    bare = _STRING.sub("", text)  # the text without its strings (valid JSON: the tokens are exact)
    if _LONG_NUMBER.search(bare):
        return NOT_FAST
    members = _members(data, 0, max_nesting)
    # A duplicate key leaves fewer members in the objects read than there are in the text.
    if members < 0 or members != bare.count(":"):
        return NOT_FAST
    return data


def _members(value: Any, depth: int, max_nesting: int) -> int:
    """The number of members of all objects in `value`; -1 if it nests deeper than `max_nesting`."""
    if depth > max_nesting:
        return -1
    if isinstance(value, dict):
        count = len(value)
        items: Any = value.values()
    elif isinstance(value, list):
        count, items = 0, value
    else:
        return 0
    for item in items:
        if isinstance(item, (dict, list)):
            found = _members(item, depth + 1, max_nesting)
            if found < 0:
                return -1
            count += found
        elif depth + 1 > max_nesting:
            return -1
    return count
