"""bgtc-rules: which FDA designations, pathways and meetings a rare-disease gene therapy
program qualifies for, why, what is still missing, and when to ask.

The library API:

- `load_dossier(path)` reads and validates an evidence dossier;
- `RuleBase.load(extra_dirs)` loads the bundled rules (plus your own);
- `evaluate(dossier, rules, as_of=...)` returns an `Assessment`, whose `to_json()` is the
  versioned export.

The names are imported on first use, so that `import bgtc_rules` (and `bgtc --version`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bgtc_rules._version import __version__

if TYPE_CHECKING:
    from bgtc_rules.advice.assessment import Assessment
    from bgtc_rules.advice.evaluation import evaluate
    from bgtc_rules.base.errors import BgtcError, InputError
    from bgtc_rules.dossier.loading import dossier_from_mapping, load_dossier
    from bgtc_rules.dossier.schema import Dossier
    from bgtc_rules.engine.results import Determination, ProgramAssessment
    from bgtc_rules.language.rulebase import RuleBase

_EXPORTS = {
    "Assessment": "bgtc_rules.advice.assessment",
    "Determination": "bgtc_rules.engine.results",
    "ProgramAssessment": "bgtc_rules.engine.results",
    "Dossier": "bgtc_rules.dossier.schema",
    "dossier_from_mapping": "bgtc_rules.dossier.loading",
    "load_dossier": "bgtc_rules.dossier.loading",
    "BgtcError": "bgtc_rules.base.errors",
    "InputError": "bgtc_rules.base.errors",
    "evaluate": "bgtc_rules.advice.evaluation",
    "RuleBase": "bgtc_rules.language.rulebase",
}

__all__ = [
    "Assessment",
    "BgtcError",
    "Determination",
    "Dossier",
    "InputError",
    "ProgramAssessment",
    "RuleBase",
    "__version__",
    "dossier_from_mapping",
    "evaluate",
    "load_dossier",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bgtc_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
