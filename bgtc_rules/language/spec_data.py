"""Rule-language models as plain JSON data and back, for the rule cache.

Reading a cached rule base back through pydantic validation would build the schema of every
rule model on each cold start (about 40 ms, more than the rest of loading together); the cache
entry was checked by its HMAC (see `language.cache`), so its models are rebuilt with
`model_construct` instead. The data names only classes of `language.spec`: a tag outside that
list, or any shape this module did not write, is a `ValueError`, never an import or a call.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from pydantic import BaseModel

from bgtc_rules.language import spec
from bgtc_rules.language.operators import Operator

_MODELS: dict[str, type[BaseModel]] = {
    name: value for name, value in vars(spec).items()
    if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == spec.__name__
}
_ENUMS: dict[str, type[Enum]] = {
    name: value for name, value in vars(spec).items()
    if isinstance(value, type) and issubclass(value, Enum) and value.__module__ == spec.__name__
} | {"Operator": Operator}  # defined in `language.operators`, with its evaluation


def to_data(value: Any) -> Any:
    """`value` (models of `language.spec`, enums, dates, containers of scalars) as JSON data."""
    if isinstance(value, BaseModel):
        # Every field, so that reading back computes no defaults; which were given is kept apart.
        fields = {name: to_data(getattr(value, name)) for name in type(value).model_fields}
        return {"$model": type(value).__name__, "fields": fields, "set": sorted(value.model_fields_set)}
    if isinstance(value, Enum):
        return {"$enum": type(value).__name__, "value": value.value}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [to_data(item) for item in value]}
    if isinstance(value, list):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {"$dict": [[to_data(k), to_data(v)] for k, v in value.items()]}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the rule cache")


_SCALARS = frozenset({str, bool, int, float, type(None)})


def from_data(data: Any) -> Any:
    """The value `to_data` made of it."""
    kind = type(data)
    if kind in _SCALARS:
        return data
    if kind is list:
        return [from_data(item) for item in data]
    if kind is not dict:
        raise ValueError(f"unexpected {kind.__name__} in cached rule data")
    if "$model" in data:
        model = _MODELS.get(data["$model"])
        if model is None or not isinstance(data.get("fields"), dict):
            raise ValueError(f"unknown model {data['$model']!r} in cached rule data")
        fields = {name: from_data(item) for name, item in data["fields"].items()}
        given = data.get("set")
        if set(fields) != set(model.model_fields) or not isinstance(given, list) or not set(given) <= set(fields):
            raise ValueError(f"cached {model.__name__} does not have its fields")
        return model.model_construct(_fields_set=set(given), **fields)
    if "$enum" in data:
        enum = _ENUMS.get(data["$enum"])
        if enum is None:
            raise ValueError(f"unknown enumeration {data['$enum']!r} in cached rule data")
        return enum(data["value"])
    if "$date" in data:
        return dt.date.fromisoformat(data["$date"])
    if "$tuple" in data:
        return tuple(from_data(item) for item in data["$tuple"])
    if "$dict" in data:
        return {from_data(key): from_data(item) for key, item in data["$dict"]}
    raise ValueError("unexpected mapping in cached rule data")
