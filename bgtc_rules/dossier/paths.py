"""Reading, setting and removing a dossier field by its dotted path (`indication.serious`,
`clinical.endpoints[0].effect`): in a dossier mapping (as YAML or JSON holds it), on a `Dossier`,
and in the schema. What-if changes, the interview, counterfactuals, facts and drafts all go
through here; the fact paths rules read (`#count`, `[].prop`) are `language.catalog.FactPath`.

A path names fields by name and list items by position from 0, written `[0]` or `.0`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from bgtc_rules.base.errors import input_error
from bgtc_rules.dossier.schema import Dossier


def path_parts(path: str) -> list[str | int]:
    """The steps of a dotted path: field names, and list positions written `[0]` or `.0`.

    Examples:
        >>> path_parts("clinical.endpoints[0].effect"), path_parts("clinical.endpoints.1.kind")
        (['clinical', 'endpoints', 0, 'effect'], ['clinical', 'endpoints', 1, 'kind'])
    """
    parts: list[str | int] = []
    for dotted in path.replace("[", ".[").split("."):
        if dotted.startswith("[") and dotted.endswith("]") and dotted[1:-1].isdigit():
            parts.append(int(dotted[1:-1]))
        elif dotted.isdigit():
            parts.append(int(dotted))
        else:
            parts.append(dotted)
    return parts


# --- a dossier mapping ----------------------------------------------------------------------------


def value_at(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of a dossier mapping, or `None` where it is absent.

    Examples:
        >>> value_at({"a": {"b": 3}}, "a.b"), value_at({"a": {}}, "a.b.c"), value_at({"a": [{"b": 4}]}, "a[0].b")
        (3, None, 4)
    """
    node: Any = data
    for part in path_parts(path):
        in_list = isinstance(part, int) and isinstance(node, list) and part < len(node)
        if not in_list and not (isinstance(part, str) and isinstance(node, Mapping) and part in node):
            return None
        node = node[part]
    return node


def set_at(data: dict[str, Any], path: str, value: Any, source: str = "<changes>") -> None:
    """Set the field at `path` of a dossier mapping to `value`, making the sections on the way
    (an absent or empty one is made); a list item must exist. A path that cannot be followed is
    an input error of `source`.

    Examples:
        >>> data = {"a": {"b": 1}, "c": None}
        >>> set_at(data, "a.d", 2); set_at(data, "c.e", 3); data
        {'a': {'b': 1, 'd': 2}, 'c': {'e': 3}}
    """
    parts = path_parts(path)
    node, last = _container(data, path, parts, source)
    node[last] = value


def remove_at(data: dict[str, Any], path: str, source: str = "<changes>", prune: bool = False) -> None:
    """Remove the field at `path` of a dossier mapping (nothing to do where it is absent); `prune`:
    drop the sections it leaves empty too. A list item must exist.

    Examples:
        >>> data = {"a": {"b": {"c": 1}, "d": 2}}
        >>> remove_at(data, "a.b.c", prune=True); data
        {'a': {'d': 2}}
        >>> remove_at(data, "x.y"); data
        {'a': {'d': 2}}
    """
    parts = path_parts(path)
    found = _container(data, path, parts, source, make=False)
    if found is None:
        return
    node, last = found
    if isinstance(node, list):
        del node[last]  # type: ignore[arg-type]
    else:
        node.pop(last, None)
    if prune:
        _prune(data, parts[:-1])


def _prune(data: dict[str, Any], parts: list[str | int]) -> None:
    """Drop the sections along `parts` that are left empty, the deepest first."""
    nodes: list[Any] = [data]
    for part in parts:
        nodes.append(nodes[-1][part])
    for depth in range(len(parts), 0, -1):
        if nodes[depth]:
            return
        del nodes[depth - 1][parts[depth - 1]]


@typing.overload
def _container(data: dict[str, Any], path: str, parts: list[str | int], source: str) -> tuple[Any, str | int]: ...
@typing.overload
def _container(data: dict[str, Any], path: str, parts: list[str | int], source: str,
               make: bool) -> tuple[Any, str | int] | None: ...
def _container(data: dict[str, Any], path: str, parts: list[str | int], source: str,
               make: bool = True) -> tuple[Any, str | int] | None:
    """The section or list holding the last step of `parts`, with that step; the sections on the
    way are made where absent (`make`), else `None` is the answer there."""
    node: Any = data
    for depth, part in enumerate(parts):
        where = ".".join(str(p) for p in parts[:depth]) or "the dossier"
        if isinstance(node, list):
            if not isinstance(part, int):
                raise input_error(source, path, f"{where} is a list: name an item by its position, "
                                                f"e.g. {where}[0]")
            if part >= len(node):
                raise input_error(source, path, f"{where} has {len(node)} item(s); positions count from 0, "
                                                f"so the last is [{len(node) - 1}]" if node else
                                                f"{where} is an empty list: add the item in the dossier first")
        elif isinstance(node, dict):
            if isinstance(part, int):
                raise input_error(source, path, f"{where} is a section with fields, not a list")
        else:
            raise input_error(source, path, f"{parts[depth - 1]!r} is not a section with fields or a list")
        if depth == len(parts) - 1:
            return node, part
        if isinstance(node, dict) and node.get(part) is None:
            if not make:
                return None
            node[part] = [] if isinstance(parts[depth + 1], int) else {}
        node = node[part]
    raise input_error(source, path, "expected a field's path")


# --- a Dossier and its schema ---------------------------------------------------------------------


def field_reader(path: str) -> Callable[[BaseModel], Any]:
    """How to read the field at a dotted path (names only) off a dossier: `None` where it, or a
    section on the way, is absent."""
    get = attrgetter(path)

    def read(dossier: BaseModel) -> Any:
        try:
            return get(dossier)
        except AttributeError:  # a section on the way is left out (None): the field is unknown
            return None

    return read


def field_of(dossier: BaseModel, path: str) -> Any:
    """The field at a dotted path (names only) of a dossier, or `None` where it is absent.

    Examples:
        >>> from bgtc_rules.dossier.schema import ProgramInfo
        >>> dossier = Dossier(program=ProgramInfo(name="X"))
        >>> field_of(dossier, "program.name"), field_of(dossier, "indication.serious")
        ('X', None)
    """
    return field_reader(path)(dossier)


def schema_field(path: str, model: type[BaseModel] = Dossier, through_lists: bool = False) -> FieldInfo:
    """The schema's field at a dotted path (names only); `KeyError` where there is none.
    `through_lists`: a list of objects on the way is followed into its items' fields.

    Examples:
        >>> schema_field("development.stage").annotation
        bgtc_rules.dossier.schema.Stage | None
        >>> schema_field("clinical.endpoints.kind", through_lists=True).annotation
        <enum 'EndpointKind'>
    """
    parts = path.split(".")
    for depth, part in enumerate(parts):
        info = model.model_fields.get(part)
        if info is None:
            raise KeyError(path)
        if depth == len(parts) - 1:
            return info
        inner = unwrap_optional(info.annotation)
        if through_lists and typing.get_origin(inner) is list:
            inner = unwrap_optional(typing.get_args(inner)[0])
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            raise KeyError(path)
        model = inner
    raise KeyError(path)


def item_model(path: str) -> type[BaseModel]:
    """The model of one item of the list of objects at a dotted path (names only).

    Examples:
        >>> item_model("clinical.endpoints").__name__
        'Endpoint'
    """
    inner = unwrap_optional(schema_field(path).annotation)
    if typing.get_origin(inner) is list:
        item = typing.get_args(inner)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    raise TypeError(path)


def unwrap_optional(annotation: Any) -> Any:
    """`X` for an `X | None` annotation (one type besides None); any other annotation as it is."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation
