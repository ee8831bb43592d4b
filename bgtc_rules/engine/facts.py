"""Turn a validated `Dossier` into flat facts: fact path -> value, `None` meaning unknown."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache

from bgtc_rules.dossier.paths import field_reader
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.catalog import FactPath, FactType, FactValue, fact_catalog, item_signature, signature_text


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


def _reader(fact: FactType) -> Callable[[Dossier], FactValue | None]:
    """How to read one fact off a dossier: its field, an item property, a count or a signature set."""
    path = FactPath.parse(fact.path)
    get = field_reader(path.field)
    item_prop, counts, kind, properties = path.item_property, path.counts, fact.kind, fact.item_properties

    def read(dossier: Dossier) -> FactValue | None:
        raw = get(dossier)
        if raw is None:  # absent, or a section on the way is left out: the fact is unknown
            return None
        if item_prop:
            raw = [getattr(item, item_prop) for item in raw]
        if counts:
            return len(set(raw)) if item_prop else len(raw)
        if kind == "items":
            return tuple(sorted({item_signature(vars(item), properties) for item in raw}))
        if kind == "enum_list":
            return tuple(sorted({signature_text(v) for v in raw}))
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
