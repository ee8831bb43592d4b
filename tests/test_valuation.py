"""The generated valuation, the remembered determinations and the spliced JSON must agree with
the definitions they stand in for: `truth`, `determine_program` and `json.dumps(to_dict())`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import pickle
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bgtc_rules import RuleBase, dossier_from_mapping, evaluate, load_dossier
from bgtc_rules.advice.evaluation import clear_caches, references_for
from bgtc_rules.engine.backends.reference import ReferenceBackend
from bgtc_rules.engine.determine import Determiner, determine_program
from bgtc_rules.engine.evaluation import determiner_for
from bgtc_rules.engine.explain import Explainer
from bgtc_rules.engine.facts import dossier_facts
from bgtc_rules.language.catalog import base_path
from bgtc_rules.language.leaves import Leaf, Truth
from bgtc_rules.language.tree import AllNode, AnyNode, ConceptNode, NotNode, Situation, kleene_any, truth, walk
from bgtc_rules.language.wording import sentence

from .paths import SCENARIOS
from .strategies import dossiers

DATES = st.sampled_from([dt.date(2015, 6, 1), dt.date(2024, 6, 1), dt.date(2026, 11, 21), dt.date(2030, 1, 1)])
TRUTHS = st.sampled_from([True, False, None])


@functools.cache
def _rules() -> RuleBase:
    return RuleBase.load()


def _recursive_inference(rulebase: RuleBase, facts: Any, as_of: dt.date) -> tuple[dict[str, Truth], dict[str, Truth]]:
    """The definition: each rule's tree walked by `truth`, in dependency order."""
    concepts: dict[str, Truth] = {}
    outcomes: dict[str, Truth] = {}
    for rule in rulebase.rules:
        value = outcomes[rule.id] = truth(rule.root, Situation(facts, concepts, as_of))
        if rule.concept:
            concepts[rule.concept] = kleene_any([concepts.get(rule.concept, False), value])
    return outcomes, concepts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=dossiers(), as_of=DATES)
def test_every_node_has_the_value_truth_gives_it(data: dict[str, Any], as_of: dt.date) -> None:
    rulebase = _rules()
    facts = dossier_facts(dossier_from_mapping(data))
    outcomes, concepts = _recursive_inference(rulebase, facts, as_of)
    valuation = rulebase.valuation.evaluate(facts, as_of)
    assert dict(valuation.concepts) == concepts
    situation = Situation(facts, concepts, as_of)
    for rule in rulebase.rules:
        assert valuation[rule.root] is outcomes[rule.id], rule.id
        for node in walk(rule.root):
            assert valuation[node] is truth(node, situation), (rule.id, node)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=dossiers(), as_of=DATES, chosen=st.data())
def test_given_concepts_are_read_not_derived(data: dict[str, Any], as_of: dt.date, chosen: st.DataObject) -> None:
    """Another backend's concept values, whatever they are, are what concept nodes read."""
    rulebase = _rules()
    facts = dossier_facts(dossier_from_mapping(data))
    concepts = {name: chosen.draw(TRUTHS) for name in sorted(rulebase.concepts)}
    valuation = rulebase.valuation.evaluate(facts, as_of, concepts)
    situation = Situation(facts, concepts, as_of)
    for rule in rulebase.rules:
        for node in walk(rule.root):
            assert valuation[node] is truth(node, situation), (rule.id, node)


def test_a_rule_base_pickles_without_its_generated_code() -> None:
    rulebase = RuleBase.load()
    assert rulebase.valuation is not None  # built, and held by the instance
    copy = pickle.loads(pickle.dumps(rulebase))
    assert "valuation" not in copy.__dict__
    assert copy.digest == rulebase.digest and copy.valuation.rule_slots == rulebase.valuation.rule_slots


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(dossiers(), min_size=2, max_size=4), as_of=DATES)
def test_remembered_determinations_equal_fresh_ones(data: list[dict[str, Any]], as_of: dt.date) -> None:
    """One determiner over several dossiers (so cases are shared) gives what each computes afresh."""
    rulebase = _rules()
    determiner = Determiner(rulebase)
    backend = ReferenceBackend(rulebase)
    for mapping in data:
        facts = dossier_facts(dossier_from_mapping(mapping))
        inference = backend.infer(facts, as_of)
        explainer = Explainer(rulebase, facts, inference)
        remembered = determiner.determine(rulebase, inference, explainer)
        fresh = tuple(determine_program(p, rulebase, inference, Explainer(rulebase, facts, inference))
                      for p in sorted(rulebase.programs.values(), key=lambda p: p.id))
        assert remembered == fresh


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(dossiers(), min_size=1, max_size=3), as_of=DATES)
def test_a_determiner_serves_another_load_of_the_same_rules(data: list[dict[str, Any]], as_of: dt.date) -> None:
    """The determiner (and backend) built for one load of the rules, asked with another load of the
    same files (as the engine of their digest is), explains with the rule base it is given."""
    first, second = _rules(), RuleBase.load()
    assert first is not second and first.digest == second.digest
    determiner, backend = Determiner(first), ReferenceBackend(first)
    for mapping in data:
        facts = dossier_facts(dossier_from_mapping(mapping))
        inference = backend.infer(facts, as_of)
        remembered = determiner.determine(second, inference, Explainer(second, facts, inference))
        fresh = tuple(determine_program(p, second, inference, Explainer(second, facts, inference))
                      for p in sorted(second.programs.values(), key=lambda p: p.id))
        assert remembered == fresh


def _ids(value: Any, prefix: str) -> set[str]:
    if isinstance(value, dict):
        return {i for v in value.values() for i in _ids(v, prefix)}
    if isinstance(value, list):
        return {i for v in value for i in _ids(v, prefix)}
    return {value} if isinstance(value, str) and value[:1] == prefix and value[1:].isdigit() else set()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(dossiers(), min_size=2, max_size=3), as_of=DATES)
def test_compact_json_is_the_export_written_compactly(data: list[dict[str, Any]], as_of: dt.date) -> None:
    rulebase = _rules()
    citation_ids: dict[str, Any] = {}
    for mapping in data:
        assessment = evaluate(dossier_from_mapping(mapping), rulebase, as_of=as_of, backend="reference")
        exported = assessment.to_dict()
        expected = json.dumps(exported, ensure_ascii=False, separators=(",", ":")) + "\n"
        assert assessment.to_json(indent=None) == expected
        assert assessment.to_json(indent=None) == expected  # again, from the remembered parts
        # Every id used is listed, every listed id is used, and an id means one source everywhere.
        body = {k: v for k, v in exported.items() if k not in ("sources", "caveats")}
        cited = {part: _ids(body[part], "c") for part in ("programs", "fired_rules", "course", "benefits")}
        assert set().union(*cited.values()) == set(exported["sources"])
        assert _ids(body["programs"], "k") == set(exported["caveats"])
        for key, source in exported["sources"].items():
            assert citation_ids.setdefault(key, source) == source


def test_clearing_the_caches_forgets_cases_and_changes_no_answer() -> None:
    rulebase = _rules()
    dossier = load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")
    first = evaluate(dossier, rulebase, as_of=dt.date(2026, 11, 21), backend="reference")
    first_json = first.to_json(indent=None)
    assert any(determiner_for(rulebase)._memo.values()) and references_for(rulebase).written
    clear_caches()
    assert not any(determiner_for(rulebase)._memo.values()) and not references_for(rulebase).written
    again = evaluate(dossier, rulebase, as_of=dt.date(2026, 11, 21), backend="reference")
    assert again == first and again.to_json(indent=None) == first_json


def test_a_full_memory_of_cases_still_gives_fresh_answers(monkeypatch: Any) -> None:
    """With room for two cases per program, cases are forgotten and worked out again, unchanged."""
    monkeypatch.setattr(Determiner, "LIMIT", 2)
    monkeypatch.setattr(Determiner, "RULE_LIMIT", 4)
    rulebase = _rules()
    determiner, backend = Determiner(rulebase), ReferenceBackend(rulebase)
    for name in sorted(p.name for p in SCENARIOS.glob("*.yaml")):
        facts = dossier_facts(load_dossier(SCENARIOS / name))
        inference = backend.infer(facts, dt.date(2026, 11, 21))
        remembered = determiner.determine(rulebase, inference, Explainer(rulebase, facts, inference))
        fresh = tuple(determine_program(p, rulebase, inference, Explainer(rulebase, facts, inference))
                      for p in sorted(rulebase.programs.values(), key=lambda p: p.id))
        assert remembered == fresh
        assert all(len(memo) <= 2 for memo in determiner._memo.values()) and len(determiner._rule_memo) <= 4


def test_rule_parts_without_dossier_text_are_written_once_and_stay_right() -> None:
    """Results with no failed condition and no missing fact are written once per rule base and
    kept when the caches are cleared; a caveat the rule base does not list still gets its own id."""
    rulebase = _rules()
    for name in sorted(p.name for p in SCENARIOS.glob("*.yaml"))[:4]:
        clear_caches()
        assessment = evaluate(load_dossier(SCENARIOS / name), rulebase, as_of=dt.date(2026, 11, 21),
                              backend="reference")
        expected = json.dumps(assessment.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
        assert assessment.to_json(indent=None) == expected
    clear_caches()
    assert references_for(rulebase).plain_rules  # constants of the rule base, not cases
    index, plain = next((i, r) for i, p in enumerate(assessment.programs) for r in p.rules
                        if r.value is not False and not r.missing)
    odd = dataclasses.replace(plain, caveats=("A caveat no rule carries.",))
    programs = list(assessment.programs)
    programs[index] = dataclasses.replace(programs[index], rules=tuple(odd if r is plain else r
                                                                       for r in programs[index].rules))
    changed = dataclasses.replace(assessment, programs=tuple(programs))
    exported = changed.to_dict()
    assert "A caveat no rule carries." in exported["caveats"].values()
    assert changed.to_json(indent=None) == json.dumps(exported, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_results_that_read_nothing_of_the_dossier_are_made_once_per_rule_base() -> None:
    """Held rules, unknown ones nobody asks about and refuted exclusions or windows are the same
    objects for every dossier, kept when the cases are forgotten, and equal to fresh results."""
    rulebase = _rules()
    determiner, backend = Determiner(rulebase), ReferenceBackend(rulebase)
    seen: dict[tuple[str, Truth], Any] = {}
    for name in sorted(p.name for p in SCENARIOS.glob("*.yaml")):
        facts = dossier_facts(load_dossier(SCENARIOS / name))
        inference = backend.infer(facts, dt.date(2026, 11, 21))
        remembered = determiner.determine(rulebase, inference, Explainer(rulebase, facts, inference))
        determiner.forget()
        fresh = tuple(determine_program(p, rulebase, inference, Explainer(rulebase, facts, inference))
                      for p in sorted(rulebase.programs.values(), key=lambda p: p.id))
        assert remembered == fresh
        for program in remembered:
            for result in program.rules:
                asked_why = (program.determination.value == "undetermined" if result.value is None else
                             result.value is False and rulebase.by_id[result.rule_id].outcome.value == "eligible")
                if not asked_why:
                    assert seen.setdefault((result.rule_id, result.value), result) is result
    assert len(seen) > 50


Asked = tuple[str, str, tuple[str, ...]]  # fact, rule, chain of concepts


def _missing_by_definition(rulebase: RuleBase, rule: Any, situation: Situation) -> list[Asked]:
    """The definition of the facts missing behind a rule: left to right through the unknown
    all/any/not nodes to the unknown facts, and through each unknown concept to the facts behind
    the rules concluding it, each rule visited once, each fact kept as first met (fact, rule, via)."""
    found: dict[str, Asked] = {}
    seen: set[str] = set()

    def unknown_ends(node: Any) -> list[Any]:
        if truth(node, situation) is not None:
            return []
        if isinstance(node, (AllNode, AnyNode)):
            return [end for part in node.parts for end in unknown_ends(part)]
        if isinstance(node, NotNode):
            return unknown_ends(node.part)
        return [node]

    def collect(rule: Any, via: tuple[str, ...]) -> None:
        if rule.id in seen or truth(rule.root, situation) is not None:
            return
        seen.add(rule.id)
        for node in unknown_ends(rule.when):
            if isinstance(node, Leaf):
                found.setdefault(base_path(node.path), (base_path(node.path), rule.id, via))
            elif isinstance(node, ConceptNode):
                for dependency in rulebase.concepts.get(node.concept, ()):
                    collect(dependency, (*via, node.concept))

    collect(rule, ())
    return list(found.values())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=dossiers(), as_of=DATES)
def test_the_missing_facts_are_those_of_the_definition(data: dict[str, Any], as_of: dt.date) -> None:
    """`Explainer.missing`, which works out what lies behind each concept once per dossier, gives
    the facts (with their rule and chain of concepts) of the walk that visits each rule once."""
    rulebase = _rules()
    facts = dossier_facts(dossier_from_mapping(data))
    inference = ReferenceBackend(rulebase).infer(facts, as_of)
    explainer = Explainer(rulebase, facts, inference)
    situation = Situation(facts, dict(inference.concepts), as_of)
    for rule in rulebase.rules:
        if rule.program and inference.outcomes[rule.id] is None:
            got = [(m.path, m.rule_id, m.via) for m in explainer.missing(rule)]
            assert got == _missing_by_definition(rulebase, rule, situation), rule.id


def _false_texts(node: Any, situation: Situation, words: Any) -> list[str]:
    """The definition of a refuted condition's reasons: its false parts, through all/any, each in
    the sentence of what is the case."""
    if truth(node, situation) is not False:
        return []
    if isinstance(node, (AllNode, AnyNode)):
        return [text for part in node.parts for text in _false_texts(part, situation, words)]
    return [sentence(node, False, words)]


def test_failed_conditions_are_the_false_parts_in_words_for_every_dossier() -> None:
    """The why-not's texts, kept per rule base, are each dossier's own false conditions."""
    rulebase = _rules()
    backend = ReferenceBackend(rulebase)
    as_of = dt.date(2026, 11, 21)
    for name in sorted(p.name for p in SCENARIOS.glob("*.yaml")) * 2:
        facts = dossier_facts(load_dossier(SCENARIOS / name))
        inference = backend.infer(facts, as_of)
        explainer = Explainer(rulebase, facts, inference)
        situation = Situation(facts, dict(inference.concepts), as_of)
        for rule in rulebase.rules:
            if inference.outcomes[rule.id] is False and truth(rule.in_force, situation) is not False:
                assert explainer.failed(rule) == _false_texts(rule.when, situation, rulebase.concept_words), \
                    (name, rule.id)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=dossiers(), as_of=DATES)
def test_the_reference_backend_reads_every_outcome_off_the_valuation(data: dict[str, Any], as_of: dt.date) -> None:
    """Outcomes by the definition, in the rules' order; a firing for each rule that holds, in order."""
    rulebase = _rules()
    facts = dossier_facts(dossier_from_mapping(data))
    inference = ReferenceBackend(rulebase).infer(facts, as_of)
    outcomes, concepts = _recursive_inference(rulebase, facts, as_of)
    assert list(inference.outcomes.items()) == list(outcomes.items()) and dict(inference.concepts) == concepts
    assert [f.rule_id for f in inference.firings] == [rule.id for rule in rulebase.rules if outcomes[rule.id]]
    assert all(f.derived == (rulebase.by_id[f.rule_id].concept or f"{rulebase.by_id[f.rule_id].program}: "
                             f"{rulebase.by_id[f.rule_id].outcome}") for f in inference.firings)


def test_the_same_case_is_met_again_for_a_program_of_one_rule_and_of_many() -> None:
    """A case key made from the rules' outcomes and node values finds the case again."""
    rulebase = _rules()
    determiner, backend = Determiner(rulebase), ReferenceBackend(rulebase)
    facts = dossier_facts(load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml"))
    inference = backend.infer(facts, dt.date(2026, 11, 21))
    first = determiner.determine(rulebase, inference, Explainer(rulebase, facts, inference))
    again = determiner.determine(rulebase, inference, Explainer(rulebase, facts, inference))
    assert all(a is b for a, b in zip(first, again, strict=True))
    assert {len(rulebase.program_rules(p.program)) == 1 for p in first} == {True, False}
