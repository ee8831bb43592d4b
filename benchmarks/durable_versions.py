"""Inference only, CPU per distinct dossier: this tree's durable backend against another revision's.

    python -m benchmarks.durable_versions [--base main] [--count 400] [--rounds 4] [--sessions 1,10,25,50,100]

Both versions of the durable backend (`bgtc_rules/engine/backends/durable*.py`) are loaded side by
side in one process (the other's modules from `git show BASE:...`, importing one another), each
with a ruleset of its own, and run the same generated
dossiers' facts in alternated rounds, so that a change of load on the machine hits both alike.
Facts are derived once, outside the timed region; each figure is the backend's inference alone:
each version once per session size given (dossiers per engine session, `infer_many`), or one
dossier at a time (`infer`) for a revision from before batched sessions. Size 1 is one call per
dossier (`infer`); where the backend keeps a session open for the next calls, also with a session
made for each dossier and deleted after it ("not kept", what a one-shot `bgtc evaluate` pays).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib.util
import inspect
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.generate import generate
from bgtc_rules import RuleBase, dossier_from_mapping
from bgtc_rules.engine.backends import durable as current
from bgtc_rules.engine.facts import dossier_facts

AS_OF = dt.date(2026, 11, 21)
FOLDER = "bgtc_rules/engine/backends"
PACKAGE = "bgtc_rules.engine.backends"


def _module_at(revision: str) -> ModuleType:
    """The base's `durable` module, with the base's own versions of the modules it imports
    (`durable_*`), loaded from files written to a temporary folder under other names."""
    listing = subprocess.run(["git", "ls-tree", "--name-only", f"{revision}:{FOLDER}"], capture_output=True,
                             text=True, check=True).stdout.split()
    names = sorted(Path(f).stem for f in listing if f.startswith("durable") and f.endswith(".py"))
    folder = Path(tempfile.mkdtemp(prefix="durable_at_base"))
    sources: dict[str, str] = {}
    for name in names:
        source = subprocess.run(["git", "show", f"{revision}:{FOLDER}/{name}.py"], capture_output=True, text=True,
                                check=True).stdout
        for other in names:
            source = re.sub(rf"\b{re.escape(PACKAGE)}\.{other}\b", f"{PACKAGE}.{other}_at_base", source)
            source = source.replace(f"from {PACKAGE} import {other}\n",
                                    f"from {PACKAGE} import {other}_at_base as {other}\n")
        sources[name] = source
    modules: dict[str, ModuleType] = {}
    while len(modules) < len(names):  # a module after those it imports (they import no cycle)
        name = next(n for n in names if n not in modules and not any(
            f"{other}_at_base" in sources[n] for other in names if other not in modules and other != n))
        path = folder / f"{name}_at_base.py"
        path.write_text(sources[name])
        full = f"{PACKAGE}.{name}_at_base"
        spec = importlib.util.spec_from_file_location(full, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module  # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
        modules[name] = module
    return modules["durable"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--sessions", default="1,10,25,50,100", help="session sizes to time both versions at")
    args = parser.parse_args(argv)
    rules = RuleBase.load()
    facts = [dossier_facts(dossier_from_mapping(d)) for d in generate(args.count, 13)]
    sizes = [int(s) for s in args.sessions.split(",")]
    runs: dict[str, Callable[[], object]] = {}
    for label, module in ((args.base, _module_at(args.base)), ("this tree", current)):
        if not hasattr(module.DurableBackend, "infer_many"):  # a revision before batched sessions
            runs[label] = _one_by_one(module.DurableBackend(rules), facts)
            continue
        for size in sizes:  # the two versions side by side at each session size
            backend: Any = module.DurableBackend(rules, size)
            if size == 1 and "reuse_sessions" in inspect.signature(module.DurableBackend).parameters:
                # one dossier at a time, each in a session of its own (a one-shot `bgtc evaluate`),
                # as well as in a session kept for the next dossiers (the service, `benchmarks.distinct`)
                alone: Any = module.DurableBackend(rules, size, reuse_sessions=False)
                runs[f"{label}, 1/session, not kept"] = _one_by_one(alone, facts)
            runs[f"{label}, {size}/session"] = (_one_by_one(backend, facts) if size == 1 else
                                                functools.partial(backend.infer_many, facts, AS_OF))
    runs = dict(sorted(runs.items(), key=lambda item: _size(item[0])))
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
        print(f"{name:>34}: {statistics.median(values):.3f} ms CPU per dossier (median; rounds {rounds})")
    return 0


def _size(label: str) -> int:
    return next((int(part.split("/")[0]) for part in label.split(", ") if part.endswith("/session")), 0)


def _one_by_one(backend: Any, facts: Sequence[Any]) -> Callable[[], object]:
    def run() -> object:
        return [backend.infer(item, AS_OF) for item in facts]
    return run


if __name__ == "__main__":
    sys.exit(main())
