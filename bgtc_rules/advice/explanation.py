"""One program's explanation: its proof trees, what is missing, and the smallest changes to eligibility.

Shared by `bgtc explain` and the HTTP service, so both write the same `bgtc.explanation/1` JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.evaluation import evaluate_with_proofs
from bgtc_rules.advice.export_parts import standing_dict
from bgtc_rules.base.errors import InputError
from bgtc_rules.base.jsontext import document
from bgtc_rules.dossier.editing import REMOVE, with_changes
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.counterfactual import Change, changes_to_reach
from bgtc_rules.engine.facts import Facts, dossier_facts
from bgtc_rules.engine.proof import RuleProof, rule_proof_dict
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.language.catalog import base_path
from bgtc_rules.language.leaves import leaf_truth
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.wording import answer

EXPLANATION_FORMAT = "bgtc.explanation/1"


@dataclass(frozen=True)
class Explanation:
    assessment: Assessment
    item: ProgramAssessment
    proofs: list[RuleProof]
    changes: list[tuple[Change, ...]]
    change_texts: dict[str, str] = field(default_factory=dict)  # a change's summary -> its sentence

    def says(self, change: Change) -> str:
        return self.change_texts.get(change.summary, change.summary)

    def to_dict(self) -> dict[str, Any]:
        assessment, item = self.assessment, self.item
        return {
            "format": EXPLANATION_FORMAT,
            "program": item.program,
            "determination": item.determination.value,
            "reason": item.reason,
            "available_once": list(item.available_once),
            "standing": standing_dict(assessment.designation(item.program)),
            "as_of": assessment.as_of.isoformat(),
            "backend": assessment.backend,
            "rules": {"edition": assessment.rules_edition, "digest": assessment.rules_digest},
            "rules_proofs": [rule_proof_dict(p) for p in self.proofs],
            "missing": [{"fact": m.path, "question": m.question} for m in item.missing],
            "changes_to_eligible": [[{"path": c.path, "value": c.value, "summary": self.says(c), "tier": c.tier}
                                     for c in combo]
                                    for combo in self.changes],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The export as text; `indent=None` writes it on one line."""
        return document(self.to_dict(), indent, default=str)


def _grants(assessment: Assessment, rules: RuleBase, designations: tuple[str, ...]) -> list[tuple[Change, ...]]:
    """For a conditional program, the changes that make it available: the grant of each designation
    it is available once granted (and only those: the ones it qualifies for or is waiting for). The
    other designations stay as recorded (each program's latest record, as `advice.standing` reads it)."""
    recorded = [{"program": state.program, "status": state.status.value,
                 **({"date": state.date.isoformat()} if state.date else {})}
                for state in assessment.designations.values() if state.status is not None]
    return [(Change("designations", [*(r for r in recorded if r["program"] != designation),
                                     {"program": designation, "status": "granted"}],
                    f"{rules.programs[designation].name} is granted"),)
            for designation in designations]


def explain(dossier: Dossier, rules: RuleBase, program: str, as_of: dt.date | None = None,
            backend: str | None = None, source: str = "") -> Explanation:
    """Why `program` got its determination; `InputError` if the rule base has no such program."""
    assessment, by_program = evaluate_with_proofs(dossier, rules, [program], as_of=as_of, backend=backend,
                                                  source=source)
    item = assessment.program(program)
    changes: list[tuple[Change, ...]] = []
    if item.determination is Determination.CONDITIONAL:
        changes = _grants(assessment, rules, item.available_once)
    elif item.determination is not Determination.ELIGIBLE:
        changes = changes_to_reach(dossier, rules, program, assessment.as_of)
    # A designation to obtain is said as `engine.reach` says it (which one, and whether the program
    # qualifies for it now); other changes by the sentences of the conditions they make hold.
    texts = {change.summary: change.summary if change.path == "designations"
             else change_sentence(dossier, rules, program, change) for combo in changes for change in combo}
    return Explanation(assessment, item, by_program[program], changes, texts)


def change_sentence(dossier: Dossier, rules: RuleBase, program: str, change: Change) -> str:
    """A change as a person reads it: the sentences of the program's conditions on that field that
    the change makes hold, and what the dossier says now; the field's question where no condition
    has a sentence."""
    before = dossier_facts(dossier)
    try:
        after: Facts | None = dossier_facts(with_changes(dossier, {change.path: REMOVE if change.value is None
                                                                    else change.value}))
    except InputError:
        after = None
    read = [*rules.program_rules(program), *(d for r in rules.program_rules(program) for d in rules.dependencies[r.id])]
    made_true: dict[str, None] = {}
    made_false: dict[str, None] = {}  # used where the change makes no condition hold, only refutes some
    for leaf in (leaf for rule in read for leaf in rule.leaves() if base_path(leaf.path) == change.path):
        was, then = leaf_truth(leaf, before[leaf.path]), None if after is None else leaf_truth(leaf, after[leaf.path])
        if then is True and was is not True and leaf.says:
            made_true[leaf.says] = None
        elif then is False and was is not False and leaf.says_not:
            made_false[leaf.says_not] = None
    says = list(made_true or made_false)
    now = f"(now: {answer(before[change.path])})" if change.path in before else ""
    if not says:
        question = rules.questions.get(change.path, "")
        return f"{question} Answer: {answer(change.value)} {now}".strip()
    return f"{' '.join(says)} {now}".strip()
