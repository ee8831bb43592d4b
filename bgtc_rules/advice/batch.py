"""Evaluate many dossiers at once: inputs, a pool of worker processes, per-item results, a summary.

Inputs are directories of dossiers (`*.yaml`, `*.yml`, `*.json`, found recursively, hidden files
and directories skipped, sorted by path), single dossier files, and JSONL files holding one
dossier mapping per line (blank lines skipped; an item is named `file.jsonl:LINE`).

A bad item (unreadable file, invalid YAML or JSON, validation errors) becomes a failed result
naming file, line and field path, and the batch goes on. Results come back in input order
whatever the number of workers, and each carries its output line already serialised, so the
worker processes send back strings rather than pickled assessments.

Examples:
    >>> inputs = collect_inputs([Path("scenarios/aav_pre_ind_pediatric_neuro.yaml"),
    ...                          Path("scenarios/aav_phase12_pediatric_neuro.yaml")])
    >>> [item.source for item in inputs]
    ['scenarios/aav_pre_ind_pediatric_neuro.yaml', 'scenarios/aav_phase12_pediatric_neuro.yaml']
    >>> results = list(run_batch(inputs, BatchOptions(as_of=dt.date(2026, 11, 21))))
    >>> [r.determinations["rmat"] for r in results if r.determinations]
    ['not_yet', 'eligible']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bgtc_rules.base.documents import MAX_DOCUMENT_BYTES, Document, parse_json
from bgtc_rules.base.errors import BgtcError, InputError, Problem, input_error
from bgtc_rules.base.jsontext import compact
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.rulebase import RuleBase

DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")
JSONL_SUFFIX = ".jsonl"
MAX_CHUNK = 16


@dataclass(frozen=True)
class Item:
    """One dossier to evaluate: a file, or one line of a JSONL file (`line` and its raw `data`)."""

    source: str
    path: str
    line: int | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class _Input:
    path: Path
    kind: str  # "dossier", "directory" (the dossier files found in it) or "jsonl"
    files: tuple[Path, ...] = ()


def _is_dossier_file(path: Path) -> bool:
    return path.suffix.lower() in DOSSIER_SUFFIXES


def _dossier_files(directory: Path) -> list[Path]:
    found: list[tuple[str, ...]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = Path(root).relative_to(directory).parts
        found.extend((*relative, name) for name in files
                     if not name.startswith(".") and _is_dossier_file(Path(name)))
    return [directory.joinpath(*parts) for parts in sorted(found)]


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSONL file with their 1-based numbers."""
    try:
        with path.open("rb") as stream:
            for number, raw in enumerate(stream, 1):
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if raw.strip():
                    yield number, raw
    except OSError as exc:
        raise input_error(str(path), "", f"cannot read file: {exc.strerror or exc}") from None


class Inputs:
    """The validated inputs of a batch; iterating yields the items in order, reading lazily."""

    def __init__(self, inputs: Sequence[_Input]) -> None:
        self._inputs = tuple(inputs)

    def __iter__(self) -> Iterator[Item]:
        for entry in self._inputs:
            if entry.kind == "jsonl":
                for number, raw in _jsonl_lines(entry.path):
                    yield Item(f"{entry.path}:{number}", str(entry.path), number, raw)
            else:
                for path in entry.files:
                    yield Item(str(path), str(path))

    def fingerprint(self) -> str:
        """A digest of every input file's path, size and modification time: what a resumed batch
        must find unchanged."""
        digest = hashlib.sha256()
        for entry in self._inputs:
            for path in entry.files if entry.kind != "jsonl" else (entry.path,):
                info = path.stat()
                digest.update(f"{path.resolve()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        return digest.hexdigest()

    def count(self) -> int:
        """How many items there are (reads the JSONL files once)."""
        return sum(len(e.files) if e.kind != "jsonl" else sum(1 for _ in _jsonl_lines(e.path))
                   for e in self._inputs)


def collect_inputs(paths: Sequence[Path]) -> Inputs:
    """Check the paths a batch was given: each an existing directory with dossiers in it, a
    dossier file, or a readable `.jsonl` file.

    Raises:
        InputError: naming every path that cannot be used.
    """
    problems: list[Problem] = []
    inputs: list[_Input] = []
    if not paths:
        problems.append(Problem("PATH", "", "give at least one directory of dossiers or JSONL file"))
    for path in paths:
        if path.is_dir():
            files = _dossier_files(path)
            if not files:
                problems.append(Problem(str(path), "", "no .yaml, .yml or .json dossier files in this directory"))
            inputs.append(_Input(path, "directory", tuple(files)))
        elif not path.exists():
            problems.append(Problem(str(path), "", "no such file or directory"))
        elif path.suffix.lower() == JSONL_SUFFIX:
            if not os.access(path, os.R_OK):
                problems.append(Problem(str(path), "", "cannot read file: permission denied"))
            inputs.append(_Input(path, "jsonl"))
        elif _is_dossier_file(path):
            inputs.append(_Input(path, "dossier", (path,)))
        else:
            problems.append(Problem(str(path), "", "expected a directory, a .jsonl file or a .yaml/.yml/.json dossier"))
    if problems:
        raise InputError(problems)
    return Inputs(inputs)


@dataclass(frozen=True)
class BatchOptions:
    """How to evaluate: extra rules directories, backend, date, and whether output lines are lean
    (determinations only, no full assessment)."""

    rule_dirs: tuple[str, ...] = ()
    backend: str | None = None
    as_of: dt.date | None = None
    lean: bool = False

    def resume_key(self, inputs: Inputs, rules: RuleBase) -> str:
        """What a batch's output depends on: inputs, date, backend, rules and line format."""
        identity = f"{inputs.fingerprint()}\0{self.as_of}\0{self.backend}\0{rules.digest}\0{self.lean}"
        return hashlib.sha256(identity.encode()).hexdigest()[:16]

    def resolved(self) -> BatchOptions:
        """The same options with the backend named and the date fixed, so every worker agrees."""
        from bgtc_rules.engine.backends import resolve_backend_name

        return replace(self, backend=resolve_backend_name(self.backend), as_of=self.as_of or dt.date.today())


@dataclass(frozen=True)
class ItemResult:
    """The result of one item: determinations (program -> determination) if it was evaluated,
    else the problems that stopped it; `line` is its JSONL output line, without a newline."""

    source: str
    determinations: dict[str, str] | None
    problems: tuple[Problem, ...]
    line: str

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
            return cls(record["source"], {str(k): str(v) for k, v in record["determinations"].items()}, (), line)
        if record.get("ok") is False and isinstance(record.get("errors"), list):
            problems = tuple(Problem(e["file"], e["path"], e["message"], e["line"]) for e in record["errors"])
            return cls(record["source"], None, problems, line)
        raise ValueError("not a batch output line")


def problem_dict(problem: Problem) -> dict[str, Any]:
    return problem.to_dict()


_dumps = compact


def _failed(source: str, problems: Sequence[Problem]) -> ItemResult:
    line = _dumps({"source": source, "ok": False, "errors": [problem_dict(p) for p in problems]})
    return ItemResult(source, None, tuple(problems), line)


def _jsonl_dossier(item: Item) -> Dossier:
    """Parse and validate one JSONL line; problems name the file and the line."""
    from bgtc_rules.base.validation import validate_document

    assert item.data is not None and item.line is not None
    if len(item.data) > MAX_DOCUMENT_BYTES:
        raise input_error(item.path, "", f"line is longer than {MAX_DOCUMENT_BYTES // 1024} KiB", item.line)
    try:
        text = item.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise input_error(item.path, "", f"not valid UTF-8 text (byte {exc.start} of the line)", item.line) from None
    try:
        parsed = parse_json(text, item.path)
    except InputError as exc:
        raise InputError([replace(p, line=item.line) for p in exc.problems]) from None
    return validate_document(Dossier, Document(item.path, parsed.data, {(): item.line}))


def evaluate_item(item: Item, rules: RuleBase, options: BatchOptions) -> ItemResult:
    """Read, validate and evaluate one item; never raises for a bad item (or a bug: it is
    reported as the item's internal error)."""
    from bgtc_rules.advice.evaluation import evaluate
    from bgtc_rules.dossier.loading import load_dossier

    try:
        dossier = _jsonl_dossier(item) if item.data is not None else load_dossier(item.path)
        assessment = evaluate(dossier, rules, as_of=options.as_of, backend=options.backend, source=item.source)
    except InputError as exc:
        return _failed(item.source, exc.problems)
    except Exception as exc:  # a bug or an engine failure: report it on this item, go on with the others
        kind = "" if isinstance(exc, BgtcError) else f"{type(exc).__name__}: "
        return _failed(item.source, [Problem(item.source, "", f"internal error: {kind}{exc} (please report it)")])
    determinations = assessment.determinations()
    line = _dumps({"source": item.source, "ok": True, "determinations": determinations})
    if not options.lean:  # the assessment's own compact JSON, as the record's last member
        line = f'{line[:-1]},"assessment":{assessment.to_json(indent=None).rstrip()}}}'
    return ItemResult(item.source, determinations, (), line)


# --- worker processes -------------------------------------------------------------------------

# The rule base of this process while a batch runs: set by `run_batch` before the pool starts, so a
# forked worker inherits it; a spawned worker loads it once, in `_init_worker`.
_worker: tuple[BatchOptions, RuleBase] | None = None


def _init_worker(options: BatchOptions) -> None:
    global _worker
    # Ctrl-C is the parent's to handle: it cancels what is queued and lets the running chunks end.
    # A worker interrupted in the middle of a queue operation could leave a lock held forever.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _worker is None or _worker[0] != options:
        _worker = (options, RuleBase.load([Path(d) for d in options.rule_dirs]))
    from bgtc_rules.engine.backends import DURABLE, resolve_backend_name
    from bgtc_rules.engine.evaluation import backend_for

    if resolve_backend_name(options.backend) == DURABLE:
        from bgtc_rules.engine.backends.durable import tune_malloc

        tune_malloc()
    backend_for(_worker[1], options.backend)  # build the backend once, before the first item


def _run_chunk(items: list[Item]) -> list[ItemResult]:
    assert _worker is not None, "worker not initialised"
    options, rules = _worker
    return [evaluate_item(item, rules, options) for item in items]


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
    """Evaluate `items`, yielding one result per item in input order.

    Args:
        items: what to evaluate (see `collect_inputs`).
        options: rules directories, backend, date, lean output.
        jobs: worker processes; 1 evaluates in this process.
        chunk_size: items sent to a worker at a time; at most `2 * jobs` chunks are in flight, so
            a long batch never holds more than that many chunks of results in memory.
        rules: the rule base already loaded from `options.rule_dirs`, if the caller has it.

    Close the iterator (or exhaust it) to stop the worker processes; `contextlib.closing` does it
    when the caller stops early on an error.
    """
    global _worker
    options = options.resolved()
    if rules is None:
        rules = RuleBase.load([Path(d) for d in options.rule_dirs])
    if jobs <= 1:
        for item in items:
            yield evaluate_item(item, rules, options)
        return
    _worker = (options, rules)
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(options,))
    try:
        pending: deque[Future[list[ItemResult]]] = deque()
        for chunk in _chunks(items, max(1, chunk_size)):
            pending.append(pool.submit(_run_chunk, chunk))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool as exc:
        raise BgtcError(f"a worker process stopped unexpectedly ({exc})") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _worker = None
