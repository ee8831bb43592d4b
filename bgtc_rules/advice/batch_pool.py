"""A batch's items evaluated by worker processes, results in input order, in chunks.

With one job the items are evaluated in this process, chunk by chunk. With more, a pool of worker
processes is forked as soon as the batch is started (`run_batch_chunks`), before the caller's own
preparations (the output file, the rule-base dictionary), so that the workers warm up meanwhile.
A worker writes its chunk's output lines to a spool file and sends back only the determinations and
problems; `Chunk.write_lines` has the kernel copy the lines into the output. Near the end of a batch
whose size is known the chunks get smaller, so that the workers finish together.

Examples:
    >>> import datetime as dt
    >>> from bgtc_rules.advice.batch_inputs import collect_inputs
    >>> inputs = collect_inputs([Path("scenarios/aav_pre_ind_pediatric_neuro.yaml"),
    ...                          Path("scenarios/aav_phase12_pediatric_neuro.yaml")])
    >>> results = list(run_batch(inputs, BatchOptions(as_of=dt.date(2026, 11, 21))))
    >>> [r.determinations["rmat"] for r in results if r.determinations]
    ['not_yet', 'eligible']
    >>> sizes = chunk_sizes(total=200, jobs=2, size=50)
    >>> [next(sizes) for _ in range(11)]  # the last chunk takes the 2 items left
    [50, 38, 28, 21, 16, 12, 9, 8, 8, 8, 8]
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import os
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from bgtc_rules.advice.batch import BatchOptions, Chunk, ItemResult, evaluate_items, joined_lines
from bgtc_rules.advice.batch_inputs import Item
from bgtc_rules.base.errors import BgtcError
from bgtc_rules.language.rulebase import RuleBase

# Items per task at most. A task's dossiers are inferred together (`evaluate_items`), which the
# durable-rules backend does in shared sessions, fastest per dossier at about 50 (benchmarks/README.md).
MAX_CHUNK = 50
# The smallest chunk at the end of a batch: a worker idles at most about this many items' time
# while the other finishes, and a session this small costs little more per dossier than one of 50.
SMALLEST_LAST_CHUNK = 8


@dataclass
class _Process:
    """What this process holds while a batch runs. A worker process is the unit here: the pool's
    initializer and tasks are plain functions run in it, so this one object per process is where
    they find it (the rule base's own caches are its engine's, `engine.rule_engine`)."""

    # The options and rule base: set by `run_batch_chunks` before the pool starts, so a forked
    # worker inherits them; a spawned worker loads the rules once, in `_init_worker`.
    worker: tuple[BatchOptions, RuleBase] | None = None
    spool: tuple[str, Iterator[int]] | None = None  # a worker's spool directory and its chunk numbers


_process = _Process()


_PR_SET_PDEATHSIG = 1  # prctl(2)


def _end_with(parent: int) -> None:
    """Have the kernel end this worker (SIGTERM) when the batch process dies, even by SIGKILL.

    Otherwise a worker outlives it for ever: it waits for work on the task queue, whose writing
    end it holds itself (inherited), so it never sees the queue close. Linux only; elsewhere
    nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while the pool forks: raised inside one of fork's Python at-fork hooks
    (logging's), a `Terminated` was printed as "Exception ignored" and lost, and the batch ran on to
    its end. The workers inherit the held mask and release it (`_init_worker`)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextlib.contextmanager
def _kept_from_workers_collections() -> Iterator[None]:
    """What this process holds when the pool forks (modules, the rule base, the dossier schema) is
    left out of the workers' garbage collections (`gc.freeze`, as Python's documentation advises
    before a fork): they never walk it, and so never write into pages they share with this
    process, which copying costs them CPU and memory. Measured on a forked child evaluating 300
    dossiers, alternated: 5-8 % less CPU. This process collects it as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _init_worker(options: BatchOptions, spool_directory: str, parent: int) -> None:
    _end_with(parent)
    _process.spool = (spool_directory, itertools.count())
    # Ctrl-C is the parent's to handle: it cancels what is queued and lets the running chunks end.
    # A worker interrupted in the middle of a queue operation could leave a lock held forever.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SIGTERM ends a worker at once (the parent's death, or the pool terminated): the handler a
    # forked worker inherits from the command would unwind it like Ctrl-C instead, through exit
    # handlers that may wait on queues nobody reads any more.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held by the parent while it forked
    if _process.worker is None or _process.worker[0] != options:
        _process.worker = (options, RuleBase.load([Path(d) for d in options.rule_dirs]))
    from bgtc_rules.engine.backends import DURABLE, resolve_backend_name
    from bgtc_rules.engine.evaluation import backend_for

    if resolve_backend_name(options.backend) == DURABLE:
        from bgtc_rules.engine.backends.durable_limits import tune_malloc

        tune_malloc()
    backend_for(_process.worker[1], options.backend)  # build the backend once, before the first item


def _run_chunk(items: list[Item]) -> Chunk:
    """Evaluate the items in a worker; their lines go to a new spool file, the rest back to the parent."""
    assert _process.worker is not None and _process.spool is not None, "worker not initialised"
    options, rules = _process.worker
    results = evaluate_items(items, rules, options)
    directory, numbers = _process.spool
    path = os.path.join(directory, f"{os.getpid()}-{next(numbers)}.jsonl")
    with open(path, "xb") as spool:
        spool.write(joined_lines(results).encode("utf-8"))
    return Chunk(tuple(replace(result, line="") for result in results), path)


def chunk_size_for(total: int, jobs: int) -> int:
    """Items per task: about four tasks per worker, at most `MAX_CHUNK` items each."""
    return max(1, min(MAX_CHUNK, -(-total // (4 * jobs)))) if total else 1


def chunk_sizes(*, total: int | None, jobs: int, size: int) -> Iterator[int]:
    """The size of each chunk in turn (the last one may find fewer items): `size`, except that with
    several workers and a known `total` the chunks near the end get smaller, a `2 * jobs`-th of
    what is left and at least `SMALLEST_LAST_CHUNK` items. The workers then finish within a small
    chunk of each other, where one of them waited up to a whole chunk for the other's last one."""
    size = max(1, size)
    if total is None or jobs <= 1:
        yield from itertools.repeat(size)
        return
    smallest = min(size, SMALLEST_LAST_CHUNK)
    left = total
    while True:
        chunk = max(smallest, min(size, -(-left // (2 * jobs))))
        yield chunk
        left -= chunk


def _chunks(items: Iterable[Item], sizes: Iterator[int]) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, next(sizes))):
        yield chunk


def run_batch(items: Iterable[Item], options: BatchOptions, *, jobs: int = 1, chunk_size: int = 8,
              rules: RuleBase | None = None, total: int | None = None) -> Generator[ItemResult, None, None]:
    """Evaluate `items`, yielding one result per item, with its line, in input order (arguments
    as for `run_batch_chunks`). Close the iterator (or exhaust it) to stop the worker processes."""
    with run_batch_chunks(items, options, jobs=jobs, chunk_size=chunk_size, rules=rules, total=total) as chunks:
        for chunk in chunks:
            yield from chunk.with_lines()


def run_batch_chunks(items: Iterable[Item], options: BatchOptions, *, jobs: int = 1, chunk_size: int = 8,
                     rules: RuleBase | None = None, total: int | None = None) -> ChunkStream:
    """Start evaluating `items`; the returned stream yields their results in chunks, in input order.

    With `jobs` over 1 the worker processes are forked and the first chunks sent to them before
    this returns, so that they start while the caller prepares its output.

    Args:
        items: what to evaluate (see `collect_inputs`).
        options: rules directories, backend, date, lean output.
        jobs: worker processes; 1 evaluates in this process, as the stream is read.
        chunk_size: items evaluated together (`evaluate_items`), and sent to a worker at a time; at
            most `2 * jobs` chunks are in flight, so a long batch never holds more than that many
            chunks of results in memory, nor their lines on disk (in a private temporary directory,
            removed at the end).
        rules: the rule base already loaded from `options.rule_dirs`, if the caller has it.
        total: how many items there are, if known: the last chunks are then made smaller
            (`chunk_sizes`).

    Close the stream (or exhaust it; it is also a context manager) to stop the worker processes;
    `contextlib.closing` does it when the caller stops early on an error.
    """
    options = options.resolved()
    if rules is None:
        rules = RuleBase.load([Path(d) for d in options.rule_dirs])
    chunks = _chunks(items, chunk_sizes(total=total, jobs=jobs, size=chunk_size))
    if jobs <= 1:
        return ChunkStream(Chunk(tuple(evaluate_items(chunk, rules, options))) for chunk in chunks)
    pooled = _pooled(chunks, options, rules, jobs)
    next(pooled)  # forks the workers and sends them the first chunks
    return ChunkStream(pooled)


class ChunkStream(Iterator[Chunk]):
    """The chunks of a started batch, in input order; `close` stops its worker processes."""

    def __init__(self, chunks: Generator[Chunk | None, None, None]) -> None:
        self._chunks = chunks

    def __next__(self) -> Chunk:
        chunk = next(self._chunks)
        assert chunk is not None, "a started batch's stream yields chunks only"
        return chunk

    def close(self) -> None:
        self._chunks.close()

    def __enter__(self) -> ChunkStream:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _pooled(chunks: Iterator[list[Item]], options: BatchOptions, rules: RuleBase,
            jobs: int) -> Generator[Chunk | None, None, None]:
    """The chunks evaluated by `jobs` worker processes. Started at once: the pool is forked and the
    first chunks sent before the first (and only) `None` is yielded."""
    _process.worker = (options, rules)
    if options.compact:  # every compact line points into it: built once here, and the workers inherit it
        from bgtc_rules.advice.dictionary import dictionary_for

        dictionary_for(rules)
    spool_directory = tempfile.mkdtemp(prefix="bgtc-batch-")  # 0700: the lines hold the dossiers' content
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                               initargs=(options, spool_directory, os.getpid()))
    try:
        pending: deque[Future[Chunk]] = deque()
        first = next(chunks, None)
        if first is not None:
            with _signals_held(), _kept_from_workers_collections():  # the first submit forks
                pending.append(pool.submit(_run_chunk, first))
        pending.extend(pool.submit(_run_chunk, chunk) for chunk in itertools.islice(chunks, 2 * jobs - len(pending)))
        yield None  # started: `ChunkStream` holds the generator from here, so that closing it stops the pool
        while pending:
            yield from _collected(pending.popleft())
            pending.extend(pool.submit(_run_chunk, chunk) for chunk in itertools.islice(chunks, 1))
    except BrokenProcessPool as exc:
        raise BgtcError(f"a worker process stopped unexpectedly ({exc})") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _process.worker = None
        shutil.rmtree(spool_directory, ignore_errors=True)


def _collected(future: Future[Chunk]) -> Iterator[Chunk]:
    """A worker's chunk, its spool file removed once the caller has taken it."""
    try:
        chunk = future.result()
    except OSError as exc:  # the worker could not write its spool file (a full temporary directory)
        raise BgtcError(f"a worker process cannot write its results to {exc.filename or 'its spool file'}: "
                        f"{exc.strerror or exc}") from None
    try:
        yield chunk
    finally:
        if chunk.spool is not None:
            with contextlib.suppress(OSError):
                os.unlink(chunk.spool)
