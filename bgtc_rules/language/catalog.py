"""The catalogue of fact paths a rule may read, derived from the `Dossier` schema.

Each leaf field of the dossier is a fact path (`indication.us_prevalence`). Lists add
derived paths so that rules never need code to summarise them:

- `meeting.questions#count`: how many items the list holds;
- `meeting.questions[].discipline`: the distinct values of one item property;
- `meeting.questions[].discipline#count`: how many distinct values there are.

A list of objects is matched item by item through *signatures*: the item's enumerated and
boolean properties, written `kind=clinical;effect=improvement`. A `contains` condition on such
a list names some of those properties; it compiles to the finite set of signatures it admits.

`FactPath` is a path parsed (the one place `#count` and `[].` are read), and `item_signature`,
`signature_values` and `signature_item` write and read signatures. Reading, setting and
removing a dossier field by its dotted path is `dossier.paths`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from bgtc_rules.dossier.paths import unwrap_optional
from bgtc_rules.dossier.schema import Dossier

# What one fact path holds in a dossier (`None`, beside it, means unknown).
FactValue = bool | int | float | str | dt.date | tuple[str, ...]
FactKind = Literal["bool", "int", "float", "str", "enum", "date", "enum_list", "items"]

MAX_SIGNATURES = 256
_COUNT = "#count"
_ITEMS = "[]."


@dataclass(frozen=True)
class FactPath:
    """A fact path, parsed: the dossier `field` it reads (dotted), the `item_property` of that
    list's items it collects (`meeting.questions[].discipline`), and whether it `counts` the items
    or the distinct values (`#count`). `str()` writes it back.

    Examples:
        >>> path = FactPath.parse("meeting.questions[].discipline#count")
        >>> path.field, path.item_property, path.counts, str(path)
        ('meeting.questions', 'discipline', True, 'meeting.questions[].discipline#count')
        >>> FactPath.parse("indication.serious")
        FactPath(field='indication.serious', item_property='', counts=False)
    """

    field: str
    item_property: str = ""
    counts: bool = False

    @staticmethod
    def parse(text: str) -> FactPath:
        path, _, counted = text.partition("#")
        field_, _, item_property = path.partition(_ITEMS)
        return FactPath(field_, item_property, counted == _COUNT[1:])

    @property
    def derived(self) -> bool:
        """Whether the path summarises its field (a count, or an item property's values)."""
        return self.counts or bool(self.item_property)

    def counted(self) -> FactPath:
        return FactPath(self.field, self.item_property, True)

    def of_items(self, item_property: str) -> FactPath:
        return FactPath(self.field, item_property, self.counts)

    def __str__(self) -> str:
        items = f"{_ITEMS}{self.item_property}" if self.item_property else ""
        return f"{self.field}{items}{_COUNT if self.counts else ''}"


def signature_text(value: object) -> str:
    """An item property's value as a signature writes it: an enumeration by its value, a boolean
    as `true` or `false`."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def item_signature(values: Mapping[str, object], properties: Iterable[ItemProperty]) -> str:
    """The signature of an item with these property `values` (by property name).

    Examples:
        >>> properties = (ItemProperty("kind", ()), ItemProperty("pivotal", ()))
        >>> item_signature({"kind": "clinical", "pivotal": True}, properties)
        'kind=clinical;pivotal=true'
    """
    return ";".join(f"{prop.name}={signature_text(values[prop.name])}" for prop in properties)


def signature_values(signature: str) -> dict[str, str]:
    """The property values a signature names, as written.

    Examples:
        >>> signature_values("program=fast_track;status=granted"), signature_values("")
        ({'program': 'fast_track', 'status': 'granted'}, {})
    """
    return dict(pair.partition("=")[::2] for pair in signature.split(";")) if signature else {}


def signature_item(signature: str) -> dict[str, str | bool]:
    """The dossier item fields a signature names: `true` and `false` as booleans.

    Examples:
        >>> signature_item("kind=clinical;pivotal=false")
        {'kind': 'clinical', 'pivotal': False}
    """
    return {key: {"true": True, "false": False}.get(raw, raw) for key, raw in signature_values(signature).items()}


@dataclass(frozen=True)
class ItemProperty:
    """A property of a list's items that signatures name, and the values it takes."""

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
        # Each property's `name=value` written once, then joined per combination (what
        # `item_signature` writes, without writing each part again for every combination).
        parts = [[f"{prop.name}={signature_text(value)}" for value in wanted.get(prop.name, prop.domain)]
                 for prop in self.item_properties]
        return tuple(";".join(combo) for combo in itertools.product(*parts))


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
    count = FactType(str(FactPath(path, counts=True)), "int", description=f"Number of items in {path}.")
    if isinstance(item, type) and issubclass(item, Enum):
        return [FactType(path, "enum_list", _enum_domain(item), description=description), count]
    if isinstance(item, type) and issubclass(item, BaseModel):
        props = _item_properties(item)
        types_ = [FactType(path, "items", item_properties=props, description=description), count]
        for prop in props:
            values = FactPath(path, prop.name)
            types_.append(FactType(str(values), "enum_list", prop.domain,
                                   description=f"Distinct {prop.name} values in {path}."))
            types_.append(FactType(str(values.counted()), "int",
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
    return FactPath.parse(path).field


@cache
def fact_catalog() -> dict[str, FactType]:
    """Every fact path a rule can read, with its type, in schema order."""
    return {fact.path: fact for fact in _walk(Dossier, "")}
