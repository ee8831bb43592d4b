"""durable-rules limits are never hit silently.

Facts are one small fact per dossier path, so a dossier cannot reach the engine's per-fact limits
(proved over the catalogue below). Rule sets can reach the network limits: rule loading refuses
them (`normal_form.network_problems`), and the backend checks every ruleset again before the engine
sees it (`durable_limits.network_problems`), with the thresholds measured against the engine here: at the
limit it works, one past it is refused before it could hang, crash or fail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bgtc_rules import RuleBase, dossier_from_mapping, evaluate, load_dossier
from bgtc_rules.base.errors import EngineError
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.backends import durable_available
from bgtc_rules.engine.backends.reference import ReferenceBackend
from bgtc_rules.engine.facts import dossier_facts
from bgtc_rules.language.catalog import fact_catalog
from bgtc_rules.language.normal_form import (
    MAX_BRANCHES,
    MAX_MATCHES,
    MAX_SHARING,
    MAX_TESTS_PER_FACT,
    ConceptTest,
    FactTest,
    Term,
    network_problems,
    terms,
)
from bgtc_rules.language.operators import Operator

from .paths import AS_OF, ROOT, SCENARIOS

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules is not importable here")

if durable_available():
    from durable.engine import MessageNotHandledException, MessageObservedException

    from bgtc_rules.engine.backends import durable, durable_limits, durable_ruleset
    from bgtc_rules.engine.backends.durable_sections import Layout

Definition = dict[str, Any]


# -- facts: a dossier cannot reach the per-fact limits -------------------------------------------

def _engine_properties(fact: dict[str, Any]) -> int:
    """Properties as the engine counts them: a nested object 1 + its own, a list 1."""
    return sum(1 + (_engine_properties(v) if isinstance(v, dict) else 0) for v in fact.values())


def _check_fact(fact: dict[str, Any]) -> None:
    """What the engine would drop, mis-compare or crash on (see shared/notes/durable-rules.md)."""
    assert "id" not in fact, "a fact's 'id' becomes its identity"
    assert _engine_properties(fact) + 1 <= 254, "at most 254 properties, the generated id included"
    for key, value in fact.items():
        assert key and key[0] != "$" and "." not in key
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                assert len(item.encode()) <= 65_535, "longer strings compare on length mod 65,536"
            elif isinstance(item, float):
                assert math.isfinite(item)
            elif isinstance(item, int) and not isinstance(item, bool):
                assert -(2**63) <= item < 2**63


def _schema_nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schema_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_nodes(value)


def test_the_schema_bounds_every_string_and_integer_a_fact_can_carry() -> None:
    nodes = list(_schema_nodes(Dossier.model_json_schema()))
    strings = [n for n in nodes if n.get("type") == "string" and "enum" not in n and "format" not in n]
    integers = [n for n in nodes if n.get("type") == "integer" and "const" not in n]
    assert strings and integers
    for node in strings:  # 4 bytes per character at most in UTF-8
        assert 4 * node["maxLength"] <= 65_535, node
    for node in integers:
        assert node["minimum"] >= 0 and node["maximum"] < 2**63, node


def _largest_dossier() -> dict[str, Any]:
    """Every field filled: strings at their longest in 4-byte characters, lists with every kind of item."""
    wide = "\U0001f9ec"
    endpoint_kinds = [
        {"name": f"Endpoint {i}", "kind": kind, "surrogate_status": status, "comparator": comparator, "effect": effect}
        for i, (kind, status, comparator, effect) in enumerate(
            (k, s, c, e) for k in ("clinical", "intermediate_clinical", "surrogate", "biomarker")
            for s in ("not_applicable", "validated", "reasonably_likely", "novel")
            for c in ("placebo", "active_control", "natural_history", "external_control", "prior_therapy", "baseline",
                      "none")
            for e in ("substantial_improvement", "improvement", "no_change", "worsening", "not_yet_measured"))
    ]
    data = load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml").model_dump(mode="json")
    data["program"].update(name=wide * 200, sponsor=wide * 200, capsid=wide * 100,
                           national_priorities=[p for p in Dossier.model_json_schema()["$defs"]["NationalPriority"]
                                                ["enum"]])
    data["indication"].update(disease=wide * 200, seriousness_rationale=wide * 2000, us_prevalence=10**9)
    data["clinical"].update(patients_dosed=10**9, endpoints=endpoint_kinds)
    data["therapy_landscape"]["available_therapies"] = [
        {"name": wide * 200, "accelerated_approval_unverified": flag} for flag in (True, False)] * 50
    data["designations"] = [{"program": p, "status": s, "date": "2025-01-01"}
                            for p in ("rmat", "fast_track", "orphan_drug_designation")
                            for s in ("planned", "requested", "granted", "denied", "rescinded")]
    return data


def test_no_dossier_can_make_a_fact_the_engine_cannot_hold(rulebase: RuleBase) -> None:
    dossier = dossier_from_mapping(_largest_dossier())
    values = dossier_facts(dossier)
    facts = Layout(fact_catalog()).facts(values, 0, "s0")  # every catalogue path, not only those read
    known = sum(1 for path in fact_catalog() if values[path] is not None)  # an unknown value is left out
    assert sum(len(f) - 3 for f in facts) == known + sum(1 for f in facts for v in f.values()
                                                         if isinstance(v, list))  # + lengths
    assert max(len(v) for f in facts for v in f.values() if isinstance(v, list)) >= 480  # every endpoint kind
    for fact in facts:
        _check_fact(fact)
    durable_result = evaluate(dossier, rulebase, as_of=AS_OF, backend="durable-rules").to_dict()
    reference_result = evaluate(dossier, rulebase, as_of=AS_OF, backend="reference").to_dict()
    durable_result.pop("backend"), reference_result.pop("backend")
    assert durable_result == reference_result


# -- the network: thresholds measured against the engine ------------------------------------------

def _run(definition: Definition, facts: list[dict[str, Any]]) -> int:
    """Register `definition` on a fresh host, assert `facts` in one session, return how many rules fired."""
    fired: list[str] = []
    host = durable._SyncHost()
    ruleset = {name: {"all": rule["all"], "run": _recorder(fired, name)} for name, rule in definition.items()}
    ruleset["end"] = {"all": [{"m": {"t": "end"}}], "run": lambda c: None}
    durable_limits.HANDLES.register(host, "limits", ruleset)
    try:
        with contextlib.suppress(MessageNotHandledException, MessageObservedException):
            host.assert_facts("limits", [dict(f, sid="1") for f in facts])  # some facts no rule reads
        host.assert_fact("limits", {"sid": "1", "t": "end"})
    finally:
        host.delete_state("limits", "1")
    return len(fired)


def _recorder(fired: list[str], name: str) -> Callable[[Any], None]:
    def run(c: Any) -> None:
        fired.append(name)
    return run


def _branches(n: int) -> Definition:
    """`n` rules, each testing a different outcome fact `{t: r, i: k}` under one node."""
    return {f"r{k}": {"all": [{"m": {"$and": [{"t": "r"}, {"i": k}]}}]} for k in range(n)}


def _concepts(n: int) -> Definition:
    """`n` rules, each reading a different concept `{t: c, n: name}` under one node."""
    return {f"r{k}": {"all": [{"m": {"$and": [{"t": "c"}, {"n": f"concept{k}"}, {"v": True}]}}]} for k in range(n)}


def _pending(n: int) -> Definition:
    """`n` thresholds that one fact passes all at once."""
    return {f"r{k}": {"all": [{"m": {"$and": [{"t": "f"}, {"$gt": {"v": k}}]}}]} for k in range(n)}


def _node_rules(n: int) -> Definition:
    """`n` rules ending in one identical condition."""
    return {f"r{k}": {"all": [{"m": {"$and": [{"t": "f"}, {"v": 1}]}}]} for k in range(n)}


def _rules(n: int) -> Definition:
    """`n` rules spread so that no node is crowded (the end marker comes on top)."""
    return {f"r{k}": {"all": [{"m": {"$and": [{"t": "f"}, {"a": k // 400}, {"v": k % 400}]}}]} for k in range(n)}


LIMITS: list[tuple[str, Callable[[int], Definition], int, str, list[dict[str, Any]], int]] = [
    # name, definition of size n, the limit, refusal wording, facts at the limit, rules that then fire
    ("outcome facts under one node", _branches, 511, "tests branch from one node", [{"t": "r", "i": 3}], 1),
    ("concept names under one node", _concepts, 511, "tests branch from one node",
     [{"t": "c", "n": "concept7", "v": True}], 1),
    ("tests pending for one fact", _pending, 64, "tests pending at once", [{"t": "f", "v": 10**6}], 64),
    ("rules ending in one node", _node_rules, 255, "rule conditions end from one node", [{"t": "f", "v": 1}], 255),
]


def _run_apart(case: int) -> int:
    """`_run` on the `case`-th of `LIMITS` at its limit, in a fresh interpreter. The engine's C core
    keeps its tables in process-wide memory; once, in CI, every ruleset registered after these
    probes had run was refused (error 102) until the session ended. Filling a table to the brim is
    the likeliest cause, so the probe runs apart from the rest of the session."""
    code = ("import sys; from tests.test_engine_limits import LIMITS, _run; "
            f"_, build, limit, _, facts, _ = LIMITS[{case}]; print(_run(build(limit), facts))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return int(result.stdout.split()[-1])


@pytest.mark.parametrize(("case", "name", "build", "limit", "refusal", "facts", "fired"),
                         [(i, *x) for i, x in enumerate(LIMITS)], ids=[x[0] for x in LIMITS])
def test_at_the_limit_the_engine_works_and_one_past_it_is_refused(
        case: int, name: str, build: Callable[[int], Definition], limit: int, refusal: str,
        facts: list[dict[str, Any]], fired: int) -> None:
    assert durable_limits.network_problems(build(limit)) == []
    assert _run_apart(case) == fired  # past this the engine hangs, fails with 303, or crashes
    problems = durable_limits.network_problems(build(limit + 1))
    assert len(problems) == 1 and refusal in problems[0]


def test_rules_per_ruleset_expression_slots_and_joined_facts_are_checked() -> None:
    assert durable_limits.network_problems(_rules(durable_limits.MAX_RULES)) == []
    too_many = durable_limits.network_problems(_rules(durable_limits.MAX_RULES + 1))
    assert "rules in one ruleset (at most 4096)" in too_many[0]
    many_or = {"$and": [{"t": "f"}, *({"$or": [{"v": k}, {"v": -k}]} for k in range(15))]}  # 2 + 15 * 2 slots
    assert "32 expression slots" in durable_limits.network_problems({"r": {"all": [{"m": many_or}]}})[0]
    joined = {"r": {"all": [{f"m{k}": {"$and": [{"t": "f"}, {"p": f"x{k}"}]}} for k in range(17)]}}
    assert "joins 17 facts" in durable_limits.network_problems(joined)[0]


def test_bundled_rules_fit_with_room_on_every_date(rulebase: RuleBase) -> None:
    class Host:
        def set_rulesets(self, definitions: dict[str, Any]) -> None:
            pass

    for as_of in (dt.date(2015, 6, 1), AS_OF, dt.date(2030, 1, 1)):
        rules = [r for r in rulebase.rules if r.in_force.holds(as_of)]
        compiled = durable_ruleset.CompiledRuleset(Host(), "check", rules)
        assert durable_limits.network_problems(compiled.definition) == []
    every_term = [t for r in rulebase.rules for want in (True, False) for t in terms(r.when, want)]
    assert network_problems(every_term, refuting_rules=0) == []


# -- rule loading refuses what the network could not hold -----------------------------------------

def _fact(path: str, test: Operator = Operator.EQ, value: Any = 1) -> FactTest:
    return FactTest(path, test, value)


@pytest.mark.parametrize(
    ("all_terms", "refuting", "expected"),
    [
        ([(ConceptTest(f"c{k}", True),) for k in range(MAX_BRANCHES + 1)], 0, "concepts are read"),
        ([], MAX_BRANCHES + 1, "rules conclude a concept that other rules conclude too"),
        ([(_fact("indication.serious"),)] * (MAX_SHARING + 1), 0, "matches end in the same test"),
        ([(_fact("clinical.patients_dosed", Operator.IN, tuple(range(MAX_BRANCHES + 1))),)], 0,
         "values and conditions"),
        ([(_fact("clinical.endpoints", Operator.CONTAINS, ("x",)),)] * (MAX_TESTS_PER_FACT + 1), 0, "different ways"),
        ([(_fact(f"p{k % 100}", Operator.EQ, k),) for k in range(MAX_MATCHES)], 0, "matches (at most 4000)"),
    ],
    ids=["concepts", "refuting rules", "shared condition", "in values", "contains at once", "matches"],
)
def test_rule_sets_past_a_network_limit_are_refused_at_load(all_terms: list[Term], refuting: int,
                                                           expected: str) -> None:
    problems = network_problems(all_terms, refuting)
    assert [p for p in problems if expected in p.message], problems
    assert network_problems(all_terms[: len(all_terms) - 1], max(0, refuting - 1)) == []  # one less fits


# -- rulesets: one per rule base and set of rules in force, counted against the handle table -----

def _dated_rules(write: Callable[[dict[str, str]], Path]) -> RuleBase:
    rule = """
  - id: {id}
    title: {id}
    conclude: {{concept: {id}}}
    when: {{fact: indication.serious, op: '==', value: true}}
    explanation: A dated rule.
    citations: [{{document: Test source, section: '1'}}]
    effective_from: {start}
    {until}
"""
    text = "questions: {indication.serious: 'Serious?'}\nrules:" + "".join(
        rule.format(id=f"dated{k}", start=f"{2020 + k}-01-01", until=f"effective_until: {2030 + k}-12-31")
        for k in range(3))
    return RuleBase.load([write({"dated.yaml": text})], include_bundled=False)


def test_rulesets_are_bounded_by_the_rule_base_and_never_leaked(write_rules: Callable[[dict[str, str]], Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _dated_rules(write_rules)
    backend = durable.DurableBackend(rules)
    facts = dossier_facts(dossier_from_mapping({"program": {"name": "X"}, "indication": {"serious": True}}))
    ends = {r.spec.effective_until + dt.timedelta(days=1) for r in rules.rules if r.spec.effective_until}
    boundaries = sorted({r.spec.effective_from for r in rules.rules} | ends)
    before = durable_limits.HANDLES.used
    for day in [dt.date(2000, 1, 1), *boundaries, dt.date(2100, 1, 1)] * 3:
        backend.infer(facts, day)
    # 3 rules with 6 distinct boundaries give at most 7 sets in force; repeats register nothing new
    assert durable_limits.HANDLES.used - before == len(backend._compiled) <= 2 * len(rules.rules) + 1
    monkeypatch.setattr(durable_limits, "MAX_HANDLES", durable_limits.HANDLES.used)
    fresh = durable.DurableBackend(rules)
    with pytest.raises(EngineError, match="the most the engine can hold"):
        fresh.infer(facts, dt.date(2025, 6, 1))
    backend.infer(facts, dt.date(2025, 6, 1))  # rulesets already registered keep working


def test_the_kept_network_check_answers_as_the_check_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BGTC_CACHE_DIR", str(tmp_path))
    too_many = _rules(durable_limits.MAX_RULES + 1)
    fits = _rules(3)
    for _ in range(2):  # worked out, then read back from the cache
        assert durable_limits.checked_network(too_many) == durable_limits.network_problems(too_many) != []
        assert durable_limits.checked_network(fits) == []
    assert list(tmp_path.glob("rules-*.json"))


def test_a_refused_ruleset_is_not_registered_again(rulebase: RuleBase, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []

    def refuse(definition: Definition) -> list[str]:
        attempts.append(len(definition))
        return ["a synthetic problem"]

    monkeypatch.setattr(durable_ruleset, "checked_network", refuse)
    backend = durable.DurableBackend(rulebase)
    facts = dossier_facts(load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml"))
    for _ in range(3):
        with pytest.raises(EngineError, match="a synthetic problem"):
            backend.infer(facts, AS_OF)
    assert len(attempts) == 2 and attempts[0] < attempts[1]  # built once, false terms merged then not; never again


def test_a_bare_refusal_is_tried_again_after_a_throwaway_ruleset(rulebase: RuleBase,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The C core's occasional `error code: 102` (see `DurableBackend._register`): the backend
    registers a throwaway ruleset and tries again, up to `REGISTRATION_ATTEMPTS` times.

    The synthetic refusals leave the real registration one attempt in reserve: it can meet the
    real refusal this guards against, and must then be tried again like any other."""
    real = durable.CompiledRuleset
    refusals = iter(range(durable_limits.REGISTRATION_ATTEMPTS - 2))

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if next(refusals, None) is not None:
            raise RuntimeError("Could not create ruleset, error code: 102")  # what the C core raises
        return real(*args, **kwargs)

    monkeypatch.setattr(durable, "CompiledRuleset", flaky)
    facts = dossier_facts(load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml"))
    before = durable_limits.HANDLES.used
    backend = durable.DurableBackend(rulebase)
    reference = ReferenceBackend(rulebase).infer(facts, AS_OF)
    assert backend.infer(facts, AS_OF).outcomes == reference.outcomes
    assert durable_limits.HANDLES.used - before >= durable_limits.REGISTRATION_ATTEMPTS - 1  # throwaways and it

    attempts: list[int] = []

    def refused(*args: Any, **kwargs: Any) -> Any:
        attempts.append(1)
        raise RuntimeError("Could not create ruleset, error code: 102")

    always = durable.DurableBackend(rulebase)
    monkeypatch.setattr(durable, "CompiledRuleset", refused)
    for _ in range(2):
        with pytest.raises(EngineError, match="code: 102"):
            always.infer(facts, AS_OF)
    assert len(attempts) == durable_limits.REGISTRATION_ATTEMPTS  # and not again: remembered as refused


# -- memory ---------------------------------------------------------------------------------------

def test_memory_stays_flat_over_many_evaluations() -> None:
    """benchmarks/soak.py, shortened: resident memory after warm-up grows by less than 10%."""
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "soak.py"), "--count", "400", "--warmup", "100",
                             "--max-growth", "10"], capture_output=True, text=True, check=False, timeout=900)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, summary
    assert summary.startswith("RSS start") and "growth after warm-up" in summary


def test_a_rule_on_an_unknown_fact_fires_on_the_engine(write_rules: Callable[[dict[str, str]], Path]) -> None:
    """Unknown facts are asserted only where a term tests for them: such a rule still fires."""
    cited = "citations: [{document: Test source, section: '1'}]"
    directory = write_rules({
        "program.yaml": f"""
program:
  id: demo
  name: Demo program
  kind: designation
  summary: A program for tests.
  {cited}
""",
        "rules.yaml": f"""
rules:
  - id: demo.ask_first
    title: Seriousness not yet stated
    conclude: {{program: demo, outcome: not_yet}}
    when: {{not: {{fact: indication.serious, op: exists}}}}
    explanation: Test rule.
    ask: {{indication.serious: Is the condition serious?}}
    {cited}
    effective_from: 2020-01-01
  - id: demo.eligible
    title: Serious
    conclude: {{program: demo, outcome: eligible}}
    when: {{fact: indication.serious, op: "==", value: true}}
    explanation: Test rule.
    ask: {{indication.serious: Is the condition serious?}}
    {cited}
    effective_from: 2020-01-01
""",
    })
    rules = RuleBase.load([directory], include_bundled=False)
    for data, expected in (({}, "not_yet"), ({"indication": {"serious": True}}, "eligible")):
        dossier = dossier_from_mapping({"program": {"name": "X"}, **data})
        results = {name: evaluate(dossier, rules, as_of=AS_OF, backend=name).program("demo").determination.value
                   for name in ("durable-rules", "reference")}
        assert results == {"durable-rules": expected, "reference": expected}
