"""How long request drafts take: building the `Draft` from an assessment, and rendering it as
Markdown, HTML and DOCX, over every bundled scenario x every draftable request.

    .venv/bin/python -m benchmarks.drafts            # 3 rounds
    .venv/bin/python -m benchmarks.drafts --rounds 1

Each stage is timed per draft (wall p50/p99, and per-core throughput from process CPU time, as
`benchmarks/run.py` measures); the evaluations the drafts start from are done once, untimed.
Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.run import Sample, loop
from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.drafts import Draft, build_draft, draftable

AS_OF = dt.date(2026, 11, 21)
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def _line(name: str, sample: Sample) -> str:
    f = sample.figures()
    return (f"{name:<22} {f['count']:>5} drafts  p50 {f['p50_ms']:7.2f} ms  p99 {f['p99_ms']:7.2f} ms  "
            f"{f['per_second_cpu']:8.0f}/s per core ({f['per_second_wall']:.0f}/s wall)")


def measure(rounds: int, files: Sequence[Path]) -> list[str]:
    from bgtc_rules.render.draft_docx import render_draft_docx
    from bgtc_rules.render.draft_html import render_draft_html
    from bgtc_rules.render.draft_markdown import render_draft_markdown

    rules = RuleBase.load()
    cases: list[tuple[Any, Any, str]] = []
    for path in files:
        dossier = load_dossier(path)
        assessment = evaluate(dossier, rules, as_of=AS_OF)
        cases += [(dossier, assessment, program) for program in draftable(rules)] * rounds
    built: list[Draft] = []
    lines = [_line("build_draft", loop(cases, lambda c: build_draft(c[0], c[1], rules, c[2], AS_OF),
                                       keep=built.append, cold=False))]
    renderers: dict[str, Callable[[Draft], object]] = {
        "render markdown": render_draft_markdown, "render html": render_draft_html, "render docx": render_draft_docx}
    for name, render in renderers.items():
        lines.append(_line(name, loop(built, render, cold=False)))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over every scenario x request (default 3)")
    parser.add_argument("--scenario", type=Path, action="append", help="only this dossier (repeatable)")
    args = parser.parse_args(argv)
    for text in measure(args.rounds, args.scenario or sorted(SCENARIOS.glob("*.yaml"))):
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
