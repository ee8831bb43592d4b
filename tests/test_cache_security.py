"""The rules cache under attack: what another user can write is never executed, nor believed.

The attack of issue 17: with `BGTC_CACHE_DIR` in a directory others can write, an entry replaced
by a crafted pickle (or crafted bytecode) ran its payload on the next `bgtc evaluate`. Each test
plants such an entry and checks that the payload never runs, the answer is unchanged, and what is
refused is said once on stderr.
"""

from __future__ import annotations

import marshal
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from bgtc_rules import RuleBase
from bgtc_rules.language import cache as rule_cache
from bgtc_rules.language.cache import CacheWarning, compiled_code
from tests.paths import SCENARIOS

DOSSIER = str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")


class _Payload:
    """A pickle whose loading runs `touch MARKER`, as an attacker would plant it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def _evaluate(cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BGTC_CACHE_DIR": str(cache)}
    env.pop("BGTC_NO_CACHE", None)
    command = [sys.executable, "-m", "bgtc_rules", "evaluate", DOSSIER, "--as-of", "2026-11-21", "--format", "json"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("BGTC_CACHE_DIR", str(directory))
    monkeypatch.delenv("BGTC_NO_CACHE", raising=False)
    monkeypatch.setattr(rule_cache, "_warned", set())
    return directory


def _plant_everywhere(cache: Path, marker: Path) -> None:
    """Every entry overwritten: rule bases by a crafted pickle, generated code by crafted bytecode."""
    crafted_code = marshal.dumps(compile(f"import os\nos.system('touch {marker}')\n", "<attack>", "exec"))
    entries = sorted(cache.glob("rules-*")) + sorted(cache.glob("code-*"))
    assert entries
    for entry in entries:
        entry.write_bytes(pickle.dumps(_Payload(marker)) if entry.name.startswith("rules-") else crafted_code)


@pytest.mark.parametrize("open_the_directory", [False, True], ids=["own directory", "chmod 777"])
def test_a_crafted_entry_is_never_run(tmp_path: Path, open_the_directory: bool) -> None:
    cache, marker = tmp_path / "cache", tmp_path / "pwned"
    clean = _evaluate(cache)
    assert clean.returncode == 0, clean.stderr
    _plant_everywhere(cache, marker)
    if open_the_directory:
        cache.chmod(0o777)
    attacked = _evaluate(cache)
    assert not marker.exists(), "the planted payload ran"
    assert attacked.returncode == 0, attacked.stderr
    assert attacked.stdout == clean.stdout
    warnings = [line for line in attacked.stderr.splitlines() if "warning" in line]
    if open_the_directory:
        assert len(warnings) == 1 and "writable by group or others" in warnings[0], attacked.stderr
        assert warnings[0].startswith("bgtc: warning: ignoring the rules cache")
    else:
        assert warnings == [], attacked.stderr  # forged entries are simply rebuilt


def test_the_directory_is_created_private(cache: Path) -> None:
    RuleBase.load()
    assert cache.stat().st_mode & 0o777 == 0o700
    assert (cache / rule_cache.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert all(entry.stat().st_mode & 0o077 == 0 for entry in cache.iterdir())


def test_a_group_writable_directory_is_refused_with_one_warning(cache: Path) -> None:
    cache.mkdir(mode=0o700)
    cache.chmod(0o770)
    with pytest.warns(CacheWarning, match="writable by group or others") as caught:
        first = RuleBase.load()
        RuleBase.load()
    assert len(caught) == 1
    assert first.rules and list(cache.iterdir()) == []  # used without being written to


def test_another_users_directory_is_refused(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    RuleBase.load()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)  # the files now belong to "someone else"
    with pytest.warns(CacheWarning, match="owned by another user"):
        assert RuleBase.load().rules


def test_an_ancestor_others_can_write_is_refused_unless_sticky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rule_cache, "_warned", set())
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # anyone could rename our directory away and put theirs in its place
    monkeypatch.setenv("BGTC_CACHE_DIR", str(shared / "cache"))
    monkeypatch.delenv("BGTC_NO_CACHE", raising=False)
    with pytest.warns(CacheWarning, match=f"{shared} is writable by group or others"):
        RuleBase.load()
    shared.chmod(0o1777)  # sticky, as /tmp is: only the owner may rename what is in it
    RuleBase.load()
    assert list((shared / "cache").glob("rules-*.json"))


def test_a_symlinked_entry_is_not_followed(cache: Path, tmp_path: Path) -> None:
    RuleBase.load()
    (entry,) = cache.glob("rules-*.json")
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(elsewhere)
    with pytest.warns(CacheWarning, match="symlink"):
        assert RuleBase.load().rules
    assert not entry.is_symlink()  # replaced by an entry of our own


def test_an_entry_writable_by_others_is_refused(cache: Path) -> None:
    RuleBase.load()
    (entry,) = cache.glob("rules-*.json")
    entry.chmod(0o666)
    with pytest.warns(CacheWarning, match="writable only by you"):
        assert RuleBase.load().rules


def test_a_truncated_entry_is_rebuilt(cache: Path) -> None:
    expected = RuleBase.load()
    (entry,) = cache.glob("rules-*.json")
    whole = entry.read_bytes()
    entry.write_bytes(whole[: len(whole) // 2])
    assert RuleBase.load() == expected
    assert entry.read_bytes() == whole


def test_an_entry_moved_under_another_key_is_refused(cache: Path) -> None:
    compiled_code("value = 1\n", "<test>")
    (one,) = cache.glob("code-*.marshal")
    compiled_code("value = 2\n", "<test>")
    (two,) = set(cache.glob("code-*.marshal")) - {one}
    two.write_bytes(one.read_bytes())  # a genuine entry, but for other code
    namespace: dict[str, object] = {}
    exec(compiled_code("value = 2\n", "<test>"), namespace)
    assert namespace["value"] == 2


def test_crafted_bytecode_under_the_right_name_is_not_executed(cache: Path, tmp_path: Path) -> None:
    compiled_code("value = 1\n", "<test>")
    (entry,) = cache.glob("code-*.marshal")
    header, _, _ = entry.read_bytes().partition(b"\n")
    entry.write_bytes(header + b"\n" + marshal.dumps(compile("value = 666\n", "<attack>", "exec")))
    namespace: dict[str, object] = {}
    exec(compiled_code("value = 1\n", "<test>"), namespace)
    assert namespace["value"] == 1


def test_a_key_file_that_is_a_symlink_turns_the_cache_off(cache: Path, tmp_path: Path) -> None:
    cache.mkdir(mode=0o700)
    planted = tmp_path / "their-key"
    planted.write_bytes(b"k" * 32)
    (cache / rule_cache.KEY_FILE).symlink_to(planted)
    with pytest.warns(CacheWarning, match="symlink"):
        assert RuleBase.load().rules
    assert not list(cache.glob("rules-*"))


def test_a_deeply_nested_entry_with_a_valid_hmac_is_rebuilt(cache: Path) -> None:
    """Only we can write a verified entry, but a damaged one must still be rebuilt, not crash."""
    store = rule_cache._Store.open()
    assert store is not None
    key = "0" * 64
    store.write(f"rules-{key[:32]}.json", key, b"[" * 200_000 + b"]" * 200_000)
    rebuilt = rule_cache.cached(key, lambda value: value, lambda data: data, lambda: {"rebuilt": True})
    assert rebuilt == {"rebuilt": True}
