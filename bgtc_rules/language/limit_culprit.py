"""Which rule to blame when the rule set breaks a limit of the rules engine: the one, in load
order, whose terms first make the set break it (a binary search over the rules loaded so far).
Used by `rulebase` when it reports an engine limit."""

from __future__ import annotations

from collections import Counter

from bgtc_rules.language.normal_form import LimitProblem, Term, network_problems
from bgtc_rules.language.tree import CompiledRule


def first_crossing(used: list[tuple[CompiledRule, Term]], limit: LimitProblem,
                   concluding: Counter[str]) -> CompiledRule | None:
    """The rule, in load order, whose terms first make the rule set break `limit`."""
    ends = [i + 1 for i in range(len(used)) if i + 1 == len(used) or used[i + 1][0] is not used[i][0]]

    def breaks(end: int) -> bool:
        rules = {rule.id: rule for rule, _ in used[:end]}.values()
        refuting = sum(1 for r in rules if r.concept and concluding[r.concept] > 1)
        return any(p.kind == limit.kind and p.subject == limit.subject
                   for p in network_problems([term for _, term in used[:end]], refuting))

    low, high = 0, len(ends) - 1
    if high < 0 or not breaks(ends[high]):
        return None
    while low < high:
        middle = (low + high) // 2
        if breaks(ends[middle]):
            high = middle
        else:
            low = middle + 1
    return used[ends[low] - 1][0]
