"""Inference only, CPU per distinct dossier: this tree's durable backend against another revision's.

    python -m benchmarks.durable_versions [--base main] [--count 400] [--rounds 4] [--sessions 1,10,25,50,100]

Both versions of `bgtc_rules/engine/backends/durable.py` are loaded side by side in one process
(the other from `git show BASE:...`), each with a ruleset of its own, and run the same generated
dossiers' facts in alternated rounds, so that a change of load on the machine hits both alike.
Facts are derived once, outside the timed region; each figure is the backend's inference alone:
the base's `infer` one dossier at a time, and, when this tree batches dossiers (`infer_many`),
this tree once per session size given (dossiers per engine session).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib.util
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from benchmarks.generate import generate
from bgtc_rules import RuleBase, dossier_from_mapping
from bgtc_rules.engine.backends import durable as current
from bgtc_rules.engine.facts import dossier_facts

AS_OF = dt.date(2026, 11, 21)
PATH = "bgtc_rules/engine/backends/durable.py"


def _module_at(revision: str) -> ModuleType:
    source = subprocess.run(["git", "show", f"{revision}:{PATH}"], capture_output=True, text=True, check=True).stdout
    name = "bgtc_rules.engine.backends.durable_at_base"
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    exec(compile(source, f"{revision}:{PATH}", "exec"), module.__dict__)
    return module


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--sessions", default="1,10,25,50,100", help="session sizes to time this tree at")
    args = parser.parse_args(argv)
    rules = RuleBase.load()
    facts = [dossier_facts(dossier_from_mapping(d)) for d in generate(args.count, 13)]
    runs: dict[str, Callable[[], object]] = {args.base: _one_by_one(_module_at(args.base).DurableBackend(rules), facts)}
    if hasattr(current.DurableBackend, "infer_many"):
        for size in (int(s) for s in args.sessions.split(",")):
            backend: Any = current.DurableBackend(rules, size)
            runs[f"this tree, {size}/session"] = functools.partial(backend.infer_many, facts, AS_OF)
    else:
        runs["this tree"] = _one_by_one(current.DurableBackend(rules), facts)
    for run in runs.values():
        run()  # registers the ruleset and warms up outside the timed region
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(args.rounds):
        order = list(runs.items())
        for name, run in order if round_ % 2 == 0 else reversed(order):
            start = time.process_time()
            run()
            times[name].append((time.process_time() - start) / len(facts) * 1000)
    for name, values in times.items():
        rounds = ", ".join(f"{v:.3f}" for v in values)
        print(f"{name:>24}: {statistics.median(values):.3f} ms CPU per dossier (median; rounds {rounds})")
    return 0


def _one_by_one(backend: Any, facts: Sequence[Any]) -> Callable[[], object]:
    def run() -> object:
        return [backend.infer(item, AS_OF) for item in facts]
    return run


if __name__ == "__main__":
    sys.exit(main())
