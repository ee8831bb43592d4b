"""Compact JSON text (`separators=(",", ":")`, non-ASCII kept), written by one prepared encoder.

`json.dumps` with any non-default option builds a new `JSONEncoder`, and each `encode` a new C
encoder: for the hundred small parts an assessment is written in, that set-up cost more than
the writing. Here the C encoder is built once, with the module (a few microseconds), and reused; the text is the same
as `json.dumps(value, ensure_ascii=False, separators=(",", ":"))`.

Examples:
    >>> compact({"a": [1, 2.5, None, True], "é": "x"})
    '{"a":[1,2.5,null,true],"é":"x"}'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json import encoder as _encoder
from typing import Any


def _prepared() -> Callable[[Any], str]:
    plain = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
    make = getattr(_encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator: the plain encoder, still built once
        return plain.encode
    chunks = make(None, plain.default, _encoder.encode_basestring, None, ":", ",", False, False, True)

    def write(value: Any) -> str:
        if isinstance(value, str):  # the C encoder wants a container or a scalar it can tag
            return plain.encode(value)
        return "".join(chunks(value, 0))
    return write


_write = _prepared()


def compact(value: Any) -> str:
    """`value` as one line of compact JSON (a `TypeError` for what JSON cannot hold)."""
    return _write(value)


def document(value: Any, indent: int | None = 2, *, ascii_only: bool = True,
             default: Callable[[Any], Any] | None = None) -> str:
    """`value` as a JSON document ending in a newline: indented by `indent`, or on one line if None.

    Examples:
        >>> document({"a": [1]}, None)
        '{"a":[1]}\\n'
        >>> document({"a": 1}).splitlines()
        ['{', '  "a": 1', '}']
    """
    separators = None if indent is not None else (",", ":")
    return json.dumps(value, indent=indent, separators=separators, ensure_ascii=ascii_only, default=default) + "\n"
