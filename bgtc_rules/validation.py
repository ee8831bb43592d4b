"""Turn pydantic validation errors into `Problem`s that name file, line and field path."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .documents import Document, PathKey
from .errors import InputError, Problem

Model = TypeVar("Model", bound=BaseModel)


def document_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Follow a pydantic error location through the data, dropping union tags.

    Examples:
        >>> document_path({"when": {"all": [{"fact": "x"}]}}, ("when", "all", "all", 0, "fact", "op"))
        ('when', 'all', 0, 'op')
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        present = part in node if isinstance(node, dict) else (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if present:
            node = node[part]
            path.append(part)
        elif isinstance(node, (dict, list)) and part not in ("all", "any", "not", "concept", "fact"):
            path.append(part)
            node = None
    return tuple(path)


def _suggestion(error: Any) -> str:
    if error.get("type") != "enum" or not isinstance(error.get("input"), str):
        return ""
    expected = re.findall(r"'([^']+)'", str(error.get("ctx", {}).get("expected", "")))
    close = difflib.get_close_matches(error["input"], expected, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _message(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field; check the spelling against `bgtc schema`"
    if kind == "missing":
        return "required field is missing"
    given = error.get("input")
    shown = "" if isinstance(given, (dict, list)) or given is None else f", got {given!r}"
    return f"{error['msg']}{shown}{_suggestion(error)}"


def problems_from(exc: ValidationError, doc: Document,
                  context: Callable[[PathKey], str] | None = None) -> list[Problem]:
    """One `Problem` per pydantic error, located in the source document."""
    problems = []
    for error in exc.errors():
        path = document_path(doc.data, tuple(error["loc"]))
        where = ".".join(str(p) for p in path) or "(top level)"
        prefix = context(path) if context else ""
        problems.append(Problem(doc.source, where, prefix + _message(error), doc.line_of(path)))
    return problems


def validate_document(model: type[Model], doc: Document,
                      context: Callable[[PathKey], str] | None = None) -> Model:
    """Validate a parsed document against `model`, raising `InputError` with located problems."""
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.source, "(top level)", "expected a mapping of fields", doc.line_of(()))])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc, context)) from None
