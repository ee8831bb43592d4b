"""Fact paths (`language.catalog.FactPath`, item signatures) and dossier field paths
(`dossier.paths`): each parsed and walked in one place. The old string-handling code they
replaced (in the catalogue, facts, counterfactuals, reach, editing, the interview, answers and
drafts) is kept here as the oracle the new code must agree with."""

from __future__ import annotations

import copy
import typing
from enum import Enum
from operator import attrgetter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from bgtc_rules.base.errors import BgtcError
from bgtc_rules.dossier.loading import dossier_from_mapping
from bgtc_rules.dossier.paths import (
    field_of,
    item_model,
    remove_at,
    schema_field,
    set_at,
    unwrap_optional,
    value_at,
)
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.facts import dossier_facts
from bgtc_rules.language.catalog import (
    FactPath,
    FactType,
    fact_catalog,
    item_signature,
    signature_item,
    signature_values,
)

from .strategies import dossiers

# --- the old code, as it was -----------------------------------------------------------------------


def old_parse(path: str) -> tuple[str, str, bool]:
    """engine.facts: `#count` and `[].prop` by partition; catalog.base_path the same way."""
    path, _, counted = path.partition("#")
    base, _, item_prop = path.partition("[].")
    return base, item_prop, bool(counted)


def old_plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def old_fact(dossier: Dossier, fact: FactType) -> Any:
    """engine.facts' reader of one fact, as it was."""
    base, item_prop, counted = old_parse(fact.path)
    try:
        raw = attrgetter(base)(dossier)
    except AttributeError:
        return None
    if raw is None:
        return None
    if item_prop:
        raw = [getattr(item, item_prop) for item in raw]
    if counted:
        return len(set(raw)) if item_prop else len(raw)
    if fact.kind == "items":
        return tuple(sorted({";".join(f"{p.name}={old_plain(getattr(item, p.name))}" for p in fact.item_properties)
                             for item in raw}))
    if fact.kind == "enum_list":
        return tuple(sorted({old_plain(v) for v in raw}))
    if isinstance(raw, Enum):
        return str(raw.value)
    return raw


def old_item_properties(signature: str) -> dict[str, str]:
    """engine.reach.item_properties."""
    return dict(pair.partition("=")[::2] for pair in signature.split(";")) if signature else {}


def old_signature_item(signature: str) -> dict[str, Any]:
    """engine.counterfactual's new item from a signature."""
    item: dict[str, Any] = {}
    for pair in signature.split(";"):
        key, _, raw = pair.partition("=")
        item[key] = {"true": True, "false": False}.get(raw, raw)
    return item


def old_getattr_walk(dossier: Dossier, path: str) -> Any:
    """engine.counterfactual and advice.drafts.reader."""
    current: Any = dossier
    for part in path.split("."):
        current = getattr(current, part) if current is not None else None
    return current


def old_item_model(path: str) -> type[BaseModel]:
    """engine.counterfactual._item_model."""
    node: Any = Dossier
    for part in path.split("."):
        annotation = node.model_fields[part].annotation
        inner = next((a for a in getattr(annotation, "__args__", ()) if a is not type(None)), annotation)
        if getattr(inner, "__origin__", None) is list:
            return inner.__args__[0]  # type: ignore[no-any-return]
        node = inner
    raise TypeError(path)


def old_model_in(annotation: Any) -> type[BaseModel] | None:
    """language.guide._model_in: the model a field holds (itself, in a list, or optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (model := old_model_in(arg)) is not None:
            return model
    return None


def old_schema_has(path: str) -> bool:
    """language.guide.schema_has."""
    model: type[BaseModel] | None = Dossier
    for part in path.split("."):
        if model is None or part not in model.model_fields:
            return False
        model = old_model_in(model.model_fields[part].annotation)
    return True


def old_set(data: dict[str, Any], path: str, value: Any) -> None:
    """advice.interview._set."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def old_remove(data: dict[str, Any], path: str) -> None:
    """advice.interview._remove."""
    parts = path.split(".")
    nodes: list[dict[str, Any]] = [data]
    for part in parts[:-1]:
        child = nodes[-1].get(part)
        if not isinstance(child, dict):
            return
        nodes.append(child)
    nodes[-1].pop(parts[-1], None)
    for depth in range(len(parts) - 1, 0, -1):
        if not nodes[depth]:
            nodes[depth - 1].pop(parts[depth - 1], None)


# --- strategies ------------------------------------------------------------------------------------

CATALOG = fact_catalog()
FIELD_PATHS = sorted({FactPath.parse(p).field for p in CATALOG})
LIST_OF_ITEMS = sorted(p for p, fact in CATALOG.items() if fact.kind == "items")
_names = st.text("abcdefgh_", min_size=1, max_size=6)
written_paths = st.builds(
    lambda parts, prop, counts: ".".join(parts) + (f"[].{prop}" if prop else "") + ("#count" if counts else ""),
    st.lists(_names, min_size=1, max_size=4), st.one_of(st.just(""), _names), st.booleans())


def _signatures(path: str) -> st.SearchStrategy[str]:
    fact = CATALOG[path]
    return st.tuples(*(st.sampled_from(p.domain) for p in fact.item_properties)).map(
        lambda values: ";".join(f"{p.name}={v}" for p, v in zip(fact.item_properties, values, strict=True)))


signatures = st.sampled_from(LIST_OF_ITEMS).flatmap(_signatures)


# --- fact paths ------------------------------------------------------------------------------------


@given(written_paths)
def test_a_fact_path_parses_as_the_old_partitions_did_and_writes_back(text: str) -> None:
    path = FactPath.parse(text)
    assert (path.field, path.item_property, path.counts) == old_parse(text)
    assert str(path) == text


def test_every_catalogue_path_writes_back_as_it_was_parsed() -> None:
    assert [str(FactPath.parse(p)) for p in CATALOG] == list(CATALOG)
    assert all(FactPath.parse(p).derived == ("#" in p or "[]." in p) for p in CATALOG)


@given(signatures)
def test_a_signature_reads_as_the_old_decoders_read_it(signature: str) -> None:
    assert signature_values(signature) == old_item_properties(signature)
    # An item with no enumerated or boolean property has the empty signature: it names no field
    # (the old decoder made a field named "" of it, which the schema refuses).
    assert signature_item(signature) == (old_signature_item(signature) if signature else {})


@given(st.sampled_from(LIST_OF_ITEMS).flatmap(lambda p: st.tuples(st.just(p), _signatures(p))))
def test_an_item_written_from_its_signature_has_that_signature(case: tuple[str, str]) -> None:
    path, signature = case
    assert item_signature(signature_item(signature), CATALOG[path].item_properties) == signature


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers())
def test_facts_are_read_as_the_old_reader_read_them(data: dict[str, Any]) -> None:
    dossier = dossier_from_mapping(data, "<generated>")
    facts = dossier_facts(dossier)
    assert dict(facts.by_path) == {path: old_fact(dossier, fact) for path, fact in CATALOG.items()}


# --- dossier field paths ---------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers(), st.sampled_from(FIELD_PATHS))
def test_a_field_is_read_off_a_dossier_as_the_old_walk_read_it(data: dict[str, Any], path: str) -> None:
    dossier = dossier_from_mapping(data, "<generated>")
    assert field_of(dossier, path) == old_getattr_walk(dossier, path)


@pytest.mark.parametrize("path", LIST_OF_ITEMS)
def test_the_item_model_of_a_list_is_the_old_walks(path: str) -> None:
    assert item_model(path) is old_item_model(path)


@pytest.mark.parametrize("path", FIELD_PATHS)
def test_the_schema_field_at_a_path_is_the_field_of_its_section(path: str) -> None:
    *sections, name = path.split(".")
    model: Any = Dossier
    for section in sections:
        model = unwrap_optional(model.model_fields[section].annotation)
    assert schema_field(path) is model.model_fields[name]


_ITEM_FIELDS = [f"{path}.{name}" for path in LIST_OF_ITEMS for name in item_model(path).model_fields]


@given(st.one_of(st.sampled_from(FIELD_PATHS + _ITEM_FIELDS),
                 st.sampled_from(FIELD_PATHS + _ITEM_FIELDS).flatmap(
                     lambda p: st.builds(lambda cut, extra: ".".join([*p.split(".")[:cut], *extra]),
                                         st.integers(1, 3), st.lists(_names, max_size=2)))))
def test_whether_the_schema_has_a_path_agrees_with_the_guides_old_walk(path: str) -> None:
    try:
        schema_field(path, through_lists=True)
        found = True
    except KeyError:
        found = False
    assert found == old_schema_has(path)


def test_a_path_with_no_schema_field_is_a_key_error() -> None:
    for path in ("indication.nothing", "nothing", "indication.serious.more"):
        with pytest.raises(KeyError):
            schema_field(path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers(), st.sampled_from(FIELD_PATHS), st.sampled_from([1, "x", True, None]))
def test_setting_and_removing_a_field_agree_with_the_interviews_old_code(data: dict[str, Any], path: str,
                                                                         value: Any) -> None:
    dumped = dossier_from_mapping(data, "<generated>").model_dump(mode="json", exclude_none=True)
    old, new = copy.deepcopy(dumped), copy.deepcopy(dumped)
    old_set(old, path, value)
    set_at(new, path, value)
    assert new == old
    old_remove(old, path)
    remove_at(new, path, prune=True)
    assert new == old
    assert value_at(new, path) is None


def test_a_path_that_cannot_be_followed_is_an_input_error_naming_it() -> None:
    data: dict[str, Any] = {"clinical": {"endpoints": [{"kind": "clinical"}]}, "program": {"name": "X"}}
    for path, expected in (("clinical.endpoints.kind", "is a list: name an item by its position"),
                           ("clinical.endpoints[3].kind", "has 1 item(s)"),
                           ("program[0]", "is a section with fields, not a list"),
                           ("program.name.first", "'name' is not a section")):
        with pytest.raises(BgtcError) as raised:
            set_at(data, path, 1, source="changes.yaml")
        assert path in str(raised.value) and expected in str(raised.value)
