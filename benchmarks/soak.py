"""Memory soak: evaluate many dossiers in one process and report resident memory over time.

    .venv/bin/python benchmarks/soak.py                  # 100,000 evaluations on durable-rules
    .venv/bin/python benchmarks/soak.py --count 3000 --max-growth 10
    .venv/bin/python benchmarks/soak.py --distinct       # 100,000 generated dossiers, each different

The dossiers are variations of the bundled scenarios (a fixed pseudo-random pool, so runs are
comparable), evaluated on three dates so that several rule sets in force are registered. The first
`--warmup` evaluations (default: a tenth) fill caches and the allocator; after them, resident memory
should stay flat. With `--distinct`, every evaluation is of a different dossier, generated on the
fly by `benchmarks.generate` (seed 13) and written out as the compact JSON a batch line holds, so
the remembered cases keep being replaced (bounded memos) rather than hit. The last line gives
the figures; with `--max-growth` the exit status is 1 when memory grew by that many percent or
more after warm-up.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import iter_dossiers  # noqa: E402
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate  # noqa: E402
from bgtc_rules.base.documents import read_document  # noqa: E402
from bgtc_rules.dossier.schema import Dossier  # noqa: E402

DATES = (dt.date(2026, 11, 21), dt.date(2025, 6, 1), dt.date(2027, 1, 1))
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident set size of this process, from /proc/self/statm."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def _vary(base: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    data = copy.deepcopy(base)
    indication = data.setdefault("indication", {})
    clinical = data.setdefault("clinical", {})
    development = data.setdefault("development", {})
    indication["us_prevalence"] = rng.choice([None, 150, 900, 5_000, 150_000, 199_999, 250_000])
    indication["serious"] = rng.choice([None, True, False])
    clinical["patients_dosed"] = rng.choice([None, 0, 1, 6, 40])
    development["stage"] = rng.choice([None, "research", "ind_enabling", "ind_active", "bla_submitted"])
    development["clinical_hold"] = rng.choice([None, False, True])
    landscape = data.setdefault("therapy_landscape", {})
    landscape["available_therapies"] = rng.choice([None, [], [{"name": "Approved product"}]])
    endpoints = clinical.get("endpoints") or []
    clinical["endpoints"] = rng.sample(endpoints, rng.randint(0, len(endpoints))) if endpoints else None
    data["program"]["name"] = f"{data['program']['name']} #{rng.randrange(10**6)}"
    for section in (indication, clinical, development, landscape):
        for key in [k for k, v in section.items() if v is None]:
            del section[key]
    return data


def dossier_pool(size: int, seed: int = 20261121) -> list[Dossier]:
    """`size` distinct, valid dossiers varied from the bundled scenarios."""
    rng = random.Random(seed)
    bases = [read_document(path).data for path in sorted((ROOT / "scenarios").glob("*.yaml"))]
    return [dossier_from_mapping(_vary(rng.choice(bases), rng), f"variant-{i}") for i in range(size)]


def _pooled(count: int) -> Iterator[Dossier]:
    pool = dossier_pool(200)
    return (pool[i % len(pool)] for i in range(1, count + 1))


def _distinct(count: int) -> Iterator[Dossier]:
    return (dossier_from_mapping(m, f"generated-{i}") for i, m in enumerate(iter_dossiers(count, seed=13)))


def soak(count: int, warmup: int, backend: str, distinct: bool = False,
         samples: int = 20) -> tuple[float, float, float]:
    """Evaluate `count` dossiers; print RSS as it goes; return RSS at start, after warm-up and at the end."""
    rules = RuleBase.load()
    dossiers = _distinct(count) if distinct else _pooled(count)
    start = rss_mb()
    kind = "distinct generated dossiers" if distinct else "evaluations of 200 variants"
    print(f"backend {backend}, {count} {kind}, warm-up {warmup}; RSS at start {start:.1f} MB", flush=True)
    every = max(1, count // samples)
    after_warmup = start
    began = time.perf_counter()
    for i, dossier in enumerate(dossiers, start=1):
        assessment = evaluate(dossier, rules, as_of=DATES[i % len(DATES)], backend=backend)
        if distinct:
            assessment.to_json(indent=None)
        if i == warmup:
            after_warmup = rss_mb()
            print(f"{i:>9} evaluations  RSS {after_warmup:8.1f} MB  (end of warm-up)", flush=True)
        elif i % every == 0 or i == count:
            print(f"{i:>9} evaluations  RSS {rss_mb():8.1f} MB  {time.perf_counter() - began:7.1f} s", flush=True)
    return start, after_warmup, rss_mb()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="evaluations (default: 100,000)")
    parser.add_argument("--warmup", type=int, help="evaluations before the baseline (default: count / 10)")
    parser.add_argument("--backend", default="durable-rules", choices=["durable-rules", "reference"])
    parser.add_argument("--distinct", action="store_true", help="a different generated dossier every time")
    parser.add_argument("--max-growth", type=float, help="exit 1 if RSS grows this many percent after warm-up")
    args = parser.parse_args(argv)
    if args.count < 2:
        parser.error("--count must be at least 2")
    warmup = args.warmup if args.warmup is not None else max(1, args.count // 10)
    if not 0 < warmup < args.count:
        parser.error("--warmup must be between 1 and --count - 1")
    start, after_warmup, end = soak(args.count, warmup, args.backend, args.distinct)
    growth = (end - after_warmup) / after_warmup * 100
    print(f"RSS start {start:.1f} MB, after warm-up {after_warmup:.1f} MB, end {end:.1f} MB; "
          f"growth after warm-up {growth:+.2f}%")
    return 1 if args.max_growth is not None and growth >= args.max_growth else 0


if __name__ == "__main__":
    sys.exit(main())
