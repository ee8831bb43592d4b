"""bgtc-rules: which FDA designations, pathways and meetings a rare-disease gene therapy
program qualifies for, why, what is still missing, and when to ask.

The library API:

- `load_dossier(path)` reads and validates an evidence dossier;
- `RuleBase.load(extra_dirs)` loads the bundled rules (plus your own);
- `evaluate(dossier, rules, as_of=...)` returns an `Assessment`, whose `to_json()` is the
  versioned export.
"""

from .assessment import Assessment, Determination, ProgramAssessment
from .dossier import Dossier
from .dossier_io import dossier_from_mapping, load_dossier
from .errors import BgtcError, InputError
from .evaluate import evaluate
from .rulebase import RuleBase

__version__ = "0.1.0"

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
