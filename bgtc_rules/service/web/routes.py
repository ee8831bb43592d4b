"""The web page's routes: `GET /` (the start page), `/web/...` for every form, the rules browser and
the static files. Every form post goes through the service's limits (`Service.run_on_body`: body
size, time, waiting requests) and runs in its thread pool, as the JSON routes do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bgtc_rules.base.errors import InputError, Problem
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.service.settings import ServiceSettings
from bgtc_rules.service.web import assessment_pages, interview_page, start_pages
from bgtc_rules.service.web.embed import content_security_policy
from bgtc_rules.service.web.forms import Form, read_form
from bgtc_rules.service.web.layout import Answer, Context, Download, render_page, static_file


class Service(Protocol):
    """What the web page needs of the service (`app.Service`): its rule base, settings and limits."""

    rules: RuleBase
    settings: ServiceSettings

    async def run_on_body(self, request: Request, work: Callable[[bytes], Response],
                          problem: Callable[..., Response]) -> Response: ...

Handler = Callable[[Context, Form], Answer | None]

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",  # a page carries a dossier: no copy is kept on the way
}

FORMS: dict[str, Handler] = {
    "/web/open": start_pages.open_dossier,
    "/web/scenario": start_pages.open_scenario,
    "/web/interview/start": interview_page.start_interview,
    "/web/interview": interview_page.interview_step,
    "/web/interview/resume": interview_page.resume_from_form,
    "/web/assessment": assessment_pages.assessment_from_form,
    "/web/explain": assessment_pages.explain_page,
    "/web/whatif": assessment_pages.whatif_page,
    "/web/draft": assessment_pages.draft_page,
}


def respond(answer: Answer) -> Response:
    if isinstance(answer, Download):
        disposition = f'attachment; filename="{answer.filename}"'
        return Response(answer.content, media_type=answer.media_type,
                        headers={**SECURITY_HEADERS, "Content-Disposition": disposition,
                                 "Content-Security-Policy": content_security_policy()})
    return Response(answer.html, answer.status, media_type="text/html; charset=utf-8",
                    headers={**SECURITY_HEADERS, "Content-Security-Policy": answer.csp})


def error_page(status: int, detail: str, problems: tuple[Problem, ...] | list[Problem] = (),
               headers: Mapping[str, str] | None = None) -> Response:
    """A broken limit or a bad form, as a page a person can read."""
    page = render_page("error.html.j2", status=status, title="This page cannot be shown", status_code=status,
                       detail=detail, problems=problems)
    response = respond(page)
    response.headers.update(headers or {})
    return response


def _context(service: Service) -> Context:
    return Context(service.rules, service.settings, dt.date.today())


def _form_endpoint(service: Service, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        content_type = request.headers.get("content-type")
        context = _context(service)

        def work(raw: bytes) -> Response:
            try:
                answer = handler(context, read_form(raw, content_type))
            except InputError as exc:
                return error_page(400, "The page could not use what it was sent.", exc.problems)
            if answer is None:
                return error_page(404, "There is no such page.")
            return respond(answer)

        return await service.run_on_body(request, work, error_page)

    return endpoint


def _download_endpoint(service: Service) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        kind = str(request.path_params["kind"])
        return await _form_endpoint(service, lambda c, f: assessment_pages.download(c, f, kind))(request)

    return endpoint


def web_routes(service: Service) -> list[Route]:
    """The routes of the web page, on the service's rule base, settings and limits."""

    async def start(request: Request) -> Response:
        return respond(start_pages.start_page(_context(service)))

    async def rules(request: Request) -> Response:
        return respond(start_pages.rules_page(_context(service)))

    async def program(request: Request) -> Response:
        page = start_pages.program_page(_context(service), str(request.path_params["program"]))
        return respond(page) if page is not None else error_page(404, "There is no such program.")

    async def static(request: Request) -> Response:
        found = static_file(str(request.path_params["name"]))
        if found is None:
            return error_page(404, "There is no such file.")
        content, media_type = found
        return Response(content, media_type=media_type, headers={"X-Content-Type-Options": "nosniff",
                                                                 "Cache-Control": "max-age=3600"})

    routes = [Route("/", start, methods=["GET"]), Route("/web/rules", rules, methods=["GET"]),
              Route("/web/rules/{program}", program, methods=["GET"]),
              Route("/web/static/{name}", static, methods=["GET"]),
              Route("/web/download/{kind}", _download_endpoint(service), methods=["POST"])]
    routes += [Route(path, _form_endpoint(service, handler), methods=["POST"]) for path, handler in FORMS.items()]
    return routes

