"""The batch's worker pool: started at once, stopped by closing, chunks that shrink at the end."""

from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import os
import tempfile
from pathlib import Path

import pytest

from benchmarks.generate import generate
from bgtc_rules.advice.batch import BatchOptions
from bgtc_rules.advice.batch_inputs import Item
from bgtc_rules.advice.batch_pool import (
    SMALLEST_LAST_CHUNK,
    _kept_from_workers_collections,
    chunk_sizes,
    run_batch,
    run_batch_chunks,
)
from bgtc_rules.language.rulebase import RuleBase

from .paths import AS_OF


def _items(count: int, seed: int) -> list[Item]:
    return [Item(f"gen.jsonl:{n}", "gen.jsonl", n, json.dumps(dossier).encode())
            for n, dossier in enumerate(generate(count, seed=seed), 1)]


def _taken(total: int, jobs: int, size: int) -> list[int]:
    """The chunks `total` items are cut into: what each size in turn finds left."""
    taken: list[int] = []
    sizes = chunk_sizes(total=total, jobs=jobs, size=size)
    while (left := total - sum(taken)) > 0:
        taken.append(min(next(sizes), left))
    return taken


@pytest.mark.parametrize(("total", "jobs", "size"), [(2000, 2, 50), (2000, 4, 50), (137, 2, 50), (60, 2, 3),
                                                     (7, 2, 50), (1, 2, 50), (500, 3, 20)])
def test_the_last_chunks_get_smaller_down_to_a_floor(total: int, jobs: int, size: int) -> None:
    taken = _taken(total, jobs, size)
    assert sum(taken) == total and max(taken) <= size
    assert taken == sorted(taken, reverse=True)  # never larger again once smaller
    floor = min(size, SMALLEST_LAST_CHUNK)
    assert all(chunk >= floor for chunk in taken[:-1])
    if total >= 4 * jobs * size:  # a long batch: full chunks first, small ones at the end
        assert taken[0] == size and taken[-2] == floor


@pytest.mark.parametrize(("total", "jobs"), [(None, 2), (2000, 1)])
def test_chunks_keep_their_size_for_one_job_or_an_unknown_total(total: int | None, jobs: int) -> None:
    assert list(itertools.islice(chunk_sizes(total=total, jobs=jobs, size=50), 100)) == [50] * 100


def test_the_workers_start_before_the_first_chunk_is_asked_for_and_stop_when_closed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rulebase: RuleBase) -> None:
    """So that they warm up while the caller opens its output; closing the stream unread must
    still stop them and remove their spool directory."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stream = run_batch_chunks(_items(12, seed=5), BatchOptions(as_of=AS_OF, lean=True), jobs=2, chunk_size=3,
                              rules=rulebase)
    try:
        assert len(multiprocessing.active_children()) == 2
        assert [path.name[:11] for path in tmp_path.iterdir()] == ["bgtc-batch-"]
    finally:
        stream.close()
    assert multiprocessing.active_children() == []
    assert list(tmp_path.iterdir()) == []


def test_an_empty_batch_forks_no_worker(rulebase: RuleBase) -> None:
    with run_batch_chunks([], BatchOptions(as_of=AS_OF, lean=True), jobs=2, total=0, rules=rulebase) as stream:
        assert multiprocessing.active_children() == []
        assert list(stream) == []


def test_shrinking_chunks_give_the_lines_one_job_gives(rulebase: RuleBase) -> None:
    items = _items(40, seed=17)
    options = BatchOptions(as_of=AS_OF, backend="reference")
    alone = [result.line for result in run_batch(items, options, jobs=1, chunk_size=50, rules=rulebase)]
    pooled = [result.line for result in run_batch(items, options, jobs=2, chunk_size=10, rules=rulebase,
                                                  total=len(items))]
    assert pooled == alone and len(alone) == 40


def test_the_workers_leave_what_they_inherit_out_of_their_collections() -> None:
    with _kept_from_workers_collections():
        frozen = gc.get_freeze_count()
        child = os.fork()
        if child == 0:  # a worker: what it inherited stays frozen (but what fork's own hooks free)
            os._exit(0 if gc.get_freeze_count() > frozen * 0.9 else 1)
    assert gc.get_freeze_count() == 0  # this process collects it as before
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and frozen > 10_000


def test_the_dictionary_compact_lines_point_into_is_built_before_the_workers_fork(
        monkeypatch: pytest.MonkeyPatch, rulebase: RuleBase) -> None:
    """So that they inherit it instead of each building its own."""
    import bgtc_rules.advice.dictionary as dictionary_module

    workers_then: list[int] = []
    built = dictionary_module.dictionary_for

    def dictionary_for(rules: RuleBase) -> dictionary_module.RuleDictionary:
        workers_then.append(len(multiprocessing.active_children()))
        return built(rules)
    monkeypatch.setattr(dictionary_module, "dictionary_for", dictionary_for)
    with run_batch_chunks(_items(4, seed=3), BatchOptions(as_of=AS_OF), jobs=2, rules=rulebase) as stream:
        assert workers_then == [0]
        assert len(list(stream)) == 1
