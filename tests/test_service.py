"""The HTTP service in-process (Starlette's test client on the ASGI app): the library's bytes for the same
input, the command line's problems for bad input, the limits, and the OpenAPI document."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, ValidationError
from openapi_spec_validator import validate
from starlette.routing import Route
from starlette.testclient import TestClient

import bgtc_rules.advice.evaluation as library
from bgtc_rules import evaluate, load_dossier
from bgtc_rules.base.errors import InputError
from bgtc_rules.cli import main
from bgtc_rules.dossier.loading import dossier_to_json
from bgtc_rules.service.app import create_app
from bgtc_rules.service.settings import ServiceSettings

from .paths import AS_OF, SCENARIOS
from .pools import bundled_rules

PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
PRE_IND = SCENARIOS / "aav_pre_ind_pediatric_neuro.yaml"
JSON = {"Content-Type": "application/json"}


def _client(**limits: Any) -> TestClient:
    return TestClient(create_app(ServiceSettings(**limits), rules=bundled_rules()), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with _client() as started:  # runs the lifespan: the thread pool
        yield started


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _json_body(path: Path) -> str:
    return dossier_to_json(load_dossier(path))


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in response.text and 'File "' not in response.text
    document: dict[str, Any] = response.json()
    assert document["status"] == status and document["title"] and document["detail"]
    return document


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_evaluate_answers_the_librarys_bytes_for_every_scenario(client: TestClient, scenario: Path) -> None:
    expected = evaluate(load_dossier(scenario), bundled_rules(), as_of=AS_OF).to_json(indent=None)
    as_json = client.post("/evaluate", params={"as_of": AS_OF.isoformat()}, content=_json_body(scenario),
                          headers=JSON)
    as_yaml = client.post("/evaluate", params={"as_of": AS_OF.isoformat()}, content=scenario.read_bytes(),
                          headers={"Content-Type": "application/yaml"})
    assert as_json.status_code == 200 and as_json.headers["content-type"].startswith("application/json")
    assert as_json.content == expected.encode()
    assert as_yaml.content == expected.encode()


def test_evaluate_detail_and_source_are_the_libraries_options(client: TestClient) -> None:
    expected = evaluate(load_dossier(PHASE12), bundled_rules(), as_of=AS_OF, source="registry/42",
                        detail=True).to_json()
    response = client.post("/evaluate", params={"as_of": "2026-11-21", "detail": "true", "source": "registry/42",
                                                "pretty": "true"}, content=_json_body(PHASE12), headers=JSON)
    assert response.text == expected
    assert '"source": "registry/42"' in expected
    assert len(expected) > len(evaluate(load_dossier(PHASE12), bundled_rules(), as_of=AS_OF).to_json())
    one_line = evaluate(load_dossier(PHASE12), bundled_rules(), as_of=AS_OF).to_json(indent=None)
    for params in ({}, {"compact": "1"}, {"pretty": "false"}):
        compact = client.post("/evaluate", params={"as_of": "2026-11-21", **params}, content=_json_body(PHASE12),
                              headers=JSON)
        assert compact.text == one_line and compact.text.count("\n") == 1, params
    both = client.post("/evaluate", params={"as_of": "2026-11-21", "compact": "1", "pretty": "1"},
                       content=_json_body(PHASE12), headers=JSON)
    assert _problem(both, 400)["problems"][0]["message"] == "give pretty or compact, not both"


def test_explain_whatif_plan_programs_and_schema_answer_the_commands_json(client: TestClient) -> None:
    as_of = ["--as-of", "2026-11-21"]
    pretty = {"as_of": "2026-11-21", "pretty": "true"}
    explained = client.post("/explain/breakthrough_therapy", params=pretty,
                            content=_json_body(PRE_IND), headers=JSON)
    assert explained.text == _cli("explain", str(PRE_IND), "breakthrough_therapy", *as_of, "--format", "json")
    assert explained.json()["changes_to_eligible"], "not eligible before the IND: the changes are listed"

    changes = {"development.stage": "ind_active", "clinical.patients_dosed": 3}
    body = json.dumps({"dossier": json.loads(_json_body(PRE_IND)), "set": changes, "unset": ["indication.serious"]})
    whatif = client.post("/whatif", params=pretty, content=body, headers=JSON)
    assert whatif.text == _cli("whatif", str(PRE_IND), "--set", "development.stage=ind_active",
                               "--set", "clinical.patients_dosed=3", "--unset", "indication.serious", *as_of,
                               "--format", "json")
    assert whatif.json()["changed"]

    plan = client.post("/plan", params={**pretty, "start": "2026-12-01"}, content=_json_body(PHASE12), headers=JSON)
    assert plan.text == _cli("plan", str(PHASE12), *as_of, "--start", "2026-12-01", "--format", "json")

    assert client.get("/programs", params={"pretty": "1"}).text == _cli("rules", "list", "--format", "json")
    assert client.get("/schema", params={"pretty": "1"}).text == _cli("schema")


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/explain/rmat"), ("POST", "/plan"), ("GET", "/programs"), ("GET", "/programs/rmat"),
    ("GET", "/schema"), ("GET", "/health"), ("GET", "/openapi.json")])
def test_every_answer_is_one_line_unless_pretty(client: TestClient, method: str, path: str) -> None:
    body = {"content": _json_body(PHASE12), "headers": JSON} if method == "POST" else {}
    compact = client.request(method, path, params={"as_of": "2026-11-21"} if method == "POST" else {}, **body)
    pretty = client.request(method, path, params={"pretty": "true", **({"as_of": "2026-11-21"}
                                                                       if method == "POST" else {})}, **body)
    assert compact.status_code == pretty.status_code == 200
    assert compact.text.count("\n") == 1 and compact.text.endswith("\n")
    assert pretty.text.count("\n") > 5
    assert compact.json() == pretty.json()
    rmat = client.get("/programs/rmat").json()
    assert rmat["program"]["id"] == "rmat" and rmat["rules"]
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["rules"]["digest"] == bundled_rules().digest


def _cli_problems(tmp_path: Path, text: str) -> list[tuple[int | None, str, str]]:
    path = tmp_path / "dossier.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_dossier(path)
    return [(p.line, p.where, p.message) for p in raised.value.problems]


BAD_DOSSIERS = {
    "wrong types and a misspelt field": '{"schema_version": 1,\n "program": {"name": "X", "modality": "aav"},\n'
                                        ' "indication": {"us_prevalance": 900, "serious": "very"}}',
    "a misspelt enum value": '{"schema_version": 1, "program": {"name": "X", "modality": "aav_gene_therapi"}}',
    "not JSON": '{"schema_version": 1,\n "program": ',
    "duplicate key": '{"schema_version": 1,\n "schema_version": 1}',
    "NaN": '{"schema_version": 1, "indication": {"us_prevalence": NaN}}',
    "nested 40 deep": '{"program": ' + "[" * 40 + "]" * 40 + "}",
    "nested 100,000 deep": '{"program": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "a list, not a mapping": "[1, 2]",
}


@pytest.mark.parametrize("text", BAD_DOSSIERS.values(), ids=BAD_DOSSIERS.keys())
def test_bad_dossiers_get_400_with_the_problems_the_cli_prints(client: TestClient, tmp_path: Path,
                                                               text: str) -> None:
    for route in ("/evaluate", "/explain/rmat", "/plan"):
        document = _problem(client.post(route, content=text, headers=JSON), 400)
        found = [(p["line"], p["path"], p["message"]) for p in document["problems"]]
        assert found == _cli_problems(tmp_path, text)
        assert {p["file"] for p in document["problems"]} == {"request body"}


def test_whatif_problems_name_the_path_inside_the_request(client: TestClient) -> None:
    dossier = json.loads(_json_body(PHASE12))
    dossier["indication"]["us_prevalence"] = "many"
    body = json.dumps({"dossier": dossier, "sett": {}}, indent=1)
    problems = _problem(client.post("/whatif", content=body, headers=JSON), 400)["problems"]
    paths = {p["path"]: p for p in problems}
    assert set(paths) == {"dossier.indication.us_prevalence", "sett"}
    assert paths["dossier.indication.us_prevalence"]["line"] == body.splitlines().index(
        next(line for line in body.splitlines() if '"us_prevalence"' in line)) + 1
    assert "did you mean 'set'" in paths["sett"]["message"]
    bad_change = json.dumps({"dossier": json.loads(_json_body(PHASE12)), "set": {"clinical.patients_dosed": "x"}})
    problems = _problem(client.post("/whatif", content=bad_change, headers=JSON), 400)["problems"]
    assert [p["path"] for p in problems] == ["clinical.patients_dosed"]
    assert problems[0]["file"] == "request body, set/unset"


@pytest.mark.parametrize(("params", "path", "message"), [
    ({"as_of": "21/11/2026"}, "as_of", "expected a date as YYYY-MM-DD, got '21/11/2026'"),
    ({"detail": "maybe"}, "detail", "expected true or false, got 'maybe'"),
    ({"asof": "2026-11-21"}, "asof", "unknown query parameter; expected: as_of, detail, pretty, compact, source"),
    ([("as_of", "2026-11-21"), ("as_of", "2025-01-01")], "as_of", "given more than once; give it once"),
])
def test_bad_query_parameters_are_named(client: TestClient, params: Any, path: str, message: str) -> None:
    problems = _problem(client.post("/evaluate", params=params, content=_json_body(PHASE12), headers=JSON),
                        400)["problems"]
    assert problems == [{"file": "query", "line": None, "path": path, "message": message}]


def test_unknown_programs_routes_and_methods_are_problem_documents(client: TestClient) -> None:
    assert "did you mean 'fast_track'" in _problem(client.post("/explain/fast_trak", content="{}", headers=JSON),
                                                   404)["detail"]
    assert "did you mean 'rmat'" in _problem(client.get("/programs/rmatt"), 404)["detail"]
    _problem(client.get("/nowhere"), 404)
    assert _problem(client.get("/evaluate"), 405)["detail"] == "GET is not allowed on /evaluate"


def test_body_size_emptiness_and_media_type(client: TestClient) -> None:
    with _client(max_body_bytes=4096) as small:
        big = json.dumps({"schema_version": 1, "program": {"name": "x" * 5000, "modality": "aav_gene_therapy"}})
        assert "larger than 4096 bytes" in _problem(small.post("/evaluate", content=big, headers=JSON), 413)["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield big[:3000].encode()
            yield big[3000:].encode()

        _problem(small.post("/evaluate", content=chunks(), headers=JSON), 413)
    assert _problem(client.post("/evaluate", content=b"", headers=JSON), 400)["problems"][0]["message"] == \
        "the body is empty; expected a dossier as JSON"
    problems = _problem(client.post("/evaluate", content="a=1",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)["problems"]
    assert problems[0]["file"] == "Content-Type" and "expected application/json" in problems[0]["message"]
    not_utf8 = _problem(client.post("/evaluate", content=b'{"a": "\xff"}', headers=JSON), 400)["problems"]
    assert not_utf8[0]["message"] == "not valid UTF-8 text (byte 7); save it as UTF-8"


def test_a_slow_evaluation_gets_503_when_the_timeout_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    real = library.evaluate

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(library, "evaluate", slow)
    with _client(timeout_seconds=0.3) as limited:
        started = time.monotonic()
        response = limited.post("/evaluate", content=_json_body(PHASE12), headers=JSON)
        assert time.monotonic() - started < 1.2, "answered at the timeout, not when the evaluation ended"
        assert "longer than 0.3 s" in _problem(response, 503)["detail"]
        assert response.headers["retry-after"] == "5"
        assert limited.get("/health").status_code == 200


def test_too_many_waiting_requests_get_503_at_once() -> None:
    with _client(max_waiting=0) as full:
        response = full.post("/evaluate", content=_json_body(PHASE12), headers=JSON)
        assert "too many requests" in _problem(response, 503)["detail"]
        assert response.headers["retry-after"] == "1"


def test_an_internal_error_is_a_500_problem_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(library, "evaluate", broken)
    with _client() as service:
        document = _problem(service.post("/evaluate", content=_json_body(PHASE12), headers=JSON), 500)
        assert document["detail"] == "internal error: RuntimeError (please report it)"


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_openapi_document_lists_every_route_and_every_reference_resolves(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    app = client.app
    assert hasattr(app, "routes")
    # the web page's routes (`/`, `/web/...`) answer HTML forms for people, not the JSON API
    served = {(method.lower(), route.path) for route in app.routes if isinstance(route, Route)
              for method in (route.methods or ()) if method != "HEAD" and route.path != "/openapi.json"
              and route.path != "/" and not route.path.startswith("/web/")}
    documented = {(method, path) for path, item in document["paths"].items() for method in item}
    assert served == documented
    schemas = document["components"]["schemas"]
    for ref in set(_refs(document)):
        assert re.fullmatch(r"#/components/schemas/\w+", ref) and ref.rsplit("/", 1)[1] in schemas, ref
    for path, item in document["paths"].items():
        for operation in item.values():
            named = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert named == set(re.findall(r"{(\w+)}", path))
    validate(document)  # the OpenAPI 3.1 specification's own schema


def test_answers_match_the_schemas_the_openapi_document_gives(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]

    def check(name: str, instance: Any) -> None:
        Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": {"schemas": schemas}},
                             ).validate(instance)

    check("Dossier", json.loads(_json_body(PHASE12)))
    check("Health", client.get("/health").json())
    check("ProgramList", client.get("/programs").json())
    check("Problem", client.post("/evaluate", content='{"schema_version": "one"}', headers=JSON).json())
    check("Assessment", client.post("/evaluate", content=_json_body(PHASE12), headers=JSON).json())
    with pytest.raises(ValidationError):
        check("Dossier", {"schema_version": 1, "program": {"name": "X", "modality": "not a modality"}})
