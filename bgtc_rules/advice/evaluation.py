"""The library entry point: evaluate a dossier against a rule base.

Examples:
    >>> from bgtc_rules import RuleBase, evaluate, load_dossier
    >>> rules = RuleBase.load()
    >>> assessment = evaluate(load_dossier("scenarios/aav_phase12_pediatric_neuro.yaml"), rules,
    ...                       as_of=dt.date(2026, 11, 21))
    >>> assessment.program("rmat").determination.value
    'eligible'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.conditional import decide_conditional
from bgtc_rules.advice.course import recommend_course
from bgtc_rules.advice.references import References
from bgtc_rules.advice.stacking import benefit_matrix
from bgtc_rules.advice.standing import designation_states
from bgtc_rules.base.errors import EngineError, input_error
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.evaluation import EngineRun, run_engine, run_engines
from bgtc_rules.engine.facts import Facts
from bgtc_rules.engine.inference import Inference
from bgtc_rules.engine.results import FiredRule
from bgtc_rules.engine.rule_engine import engine_for, every_engine
from bgtc_rules.language.course_links import gates, links
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Citation

if TYPE_CHECKING:  # proofs are for `bgtc explain` and the reports: imported when asked for
    from bgtc_rules.engine.proof import RuleProof

def references_for(rulebase: RuleBase) -> References:
    """The ids of a rule base's citations and caveats, programs first, in id order (kept by its
    engine, with the JSON written with them)."""

    def build() -> References:
        programs = sorted(rulebase.programs.values(), key=lambda p: p.id)
        rules = [*(r for p in programs for r in rulebase.program_rules(p.id)), *rulebase.rules]
        caveats = [*(c for p in programs for c in p.caveats), *(c for rule in rules for c in rule.spec.caveats)]
        # Then the citations of the course and the benefit matrix (program data), after the rules'
        # so that the rules' ids stay as they were.
        course = [c for p in programs if p.course is not None
                  for citations in (*(link.citations for _, link in links(p.course)),
                                    *(gate.citations for _, gate in gates(p.course)))
                  for c in citations]
        benefits = [c for p in programs for b in p.benefits for c in b.citations]
        own = [c for p in programs for c in p.citations]
        return References([*(c for rule in rules for c in rule.spec.citations), *course, *benefits, *own], caveats)

    return engine_for(rulebase).kept("references", build, forget=References.forget_written)


def clear_caches() -> None:
    """Forget the determinations and JSON parts remembered so far (see `engine.determine.Determiner`);
    they are worked out again as needed. For measurements that must start cold, and to free
    their memory in a long-lived process."""
    for engine in every_engine():
        engine.forget()


def evaluate(dossier: Dossier, rules: RuleBase, as_of: dt.date | None = None,
             backend: str | None = None, source: str = "", detail: bool = False) -> Assessment:
    """Evaluate one dossier: every program's determination, trace and missing evidence.

    Args:
        dossier: a validated dossier (see `load_dossier`).
        rules: the rule base (see `RuleBase.load`).
        as_of: the date the rules are applied on; today if not given.
        backend: `durable-rules`, `reference` or `auto` (default: `$BGTC_BACKEND`, else auto).
        source: where the dossier came from, for the report.
        detail: also keep every rule's whole condition tree (larger output).
    """
    return _evaluate(dossier, rules, as_of, backend, source, detail)[0]


def evaluate_with_proofs(dossier: Dossier, rules: RuleBase, programs: Sequence[str] | None = None,
                         as_of: dt.date | None = None, backend: str | None = None,
                         source: str = "") -> tuple[Assessment, dict[str, list[RuleProof]]]:
    """`evaluate`, plus the proof trees of the named programs' rules (all programs if `None`),
    from the same inference (for `bgtc explain` and the reports)."""
    wanted = sorted(rules.programs) if programs is None else list(programs)
    for program in wanted:
        if program not in rules.programs:
            known = ", ".join(sorted(rules.programs))
            raise input_error("PROGRAM", program, f"unknown program; expected one of: {known}")
    assessment, facts, inference = _evaluate(dossier, rules, as_of, backend, source)
    from bgtc_rules.engine.proof import ProofBuilder

    builder = ProofBuilder(rules, facts, inference)
    return assessment, {program: builder.program(program) for program in wanted}


class _Constants:
    """What every assessment of a rule base shares: which programs follow from which, and each
    rule's citations as a firing lists them (kept by its engine)."""

    def __init__(self, rulebase: RuleBase) -> None:
        self.follows_from = {p.id: tuple(p.available_with) for p in rulebase.programs.values() if p.available_with}
        self.citations = {rule.id: tuple(rule.spec.citations) for rule in rulebase.rules}


def _constants(rulebase: RuleBase) -> _Constants:
    return engine_for(rulebase).kept("assessment constants", lambda: _Constants(rulebase))


def rule_citations(rulebase: RuleBase) -> Mapping[str, tuple[Citation, ...]]:
    """Each rule's citations, the same tuple in every firing of the rule an assessment lists."""
    return _constants(rulebase).citations


def evaluate_many(dossiers: Sequence[Dossier], rules: RuleBase, as_of: dt.date | None = None,
                  backend: str | None = None, sources: Sequence[str] | None = None) -> list[Assessment | EngineError]:
    """`evaluate` for each dossier, inferred together (durable-rules evaluates them in shared
    sessions): each dossier's assessment, or the engine's failure on that dossier alone, in order.
    The same answers as `evaluate` one by one."""
    names = list(sources) if sources is not None else [""] * len(dossiers)
    return [run if isinstance(run, EngineError) else _assessment(dossier, rules, run, source)
            for dossier, run, source in zip(dossiers, run_engines(dossiers, rules, as_of, backend), names, strict=True)]


def _evaluate(dossier: Dossier, rules: RuleBase, as_of: dt.date | None, backend: str | None,
              source: str, detail: bool = False) -> tuple[Assessment, Facts, Inference]:
    run = run_engine(dossier, rules, as_of, backend, detail)
    return _assessment(dossier, rules, run, source), run.facts, run.inference


def _assessment(dossier: Dossier, rules: RuleBase, run: EngineRun, source: str) -> Assessment:
    designations = designation_states(dossier, rules)
    programs = decide_conditional(rules, run.programs, designations)
    course = recommend_course(programs, designations, rules, run.facts, run.inference.concepts, run.as_of)
    constants = _constants(rules)
    citations = constants.citations
    return Assessment(
        dossier_name=dossier.program.name,
        source=source,
        as_of=run.as_of,
        backend=run.backend,
        rules_edition=rules.edition,
        rules_digest=rules.digest,
        programs=programs,
        concepts=dict(run.inference.concepts),
        firings=tuple([FiredRule(rule_id=f.rule_id, matched=f.matched, derived=f.derived,
                                       citations=citations[f.rule_id]) for f in run.inference.firings]),
        course=course,
        benefits=benefit_matrix(rules, programs, designations, course),
        designations=designations,
        follows_from=dict(constants.follows_from),
        rule_outcomes=run.inference.outcomes,
        references=references_for(rules),
    )
