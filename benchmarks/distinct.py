"""The distinct workload: thousands of different dossiers, each one met for the first time.

    python -m benchmarks.distinct [--count 5000] [--seed 13] [--json FILE] [--profile DIR] [--skip clips]
                                  [--input yaml|jsonl] [--line compact|full]

`benchmarks.run` clears the remembered determinations once per loop, so within a loop the
dossiers of a portfolio share their cases. Here no figure is a cache hit, on any backend. The
work is what `bgtc batch` does (`bgtc_rules.advice.batch.evaluate_items`): read the YAML file
(or, with `--input jsonl`, take one line of a JSONL file), parse, validate, derive facts, infer
with the trace, determine every program with its why-not, and write the JSON line, which is then
written to a file (timed too). It is timed two ways:

- **as `bgtc batch` runs it** (the targets): in chunks of `MAX_CHUNK` dossiers, the chunk `bgtc
  batch` gives a worker, which durable-rules infers in one session. In a chunk the stages run one
  after the other for all its dossiers (inference, determinations, assessments, lines), and the
  caches are cleared at the start of each dossier's determinations, assessment and line (`_cold`),
  inside the timed region: no dossier reuses what another left, and clearing is counted against
  the figure, never for it;
- **one at a time**, as `bgtc evaluate` and a lone service request run it (durable-rules gives
  each dossier to the session the previous ones left open, in a call of its own), caches cleared
  before every dossier outside the timed region; this loop gives the latencies.

Durable-rules, the reference evaluator and CLIPS (clipspy, on the same rules) run the same
items in one run, interleaved in rounds so that a change of load on the machine hits all of
them alike; throughput is per core (process CPU time) and wall, and the ratios are per core.
Every backend's lines must be identical byte for byte but for the backend's name (checked), in
both ways of timing.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import bgtc_rules.advice.batch as advice_batch
import bgtc_rules.advice.evaluation as advice_evaluation
from benchmarks.generate import write
from benchmarks.run import (
    AS_OF,
    CLIPS,
    Report,
    Sample,
    Target,
    backend_installed,
    clips_backend,
    git_revision,
    latency,
    load_average,
    peak_rss_mib,
    throughput,
)
from bgtc_rules import RuleBase
from bgtc_rules.advice.batch import BatchOptions, evaluate_item, evaluate_items
from bgtc_rules.advice.batch_inputs import Item, collect_inputs
from bgtc_rules.advice.batch_pool import MAX_CHUNK
from bgtc_rules.advice.evaluation import clear_caches
from bgtc_rules.engine.backends import DURABLE, REFERENCE, durable_available
from bgtc_rules.engine.determine import Determiner
from bgtc_rules.engine.inference import Backend

# Issue 25's targets, per core, on the work as `bgtc batch` runs it, caches cleared at every
# dossier's every stage (the earlier 1,000/s and 10,000/s were retired with the issue that set them:
# they cannot be met while durable-rules decides).
GOALS = {"jsonl": {DURABLE: 300.0, REFERENCE: 500.0}, "yaml": {DURABLE: 250.0}}


def distinct_loop(items: list[Item], work: Callable[[Item], str], out: TextIO, digests: list[str],
                  backend: str) -> Sample:
    """Time `work` on every item with the remembered cases forgotten (untimed) before each one;
    the line is written to `out` (timed) and its digest kept (untimed)."""
    sample = Sample()
    clock, cpu_clock, process_clock = time.perf_counter, time.thread_time, time.process_time
    for item in items:
        clear_caches()
        wall0, cpu0, process0 = clock(), cpu_clock(), process_clock()
        line = work(item)
        out.write(line)
        out.write("\n")
        wall, cpu, process = clock() - wall0, cpu_clock() - cpu0, process_clock() - process0
        sample.latencies.append(wall)
        sample.cpu_latencies.append(cpu)
        sample.wall += wall
        sample.cpu += process
        digests.append(_digest(line, backend))
    return sample


def batched_loop(items: list[Item], rules: RuleBase, options: BatchOptions, out: TextIO, digests: list[str],
                 backend: str) -> Sample:
    """Time `evaluate_items` on chunks of `MAX_CHUNK` items, as `bgtc batch` runs them, every stage
    of every dossier starting with the caches cleared (`_cold`); the lines are written to `out`
    (timed) and their digests kept (untimed). The sample holds one latency per dossier: its
    chunk's time shared equally, so only its throughput figures are meaningful."""
    sample = Sample()
    clock, process_clock = time.perf_counter, time.process_time
    with _cold():
        for start in range(0, len(items), MAX_CHUNK):
            chunk = items[start:start + MAX_CHUNK]
            wall0, process0 = clock(), process_clock()
            results = evaluate_items(chunk, rules, options)
            for result in results:
                if not result.ok:
                    raise RuntimeError(f"{result.source}: {result.line}")
                out.write(result.line)
                out.write("\n")
            wall, process = clock() - wall0, process_clock() - process0
            sample.latencies += [wall / len(chunk)] * len(chunk)
            sample.cpu_latencies += [process / len(chunk)] * len(chunk)
            sample.wall += wall
            sample.cpu += process
            digests.extend(_digest(result.line, backend) for result in results)
    return sample


# Where each dossier's stages start in `evaluate_items`: its determinations (after the chunk's
# inference), its assessment (advice) and its line.
_STAGES = ((Determiner, "determine"), (advice_evaluation, "_assessment"), (advice_batch, "_line"))


@contextlib.contextmanager
def _cold() -> Iterator[None]:
    """While inside, each of a dossier's stages in `evaluate_items` starts by clearing the caches
    (`clear_caches`, read from this module when called). A chunk runs each stage for all its
    dossiers before the next stage, so clearing only once per dossier would let a dossier reuse
    what the previous one's stage left."""
    saved = [(owner, name, getattr(owner, name)) for owner, name in _STAGES]

    def cleared_first(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            clear_caches()
            return function(*args, **kwargs)
        return run

    try:
        for owner, name, function in saved:
            setattr(owner, name, cleared_first(function))
        yield
    finally:
        for owner, name, function in saved:
            setattr(owner, name, function)


def _digest(line: str, backend: str) -> str:
    return hashlib.blake2b(line.replace(f'"backend":"{backend}"', '"backend":"-"').encode()).hexdigest()


def _options(backend: str, line: str) -> BatchOptions:
    """`bgtc batch`'s options: the line compact (the default) or `full` (`--full`)."""
    return BatchOptions(backend=backend, as_of=AS_OF, full=line == "full")


def _merge(into: Sample, got: Sample) -> None:
    into.latencies += got.latencies
    into.cpu_latencies += got.cpu_latencies
    into.wall += got.wall
    into.cpu += got.cpu


def _throughput_only(figures: dict[str, float]) -> dict[str, float]:
    """A batched sample's figures without its latencies, which are chunk times shared out."""
    return {key: value for key, value in figures.items() if "p50" not in key and "p99" not in key}


def _work(rules: RuleBase, backend: str, line: str = "compact") -> Callable[[Item], str]:
    """`bgtc batch`'s work on one item alone (`evaluate_item`)."""
    options = _options(backend, line)

    def run(item: Item) -> str:
        result = evaluate_item(item, rules, options)
        if not result.ok:
            raise RuntimeError(f"{item.source}: {result.line}")
        return result.line
    return run


def measure(count: int, seed: int, rounds: int, skip: frozenset[str], profile_dir: Path | None,
            source: str = "yaml", line: str = "compact") -> dict[str, Any]:
    rules = RuleBase.load()
    backends: dict[str, Backend | None] = {name: None for name in ([DURABLE] if durable_available() else [])}
    backends[REFERENCE] = None
    clips_reason = "left out (--skip clips)"
    if "clips" not in skip:
        clips, clips_reason = clips_backend(rules)
        if clips is not None:
            backends[CLIPS] = clips
    figures: dict[str, Any] = {
        "meta": {"count": count, "seed": seed, "rounds": rounds, "as_of": AS_OF.isoformat(),
                 "revision": git_revision(), "input": source, "line": line,
                 "load_average_before": load_average(), "clips": clips_reason
                 if CLIPS not in backends else "measured"},
    }
    with tempfile.TemporaryDirectory(prefix="bgtc-distinct-") as tmp:
        if source == "jsonl":
            items = list(collect_inputs(write(count, seed, Path(tmp) / "dossiers.jsonl")))
        else:
            items = [Item(str(path), str(path)) for path in write(count, seed, Path(tmp) / "dossiers")]
        samples: dict[str, Sample] = {name: Sample() for name in backends}
        batched: dict[str, Sample] = {name: Sample() for name in backends}
        digests: dict[str, list[str]] = {name: [] for name in backends}
        batched_digests: dict[str, list[str]] = {name: [] for name in backends}
        for name, instance in backends.items():  # warm-up, untimed: rulesets registered, files in the page cache
            with backend_installed(name, instance):
                for item in items[:20]:
                    _work(rules, name, line)(item)
        # Rounds: each backend does a slice of the items in turn, so load changes hit all alike.
        slices = [items[i::rounds] for i in range(rounds)]
        for part in slices:
            for name, instance in backends.items():
                with backend_installed(name, instance), open(Path(tmp) / f"out-{name}.jsonl", "a",
                                                             encoding="utf-8") as out:
                    _merge(samples[name], distinct_loop(part, _work(rules, name, line), out, digests[name], name))
                    _merge(batched[name], batched_loop(part, rules, _options(name, line), out,
                                                       batched_digests[name], name))
        if profile_dir is not None:
            figures["profiles"] = _profile(rules, backends, items[:300], profile_dir)
    figures["batched"] = {name: _throughput_only(sample.figures()) for name, sample in batched.items()}
    figures["end_to_end"] = {name: sample.figures() for name, sample in samples.items()}
    figures["identical_lines"] = {name: sum(a == b for a, b in zip(digests[name], digests[REFERENCE], strict=True))
                                  for name in backends if name != REFERENCE}
    figures["batched_identical_lines"] = {
        name: sum(a == b for a, b in zip(batched_digests[name], digests[REFERENCE], strict=True))
        for name in backends}
    figures["peak_rss_mib"] = peak_rss_mib()
    figures["meta"]["load_average_after"] = load_average()
    return figures


def _profile(rules: RuleBase, backends: dict[str, Backend | None], items: list[Item], directory: Path) -> list[str]:
    """cProfile of the distinct loop per backend, sorted by cumulative time (`profile-distinct-NAME.txt`)."""
    import cProfile
    import io
    import pstats

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, instance in backends.items():
        profiler = cProfile.Profile()
        work = _work(rules, name)
        with backend_installed(name, instance):
            for item in items:
                clear_caches()
                profiler.enable()
                work(item)
                profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(60)
        path = directory / f"profile-distinct-{name}.txt"
        path.write_text(text.getvalue(), encoding="utf-8")
        written.append(f"{path} ({len(items)} dossiers)")
    return written


def render(figures: dict[str, Any]) -> str:
    report = Report()
    meta = figures["meta"]
    loads = " ".join(f"{x:.2f}" for x in meta["load_average_before"] or ())
    after = " ".join(f"{x:.2f}" for x in meta["load_average_after"] or ())
    report.lines.append(f"distinct workload: {meta['count']} generated dossiers (seed {meta['seed']}) as "
                        f"{meta.get('input', 'yaml')} input, {meta.get('line', 'compact')} lines, as of "
                        f"{meta['as_of']}, caches cleared before every dossier, {meta['rounds']} interleaved rounds")
    report.lines.append(f"revision {meta['revision']}; load average {loads} before, {after} after")
    stages = "read -> parse -> validate -> facts -> infer -> determine -> why-not -> JSON line written"
    goals = GOALS[meta.get("input", "yaml")]
    if "batched" in figures:
        report.section(f"End to end as `bgtc batch` runs it, in chunks of {MAX_CHUNK} ({stages}; caches "
                       "cleared at each dossier's every stage)")
        for name, sample in figures["batched"].items():
            goal = goals.get(name)
            report.row(name, f"{throughput(sample)}, {sample['cpu_ms_per_item']:.2f} ms CPU per dossier",
                       Target(f"{name} distinct end to end, per core", sample["per_second_cpu"], goal, "/s")
                       if goal else None)
    report.section(f"End to end one dossier at a time, as `bgtc evaluate` runs it ({stages})")
    e2e = figures["end_to_end"]
    for name, sample in e2e.items():
        report.row(name, throughput(sample))
        report.row("", latency(sample))
    if CLIPS in e2e:
        for name in (DURABLE, REFERENCE):
            if name in e2e:
                ratio = e2e[name]["per_second_cpu"] / e2e[CLIPS]["per_second_cpu"]
                report.row(f"{name} / CLIPS (per core)", f"{ratio:.2f}x",
                           Target(f"{name} / CLIPS distinct end to end", ratio, 3.0, "x"))
    else:
        report.row("CLIPS", f"skipped: {meta['clips']}")
    for name, same in figures["identical_lines"].items():
        report.row(f"{name} lines identical to reference", f"{same} of {meta['count']}")
    for name, same in figures.get("batched_identical_lines", {}).items():
        report.row(f"{name} chunked lines identical", f"{same} of {meta['count']} (to reference one at a time)")
    report.row("peak RSS (ru_maxrss)", f"{figures['peak_rss_mib']:.1f} MiB")
    for line in figures.get("profiles", []):
        report.row("profile", line)
    return report.text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.distinct", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="distinct dossiers (default 5,000)")
    parser.add_argument("--seed", type=int, default=13, help="generator seed (default 13)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures here")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="also write a cProfile per backend into DIR")
    parser.add_argument("--skip", action="append", default=[], choices=["clips"], help="leave out a part")
    parser.add_argument("--input", choices=["yaml", "jsonl"], default="yaml",
                        help="dossiers as YAML files (default) or as the lines of one JSONL file")
    parser.add_argument("--line", choices=["compact", "full"], default="compact",
                        help="the output line: compact (the default of bgtc batch) or full (--full)")
    args = parser.parse_args(argv)
    if args.count < 20 or args.rounds < 1:
        parser.error("--count must be at least 20 and --rounds at least 1")
    figures = measure(args.count, args.seed, args.rounds, frozenset(args.skip), args.profile, args.input, args.line)
    text = render(figures)
    sys.stdout.write(text)
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    bad = [name for name, same in [*figures["identical_lines"].items(), *figures["batched_identical_lines"].items()]
           if same != args.count]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
