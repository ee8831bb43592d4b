"""Property-based fuzzing: loading and evaluating anything gives a result or a clean `InputError`.

Valid dossiers (from the schema), near-valid ones (a valid dossier with keys deleted, values of
the wrong type, enumeration values misspelt), random bytes and random YAML-like text, written to
files and read the way the CLI reads them; also near-valid rule files.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import math
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bgtc_rules import InputError, RuleBase, dossier_from_mapping, evaluate, load_dossier
from bgtc_rules.base.documents import _json_lines
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.backends import durable_available

from .paths import AS_OF, SCENARIOS
from .strategies import dossiers

BACKEND = "durable-rules" if durable_available() else "reference"


SCALE = int(os.environ.get("BGTC_FUZZ_SCALE", "1"))  # e.g. 50 for a long campaign outside the suite


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples * SCALE, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_names = itertools.count()


@cache
def _rules() -> RuleBase:
    return RuleBase.load()


@cache
def _scenarios() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SCENARIOS.glob("*.yaml"))]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _write(directory: Path, suffix: str, content: bytes) -> Path:
    path = directory / f"case{next(_names)}{suffix}"
    path.write_bytes(content)
    return path


def _load_and_evaluate(path: Path) -> None:
    """The CLI's path: read, validate, evaluate. Only `InputError` may come out."""
    try:
        dossier = load_dossier(path)
    except InputError as exc:
        assert exc.problems and all(p.file == str(path) and p.message for p in exc.problems)
        return
    assert isinstance(dossier, Dossier)
    assessment = evaluate(dossier, _rules(), as_of=AS_OF, backend=BACKEND)
    assert json.loads(assessment.to_json())["format"] == "bgtc.assessment/2"


def _dump(data: Any, suffix: str) -> bytes:
    if suffix == ".json":
        return json.dumps(data, default=str).encode()  # NaN and Infinity come out as bare words
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


# -- valid dossiers ------------------------------------------------------------------------------

@fuzz(40)
@given(data=dossiers(), suffix=st.sampled_from([".yaml", ".json"]))
def test_valid_dossiers_load_from_either_format_and_evaluate(scratch: Path, data: dict[str, Any],
                                                             suffix: str) -> None:
    expected = dossier_from_mapping(data)
    path = _write(scratch, suffix, _dump(data, suffix))
    assert load_dossier(path) == expected
    _load_and_evaluate(path)


# -- near-valid dossiers -------------------------------------------------------------------------

WRONG_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=2),
    st.sampled_from(["", "aav_gene_therapi", "ind-active", "TRUE", "yes", "1e5", "2025-02-30", "-1", "NaN"]),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


@st.composite
def near_valid(draw: st.DrawFn) -> Any:
    """A valid dossier with a few mistakes: keys deleted or added, values replaced or misspelt."""
    data = draw(st.one_of(dossiers(), st.sampled_from(_scenarios()).map(copy.deepcopy)))
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(data))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "misspell", "add"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(WRONG_VALUES)
        elif action == "misspell" and isinstance(parent[last], str) and parent[last]:
            text = parent[last]
            cut = draw(st.integers(0, len(text) - 1))
            parent[last] = text[:cut] + text[cut + 1:] + draw(st.sampled_from(["", "_", "s", "é"]))
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "us_prevalance", "Serious", "notes", ""]))] = draw(WRONG_VALUES)
    return data


@fuzz(80)
@given(data=near_valid())
def test_near_valid_dossiers_validate_cleanly(data: Any) -> None:
    try:
        dossier = dossier_from_mapping(data)
    except InputError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    evaluate(dossier, _rules(), as_of=AS_OF, backend=BACKEND)


@fuzz(50)
@given(data=near_valid(), suffix=st.sampled_from([".yaml", ".json"]))
def test_near_valid_dossier_files_load_cleanly(scratch: Path, data: Any, suffix: str) -> None:
    _load_and_evaluate(_write(scratch, suffix, _dump(data, suffix)))


# -- random documents ----------------------------------------------------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(list("abcdefgnprsuy_019 .:-[]{},&*!|>'\"#%@`?=<\\\t\n\r\x07é\u2028\ufeff")),
                  max_size=300)


@fuzz(200)
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".yaml", ".json", ".yml"]))
def test_random_bytes_are_refused_cleanly(scratch: Path, content: bytes, suffix: str) -> None:
    _load_and_evaluate(_write(scratch, suffix, content))


@fuzz(200)
@given(text=YAMLISH, prefix=st.sampled_from(["", "program: {name: x}\n", "program:\n  name: x\nindication: "]),
       suffix=st.sampled_from([".yaml", ".json"]))
def test_random_yaml_like_text_is_refused_or_read(scratch: Path, text: str, prefix: str, suffix: str) -> None:
    _load_and_evaluate(_write(scratch, suffix, (prefix + text).encode("utf-8", "surrogatepass")))


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20),
              st.floats(allow_nan=False, allow_infinity=False),
              st.text(alphabet=st.sampled_from(list('ab":,{}[]\\ \n')), max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(alphabet=st.sampled_from(list('ab":,{}[] \\')), max_size=4),
                                            inner, max_size=4)),
    max_leaves=30)


@fuzz(100)
@given(value=JSON_VALUES, indent=st.sampled_from([None, 0, 2]))
def test_json_lines_name_every_value(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    lines = _json_lines(text, "t.json")
    expected = {(), *_paths(value)}
    if all(not isinstance(v, float) or math.isfinite(v) for v in [value]):
        assert set(lines) == expected
    assert all(1 <= line <= text.count("\n") + 1 for line in lines.values())


# -- near-valid rule files -----------------------------------------------------------------------

RULE_FILE = {
    "program": {"id": "fuzz", "name": "Fuzz program", "kind": "designation", "summary": "For fuzzing.",
                "citations": [{"document": "Fuzz source", "section": "1"}]},
    "questions": {"indication.serious": "Serious?", "clinical.patients_dosed": "How many dosed?",
                  "development.stage": "Which stage?"},
    "rules": [
        {"id": "fuzz.serious", "title": "Serious", "conclude": {"concept": "fuzz_serious"},
         "when": {"any": [{"fact": "indication.serious", "op": "==", "value": True},
                          {"fact": "development.stage", "op": "in", "value": ["ind_active", "bla_submitted"]}]},
         "explanation": "Fuzz.", "citations": [{"document": "Fuzz source", "section": "2"}],
         "effective_from": dt.date(2020, 1, 1)},
        {"id": "fuzz.eligible", "title": "Eligible", "conclude": {"program": "fuzz", "outcome": "eligible"},
         "when": {"all": [{"concept": "fuzz_serious"},
                          {"not": {"fact": "clinical.patients_dosed", "op": "<", "value": 3}}]},
         "explanation": "Fuzz.", "citations": [{"document": "Fuzz source", "section": "3"}],
         "effective_from": dt.date(2021, 1, 1), "effective_until": dt.date(2030, 12, 31)},
    ],
}


@st.composite
def near_valid_rules(draw: st.DrawFn) -> Any:
    data = json.loads(json.dumps(RULE_FILE, default=str))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(st.one_of(WRONG_VALUES, st.sampled_from(
                ["in", "contains", "exists", "all", "fuzz_serious", "indication.us_prevalence", "fuzz.serious"])))
    return data


@fuzz(50)
@given(data=near_valid_rules(), dossier=dossiers())
def test_near_valid_rule_files_load_cleanly_and_run_on_both_backends(scratch: Path, data: Any,
                                                                     dossier: dict[str, Any]) -> None:
    directory = scratch / f"rules{next(_names)}"
    directory.mkdir()
    (directory / "fuzz.yaml").write_bytes(yaml.safe_dump(data, allow_unicode=True).encode())
    try:
        rules = RuleBase.load([directory], include_bundled=False)
    except InputError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    loaded = dossier_from_mapping(dossier)
    results = {}
    for backend in ("reference", *(["durable-rules"] if durable_available() else [])):
        assessment = evaluate(loaded, rules, as_of=AS_OF, backend=backend).to_dict()
        assessment.pop("backend")
        results[backend] = assessment
    assert len({json.dumps(r, sort_keys=True) for r in results.values()}) == 1
