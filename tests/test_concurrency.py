"""Evaluations from 8 threads at once, or from worker processes, give exactly the sequential results."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

import bgtc_rules.engine.rule_engine as rule_engine
from bgtc_rules import RuleBase, evaluate
from bgtc_rules.base.outputs import write_atomically
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.backends import durable_available
from bgtc_rules.engine.evaluation import backend_for
from bgtc_rules.engine.inference import Backend

from .paths import AS_OF
from .pools import bundled_rules, pool

BACKENDS = [pytest.param("durable-rules", marks=pytest.mark.skipif(not durable_available(),
                                                                   reason="durable-rules is not importable here")),
            "reference"]
POOL_SIZE = 24


def _pool() -> tuple[Dossier, ...]:
    return pool(POOL_SIZE)


def _evaluate(index: int, backend: str) -> str:
    return evaluate(_pool()[index % POOL_SIZE], bundled_rules(), as_of=AS_OF, backend=backend).to_json()


def _evaluate_in_worker(job: tuple[int, str]) -> str:
    """Runs in a worker process: loads the rules and the dossiers there (once per process)."""
    return _evaluate(*job)


@cache
def _sequential(backend: str) -> tuple[str, ...]:
    return tuple(_evaluate(i, backend) for i in range(POOL_SIZE))


@pytest.fixture
def frequent_switches() -> Iterator[None]:
    """Make the interpreter switch threads very often, so that evaluations interleave inside the engine."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.parametrize("backend", BACKENDS)
def test_eight_threads_give_the_sequential_results(backend: str, frequent_switches: None) -> None:
    expected = _sequential(backend)
    start = threading.Barrier(8)

    def work(thread: int) -> list[tuple[int, str]]:
        start.wait()
        jobs = [(thread + 8 * k) % POOL_SIZE for k in range(2 * POOL_SIZE // 8)]
        return [(i, _evaluate(i, backend)) for i in jobs]

    with ThreadPoolExecutor(max_workers=8) as threads:
        results = [pair for batch in threads.map(work, range(8)) for pair in batch]
    assert len(results) == 2 * POOL_SIZE
    for index, text in results:
        assert text == expected[index], f"dossier {index} differs when evaluated from 8 threads"


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_worker_processes_give_the_sequential_results(start_method: str) -> None:
    backend = "durable-rules" if durable_available() else "reference"
    expected = _sequential(backend)  # in the parent first: forked workers inherit a warm engine
    context = multiprocessing.get_context(start_method)
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as workers:
        results = list(workers.map(_evaluate_in_worker, [(i, backend) for i in range(POOL_SIZE)]))
    assert results == list(expected)


def test_the_backend_cache_builds_one_backend_per_rule_base_under_threads(
        write_rules: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch,
        frequent_switches: None) -> None:
    directory = write_rules({"empty.yaml": "rules: []\n"})
    (directory / "empty.yaml").write_text(f"rules: []  # {directory}\n", encoding="utf-8")
    rules = RuleBase.load([directory])  # a rule base (digest) no test has used yet
    built: list[Backend] = []
    create: Callable[[RuleBase, str], Backend] = rule_engine.create_backend

    def counting(rulebase: RuleBase, name: str) -> Backend:
        backend = create(rulebase, name)
        built.append(backend)
        return backend

    monkeypatch.setattr(rule_engine, "create_backend", counting)
    start = threading.Barrier(8)

    def get(_: int) -> Backend:
        start.wait()
        return backend_for(rules, "reference")

    with ThreadPoolExecutor(max_workers=8) as threads:
        found = list(threads.map(get, range(8)))
    assert len(built) == 1
    assert all(backend is built[0] for backend in found)


def test_outputs_written_from_threads_are_whole_and_never_touch_the_umask(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path("/proc/self/status").is_file():
        pytest.skip("reading the umask needs /proc")
    changes: list[int] = []
    real_umask = os.umask

    def recording_umask(mask: int) -> int:
        changes.append(mask)
        return real_umask(mask)

    monkeypatch.setattr(os, "umask", recording_umask)
    texts = [_sequential("reference")[i] for i in range(8)]
    start = threading.Barrier(8)

    def write(index: int) -> None:
        start.wait()
        for _ in range(5):
            write_atomically(tmp_path / "shared.json", texts[index])
            write_atomically(tmp_path / f"own{index}.json", texts[index])

    with ThreadPoolExecutor(max_workers=8) as threads:
        list(threads.map(write, range(8)))
    assert changes == []  # a umask changed for an instant applies to every thread's new files
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["shared.json", *(f"own{i}.json" for i in range(8))])
    assert (tmp_path / "shared.json").read_text(encoding="utf-8") in texts
    assert all((tmp_path / f"own{i}.json").read_text(encoding="utf-8") == texts[i] for i in range(8))
    modes = {p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    assert len(modes) == 1 and modes.pop() & 0o600 == 0o600
