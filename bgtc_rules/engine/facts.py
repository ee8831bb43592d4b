"""Turn a validated `Dossier` into flat facts: fact path -> value, `None` meaning unknown."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, cast

from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.cache import compiled_code
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


def _summary(fact: FactType) -> Callable[[Any], FactValue]:
    """How a fact is read off its field's value, when the field is present: an item property's
    values, a count, a set of signatures, an enumeration's value or the value itself."""
    path = FactPath.parse(fact.path)
    item_prop, counts, kind, properties = path.item_property, path.counts, fact.kind, fact.item_properties

    def summary(raw: Any) -> FactValue:
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

    return summary


class _Section:
    """The facts read off one section (or field) of the dossier, and its sections below."""

    def __init__(self) -> None:
        self.facts: list[int] = []
        self.below: dict[str, _Section] = {}


def _generated_reader(facts: tuple[FactType, ...]) -> Callable[[Dossier], list[FactValue | None]]:
    """One straight-line function giving every fact of a dossier, in the order given: each field
    and section is read once, and the facts under one that is left out (None) stay unknown. It
    transcribes reading each field by its dotted path (`dossier.paths.field_reader`, None where a
    section on the way is None) and then `_summary`; the tests check that both agree."""
    root = _Section()
    for index, fact in enumerate(facts):
        section = root
        for name in FactPath.parse(fact.path).field.split("."):
            section = section.below.setdefault(name, _Section())
        section.facts.append(index)
    summaries = [_summary(fact) for fact in facts]
    lines = ["def read(d):", f"    V = [None] * {len(facts)}"]

    def emit(section: _Section, local: str, indent: str) -> None:
        for name, below in section.below.items():
            value = f"x{len(lines)}"
            lines.append(f"{indent}{value} = {local}.{name}")
            lines.append(f"{indent}if {value} is not None:")
            for index in below.facts:
                path = FactPath.parse(facts[index].path)
                if path.derived or facts[index].kind in ("items", "enum_list"):
                    lines.append(f"{indent}    V[{index}] = P[{index}]({value})")
                else:  # `_summary` of a plain field, inline
                    lines.append(f"{indent}    V[{index}] = str({value}.value) if isinstance({value}, E) else {value}")
            emit(below, value, indent + "    ")

    emit(root, "d", "    ")
    lines.append("    return V")
    namespace: dict[str, Any] = {"P": tuple(summaries), "E": Enum}
    exec(compiled_code("\n".join(lines), "<bgtc facts>"), namespace)  # our own generated code
    return cast(Callable[[Dossier], list[FactValue | None]], namespace["read"])


@cache
def _readers() -> tuple[tuple[str, ...], Callable[[Dossier], list[FactValue | None]]]:
    """The catalogue's fact paths, and the reader of them all."""
    facts = tuple(fact_catalog().values())
    return tuple(fact.path for fact in facts), _generated_reader(facts)


def dossier_facts(dossier: Dossier) -> Facts:
    """All fact values of a dossier, keyed by catalogue path.

    Examples:
        >>> from bgtc_rules.dossier.schema import ProgramInfo
        >>> facts = dossier_facts(Dossier(program=ProgramInfo(name="X")))
        >>> facts["program.name"], facts["indication.serious"]
        ('X', None)
    """
    paths, read = _readers()
    return Facts(dict(zip(paths, read(dossier), strict=True)))
