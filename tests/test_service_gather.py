"""`POST /evaluate` requests gathered into one evaluation (`service.gather`): each keeps its own answer
(the library's bytes for its own dossier and options) and its own error, whatever else is in its batch."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import bgtc_rules.advice.evaluation as library
from bgtc_rules import evaluate
from bgtc_rules.base.errors import EngineError, InputError
from bgtc_rules.dossier.loading import dossier_to_json
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.service import gather
from bgtc_rules.service.gather import EvaluateOptions, Gatherer

from .paths import AS_OF
from .pools import bundled_rules, pool

COMPACT = EvaluateOptions(AS_OF, False, "", None)
Request = tuple[bytes, EvaluateOptions]


def _body(dossier: Dossier) -> bytes:
    return dossier_to_json(dossier).encode()


def _expected(dossier: Dossier, options: EvaluateOptions) -> bytes:
    return evaluate(dossier, bundled_rules(), as_of=options.as_of, source=options.source,
                    detail=options.detail).to_json(indent=options.indent).encode()


def _batch_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of dossiers of each call to `evaluate_many` from now on."""
    sizes: list[int] = []
    real = library.evaluate_many

    def counted(dossiers: Sequence[Dossier], *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(dossiers))
        return real(dossiers, *args, **kwargs)

    monkeypatch.setattr(library, "evaluate_many", counted)
    return sizes


def _answers(requests: Sequence[Request], before: Callable[[list[asyncio.Task[bytes]]], None] = lambda _: None,
             ) -> list[bytes | BaseException]:
    """Every request's answer (or exception), all queued while the only pool thread is busy, so that
    they wait together and are taken in one batch when it frees up."""
    async def main() -> list[bytes | BaseException]:
        busy = threading.Event()
        with ThreadPoolExecutor(max_workers=1) as executor:
            gatherer = Gatherer(bundled_rules(), None, executor, asyncio.get_running_loop())
            blocker = asyncio.get_running_loop().run_in_executor(executor, busy.wait, 30)
            tasks = [asyncio.create_task(gatherer.evaluate(raw, True, 10**7, options)) for raw, options in requests]
            await asyncio.sleep(0)  # every request is queued before the thread frees up
            before(tasks)
            busy.set()
            await blocker
            return list(await asyncio.gather(*tasks, return_exceptions=True))

    return asyncio.run(main())


def test_requests_that_wait_together_are_evaluated_together_each_with_its_own_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    dossiers = pool(12)
    options = [COMPACT, EvaluateOptions(AS_OF, False, "registry/7", None), EvaluateOptions(AS_OF, False, "", 2),
               EvaluateOptions(dt.date(2025, 1, 15), False, "", None)]
    requests = [(_body(d), options[i % len(options)]) for i, d in enumerate(dossiers)]
    expected = [_expected(d, options[i % len(options)]) for i, d in enumerate(dossiers)]
    sizes = _batch_sizes(monkeypatch)
    assert _answers(requests) == expected
    assert sorted(sizes) == [3, 9], "one session for each date the requests asked for"


def test_a_request_the_batch_cannot_use_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    dossiers = pool(6)
    broken = json.loads(_body(dossiers[1]))
    broken["schema_version"] = "one"
    detail = EvaluateOptions(AS_OF, True, "", None)
    requests = [(_body(dossiers[0]), COMPACT), (json.dumps(broken).encode(), COMPACT), (b"{", COMPACT),
                (_body(dossiers[3]), detail), *((_body(d), COMPACT) for d in dossiers[4:])]
    sizes = _batch_sizes(monkeypatch)
    answers = _answers(requests)
    assert isinstance(answers[1], InputError) and "schema_version" in str(answers[1].problems)
    assert isinstance(answers[2], InputError)
    assert answers[3] == _expected(dossiers[3], detail), "detail: evaluated alone"
    assert [answers[0], *answers[4:]] == [_expected(d, COMPACT) for d in (dossiers[0], *dossiers[4:])]
    assert sizes == [3]


def test_the_engine_failing_on_one_dossier_fails_that_request_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    dossiers = pool(4)
    real = library.evaluate_many

    def failing_on_the_second(dossiers: Sequence[Dossier], *args: Any, **kwargs: Any) -> Any:
        results = real(dossiers, *args, **kwargs)
        return [EngineError("the engine failed") if i == 1 else r for i, r in enumerate(results)]

    monkeypatch.setattr(library, "evaluate_many", failing_on_the_second)
    answers = _answers([(_body(d), COMPACT) for d in dossiers])
    assert isinstance(answers[1], EngineError)
    assert [answers[0], *answers[2:]] == [_expected(d, COMPACT) for d in (dossiers[0], *dossiers[2:])]


def test_when_the_batch_as_a_whole_fails_each_request_is_evaluated_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    dossiers = pool(4)
    real = library.evaluate

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug in the batch")

    def failing_on_the_third(dossier: Dossier, *args: Any, **kwargs: Any) -> Any:
        if dossier == dossiers[2]:
            raise RuntimeError("a bug with this dossier")
        return real(dossier, *args, **kwargs)

    monkeypatch.setattr(library, "evaluate_many", broken)
    monkeypatch.setattr(library, "evaluate", failing_on_the_third)
    answers = _answers([(_body(d), COMPACT) for d in dossiers])
    assert isinstance(answers[2], RuntimeError) and str(answers[2]) == "a bug with this dossier"
    assert [answers[0], answers[1], answers[3]] == [_expected(d, COMPACT) for d in (*dossiers[:2], dossiers[3])]


def test_a_request_that_stopped_waiting_is_not_evaluated(monkeypatch: pytest.MonkeyPatch) -> None:
    dossiers = pool(3)
    sizes = _batch_sizes(monkeypatch)
    answers = _answers([(_body(d), COMPACT) for d in dossiers], before=lambda tasks: tasks[1].cancel())
    assert isinstance(answers[1], asyncio.CancelledError)
    assert [answers[0], answers[2]] == [_expected(d, COMPACT) for d in (dossiers[0], dossiers[2])]
    assert sizes == [2]


def test_a_batch_is_at_most_most_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gather, "MOST", 4)
    dossiers = pool(10)
    sizes = _batch_sizes(monkeypatch)
    assert _answers([(_body(d), COMPACT) for d in dossiers]) == [_expected(d, COMPACT) for d in dossiers]
    assert sizes == [4, 4, 2]


def test_concurrent_requests_through_the_service_each_get_their_own_dossiers_answer() -> None:
    from starlette.testclient import TestClient

    from bgtc_rules.service.app import create_app
    from bgtc_rules.service.settings import ServiceSettings

    dossiers = pool(24)
    options = [COMPACT, EvaluateOptions(AS_OF, False, "registry/9", None)]
    with TestClient(create_app(ServiceSettings(), rules=bundled_rules())) as client, \
            ThreadPoolExecutor(max_workers=8) as clients:
        def post(index: int) -> bytes:
            query = {"as_of": AS_OF.isoformat(), **({"source": "registry/9"} if index % 2 else {})}
            response = client.post("/evaluate", params=query, content=_body(dossiers[index]),
                                   headers={"Content-Type": "application/json"})
            assert response.status_code == 200, response.text
            return response.content

        answers = list(clients.map(post, range(len(dossiers))))
    assert answers == [_expected(d, options[i % 2]) for i, d in enumerate(dossiers)]


def test_requests_waiting_on_a_slow_batch_get_503_at_their_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from starlette.testclient import TestClient

    from bgtc_rules.service.app import create_app
    from bgtc_rules.service.settings import ServiceSettings

    def slow(real: Callable[..., Any]) -> Callable[..., Any]:
        def slowly(*args: Any, **kwargs: Any) -> Any:
            time.sleep(1.0)
            return real(*args, **kwargs)
        return slowly

    monkeypatch.setattr(library, "evaluate_many", slow(library.evaluate_many))
    monkeypatch.setattr(library, "evaluate", slow(library.evaluate))
    dossiers = pool(6)
    with TestClient(create_app(ServiceSettings(timeout_seconds=0.3), rules=bundled_rules()),
                    raise_server_exceptions=False) as client, ThreadPoolExecutor(max_workers=6) as clients:
        def post(dossier: Dossier) -> tuple[int, str]:
            response = client.post("/evaluate", content=_body(dossier), headers={"Content-Type": "application/json"})
            return response.status_code, response.json()["detail"]

        answers = list(clients.map(post, dossiers))
        assert client.get("/health").status_code == 200
    assert answers == [(503, "the answer took longer than 0.3 s; try again later")] * len(dossiers)


def _two_rounds(first: int, then: int, hold: float, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The batch sizes when `first` requests wait together, and after their batch `then` requests
    come one at a time, with `hold` seconds of waiting for the last batch's clients."""
    monkeypatch.setattr(gather, "HOLD_SECONDS", hold)
    dossiers = pool(first + then)
    sizes: list[int] = []
    answer = Gatherer._answer

    def counted(self: Gatherer, taken: list[gather.Waiting]) -> None:
        sizes.append(len(taken))
        answer(self, taken)

    monkeypatch.setattr(Gatherer, "_answer", counted)

    async def main() -> list[bytes]:
        with ThreadPoolExecutor(max_workers=1) as executor:
            gatherer = Gatherer(bundled_rules(), None, executor, asyncio.get_running_loop())
            busy = threading.Event()
            blocker = asyncio.get_running_loop().run_in_executor(executor, busy.wait, 30)
            together = [asyncio.create_task(gatherer.evaluate(_body(d), True, 10**7, COMPACT))
                        for d in dossiers[:first]]
            await asyncio.sleep(0)
            busy.set()
            await blocker
            answers = list(await asyncio.gather(*together))
            later = []
            for dossier in dossiers[first:]:
                later.append(asyncio.create_task(gatherer.evaluate(_body(dossier), True, 10**7, COMPACT)))
                await asyncio.sleep(0.05)  # ample for a batch to start, were one to start at once
            return answers + list(await asyncio.gather(*later))

    assert asyncio.run(main()) == [_expected(d, COMPACT) for d in dossiers]
    return sizes


def test_after_a_batch_the_next_waits_a_moment_for_as_many_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _two_rounds(4, 4, 30.0, monkeypatch) == [4, 4], "the clients of a batch of four come back one by one"


def test_the_wait_for_the_last_batchs_clients_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _two_rounds(3, 1, 0.001, monkeypatch) == [3, 1], "one of three came back: answered alone, a moment later"


def test_a_lone_request_is_evaluated_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _two_rounds(1, 2, 30.0, monkeypatch) == [1, 1, 1], "after a batch of one, nothing waits"
