"""`bgtc batch`: evaluate directories of dossiers and JSONL files in parallel.

Standard output gets the summary (programs x determinations, dossiers evaluated and failed);
`--output` gets one JSON line per dossier, in input order, written atomically. A line holds the
compact assessment by default: everything about its dossier, pointing into the rule-base
dictionary written once as the output's first line (or, with `--dictionary beside`, in a file
beside it), so that the file answers every later question without re-running the batch (`bgtc
rebuild` gives each full assessment back). `--full` writes the full assessment on every line
(about 100 KB each); `--lean` keeps only the determinations (lines of about 1 KB). Standard error
gets a progress bar on a terminal (or with `--progress`), then the failures and a one-line
summary; nothing else.
"""

from __future__ import annotations

import gc
import itertools
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, closing, contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from bgtc_rules.base.errors import input_error
from bgtc_rules.cli.common import (
    EXIT_FOUND,
    as_of_option,
    backend_option,
    cores_available,
    friendly_errors,
    parse_date,
    rules_option,
)
from bgtc_rules.engine.determination import Determination  # light: names and words only

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from bgtc_rules.advice.batch import BatchOptions, Chunk, ItemResult
    from bgtc_rules.advice.batch_inputs import Inputs
    from bgtc_rules.advice.batch_summary import Summary
    from bgtc_rules.base.outputs import LineJournal
    from bgtc_rules.language.rulebase import RuleBase

# The determinations and "failed".
FAIL_ON_CHOICES = (*(d.value for d in Determination), "failed")
FAILURES_SHOWN = 20


class _Progress:
    """A progress bar on a terminal; with `--progress` elsewhere, a line every tenth of the way."""

    def __init__(self, total: int, forced: bool | None, stack: ExitStack) -> None:
        terminal = sys.stderr.isatty()
        shown = forced if forced is not None else terminal
        self.total = total
        self._lines = shown and not terminal
        self._bar: ProgressBar[int] | None = None
        self._done = 0
        if shown and terminal:
            bar = click.progressbar(length=total, label="Evaluating", file=sys.stderr, show_pos=True)
            self._bar = stack.enter_context(bar)

    def step(self) -> None:
        self._done += 1
        if self._bar is not None:
            self._bar.update(1)
        elif self._lines and (self._done == self.total or self._done % max(1, self.total // 10) == 0):
            click.echo(f"evaluated {self._done}/{self.total} dossiers", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: one per core available); 1 evaluates in this process.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write one JSON line per dossier here (atomically), in input order; '-' for standard "
                   "output, which then moves the summary to standard error.")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted batch: keep the lines its partial --output file holds "
                   "(same inputs and options) and evaluate only the rest.")
@click.option("--lean", is_flag=True,
              help="Leave the assessment out of each output line: source, ok and determinations only.")
@click.option("--full", is_flag=True,
              help="Write the full assessment on each output line (as `bgtc evaluate --format json` gives it) "
                   "instead of the compact one.")
@click.option("--dictionary", "dictionary", type=click.Choice(["head", "beside"]), default="head", show_default=True,
              help="Where the rule-base dictionary that compact lines point into goes: the output's first line, "
                   "or a file beside the output (OUTPUT with the suffix .dictionary.json).")
@as_of_option
@rules_option
@backend_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Format of the summary.")
@click.option("--fail-on", "fail_on", multiple=True, type=click.Choice(FAIL_ON_CHOICES),
              help="Exit 1 if any dossier got this determination for any program ('failed': if any "
                   "dossier could not be evaluated). Repeatable.")
@click.option("--progress/--no-progress", default=None,
              help="Show progress on standard error (default: only when it is a terminal).")
@friendly_errors
def batch(paths: tuple[Path, ...], jobs: int | None, output: Path | None, resume: bool, lean: bool, full: bool,
          dictionary: str, as_of: str | None, rule_dirs: tuple[Path, ...], backend: str | None, fmt: str,
          fail_on: tuple[str, ...], progress: bool | None) -> None:
    """Evaluate every dossier in PATHS: directories (*.yaml, *.yml, *.json, recursively) and
    JSONL files (one dossier per line). Bad dossiers are reported and skipped.

    Each --output line is {"source", "ok", "determinations", "standing", "compact"} (the compact
    assessment, about 20 KB a dossier, pointing into the rule-base dictionary: the output's first
    line, or a file beside it with --dictionary beside), or {"source", "ok": false, "errors"}.
    --full writes the full "assessment" instead (as `bgtc evaluate --format json` gives it, about
    100 KB a dossier); --lean leaves the assessment out. `bgtc rebuild` gives the full assessments
    back from compact lines. The summary goes to standard output.
    """
    started = time.monotonic()
    with _collector_paused():  # start-up makes objects that live to the end: no garbage to look for
        from bgtc_rules.advice.batch import BatchOptions
        from bgtc_rules.advice.batch_inputs import collect_inputs
        from bgtc_rules.base.outputs import LineJournal, writes_in_place
        from bgtc_rules.cli import end_cleanly_on_sigterm
        from bgtc_rules.language.rulebase import RuleBase

        end_cleanly_on_sigterm()  # a stopped batch removes its workers' spool directory, keeps its partial output
        if lean and full:
            raise input_error("--full", "", "cannot be given with --lean: a line holds the full assessment or none")
        options = BatchOptions(tuple(str(d) for d in rule_dirs), backend, parse_date(as_of), lean, full,
                               dictionary).resolved()
        inputs = collect_inputs(list(paths))
        to_stdout = output is not None and str(output) == "-"
        in_place = output is not None and not to_stdout and writes_in_place(output)  # a device or a pipe
        if resume and (output is None or to_stdout or in_place):
            raise input_error("--resume", "", "needs --output FILE: it continues the partial file of that output")
        if options.compact and dictionary == "beside" and (output is None or to_stdout or in_place):
            raise input_error("--dictionary", "beside",
                              "needs --output FILE: the dictionary is written beside that file")
        rules = RuleBase.load(rule_dirs)
    journal = (None if output is None or to_stdout or in_place
               else LineJournal(output, options.resume_key(inputs, rules)))
    with ExitStack() as locked:
        if journal is not None:  # held from before --resume reads the partial file to the end
            journal.lock()
            locked.callback(journal.release)
        summary, workers = _evaluate_all(inputs, options, rules, output, journal, resume, jobs, progress)
    target = None if output is None else "-" if to_stdout else str(output)
    if fmt == "json":
        text = json.dumps(summary.to_dict(options, rules, target), indent=2, ensure_ascii=False) + "\n"
    else:
        text = summary.render_text(options, rules)
    click.echo(text, nl=False, err=to_stdout)

    _report(summary.failures, summary.failed, output is not None)
    elapsed = time.monotonic() - started
    where = f"; results in {output}" if output is not None and not to_stdout else ""
    click.echo(f"bgtc batch: {summary.items} dossiers, {summary.evaluated} evaluated, {summary.failed} failed "
               f"in {elapsed:.1f} s with {workers} worker{'s' if workers > 1 else ''}{where}", err=True)

    found = [name for name in fail_on
             if (summary.failed if name == "failed" else summary.dossiers_with[name])]
    if found:
        click.echo(f"bgtc batch: --fail-on matched: {', '.join(found)}", err=True)
        sys.exit(EXIT_FOUND)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection inside (about 15 ms of a batch's start, which every run pays before
    its work can be shared out); the collector is as it was after, before any worker is forked."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _evaluate_all(inputs: Inputs, options: BatchOptions, rules: RuleBase, output: Path | None,
                  journal: LineJournal | None, resume: bool, jobs: int | None,
                  progress: bool | None) -> tuple[Summary, int]:
    """Evaluate every item, writing the output lines to `journal` (or in place, or to standard
    output); the summary of them all, and the number of worker processes."""
    from bgtc_rules.advice.batch_pool import chunk_size_for, run_batch_chunks
    from bgtc_rules.advice.batch_summary import Summary
    from bgtc_rules.base.outputs import AtomicOutput
    from bgtc_rules.engine.backends import DURABLE

    summary = Summary.for_rules(rules)
    kept, headed = _resume(journal, inputs, summary) if journal is not None and resume else (0, False)
    total = inputs.count()
    workers = max(1, min(jobs or cores_available(), max(1, total - kept)))
    if workers == 1 and options.backend == DURABLE:  # this process evaluates them all: as a worker would
        from bgtc_rules.engine.backends.durable_limits import tune_malloc

        tune_malloc()
    # Without --output only the determinations are used: the assessments are not written at all.
    evaluated_as = options if output is not None else replace(options, lean=True)
    sink: AbstractContextManager[IO[str] | None] = (
        nullcontext() if output is None else nullcontext(sys.stdout) if str(output) == "-"
        else AtomicOutput(output) if journal is None else journal)
    with ExitStack() as stack:
        stream = stack.enter_context(sink)  # an output that cannot be written fails before any work
        # Started before the dictionary is written (it is built before they fork: their lines
        # point into it): the workers warm up meanwhile.
        chunks = stack.enter_context(closing(run_batch_chunks(
            itertools.islice(inputs, kept, None), evaluated_as, jobs=workers,
            chunk_size=chunk_size_for(total - kept, workers), rules=rules, total=total - kept)))
        head = ""
        if stream is not None and options.compact:
            head = _dictionary_head(rules, options, output, headed)
        write = _line_writer(stream, head) if stream is not None else None
        bar = _Progress(total, progress, stack)
        for _ in range(kept):
            bar.step()
        for chunk in chunks:
            if write is not None:
                write(chunk)
            for result in chunk.results:
                summary.add(result)
                bar.step()
    return summary, workers


def _dictionary_head(rules: RuleBase, options: BatchOptions, output: Path | None, headed: bool) -> str:
    """The rule-base dictionary the compact lines point into: the output's first line (unless a
    resumed output holds it already), returned; or written to its own file beside the output."""
    from bgtc_rules.advice.dictionary import dictionary_for
    from bgtc_rules.base.outputs import AtomicOutput

    text = dictionary_for(rules).to_json()
    if options.dictionary == "head":
        return "" if headed else text
    assert output is not None
    with AtomicOutput(dictionary_path(output)) as beside:
        beside.write(text)
    return ""


def dictionary_path(output: Path) -> Path:
    """Where `--dictionary beside` writes the dictionary of the output file `output`.

    Examples:
        >>> str(dictionary_path(Path("out/results.jsonl"))), str(dictionary_path(Path("results")))
        ('out/results.dictionary.json', 'results.dictionary.json')
    """
    return output.with_name(output.stem + ".dictionary.json")


def _line_writer(stream: IO[str], head: str = "") -> Callable[[Chunk], None]:
    """How a chunk's lines reach `stream`, after `head` (written at once): through its file
    descriptor, so that a worker's spool file is copied by the kernel and a short write to a pipe
    is followed by the rest; as text where it has none (a test runner's capture)."""
    from bgtc_rules.advice.batch import joined_lines
    from bgtc_rules.base.outputs import write_all, write_behind

    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        stream.write(head)

        def write_text(chunk: Chunk) -> None:
            stream.write(joined_lines(chunk.with_lines()))
        return write_text
    stream.flush()  # nothing of ours is buffered there; from now on only the descriptor is written
    to_disk = write_behind(descriptor)  # so that the closing fsync of ~100 KB a dossier finds it written
    if head:
        write_all(descriptor, head.encode("utf-8"))
        if to_disk is not None:
            to_disk()

    def write_bytes(chunk: Chunk) -> None:
        chunk.write_lines(descriptor)
        if to_disk is not None:
            to_disk()
    return write_bytes


def _resume(journal: LineJournal, inputs: Inputs, summary: Summary) -> tuple[int, bool]:
    """Count the lines an interrupted run of this batch left into `summary`, checking that they are
    the first items' results; how many there are, and whether the dictionary heads them."""
    from bgtc_rules.advice.batch import ItemResult
    from bgtc_rules.advice.batch_lines import is_dictionary_line

    for stale in journal.stale():
        click.echo(f"bgtc batch: ignoring {stale}: a partial output of a batch with other inputs or options",
                   err=True)
    items = iter(inputs)
    kept = 0
    headed = False
    for number, line in enumerate(journal.complete_lines(), 1):
        if number == 1 and is_dictionary_line(line):
            headed = True
            continue
        item = next(items, None)
        if item is None:
            raise input_error(str(journal.partial), "", "holds more lines than there are inputs; "
                              "delete the file to start over")
        try:
            result = ItemResult.from_line(line)
        except (ValueError, KeyError, TypeError):
            raise input_error(str(journal.partial), "", f"line {number} is not a batch output line; "
                              "delete the file to start over") from None
        if result.source != item.source:
            raise input_error(str(journal.partial), "", f"line {number} is for {result.source}, expected "
                              f"{item.source}; delete the file to start over")
        summary.add(result)
        kept += 1
    if kept:
        click.echo(f"bgtc batch: resuming after {kept} dossiers kept from {journal.partial}", err=True)
    return kept, headed


def _report(failures: list[ItemResult], count: int, written: bool) -> None:
    """The problems of the first failed items, on standard error."""
    for result in failures[:FAILURES_SHOWN]:
        for problem in result.problems:
            click.echo(f"failed: {problem}", err=True)
    if count > FAILURES_SHOWN:
        see = "the output lines" if written else "--output for all of them"
        click.echo(f"failed: ... and {count - FAILURES_SHOWN} more dossiers (see {see})", err=True)
