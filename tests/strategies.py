"""Hypothesis strategies that generate dossiers from the schema itself, so new fields are covered."""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from bgtc_rules.dossier.schema import Dossier

_INTERESTING_INTS = st.sampled_from([0, 1, 2, 3, 5, 6, 999, 1000, 1001, 199_999, 200_000, 250_000])


def _optional(annotation: Any) -> tuple[Any, bool]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _values(annotation: Any) -> st.SearchStrategy[Any]:
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return st.sampled_from([m.value for m in annotation])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_data(annotation)
    if typing.get_origin(annotation) is list:
        return st.lists(_values(typing.get_args(annotation)[0]), max_size=4)
    if typing.get_origin(annotation) is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    simple: dict[Any, st.SearchStrategy[Any]] = {
        bool: st.booleans(),
        int: _INTERESTING_INTS,
        str: st.sampled_from(["x", "Example name"]),
        dt.date: st.dates(dt.date(2020, 1, 1), dt.date(2027, 12, 31)),
    }
    return simple[annotation]


def model_data(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings valid for `model`: each optional field present or left out (unknown)."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        annotation, _ = _optional(info.annotation)
        target = required if info.is_required() else optional
        target[name] = _values(annotation)
    return st.fixed_dictionaries(required, optional=optional)


def dossiers() -> st.SearchStrategy[dict[str, Any]]:
    return model_data(Dossier)
