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
the workers finished together), from the same rounds.
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

from benchmarks.generate import write
from benchmarks.run import load_average

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-21"

# Runs `bgtc batch` in this process and prints its CPU, and this process's CPU when it first forked.
_RUNNER = """
import json, os, resource, sys, time
forked = []
os.register_at_fork(before=lambda: forked or forked.append(time.process_time()))
from bgtc_rules.cli import main
started = time.perf_counter()
try:
    main.main(sys.argv[2:], standalone_mode=False)
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
    with tempfile.NamedTemporaryFile(suffix=".json") as figures:
        subprocess.run([sys.executable, "-c", _RUNNER, figures.name, "batch", str(source), "-o", str(out),
                        "--as-of", AS_OF, "--backend", backend, "--jobs", str(jobs)],
                       cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run: dict[str, Any] = json.loads(Path(figures.name).read_text(encoding="utf-8"))
    run["digest"] = hashlib.sha256(out.read_bytes()).hexdigest()
    if jobs == 1:
        run["estimate"] = run["cpu"]
    else:
        run["estimate"] = run["before_fork"] + (run["cpu"] - run["before_fork"] + run["workers"]) / jobs
    return run


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
                return statistics.median(run[key] for run in sample)
            wall_ratio = statistics.median(a["wall"] / b["wall"] for a, b in zip(alone, pooled, strict=True))
            cpu_ratio = statistics.median(a["estimate"] / b["estimate"] for a, b in zip(alone, pooled, strict=True))
            print(f"{backend:<13} {tree}: wall {median('wall', alone):.2f} s -> {median('wall', pooled):.2f} s "
                  f"({wall_ratio:.2f}x); CPU one job {median('cpu', alone):.2f} s, {args.jobs} jobs: batch process "
                  f"{median('cpu', pooled):.2f} s ({median('before_fork', pooled):.2f} s before forking), workers "
                  f"{median('workers', pooled):.2f} s; CPU-normalised {cpu_ratio:.2f}x")
    print("outputs identical across jobs and trees" if same else "OUTPUTS DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
