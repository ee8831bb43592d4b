"""Evaluate many dossiers at once: per-item results, with their output lines, in input order.

The inputs (directories of dossiers, dossier files, JSONL files) are `batch_inputs`'s; the worker
processes that evaluate a batch's chunks are `batch_pool`'s.

A bad item (unreadable file, invalid YAML or JSON, validation errors) becomes a failed result
naming file, line and field path, and the batch goes on. Results come back in input order
whatever the number of workers, in chunks of consecutive items. A worker process writes its
chunk's output lines to a spool file and sends back only the determinations and problems: the
lines (about 100 KB each) never go through a pipe and pickling, and `Chunk.write_lines` has the
kernel copy them into the output.

Examples:
    >>> from pathlib import Path
    >>> from bgtc_rules.advice.batch_inputs import collect_inputs
    >>> inputs = collect_inputs([Path("scenarios/aav_pre_ind_pediatric_neuro.yaml"),
    ...                          Path("scenarios/aav_phase12_pediatric_neuro.yaml")])
    >>> [item.source for item in inputs]
    ['scenarios/aav_pre_ind_pediatric_neuro.yaml', 'scenarios/aav_phase12_pediatric_neuro.yaml']
    >>> results = evaluate_items(list(inputs), RuleBase.load([]), BatchOptions(as_of=dt.date(2026, 11, 21)))
    >>> [r.determinations["rmat"] for r in results if r.determinations]
    ['not_yet', 'eligible']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
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
