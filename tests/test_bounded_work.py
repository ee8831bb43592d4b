"""Bounded work per byte of input: doubling an input at most doubles the work done on it.

Work is counted in operations, not seconds (a shared machine makes seconds useless): the Python
lines executed (`sys.settrace`) for the problem reporter, the comparisons and hashes of the
parameter names for the service's query reader. A quadratic step (each error walking its
siblings, each name counted against every other) fails these at once.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from pydantic import ValidationError

from bgtc_rules.base.documents import Document, parse_json
from bgtc_rules.base.errors import MAX_PROBLEMS, MAX_VALUE_SHOWN, InputError, MoreProblems
from bgtc_rules.base.validation import problems_from, validate_document
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.service.requests import Query


def _lines_executed(work: Callable[[], Any]) -> int:
    """How many Python lines `work()` executes (each loop turn counts again)."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def _refusal(doc: Document) -> tuple[ValidationError, Document]:
    try:
        Dossier.model_validate(doc.data)
    except ValidationError as exc:
        return exc, doc
    raise AssertionError("expected validation errors")


def _unknown_fields(count: int) -> tuple[ValidationError, Document]:
    fields = ", ".join(f'"unknown_{i}": {i}' for i in range(count))
    doc = parse_json('{"schema_version": 1, "program": {"name": "AAV-X", "modality": "aav_gene_therapy", '
                     f'"nme": "x", {fields}}}}}', "d.json")
    return _refusal(doc)


def _misspelled_values(count: int) -> tuple[ValidationError, Document]:
    values = ", ".join('"improvment"' for _ in range(count))
    doc = parse_json(f'{{"schema_version": 1, "program": {{"name": "AAV-X"}}, '
                     f'"therapy_landscape": {{"advantages": [{values}]}}}}', "d.json")
    return _refusal(doc)


@pytest.mark.parametrize("build", [_unknown_fields, _misspelled_values], ids=["unknown fields", "misspelled values"])
def test_the_problem_reporter_does_at_most_twice_the_work_for_twice_the_errors(
        build: Callable[[int], tuple[ValidationError, Document]]) -> None:
    work = {}
    for size in (2_000, 4_000):
        exc, doc = build(size)
        work[size] = _lines_executed(functools.partial(problems_from, exc, doc, None, Dossier))
    assert work[4_000] <= 2.05 * work[2_000], work


def test_many_problems_are_reported_as_the_first_ones_and_a_count() -> None:
    exc, doc = _unknown_fields(5_000)
    problems = problems_from(exc, doc, None, Dossier)
    assert len(problems) == MAX_PROBLEMS + 1
    assert isinstance(problems[-1], MoreProblems) and problems[-1].count == 5_001 - MAX_PROBLEMS
    assert "and 4951 more problems" in str(problems[-1])
    assert "program.nme" in str(problems[0])  # the misspelled required field, once


def test_a_long_value_is_echoed_cut_short() -> None:
    doc = parse_json('{"schema_version": 1, "program": {"name": "AAV-X", "modality": "' + "a" * 100_000 + '"}}',
                     "d.json")
    with pytest.raises(InputError) as caught:
        validate_document(Dossier, doc)
    message = str(caught.value)
    assert "(100000 characters)" in message and len(message) < 4 * MAX_VALUE_SHOWN + 400


def test_an_input_error_keeps_the_count_when_rewrapped() -> None:
    exc, doc = _unknown_fields(200)
    first = InputError(problems_from(exc, doc, None, Dossier))
    again = InputError(list(first.problems))
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]


class _CountedName(str):
    """A query parameter name that counts how often it is compared and hashed."""

    operations = 0

    def __eq__(self, other: object) -> bool:
        _CountedName.operations += 1
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        _CountedName.operations += 1
        return str.__hash__(self)

    def __lt__(self, other: str) -> bool:
        _CountedName.operations += 1
        return str.__lt__(self, other)


@pytest.mark.parametrize("name", ["xy", "as_of"], ids=["unknown", "repeated known"])
def test_the_query_reader_does_at_most_twice_the_work_for_twice_the_parameters(name: str) -> None:
    work = {}
    for size in (5_000, 10_000):
        pairs = [(_CountedName(name), "") for _ in range(size)]
        _CountedName.operations = 0
        with pytest.raises(InputError) as caught:
            Query(pairs, ("as_of", "lean"))
        work[size] = _CountedName.operations
        assert len(caught.value.problems) == 1
    assert work[10_000] <= 2.05 * work[5_000], work  # a few operations do not depend on the size


def test_many_unknown_query_parameters_are_capped() -> None:
    with pytest.raises(InputError) as caught:
        Query([(f"p{i}", "") for i in range(10_000)], ("as_of",))
    assert len(caught.value.problems) == MAX_PROBLEMS + 1
    assert "and 9950 more problems" in str(caught.value.problems[-1])
