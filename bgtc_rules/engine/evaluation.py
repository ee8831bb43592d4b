"""One run of the engine on a dossier: its facts, the inference, one determination per program.

The backend and the determiner of a rule base are its engine's (`engine.rule_engine`), built once
and shared by every run; `advice.evaluation.evaluate` turns a run into the library's `Assessment`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bgtc_rules.base.errors import EngineError
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.determine import Determiner
from bgtc_rules.engine.explain import Explainer
from bgtc_rules.engine.facts import Facts, dossier_facts
from bgtc_rules.engine.inference import Backend, Inference
from bgtc_rules.engine.results import ProgramAssessment
from bgtc_rules.engine.rule_engine import engine_for
from bgtc_rules.language.rulebase import RuleBase


def backend_for(rulebase: RuleBase, backend: str | None = None) -> Backend:
    """The (cached) backend instance for a rule base; `backend` as for `resolve_backend_name`."""
    return engine_for(rulebase).backend(backend)


def determiner_for(rulebase: RuleBase) -> Determiner:
    """The (cached) determiner of a rule base: its memory of cases is shared by all runs."""
    return engine_for(rulebase).determiner


@dataclass(frozen=True)
class EngineRun:
    as_of: dt.date
    backend: str  # the name of the backend that inferred
    facts: Facts
    inference: Inference
    programs: tuple[ProgramAssessment, ...]

    def program(self, program_id: str) -> ProgramAssessment:
        for item in self.programs:
            if item.program == program_id:
                return item
        raise KeyError(program_id)


def run_engine(dossier: Dossier, rules: RuleBase, as_of: dt.date | None = None, backend: str | None = None,
               detail: bool = False) -> EngineRun:
    """Infer on the dossier's facts with the rules in force `as_of` (today if not given) and
    determine every program; `detail` keeps each rule's whole condition tree. A batch of one."""
    (run,) = run_engines([dossier], rules, as_of, backend, detail)
    if isinstance(run, EngineError):
        raise run
    return run


def run_engines(dossiers: Sequence[Dossier], rules: RuleBase, as_of: dt.date | None = None,
                backend: str | None = None, detail: bool = False) -> list[EngineRun | EngineError]:
    """`run_engine` for each dossier, inferred together (see `Backend.infer_many`): each dossier's
    run, or the engine's failure on that dossier alone, in order."""
    when = as_of or dt.date.today()
    engine = backend_for(rules, backend)
    determiner = determiner_for(rules)
    items = [dossier_facts(dossier) for dossier in dossiers]
    runs: list[EngineRun | EngineError] = []
    for facts, inference in zip(items, engine.infer_many(items, when), strict=True):
        if isinstance(inference, EngineError):
            runs.append(inference)
            continue
        programs = determiner.determine(rules, inference, Explainer(rules, facts, inference), detail)
        runs.append(EngineRun(when, engine.name, facts, inference, programs))
    return runs
