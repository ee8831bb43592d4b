"""JSON read fast (orjson, `base.fastjson`) gives what the strict, locating parser gives: the same
values (ints stay ints), the same lines, and for a bad text the same located problems."""

from __future__ import annotations

import doctest
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import bgtc_rules.base.fastjson as fastjson_module
from bgtc_rules.base.documents import MAX_NESTING, Document, parse_json, parse_json_located
from bgtc_rules.base.errors import InputError
from bgtc_rules.dossier.loading import load_dossier

from .paths import SCENARIOS

_scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(-(10**25), 10**25),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet='ab:"\\ \n{}[],\u2028é\x7f', max_size=8),
)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(alphabet="ab:\"", max_size=3), inner, max_size=4)),
    max_leaves=30)


def _texts() -> st.SearchStrategy[str]:
    """JSON texts, indented or not, some with duplicate keys, long or huge numbers, NaN, nesting
    past the limit, or cut short or changed at one character."""
    plain = st.builds(lambda value, indent: json.dumps(value, indent=indent, ensure_ascii=False),
                      _values, st.sampled_from([None, 0, 2]))
    duplicated = plain.filter(lambda text: text.startswith("{") and len(text) > 2).map(
        lambda text: text[:-1] + (', ' if text != "{}" else "") + text[1:])
    deep = st.integers(MAX_NESTING - 1, MAX_NESTING + 2).map(lambda depth: "[" * depth + "1" + "]" * depth)
    numbers = st.sampled_from(['{"n": 1e999}', '{"n": NaN}', '[-Infinity]', '[123456789012345678901234567890123]',
                               '[18446744073709551616]', '[-0]', '[1.0]', '[1E2]', '"\\ud800"'])

    def changed(text: str, at: int, character: str) -> str:
        at = at % (len(text) + 1)
        return text[:at] + character + text[at + 1:]

    broken = st.builds(changed, plain, st.integers(0, 200), st.sampled_from(list('{}[],:"\\ 0a\n')))
    return st.one_of(plain, duplicated, deep, numbers, broken, plain.map(lambda text: text + " x"))


def _outcome(read: Any, text: str) -> tuple[str, Any]:
    try:
        document: Document = read(text, "t.json")
    except InputError as exc:
        return "refused", [p.to_dict() for p in exc.problems]
    located = parse_json_located(text, "t.json")
    lines = {path: document.line_of(path) for path in located.lines}
    return "read", (repr(document.data), lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_texts())
@example('{"a": 1,\n "a": 2}')
@example('{"a": 1, "a": 2, "b": "\\u003a"}')  # an escaped colon would make up for the dropped member
@example("[" + "[], " * 40 + "[[1]]]")  # many containers, shallow
@example('{"a": {"b": [1,\n2, 3]},\n"c": "x:y"}')
def test_the_fast_path_reads_as_the_locating_parser_reads(text: str) -> None:
    assert _outcome(parse_json, text) == _outcome(parse_json_located, text)


def test_a_bad_dossier_file_gets_the_same_located_problems_either_way(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation problems name the line; read fast, the lines are worked out when asked for."""
    path = tmp_path / "dossier.json"
    path.write_text('{"schema_version": 1,\n "program": {"name": "X",\n  "modality": "rocket"},\n'
                    ' "clinical": {"patients_dosed": "many"}}\n', encoding="utf-8")

    def problems() -> list[dict[str, Any]]:
        with pytest.raises(InputError) as refused:
            load_dossier(path)
        return [p.to_dict() for p in refused.value.problems]

    fast = problems()
    monkeypatch.setattr("bgtc_rules.base.documents.fast_json", lambda text, nesting: fastjson_module.NOT_FAST)
    assert problems() == fast
    assert {(p["line"], p["path"]) for p in fast} >= {(3, "program.modality"), (4, "clinical.patients_dosed")}


def test_a_dossier_read_fast_is_the_dossier_read_from_yaml(tmp_path: Path) -> None:
    import yaml

    source = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    assert load_dossier(path) == load_dossier(source)


def test_doctests() -> None:
    assert doctest.testmod(fastjson_module).failed == 0
