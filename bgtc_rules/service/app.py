"""The ASGI application (Starlette): routes, limits and problem documents around the library's calls.

Each answer is the text the library writes (`Assessment.to_json()`, `Explanation.to_json()`, ...),
so a request gives the same bytes as the command line for the same dossier and options.

Concurrency: an evaluation is CPU-bound Python that holds the GIL (and, on durable-rules, the
backend's lock, which keeps every session apart: see `engine/backends/durable.py`), so it runs in a
small thread pool that keeps the event loop free for other requests, timeouts and `/health`.
Parallelism comes from worker processes (`bgtc serve --workers N`), each with its own rule base
and engine. `POST /evaluate` requests that wait at the same moment are evaluated together, in one
engine session (`service.gather`), which costs less per dossier. Threads cannot be stopped: a
request whose evaluation outlives the timeout is answered 503 at once, and its thread finishes in
the background; requests still waiting are cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from bgtc_rules._version import __version__
from bgtc_rules.base.errors import InputError, Problem
from bgtc_rules.base.jsontext import document
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.service import endpoints
from bgtc_rules.service.gather import Gatherer
from bgtc_rules.service.problems import PROBLEM_MEDIA_TYPE, problem_json
from bgtc_rules.service.requests import OutOfRange, Query, UnsupportedMediaType, body_is_json, parse_body
from bgtc_rules.service.settings import ServiceSettings

JSON_MEDIA_TYPE = "application/json"
log = logging.getLogger("bgtc.service")


class TooLarge(Exception):
    pass


def problem_response(status: int, detail: str, problems: tuple[Problem, ...] | list[Problem] = (),
                     headers: Mapping[str, str] | None = None) -> Response:
    return Response(problem_json(status, detail, problems), status, headers, media_type=PROBLEM_MEDIA_TYPE)


ProblemAnswer = Callable[..., Response]  # (status, detail, problems=..., headers=...) -> the answer


class Service:
    """The rule base, the thread pool and the limits shared by every request of one process."""

    def __init__(self, settings: ServiceSettings, rules: RuleBase) -> None:
        self.settings = settings
        self.rules = rules
        self.executor: ThreadPoolExecutor | None = None
        self.gatherer: Gatherer | None = None  # the queue of POST /evaluate (`service.gather`)
        self.waiting = 0  # requests between reading their body and their answer (only the loop touches it)

    async def answer(self, request: Request, job: endpoints.Job) -> Response:
        """Read the body within the limits, run `job` on it in the pool, and answer within the timeout."""
        try:
            is_json = body_is_json(request.headers.get("content-type"))
        except UnsupportedMediaType as exc:
            return problem_response(415, "send the body as JSON (Content-Type: application/json) or YAML",
                                    exc.problems)

        if isinstance(job, endpoints.EvaluateJob):  # evaluated with the others waiting at the same moment
            options = job.options

            async def gathered(raw: bytes) -> Response:
                assert self.gatherer is not None, "the lifespan has started"
                answer = await self.gatherer.evaluate(raw, is_json, self.settings.max_body_bytes, options)
                return Response(answer, media_type=JSON_MEDIA_TYPE)

            return await self._within_limits(request, gathered)

        def work(raw: bytes) -> Response:
            return Response(self._run(job, raw, is_json), media_type=JSON_MEDIA_TYPE)

        return await self.run_on_body(request, work)

    async def run_on_body(self, request: Request, work: Callable[[bytes], Response],
                          problem: ProblemAnswer = problem_response) -> Response:
        """Read the body within the limits, run `work` on it in the pool, and answer within the timeout.

        Every route that reads a body comes through here (the JSON routes and the web page's forms),
        so every one has the same limits; `problem` words the answers to a broken limit.
        """
        loop = asyncio.get_running_loop()
        return await self._within_limits(request, lambda raw: loop.run_in_executor(self.executor, work, raw), problem)

    async def _within_limits(self, request: Request, start: Callable[[bytes], Awaitable[Response]],
                             problem: ProblemAnswer = problem_response) -> Response:
        """`run_on_body`, where `start` gives what answers the body (the pool's work, or the gatherer's)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.timeout_seconds
        try:
            try:
                async with asyncio.timeout_at(deadline):
                    raw = await self._read_body(request)
            except TimeoutError:
                return problem(408, f"the body did not arrive within {self._seconds()}")
            except TooLarge:
                return problem(413, f"the body is larger than {self.settings.max_body_bytes} bytes")
            except ClientDisconnect:  # nobody is left to read the answer; not an error of the service
                return problem(400, "the client closed the connection before the body arrived")
            if self.waiting >= self.settings.max_waiting:
                return problem(503, "too many requests are waiting; try again shortly", headers={"Retry-After": "1"})
            self.waiting += 1
            try:
                return await asyncio.wait_for(start(raw), max(0.0, deadline - loop.time()))
            finally:
                self.waiting -= 1
        except TimeoutError:
            return problem(503, f"the answer took longer than {self._seconds()}; try again later",
                           headers={"Retry-After": "5"})
        except InputError as exc:
            return _refused(exc, problem)

    def _run(self, job: endpoints.Job, raw: bytes, is_json: bool) -> str:
        """In a pool thread: parse the body (CPU work too) and run the job on it."""
        return job(parse_body(raw, is_json, self.settings.max_body_bytes))

    async def _read_body(self, request: Request) -> bytes:
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise TooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    def _seconds(self) -> str:
        return f"{self.settings.timeout_seconds:g} s"

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.executor = ThreadPoolExecutor(max_workers=self.settings.threads, thread_name_prefix="bgtc-evaluate")
        self.gatherer = Gatherer(self.rules, self.settings.backend, self.executor, asyncio.get_running_loop())
        _count_connections_from_now()
        try:
            yield
        finally:
            self.executor.shutdown(wait=False, cancel_futures=True)


def _count_connections_from_now() -> None:
    """With several workers, this one is counted among them before its first connection
    (`service.balance`): else the others would not know it has room."""
    from bgtc_rules.service.guard import ConnectionGuard

    ConnectionGuard.board()


def _refused(exc: InputError, problem: ProblemAnswer = problem_response) -> Response:
    """400 for a request that cannot be read, 422 for a well-formed value out of range."""
    if isinstance(exc, OutOfRange):
        return problem(422, "a value is out of the range the service works with; see problems",
                       problems=exc.problems)
    return problem(400, "the request cannot be used; see problems", problems=exc.problems)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return problem_response(405, f"{request.method} is not allowed on {request.url.path}", headers=exc.headers)
    if exc.status_code == 404:
        return problem_response(404, f"no such resource: {request.url.path}; see /openapi.json")
    return problem_response(exc.status_code, str(exc.detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("internal error answering %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(500, f"internal error: {type(exc).__name__} (please report it)")


def create_app(settings: ServiceSettings | None = None, rules: RuleBase | None = None) -> Starlette:
    """The application; the rule base is loaded from `settings.rule_dirs` unless given."""
    from pathlib import Path

    settings = settings or ServiceSettings()
    if rules is None:
        rules = RuleBase.load([Path(d) for d in settings.rule_dirs])
    service = Service(settings, rules)
    routes = [Route(path, _endpoint(service, handler, wants_body), methods=[method])
              for method, path, handler, wants_body in endpoints.ROUTES]
    routes.append(Route("/openapi.json", _openapi(), methods=["GET"]))
    from bgtc_rules.service.web.routes import web_routes

    routes += web_routes(service)
    return Starlette(routes=routes, lifespan=service.lifespan,
                     exception_handlers={HTTPException: _http_error, Exception: _internal_error})


def app_from_environment() -> Starlette:
    """The factory uvicorn's workers call (`bgtc_rules.service.app:app_from_environment`)."""
    return create_app(ServiceSettings.from_environment())


def _endpoint(service: Service, handler: endpoints.Handler, wants_body: bool) -> Callable[[Request],
                                                                                          Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            job = handler(service.rules, service.settings, request.query_params.multi_items(), request.path_params)
        except InputError as exc:
            return _refused(exc)
        except endpoints.NotFound as exc:
            return problem_response(404, str(exc))
        if not wants_body:
            return Response(job(None), media_type=JSON_MEDIA_TYPE)
        return await service.answer(request, job)

    return endpoint


def _openapi() -> Callable[[Request], Awaitable[Response]]:
    from bgtc_rules.service.openapi import openapi_document

    built = openapi_document(__version__)  # pydantic's JSON Schemas: built once, written both ways
    texts = {indent: document(built, indent) for indent in (None, 2)}

    async def endpoint(request: Request) -> Response:
        try:
            read = Query(request.query_params.multi_items(), (endpoints.PRETTY,))
            return Response(texts[endpoints.indent_asked(read)], media_type=JSON_MEDIA_TYPE)
        except InputError as exc:
            return _refused(exc)

    return endpoint
