"""Batched durable-rules sessions: a dossier's answer never depends on the other dossiers of its
session, and a ruleset whose joins could let it is refused where it is built."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from bgtc_rules import RuleBase, dossier_from_mapping
from bgtc_rules.base.errors import EngineError
from bgtc_rules.engine.backends import durable_available
from bgtc_rules.engine.backends.reference import ReferenceBackend
from bgtc_rules.engine.facts import Facts, dossier_facts
from bgtc_rules.engine.inference import Inference

from .strategies import dossiers

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules is not importable here")

if durable_available():
    from bgtc_rules.engine.backends import durable, durable_ruleset, durable_sections

    _SLOTS = durable_sections.Layout.slots

AS_OF = dt.date(2026, 11, 21)
DATES = st.sampled_from([dt.date(2015, 6, 1), dt.date(2024, 6, 1), AS_OF, dt.date(2030, 1, 1)])


@functools.cache
def _rules() -> RuleBase:
    return RuleBase.load()


@functools.cache
def _backend(session_size: int, reuse_sessions: bool = True) -> durable.DurableBackend:
    return durable.DurableBackend(_rules(), session_size, reuse_sessions)


def _alone(facts: Facts, as_of: dt.date) -> Inference:
    """The dossier's answer in a session of its own, made for it and deleted after it."""
    return _backend(1, reuse_sessions=False).infer(facts, as_of)


def _join_last(layout: Any, term: Any) -> Any:
    """`Layout.slots`, with every join moved to the end of its fact's condition: after any
    `$iany`/`$iall` test, where the engine's C core silently ignores it."""
    slots, sources = _SLOTS(layout, term)
    moved = {name: {"$and": [c for c in cond["$and"] if c != durable_sections.JOIN] + [durable_sections.JOIN]}
             if durable_sections.JOIN in cond["$and"] else cond for name, cond in slots.items()}
    return moved, sources


def _differences(items: Sequence[Facts], as_of: dt.date, batched: durable.DurableBackend,
                 one_by_one: bool = False) -> list[str]:
    """How each dossier's answer in one session of all `items` differs from the reference
    evaluator's and from its own in a session of its own (empty when it never does). `one_by_one`:
    the dossiers are given to the backend one call at a time (a kept session takes them in turn)."""
    found: list[str] = []
    together = [batched.infer_many([facts], as_of)[0] for facts in items] if one_by_one else batched.infer_many(
        items, as_of)
    reference = ReferenceBackend(_rules())
    for index, (facts, got) in enumerate(zip(items, together, strict=True)):
        if not isinstance(got, Inference):
            found.append(f"dossier {index}: {got}")
            continue
        alone = _alone(facts, as_of)
        expected = reference.infer(facts, as_of)
        if got != alone:
            found.append(f"dossier {index}: differs from its one-dossier session")
        for what in ("outcomes", "concepts", "firings"):
            if getattr(got, what) != getattr(expected, what):
                found.append(f"dossier {index}: {what} differ from the reference evaluator's")
    return found


@st.composite
def _colliding(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A dossier and near-copies of it differing in one field (or one section), and a copy of it
    unchanged, shuffled: the dossiers most likely to match each other's facts if joins leaked."""
    base = draw(dossiers())
    variants = [base, copy.deepcopy(base)]
    for _ in range(draw(st.integers(1, 6))):
        other = draw(dossiers())
        variant = copy.deepcopy(base)
        section = draw(st.sampled_from(sorted(other)))
        mine, theirs = variant.get(section), other[section]
        if isinstance(mine, dict) and isinstance(theirs, dict) and theirs:
            field = draw(st.sampled_from(sorted(theirs)))
            mine[field] = theirs[field]
        else:
            variant[section] = theirs
        variants.append(variant)
    return draw(st.permutations(variants))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=_colliding(), as_of=DATES)
def test_a_dossier_answers_the_same_in_any_session(data: list[dict[str, Any]], as_of: dt.date) -> None:
    items = [dossier_facts(dossier_from_mapping(d)) for d in data]
    assert _differences(items, as_of, _backend(durable_ruleset.SESSION_SIZE)) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=_colliding(), as_of=DATES, before=st.integers(0, 48))
def test_a_dossier_answers_the_same_in_a_kept_session(data: list[dict[str, Any]], as_of: dt.date,
                                                      before: int) -> None:
    """Dossiers given one call at a time go to one kept session, after `before` other dossiers
    (generated): each answers as it does in a session of its own."""
    backend = durable.DurableBackend(_rules(), 1)
    earlier = [dossier_facts(dossier_from_mapping(d)) for d in generate(before, 17)]
    backend.infer_many(earlier, as_of)
    items = [dossier_facts(dossier_from_mapping(d)) for d in data]
    assert _differences(items, as_of, backend, one_by_one=True) == []


def test_a_kept_session_takes_dossiers_until_it_holds_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """One call at a time, the dossiers go to one session until it holds `SESSION_SIZE` of them;
    it is then deleted and the next call opens another."""
    items = [dossier_facts(dossier_from_mapping(d)) for d in generate(8, 13)]
    backend = durable.DurableBackend(_rules(), 1)
    spy = _spy(monkeypatch)
    size = durable_ruleset.SESSION_SIZE
    for index in range(2 * size + 3):
        backend.infer(items[index % len(items)], AS_OF)
    assert sorted(set(spy.ended)) == ["s0", "s1", "s2"] and spy.deleted == ["s0", "s1"]
    assert [spy.ended.count(sid) for sid in ("s0", "s1", "s2")] == [size, size, 3]
    alone = durable.DurableBackend(_rules(), 1, reuse_sessions=False)
    spy.ended.clear()
    spy.deleted.clear()
    for facts in items[:3]:
        alone.infer(facts, AS_OF)
    assert len(set(spy.ended)) == 3 and spy.deleted == spy.ended


def test_the_builder_refuses_a_join_placed_after_the_type_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    class Host:
        def set_rulesets(self, definitions: dict[str, Any]) -> None:
            raise AssertionError("a refused ruleset must never reach the engine")

    monkeypatch.setattr(durable_sections.Layout, "slots", _join_last)
    with pytest.raises(EngineError, match="the join on the dossier must come right after the type tests"):
        durable_ruleset.CompiledRuleset(Host(), "misplaced", list(_rules().rules))


def test_join_order_problems_name_each_fault() -> None:
    join = durable_sections.JOIN
    fine = {"r": {"all": [{"m0": {"$and": [{"t": "a"}, {"x": 1}]}}, {"m1": {"$and": [{"t": "b"}, join, {"y": 2}]}}]}}
    assert durable_sections.join_order_problems(fine) == []
    after_array = {"r": {"all": [{"m0": {"t": "a"}},
                                 {"m1": {"$and": [{"t": "b"}, {"$iany": {"y": {"$i": 1}}}, join]}}]}}
    missing = {"r": {"all": [{"m0": {"t": "a"}}, {"m1": {"$and": [{"t": "b"}, {"y": 2}]}}]}}
    first_joined = {"r": {"all": [{"m0": {"$and": [{"t": "a"}, join]}}, {"m1": {"$and": [{"t": "b"}, join]}}]}}
    for broken in (after_array, missing, first_joined):
        assert len(durable_sections.join_order_problems(broken)) == 1, broken


def test_the_property_fails_when_the_join_is_misplaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with the join after the array tests (and the builder's refusal
    switched off), dossiers of one session match each other's facts and answers change."""
    monkeypatch.setattr(durable_sections.Layout, "slots", _join_last)
    monkeypatch.setattr(durable_ruleset, "join_order_problems", lambda definition: [])
    leaky = durable.DurableBackend(_rules(), 25)
    items = [dossier_facts(dossier_from_mapping(d)) for d in generate(25, 13)]
    assert _differences(items, AS_OF, leaky)
    assert _differences(items, AS_OF, durable.DurableBackend(_rules(), 1), one_by_one=True)  # a kept session too


class _SessionSpy:
    """The engine's C module as the backend sees it, noting which sessions end and which are deleted."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.ended: list[str] = []
        self.deleted: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def assert_fact(self, handle: int, text: str) -> Any:
        if '"t":"end"' in text:  # every session asserts its end marker, whatever happened before
            self.ended.append(text.split('"sid":"')[1].split('"')[0])
        return self._real.assert_fact(handle, text)

    def delete_state(self, handle: int, sid: str) -> Any:
        self.deleted.append(sid)
        return self._real.delete_state(handle, sid)


def _spy(monkeypatch: pytest.MonkeyPatch) -> _SessionSpy:
    spy = _SessionSpy(durable.durable_rules_engine)
    monkeypatch.setattr(durable, "durable_rules_engine", spy)
    return spy


def test_an_action_error_in_one_dossier_leaves_the_others_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dossier whose action fails gets the error; the others of its session their answers."""
    items = [dossier_facts(dossier_from_mapping(d)) for d in generate(6, 13)]
    made = iter(range(100))

    class Failing(dict[str, bool]):
        def setdefault(self, key: str, default: Any = None) -> Any:
            raise RuntimeError("a synthetic failure")

    def evaluation() -> Any:  # the third dossier's record fails on every rule it matches
        return durable_ruleset.Evaluation(outcomes=Failing()) if next(made) == 2 else durable_ruleset.Evaluation()

    monkeypatch.setattr(durable, "Evaluation", evaluation)
    backend = durable.DurableBackend(_rules(), 6)
    spy = _spy(monkeypatch)
    results = backend.infer_many(items, AS_OF)
    assert len(spy.ended) == 1 and spy.deleted == spy.ended  # one session, not evaluated again
    reference = ReferenceBackend(_rules())
    for index, (facts, result) in enumerate(zip(items, results, strict=True)):
        if index == 2:
            assert isinstance(result, EngineError) and "a synthetic failure" in str(result)
        else:
            assert isinstance(result, Inference) and result.firings == reference.infer(facts, AS_OF).firings


def test_a_failed_session_is_evaluated_again_dossier_by_dossier(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the engine fails in a session, its dossiers are evaluated again one per session, and
    only the one that fails alone too gets an error; no session is left behind."""
    items = [dossier_facts(dossier_from_mapping(d)) for d in generate(5, 13)]
    backend = durable.DurableBackend(_rules(), 5)
    compiled = backend._ruleset(AS_OF)
    real = compiled.session_facts
    bad = items[3]

    def session_facts(chunk: Sequence[Facts], sid: str, first: int = 0) -> list[dict[str, Any]]:
        if any(facts is bad for facts in chunk):
            raise RuntimeError("a synthetic engine failure")
        return real(chunk, sid, first)

    monkeypatch.setattr(compiled, "session_facts", session_facts)
    spy = _spy(monkeypatch)
    results = backend.infer_many(items, AS_OF)
    assert len(spy.ended) == 1 + len(items) and spy.deleted == spy.ended  # every session deleted
    assert [isinstance(r, EngineError) for r in results] == [False, False, False, True, False]
    assert "a synthetic engine failure" in str(results[3])


def test_an_interrupt_ends_the_session_and_the_backend_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [dossier_facts(dossier_from_mapping(d)) for d in generate(3, 13)]

    class Interrupted(dict[str, bool]):
        def setdefault(self, key: str, default: Any = None) -> Any:
            raise KeyboardInterrupt

    backend = durable.DurableBackend(_rules(), 3)
    spy = _spy(monkeypatch)
    with monkeypatch.context() as patched:
        patched.setattr(durable, "Evaluation", lambda: durable_ruleset.Evaluation(outcomes=Interrupted()))
        with pytest.raises(KeyboardInterrupt):
            backend.infer_many(items, AS_OF)
    assert len(spy.ended) == 1 and spy.deleted == spy.ended
    reference = ReferenceBackend(_rules())
    assert [r.firings for r in backend.infer_many(items, AS_OF) if isinstance(r, Inference)] == [
        reference.infer(facts, AS_OF).firings for facts in items]


def test_the_items_rules_name_reach_the_engine_as_short_codes() -> None:
    compiled = _backend(durable_ruleset.SESSION_SIZE)._ruleset(AS_OF)
    codes = compiled.layout.codes
    assert "clinical.endpoints" in codes and "designations" in codes
    text = durable_ruleset.dumps({name: rule["all"] for name, rule in compiled.definition.items()})
    for path, table in codes.items():
        assert len(set(table.values())) == len(table), path  # one code per item
        assert durable_sections.UNLISTED not in table.values()
        for item in table:
            assert f'"{item}"' not in text, (path, item)
    assert "kind=" not in text  # the endpoints' encoded combinations are gone from the definition


def test_item_codes_cover_only_lists_tested_by_item() -> None:
    from bgtc_rules.language.normal_form import FactTest
    from bgtc_rules.language.operators import Operator

    many = tuple(f"item{n:03}" for n in range(40))
    codes = durable_sections.item_codes([
        FactTest("a", Operator.CONTAINS, ("y", "x")), FactTest("a", Operator.CONTAINS_NONE, ("z",)),
        FactTest("a", Operator.EMPTY), FactTest("b", Operator.CONTAINS, ("x",)), FactTest("b", Operator.EQ, ("x",)),
        FactTest("c", Operator.CONTAINS, many), FactTest("not a list", Operator.CONTAINS, ("x",)),
    ], ["a", "b", "c"])
    assert codes["a"] == {"x": "0", "y": "1", "z": "2"}
    assert "b" not in codes and "not a list" not in codes  # an equality of whole lists keeps the text
    assert len(set(codes["c"].values())) == 40 and {len(code) for code in codes["c"].values()} == {2}
    assert not any("e" in code for code in codes["c"].values())  # never read as a number's exponent


def test_an_item_no_rule_names_is_given_as_unlisted() -> None:
    from types import SimpleNamespace
    from typing import cast

    from bgtc_rules.language.normal_form import FactTest
    from bgtc_rules.language.operators import Operator

    layout = durable_sections.Layout(["designations"], tests=[FactTest("designations", Operator.CONTAINS, ("odd",))])
    facts = cast(Facts, SimpleNamespace(by_path={"designations": ("odd", "rmat")}))
    (fact,) = layout.facts(facts, 0, "s")
    key = layout.key["designations"]
    assert fact[key] == [layout.codes["designations"]["odd"], durable_sections.UNLISTED]
    assert fact[f"n{key}"] == 2


def test_none_of_some_codes_is_one_pattern_of_the_others() -> None:
    assert durable_sections.only_codes(["0a", "0b", "1a", "1b", "2c"], unlisted=True) == "(_|2[c]|[01][ab])"
    assert durable_sections.only_codes(["a", "b"], unlisted=True) == "(_|[ab])"
    assert durable_sections.only_codes([], unlisted=True) == "(_)"  # only an item no rule names
    assert durable_sections.only_codes(["0a", "1a", "1b"]) == "(0[a]|1[ab])"
    compiled = _backend(durable_ruleset.SESSION_SIZE)._ruleset(AS_OF)
    text = durable_ruleset.dumps({name: rule["all"] for name, rule in compiled.definition.items()})
    assert '"$iall":{"p' in text.replace(" ", "") and '"$neq": {"$i"' not in text  # no value-by-value chains


def test_facts_give_every_exponent_a_fraction_and_leave_strings_alone() -> None:
    """The engine's JSON parser refuses an exponent without a fraction (`1e-07`)."""
    facts = [{"d": "0", "small": 1e-7, "large": 1e20, "tiny": 5e-324, "plain": 0.5, "text": "one-time 1e+5"}]
    text = durable_ruleset.facts_json(facts)
    assert '"small":1.0e-7' in text and '"large":1.0e+20' in text and '"tiny":5.0e-324' in text
    assert '"plain":0.5' in text and '"text":"one-time 1e+5"' in text
    assert durable_ruleset.facts_json([{"d": 0, "v": 0.25, "t": "f:therapy_landscape:0"}]) == (
        '[{"d":0,"v":0.25,"t":"f:therapy_landscape:0"}]')


def test_every_fact_given_to_the_engine_begins_with_its_dossier() -> None:
    """What `match_dossiers` reads: a match's dossier is the number its first fact begins with."""
    compiled = _backend(durable_ruleset.SESSION_SIZE)._ruleset(AS_OF)
    items = [dossier_facts(dossier_from_mapping(d)) for d in generate(3, 13)]
    facts = compiled.session_facts(items, "s9", 7)
    assert facts and all(next(iter(fact)) == durable_sections.DOSSIER for fact in facts)
    assert {fact[durable_sections.DOSSIER] for fact in facts} == {"7", "8", "9"}
    derived = durable_sections.Derived.facts([(3, "c:0", '"k0":true'), (12, "c:1", '"k30":false')], "s9")
    assert derived == '[{"d":"3","sid":"s9","t":"c:0","k0":true},{"d":"12","sid":"s9","t":"c:1","k30":false}]'
    message = ('{"7T0":[{"m0":{"d":"5"},"m1":{"d":"5","k1":true}},{"m0":{"d":"42","sid":"s9","t":"x"}},'
               '{"m0":{"d":"7","p0":"\\"m0\\":{\\"d\\":\\"3"}}]}')
    assert durable_ruleset.match_dossiers(message, 50) == [5, 42, 7]
    assert durable_ruleset.match_dossiers('{"7T0":[{"m0":{"d":"104"}},{"m0":{"d":"3"}}]}', 120) == [104, 3]
    assert durable_ruleset.match_dossiers('{"7T0":{"m0":{"d":"3","p1":2}}}', 50) == [3]


def test_a_lone_dossier_failing_in_a_kept_session_is_evaluated_again_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept session holds earlier calls' facts: when it fails on a lone dossier, the dossier gets
    the answer of a session of its own, and the failed session is deleted."""
    items = [dossier_facts(dossier_from_mapping(d)) for d in generate(3, 13)]
    backend = durable.DurableBackend(_rules(), 1)
    compiled = backend._ruleset(AS_OF)
    real = compiled.session_facts

    def session_facts(chunk: Sequence[Facts], sid: str, first: int = 0) -> list[dict[str, Any]]:
        if first == 2:  # the third dossier, given to the session after two others
            raise RuntimeError("a synthetic engine failure")
        return real(chunk, sid, first)

    monkeypatch.setattr(compiled, "session_facts", session_facts)
    spy = _spy(monkeypatch)
    results = [backend.infer(facts, AS_OF) for facts in items]
    reference = ReferenceBackend(_rules())
    assert [r.firings for r in results] == [reference.infer(facts, AS_OF).firings for facts in items]
    assert spy.ended == ["s0", "s0", "s0", "s1"] and spy.deleted == ["s0", "s1"]


def test_false_terms_reading_one_fact_share_an_engine_rule_unless_the_network_would_overflow(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule's false terms reading one fact of one type are one engine rule (an `$or` of their
    tests): only whether one holds is read. When the merged network would overflow a table of the
    engine, the ruleset is built again with one engine rule per term."""
    class Host:
        def set_rulesets(self, definitions: dict[str, Any]) -> None:
            self.definitions = definitions

    rules = list(_rules().rules)
    merged = durable_ruleset.CompiledRuleset(Host(), "merged", rules).definition
    alternatives = [name for name, rule in merged.items() if "F" in name and len(rule["all"]) == 1
                    and any("$or" in part for part in rule["all"][0]["m0"].get("$and", []))]
    assert alternatives
    sizes: list[int] = []

    def overflowing_once(definition: dict[str, Any]) -> list[str]:
        sizes.append(len(definition))
        return ["a synthetic overflow"] if len(sizes) == 1 else []

    monkeypatch.setattr(durable_ruleset, "checked_network", overflowing_once)
    separate = durable_ruleset.CompiledRuleset(Host(), "separate", rules)
    assert sizes[0] == len(merged) < sizes[1] == len(separate.definition)
    assert set(separate.actions) == set(separate.definition) - {durable_ruleset.END} - {
        name for name in separate.definition if name.startswith(durable_ruleset.HELD)}
