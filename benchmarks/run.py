"""The performance benchmark: every figure of issue 7 in one run, on the shipped knowledge base.

    python -m benchmarks.run [--count N] [--seed S] [--quick] [--json FILE] [--profile DIR] [--mallopt]

Prints a table (each figure next to its target, met or not met) and, with `--json`, writes the
raw figures. What each figure means: benchmarks/README.md. Targets are printed, never asserted.

The dossiers come from `benchmarks.generate` (seeded, realistic). End to end is what `bgtc batch`
does for one dossier, in this process: YAML text (or a JSONL mapping) -> validated `Dossier` ->
facts -> inference -> determinations with why-not -> `Assessment` -> compact JSON. "Per core"
figures divide by the process CPU time, so that other load on the machine does not count;
wall-clock figures are printed beside them.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import datetime as dt
import gc
import hashlib
import importlib
import importlib.util
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import bgtc_rules.engine.evaluation as engine_run
from benchmarks.generate import generate, to_yaml, write
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate
from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.evaluation import clear_caches
from bgtc_rules.advice.whatif import compare
from bgtc_rules.base.documents import parse_yaml
from bgtc_rules.base.validation import validate_document
from bgtc_rules.dossier.editing import with_changes
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.backends import DURABLE, REFERENCE, create_backend, durable_available
from bgtc_rules.engine.facts import Facts, dossier_facts
from bgtc_rules.engine.inference import Backend, Inference

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 21)
SCENARIO = "scenarios/aav_phase12_pediatric_neuro.yaml"
CLIPS = "clips"
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD, TRIM_THRESHOLD = 32 * 1024 * 1024, 128 * 1024 * 1024

T = TypeVar("T")
R = TypeVar("R")


# --- measuring --------------------------------------------------------------------------------

@dataclass
class Sample:
    """Per-item wall (and CPU) latencies of one loop, and the loop's wall and process CPU time."""

    latencies: list[float] = field(default_factory=list)
    cpu_latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    def per_second_wall(self) -> float:
        return self.count / self.wall if self.wall else math.nan

    def per_second_cpu(self) -> float:
        return self.count / self.cpu if self.cpu else math.nan

    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else math.nan

    def p99(self) -> float:
        return percentile(self.latencies, 99)

    def figures(self) -> dict[str, float]:
        return {
            "count": self.count,
            "per_second_wall": self.per_second_wall(),
            "per_second_cpu": self.per_second_cpu(),
            "p50_ms": self.p50() * 1e3,
            "p99_ms": self.p99() * 1e3,
            "mean_ms": statistics.fmean(self.latencies) * 1e3 if self.latencies else math.nan,
            "p50_cpu_ms": statistics.median(self.cpu_latencies) * 1e3 if self.cpu_latencies else math.nan,
            "p99_cpu_ms": percentile(self.cpu_latencies, 99) * 1e3,
            "cpu_ms_per_item": self.cpu / self.count * 1e3 if self.count else math.nan,
            "wall_s": self.wall,
            "cpu_s": self.cpu,
        }


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (`pct` in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def loop(items: Sequence[T], work: Callable[[T], R], keep: Callable[[R], object] | None = None,
         cold: bool = True) -> Sample:
    """Run `work` on every item, timing each one; `keep` (untimed) sees each result.

    `cold`: first forget the determinations and JSON parts remembered from earlier loops, so that
    each loop (each backend, each stage) meets every case for the first time, as a new portfolio does.
    """
    if cold:
        clear_caches()
    sample = Sample()
    clock, cpu_clock = time.perf_counter, time.thread_time
    untimed_wall = untimed_cpu = 0.0
    cpu0, wall0 = time.process_time(), clock()
    for item in items:
        start, cpu_start = clock(), cpu_clock()
        result = work(item)
        end, cpu_end = clock(), cpu_clock()
        sample.latencies.append(end - start)
        sample.cpu_latencies.append(cpu_end - cpu_start)
        if keep is not None:
            keep(result)
            untimed_wall, untimed_cpu = untimed_wall + clock() - end, untimed_cpu + cpu_clock() - cpu_end
    sample.wall = clock() - wall0 - untimed_wall
    sample.cpu = time.process_time() - cpu0 - untimed_cpu
    return sample


def _digest(into: list[str], backend: str, text: str) -> None:
    """Keep a digest of an assessment's JSON, with the backend's name left out."""
    into.append(hashlib.blake2b(text.replace(f'"backend":"{backend}"', '"backend":"-"').encode()).hexdigest())


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    """The result of `work()`, its wall time and its process CPU time."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = work()
    return result, time.perf_counter() - wall0, time.process_time() - cpu0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def _mallopt() -> Callable[[int, int], int] | None:
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    return getattr(libc, "mallopt", None)


def tune_malloc() -> str | None:
    """Set glibc's mmap and trim thresholds in this process; the reason if it cannot."""
    mallopt = _mallopt()
    if mallopt is None:
        return "no mallopt in the C library (not glibc)"
    ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    return None if ok else "mallopt refused the settings"


# --- the pipeline -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Workload:
    """The benchmarked dossiers in every form a stage needs."""

    mappings: list[dict[str, Any]]
    texts: list[tuple[str, str]]   # (source, YAML text)
    dossiers: list[Dossier]
    facts: list[Facts]


def build_workload(count: int, seed: int) -> Workload:
    mappings = generate(count, seed)
    texts = [(f"dossier-{i + 1:05d}.yaml", to_yaml(m)) for i, m in enumerate(mappings)]
    dossiers = [dossier_from_mapping(m, source) for m, (source, _) in zip(mappings, texts, strict=True)]
    return Workload(mappings, texts, dossiers, [dossier_facts(d) for d in dossiers])


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Environment variables set for the duration."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def backend_installed(name: str, backend: Backend | None) -> Iterator[None]:
    """Make `evaluate(..., backend=name)` use `backend` (CLIPS is no product backend, so the
    pipeline's backend lookup is redirected for it); the product backends pass `None`."""
    if backend is None:
        yield
        return
    namespace = vars(engine_run)
    original: Callable[[RuleBase, str | None], Backend] = namespace["backend_for"]

    def lookup(rules: RuleBase, requested: str | None = None) -> Backend:
        return backend if requested == name else original(rules, requested)

    namespace["backend_for"] = lookup
    try:
        yield
    finally:
        namespace["backend_for"] = original


def end_to_end_yaml(rules: RuleBase, backend: str) -> Callable[[tuple[str, str]], str]:
    def run(item: tuple[str, str]) -> str:
        source, text = item
        dossier = validate_document(Dossier, parse_yaml(text, source))
        return evaluate(dossier, rules, as_of=AS_OF, backend=backend, source=source).to_json(indent=None)
    return run


def end_to_end_mapping(rules: RuleBase, backend: str) -> Callable[[dict[str, Any]], str]:
    def run(mapping: dict[str, Any]) -> str:
        dossier = dossier_from_mapping(mapping, "<jsonl>")
        return evaluate(dossier, rules, as_of=AS_OF, backend=backend, source="<jsonl>").to_json(indent=None)
    return run


def end_to_end_lean(rules: RuleBase, backend: str) -> Callable[[dict[str, Any]], str]:
    """As `bgtc batch --lean` writes a line: the determinations only (the why-not is still computed)."""
    def run(mapping: dict[str, Any]) -> str:
        dossier = dossier_from_mapping(mapping, "<jsonl>")
        assessment = evaluate(dossier, rules, as_of=AS_OF, backend=backend, source="<jsonl>")
        record = {"source": "<jsonl>", "ok": True, "determinations": assessment.determinations()}
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return run


def _evaluate_then_serialise(rules: RuleBase, backend: str, dossiers: Sequence[Dossier]) -> tuple[float, float, float]:
    """Mean CPU ms of `evaluate` and of `to_json` per dossier (nothing kept), and the mean JSON size;
    from a cold start, as `loop` measures."""
    clear_caches()
    clock = time.thread_time
    evaluate_cpu = json_cpu = size = 0.0
    for dossier in dossiers:
        start = clock()
        assessment = evaluate(dossier, rules, as_of=AS_OF, backend=backend)
        middle = clock()
        text = assessment.to_json(indent=None)
        end = clock()
        evaluate_cpu, json_cpu, size = evaluate_cpu + middle - start, json_cpu + end - middle, size + len(text)
    count = max(1, len(dossiers))
    return evaluate_cpu / count * 1e3, json_cpu / count * 1e3, size / count


# What-if: one change to a dossier, as an interview answer or `bgtc whatif --set` makes.
def _toggle(section: str, key: str) -> Callable[[dict[str, Any]], tuple[str, Any]]:
    return lambda data: (f"{section}.{key}", not data.get(section, {}).get(key, False))


WHATIF_CHANGES: tuple[Callable[[dict[str, Any]], tuple[str, Any]], ...] = (
    _toggle("indication", "serious"),
    lambda data: ("clinical.patients_dosed", data.get("clinical", {}).get("patients_dosed", 0) + 1),
    lambda data: ("indication.us_prevalence",
                  250_000 if data.get("indication", {}).get("us_prevalence", 0) < 200_000 else 150_000),
    lambda data: ("development.stage",
                  "bla_submitted" if data.get("development", {}).get("stage") == "ind_active" else "ind_active"),
    _toggle("indication", "serious_manifestations_before_18"),
    lambda data: ("therapy_landscape.available_therapies", []),
)


def whatif_sample(rules: RuleBase, workload: Workload, backend: str, count: int) -> Sample:
    """Latency of re-evaluating a dossier after one change (apply, validate, evaluate, compare).

    As in an interview, the assessment before the change was just made: what it remembered is
    there (and nothing else, since the caches are cleared first)."""
    clear_caches()
    items: list[tuple[Dossier, Assessment, dict[str, Any]]] = []
    for index, (mapping, dossier) in enumerate(zip(workload.mappings[:count], workload.dossiers, strict=False)):
        path, value = WHATIF_CHANGES[index % len(WHATIF_CHANGES)](mapping)
        before = evaluate(dossier, rules, as_of=AS_OF, backend=backend)
        items.append((dossier, before, {path: value}))

    def run(item: tuple[Dossier, Assessment, dict[str, Any]]) -> object:
        dossier, before, change = item
        after = evaluate(with_changes(dossier, change), rules, as_of=AS_OF, backend=backend)
        return compare(before, after)
    return loop(items, run, cold=False)


# --- CLIPS --------------------------------------------------------------------------------------

def clips_backend(rules: RuleBase) -> tuple[Backend | None, str]:
    """The CLIPS yardstick backend, or None and why not."""
    if importlib.util.find_spec("clips") is None:
        return None, "clipspy is not installed (pip install -e '.[bench]')"
    from benchmarks.clips_backend import ClipsBackend

    return ClipsBackend(rules), ""


def _outcomes(into: list[str], inference: Inference) -> None:
    into.append(json.dumps(dict(inference.outcomes), sort_keys=True))


def outcome_mismatches(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Rule id -> (expected, got) for every rule whose outcome differs."""
    return {rule: (value, got.get(rule, "missing")) for rule, value in expected.items()
            if value != got.get(rule, "missing")}


# --- subprocesses -------------------------------------------------------------------------------

@dataclass
class ProcessRun:
    wall: float
    cpu: float
    max_rss_mib: float
    returncode: int
    stderr: str


# Runs one command for `run_process` and reports on it, from a small process: a child's peak RSS
# (ru_maxrss) starts at its parent's high-water mark (Linux carries it across fork and exec), so a
# command started straight from the benchmark process would report the benchmark's own peak.
_LAUNCHER = """
import json, os, subprocess, sys, time
argv, cwd, err = json.loads(sys.argv[1])
with open(err, "wb") as stderr:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
proc.returncode = code = os.waitstatus_to_exitcode(status)
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code]))
"""


def run_process(argv: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> ProcessRun:
    """Run a command to completion: its wall time, CPU time (user + system) and peak RSS."""
    with tempfile.TemporaryDirectory(prefix="bgtc-bench-") as tmp:
        err = Path(tmp) / "stderr"
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, json.dumps([list(argv), str(cwd), str(err)])]
        proc = subprocess.run(launcher, env=env, capture_output=True, text=True, check=False)
        text = err.read_text(encoding="utf-8", errors="replace") if err.exists() else ""
    if proc.returncode != 0:
        return ProcessRun(math.nan, math.nan, math.nan, proc.returncode, proc.stderr + text)
    wall, cpu, rss_kib, code = json.loads(proc.stdout)
    return ProcessRun(wall, cpu, rss_kib / 1024, code, text)


def bgtc_command() -> list[str]:
    script = Path(sys.executable).with_name("bgtc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bgtc_rules"]


def clean_env() -> dict[str, str]:
    """This environment without a backend override (the CLI's default backend is measured), and
    with Python's bytecode cache on, as on a user's machine (an installed package has its `.pyc`
    files; a `PYTHONDONTWRITEBYTECODE` set here would make every start compile every module)."""
    return {k: v for k, v in os.environ.items() if k not in ("BGTC_BACKEND", "PYTHONDONTWRITEBYTECODE")}


def cli_runs(argv: Sequence[str], runs: int, **extra_env: str) -> dict[str, Any]:
    env = {**clean_env(), **extra_env}
    run_process(argv, env=env)  # not timed: brings the files into the page cache (and fills the rule cache)
    results = [run_process(argv, env=env) for _ in range(runs)]
    failed = [r for r in results if r.returncode != 0]
    if failed:
        raise RuntimeError(f"{' '.join(argv)} exited {failed[0].returncode}: {failed[0].stderr.strip()[-500:]}")
    return {"runs": runs, "median_s": statistics.median(r.wall for r in results),
            "min_s": min(r.wall for r in results), "median_cpu_s": statistics.median(r.cpu for r in results),
            "max_rss_mib": max(r.max_rss_mib for r in results), "walls_s": [r.wall for r in results]}


_SPIN = """
import time
end = time.perf_counter() + float(__import__("sys").argv[1])
while time.perf_counter() < end:
    pass
print(time.process_time())
"""


def parallel_capacity(seconds: float = 1.0) -> float:
    """How many cores two busy processes got together just now (2.0 on an idle 2-core machine)."""
    argv = [sys.executable, "-I", "-S", "-c", _SPIN, str(seconds)]
    start = time.perf_counter()
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    cpu = sum(float(proc.communicate()[0]) for proc in procs)
    return cpu / (time.perf_counter() - start)


def batch_figures(count: int, seed: int, rounds: int) -> dict[str, Any]:
    """`bgtc batch` on `count` generated YAML files with --jobs 1 and --jobs 2: best of `rounds`
    for each, and each round's own speed-up (the two runs of a round side by side, their order
    alternated), whose median is less moved by a change of the host's speed than the bests are."""
    try:
        importlib.import_module("bgtc_rules.cli.batch")
    except Exception as exc:  # being written by someone else: report, do not fail
        return {"skipped": f"bgtc_rules.cli.batch is not importable ({type(exc).__name__}: {exc})"}
    with tempfile.TemporaryDirectory(prefix="bgtc-bench-") as tmp:
        directory = Path(tmp) / "dossiers"
        write(count, seed, directory)
        figures: dict[str, Any] = {"count": count, "rounds": rounds, "parallel_capacity": parallel_capacity(),
                                   "round_speedups": []}
        for number in range(rounds):
            walls: dict[int, float] = {}
            for jobs in (1, 2) if number % 2 == 0 else (2, 1):
                argv = [*bgtc_command(), "batch", str(directory), "--jobs", str(jobs), "--as-of", AS_OF.isoformat(),
                        "--no-progress", "-o", str(Path(tmp) / f"out-{jobs}.jsonl")]
                result = run_process(argv, env=clean_env())
                if result.returncode != 0:
                    return {"skipped": f"bgtc batch --jobs {jobs} exited {result.returncode}: "
                                       f"{result.stderr.strip()[-400:]}"}
                written = (Path(tmp) / f"out-{jobs}.jsonl").read_text(encoding="utf-8")
                # one line per dossier, after the rule-base dictionary at the head
                lines = written.count("\n") - written.startswith('{"format":"bgtc.dictionary/')
                walls[jobs] = result.wall
                best = figures.get(f"jobs{jobs}")
                if best is None or result.wall < best["wall_s"]:
                    figures[f"jobs{jobs}"] = {"wall_s": result.wall, "cpu_s": result.cpu, "lines": lines,
                                              "per_second_wall": count / result.wall}
            figures["round_speedups"].append(walls[1] / walls[2])
        figures["speedup"] = figures["jobs1"]["wall_s"] / figures["jobs2"]["wall_s"]
        figures["median_round_speedup"] = statistics.median(figures["round_speedups"])
        return figures


def malloc_figures(count: int, seed: int, rounds: int) -> dict[str, Any]:
    """The durable-rules backend in fresh processes, default glibc malloc vs `mallopt` tuning."""
    if _mallopt() is None:
        return {"skipped": "mallopt is not available here"}
    runs: dict[str, list[dict[str, Any]]] = {"default": [], "tuned": []}
    for _ in range(rounds):
        for config in runs:
            with tempfile.TemporaryDirectory(prefix="bgtc-bench-") as tmp:
                out = Path(tmp) / "worker.json"
                argv = [sys.executable, "-m", "benchmarks.run", "--worker", "--count", str(count), "--seed", str(seed),
                        "--json", str(out), *(["--mallopt"] if config == "tuned" else [])]
                result = run_process(argv, env=clean_env())
                if result.returncode != 0:
                    return {"skipped": f"worker failed: {result.stderr.strip()[-400:]}"}
                figures = json.loads(out.read_text(encoding="utf-8"))
            figures["max_rss_mib"] = result.max_rss_mib
            runs[config].append(figures)
    best = {config: min(results, key=lambda r: r["end_to_end"]["cpu_ms_per_item"])
            for config, results in runs.items()}
    return {"count": count, "rounds": rounds, **best}


def worker_main(count: int, seed: int, mallopt: bool, out: Path) -> int:
    """`--worker`: the durable-rules figures of this (fresh) process, as JSON into `out`."""
    problem = tune_malloc() if mallopt else None
    rules = RuleBase.load()
    workload = build_workload(count, seed)
    backend = create_backend(rules, DURABLE)
    for facts in workload.facts[:5]:
        backend.infer(facts, AS_OF)
    infer = loop(workload.facts, lambda facts: backend.infer(facts, AS_OF))
    e2e = loop(workload.texts, end_to_end_yaml(rules, DURABLE))
    out.write_text(json.dumps({"mallopt": mallopt, "problem": problem, "inference": infer.figures(),
                               "end_to_end": e2e.figures()}), encoding="utf-8")
    return 0


# --- reporting ----------------------------------------------------------------------------------

@dataclass
class Target:
    name: str
    value: float
    target: float
    unit: str
    higher_is_better: bool = True

    @property
    def met(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value < self.target


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.targets: list[Target] = []

    def section(self, title: str) -> None:
        self.lines.append("")
        self.lines.append(title)
        self.lines.append("-" * len(title))

    def row(self, label: str, value: str, target: Target | None = None) -> None:
        if target is None:
            self.lines.append(f"  {label:<52} {value}")
            return
        self.targets.append(target)
        goal = f"{'>=' if target.higher_is_better else '<'} {_number(target.target)}{target.unit}"
        status = "met" if target.met else "NOT MET"
        self.lines.append(f"  {label:<52} {value:<34} target {goal:<14} {status}")

    def note(self, text: str) -> None:
        self.lines.append(f"    {text}")

    def text(self) -> str:
        return "\n".join(self.lines).lstrip("\n") + "\n"


def _number(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if abs(value) >= 0.1 else f"{value:.3f}"


def throughput(sample: dict[str, float]) -> str:
    return (f"{_number(sample['per_second_cpu'])}/s per core "
            f"({_number(sample['per_second_wall'])}/s wall)")


def latency(sample: dict[str, float]) -> str:
    return (f"p50 {_number(sample['p50_ms'])} ms, p99 {_number(sample['p99_ms'])} ms "
            f"(CPU: {_number(sample['p50_cpu_ms'])}, {_number(sample['p99_cpu_ms'])})")


# --- the run ------------------------------------------------------------------------------------

@dataclass
class Options:
    count: int
    seed: int
    quick: bool
    json_path: Path | None
    profile_dir: Path | None
    mallopt: bool
    cli_runs: int
    batch_count: int
    whatif_count: int
    malloc_count: int
    malloc_rounds: int
    skip: frozenset[str]


def parse_args(argv: Sequence[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, help="dossiers benchmarked (default 500; 20 with --quick)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--quick", action="store_true", help="a few dossiers and runs: a smoke run, not a measurement")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures here")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="also profile the end-to-end loop of each backend with pyinstrument into DIR")
    parser.add_argument("--mallopt", action="store_true",
                        help="tune glibc malloc in this process first (mmap threshold 32 MiB, trim threshold 128 MiB)")
    parser.add_argument("--skip", action="append", default=[], choices=["cli", "batch", "malloc", "clips", "whatif"],
                        help="leave out a part (repeatable)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    count = args.count if args.count is not None else (20 if args.quick else 500)
    if count < 1:
        parser.error("--count must be at least 1")
    options = Options(
        count=count, seed=args.seed, quick=args.quick, json_path=args.json, profile_dir=args.profile,
        mallopt=args.mallopt, cli_runs=2 if args.quick else 5, batch_count=count,
        whatif_count=min(count, 200), malloc_count=min(count, 150), malloc_rounds=1 if args.quick else 2,
        skip=frozenset(args.skip),
    )
    return options, args


def git_revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def profile(rules: RuleBase, workload: Workload, backends: dict[str, Backend | None], directory: Path) -> list[str]:
    """pyinstrument profiles of the end-to-end loop, one per backend (text and HTML)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return ["pyinstrument is not installed (pip install -e '.[bench]')"]
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    items = workload.texts[: min(len(workload.texts), 200)]
    for name, instance in backends.items():
        with backend_installed(name, instance):
            profiler = Profiler(interval=0.001)
            profiler.start()
            for item in items:
                end_to_end_yaml(rules, name)(item)
            profiler.stop()
        stem = directory / f"profile-{name}"
        stem.with_suffix(".txt").write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
        stem.with_suffix(".html").write_text(profiler.output_html(), encoding="utf-8")
        written.append(f"{stem}.txt / .html ({len(items)} dossiers)")
    return written


def run(options: Options) -> tuple[str, dict[str, Any]]:
    report = Report()
    figures: dict[str, Any] = {}
    malloc_problem = tune_malloc() if options.mallopt else None
    gc.collect()
    load_before = load_average()

    # Rules: load and compile (the first load in this process pays for the schema catalogue too).
    rules, load_first, load_first_cpu = timed(RuleBase.load)
    _, load_again, _ = timed(RuleBase.load)
    with environment(BGTC_NO_CACHE="1"):  # the compiled-rules cache off, where there is one
        _, load_compile, load_compile_cpu = timed(RuleBase.load)
    rss: dict[str, float] = {"after_rules_load": peak_rss_mib()}
    workload = build_workload(options.count, options.seed)

    names = [DURABLE, REFERENCE] if durable_available() else [REFERENCE]
    backends: dict[str, Backend | None] = {name: None for name in names}
    registration: dict[str, float] = {}
    first_facts = workload.facts[0]
    if DURABLE in backends:
        durable = create_backend(rules, DURABLE)
        compile_step = getattr(durable, "_ruleset", None)  # the durable backend's compile+register step
        if callable(compile_step):
            _, registration["durable_register_s"], _ = timed(lambda: compile_step(AS_OF))
        _, registration["durable_first_inference_s"], _ = timed(lambda: durable.infer(first_facts, AS_OF))
    clips: Backend | None = None
    clips_reason = "left out (--skip clips)"
    if "clips" not in options.skip:
        clips, clips_reason = clips_backend(rules)
    if clips is not None:
        build = getattr(clips, "ruleset", None)
        if callable(build):
            compiled, registration["clips_build_s"], _ = timed(lambda: build(AS_OF))
            registration["clips_rules"] = getattr(compiled, "rule_count", 0)
        backends[CLIPS] = clips

    figures["meta"] = {
        "count": options.count, "seed": options.seed, "quick": options.quick, "as_of": AS_OF.isoformat(),
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "revision": git_revision(), "mallopt": options.mallopt, "mallopt_problem": malloc_problem,
        "rules": len(rules.rules), "programs": len(rules.programs), "load_average_before": load_before,
    }
    figures["rules"] = {"load_first_s": load_first, "load_first_cpu_s": load_first_cpu, "load_again_s": load_again,
                        "load_no_cache_s": load_compile, "load_no_cache_cpu_s": load_compile_cpu, **registration}

    # Inference only: facts already derived, one backend call per dossier.
    inference: dict[str, dict[str, float]] = {}
    results: dict[str, list[str]] = {}  # per dossier, the rule outcomes as JSON (strings: no work for the GC)
    for name in backends:
        engine = clips if name == CLIPS and clips is not None else create_backend(rules, name)
        for facts in workload.facts[:5]:
            engine.infer(facts, AS_OF)  # warm-up
        collected: list[str] = []
        sample = loop(workload.facts, partial(engine.infer, as_of=AS_OF), partial(_outcomes, collected))
        inference[name], results[name] = sample.figures(), collected
    figures["inference"] = inference

    # End to end, from YAML text and from a mapping (a JSONL line), with JSON output.
    e2e: dict[str, dict[str, Any]] = {}
    outputs: dict[str, list[str]] = {}
    for name, instance in backends.items():
        with backend_installed(name, instance):
            work_yaml = end_to_end_yaml(rules, name)
            for item in workload.texts[:5]:
                work_yaml(item)
            texts: list[str] = []  # digests of the outputs, to compare backends without keeping 80 KiB each
            yaml_sample = loop(workload.texts, work_yaml, partial(_digest, texts, name))
            again_sample = loop(workload.texts, work_yaml, cold=False)  # the same portfolio screened again
            dict_sample = loop(workload.mappings, end_to_end_mapping(rules, name))
            lean_sample = loop(workload.mappings, end_to_end_lean(rules, name))
        e2e[name] = {"yaml": yaml_sample.figures(), "again": again_sample.figures(), "mapping": dict_sample.figures(),
                     "lean": lean_sample.figures()}
        outputs[name] = texts
        rss[f"after_{name}"] = peak_rss_mib()
    figures["end_to_end"] = e2e

    # Stages (means, ms per dossier): what the end-to-end time is made of.
    parse = loop(workload.texts, lambda item: parse_yaml(item[1], item[0]))
    docs = [parse_yaml(text, source) for source, text in workload.texts]
    validate = loop(docs, lambda doc: validate_document(Dossier, doc))
    derive = loop(workload.dossiers, dossier_facts)
    stages: dict[str, Any] = {"parse_yaml_ms": parse.figures()["cpu_ms_per_item"],
                              "validate_ms": validate.figures()["cpu_ms_per_item"],
                              "facts_ms": derive.figures()["cpu_ms_per_item"]}
    for name, instance in backends.items():
        with backend_installed(name, instance):
            evaluate_cpu, json_cpu, json_bytes = _evaluate_then_serialise(rules, name, workload.dossiers)
        stages[name] = {
            "inference_ms": inference[name]["cpu_ms_per_item"],
            "determinations_ms": evaluate_cpu - inference[name]["cpu_ms_per_item"] - stages["facts_ms"],
            "evaluate_ms": evaluate_cpu,
            "json_ms": json_cpu,
            "json_bytes": json_bytes,
        }
    figures["stages"] = stages

    # Agreement: every backend's rule outcomes against the reference evaluator, every dossier.
    agreement: dict[str, Any] = {}
    for name in results:
        if name == REFERENCE:
            continue
        bad = []
        for index, (expected, got) in enumerate(zip(results[REFERENCE], results[name], strict=True)):
            differ = outcome_mismatches(json.loads(expected), json.loads(got)) if expected != got else {}
            if differ:
                bad.append({"dossier": index, "rules": {k: list(v) for k, v in sorted(differ.items())[:10]}})
        same_json = sum(a == b for a, b in zip(outputs[name], outputs[REFERENCE], strict=True))
        agreement[name] = {"checked": len(results[name]), "mismatched_dossiers": len(bad), "mismatches": bad[:20],
                           "identical_json": same_json}
    figures["agreement"] = agreement

    # What-if / interview loop: one change, re-evaluate, compare.
    whatif: dict[str, dict[str, float]] = {}
    if "whatif" not in options.skip:
        for name in names:
            whatif[name] = whatif_sample(rules, workload, name, options.whatif_count).figures()
    figures["whatif"] = whatif
    rss["peak_in_process"] = peak_rss_mib()
    figures["rss_mib"] = rss

    # Fresh processes: the CLI, batch, malloc tuning.
    cli: dict[str, Any] = {}
    if "cli" not in options.skip:
        cli["evaluate"] = cli_runs([*bgtc_command(), "evaluate", SCENARIO], options.cli_runs)
        cli["evaluate_no_cache"] = cli_runs([*bgtc_command(), "evaluate", SCENARIO], options.cli_runs,
                                            BGTC_NO_CACHE="1")
        cli["version"] = cli_runs([*bgtc_command(), "--version"], options.cli_runs)
    figures["cli"] = cli
    figures["batch"] = (batch_figures(options.batch_count, options.seed, options.malloc_rounds)
                        if "batch" not in options.skip
                        else {"skipped": "left out (--skip batch)"})
    figures["malloc"] = ({"skipped": "left out (--skip malloc)"} if "malloc" in options.skip
                         else {"skipped": "durable-rules is not importable here"} if DURABLE not in names
                         else malloc_figures(options.malloc_count, options.seed, options.malloc_rounds))
    if options.profile_dir is not None:
        figures["profiles"] = profile(rules, workload, backends, options.profile_dir)
    figures["meta"]["load_average_after"] = load_average()

    render(report, figures, names, clips_reason if clips is None else "")
    figures["targets"] = [{**asdict(t), "met": t.met} for t in report.targets]
    return report.text(), figures


def render(report: Report, figures: dict[str, Any], names: list[str], clips_reason: str) -> None:
    meta = figures["meta"]
    loads = [f"{x:.2f}" for x in (meta["load_average_before"] or ())]
    after = [f"{x:.2f}" for x in (meta["load_average_after"] or ())]
    report.lines.append(f"bgtc-rules benchmark: {meta['count']} generated dossiers (seed {meta['seed']}), "
                        f"as of {meta['as_of']}, {meta['rules']} rules, {meta['programs']} programs")
    report.lines.append(f"revision {meta['revision']}; Python {meta['python']}; {meta['cpus']} CPUs; "
                        f"load average {' '.join(loads)} before, {' '.join(after)} after"
                        + ("; malloc tuned (mallopt)" if meta["mallopt"] else ""))
    if meta["quick"]:
        report.lines.append("--quick: a smoke run; the figures are not a measurement")

    report.section("Rules")
    rules = figures["rules"]
    report.row("RuleBase.load(), first in process (cache as found)", f"{_number(rules['load_first_s'] * 1e3)} ms "
               f"(CPU {_number(rules['load_first_cpu_s'] * 1e3)} ms)")
    report.row("RuleBase.load(), again", f"{_number(rules['load_again_s'] * 1e3)} ms")
    report.row("RuleBase.load(), rule cache off (BGTC_NO_CACHE=1)", f"{_number(rules['load_no_cache_s'] * 1e3)} ms "
               f"(CPU {_number(rules['load_no_cache_cpu_s'] * 1e3)} ms)")
    if "durable_register_s" in rules:
        report.row("durable-rules: first ruleset compile + registration",
                   f"{_number(rules['durable_register_s'] * 1e3)} ms")
    if "durable_first_inference_s" in rules:
        report.row("durable-rules: first inference after it", f"{_number(rules['durable_first_inference_s'] * 1e3)} ms")
    if "clips_build_s" in rules:
        report.row("CLIPS: translate + build", f"{_number(rules['clips_build_s'] * 1e3)} ms "
                   f"({rules['clips_rules']} defrules)")

    report.section("End to end (YAML text -> validate -> facts -> infer -> determinations -> JSON)")
    e2e = figures["end_to_end"]
    goals = {DURABLE: 1_000.0, REFERENCE: 10_000.0}
    for name, data in e2e.items():
        target = goals.get(name)
        for form, label in (("yaml", "from YAML text"), ("again", "from YAML text, screened again (warm)"),
                            ("mapping", "from a mapping (JSONL)"),
                            ("lean", "from a mapping, lean line (batch --lean)")):
            sample = data.get(form)
            if sample is None:
                continue
            goal = Target(f"{name} end to end {label}, per core", sample["per_second_cpu"], target, "/s") \
                if target and form in ("yaml", "mapping") else None
            report.row(f"{name}, {label}", throughput(sample), goal)
            report.row("", latency(sample))

    report.section("Stages (CPU ms per dossier)")
    stages = figures["stages"]
    report.row("parse YAML / validate / facts", f"{_number(stages['parse_yaml_ms'])} / "
               f"{_number(stages['validate_ms'])} / {_number(stages['facts_ms'])}")
    for name in e2e:
        s = stages[name]
        report.row(f"{name}: infer / determinations+why-not / JSON",
                   f"{_number(s['inference_ms'])} / {_number(s['determinations_ms'])} / {_number(s['json_ms'])} "
                   f"({_number(s['json_bytes'] / 1024)} KiB of JSON)")

    report.section("Inference only (facts -> rule outcomes, concepts, firings)")
    for name, sample in figures["inference"].items():
        report.row(name, throughput(sample))
        report.row("", latency(sample))

    report.section("CLIPS (clipspy) on a translation of the same rules")
    if clips_reason:
        report.row("skipped", clips_reason)
    else:
        agreement = figures["agreement"][CLIPS]
        report.row("rule outcomes vs reference", f"{agreement['mismatched_dossiers']} of {agreement['checked']} "
                   "dossiers differ")
        for bad in agreement["mismatches"][:5]:
            report.note(f"dossier #{bad['dossier']}: {bad['rules']}")
        report.row("assessment JSON identical to reference", f"{agreement['identical_json']} of {agreement['checked']}")
        for name in names:
            for kind, label in (("inference", "inference only"), ("end_to_end", "end to end")):
                ours = figures[kind][name] if kind == "inference" else figures[kind][name]["yaml"]
                theirs = figures[kind][CLIPS] if kind == "inference" else figures[kind][CLIPS]["yaml"]
                ratio = ours["per_second_cpu"] / theirs["per_second_cpu"]
                report.row(f"{name} / CLIPS, {label} (per core)", f"{ratio:.2f}x",
                           Target(f"{name} / CLIPS {label}", ratio, 3.0, "x"))
    if DURABLE in figures["agreement"]:
        agreement = figures["agreement"][DURABLE]
        report.row("durable-rules outcomes vs reference", f"{agreement['mismatched_dossiers']} of "
                   f"{agreement['checked']} dossiers differ; JSON identical {agreement['identical_json']}")

    report.section("What-if / interview re-evaluation (one change: apply, validate, evaluate, compare)")
    for name, sample in figures["whatif"].items():
        report.row(name, latency(sample), Target(f"{name} what-if p50", sample["p50_ms"], 10.0, " ms", False))
    if not figures["whatif"]:
        report.row("skipped", "left out (--skip whatif)")

    report.section("Command line (fresh process, median)")
    cli = figures["cli"]
    if not cli:
        report.row("skipped", "left out (--skip cli)")
    else:
        ev, ver = cli["evaluate"], cli["version"]
        report.row(f"bgtc evaluate {SCENARIO.split('/')[-1]}",
                   f"{ev['median_s']:.3f} s (CPU {ev['median_cpu_s']:.3f} s)",
                   Target("bgtc evaluate cold wall", ev["median_s"], 0.3, " s", False))
        cold = cli["evaluate_no_cache"]
        report.row("bgtc evaluate, rule cache off (BGTC_NO_CACHE=1)",
                   f"{cold['median_s']:.3f} s (CPU {cold['median_cpu_s']:.3f} s)")
        report.row("bgtc --version", f"{ver['median_s']:.3f} s (CPU {ver['median_cpu_s']:.3f} s)")
    batch = figures["batch"]
    if "skipped" in batch:
        report.row("bgtc batch --jobs 1 vs 2", f"skipped: {batch['skipped']}")
    else:
        one, two = batch["jobs1"], batch["jobs2"]
        report.row(f"bgtc batch, {batch['count']} dossiers, --jobs 1",
                   f"{one['wall_s']:.2f} s (CPU {one['cpu_s']:.2f} s), {_number(one['per_second_wall'])}/s")
        report.row("bgtc batch, --jobs 2", f"{two['wall_s']:.2f} s (CPU {two['cpu_s']:.2f} s), "
                   f"{_number(two['per_second_wall'])}/s")
        report.row("bgtc batch speed-up, 2 jobs over 1", f"{batch['speedup']:.2f}x",
                   Target("bgtc batch 2 jobs / 1 job", batch["speedup"], 1.8, "x"))
        rounds = ", ".join(f"{ratio:.2f}x" for ratio in batch["round_speedups"])
        report.row("bgtc batch speed-up, median of the rounds", f"{batch['median_round_speedup']:.2f}x ({rounds})")
        report.note(f"best of {batch['rounds']} per setting, the two settings alternated; two busy processes got "
                    f"{batch['parallel_capacity']:.2f} cores just before (2.00 on an idle machine)")

    report.section("Memory and malloc tuning")
    rss = figures["rss_mib"]
    report.row("peak RSS (ru_maxrss) after rules load", f"{_number(rss['after_rules_load'])} MiB")
    for name in e2e:
        report.row(f"peak RSS after {name} end to end", f"{_number(rss[f'after_{name}'])} MiB")
    report.row("peak RSS, benchmark process", f"{_number(rss['peak_in_process'])} MiB")
    if cli:
        report.row("peak RSS, bgtc evaluate", f"{_number(cli['evaluate']['max_rss_mib'])} MiB")
    malloc = figures["malloc"]
    if "skipped" in malloc:
        report.row("mallopt tuning (durable-rules)", f"skipped: {malloc['skipped']}")
    else:
        for config in ("default", "tuned"):
            data = malloc[config]
            report.row(f"durable-rules, {config} malloc, inference only",
                       f"{_number(data['inference']['cpu_ms_per_item'])} ms CPU/dossier, "
                       f"{latency(data['inference'])}")
            report.row(f"durable-rules, {config} malloc, end to end",
                       f"{_number(data['end_to_end']['cpu_ms_per_item'])} ms CPU/dossier, "
                       f"{latency(data['end_to_end'])}, RSS {_number(data['max_rss_mib'])} MiB")
        report.note(f"fresh processes, {malloc['count']} dossiers, best of {malloc['rounds']} per setting")
    for line in figures.get("profiles", []):
        report.row("profile", line)

    report.section("Targets")
    met = sum(t.met for t in report.targets)
    report.row("met", f"{met} of {len(report.targets)}")


def main(argv: Sequence[str] | None = None) -> int:
    options, args = parse_args(argv)
    if args.worker:
        if options.json_path is None:
            raise SystemExit("--worker needs --json FILE")
        return worker_main(options.count, options.seed, options.mallopt, options.json_path)
    text, figures = run(options)
    sys.stdout.write(text)
    if options.json_path is not None:
        options.json_path.parent.mkdir(parents=True, exist_ok=True)
        options.json_path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
