"""The web page (`bgtc serve`, `/`) in a real Chromium driven by Selenium: the interview completed by
clicking reaches `bgtc evaluate`'s determinations, an opened scenario's summary matches its JSON
export, a what-if, a DOCX draft and an ICS plan downloaded and opened, a malformed dossier refused
with each problem next to its field, and markup in a dossier shown as text. Screenshots of each page
at desktop and phone widths go under the test's tmp path (BGTC_SCREENSHOT_DIR to put them elsewhere).

The server and the browser listen and talk on loopback only, and both are shut down at teardown.
Skipped when chromium or chromium-driver is not installed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.service_process import ServiceProcess, start_service
from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.answers import field_for
from bgtc_rules.advice.whatif import what_if
from bgtc_rules.base.errors import InputError
from bgtc_rules.dossier.paths import value_at

from .paths import AS_OF, SCENARIOS
from .web_browser import BROWSER, Screenshots, browser_session, console_errors, downloaded, wait_for

pytestmark = BROWSER

PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"


@pytest.fixture(scope="module")
def server() -> Iterator[ServiceProcess]:
    started = start_service(["--no-access-log", "--timeout", "60"])
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    yield from browser_session(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Screenshots:
    chosen = os.environ.get("BGTC_SCREENSHOT_DIR")
    return Screenshots(Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots"))


@pytest.fixture(scope="module")
def rules() -> RuleBase:
    return RuleBase.load()


def _by_css(driver: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def _all_css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def _click_and_wait(driver: Any, element: Any) -> None:
    """Click a submit button and wait until the next page has replaced this one."""
    old = _by_css(driver, "html")
    element.click()

    def replaced() -> bool:
        try:
            old.tag_name  # noqa: B018 - raises once the page is gone
            return False
        except Exception:  # StaleElementReferenceException
            return True

    wait_for(replaced, "the next page")


def _start(driver: Any, server: ServiceProcess) -> None:
    driver.get(server.url + "/")
    date = _by_css(driver, "#as_of")
    driver.execute_script("arguments[0].value = arguments[1]", date, AS_OF.isoformat())


def _open_file(driver: Any, server: ServiceProcess, path: Path, action: str = "assess") -> None:
    _start(driver, server)
    _by_css(driver, "#file").send_keys(str(path))
    _click_and_wait(driver, _by_css(driver, f"button[name=action][value={action}]"))


def _summary(driver: Any) -> dict[str, str]:
    """program -> determination, as the summary table of the page shows them."""
    return {row.get_attribute("data-program"): row.get_attribute("data-determination")
            for row in _all_css(driver, "#summary tr[data-program]")}


# --- the interview --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _answer(driver: Any, path: str, value: Any) -> None:
    """Answer the question on the page with `value` by clicking and typing (None: "I don't know")."""
    from selenium.webdriver.support.ui import Select

    if value is None:
        _click_and_wait(driver, _by_css(driver, "#skip-button"))
        return
    field = field_for(path)
    if field.kind in ("bool", "enum"):
        _by_css(driver, f"input[name=answer][value='{_text(value)}']").click()
    elif field.kind == "enum_list":
        for choice in value:
            _by_css(driver, f"input[name=answer][value='{choice}']").click()
    elif field.kind == "date":
        driver.execute_script("arguments[0].value = arguments[1]", _by_css(driver, "#answer"), str(value))
    elif field.kind == "items":
        for row, item in enumerate(value):
            if row > 0:
                _click_and_wait(driver, _by_css(driver, "button[name=action][value=more]"))
            for prop in field.item_fields:
                if item.get(prop.name) is None:
                    continue
                box = _by_css(driver, f"#item-{row}-{prop.name}")
                if box.tag_name == "select":
                    Select(box).select_by_value(_text(item[prop.name]))
                else:
                    box.send_keys(_text(item[prop.name]))
    else:
        _by_css(driver, "#answer").send_keys(_text(value))
    _click_and_wait(driver, _by_css(driver, "#answer-button"))
    assert not _all_css(driver, "#answer-error"), _by_css(driver, "#answer-error").text


def test_the_interview_completed_by_clicking_reaches_the_determinations_of_bgtc_evaluate(
        server: ServiceProcess, browser: tuple[Any, Path], shots: Screenshots, rules: RuleBase) -> None:
    driver, downloads = browser
    data = yaml.safe_load(PHASE12.read_text(encoding="utf-8"))
    _start(driver, server)
    shots.take(driver, "start")
    _click_and_wait(driver, _by_css(driver, "button[formaction='/web/interview/start']"))
    asked: list[str] = []
    while (path := _by_css(driver, "#question-title").get_attribute("data-path")):
        assert path not in asked, f"{path} asked twice"
        asked.append(path)
        if len(asked) == 3:
            shots.take(driver, "interview")
        _answer(driver, path, value_at(data, path))
    expected = evaluate(load_dossier(PHASE12), rules, as_of=AS_OF).determinations()
    shown = {li.get_attribute("data-program"): li.get_attribute("data-determination")
             for li in _all_css(driver, "#running-list li")}
    assert shown == expected
    assert asked[0] == "program.name" and len(asked) > 5
    # the dossier downloaded is the file `bgtc interview -o` writes for the same answers
    before = set(downloads.iterdir())
    _by_css(driver, "#download-dossier").click()
    saved = downloaded(downloads, ".yaml", before)
    assert evaluate(load_dossier(saved), rules, as_of=AS_OF).determinations() == expected
    assert saved.read_text(encoding="utf-8") == _cli_interview_file(data, rules, saved.parent / "cli.yaml")
    # continue later: opening it again has nothing left to ask
    _open_file(driver, server, saved, action="interview")
    assert _by_css(driver, "#question-title").get_attribute("data-path") in (None, "")
    assert {li.get_attribute("data-program"): li.get_attribute("data-determination")
            for li in _all_css(driver, "#running-list li")} == expected


def _cli_interview_file(data: dict[str, Any], rules: RuleBase, target: Path) -> str:
    from click.testing import CliRunner

    from bgtc_rules.cli import main

    from .test_interview import scripted

    _, lines = scripted(data, rules)
    result = CliRunner().invoke(main, ["interview", "--as-of", AS_OF.isoformat(), "-o", str(target)],
                                input="".join(f"{line}\n" for line in lines))
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


# --- the assessment -------------------------------------------------------------------------------


def test_an_opened_scenario_shows_the_summary_of_its_json_export(
        server: ServiceProcess, browser: tuple[Any, Path], shots: Screenshots, rules: RuleBase) -> None:
    driver, downloads = browser
    console_errors(driver)
    _open_file(driver, server, PHASE12)
    summary = _summary(driver)
    assert not console_errors(driver), "the page's styles and script pass its Content-Security-Policy"
    shots.take(driver, "assessment")
    before = set(downloads.iterdir())
    _by_css(driver, "#download-json").click()
    export = json.loads(downloaded(downloads, ".json", before).read_text(encoding="utf-8"))
    assert summary == {p["program"]: p["determination"] for p in export["programs"]}
    assert summary == evaluate(load_dossier(PHASE12), rules, as_of=AS_OF).determinations()
    assert export["dossier"]["source"] == PHASE12.name
    # one program's explanation: the report's section for it, with its diagram
    _click_and_wait(driver, _by_css(driver, "button[formaction='/web/explain'][value=fast_track]"))
    section = _by_css(driver, "section.program[data-program=fast_track]")
    assert section.get_attribute("data-determination") == summary["fast_track"]
    assert _all_css(driver, "section.program svg")
    assert not console_errors(driver)
    shots.take(driver, "explain")


def test_a_what_if_shows_what_changes_program_by_program(
        server: ServiceProcess, browser: tuple[Any, Path], shots: Screenshots, rules: RuleBase) -> None:
    from selenium.webdriver.support.ui import Select

    driver, _ = browser
    _open_file(driver, server, PHASE12)
    Select(_by_css(driver, "#whatif-path")).select_by_value("indication.serious")
    _by_css(driver, "#whatif-value").send_keys("no")
    _click_and_wait(driver, _by_css(driver, "#whatif-button"))
    shown = {row.get_attribute("data-program"): row.find_elements("css selector", "td")[1].text.replace(" ", "_")
             for row in _all_css(driver, "table.whatif-changes tr[data-program]")}
    comparison = what_if(load_dossier(PHASE12), rules, {"indication.serious": False}, as_of=AS_OF)
    assert shown == {c.program: c.after for c in comparison.changes}
    assert shown, "making the disease not serious changes some determinations"
    shots.take(driver, "whatif")


def test_a_docx_draft_and_the_ics_plan_download_and_open(
        server: ServiceProcess, browser: tuple[Any, Path], shots: Screenshots) -> None:
    import docx
    import icalendar
    from selenium.webdriver.support.ui import Select

    driver, downloads = browser
    _open_file(driver, server, PHASE12)
    before = set(downloads.iterdir())
    _by_css(driver, "#download-ics").click()
    calendar = icalendar.Calendar.from_ical(downloaded(downloads, ".ics", before).read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert events and all(str(e.get("summary")) for e in events)
    Select(_by_css(driver, "#draft-program")).select_by_value("rmat")
    _click_and_wait(driver, _by_css(driver, "#draft-button"))
    title = _by_css(driver, ".embedded.draft h1").text
    shots.take(driver, "draft")
    before = set(downloads.iterdir())
    _by_css(driver, "#download-docx").click()
    document = docx.Document(str(downloaded(downloads, ".docx", before)))
    assert title in [p.text for p in document.paragraphs]


# --- bad input and markup -------------------------------------------------------------------------


def test_a_malformed_dossier_is_refused_with_the_problem_next_to_its_field(
        server: ServiceProcess, browser: tuple[Any, Path], shots: Screenshots, tmp_path: Path) -> None:
    driver, _ = browser
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nprogram:\n  name: AAV-X\nindication:\n  us_prevalence: lots\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_dossier(bad)
    problem = refused.value.problems[0]
    _open_file(driver, server, bad)
    assert not _all_css(driver, "#summary")
    line = _by_css(driver, f"#line-{problem.line}")
    message = line.find_element("css selector", ".field-problem")
    assert message.get_attribute("data-path") == problem.where == "indication.us_prevalence"
    assert problem.message in message.text
    assert "us_prevalence: lots" in line.text
    shots.take(driver, "refused")


def test_markup_in_a_dossier_is_shown_as_text(
        server: ServiceProcess, browser: tuple[Any, Path], tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    driver, _ = browser
    name = '<script>alert("x")</script><b id="injected">bold</b>'
    dossier = tmp_path / "markup.yaml"
    dossier.write_text(yaml.safe_dump({"schema_version": 1, "program": {"name": name}}), encoding="utf-8")
    _open_file(driver, server, dossier)
    assert name in _by_css(driver, "h1").text
    assert not _all_css(driver, "#injected")
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018


def test_the_rules_browser_shows_citations_dates_and_caveats(
        server: ServiceProcess, browser: tuple[Any, Path], shots: Screenshots, rules: RuleBase) -> None:
    driver, _ = browser
    driver.get(server.url + "/web/rules")
    assert len(_all_css(driver, "tr[data-program]")) == len(rules.programs)
    shots.take(driver, "rules")
    _click_and_wait(driver, _by_css(driver, "tr[data-program=rmat] a"))
    sections = _all_css(driver, "section.rule")
    assert len(sections) == len(rules.program_rules("rmat"))
    assert "in force from" in sections[0].text
    assert _all_css(driver, "section.rule ul.sources a[href^='https://']")
    shots.take(driver, "program")
