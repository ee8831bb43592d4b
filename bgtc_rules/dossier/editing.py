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


def value_at(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of a dossier mapping, or `None` where it is absent.

    Examples:
        >>> value_at({"a": {"b": 3}}, "a.b"), value_at({"a": {}}, "a.b.c")
        (3, None)
    """
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def with_changes(dossier: Dossier, changes: Mapping[str, Any], source: str = "<changes>") -> Dossier:
    """A new, validated dossier with `changes` (dotted path -> value, or `REMOVE`) applied."""
    data = dossier.model_dump(mode="json", exclude_none=True)
    for path, value in changes.items():
        node = data
        parts = path.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise input_error(source, path, f"{part!r} is not a section with fields")
            node = child
        if value is REMOVE:
            node.pop(parts[-1], None)
        else:
            node[parts[-1]] = value
    return dossier_from_mapping(data, source)


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
