"""Shared fixtures: the bundled rule base, example dossiers, and a small-rules-directory builder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bgtc_rules import RuleBase


@pytest.fixture(scope="session", autouse=True)
def _private_rules_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests compile many throwaway rule sets: keep their cache out of the user's."""
    import os

    os.environ["BGTC_CACHE_DIR"] = str(tmp_path_factory.mktemp("bgtc-cache"))


@pytest.fixture(scope="session")
def rulebase() -> RuleBase:
    return RuleBase.load()


@pytest.fixture
def write_rules(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write rule files (name -> YAML text) into a fresh directory and return it."""

    def write(files: dict[str, str]) -> Path:
        directory = tmp_path / "rules"
        directory.mkdir(exist_ok=True)
        for name, text in files.items():
            (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return directory

    return write
