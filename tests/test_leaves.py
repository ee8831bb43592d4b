from __future__ import annotations

import datetime as dt

import pytest

from bgtc_rules.dossier.schema import Comparator, SurrogateStatus
from bgtc_rules.language.catalog import fact_catalog
from bgtc_rules.language.leaves import Leaf, leaf_truth, make_leaf
from bgtc_rules.language.operators import Operator
from bgtc_rules.language.spec import FactCondition


def _leaf(path: str, op: str, value: object = None) -> Leaf:
    return make_leaf(FactCondition(fact=path, op=Operator(op), value=value), fact_catalog()[path])  # type: ignore[arg-type]


def test_contains_on_objects_expands_to_signatures() -> None:
    leaf = _leaf("clinical.endpoints", "contains", {"kind": "clinical", "effect": "improvement"})
    assert isinstance(leaf.value, tuple)
    assert all("kind=clinical" in s and "effect=improvement" in s for s in leaf.value)
    assert len(leaf.value) == len(SurrogateStatus) * len(Comparator)  # surrogate statuses x comparators


@pytest.mark.parametrize(
    ("leaf", "value", "expected"),
    [
        (Leaf("p", Operator.EQ, True), True, True),
        (Leaf("p", Operator.NE, True), True, False),
        (Leaf("p", Operator.GE, 5), 4, False),
        (Leaf("p", Operator.IN, ("a", "b")), "b", True),
        (Leaf("p", Operator.CONTAINS, ("x",)), ("y", "x"), True),
        (Leaf("p", Operator.CONTAINS, ("x",)), (), False),
        (Leaf("p", Operator.LT, dt.date(2020, 1, 1)), dt.date(2019, 5, 1), True),
        (Leaf("p", Operator.EQ, True), None, None),
        (Leaf("p", Operator.EXISTS, None), None, False),
        (Leaf("p", Operator.EXISTS, None), 0, True),
    ],
)
def test_leaf_truth_is_three_valued(leaf: Leaf, value: object, expected: object) -> None:
    assert leaf_truth(leaf, value) is expected  # type: ignore[arg-type]


def test_type_errors_say_what_was_expected() -> None:
    with pytest.raises(ValueError, match="expected one of"):
        _leaf("development.stage", "==", "phase_two")
    every_kind = {
        "effect": ["improvement", "substantial_improvement", "no_change", "worsening", "not_yet_measured"],
        "comparator": ["placebo", "active_control", "natural_history", "external_control", "prior_therapy", "baseline",
                       "none"],
    }
    with pytest.raises(ValueError, match="narrow it"):
        _leaf("clinical.endpoints", "contains", every_kind)
