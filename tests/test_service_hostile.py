"""Hostile requests to the HTTP service (in-process): far dates, floods of query parameters and of
problems. Each is answered with a problem document, never a 500 or a traceback in the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from bgtc_rules.base.errors import MAX_PROBLEMS
from bgtc_rules.dossier.loading import dossier_to_json, load_dossier
from bgtc_rules.service.app import create_app
from bgtc_rules.service.settings import ServiceSettings

from .paths import SCENARIOS
from .pools import bundled_rules

JSON = {"Content-Type": "application/json"}
BODY = dossier_to_json(load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml"))


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(ServiceSettings(), rules=bundled_rules())
    with TestClient(app, raise_server_exceptions=False) as started:
        yield started


def _problems(response: Any, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problems: list[dict[str, Any]] = response.json()["problems"]
    return problems


@pytest.mark.parametrize("query", ["start=9999-12-31", "as_of=9999-12-31", "as_of=0001-01-01"])
def test_a_date_at_the_end_of_the_calendar_is_422_without_a_traceback(
        client: TestClient, query: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        response = client.post(f"/plan?{query}", content=BODY, headers=JSON)
    (problem,) = _problems(response, 422)
    assert problem["path"] == query.split("=")[0] and "is too far" in problem["message"]
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.exc_info]


def test_a_far_date_in_the_body_is_a_located_problem(client: TestClient) -> None:
    body = BODY.replace('"schema_version": 1', '"schema_version": 1, "designations": '
                        '[{"program": "rmat", "status": "granted", "date": "9999-12-31"}]', 1)
    (problem,) = _problems(client.post("/evaluate", content=body, headers=JSON), 400)
    assert problem["path"] == "designations.0.date" and "9999-12-31 is too far ahead" in problem["message"]


@pytest.mark.parametrize("name", ["xy", "as_of"])
def test_thousands_of_repeated_query_parameters_are_one_problem(client: TestClient, name: str) -> None:
    if name == "xy":  # unknown, as in the report that stalled a worker
        response = client.get("/health?" + "&".join([name] * 20_000))  # the test client's longest URL
    else:  # known, given 40,000 times
        response = client.post("/evaluate?" + "&".join([f"{name}=2026-11-21"] * 3_500), content=BODY, headers=JSON)
    (problem,) = _problems(response, 400)
    assert problem["path"] == name


def test_a_body_with_20000_unknown_fields_gets_the_first_problems_and_a_count(client: TestClient) -> None:
    fields = ", ".join(f'"unknown_{i}": {i}' for i in range(20_000))
    body = BODY.replace('"schema_version": 1', f'"schema_version": 1, {fields}', 1)
    problems = _problems(client.post("/evaluate", content=body, headers=JSON), 400)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1]["message"] == f"and {20_000 - MAX_PROBLEMS} more problems (correct the ones above first)"


def test_a_long_value_is_echoed_cut_short(client: TestClient) -> None:
    response = client.post("/plan?start=" + "9" * 60_000, content=BODY, headers=JSON)
    (problem,) = _problems(response, 400)
    assert len(problem["message"]) < 200 and "(60000 characters)" in problem["message"]


def test_a_far_date_on_the_web_page_is_a_message_not_a_500(client: TestClient) -> None:
    form = {"dossier": (SCENARIOS / "aav_phase12_pediatric_neuro.yaml").read_text(encoding="utf-8"),
            "source": "d.yaml", "as_of": "9999-12-31"}
    response = client.post("/web/assessment", data=form)
    assert 400 <= response.status_code < 500, response.status_code
    assert "9999-12-31 is too far ahead" in response.text
