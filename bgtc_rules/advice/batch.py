"""Evaluate many dossiers at once: a pool of worker processes, per-item results, in input order.

The inputs (directories of dossiers, dossier files, JSONL files) are `batch_inputs`'s.

A bad item (unreadable file, invalid YAML or JSON, validation errors) becomes a failed result
naming file, line and field path, and the batch goes on. Results come back in input order
whatever the number of workers, in chunks of consecutive items. A worker process writes its
chunk's output lines to a spool file and sends back only the determinations and problems: the
lines (about 100 KB each) never go through a pipe and pickling, and `Chunk.write_lines` has the
kernel copy them into the output.

Examples:
    >>> from bgtc_rules.advice.batch_inputs import collect_inputs
    >>> inputs = collect_inputs([Path("scenarios/aav_pre_ind_pediatric_neuro.yaml"),
    ...                          Path("scenarios/aav_phase12_pediatric_neuro.yaml")])
    >>> [item.source for item in inputs]
    ['scenarios/aav_pre_ind_pediatric_neuro.yaml', 'scenarios/aav_phase12_pediatric_neuro.yaml']
    >>> results = list(run_batch(inputs, BatchOptions(as_of=dt.date(2026, 11, 21))))
    >>> [r.determinations["rmat"] for r in results if r.determinations]
    ['not_yet', 'eligible']
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import hashlib
import itertools
import json
import os
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bgtc_rules.advice.batch_inputs import Inputs, Item, jsonl_dossier
from bgtc_rules.advice.batch_lines import assessment_line
from bgtc_rules.base.errors import BgtcError, InputError, Problem
from bgtc_rules.base.jsontext import compact
from bgtc_rules.base.outputs import append_file, write_all
from bgtc_rules.base.safetext import visible
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.rulebase import RuleBase

if TYPE_CHECKING:
    from bgtc_rules.advice.assessment import Assessment

# Items per task at most. A task's dossiers are inferred together (`evaluate_items`), which the
# durable-rules backend does in shared sessions, fastest per dossier at about 50 (benchmarks/README.md).
MAX_CHUNK = 50


@dataclass(frozen=True)
class BatchOptions:
    """How to evaluate: extra rules directories, backend, date, and what output lines hold: by
    default the compact assessment (`advice.compact`), pointing into the rule-base dictionary
    written once, at the head of the output (`dictionary="head"`) or in a file beside it
    ("beside"); with `full`, the full assessment; with `lean`, the determinations only."""

    rule_dirs: tuple[str, ...] = ()
    backend: str | None = None
    as_of: dt.date | None = None
    lean: bool = False
    full: bool = False
    dictionary: str = "head"

    @property
    def compact(self) -> bool:
        """Whether the lines hold compact assessments (and so point into a dictionary)."""
        return not self.lean and not self.full

    def resume_key(self, inputs: Inputs, rules: RuleBase) -> str:
        """What a batch's output depends on: inputs, date, backend, rules and line format."""
        identity = (f"{inputs.fingerprint()}\0{self.as_of}\0{self.backend}\0{rules.digest}\0{self.lean}"
                    f"\0{self.full}\0{self.dictionary if self.compact else ''}")
        return hashlib.sha256(identity.encode()).hexdigest()[:16]

    def resolved(self) -> BatchOptions:
        """The same options with the backend named and the date fixed, so every worker agrees."""
        from bgtc_rules.engine.backends import resolve_backend_name

        return replace(self, backend=resolve_backend_name(self.backend), as_of=self.as_of or dt.date.today())


@dataclass(frozen=True)
class ItemResult:
    """The result of one item: determinations (program -> determination) if it was evaluated,
    else the problems that stopped it; `line` is its JSONL output line, without a newline (empty
    in a `Chunk` from a worker process, which holds the lines in its spool file)."""

    source: str
    determinations: dict[str, str] | None
    problems: tuple[Problem, ...]
    line: str
    standing: dict[str, str] = field(default_factory=dict)  # program -> standing, where it is not "none"

    @property
    def ok(self) -> bool:
        return self.determinations is not None

    @classmethod
    def from_line(cls, line: str) -> ItemResult:
        """The result an output line records (for a resumed batch). Raises `ValueError` if the
        line is not one `evaluate_item` writes."""
        record = json.loads(line)
        if not isinstance(record, dict) or not isinstance(record.get("source"), str):
            raise ValueError("not a batch output line")
        if record.get("ok") is True and isinstance(record.get("determinations"), dict):
            standing = record.get("standing")
            return cls(record["source"], {str(k): str(v) for k, v in record["determinations"].items()}, (), line,
                       {str(k): str(v) for k, v in standing.items()} if isinstance(standing, dict) else {})
        if record.get("ok") is False and isinstance(record.get("errors"), list):
            problems = tuple(Problem(e["file"], e["path"], e["message"], e["line"]) for e in record["errors"])
            return cls(record["source"], None, problems, line)
        raise ValueError("not a batch output line")


def joined_lines(results: Iterable[ItemResult]) -> str:
    """The results' output lines, each ended by a newline: what a batch's output file holds."""
    return "".join(f"{result.line}\n" for result in results)


@dataclass(frozen=True)
class Chunk:
    """The results of consecutive items, in input order, with their output lines.

    Evaluated in this process, each result holds its line. From a worker process, the lines are
    in `spool`, a file the worker wrote them to (each ended by a newline), and the results' lines
    are empty; the file is removed when the next chunk is asked for, or the batch ends.
    """

    results: tuple[ItemResult, ...]
    spool: str | None = None

    def write_lines(self, descriptor: int) -> None:
        """Append the chunk's lines, each ended by a newline, to the file descriptor; a failure to
        write is the `OSError` of the write."""
        if self.spool is None:
            write_all(descriptor, joined_lines(self.results).encode("utf-8"))
        else:
            append_file(self.spool, descriptor)

    def with_lines(self) -> tuple[ItemResult, ...]:
        """The results, each holding its line (read from the spool file if there is one)."""
        if self.spool is None:
            return self.results
        with open(self.spool, "rb") as stream:
            lines = stream.read().decode("utf-8").split("\n")  # newlines only: a line may hold U+2028
        if lines[-1] or len(lines) != len(self.results) + 1:
            raise BgtcError(f"a worker's spool file {self.spool} does not hold one line per result")
        return tuple(replace(result, line=line) for result, line in zip(self.results, lines, strict=False))


def problem_dict(problem: Problem) -> dict[str, Any]:
    return problem.to_dict()


_dumps = compact


def _failed(source: str, problems: Sequence[Problem]) -> ItemResult:
    line = _dumps({"source": source, "ok": False, "errors": [problem_dict(p) for p in problems]})
    return ItemResult(source, None, tuple(problems), visible(line))


def evaluate_item(item: Item, rules: RuleBase, options: BatchOptions) -> ItemResult:
    """Read, validate and evaluate one item; never raises for a bad item (or a bug: it is
    reported as the item's internal error). A batch of one (`evaluate_items`)."""
    return evaluate_items([item], rules, options)[0]


def evaluate_items(items: Sequence[Item], rules: RuleBase, options: BatchOptions) -> list[ItemResult]:
    """Read and validate the items, and evaluate those that are valid together; one result per
    item, in order. Never raises for a bad item, nor for a bug met on one: that item alone is
    reported (its internal error), the others are evaluated again one by one if need be."""
    from bgtc_rules.advice.evaluation import evaluate_many
    from bgtc_rules.dossier.loading import load_dossier

    results: list[ItemResult | None] = []
    valid: list[tuple[int, Item, Dossier]] = []
    for item in items:
        try:
            dossier = jsonl_dossier(item) if item.data is not None else load_dossier(item.path)
        except Exception as exc:
            results.append(_failure(item, exc))
            continue
        valid.append((len(results), item, dossier))
        results.append(None)
    dossiers, sources = [d for _, _, d in valid], [item.source for _, item, _ in valid]
    answers: list[Assessment | Exception]
    try:
        answers = [*evaluate_many(dossiers, rules, as_of=options.as_of, backend=options.backend, sources=sources)]
    except Exception:  # met on one dossier, which is not known: each alone, so that only it fails
        answers = [_evaluated_alone(d, s, rules, options) for d, s in zip(dossiers, sources, strict=True)]
    for (index, item, _), answer in zip(valid, answers, strict=True):
        results[index] = (_failure(item, answer) if isinstance(answer, Exception)
                          else _line(item, answer, rules, options))
    return [result for result in results if result is not None]


def _evaluated_alone(dossier: Dossier, source: str, rules: RuleBase, options: BatchOptions) -> Assessment | Exception:
    from bgtc_rules.advice.evaluation import evaluate

    try:
        return evaluate(dossier, rules, as_of=options.as_of, backend=options.backend, source=source)
    except Exception as exc:
        return exc


def _failure(item: Item, exc: Exception) -> ItemResult:
    if isinstance(exc, InputError):
        return _failed(item.source, exc.problems)
    # a bug or an engine failure: report it on this item, go on with the others
    kind = "" if isinstance(exc, BgtcError) else f"{type(exc).__name__}: "
    return _failed(item.source, [Problem(item.source, "", f"internal error: {kind}{exc} (please report it)")])


def _line(item: Item, assessment: Assessment, rules: RuleBase, options: BatchOptions) -> ItemResult:
    return ItemResult(item.source, assessment.determinations(), (),
                      assessment_line(item.source, assessment, rules, options), assessment.standings())


# --- worker processes -------------------------------------------------------------------------

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


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_batch(items: Iterable[Item], options: BatchOptions, *, jobs: int = 1, chunk_size: int = 8,
              rules: RuleBase | None = None) -> Generator[ItemResult, None, None]:
    """Evaluate `items`, yielding one result per item, with its line, in input order (arguments
    as for `run_batch_chunks`). Close the iterator (or exhaust it) to stop the worker processes."""
    with contextlib.closing(run_batch_chunks(items, options, jobs=jobs, chunk_size=chunk_size, rules=rules)) as chunks:
        for chunk in chunks:
            yield from chunk.with_lines()


def run_batch_chunks(items: Iterable[Item], options: BatchOptions, *, jobs: int = 1, chunk_size: int = 8,
                     rules: RuleBase | None = None) -> Generator[Chunk, None, None]:
    """Evaluate `items`, yielding their results in chunks, in input order.

    Args:
        items: what to evaluate (see `collect_inputs`).
        options: rules directories, backend, date, lean output.
        jobs: worker processes; 1 evaluates in this process.
        chunk_size: items evaluated together (`evaluate_items`), and sent to a worker at a time; at
            most `2 * jobs` chunks are in flight, so a long batch never holds more than that many
            chunks of results in memory, nor their lines on disk (in a private temporary directory,
            removed at the end).
        rules: the rule base already loaded from `options.rule_dirs`, if the caller has it.

    Close the iterator (or exhaust it) to stop the worker processes; `contextlib.closing` does it
    when the caller stops early on an error.
    """
    options = options.resolved()
    if rules is None:
        rules = RuleBase.load([Path(d) for d in options.rule_dirs])
    if jobs <= 1:
        for chunk in _chunks(items, max(1, chunk_size)):
            yield Chunk(tuple(evaluate_items(chunk, rules, options)))
        return
    _process.worker = (options, rules)
    spool_directory = tempfile.mkdtemp(prefix="bgtc-batch-")  # 0700: the lines hold the dossiers' content
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                               initargs=(options, spool_directory, os.getpid()))
    try:
        pending: deque[Future[Chunk]] = deque()
        for number, chunk in enumerate(_chunks(items, max(1, chunk_size))):
            with _signals_held() if number == 0 else contextlib.nullcontext():  # the first submit forks
                pending.append(pool.submit(_run_chunk, chunk))
            if len(pending) >= 2 * jobs:
                yield from _collected(pending.popleft())
        while pending:
            yield from _collected(pending.popleft())
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
