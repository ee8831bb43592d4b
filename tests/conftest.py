"""Shared fixtures: the bundled rule base, example dossiers, and a small-rules-directory builder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bgtc_rules import RuleBase


@pytest.fixture(scope="session", autouse=True)
def _private_rules_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests compile many throwaway rule sets: keep their cache out of the user's."""
    import os

    os.environ["BGTC_CACHE_DIR"] = str(tmp_path_factory.mktemp("bgtc-cache"))


# What a test run may leave in the project directory: caches and the BDD report (`.ci/run` asks for it).
RUN_LEFTOVERS = {".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache", "__pycache__", "reports"}


@pytest.fixture(scope="session", autouse=True)
def _nothing_written_into_the_project() -> Iterator[None]:
    """Tests write only under their tmp paths: a file a test leaves in the project's top directory
    (an interview's progress file, an output written to a relative path) fails the run."""
    root = Path(__file__).resolve().parent.parent
    before = {p.name for p in root.iterdir()}
    yield
    left = sorted({p.name for p in root.iterdir()} - before - RUN_LEFTOVERS)
    assert not left, f"tests wrote into the project directory {root}: {', '.join(left)}"


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
