"""The web page without a browser (Starlette's test client): the same answers as the library and the
command line, the service's limits on every form post, a strict Content-Security-Policy, escaping,
and refused input shown next to its field. The browser tests are in `test_web_page.py`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.answers import field_for
from bgtc_rules.dossier.paths import value_at
from bgtc_rules.engine.results import Determination
from bgtc_rules.service.app import create_app
from bgtc_rules.service.settings import ServiceSettings
from bgtc_rules.service.web.embed import csp_hash

from .paths import AS_OF, SCENARIOS
from .pools import bundled_rules

PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
MAX_BODY = 64 * 1024


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(ServiceSettings(max_body_bytes=MAX_BODY), rules=bundled_rules())
    with TestClient(app) as test_client:
        yield test_client


def _state(path: Path = PHASE12) -> dict[str, str]:
    return {"dossier": path.read_text(encoding="utf-8"), "source": path.name, "as_of": AS_OF.isoformat()}


def _attribute(html: str, name: str, attribute: str) -> list[tuple[str, str]]:
    return re.findall(rf'<tr data-program="([a-z0-9_]+)" data-{attribute}="([a-z_]+)"', html)


def test_the_assessment_page_shows_the_determinations_of_the_library(client: TestClient) -> None:
    response = client.post("/web/assessment", data=_state())
    assert response.status_code == 200, response.text
    expected = evaluate(load_dossier(PHASE12), bundled_rules(), as_of=AS_OF).determinations()
    assert dict(_attribute(response.text, "program", "determination")) == expected
    for determination in Determination:  # every determination present is counted, whatever the set
        if determination.value in expected.values():
            assert f'data-determination="{determination.value}"' in response.text


def test_every_page_has_a_strict_policy_admitting_its_inline_styles_by_hash(client: TestClient) -> None:
    pages = [client.get("/"), client.get("/web/rules"), client.get("/web/rules/rmat"),
             client.post("/web/assessment", data=_state()),
             client.post("/web/explain", data={**_state(), "program": "rmat"}),
             client.post("/web/draft", data={**_state(), "draft": "rmat"}),
             client.post("/web/interview/start", data={"as_of": AS_OF.isoformat()})]
    for page in pages:
        assert page.status_code == 200, page.text[:300]
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["cache-control"] == "no-store"
        for style in re.findall(r"<style>(.*?)</style>", page.text, re.S):
            assert csp_hash(style) in policy
        assert not re.search(r"<script>|\son[a-z]+=", page.text), "no inline script or handler"
        assert not re.search(r'(src|href)="(https?:)?//', page.text.split("<main")[0]), "nothing from another host"


def test_a_form_post_over_the_body_limit_gets_413(client: TestClient) -> None:
    response = client.post("/web/assessment", data={**_state(), "padding": "x" * MAX_BODY})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "larger than" in response.text


def test_a_malformed_upload_is_refused_with_the_problem_next_to_its_line(client: TestClient, tmp_path: Path) -> None:
    text = "schema_version: 1\nprogram:\n  name: AAV-X\nindication:\n  us_prevalence: lots\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(Exception) as refused:
        load_dossier(bad)
    problem = refused.value.problems[0]  # type: ignore[attr-defined]
    response = client.post("/web/open", files={"file": ("bad.yaml", text.encode())}, data={"action": "assess"})
    assert response.status_code == 400
    line = re.search(rf'<li id="line-{problem.line}"[^>]*>(.*?)</li>', response.text, re.S)
    assert line is not None and f'data-path="{problem.where}"' in line.group(1)
    assert problem.message.replace("'", "&#39;") in line.group(1)


def test_markup_in_the_dossier_and_its_file_name_is_escaped(client: TestClient) -> None:
    name = '<script>alert(1)</script><b>bold</b>'
    text = yaml.safe_dump({"schema_version": 1, "program": {"name": name}})
    response = client.post("/web/open", files={"file": ('<img src=x onerror=alert(1)>.yaml', text.encode())},
                           data={"action": "assess"})
    assert response.status_code == 200, response.text[:500]
    assert "<script>alert" not in response.text and "<b>bold" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in response.text


def test_a_tampered_dossier_field_is_refused_with_its_problem(client: TestClient) -> None:
    response = client.post("/web/assessment", data={**_state(), "dossier": "schema_version: 1\nprogram: 3\n"})
    assert response.status_code == 400
    assert "program" in response.text and "cannot be shown" in response.text


def test_downloads_are_the_bytes_the_command_line_writes(client: TestClient) -> None:
    from bgtc_rules.advice.plan import plan_for
    from bgtc_rules.render.calendar import plan_to_csv, plan_to_ics

    dossier, rules = load_dossier(PHASE12), bundled_rules()
    plan = plan_for(dossier, rules, as_of=AS_OF, source=PHASE12.name)
    expected = {"json": evaluate(dossier, rules, as_of=AS_OF, source=PHASE12.name).to_json(),
                "ics": plan_to_ics(plan), "csv": plan_to_csv(plan)}
    for kind, text in expected.items():
        response = client.post(f"/web/download/{kind}", data=_state())
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("attachment; filename=")
        assert response.content == text.encode("utf-8"), kind
    assert client.post("/web/download/nonsense", data=_state()).status_code == 404


def test_the_json_api_is_unchanged_beside_the_page(client: TestClient) -> None:
    assert client.get("/nowhere").headers["content-type"] == "application/problem+json"
    response = client.post(f"/evaluate?as_of={AS_OF}", content=PHASE12.read_bytes(),
                           headers={"Content-Type": "application/yaml"})
    assert response.status_code == 200 and json.loads(response.text)["format"] == "bgtc.assessment/2"


# --- the interview --------------------------------------------------------------------------------


def _form_fields(field_path: str, value: Any) -> dict[str, Any]:
    field = field_for(field_path)
    if field.kind == "items":
        return {f"item-{row}-{prop.name}": ("yes" if item[prop.name] is True else "no" if item[prop.name] is False
                                            else str(item[prop.name]))
                for row, item in enumerate(value) for prop in field.item_fields if item.get(prop.name) is not None}
    if field.kind == "enum_list":
        return {"answer": list(value)}
    if isinstance(value, bool):
        return {"answer": "yes" if value else "no"}
    return {"answer": str(value)}


def _hidden(html: str, name: str) -> str:
    import html as markup

    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', html)
    assert found is not None, name
    return markup.unescape(found.group(1))


def test_the_interview_by_form_posts_writes_the_file_of_bgtc_interview(client: TestClient, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bgtc_rules.cli import main

    from .test_interview import scripted

    data = yaml.safe_load(PHASE12.read_text(encoding="utf-8"))
    page = client.post("/web/interview/start", data={"as_of": AS_OF.isoformat()}).text
    asked = []
    while (found := re.search(r'<h2 id="question-title" data-path="([^"]+)"', page)):
        path = found.group(1)
        asked.append(path)
        value = value_at(data, path)
        state = {name: _hidden(page, name) for name in ("dossier", "steps", "as_of", "path", "rows")}
        rows = str(max(1, len(value))) if isinstance(value, list) else "1"
        fields = {**state, "rows": rows, "action": "skip"} if value is None else {
            **state, "rows": rows, "action": "answer", **_form_fields(path, value)}
        response = client.post("/web/interview", data=fields)
        assert response.status_code == 200, response.text[:2000]
        page = response.text
    paths, lines = scripted(data, RuleBase.load())
    assert asked == paths  # the CLI's questions, in its order
    state = {name: _hidden(page, name) for name in ("dossier", "steps", "as_of")}
    web_file = client.post("/web/interview", data={**state, "action": "download"}).text
    target = tmp_path / "cli.yaml"
    result = CliRunner().invoke(main, ["interview", "--as-of", AS_OF.isoformat(), "-o", str(target)],
                                input="".join(f"{line}\n" for line in lines))
    assert result.exit_code == 0, result.output
    assert web_file == target.read_text(encoding="utf-8")


def test_back_and_i_dont_know_in_the_interview(client: TestClient) -> None:
    page = client.post("/web/interview/start", data={"as_of": AS_OF.isoformat()}).text
    state = {name: _hidden(page, name) for name in ("dossier", "steps", "as_of", "path")}
    page = client.post("/web/interview", data={**state, "action": "answer", "answer": "AAV-Y"}).text
    second = re.search(r'data-path="([^"]+)"', page)
    assert second is not None
    state = {name: _hidden(page, name) for name in ("dossier", "steps", "as_of", "path")}
    skipped = client.post("/web/interview", data={**state, "action": "skip"}).text
    assert "it will not be asked again" in skipped
    assert f'data-path="{second.group(1)}"' not in skipped.split("running")[0]
    state = {name: _hidden(skipped, name) for name in ("dossier", "steps", "as_of")}
    back = client.post("/web/interview", data={**state, "action": "back"}).text
    assert f'<h2 id="question-title" data-path="{second.group(1)}"' in back
    refused = client.post("/web/interview", data={**{n: _hidden(back, n) for n in ("dossier", "steps", "as_of",
                                                                                   "path")},
                                                  "action": "answer", "answer": "not a stage"})
    assert refused.status_code == 400 and "Not a valid answer" in refused.text


def test_the_page_benchmark_times_every_page() -> None:
    from benchmarks.web import measure, pages

    lines = measure(1, PHASE12)
    assert len(lines) == len(pages(PHASE12)) and all(" ms/page " in line for line in lines)


def test_every_input_of_every_page_has_a_label(client: TestClient) -> None:
    from html.parser import HTMLParser

    class Inputs(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.labels: set[str] = set()
            self.inputs: list[dict[str, str | None]] = []
            self.in_label = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if tag == "label":
                self.in_label += 1
                self.labels.add(found.get("for") or "")
            elif tag in ("input", "select", "textarea") and found.get("type") != "hidden":
                self.inputs.append({**found, "wrapped": "yes" if self.in_label else None})

        def handle_endtag(self, tag: str) -> None:
            if tag == "label":
                self.in_label -= 1

    state = _state()
    pages = [client.get("/").text, client.post("/web/assessment", data=state).text,
             client.post("/web/interview/start", data={"as_of": AS_OF.isoformat()}).text]
    page = pages[-1]
    for answer in ("AAV-Z", "ind_active"):
        fields = {name: _hidden(page, name) for name in ("dossier", "steps", "as_of", "path")}
        page = client.post("/web/interview", data={**fields, "action": "answer", "answer": answer}).text
        pages.append(page)
    checked = 0
    for text in pages:
        parser = Inputs()
        parser.feed(text)
        for found in parser.inputs:
            assert found["wrapped"] or found.get("aria-labelledby") or found.get("id") in parser.labels, found
            checked += 1
    assert checked > 10


def test_an_explanations_smallest_change_can_be_tried_as_a_what_if(client: TestClient) -> None:
    import html as markup

    from markupsafe import escape

    page = client.post("/web/explain", data={**_state(), "program": "cdrp_pilot"}).text
    assert 'data-program="cdrp_pilot"' in page and "<svg" in page
    caveats = evaluate(load_dossier(PHASE12), bundled_rules(), as_of=AS_OF).program("cdrp_pilot").caveats
    assert caveats and all(str(escape(caveat)) in page for caveat in caveats)  # each written out here
    cited = set(re.findall(r'href="#source-(\d+)"', page))
    assert cited and set(re.findall(r'<li id="source-(\d+)">', page)) == cited  # the sources it cites, listed
    tried = re.search(r'name="changes" value="([^"]+)"', page)
    assert tried is not None
    changes = markup.unescape(tried.group(1))
    assert json.loads(changes) == {"development.accelerated_timeline": True}
    result = client.post("/web/whatif", data={**_state(), "changes": changes}).text
    row = re.search(r'<tr data-program="cdrp_pilot"><th scope="row">[^<]*</th><td>([^<]*)</td><td><strong>([^<]*)<',
                    result)
    assert row is not None and row.group(2) == "eligible", result[:3000]
