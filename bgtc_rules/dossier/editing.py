"""Change fields of a dossier by dotted path (`dossier.paths`): for what-if questions, scenarios and
tests; values as written on a command line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from bgtc_rules.base.errors import input_error
from bgtc_rules.dossier.loading import dossier_from_mapping
from bgtc_rules.dossier.paths import remove_at, set_at
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


def with_changes(dossier: Dossier, changes: Mapping[str, Any], source: str = "<changes>") -> Dossier:
    """A new, validated dossier with `changes` (dotted path -> value, or `REMOVE`) applied.

    A path names fields by name and list items by position from 0 (`clinical.endpoints[0].effect`
    or `clinical.endpoints.0.effect`); the item must exist.
    """
    data = dossier.model_dump(mode="json", exclude_none=True)
    for path, value in changes.items():
        if value is REMOVE:
            remove_at(data, path, source)
        else:
            set_at(data, path, value, source)
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
