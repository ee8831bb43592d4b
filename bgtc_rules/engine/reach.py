"""Which changes to a dossier a program can actually make, and how to say them.

The limits are data (`questions.yaml`, `changes:`; see `language.guide`): a fact of the disease or
the product is changed only while unknown, the stage and what has been done only move forward,
history stays, and some new items need the dossier to allow them (no active control where no
therapy is approved; no designation the program does not qualify for). A reachable change has a
*tier*, the order a consultant would suggest it in: obtaining a designation the program qualifies
for now (0), then evidence it could produce or an answer still missing (1), then a designation
whose own questions are still open (2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import FactType, FactValue, fact_catalog
from bgtc_rules.language.leaves import make_leaf
from bgtc_rules.language.normal_form import FactTest, leaf_tests
from bgtc_rules.language.spec import ChangeLimits, NewItemLimit

DESIGNATION_HELD = 0  # obtain a designation the program qualifies for now
EVIDENCE = 1          # produce evidence, move forward, or answer a question still open
DESIGNATION_OPEN = 2  # obtain a designation not decided yet, or not yet open (its window opens later)


def test_holds(test: FactTest, value: FactValue | None) -> bool:
    """Whether a normal-form test holds for a fact value (`None` is unknown).

    Examples:
        >>> from bgtc_rules.language.operators import Operator
        >>> test_holds(FactTest("p", Operator.GE, 5), 7), test_holds(FactTest("p", Operator.UNKNOWN), None)
        (True, True)
    """
    return test.test.holds(value, test.value)


def _moves_forward(fact: FactType, current: Any, value: Any) -> bool:
    """Whether `value` is `current` or later: schema order for a choice, no before yes, counts up."""
    if fact.kind == "enum":
        return fact.domain.index(value) >= fact.domain.index(current)
    if fact.kind in ("bool", "int", "float", "date"):
        before: Any = current
        return bool(value >= before)
    return True


def item_properties(signature: str) -> dict[str, str]:
    """`"program=fast_track;status=granted"` -> `{"program": "fast_track", "status": "granted"}`."""
    return dict(pair.partition("=")[::2] for pair in signature.split(";")) if signature else {}


@dataclass(frozen=True)
class Reach:
    """The limits on changes to one dossier: its facts, and what it qualifies for now."""

    limits: ChangeLimits
    facts: Mapping[str, FactValue | None]
    determinations: Mapping[str, Determination]

    def tier(self, path: str, current: Any, value: Any) -> int | None:
        """The tier of setting `path` from `current` to `value`; None when the program cannot make it."""
        if value == current:
            return DESIGNATION_HELD
        fact = fact_catalog()[path]
        if current is not None and path in self.limits.fixed:
            return None
        if current is not None and path in self.limits.forward and not _moves_forward(fact, current, value):
            return None
        if fact.kind != "items":
            return EVIDENCE
        before, after = set(current or ()), set(value or ())
        if path in self.limits.kept and not before <= after:
            return None
        tiers = [self.item_tier(path, signature) for signature in sorted(after - before)]
        if any(t is None for t in tiers):
            return None
        return max((t for t in tiers if t is not None), default=EVIDENCE)

    def item_tier(self, path: str, signature: str) -> int | None:
        """The tier of adding one item (by its signature) to the list at `path`."""
        properties = item_properties(signature)
        tier = EVIDENCE
        for limit in self.limits.new_items:
            if limit.fact != path or not _matches(limit, properties):
                continue
            if limit.only_if is not None and not self._holds(limit):
                return None
            if limit.program_qualifies is not None:
                named = self.determinations.get(properties.get(limit.program_qualifies, ""))
                if named is Determination.ELIGIBLE:
                    tier = min(tier, DESIGNATION_HELD)
                elif named in (Determination.UNDETERMINED, Determination.NOT_YET):
                    tier = DESIGNATION_OPEN
                else:
                    return None
        return tier

    def _holds(self, limit: NewItemLimit) -> bool:
        assert limit.only_if is not None
        leaf = make_leaf(limit.only_if, fact_catalog()[limit.only_if.fact])
        return any(test_holds(test, self.facts.get(test.path)) for test in leaf_tests(leaf, True))


def _matches(limit: NewItemLimit, properties: Mapping[str, str]) -> bool:
    return all(properties.get(name) in {str(v).lower() if isinstance(v, bool) else str(v) for v in values}
               for name, values in limit.where.items())


# --- saying a change in plain words ---------------------------------------------------------------


def _answer(labels: Mapping[str, Mapping[str, str]], path: str, value: Any) -> str:
    if value is None:
        return "not known yet"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_answer(labels, path, v) for v in value) if value else "none"
    return labels.get(path, {}).get(str(value), str(value).replace("_", " "))


def _item_words(labels: Mapping[str, Mapping[str, str]], path: str, signature: str) -> str:
    """An item in words: `kind` first, `comparator` as "compared with", `effect` as "showing"."""
    words = {name: labels.get(f"{path}[].{name}", {}).get(value, value.replace("_", " ")).lower()
             for name, value in item_properties(signature).items() if value != "not_applicable"}
    text = ", ".join(w for n, w in words.items() if n not in ("comparator", "effect"))
    if "comparator" in words:
        text += f", compared with {words['comparator']}"
    if "effect" in words:
        text += f", showing {words['effect']}"
    return text


def describe(path: str, current: Any, value: Any, *, tier: int, question: str,
             labels: Mapping[str, Mapping[str, str]], program_names: Mapping[str, str],
             determinations: Mapping[str, Determination] | None = None) -> str:
    """One change in plain words: what to obtain, add or answer, and what the dossier says now.

    `value` and `current` are fact values (item lists as signatures)."""
    fact = fact_catalog()[path]
    if fact.kind == "items":
        added = [s for s in (value or ()) if s not in set(current or ())]
        if path == "designations":
            parts = []
            for signature in added:
                named = item_properties(signature).get("program", "")
                name = program_names.get(named, named.replace("_", " "))
                standing = (determinations or {}).get(named)
                why = ("this program qualifies for it now" if tier == DESIGNATION_HELD
                       else "once it can be requested, if the program qualifies then"
                       if standing is Determination.NOT_YET
                       else "if it qualifies: its own questions are still open")
                parts.append(f"Obtain {name} ({why})")
            return "; ".join(parts)
        noun = {"clinical.endpoints": "an endpoint:"}.get(path, "an item:")
        return "; ".join(f"Add {noun} {_item_words(labels, path, s)}" for s in added) or question
    now = "not answered yet" if current is None else _answer(labels, path, current)
    answer = _answer(labels, path, value)
    return f"{question} {answer[:1].upper()}{answer[1:]} (now: {now})"
