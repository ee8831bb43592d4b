"""What each route does: its query parameters, and the library call whose text is the answer.

A handler reads the query and path when the request arrives (bad ones are answered before the
body is read) and returns the job that turns the parsed body into the answer's text; the job
runs in the service's thread pool. Routes without a body are answered on the event loop from
text written once per rule base, so `/health` answers even while every thread is evaluating.

Every answer is compact JSON (one line) unless the query says `pretty=true`, which indents it as
the command line's `--format json` does: an indented assessment is about twice as long and took
about half of a request's time to write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bgtc_rules._version import __version__
from bgtc_rules.base.documents import Document
from bgtc_rules.base.errors import InputError, Problem, shown
from bgtc_rules.base.jsontext import document as json_document
from bgtc_rules.base.validation import did_you_mean
from bgtc_rules.engine.rule_engine import engine_for
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.service.gather import EvaluateOptions
from bgtc_rules.service.requests import QUERY, Query, changes_of, dossier_from_body, whatif_from_body
from bgtc_rules.service.settings import ServiceSettings

Job = Callable[[Document | None], str]
QueryPairs = Sequence[tuple[str, str]]
Handler = Callable[[RuleBase, ServiceSettings, QueryPairs, Mapping[str, Any]], Job]


PRETTY = "pretty"  # the query parameter every route takes: indent the answer
_COMPACT = "compact"  # the former opt-in to one line, now the default; still accepted by /evaluate


def indent_asked(read: Query) -> int | None:
    """The indent the query asks for: 2 with `pretty`, else None (one line)."""
    return 2 if read.flag(PRETTY) else None


def _once(route: str, rules: RuleBase, read: Query, value: Callable[[], Any], ascii_only: bool = True) -> Job:
    """An answer that depends only on the rule base (or on nothing), written once and kept by the
    rule base's engine: (route, indent) -> text."""
    written: dict[tuple[str, int | None], str] = engine_for(rules).kept("service answers", dict)
    key = (route, indent_asked(read))
    if key not in written:
        written[key] = json_document(value(), key[1], ascii_only=ascii_only)
    text = written[key]
    return lambda _: text


class NotFound(Exception):
    """The path names a program the rule base does not have (404)."""


def _known_program(rules: RuleBase, program: str) -> str:
    """The id `program` names: an id in any case, or a common name (`RMAT`, `pre-IND`), as the CLI takes it."""
    from bgtc_rules.language.program_names import resolve_program

    try:
        return resolve_program(rules.programs, program)
    except InputError:
        raise NotFound(f"unknown program {shown(program)}{did_you_mean(program, rules.programs)}; "
                       "see GET /programs for every id") from None


def _body(document: Document | None) -> Document:
    assert document is not None, "a route that reads a body is given one"
    return document


class EvaluateJob:
    """The job of `POST /evaluate`, with its options: the service gathers the requests that wait
    together into one evaluation (`service.gather`); called, it evaluates one dossier alone."""

    def __init__(self, rules: RuleBase, settings: ServiceSettings, options: EvaluateOptions) -> None:
        self.rules, self.settings, self.options = rules, settings, options

    def __call__(self, document: Document | None) -> str:
        dossier = dossier_from_body(_body(document))
        return self.options.evaluate_alone(dossier, self.rules, self.settings.backend).to_json(
            indent=self.options.indent)


def evaluate(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`POST /evaluate`: the versioned assessment, as `bgtc evaluate --format json [--detail]`, on one
    line (`Assessment.to_json(indent=None)`) unless `pretty`."""
    read = Query(query, ("as_of", "detail", PRETTY, _COMPACT, "source"))
    options = EvaluateOptions(read.date("as_of"), read.flag("detail"), read.text("source"), indent_asked(read))
    if read.flag(_COMPACT) and options.indent is not None:
        raise InputError([Problem(QUERY, _COMPACT, f"give {PRETTY} or {_COMPACT}, not both")])
    return EvaluateJob(rules, settings, options)


def explain(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`POST /explain/{program}`: proof trees, missing evidence, changes to eligibility (`bgtc explain
    --format json`)."""
    from bgtc_rules.advice.explanation import explain as explain_program

    program = _known_program(rules, str(path["program"]))
    read = Query(query, ("as_of", PRETTY, "source"))
    as_of, source, indent = read.date("as_of"), read.text("source"), indent_asked(read)

    def job(document: Document | None) -> str:
        dossier = dossier_from_body(_body(document))
        return explain_program(dossier, rules, program, as_of=as_of, backend=settings.backend,
                               source=source).to_json(indent)

    return job


def whatif(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`POST /whatif`: what changes with new evidence (`bgtc whatif --format json`)."""
    from bgtc_rules.advice.whatif import what_if

    read = Query(query, ("as_of", PRETTY, "source"))
    as_of, source, indent = read.date("as_of"), read.text("source"), indent_asked(read)

    def job(document: Document | None) -> str:
        request = whatif_from_body(_body(document))
        return what_if(request.dossier, rules, changes_of(request), as_of=as_of, backend=settings.backend,
                       source=source, changes_source="request body, set/unset").to_json(indent)

    return job


def plan(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`POST /plan`: the dated plan (`bgtc plan --format json`)."""
    from bgtc_rules.advice.plan import plan_for

    read = Query(query, ("as_of", "start", PRETTY, "source"))
    as_of, start, source, indent = read.date("as_of"), read.date("start"), read.text("source"), indent_asked(read)

    def job(document: Document | None) -> str:
        dossier = dossier_from_body(_body(document))
        return plan_for(dossier, rules, as_of=as_of, start=start, backend=settings.backend,
                        source=source).to_json(indent)

    return job


def programs(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`GET /programs`: the edition and every program (`bgtc rules list --format json`)."""
    from bgtc_rules.render.rulebook import program_list

    return _once("programs", rules, Query(query, (PRETTY,)), lambda: program_list(rules))


def program(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`GET /programs/{program}`: one program's definition and rules as written (`bgtc rules show`, as JSON)."""
    from bgtc_rules.render.rulebook import program_detail

    program_id = _known_program(rules, str(path["program"]))
    return _once(f"programs/{program_id}", rules, Query(query, (PRETTY,)),
                 lambda: program_detail(rules, program_id), ascii_only=False)


def schema(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`GET /schema`: the dossier's JSON Schema (`bgtc schema`)."""
    from bgtc_rules.dossier.loading import dossier_json_schema

    return _once("schema", rules, Query(query, (PRETTY,)), dossier_json_schema)


def dictionary(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`GET /dictionary`: the rule-base dictionary compact batch lines point into (as `bgtc batch`
    writes it at the head of its output)."""
    from bgtc_rules.advice.dictionary import dictionary_for

    return _once("dictionary", rules, Query(query, (PRETTY,)), lambda: dictionary_for(rules).to_dict(),
                 ascii_only=False)


def health(rules: RuleBase, settings: ServiceSettings, query: QueryPairs, path: Mapping[str, Any]) -> Job:
    """`GET /health`: up, with the version, the rules edition and digest, and the backend."""
    from bgtc_rules.engine.backends import resolve_backend_name

    text = json_document({"status": "ok", "version": __version__,
                     "rules": {"edition": rules.edition, "digest": rules.digest},
                     "backend": resolve_backend_name(settings.backend)}, indent_asked(Query(query, (PRETTY,))))
    return lambda _: text


# method, path, handler, whether it reads a body
ROUTES: tuple[tuple[str, str, Handler, bool], ...] = (
    ("POST", "/evaluate", evaluate, True),
    ("POST", "/explain/{program}", explain, True),
    ("POST", "/whatif", whatif, True),
    ("POST", "/plan", plan, True),
    ("GET", "/programs", programs, False),
    ("GET", "/programs/{program}", program, False),
    ("GET", "/schema", schema, False),
    ("GET", "/dictionary", dictionary, False),
    ("GET", "/health", health, False),
)
