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

# A run of 19 digits (each digit made 0 first: a table lookup, where a regular expression would
# try a match at every digit) is where orjson may read an integer as a float (beyond 64 bits).
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19
_COLON_ESCAPE = re.compile(r"\\u003[aA]")  # a colon written as an escape: see `fast_json`


def fast_json(text: str, max_nesting: int) -> Any:
    """The value of the JSON `text`, or `NOT_FAST` where the strict parser must read it: a text
    orjson refuses, a duplicate key, a number of 19 digits or more, nesting deeper than
    `max_nesting` (every check in C but where the text has more than `max_nesting` containers)."""
    import orjson

    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return NOT_FAST
    if _LONG_NUMBER in text.encode("utf-8").translate(_DIGITS_AS_ZERO) or _COLON_ESCAPE.search(text):
        return NOT_FAST
    # The colons of a text are one per member of its objects and those in its strings; orjson
    # writes the value read with the same, less one per duplicate key it dropped (a colon written
    # as an escape, which would make up for one, is left to the strict parser above).
    if orjson.dumps(data).count(b":") != text.count(":"):
        return NOT_FAST
    containers = text.count("{") + text.count("[")  # at least the depth of the deepest value
    if containers > max_nesting and _depth(data) > max_nesting:
        return NOT_FAST
    return data


def _depth(value: Any) -> int:
    """How deep the deepest value in `value` is (the value itself is at depth 0)."""
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return 0
    return 1 + max((_depth(item) for item in value), default=-1) if value else 0
