"""Turn pydantic validation errors into `Problem`s that name file, line and field path."""

from __future__ import annotations

import re
import types
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bgtc_rules.base.documents import Document, PathKey
from bgtc_rules.base.errors import MAX_PROBLEMS, InputError, Problem, capped, shown

Model = TypeVar("Model", bound=BaseModel)


_UNION_TAGS = ("all", "any", "not", "concept", "fact")


def _union_tag(node: Any) -> str | None:
    """The tag pydantic puts in an error location for a rule condition (see `language.spec.Condition`)."""
    if not isinstance(node, dict):
        return None
    keys = [k for k in _UNION_TAGS if k in node]
    return keys[0] if len(keys) == 1 else None


def document_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Follow a pydantic error location through the data, dropping union tags.

    Examples:
        >>> document_path({"when": {"all": [{"fact": "x"}]}}, ("when", "all", "all", 0, "fact", "op"))
        ('when', 'all', 0, 'op')
        >>> document_path({"when": {"fact": "x", "valu": 1}}, ("when", "fact", "valu"))
        ('when', 'valu')
    """
    path: list[str | int] = []
    node = data
    tag_taken = False  # whether the union tag of the current node was already skipped
    for part in loc:
        if not tag_taken and part in _UNION_TAGS and _union_tag(node) == part:
            tag_taken = True
            continue
        present = part in node if isinstance(node, dict) else (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if present:
            node = node[part]
            path.append(part)
            tag_taken = False
        elif isinstance(node, (dict, list)) and part not in _UNION_TAGS:
            path.append(part)
            node = None
    return tuple(path)


def _suggestion(error: Any) -> str:
    if error.get("type") != "enum" or not isinstance(error.get("input"), str):
        return ""
    expected = re.findall(r"'([^']+)'", str(error.get("ctx", {}).get("expected", "")))
    return did_you_mean(error["input"], expected, cutoff=0.5)


def did_you_mean(given: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing.

    Examples:
        >>> did_you_mean("=>", ["==", "<=", ">", ">="])
        " (did you mean '>='?)"
        >>> did_you_mean("serious_condtion", ["serious_condition", "rare_disease"])
        " (did you mean 'serious_condition'?)"
    """
    import difflib  # only for a mistake: not on the path of a valid input

    options = list(choices)
    if given[::-1] in options and given[::-1] != given:  # `=>` for `>=`
        return f" (did you mean {given[::-1]!r}?)"
    close = difflib.get_close_matches(given, options, n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _members(annotation: Any) -> list[Any]:
    """The types an annotation may hold: unions split, `Annotated` and `None` dropped."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) if arg is not type(None) for m in _members(arg)]
    return [annotation]


def _field_names(model: type[BaseModel], data: Any, parent: tuple[Any, ...]) -> list[str]:
    """Field names (aliases where set) of the model at `parent`, a pydantic error location in `data`."""
    candidates: list[Any] = [model]
    node, tag_taken = data, False
    for part in parent:
        kinds = [m for c in candidates for m in _members(c)]
        if not tag_taken and part in _UNION_TAGS and _union_tag(node) == part:
            tag_taken = True  # a union tag: keep the member model that the tag names
            candidates = [k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)
                          and any(part in (n, i.alias) for n, i in k.model_fields.items())]
            continue
        following: list[Any] = []
        for kind in kinds:
            origin = typing.get_origin(kind)
            if isinstance(part, int) and origin is list:
                following.extend(typing.get_args(kind)[:1])
            elif isinstance(part, str) and origin is dict:
                following.extend(typing.get_args(kind)[1:2])
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                following.extend(info.annotation for name, info in kind.model_fields.items()
                                 if part in (name, info.alias))
        if not following:
            return []
        candidates, tag_taken = following, False
        node = node[part] if isinstance(node, (dict, list)) and _has(node, part) else None
    return sorted({info.alias or name for c in candidates for kind in _members(c)
                   if isinstance(kind, type) and issubclass(kind, BaseModel)
                   for name, info in kind.model_fields.items()})


def _has(node: dict[Any, Any] | list[Any], part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(part, int) and 0 <= part < len(node)


def _unknown_field(error: Any, model: type[BaseModel] | None, data: Any) -> str:
    loc = tuple(error.get("loc", ()))
    names = _field_names(model, data, loc[:-1]) if model is not None and loc and isinstance(loc[-1], str) else []
    suggestion = did_you_mean(str(loc[-1]), names) if names else ""
    if suggestion:
        return f"unknown field{suggestion}"
    if names and len(names) <= 16:
        return f"unknown field; expected one of: {', '.join(names)}"
    return "unknown field; check the spelling against `bgtc schema`"


def _message(error: Any, model: type[BaseModel] | None = None, data: Any = None) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return _unknown_field(error, model, data)
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":  # our own validators' messages say what they got
        return str(error["msg"]).removeprefix("Value error, ")
    given = error.get("input")
    quoted = "" if isinstance(given, (dict, list)) or given is None else f", got {shown(given)}"
    return f"{error['msg']}{quoted}{_suggestion(error)}"


def problems_from(exc: ValidationError, doc: Document,
                  context: Callable[[PathKey], str] | None = None,
                  model: type[BaseModel] | None = None) -> list[Problem]:
    """One `Problem` per pydantic error, located in the source document: the first `MAX_PROBLEMS`
    of them, then one counting the rest.

    The work is linear in the number of errors (each error is looked at a bounded number of
    times), and only the problems shown are worded: a dossier with 40,000 unknown fields is
    reported as quickly as one with 50.
    """
    import difflib  # only for a mistake: not on the path of a valid input

    errors = exc.errors()
    # A misspelled required field is one mistake: keep "unknown field (did you mean ...)" only.
    missing: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for error in errors:
        if error["type"] == "missing":
            missing[tuple(error["loc"][:-1])].append(str(error["loc"][-1]))
    misspelled = {(parent, close) for e in errors if e["type"] == "extra_forbidden"
                  and (parent := tuple(e["loc"][:-1])) in missing
                  for close in difflib.get_close_matches(str(e["loc"][-1]), missing[parent], n=1, cutoff=0.6)}
    problems: list[Problem] = []
    omitted = 0
    for error in errors:
        if error["type"] == "missing" and (tuple(error["loc"][:-1]), error["loc"][-1]) in misspelled:
            continue
        if len(problems) == MAX_PROBLEMS:
            omitted += 1
            continue
        path = document_path(doc.data, tuple(error["loc"]))
        where = ".".join(str(p) for p in path) or "(top level)"
        prefix = context(path) if context else ""
        problems.append(Problem(doc.source, where, prefix + _message(error, model, doc.data), doc.line_of(path)))
    return capped(problems, omitted)


def validate_document(model: type[Model], doc: Document,
                      context: Callable[[PathKey], str] | None = None) -> Model:
    """Validate a parsed document against `model`, raising `InputError` with located problems."""
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.source, "(top level)", "expected a mapping of fields", doc.line_of(()))])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc, context, model)) from None
