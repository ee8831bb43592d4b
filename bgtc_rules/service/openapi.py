"""The OpenAPI 3.1 document of the service (`GET /openapi.json`).

The request schemas are the pydantic models the service validates with (`Dossier`,
`WhatIfRequest`), so the document cannot drift from what is accepted; the answers are named by
their versioned `format`, whose fields the library's exports define.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.service.requests import JSON_TYPES, YAML_TYPES, WhatIfRequest

_REF = "#/components/schemas/{model}"
_DATE = {"type": "string", "format": "date"}


def _export(format_name: str, description: str) -> dict[str, Any]:
    return {"type": "object", "description": description, "required": ["format"],
            "properties": {"format": {"const": format_name}}}


_ANSWERS = {
    "Assessment": _export("bgtc.assessment/2", "The versioned assessment: every program's determination, reason, "
                                               "standing with its designation, the recommended course, what each "
                                               "designation adds, missing evidence, trace, citations and caveats."),
    "Explanation": _export("bgtc.explanation/1", "One program's proof trees, missing evidence and the smallest "
                                                 "changes that would make it eligible."),
    "WhatIf": _export("bgtc.whatif/1", "The programs whose determination changes, before and after."),
    "Plan": _export("bgtc.plan/1", "Dated requests, FDA response dates and meetings, each day count with its "
                                   "source; undated next steps."),
    "ProgramList": {"type": "object", "required": ["edition", "programs"],
                    "properties": {"edition": {"type": "string"}, "programs": {"type": "array",
                                                                               "items": {"type": "object"}}}},
    "ProgramDetail": {"type": "object", "required": ["program", "rules"],
                      "properties": {"program": {"type": "object"}, "rules": {"type": "array",
                                                                              "items": {"type": "object"}}}},
    "Health": {"type": "object", "required": ["status", "version", "rules", "backend"],
               "properties": {"status": {"const": "ok"}, "version": {"type": "string"},
                              "rules": {"type": "object"}, "backend": {"type": "string"}}},
    "JsonSchema": {"type": "object", "description": "The JSON Schema of the dossier (as `bgtc schema`)."},
    "Problem": {
        "type": "object", "description": "RFC 9457 problem document; `problems` as the command line prints them.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "problems": {"type": "array", "items": {
                "type": "object", "required": ["file", "line", "path", "message"],
                "properties": {"file": {"type": "string"}, "line": {"type": ["integer", "null"]},
                               "path": {"type": "string"}, "message": {"type": "string"}}}},
        },
    },
}

_ERRORS = {
    "400": "bad input: the problems name the field path, the line and what was expected",
    "404": "no such program",
    "408": "the body did not arrive within the timeout",
    "413": "the body is larger than the limit",
    "415": "the body is neither JSON nor YAML",
    "503": "the answer took longer than the timeout, or too many requests are waiting (see Retry-After)",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


def _parameter(name: str, where: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "schema": schema, "description": description}


_AS_OF = _parameter("as_of", "query", _DATE, "apply the rules in force on this date (default: today)")
_SOURCE = _parameter("source", "query", {"type": "string"},
                     "where the dossier came from, written in the answer (without it, no `dossier.source`)")
_PROGRAM = _parameter("program", "path", {"type": "string"},
                      "a program id as GET /programs lists them (any case), or its common name (RMAT, pre-IND)")


def _operation(summary: str, answer: str, parameters: list[dict[str, Any]], body: str | None,
               errors: tuple[str, ...]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": parameters,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": _ref(answer)}}},
                      **{code: {"description": _ERRORS[code],
                                "content": {"application/problem+json": {"schema": _ref("Problem")}}}
                         for code in errors}},
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {
            media_type: {"schema": _ref(body)} for media_type in (*JSON_TYPES, *YAML_TYPES[:1])}}
    return operation


def openapi_document(version: str) -> dict[str, Any]:
    """The whole document; `version` is the package's."""
    _, definitions = models_json_schema([(Dossier, "validation"), (WhatIfRequest, "validation")], ref_template=_REF)
    schemas = {**definitions.get("$defs", {}), **_ANSWERS}
    posted = ("400", "408", "413", "415", "503")
    detail = _parameter("detail", "query", {"type": "boolean"}, "include every rule's whole condition tree")
    compact = _parameter("compact", "query", {"type": "boolean"},
                         "one line: the default since answers became compact (kept for clients that ask)")
    pretty = _parameter("pretty", "query", {"type": "boolean"},
                        "indent the answer for reading (every answer is compact JSON on one line by default)")
    start = _parameter("start", "query", _DATE, "the day the first requests go out (default: as_of, else today)")
    return {
        "openapi": "3.1.0",
        "info": {"title": "bgtc-rules", "version": version,
                 "description": "Which FDA designations, pathways and meetings a rare-disease gene therapy "
                                "program qualifies for, why, what is missing, and when to ask. Decision support "
                                "only; not a determination by FDA."},
        "paths": {
            "/evaluate": {"post": _operation("Evaluate a dossier", "Assessment",
                                             [_AS_OF, detail, pretty, compact, _SOURCE], "Dossier", posted)},
            "/explain/{program}": {"post": _operation("Explain one program's determination", "Explanation",
                                                      [_PROGRAM, _AS_OF, pretty, _SOURCE], "Dossier",
                                                      (*posted, "404"))},
            "/whatif": {"post": _operation("Re-evaluate with changed evidence", "WhatIf", [_AS_OF, pretty, _SOURCE],
                                           "WhatIfRequest", posted)},
            "/plan": {"post": _operation("A dated regulatory plan", "Plan", [_AS_OF, start, pretty, _SOURCE], "Dossier",
                                         posted)},
            "/programs": {"get": _operation("Every program and meeting type", "ProgramList", [pretty], None, ())},
            "/programs/{program}": {"get": _operation("One program and its rules", "ProgramDetail", [_PROGRAM, pretty],
                                                      None, ("404",))},
            "/schema": {"get": _operation("The dossier's JSON Schema", "JsonSchema", [pretty], None, ())},
            "/health": {"get": _operation("Liveness, version, rules edition and backend", "Health", [pretty], None,
                                          ())},
        },
        "components": {"schemas": schemas},
    }
