"""Rule-language models as plain JSON data and back, for the rule cache.

Reading a cached rule base back through pydantic validation would build the schema of every
rule model on each cold start (about 40 ms, more than the rest of loading together); the cache
entry was checked by its HMAC (see `language.cache`), so its models are rebuilt without
validation instead. The data names only classes of `language.spec`: a tag outside that list, or
any shape this module did not write, is a `ValueError`, never an import or a call.

The data is positional, as compact to read as JSON allows: every value but a scalar is a list
whose first item says what it is (`["m", "Rule", [field values...], fields given as bits]`,
`["e", "Operator", "eq"]`, `["d", "2020-01-01"]`, `["t", [...]]` a tuple, `["l", [...]]` a
list, `["D", [keys...], [values...]]` a dict). A model's values are in the order of its
fields; `LAYOUT` (every model's field names in order) is part of the cache key, so that data
written for other fields is never read as these.
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
_FIELDS: dict[str, tuple[str, ...]] = {name: tuple(model.model_fields) for name, model in _MODELS.items()}
# Every model's fields, in the order their values are written: a changed model changes the key.
LAYOUT = "format 3;" + ";".join(f"{name}:{','.join(fields)}" for name, fields in sorted(_FIELDS.items()))


def _plain(model: type[BaseModel]) -> bool:
    """Whether `model_construct` of this model only sets its `__dict__` and the fields given (no
    root model, no post-init hook, no private attributes, no extra fields kept): then `_construct`
    does the same in a fraction of the time."""
    return (not model.__pydantic_root_model__ and not model.__pydantic_post_init__
            and not model.__private_attributes__ and model.model_config.get("extra") != "allow")


_PLAIN = frozenset(name for name, model in _MODELS.items() if _plain(model))


def to_data(value: Any) -> Any:
    """`value` (models of `language.spec`, enums, dates, containers of scalars) as JSON data."""
    if isinstance(value, BaseModel):
        name = type(value).__name__
        given = value.model_fields_set
        # Every field, so that reading back computes no defaults; which were given is kept apart.
        mask = sum(1 << index for index, field in enumerate(_FIELDS[name]) if field in given)
        return ["m", name, [to_data(getattr(value, field)) for field in _FIELDS[name]], mask]
    if isinstance(value, Enum):
        return ["e", type(value).__name__, value.value]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    if isinstance(value, tuple):
        return ["t", [to_data(item) for item in value]]
    if isinstance(value, list):
        return ["l", [to_data(item) for item in value]]
    if isinstance(value, dict):
        return ["D", [to_data(key) for key in value], [to_data(item) for item in value.values()]]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the rule cache")


_SCALARS = frozenset({str, bool, int, float, type(None)})


def from_data(data: Any) -> Any:
    """The value `to_data` made of it."""
    if type(data) in _SCALARS:
        return data
    if type(data) is not list or not data:
        raise ValueError(f"unexpected {type(data).__name__} in cached rule data")
    tag = data[0]
    if tag == "m" and len(data) == 4:
        return _model(data[1], data[2], data[3])
    if tag == "l" and len(data) == 2 and type(data[1]) is list:
        return [from_data(item) for item in data[1]]
    if tag == "t" and len(data) == 2 and type(data[1]) is list:
        return tuple([from_data(item) for item in data[1]])
    if tag == "D" and len(data) == 3 and type(data[1]) is list and type(data[2]) is list:
        if len(data[1]) != len(data[2]):
            raise ValueError("cached mapping has not as many values as keys")
        return {from_data(key): from_data(item) for key, item in zip(data[1], data[2], strict=True)}
    if tag == "e" and len(data) == 3:
        enum = _ENUMS.get(data[1]) if type(data[1]) is str else None
        if enum is None:
            raise ValueError(f"unknown enumeration {data[1]!r} in cached rule data")
        return enum(data[2])
    if tag == "d" and len(data) == 2 and type(data[1]) is str:
        return dt.date.fromisoformat(data[1])
    raise ValueError("unexpected list in cached rule data")


def _model(name: Any, values: Any, mask: Any) -> BaseModel:
    try:
        model, fields, plain = _READERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown model {name!r} in cached rule data") from None
    if type(values) is not list or len(values) != len(fields) or type(mask) is not int or mask >> len(fields):
        raise ValueError(f"cached {name} does not have its fields")
    decoded = dict(zip(fields, [item if type(item) in _SCALARS else from_data(item) for item in values],
                       strict=True))
    given = {field for index, field in enumerate(fields) if mask >> index & 1} if mask else set()
    if not plain:
        return model.model_construct(given, **decoded)
    return _construct(model, decoded, given)


_READERS = {name: (model, _FIELDS[name], name in _PLAIN) for name, model in _MODELS.items()}


def _construct(model: type[BaseModel], values: dict[str, Any], given: set[str]) -> BaseModel:
    """What `model.model_construct(given, **values)` makes of a plain model (see `_plain`) given
    every field: the instance with this `__dict__` and these fields given, nothing extra, no
    private attributes (pydantic's own steps, without its per-field search for aliases and
    defaults: 1,750 models on every cold start)."""
    made = model.__new__(model)
    object.__setattr__(made, "__dict__", values)
    object.__setattr__(made, "__pydantic_fields_set__", given)
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made
