"""One program's explanation: its proof trees, what is missing, and the smallest changes to eligibility.

Shared by `bgtc explain` and the HTTP service, so both write the same `bgtc.explanation/1` JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.evaluation import evaluate_with_proofs
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.counterfactual import Change, changes_to_reach
from bgtc_rules.engine.proof import RuleProof, rule_proof_dict
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.language.rulebase import RuleBase

EXPLANATION_FORMAT = "bgtc.explanation/1"


@dataclass(frozen=True)
class Explanation:
    assessment: Assessment
    item: ProgramAssessment
    proofs: list[RuleProof]
    changes: list[tuple[Change, ...]]

    def to_dict(self) -> dict[str, Any]:
        assessment, item = self.assessment, self.item
        return {
            "format": EXPLANATION_FORMAT,
            "program": item.program,
            "determination": item.determination.value,
            "reason": item.reason,
            "as_of": assessment.as_of.isoformat(),
            "backend": assessment.backend,
            "rules": {"edition": assessment.rules_edition, "digest": assessment.rules_digest},
            "rules_proofs": [rule_proof_dict(p) for p in self.proofs],
            "missing": [{"fact": m.path, "question": m.question} for m in item.missing],
            "changes_to_eligible": [[{"path": c.path, "value": c.value, "summary": c.summary, "tier": c.tier}
                                     for c in combo]
                                    for combo in self.changes],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, default=str) + "\n"


def explain(dossier: Dossier, rules: RuleBase, program: str, as_of: dt.date | None = None,
            backend: str | None = None, source: str = "") -> Explanation:
    """Why `program` got its determination; `InputError` if the rule base has no such program."""
    assessment, by_program = evaluate_with_proofs(dossier, rules, [program], as_of=as_of, backend=backend,
                                                  source=source)
    item = assessment.program(program)
    changes = []
    if item.determination is not Determination.ELIGIBLE:
        changes = changes_to_reach(dossier, rules, program, assessment.as_of)
    return Explanation(assessment, item, by_program[program], changes)
