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
