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

from ._version import __version__

if TYPE_CHECKING:
    from .assessment import Assessment, Determination, ProgramAssessment
    from .dossier import Dossier
    from .dossier_io import dossier_from_mapping, load_dossier
    from .errors import BgtcError, InputError
    from .evaluation import evaluate
    from .rulebase import RuleBase

_EXPORTS = {
    "Assessment": "assessment",
    "Determination": "assessment",
    "ProgramAssessment": "assessment",
    "Dossier": "dossier",
    "dossier_from_mapping": "dossier_io",
    "load_dossier": "dossier_io",
    "BgtcError": "errors",
    "InputError": "errors",
    "evaluate": "evaluation",
    "RuleBase": "rulebase",
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
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
