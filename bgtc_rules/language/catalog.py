"""The catalogue of fact paths a rule may read, derived from the `Dossier` schema.

Each leaf field of the dossier is a fact path (`indication.us_prevalence`). Lists add
derived paths so that rules never need code to summarise them:

- `meeting.questions#count`: how many items the list holds;
- `meeting.questions[].discipline`: the distinct values of one item property;
- `meeting.questions[].discipline#count`: how many distinct values there are.

A list of objects is matched item by item through *signatures*: the item's enumerated and
boolean properties, written `kind=clinical;effect=improvement`. A `contains` condition on such
a list names some of those properties; it compiles to the finite set of signatures it admits.
"""

from __future__ import annotations

import datetime as dt
import itertools
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from bgtc_rules.dossier.schema import Dossier

# What one fact path holds in a dossier (`None`, beside it, means unknown).
FactValue = bool | int | float | str | dt.date | tuple[str, ...]
FactKind = Literal["bool", "int", "float", "str", "enum", "date", "enum_list", "items"]

MAX_SIGNATURES = 256


@dataclass(frozen=True)
class ItemProperty:
    name: str
    domain: tuple[str, ...]


@dataclass(frozen=True)
class FactType:
    """What kind of value sits at a fact path, and which values an enumeration allows."""

    path: str
    kind: FactKind
    domain: tuple[str, ...] = ()
    item_properties: tuple[ItemProperty, ...] = field(default=())
    description: str = ""

    @property
    def is_list(self) -> bool:
        return self.kind in ("enum_list", "items")

    def signatures(self, wanted: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        """All item signatures whose properties take one of the `wanted` values.

        Examples:
            >>> t = FactType("x", "items", item_properties=(
            ...     ItemProperty("a", ("p", "q")), ItemProperty("b", ("true", "false"))))
            >>> t.signatures({"a": ("q",)})
            ('a=q;b=true', 'a=q;b=false')
        """
        choices = [wanted.get(prop.name, prop.domain) for prop in self.item_properties]
        return tuple(
            ";".join(f"{prop.name}={value}" for prop, value in zip(self.item_properties, combo, strict=True))
            for combo in itertools.product(*choices)
        )


def unwrap_optional(annotation: Any) -> Any:
    """`X` for an `X | None` annotation (one type besides None); any other annotation as it is."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _enum_domain(enum_type: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum_type)


def _scalar_type(path: str, annotation: Any, description: str) -> FactType | None:
    annotation = unwrap_optional(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return FactType(path, "enum", _enum_domain(annotation), description=description)
    simple: dict[Any, FactKind] = {bool: "bool", int: "int", float: "float", str: "str", dt.date: "date"}
    if annotation in simple:
        return FactType(path, simple[annotation], description=description)
    return None


def _item_properties(model: type[BaseModel]) -> tuple[ItemProperty, ...]:
    props = []
    for name, info in model.model_fields.items():
        fact = _scalar_type(name, info.annotation, "")
        if fact is None:
            continue
        if fact.kind == "enum":
            props.append(ItemProperty(name, fact.domain))
        elif fact.kind == "bool":
            props.append(ItemProperty(name, ("true", "false")))
    return tuple(props)


def _list_types(path: str, item: Any, description: str) -> list[FactType]:
    item = unwrap_optional(item)
    count = FactType(f"{path}#count", "int", description=f"Number of items in {path}.")
    if isinstance(item, type) and issubclass(item, Enum):
        return [FactType(path, "enum_list", _enum_domain(item), description=description), count]
    if isinstance(item, type) and issubclass(item, BaseModel):
        props = _item_properties(item)
        types_ = [FactType(path, "items", item_properties=props, description=description), count]
        for prop in props:
            values = f"{path}[].{prop.name}"
            types_.append(FactType(values, "enum_list", prop.domain,
                                   description=f"Distinct {prop.name} values in {path}."))
            types_.append(FactType(f"{values}#count", "int",
                                   description=f"Number of distinct {prop.name} values in {path}."))
        return types_
    if _scalar_type(path, item, "") is not None:  # a list of plain values (dates, names): only its length
        return [count]
    raise TypeError(f"{path}: list of {item!r} has no fact representation")


def _walk(model: type[BaseModel], prefix: str) -> list[FactType]:
    found: list[FactType] = []
    for name, info in model.model_fields.items():
        if name == "schema_version":
            continue
        path = f"{prefix}{name}"
        annotation = unwrap_optional(info.annotation)
        description = info.description or ""
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.extend(_walk(annotation, f"{path}."))
        elif typing.get_origin(annotation) is list:
            found.extend(_list_types(path, typing.get_args(annotation)[0], description))
        else:
            fact = _scalar_type(path, annotation, description)
            if fact is None:
                raise TypeError(f"{path}: {annotation!r} has no fact representation")
            found.append(fact)
    return found


def base_path(path: str) -> str:
    """The dossier field a derived path summarises.

    Examples:
        >>> base_path("meeting.questions[].discipline#count")
        'meeting.questions'
    """
    return path.partition("#")[0].partition("[].")[0]


@cache
def fact_catalog() -> dict[str, FactType]:
    """Every fact path a rule can read, with its type, in schema order."""
    return {fact.path: fact for fact in _walk(Dossier, "")}
