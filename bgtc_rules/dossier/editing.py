"""Change fields of a dossier by dotted path: for what-if questions, interviews and tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from bgtc_rules.base.errors import input_error
from bgtc_rules.dossier.loading import dossier_from_mapping
from bgtc_rules.dossier.schema import Dossier

REMOVE = object()


def parse_value(text: str) -> Any:
    """Read a value written on a command line or in a table, as YAML reads a scalar or list.

    Examples:
        >>> parse_value("true"), parse_value("150000"), parse_value("[a, b]"), parse_value("ind_active")
        (True, 150000, ['a', 'b'], 'ind_active')
    """
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


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


def with_changes(dossier: Dossier, changes: Mapping[str, Any], source: str = "<changes>") -> Dossier:
    """A new, validated dossier with `changes` (dotted path -> value, or `REMOVE`) applied.

    A path names fields by name and list items by position from 0 (`clinical.endpoints[0].effect`
    or `clinical.endpoints.0.effect`); the item must exist.
    """
    data = dossier.model_dump(mode="json", exclude_none=True)
    for path, value in changes.items():
        _change(data, path, path_parts(path), value, source)
    return dossier_from_mapping(data, source)


def _change(data: dict[str, Any], path: str, parts: list[str | int], value: Any, source: str) -> None:
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
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
        if last:
            if value is REMOVE:
                if isinstance(node, list):
                    del node[part]  # type: ignore[arg-type]
                else:
                    node.pop(part, None)
            else:
                node[part] = value
            return
        if isinstance(node, dict) and part not in node:
            node[part] = [] if isinstance(parts[depth + 1], int) else {}
        node = node[part]


def parse_assignment(text: str) -> tuple[str, Any]:
    """`path=value` from a command line.

    Examples:
        >>> parse_assignment("clinical.patients_dosed=3")
        ('clinical.patients_dosed', 3)
    """
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise input_error("--set", text, "expected PATH=VALUE, e.g. clinical.patients_dosed=3")
    return path.strip(), parse_value(value.strip())
