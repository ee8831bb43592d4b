"""The engine of one rule base: everything kept between runs on it, in one object.

Every run on a rule base shares its backends (built once: the durable one registers its rulesets
with the engine), its determiner (the memory of cases, `engine.determine`), and what the layers
above keep for the rule base through `kept` (the citation and caveat ids of `advice.evaluation`,
the conditional answers of `advice.conditional`, the questions that matter at a stage of
`advice.stage`, the compiled gates of the course). One lock guards them, so threads share an
engine safely; `forget()` drops what was learnt from dossiers and keeps what follows from the
rules alone.

`engine_for(rules)` gives a rule base's engine. There is one per rule base content (its digest),
so that loading the same rules again (each `RuleBase.load()` reads them anew) reuses the backends
built for them; the registry of engines is the only process-wide table, and it holds nothing
else.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

from bgtc_rules.engine.backends import create_backend, resolve_backend_name
from bgtc_rules.engine.determine import Determiner
from bgtc_rules.engine.inference import Backend
from bgtc_rules.language.rulebase import RuleBase

T = TypeVar("T")


class RuleEngine:
    """What is kept for one rule base between runs on it."""

    def __init__(self, rulebase: RuleBase) -> None:
        self.rulebase = rulebase
        # Held while building or changing anything kept here (re-entrant: a build may ask for another).
        self.lock = threading.RLock()
        self.determiner = Determiner(rulebase)
        self._backends: dict[str, Backend] = {}
        self._kept: dict[str, Any] = {}
        self._forgetters: dict[str, Callable[[Any], None]] = {}

    def backend(self, name: str | None = None) -> Backend:
        """The backend instance (`name` as for `resolve_backend_name`), built the first time."""
        resolved = resolve_backend_name(name)
        with self.lock:
            found = self._backends.get(resolved)
            if found is None:
                found = self._backends[resolved] = create_backend(self.rulebase, resolved)
        return found

    def kept(self, name: str, build: Callable[[], T], forget: Callable[[T], None] | None = None) -> T:
        """The value kept under `name` for this rule base, built by `build()` the first time.
        `forget`, if given, drops from it what was learnt from dossiers (see `forget`)."""
        with self.lock:
            if name not in self._kept:
                self._kept[name] = build()
                if forget is not None:
                    self._forgetters[name] = cast(Callable[[Any], None], forget)
            return cast(T, self._kept[name])

    def forget(self) -> None:
        """Drop what was remembered from dossiers (cases, answers, JSON written); keep the rest."""
        with self.lock:
            self.determiner.forget()
            for name, forget in self._forgetters.items():
                forget(self._kept[name])


_engines: dict[str, RuleEngine] = {}
_engines_lock = threading.Lock()


def engine_for(rules: RuleBase) -> RuleEngine:
    """The engine of a rule base (by its content), made the first time it is asked for."""
    with _engines_lock:
        found = _engines.get(rules.digest)
        if found is None:
            found = _engines[rules.digest] = RuleEngine(rules)
    return found


def every_engine() -> Iterator[RuleEngine]:
    """The engines made so far (to forget what they remembered)."""
    with _engines_lock:
        engines = list(_engines.values())
    yield from engines
