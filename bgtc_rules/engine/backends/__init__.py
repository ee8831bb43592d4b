"""Choosing an inference backend.

`durable-rules` is the default where it imports (CPython < 3.13); elsewhere the reference
evaluator is used automatically. `BGTC_BACKEND=durable-rules|reference|auto` or the CLI's
`--backend` chooses explicitly. Every output names the backend that produced it.
"""

from __future__ import annotations

import importlib.util
import os

from bgtc_rules.base.errors import InputError, Problem
from bgtc_rules.engine.inference import Backend
from bgtc_rules.language.rulebase import RuleBase

DURABLE = "durable-rules"
REFERENCE = "reference"
AUTO = "auto"
CHOICES = (AUTO, DURABLE, REFERENCE)
ENV_VAR = "BGTC_BACKEND"


def durable_available() -> bool:
    """Whether durable-rules is installed and importable here."""
    if importlib.util.find_spec("durable") is None:
        return False
    try:
        from bgtc_rules.engine.backends import durable  # noqa: F401  (the one module that imports durable-rules)
    except ImportError:
        return False
    return True


def resolve_backend_name(requested: str | None = None) -> str:
    """The backend to use: the request, else `$BGTC_BACKEND`, else the best available."""
    choice = (requested or os.environ.get(ENV_VAR) or AUTO).strip().lower()
    if choice not in CHOICES:
        where = "--backend" if requested else ENV_VAR
        raise InputError([Problem(where, "", f"unknown backend {choice!r}; expected one of {list(CHOICES)}")])
    if choice == AUTO:
        return DURABLE if durable_available() else REFERENCE
    if choice == DURABLE and not durable_available():
        raise InputError([Problem(ENV_VAR if not requested else "--backend", "",
                                  "durable-rules is not importable here (it needs CPython < 3.13); "
                                  "use the reference backend")])
    return choice


def create_backend(rulebase: RuleBase, name: str) -> Backend:
    """A backend instance for one rule base."""
    if name == DURABLE:
        from bgtc_rules.engine.backends.durable import DurableBackend

        return DurableBackend(rulebase)
    from bgtc_rules.engine.backends.reference import ReferenceBackend

    return ReferenceBackend(rulebase)
