"""What several test modules evaluate, loaded once per process (worker processes included): the
bundled rules, and fixed pools of generated dossiers."""

from __future__ import annotations

from functools import cache

from benchmarks.soak import dossier_pool
from bgtc_rules import RuleBase
from bgtc_rules.dossier.schema import Dossier


@cache
def bundled_rules() -> RuleBase:
    return RuleBase.load()


@cache
def pool(size: int) -> tuple[Dossier, ...]:
    return tuple(dossier_pool(size))
