"""Turn a validated `Dossier` into flat facts: fact path -> value, `None` meaning unknown."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import Any

from pydantic import BaseModel

from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.catalog import FactType, FactValue, fact_catalog


@dataclass(frozen=True)
class Facts(Mapping[str, FactValue | None]):
    """Every catalogue path of one dossier; a `None` value is unknown."""

    by_path: dict[str, FactValue | None]

    def __getitem__(self, path: str) -> FactValue | None:
        return self.by_path[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_path)

    def __len__(self) -> int:
        return len(self.by_path)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _signature(item: BaseModel, fact: FactType) -> str:
    return ";".join(f"{prop.name}={_plain(getattr(item, prop.name))}" for prop in fact.item_properties)


def _reader(fact: FactType) -> Callable[[Dossier], FactValue | None]:
    """How to read one fact off a dossier: its field, an item property, a count or a signature set."""
    path, _, counted = fact.path.partition("#")
    base, _, item_prop = path.partition("[].")
    get = attrgetter(base)
    kind = fact.kind

    def read(dossier: Dossier) -> FactValue | None:
        try:
            raw = get(dossier)
        except AttributeError:  # a section on the way is left out (None): the fact is unknown
            return None
        if raw is None:
            return None
        if item_prop:
            raw = [getattr(item, item_prop) for item in raw]
        if counted:
            return len(set(raw)) if item_prop else len(raw)
        if kind == "items":
            return tuple(sorted({_signature(item, fact) for item in raw}))
        if kind == "enum_list":
            return tuple(sorted({_plain(v) for v in raw}))
        if isinstance(raw, Enum):
            return str(raw.value)
        return raw  # type: ignore[no-any-return]

    return read


@cache
def _readers() -> tuple[tuple[str, Callable[[Dossier], FactValue | None]], ...]:
    return tuple((path, _reader(fact)) for path, fact in fact_catalog().items())


def dossier_facts(dossier: Dossier) -> Facts:
    """All fact values of a dossier, keyed by catalogue path.

    Examples:
        >>> from bgtc_rules.dossier.schema import ProgramInfo
        >>> facts = dossier_facts(Dossier(program=ProgramInfo(name="X")))
        >>> facts["program.name"], facts["indication.serious"]
        ('X', None)
    """
    return Facts({path: read(dossier) for path, read in _readers()})
