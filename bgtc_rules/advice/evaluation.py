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
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from bgtc_rules.advice.assessment import Assessment, FiredRule, References
from bgtc_rules.advice.stacking import held_designations, stacking_notes
from bgtc_rules.base.errors import input_error
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.backends import create_backend, resolve_backend_name
from bgtc_rules.engine.determine import Determiner
from bgtc_rules.engine.explain import Explainer
from bgtc_rules.engine.facts import Facts, dossier_facts
from bgtc_rules.engine.inference import Backend, Inference
from bgtc_rules.language.rulebase import RuleBase

if TYPE_CHECKING:  # proofs are for `bgtc explain` and the reports: imported when asked for
    from bgtc_rules.engine.proof import RuleProof

# What is kept per rule base (by its digest) for every evaluation of it, built once under one lock.
_lock = threading.Lock()
_backends: dict[tuple[str, str], Backend] = {}
_determiners: dict[str, Determiner] = {}
_references: dict[str, References] = {}

K = TypeVar("K")
T = TypeVar("T")


def _shared(table: dict[K, T], key: K, build: Callable[[], T]) -> T:
    with _lock:
        found = table.get(key)
        if found is None:
            found = table[key] = build()
    return found


def backend_for(rulebase: RuleBase, backend: str | None = None) -> Backend:
    """The (cached) backend instance for a rule base; `backend` as for `resolve_backend_name`."""
    name = resolve_backend_name(backend)
    return _shared(_backends, (rulebase.digest, name), lambda: create_backend(rulebase, name))


def determiner_for(rulebase: RuleBase) -> Determiner:
    """The (cached) determiner of a rule base: its memory of cases is shared by all evaluations."""
    return _shared(_determiners, rulebase.digest, lambda: Determiner(rulebase))


def references_for(rulebase: RuleBase) -> References:
    """The (cached) ids of a rule base's citations and caveats, programs first, in id order."""

    def build() -> References:
        programs = sorted(rulebase.programs.values(), key=lambda p: p.id)
        rules = [*(r for p in programs for r in rulebase.program_rules(p.id)), *rulebase.rules]
        caveats = [*(c for p in programs for c in p.caveats), *(c for rule in rules for c in rule.spec.caveats)]
        return References((c for rule in rules for c in rule.spec.citations), caveats)

    return _shared(_references, rulebase.digest, build)


def clear_caches() -> None:
    """Forget the determinations and JSON parts remembered so far (see `determine.Determiner`);
    they are worked out again as needed. For measurements that must start cold, and to free
    their memory in a long-lived process."""
    with _lock:
        for determiner in _determiners.values():
            determiner.forget()
        for references in _references.values():
            references.written.clear()
            references.rules_written.clear()


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


def _evaluate(dossier: Dossier, rules: RuleBase, as_of: dt.date | None, backend: str | None,
              source: str, detail: bool = False) -> tuple[Assessment, Facts, Inference]:
    when = as_of or dt.date.today()
    engine = backend_for(rules, backend)
    facts = dossier_facts(dossier)
    inference = engine.infer(facts, when)
    explainer = Explainer(rules, facts, inference)
    programs = determiner_for(rules).determine(rules, inference, explainer, detail)
    assessment = Assessment(
        dossier_name=dossier.program.name,
        source=source,
        as_of=when,
        backend=engine.name,
        rules_edition=rules.edition,
        rules_digest=rules.digest,
        programs=programs,
        concepts=dict(inference.concepts),
        firings=tuple(FiredRule(f.rule_id, f.matched, f.derived, tuple(rules.by_id[f.rule_id].spec.citations))
                      for f in inference.firings),
        stacking=stacking_notes(rules, programs, held_designations(dossier)),
        rule_outcomes=inference.outcomes,
        references=references_for(rules),
    )
    return assessment, facts, inference
