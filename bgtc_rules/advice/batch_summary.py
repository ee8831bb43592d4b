"""The summary of a batch: per program, how many dossiers got each determination, and the failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.batch import BatchOptions, ItemResult, problem_dict
from bgtc_rules.advice.standing import Standing
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.rulebase import RuleBase

SUMMARY_FORMAT = "bgtc.batch-summary/1"
DETERMINATIONS = tuple(d.value for d in Determination)
# The designations counted beside the determinations: never advised again.
STANDINGS = (Standing.HELD.value, Standing.PENDING.value)


@dataclass
class Summary:
    """Counts over a batch: per program, how many dossiers got each determination."""

    programs: dict[str, dict[str, int]]
    items: int = 0
    evaluated: int = 0
    failures: list[ItemResult] = field(default_factory=list)
    dossiers_with: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DETERMINATIONS, 0))
    standing: dict[str, dict[str, int]] = field(default_factory=dict)  # program -> held / pending -> count

    @classmethod
    def for_rules(cls, rules: RuleBase) -> Summary:
        return cls({program: dict.fromkeys(DETERMINATIONS, 0) for program in sorted(rules.programs)})

    @property
    def failed(self) -> int:
        return len(self.failures)

    def add(self, result: ItemResult) -> None:
        self.items += 1
        if result.determinations is None:
            self.failures.append(result)
            return
        self.evaluated += 1
        programs = self.programs  # the empty counts made only for a program the rule base lacks: 3x less CPU
        for program, determination in result.determinations.items():
            counts = programs.get(program)
            if counts is None:
                counts = programs[program] = dict.fromkeys(DETERMINATIONS, 0)
            counts[determination] += 1
        for determination in set(result.determinations.values()):
            self.dossiers_with[determination] += 1
        for program, state in result.standing.items():
            if state in STANDINGS:
                self.standing.setdefault(program, dict.fromkeys(STANDINGS, 0))[state] += 1

    def to_dict(self, options: BatchOptions, rules: RuleBase, output: str | None = None) -> dict[str, Any]:
        return {
            "format": SUMMARY_FORMAT,
            "disclaimer": DISCLAIMER,
            "as_of": options.as_of.isoformat() if options.as_of else None,
            "backend": options.backend,
            "rules": {"edition": rules.edition, "digest": rules.digest},
            "output": output,
            "dossiers": self.items,
            "evaluated": self.evaluated,
            "failed": self.failed,
            "programs": self.programs,
            "dossiers_with": self.dossiers_with,
            "standing": {program: counts for program, counts in sorted(self.standing.items())},
            "failures": [{"source": r.source, "errors": [problem_dict(p) for p in r.problems]}
                         for r in self.failures],
        }

    def render_text(self, options: BatchOptions, rules: RuleBase) -> str:
        width = max([len("Program"), *(len(p) for p in self.programs)])
        header = f"{'Program':<{width}}" + "".join(f"  {d:>12}" for d in (*DETERMINATIONS, *STANDINGS))
        none = dict.fromkeys(STANDINGS, 0)
        rows = [f"{program:<{width}}" + "".join(f"  {counts[d]:>12}" for d in DETERMINATIONS)
                + "".join(f"  {n:>12}" for n in self.standing.get(program, none).values())
                for program, counts in self.programs.items()]
        when = options.as_of.isoformat() if options.as_of else "today"
        return "\n".join([
            header, *rows, "",
            f"Dossiers: {self.items} ({self.evaluated} evaluated, {self.failed} failed)",
            f"as of {when} · backend: {options.backend} · rules: {rules.edition}",
            DISCLAIMER,
        ]) + "\n"


