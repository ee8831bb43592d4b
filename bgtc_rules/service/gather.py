"""`POST /evaluate` requests that wait at the same moment, evaluated together in one engine session.

Durable-rules does less per dossier when several are given to its session in one call (one action
per rule for all of them, see `engine/backends/durable.py`), so a worker answers more requests per
second when the evaluations waiting at the same moment share one call. Each request is queued here;
whenever no batch is running, the requests queued at that moment (at most `MOST`) are taken and
evaluated together in one pool thread, by `advice.evaluation.evaluate_many`, whose answers are
`evaluate`'s one by one. A lone request is evaluated at once, alone, as before; under load, the
requests that arrive while one batch runs make up the next, which waits a moment (`HOLD_SECONDS`, 2
ms) for as many requests as the last batch took: the clients it answered come back one by one, the
last a little after it ended, and without the wait eight clients were evaluated in batches of 1 to
8 (four clients, as each of two workers gets, in batches of 1 to 3), each smaller session costing
more per dossier.

Each request keeps its own answer and its own failure: a body that cannot be read or validated,
a dossier the engine fails on, an error writing one answer. If the batch as a whole fails, each of
its dossiers is evaluated again alone. A request whose timeout passes while it waits is dropped
before its turn (or its answer, if already being worked out, is thrown away), as the pool drops a
request it has not started.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.service.requests import dossier_from_body, parse_body

if TYPE_CHECKING:
    from bgtc_rules.advice.assessment import Assessment
    from bgtc_rules.base.errors import EngineError
    from bgtc_rules.dossier.schema import Dossier

MOST = 32  # requests in one batch: enough to share a session well, few enough to answer within ~0.2 s
BATCHES = 1  # batches at once: two would split the queue into smaller sessions on the same lock and GIL
# How long a batch may wait for the clients of the last one to send their next request (their
# round trip on one machine is well under a millisecond; a client that does not come back in time
# costs the others this much once, and the batch after that waits for fewer).
HOLD_SECONDS = 0.002
log = logging.getLogger("bgtc.service")


@dataclass(frozen=True)
class EvaluateOptions:
    """What a `POST /evaluate` asks besides its dossier (its query)."""

    as_of: dt.date | None
    detail: bool
    source: str
    indent: int | None

    def evaluate_alone(self, dossier: Dossier, rules: RuleBase, backend: str | None) -> Assessment:
        from bgtc_rules.advice import evaluation

        return evaluation.evaluate(dossier, rules, as_of=self.as_of, backend=backend, source=self.source,
                                   detail=self.detail)


@dataclass(eq=False)
class Waiting:
    """One request in the queue: its body, its options and the future its answer is given to."""

    raw: bytes
    is_json: bool
    max_bytes: int
    options: EvaluateOptions
    answer: asyncio.Future[bytes]
    abandoned: bool = False  # set by the loop when the request stopped waiting (its timeout passed)
    dossier: Dossier | None = field(default=None, repr=False)


class Gatherer:
    """The queue of one worker process's `POST /evaluate` requests and the batches that empty it."""

    def __init__(self, rules: RuleBase, backend: str | None, executor: Executor,
                 loop: asyncio.AbstractEventLoop) -> None:
        self.rules, self.backend, self.executor, self.loop = rules, backend, executor, loop
        self.queue: deque[Waiting] = deque()  # appended by the loop, taken by a pool thread
        self.running = 0  # batches submitted and not finished (only the loop touches it)
        self.expected = 1  # the last batch's size: the requests the next one waits for, a moment at most
        self.hold: asyncio.TimerHandle | None = None  # the end of that moment, while the next one waits

    async def evaluate(self, raw: bytes, is_json: bool, max_bytes: int, options: EvaluateOptions) -> bytes:
        """The answer's bytes, or the exception the evaluation of this request raised."""
        waiting = Waiting(raw, is_json, max_bytes, options, self.loop.create_future())
        self.queue.append(waiting)
        self._start()
        try:
            return await waiting.answer
        finally:
            waiting.abandoned = True  # answered, timed out or cancelled: no batch should work on it

    def _start(self, held: bool = False) -> None:
        """Start a batch if none is running and requests wait: at once if as many wait as the last
        batch took (one, for a lone request), else when `HOLD_SECONDS` have passed (`held`)."""
        while self.running < BATCHES and self.queue:
            if len(self.queue) < self.expected and not held:
                if self.hold is None:
                    self.hold = self.loop.call_later(HOLD_SECONDS, self._held)
                return
            if self.hold is not None:
                self.hold.cancel()
                self.hold = None
            try:
                batch = self.loop.run_in_executor(self.executor, self._batch)
            except RuntimeError:  # the pool has shut down: the service is stopping
                return
            self.running += 1
            batch.add_done_callback(self._finished)

    def _held(self) -> None:
        self.hold = None
        self._start(held=True)

    def _finished(self, batch: asyncio.Future[int]) -> None:
        self.running -= 1
        self.expected = 1
        if not batch.cancelled():
            if (fault := batch.exception()) is not None:  # not a request's own error
                log.error("a batch of evaluations failed", exc_info=fault)
            else:
                self.expected = max(1, batch.result())
        self._start()

    # -- in a pool thread ------------------------------------------------------------------
    def _batch(self) -> int:
        """Evaluate and answer what waits (at most `MOST`); how many requests were taken."""
        taken: list[Waiting] = []
        while len(taken) < MOST:
            try:
                waiting = self.queue.popleft()
            except IndexError:
                break
            if not waiting.abandoned:
                taken.append(waiting)
        try:
            self._answer(taken)
        except Exception as exc:  # whatever went wrong, no request taken is left without an answer
            for waiting in taken:
                self._give(waiting, exc)
        return len(taken)

    def _answer(self, taken: list[Waiting]) -> None:
        groups: dict[tuple[dt.date | None, bool], list[Waiting]] = {}
        for waiting in taken:
            try:
                document = parse_body(waiting.raw, waiting.is_json, waiting.max_bytes)
                waiting.dossier = dossier_from_body(document)
            except Exception as exc:
                self._give(waiting, exc)
                continue
            # Requests with the same date and detail share a session; source and indent are the
            # answer's own (`detail` keeps every condition tree, so those few are evaluated alone).
            groups.setdefault((waiting.options.as_of, waiting.options.detail), []).append(waiting)
        for group in groups.values():
            for waiting, assessment in zip(group, self._assessments(group), strict=True):
                if isinstance(assessment, Exception):
                    self._give(waiting, assessment)
                    continue
                try:
                    self._give(waiting, assessment.to_json(indent=waiting.options.indent).encode())
                except Exception as exc:
                    self._give(waiting, exc)

    def _assessments(self, group: list[Waiting]) -> list[Assessment | Exception]:
        from bgtc_rules.advice import evaluation

        dossiers = [w.dossier for w in group if w.dossier is not None]
        first = group[0].options
        if len(group) > 1 and not first.detail:
            with contextlib.suppress(Exception):  # then each alone, so that each gets its own answer or error
                together: list[Assessment | EngineError] = evaluation.evaluate_many(
                    dossiers, self.rules, as_of=first.as_of, backend=self.backend,
                    sources=[w.options.source for w in group])
                return list(together)
        results: list[Assessment | Exception] = []
        for waiting, dossier in zip(group, dossiers, strict=True):
            try:
                results.append(waiting.options.evaluate_alone(dossier, self.rules, self.backend))
            except Exception as exc:
                results.append(exc)
        return results

    def _give(self, waiting: Waiting, answer: bytes | Exception) -> None:
        """Hand the answer to the loop (a request whose wait ended takes none)."""
        if waiting.abandoned:
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed: the service is stopping
            self.loop.call_soon_threadsafe(_settle, waiting.answer, answer)


def _settle(future: asyncio.Future[bytes], answer: bytes | Exception) -> None:
    if future.done():
        return
    if isinstance(answer, Exception):
        future.set_exception(answer)
    else:
        future.set_result(answer)
