"""The compiled-rules cache: reused while the rule files are unchanged, rebuilt when one changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bgtc_rules import RuleBase
from bgtc_rules.language.rulebase import bundled_rules_dir


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("BGTC_CACHE_DIR", str(directory))
    monkeypatch.delenv("BGTC_NO_CACHE", raising=False)
    return directory


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    return target


def test_unchanged_rules_come_from_the_cache(cache: Path, tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    first = RuleBase.load([rules], include_bundled=False)
    assert len(list(cache.glob("rules-*.json"))) == 1
    second = RuleBase.load([rules], include_bundled=False)
    assert second.digest == first.digest and len(second.rules) == len(first.rules)
    assert len(list(cache.glob("rules-*.json"))) == 1


def test_a_changed_rule_file_invalidates_the_cache(cache: Path, tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    before = RuleBase.load([rules], include_bundled=False)
    edition = rules / "edition.yaml"
    edition.write_text(edition.read_text().replace("bgtc-rules 2026.11", "bgtc-rules 2026.12-test"))
    after = RuleBase.load([rules], include_bundled=False)
    assert after.edition.startswith("bgtc-rules 2026.12-test") and before.edition.startswith("bgtc-rules 2026.11")
    assert len(list(cache.glob("rules-*.json"))) == 2


def test_a_broken_rule_file_is_still_reported_with_a_warm_cache(cache: Path, tmp_path: Path) -> None:
    from bgtc_rules import InputError

    rules = _copy_rules(tmp_path)
    RuleBase.load([rules], include_bundled=False)
    (rules / "questions.yaml").write_text("questions: [\n")
    with pytest.raises(InputError, match=r"questions\.yaml"):
        RuleBase.load([rules], include_bundled=False)


def test_a_damaged_or_deleted_cache_is_rebuilt(cache: Path, tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    RuleBase.load([rules], include_bundled=False)
    (entry,) = cache.glob("rules-*.json")
    entry.write_bytes(b"not an entry")
    assert RuleBase.load([rules], include_bundled=False).rules
    shutil.rmtree(cache)
    assert RuleBase.load([rules], include_bundled=False).rules
    assert list(cache.glob("rules-*.json"))


def test_cache_can_be_turned_off(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BGTC_NO_CACHE", "1")
    RuleBase.load([_copy_rules(tmp_path)], include_bundled=False)
    assert not cache.exists()


def test_generated_code_is_kept_by_its_text_and_recompiled_when_damaged(cache: Path) -> None:
    from bgtc_rules.language.cache import compiled_code

    namespace: dict[str, object] = {}
    exec(compiled_code("def f():\n    return 1\n", "<test>"), namespace)
    assert namespace["f"]() == 1  # type: ignore[operator]
    entries = list(cache.glob("code-*.marshal"))
    assert len(entries) == 1
    exec(compiled_code("def f():\n    return 2\n", "<test>"), namespace)  # other text: another entry
    assert namespace["f"]() == 2  # type: ignore[operator]
    assert len(list(cache.glob("code-*.marshal"))) == 2
    entries[0].write_bytes(b"\x00damaged")
    exec(compiled_code("def f():\n    return 1\n", "<test>"), namespace)
    assert namespace["f"]() == 1  # type: ignore[operator]


def test_a_changed_rule_changes_the_generated_evaluator(cache: Path, tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    RuleBase.load([rules], include_bundled=False).valuation  # noqa: B018  # builds and stores the code
    before = set(cache.glob("code-*.marshal"))
    concept = rules / "concepts" / "rare_disease.yaml"
    text = concept.read_text(encoding="utf-8")
    assert "value: 200000" in text
    concept.write_text(text.replace("value: 200000", "value: 199999"), encoding="utf-8")
    RuleBase.load([rules], include_bundled=False).valuation  # noqa: B018
    assert set(cache.glob("code-*.marshal")) > before


def _threshold(base: RuleBase) -> str:
    return str(base.by_id["concept.rare_disease.prevalence"].spec.when)


def test_a_rule_file_saved_while_the_rules_load_does_not_poison_the_cache(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key and the compiled rules come from one read of each file: a save between two
    reads used to store rules compiled from the new text under the old text's key."""
    from bgtc_rules.language import rulebase

    rules = _copy_rules(tmp_path)
    concept = rules / "concepts" / "rare_disease.yaml"
    old = concept.read_text(encoding="utf-8")
    new = old.replace("value: 200000", "value: 199999")
    real_read = rulebase.read_input

    def read_then_save(path: Path, max_bytes: int) -> bytes:
        raw = real_read(path, max_bytes)
        if path == concept:
            concept.write_text(new, encoding="utf-8")  # the user saves just after the read
        return raw

    monkeypatch.setattr(rulebase, "read_input", read_then_save)
    during = RuleBase.load([rules], include_bundled=False)
    monkeypatch.undo()
    concept.write_text(old, encoding="utf-8")  # the old text again: its cache entry must be right
    with monkeypatch.context() as patched:
        patched.setenv("BGTC_NO_CACHE", "1")
        fresh_old = RuleBase.load([rules], include_bundled=False)
    assert "200000" in _threshold(fresh_old)
    assert _threshold(during) == _threshold(fresh_old)
    assert _threshold(RuleBase.load([rules], include_bundled=False)) == _threshold(fresh_old)


def test_a_cached_rule_base_is_the_rule_base_it_was_made_from(cache: Path) -> None:
    import json

    from bgtc_rules.language.spec_data import _MODELS

    built = RuleBase.from_sources([(f, f.read_bytes()) for f in sorted(bundled_rules_dir().rglob("*.yaml"))])
    read = RuleBase.from_data(json.loads(json.dumps(built.to_data())))
    models = 0
    for field in ("programs", "questions", "edition", "digest", "concept_words", "interview", "changes",
                  "draft_questions", "sources"):
        assert getattr(read, field) == getattr(built, field), field
    for made, kept in zip(built.rules, read.rules, strict=True):
        assert (kept.spec, kept.file, kept.line, kept.when) == (made.spec, made.file, made.line, made.when)
        pending = [(made.spec, kept.spec)]
        while pending:  # every model inside: the same class, values and fields given, nothing more
            original, copy = pending.pop()
            assert type(copy) is type(original) and type(copy).__name__ in _MODELS
            assert copy.model_fields_set == original.model_fields_set
            assert copy.__pydantic_extra__ is None and copy.__pydantic_private__ is None
            assert copy.__dict__.keys() == original.__dict__.keys()
            models += 1
            for name, value in original.__dict__.items():
                values = value if isinstance(value, list | tuple) else [value]
                others = copy.__dict__[name] if isinstance(value, list | tuple) else [copy.__dict__[name]]
                assert type(copy.__dict__[name]) is type(value)
                pending.extend((a, b) for a, b in zip(values, others, strict=True) if hasattr(a, "model_fields_set"))
    assert models > len(built.rules)


def test_models_are_read_back_as_model_construct_makes_them() -> None:
    from bgtc_rules.language.spec import FactCondition, Rule
    from bgtc_rules.language.spec_data import _PLAIN, _construct

    rule = next(r.spec for r in RuleBase.load().rules if r.spec.ask)
    assert {"Rule", "FactCondition", "Citation"} <= _PLAIN
    for model in (rule, rule.when, *(c for c in getattr(rule.when, "all", []) if isinstance(c, FactCondition))):
        values = dict(model.__dict__)
        given = set(model.model_fields_set)
        fast, slow = _construct(type(model), dict(values), set(given)), type(model).model_construct(given, **values)
        assert fast == slow == model and type(fast) is type(slow)
        assert fast.__dict__ == slow.__dict__ and fast.model_fields_set == slow.model_fields_set
        assert fast.__pydantic_extra__ == slow.__pydantic_extra__
        assert fast.__pydantic_private__ == slow.__pydantic_private__
        assert fast.model_dump(mode="json") == slow.model_dump(mode="json")
    assert isinstance(rule, Rule)


@pytest.mark.parametrize("damage", ["the previous format", "a field too few", "an unknown model", "a stray tag"])
def test_an_entry_of_another_shape_under_the_right_key_is_rebuilt(cache: Path, damage: str) -> None:
    # Only we can write a verified entry, but one written by another version (or damaged before it
    # was signed) must be rebuilt and give the same rule base, never be read as something else.
    import json

    from bgtc_rules.language import cache as rule_cache

    expected = RuleBase.load()
    (entry,) = [e for e in cache.glob("rules-*.json") if e.stat().st_size > 10_000]
    payload = entry.read_bytes().split(b"\n", 1)[1]
    data = json.loads(payload)
    rule = data["rules"][0]["spec"]
    if damage == "the previous format":
        data["rules"][0]["spec"] = {"$model": "Rule", "fields": {}, "set": []}
    elif damage == "a field too few":
        rule[2].pop()
    elif damage == "an unknown model":
        rule[1] = "Program"  # a model of the spec, with other fields
    else:
        rule[0] = "x"
    key = next(k for k in _keys_of(entry))
    store = rule_cache._Store.open()
    assert store is not None
    store.write(entry.name, key, json.dumps(data).encode())
    assert store.read(entry.name, key) is not None  # verified: the shape is what refuses it
    rebuilt = RuleBase.load()
    assert [r.spec for r in rebuilt.rules] == [r.spec for r in expected.rules]
    assert json.loads(entry.read_bytes().split(b"\n", 1)[1]) != data  # and written again


def _keys_of(entry: Path) -> list[str]:
    """The cache key an entry was written under (the same computation `RuleBase.load` makes)."""
    from bgtc_rules.base.inputs import read_input
    from bgtc_rules.language import rulebase, spec_data
    from bgtc_rules.language.cache import content_key

    sources = [(f, read_input(f, rulebase.RULE_FILE_BYTES)) for f in rulebase._rule_files(bundled_rules_dir())]
    key = content_key(sources, f"custom=False;{spec_data.LAYOUT}")
    assert entry.name == f"rules-{key[:32]}.json"
    return [key]


def test_a_changed_model_layout_makes_a_new_entry(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bgtc_rules.language import spec_data

    RuleBase.load()
    before = {e.name for e in cache.glob("rules-*.json")}
    monkeypatch.setattr(spec_data, "LAYOUT", spec_data.LAYOUT + ";Rule:another_field")
    RuleBase.load()
    assert len({e.name for e in cache.glob("rules-*.json")} - before) == 1


def test_a_cache_directory_that_cannot_be_made_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("BGTC_CACHE_DIR", str(blocker / "cache"))  # under a file: mkdir fails
    monkeypatch.delenv("BGTC_NO_CACHE", raising=False)
    loaded = RuleBase.load()
    monkeypatch.setenv("BGTC_NO_CACHE", "1")
    assert [r.spec for r in loaded.rules] == [r.spec for r in RuleBase.load().rules]
    assert not (blocker / "cache").exists()


def test_a_citation_is_written_as_its_model_dumps_it_built_or_read_from_the_cache(cache: Path) -> None:
    """`citation_dict` reads the fields itself instead of the model's serializer: the same dict,
    keys in the same order, for every citation of the rule base, built or read back."""
    import json

    from bgtc_rules.engine.results import citation_dict

    built = RuleBase.from_sources([(f, f.read_bytes()) for f in sorted(bundled_rules_dir().rglob("*.yaml"))])
    read = RuleBase.from_data(json.loads(json.dumps(built.to_data())))
    seen = 0
    for rulebase in (built, read):
        for rule in rulebase.rules:
            for citation in rule.spec.citations:
                expected = citation.model_dump(mode="json", exclude_none=True)
                assert list(citation_dict(citation).items()) == list(expected.items())
                seen += 1
    assert seen > 500
    assert any(c.secondary for r in built.rules for c in r.spec.citations)  # a flag and a reason written too
