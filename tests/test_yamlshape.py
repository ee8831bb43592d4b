"""Leaving out the YAML event pass changes nothing: the bound holds, the results are the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bgtc_rules.base import documents
from bgtc_rules.base.documents import MAX_NESTING, parse_yaml
from bgtc_rules.base.errors import InputError
from bgtc_rules.base.yamlshape import nesting_bound, scan_can_refuse

ROOT = Path(__file__).resolve().parent.parent


def _depth(text: str) -> int:
    """The deepest nesting of collections in the event stream, the root counting one."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return deepest


def _outcome(text: str) -> tuple[Any, ...]:
    try:
        doc = parse_yaml(text, "t.yaml")
    except InputError as exc:
        return ("error", str(exc))
    return ("ok", doc.data, doc.lines)


def _outcome_with_full_pass(text: str) -> tuple[Any, ...]:
    with mock.patch.object(documents, "scan_can_refuse", lambda text, max_nesting: True):
        return _outcome(text)


_keys = st.text(alphabet="abcxyz_", min_size=1, max_size=4)
_scalars = st.one_of(st.integers(-5, 5), st.booleans(), st.none(), st.text(alphabet="ab -:?[]{}#'\"", max_size=6))
_trees = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(_keys, inner, max_size=3)), max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(_trees, st.sampled_from([None, False, True]), st.integers(2, 5), st.booleans())
def test_the_bound_is_never_below_the_nesting(tree: Any, flow: bool | None, indent: int,
                                              indent_sequences: bool) -> None:
    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, indentless and not indent_sequences)

    text = yaml.dump(tree, Dumper=Dumper, default_flow_style=flow, indent=indent)
    if not scan_can_refuse(text, 10_000):  # the bound only speaks for text without doubtful characters
        assert nesting_bound(text) >= _depth(text)


@pytest.mark.parametrize("text", [
    "- - - - x\n", "a:\n- - b: [c: {d: [e]}]\n", "? - a\n  - b: c\n: - d\n", "- ? a\n  : - b\n",
    "a:\n  b:\n  - c:\n    - d:\n        e: 1\n", "[[[a: [b: c]]]]\n", "a: {b: [c, {d: e}]}\n",
])
def test_the_bound_holds_for_compact_forms(text: str) -> None:
    assert not scan_can_refuse(text, 10_000)
    assert nesting_bound(text) >= _depth(text)


def _texts() -> list[str]:
    files = [*sorted((ROOT / "tests" / "corpus" / "dossiers").glob("*.yaml")),
             *sorted((ROOT / "scenarios").glob("*.yaml"))]
    texts = [path.read_bytes().decode("utf-8", errors="replace") for path in files]
    hostile = ["a: 1\n---\nb: [\n", "a: 1\n...\nb: 2\n", "%YAML 1.1\n---\na: 1\n", "a: &x 1\nb: *x\n",
               "a: &x 1\nb: &x 2\n", "a: 1\nb: \x07\n", "a: \x01\n---\nb: *c\n", "a:\n\t- b\n", "a: [\n",
               "a: 1\n]\n", "a: 1\na: 2\n", "<<: {a: 1}\n", "a: " + "[" * 33 + "]" * 33, "a: " + "[" * 16 + "]" * 16,
               "- " * 40 + "x\n", "a: !!binary aGk=\n", "a: .nan\n", "\xef\xbb\xbfa: 1\n", "a: 1\r\nb: 2\r\n"]
    return texts + hostile + [text[:cut] for text in texts[:6] for cut in (17, 101, 333)]


@pytest.mark.parametrize("text", _texts())
def test_parsing_without_the_pass_gives_what_the_pass_gives(text: str) -> None:
    assert _outcome(text) == _outcome_with_full_pass(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1:-?[]{},#'\" \n|>.%", max_size=80))
def test_any_text_gives_what_the_pass_gives(text: str) -> None:
    assert _outcome(text) == _outcome_with_full_pass(text)


def test_the_pass_is_left_out_for_a_plain_dossier() -> None:
    text = (ROOT / "scenarios" / "aav_phase12_pediatric_neuro.yaml").read_text()
    assert not scan_can_refuse(text, MAX_NESTING)
