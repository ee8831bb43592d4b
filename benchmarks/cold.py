"""Cold start: a fresh `bgtc` process per run, as a user starts it; where its time goes.

    python -m benchmarks.cold [--rounds 10] [--base REV] [--stages] [--scenario PATH]

Each round runs, each in a new interpreter: `bgtc evaluate SCENARIO` (the default backend,
durable-rules), the same with `--backend reference`, `bgtc plan SCENARIO`, `bgtc --help`, and the
interpreter alone (`python -c pass`). Wall time (perf_counter around the child) and CPU time (the
child's user + system) are reported as medians, with the load average: on a shared machine the
CPU time is the steadier figure. With `--base REV` the same commands also run from that revision
(checked out in a temporary git worktree), alternated round by round with this tree, and every
command's output is compared between the two (it must be the same bytes).

`--stages` times, in a fresh process per round, what `bgtc evaluate` does in order: importing the
command line, the command and the evaluation modules, reading and validating the dossier (the
first validation builds the dossier schema's validators), loading the rule base (from the on-disk
cache when it is there), registering the rules in force with durable-rules, evaluating, rendering.

`--instructions` counts instead the instructions each command's process executes, once, under
valgrind's callgrind (`PYTHONHASHSEED=0`): on a machine others share, where the CPU time of the
same work moves by a fifth with the load, this count moves by well under 1 %, so it tells a
change of a few milliseconds from the noise (about 5 million instructions per millisecond here).

Both trees are byte-compiled first (`compileall`), as an installed package is: a developer's
checkout run with PYTHONDONTWRITEBYTECODE set compiles every module on every start instead
(about 100 ms more).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "aav_phase12_pediatric_neuro.yaml"
# `bgtc` as its console script runs it, from whichever tree PYTHONPATH names.
LAUNCH = "import sys; sys.argv[0] = 'bgtc'; from bgtc_rules.cli import run; run()"

STAGES = r"""
import sys, time, json
marks, clock = [], [time.perf_counter(), time.process_time()]
def mark(name):
    wall, cpu = time.perf_counter(), time.process_time()
    marks.append((name, 1000 * (wall - clock[0]), 1000 * (cpu - clock[1])))
    clock[:] = [wall, cpu]
import gc; gc.disable()  # as `cli.run` does for a one-shot command (a no-op for a tree that keeps it)
import bgtc_rules.cli
getattr(bgtc_rules.cli, "_start_one_shot", lambda: None)()  # and whatever else it does for one
mark("import the command line (click)")
import bgtc_rules.cli.evaluate; mark("import `evaluate`")
from bgtc_rules.advice.evaluation import evaluate
from bgtc_rules.base.documents import read_document
from bgtc_rules.base.validation import validate_document
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.engine.evaluation import backend_for
mark("import the evaluation (pydantic, models)")
from pathlib import Path
document = read_document(Path(sys.argv[1])); mark("read the dossier (YAML)")
dossier = validate_document(Dossier, document); mark("validate it (schema built)")
rules = RuleBase.load(()); mark("load the rule base")
import datetime as dt
backend = backend_for(rules, None)
if hasattr(backend, "_ruleset"):
    backend._ruleset(dt.date.today())
mark("register the ruleset")
assessment = evaluate(dossier, rules, backend=None, source=sys.argv[1]); mark("evaluate")
from bgtc_rules.render.text import render_text
render_text(assessment, colour=False, detail=False); mark("render the text")
print(json.dumps(marks))
"""


def _compile(tree: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "bgtc_rules")], env=environment,
                   stdout=subprocess.DEVNULL, check=True)


def _run(tree: Path, arguments: Sequence[str], cwd: Path) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one fresh process, and what it printed."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *arguments], env=environment, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stdout


def _commands(scenario: Path) -> dict[str, list[str]]:
    bgtc = ["-c", LAUNCH]
    return {
        "bgtc evaluate": [*bgtc, "evaluate", str(scenario)],
        "bgtc evaluate --backend reference": [*bgtc, "evaluate", str(scenario), "--backend", "reference"],
        "bgtc plan": [*bgtc, "plan", str(scenario)],
        "bgtc --help": [*bgtc, "--help"],
        "python -c pass": ["-c", "pass"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--base", help="a git revision to compare with (alternated round by round)")
    parser.add_argument("--stages", action="store_true", help="time the stages of `bgtc evaluate` instead")
    parser.add_argument("--instructions", action="store_true",
                        help="count each command's instructions under valgrind's callgrind instead")
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    args = parser.parse_args(argv)
    scenario = args.scenario.resolve()
    workdir = Path(tempfile.mkdtemp(prefix="bgtc-cold-"))  # outside both trees: `-c` puts the cwd on sys.path
    trees = {"this tree": ROOT}
    try:
        if args.base:
            base = workdir / "base"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.base],
                           capture_output=True, check=True)
            trees = {args.base: base, **trees}
        for tree in trees.values():
            _compile(tree)
        if args.stages:
            _stages(trees, scenario, args.rounds, workdir)
        elif args.instructions:
            _instructions(trees, scenario, workdir)
        else:
            _commands_timed(trees, scenario, args.rounds, workdir)
    finally:
        if args.base:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(workdir / "base")],
                           capture_output=True, check=False)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _commands_timed(trees: dict[str, Path], scenario: Path, rounds: int, workdir: Path) -> None:
    commands = _commands(scenario)
    walls: dict[tuple[str, str], list[float]] = {(t, c): [] for t in trees for c in commands}
    cpus: dict[tuple[str, str], list[float]] = {key: [] for key in walls}
    outputs: dict[tuple[str, str], bytes] = {}
    for tree, command in walls:  # once untimed: the rules cache filled, the files in the page cache
        outputs[tree, command] = _run(trees[tree], commands[command], workdir)[2]
    loads = [os.getloadavg()[0]]
    for round_ in range(rounds):
        order = list(trees.items()) if round_ % 2 == 0 else list(reversed(trees.items()))
        for command, arguments in commands.items():
            for tree, path in order:
                wall, cpu, _ = _run(path, arguments, workdir)
                walls[tree, command].append(wall)
                cpus[tree, command].append(cpu)
        loads.append(os.getloadavg()[0])
    print(f"Cold start, median of {rounds} fresh processes each (load average {min(loads):.1f}-{max(loads):.1f}, "
          f"{os.cpu_count()} cores), {scenario.name}:")
    for command in commands:
        for tree in trees:
            wall, cpu = statistics.median(walls[tree, command]), statistics.median(cpus[tree, command])
            print(f"  {command:34s} {tree:>12s}  wall {wall * 1000:6.0f} ms  cpu {cpu * 1000:6.0f} ms  "
                  f"(fastest wall {min(walls[tree, command]) * 1000:.0f} ms)")
        if len(trees) > 1:
            same = len({outputs[tree, command] for tree in trees}) == 1
            print(f"  {'':34s} {'':>12s}  output {'the same bytes' if same else 'DIFFERS'}")


def _instructions(trees: dict[str, Path], scenario: Path, workdir: Path) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (callgrind)")
    commands = _commands(scenario)
    print(f"Instructions executed by one fresh process (callgrind, PYTHONHASHSEED=0), {scenario.name}:")
    for command, arguments in commands.items():
        counts: dict[str, int] = {}
        for tree, path in trees.items():
            _run(path, arguments, workdir)  # the rules cache filled, as for the timed runs
            environment = {**os.environ, "PYTHONPATH": str(path), "PYTHONHASHSEED": "0"}
            done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                                   sys.executable, *arguments], env=environment, cwd=workdir,
                                  capture_output=True, text=True, check=True)
            counts[tree] = int(done.stderr.split("Collected : ")[1].split()[0])
            print(f"  {command:34s} {tree:>12s}  {counts[tree] / 1e6:8.1f} M")
        if len(counts) > 1:
            first, last = counts.values()
            print(f"  {'':34s} {'':>12s}  {100 * (last - first) / first:+8.1f} %")


def _stages(trees: dict[str, Path], scenario: Path, rounds: int, workdir: Path) -> None:
    _run(ROOT, ["-c", LAUNCH, "evaluate", str(scenario)], workdir)  # fill the rules cache
    found: dict[str, dict[str, tuple[list[float], list[float]]]] = {tree: {} for tree in trees}
    loads = [os.getloadavg()[0]]
    for round_ in range(rounds):
        for tree in (trees if round_ % 2 == 0 else list(reversed(trees))):
            _, _, printed = _run(trees[tree], ["-c", STAGES, str(scenario)], workdir)
            for name, wall, cpu in json.loads(printed):
                walls, cpus = found[tree].setdefault(name, ([], []))
                walls.append(wall)
                cpus.append(cpu)
        loads.append(os.getloadavg()[0])
    print(f"Stages of `bgtc evaluate` in one fresh process, medians of {rounds} (load average "
          f"{min(loads):.1f}-{max(loads):.1f}), ms:")
    for tree, stages in found.items():
        print(f"  {tree}:")
        for name, (walls, cpus) in stages.items():
            print(f"    {name:42s} wall {statistics.median(walls):6.1f}  cpu {statistics.median(cpus):6.1f}")
        total = sum(statistics.median(cpus) for _, cpus in stages.values())
        print(f"    {'total (after the interpreter started)':42s} {'':11s}  cpu {total:6.1f}")


if __name__ == "__main__":
    raise SystemExit(main())
