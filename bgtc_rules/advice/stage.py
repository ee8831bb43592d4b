"""Which questions can matter at a program's stage, derived from the rules (never from a list).

Given only the development stage, every rule is evaluated in three-valued logic: a rule that is
refuted by the stage alone (a complete response letter before any BLA; an INTERACT meeting after
the IND) cannot hold at this stage. A program is open at this stage when some way to its
eligibility leaves the stage as it is (`engine.counterfactual.can_become_eligible`): a fact matters
to it when one of its rules reads it, directly or through concepts, and that rule is not refuted by
the stage. A program too early for this stage (RMAT before the IND) is open later, when the stage
moves forward: only the lasting facts of the disease and the product (questions.yaml
`changes.fixed`) read by its rules that the stage does not refute matter to it now, so that its
criteria can be planned for; situational questions (a dispute, a stalled program) wait for the
stage where they can apply. A program whose window has
passed matters no more. The interview asks about nothing else. Unknown stage: everything may matter.

Examples:
    >>> import datetime as dt
    >>> from bgtc_rules import RuleBase
    >>> at_ind = facts_that_matter(RuleBase.load(), dt.date(2026, 12, 6), "ind_active")
    >>> "development.non_approval_action_received" in set().union(*at_ind.values())
    False
    >>> "mtg_interact" in at_ind, "rmat" in at_ind
    (False, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bgtc_rules.base.memo import remember
from bgtc_rules.dossier.loading import dossier_from_mapping
from bgtc_rules.engine.counterfactual import can_become_eligible
from bgtc_rules.engine.facts import dossier_facts
from bgtc_rules.engine.rule_engine import engine_for
from bgtc_rules.language.catalog import base_path
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.tree import CompiledRule, Situation, truth

STAGE_PATH = "development.stage"
CACHE_ENTRIES = 64

Mattering = dict[str, frozenset[str]]  # program id -> the dossier fields that can still change it


def _refuted_by_stage(rules: RuleBase, as_of: dt.date, stage: str) -> set[str]:
    """Ids of the rules that the stage alone refutes."""
    facts = dossier_facts(dossier_from_mapping({"schema_version": 1, "program": {"name": "stage"},
                                                "development": {"stage": stage}}, "<stage>"))
    concepts: dict[str, Truth] = {}
    values: dict[str, Truth] = {}
    for rule in rules.rules:  # dependency order: a concept is concluded before it is read
        values[rule.id] = truth(rule.root, Situation(facts, concepts, as_of))
        if rule.concept is not None:
            concepts[rule.concept] = _any([values[r.id] for r in rules.concepts.get(rule.concept, ())
                                           if r.id in values])
    return {rule_id for rule_id, value in values.items() if value is False}


def _any(values: list[Truth]) -> Truth:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _facts_read(rules: RuleBase, rule: CompiledRule, refuted: set[str], seen: set[str]) -> set[str]:
    found = {base_path(leaf.path) for leaf in rule.leaves()}
    for concept in rule.concepts_read():
        for concluding in rules.concepts.get(concept, ()):
            if concluding.id not in refuted and concluding.id not in seen:
                seen.add(concluding.id)
                found |= _facts_read(rules, concluding, refuted, seen)
    return found


def facts_that_matter(rules: RuleBase, as_of: dt.date, stage: str) -> Mapping[str, frozenset[str]]:
    """Program id -> the dossier fields that can still change its determination at `stage`, for
    the programs that can be eligible at it (a program missing here cannot)."""
    # Kept by the rule base's engine, per date and stage (dates come and go in a long-running process).
    engine = engine_for(rules)
    known: dict[tuple[dt.date, str], Mattering] = engine.kept("facts that matter at a stage", dict)
    key = (as_of, stage)
    found = known.get(key)
    if found is None:
        found = _facts_that_matter(rules, as_of, stage)
        with engine.lock:
            remember(known, key, found, CACHE_ENTRIES)
    return found


def _facts_that_matter(rules: RuleBase, as_of: dt.date, stage: str) -> Mattering:
    refuted = _refuted_by_stage(rules, as_of, stage)
    facts = dossier_facts(dossier_from_mapping({"schema_version": 1, "program": {"name": "stage"},
                                                "development": {"stage": stage}}, "<stage>"))
    found: Mattering = {}
    lasting = set(rules.changes.fixed)
    for program in rules.programs:
        if can_become_eligible(rules, facts, program, as_of, fixed=(STAGE_PATH,)):
            read: set[str] = set()
            for rule in rules.program_rules(program):
                if rule.id not in refuted:
                    read |= _facts_read(rules, rule, refuted, set())
            found[program] = frozenset(read)
        elif can_become_eligible(rules, facts, program, as_of, forward=(STAGE_PATH,)):
            read = set()
            for rule in rules.program_rules(program):
                if rule.id not in refuted:
                    read |= _facts_read(rules, rule, refuted, set())
            found[program] = frozenset(read & lasting)
    return found
