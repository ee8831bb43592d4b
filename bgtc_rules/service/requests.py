"""What a request carries, read as strictly as the command line reads its files and options.

Query parameters are checked by name and type; a body is parsed by the same strict reader as a
dossier file (`base.documents`: no duplicate keys, no NaN, nesting at most 32 levels) and validated
by the same models, so its problems are the ones `bgtc evaluate` would print for that file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from bgtc_rules.base.dates import out_of_range
from bgtc_rules.base.documents import Document, parse_document
from bgtc_rules.base.errors import InputError, Problem, shown
from bgtc_rules.dossier.schema import Dossier

BODY = "request body"
QUERY = "query"
JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


class UnsupportedMediaType(InputError):
    """The body is neither JSON nor YAML (415)."""


class OutOfRange(InputError):
    """A well-formed value the service cannot work with, such as a date too far ahead to plan (422)."""


class WhatIfRequest(BaseModel):
    """`POST /whatif`: a dossier and the changes to try on it (as `bgtc whatif --set/--unset`)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)

    dossier: Dossier
    changes: dict[str, JsonValue] = Field(default_factory=dict, alias="set",
                                          description="dotted dossier path -> new value, e.g. "
                                                      '{"clinical.patients_dosed": 3}')
    unset: list[str] = Field(default_factory=list, description="dotted dossier paths to make unknown")


def body_is_json(content_type: str | None) -> bool:
    """JSON (the default) or YAML, from a Content-Type header; `UnsupportedMediaType` for any other type.

    Examples:
        >>> body_is_json(None), body_is_json("application/json; charset=utf-8"), body_is_json("text/yaml")
        (True, True, False)
    """
    if not content_type:
        return True
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in JSON_TYPES or media_type.endswith("+json"):
        return True
    if media_type in YAML_TYPES:
        return False
    expected = ", ".join((*JSON_TYPES, *YAML_TYPES))
    raise UnsupportedMediaType([Problem("Content-Type", "", f"unsupported media type {shown(media_type)}; "
                                                             f"expected {expected}")])


def parse_body(raw: bytes, is_json: bool, max_bytes: int) -> Document:
    if not raw.strip():
        raise InputError([Problem(BODY, "", "the body is empty; expected a dossier as JSON")])
    return parse_document(raw, BODY, is_json, max_bytes)


def dossier_from_body(document: Document) -> Dossier:
    from bgtc_rules.base.validation import validate_document

    return validate_document(Dossier, document)


def whatif_from_body(document: Document) -> WhatIfRequest:
    from bgtc_rules.base.validation import validate_document

    return validate_document(WhatIfRequest, document)


class Query:
    """The query parameters of one request, each read at most once and all of them checked by name."""

    def __init__(self, pairs: Sequence[tuple[str, str]], allowed: tuple[str, ...]) -> None:
        # One pass over the pairs, each name hashed once: the work grows with the length of the
        # query, never with its square (a query of 40,000 repeated names once stalled a worker).
        counts = Counter(name for name, _ in pairs)
        self.params = dict(pairs)
        expected = ", ".join(allowed) if allowed else "none"
        problems = [Problem(QUERY, name, f"unknown query parameter; expected: {expected}")
                    for name in counts if name not in allowed]
        problems += [Problem(QUERY, name, "given more than once; give it once")
                     for name in allowed if counts[name] > 1]
        if problems:
            raise InputError(problems)

    def date(self, name: str) -> dt.date | None:
        value = self.params.get(name)
        if value is None:
            return None
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            raise InputError([Problem(QUERY, name, f"expected a date as YYYY-MM-DD, got {shown(value)}")]) from None
        if problem := out_of_range(date):
            raise OutOfRange([Problem(QUERY, name, problem)])
        return date

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        if value is None:
            return False
        if value.lower() in ("", "1", "true", "yes"):
            return True
        if value.lower() in ("0", "false", "no"):
            return False
        raise InputError([Problem(QUERY, name, f"expected true or false, got {shown(value)}")])

    def text(self, name: str) -> str:
        return self.params.get(name, "")


def changes_of(request: WhatIfRequest) -> dict[str, Any]:
    """The changes of a what-if request, as `editing.with_changes` takes them (unset after set, as the CLI)."""
    from bgtc_rules.dossier.editing import REMOVE

    changes: dict[str, Any] = dict(request.changes)
    changes.update({path: REMOVE for path in request.unset})
    return changes
