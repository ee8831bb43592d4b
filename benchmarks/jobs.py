"""`bgtc batch --jobs N` against one job on the same batch, alternated, each run its own process.

    python -m benchmarks.jobs [--count 2000] [--seed 21] [--rounds 3] [--jobs 2]
                              [--backend durable-rules --backend reference] [--tree PATH ...]

The batch is `--count` generated dossiers in one JSONL file, compact lines, as of 2026-11-21:
`bgtc batch FILE -o OUT --as-of 2026-11-21 --backend B --jobs J`, started as a user starts it
(the interpreter, its imports and the rule base included). Every run's output must be the same
bytes (checked). `--tree` compares source trees (a checkout of another revision, say) in the same
rounds: each tree's package is put first on the import path of its runs.

Reported per backend and tree, medians over the rounds: the wall time of one job and of N, and
their ratio per round; the CPU of the batch process and of its workers. On a shared machine the
wall ratio mostly measures the other work, so a CPU-normalised ratio is given beside it: one
job's CPU over `CPU before the first fork + all CPU after it / N` (what N idle cores would take if
the workers finished together), from the same rounds. Then the same CPU per 1,000 dossiers; when
the first chunk started; how much more CPU a worker's first chunk took than its items cost later
(its warm-up); the idle tail (how long the last worker ran on after the other had finished) and the
time from the last chunk to the process's end; and the ceiling those imply: one job's CPU over
`S + (one job's CPU - S) / N`, with S the CPU before the fork plus a worker's warm-up, what comes
before the work divides, whatever else is done.

The trees are byte-compiled first (`compileall`), as an installed package is: a checkout run with
PYTHONDONTWRITEBYTECODE set compiles about 70 modules on every start, which is serial time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.cold import _compile as compile_tree  # the same byte-compiling as the cold-start benchmark
from benchmarks.generate import write
from benchmarks.run import load_average

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-21"

# Runs `bgtc batch` in this process and prints its CPU, this process's CPU when it first forked, and
# each worker's chunks (start, end, CPU, items) from a wrapper around the pool's task function, which
# the forked workers inherit (a tree without it gives no timeline).
_RUNNER = """
import json, os, resource, sys, time
started = time.perf_counter()
forked = []
os.register_at_fork(before=lambda: forked or forked.append(time.process_time()))
timeline = sys.argv[2]
try:
    from bgtc_rules.advice import batch_pool
    task = batch_pool._run_chunk
except (ImportError, AttributeError):
    batch_pool = None
if batch_pool is not None:
    def _run_chunk(items):
        begun, cpu = time.perf_counter(), time.process_time()
        chunk = task(items)
        with open(os.path.join(timeline, str(os.getpid())), "a") as out:
            out.write(json.dumps([begun - started, time.perf_counter() - started, time.process_time() - cpu,
                                  len(items)]) + "\\n")
        return chunk
    _run_chunk.__module__, _run_chunk.__qualname__ = task.__module__, task.__qualname__
    batch_pool._run_chunk = _run_chunk
from bgtc_rules.cli import main
try:
    main.main(sys.argv[3:], standalone_mode=False)
except SystemExit as exc:
    if exc.code:
        raise
wall = time.perf_counter() - started
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime
with open(sys.argv[1], "w") as out:
    json.dump({"wall": wall, "cpu": cpu, "before_fork": forked[0] if forked else cpu,
               "workers": children.ru_utime + children.ru_stime}, out)
"""


def _run(tree: Path, source: Path, out: Path, backend: str, jobs: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json") as figures, tempfile.TemporaryDirectory() as timeline:
        subprocess.run([sys.executable, "-c", _RUNNER, figures.name, timeline, "batch", str(source), "-o", str(out),
                        "--as-of", AS_OF, "--backend", backend, "--jobs", str(jobs)],
                       cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run: dict[str, Any] = json.loads(Path(figures.name).read_text(encoding="utf-8"))
        workers = [[json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
                   for path in Path(timeline).iterdir()]
    run["digest"] = hashlib.sha256(out.read_bytes()).hexdigest()
    if jobs == 1:
        run["estimate"] = run["cpu"]
    else:
        run["estimate"] = run["before_fork"] + (run["cpu"] - run["before_fork"] + run["workers"]) / jobs
    run.update(_timeline(workers, run["wall"]))
    return run


def _timeline(workers: list[list[list[float]]], wall: float) -> dict[str, float]:
    """From each worker's chunks (start, end, CPU, items; seconds from the process's start): when the
    first chunk started, how long the last worker ran on after the other had finished its last chunk,
    from the last chunk's end to the process's end, and each worker's first chunk's CPU beyond what
    its items cost in its later chunks (imports, the backend's first use), averaged."""
    if len(workers) < 2 or any(len(chunks) < 2 for chunks in workers):
        return {}
    ends = sorted(chunks[-1][1] for chunks in workers)
    warm_up = []
    for first, *rest in workers:
        per_item = sum(chunk[2] for chunk in rest) / sum(chunk[3] for chunk in rest)
        warm_up.append(first[2] - first[3] * per_item)
    return {"first_busy": min(chunks[0][0] for chunks in workers), "idle_tail": ends[-1] - ends[-2],
            "after_last": wall - ends[-1], "warm_up": statistics.mean(warm_up)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--backend", action="append", help="default: durable-rules and reference")
    parser.add_argument("--tree", action="append", type=Path, help="source trees to compare (default: this one)")
    args = parser.parse_args(argv)
    backends, trees = args.backend or ["durable-rules", "reference"], args.tree or [ROOT]
    runs: dict[tuple[str, Path, int], list[dict[str, Any]]] = {}
    for tree in trees:  # as an installed package is: else each start compiles every module afresh
        compile_tree(tree)
    loads = [load_average()]
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as directory:
        source, out = Path(directory) / "dossiers.jsonl", Path(directory) / "out.jsonl"
        write(args.count, seed=args.seed, out=source)
        for _ in range(args.rounds):
            for backend in backends:
                for tree in trees:
                    for jobs in (1, args.jobs):
                        runs.setdefault((backend, tree, jobs), []).append(_run(tree, source, out, backend, jobs))
            loads.append(load_average())
    print(f"bgtc batch, {args.count} distinct dossiers (JSONL, compact lines), --jobs 1 against --jobs {args.jobs}, "
          f"{args.rounds} rounds alternated; load average {', '.join(str(load and load[0]) for load in loads)}")
    same = True
    for backend in backends:
        digests = {run["digest"] for tree in trees for jobs in (1, args.jobs) for run in runs[(backend, tree, jobs)]}
        same = same and len(digests) == 1
        for tree in trees:
            alone, pooled = runs[(backend, tree, 1)], runs[(backend, tree, args.jobs)]

            def median(key: str, sample: list[dict[str, Any]]) -> float:
                return float(statistics.median(run[key] for run in sample))
            wall_ratio = statistics.median(a["wall"] / b["wall"] for a, b in zip(alone, pooled, strict=True))
            cpu_ratio = statistics.median(a["estimate"] / b["estimate"] for a, b in zip(alone, pooled, strict=True))
            per_1000 = 1000 / args.count
            print(f"{backend:<13} {tree}: wall {median('wall', alone):.2f} s -> {median('wall', pooled):.2f} s "
                  f"({wall_ratio:.2f}x); CPU one job {median('cpu', alone):.2f} s, {args.jobs} jobs: batch process "
                  f"{median('cpu', pooled):.2f} s ({median('before_fork', pooled):.2f} s before forking), workers "
                  f"{median('workers', pooled):.2f} s; CPU-normalised {cpu_ratio:.2f}x")
            print(f"{'':<13} per 1,000 dossiers: one job {median('cpu', alone) * per_1000:.2f} s CPU; "
                  f"{args.jobs} jobs: batch process {median('cpu', pooled) * per_1000:.2f} s "
                  f"({(median('cpu', pooled) - median('before_fork', pooled)) * per_1000:.2f} s after forking), "
                  f"workers {median('workers', pooled) * per_1000:.2f} s")
            if all("first_busy" in run for run in pooled):
                ceiling = statistics.median(_ceiling(a["cpu"], b["before_fork"] + b["warm_up"], args.jobs)
                                            for a, b in zip(alone, pooled, strict=True))
                print(f"{'':<13} first chunk started {median('first_busy', pooled):.3f} s after the start; "
                      f"a worker's first chunk cost {median('warm_up', pooled):.3f} s CPU more than its items "
                      f"later; idle tail {median('idle_tail', pooled):.3f} s; last chunk to exit "
                      f"{median('after_last', pooled):.3f} s; ceiling with nothing but that start serial "
                      f"{ceiling:.2f}x")
    print("outputs identical across jobs and trees" if same else "OUTPUTS DIFFER")
    return 0 if same else 1


def _ceiling(alone: float, serial: float, jobs: int) -> float:
    """The best ratio `jobs` cores can give when `serial` seconds of the one job's CPU `alone` come
    before the work divides (Amdahl's law), everything else dividing evenly at no cost."""
    return alone / (serial + (alone - serial) / jobs)


if __name__ == "__main__":
    sys.exit(main())
