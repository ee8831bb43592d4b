"""CPU time per distinct dossier of each pipeline stage, the caches cleared before each dossier.

    python benchmarks/stages.py [COUNT] [BACKEND]        # 300 dossiers (seed 31), durable-rules

Each stage is timed on its own (`time.process_time`), in the order `bgtc batch` runs them:
read (`read_document`: the file and the strict YAML parse), validate (pydantic), facts,
infer (`backend.infer`), determine (every program with its why-not, `Determiner.determine`),
assemble (`evaluate` again from the validated dossier, all of the above but the parse), json
(`Assessment.to_json(indent=None)`), and total (`evaluate_item`, what a batch does per file).
The first 20 dossiers are run once untimed. To compare two trees, run it from each in turn with
`PYTHONPATH` set to the tree (see benchmarks/README.md, "Where the time goes").
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import write
from bgtc_rules import RuleBase
from bgtc_rules.advice.batch import BatchOptions, Item, evaluate_item
from bgtc_rules.advice.evaluation import clear_caches, evaluate
from bgtc_rules.base.documents import read_document
from bgtc_rules.base.validation import validate_document
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.evaluation import backend_for, determiner_for
from bgtc_rules.engine.explain import Explainer
from bgtc_rules.engine.facts import dossier_facts

AS_OF = dt.date(2026, 11, 21)
STAGES = ("read", "validate", "facts", "infer", "determine", "assemble", "json", "total")


def stage_times(count: int, backend: str) -> tuple[dict[str, float], int]:
    """CPU ms per dossier of each stage, and the size of the last assessment's JSON."""
    rules = RuleBase.load()
    paths = write(count, 31, Path(tempfile.mkdtemp()) / "d")
    options = BatchOptions(backend=backend, as_of=AS_OF)
    for path in paths[:20]:
        evaluate_item(Item(str(path), str(path)), rules, options)
    spent = dict.fromkeys(STAGES, 0.0)
    clock = time.process_time
    size = 0
    for path in paths:
        clear_caches()
        t0 = clock()
        document = read_document(path)
        t1 = clock()
        dossier = validate_document(Dossier, document)
        t2 = clock()
        facts = dossier_facts(dossier)
        t3 = clock()
        inference = backend_for(rules, backend).infer(facts, AS_OF)
        t4 = clock()
        determiner_for(rules).determine(rules, inference, Explainer(rules, facts, inference), False)
        t5 = clock()
        clear_caches()
        assessment = evaluate(dossier, rules, AS_OF, backend)
        t6 = clock()
        size = len(assessment.to_json(indent=None))
        t7 = clock()
        clear_caches()
        t8 = clock()
        evaluate_item(Item(str(path), str(path)), rules, options)
        t9 = clock()
        for stage, (start, end) in zip(STAGES, ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6),
                                                (t6, t7), (t8, t9)), strict=True):
            spent[stage] += end - start
    return {stage: 1000 * total / count for stage, total in spent.items()}, size


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 300
    backend = argv[1] if len(argv) > 1 else "durable-rules"
    times, size = stage_times(count, backend)
    print(" ".join(f"{stage} {ms:.3f} ms" for stage, ms in times.items()), f"json size {size}")


if __name__ == "__main__":
    main(sys.argv[1:])
