"""Where the program stands with each designation, the same in every interface; windows that say
when; programs conditional on another designation.

One dossier (RMAT held, orphan designation pending) goes through the library, every command and
the HTTP service, which must agree on each program's standing and determination; generated
dossiers hold the invariants: nothing eligible outside its window, no request for a designation
held or pending, a conditional program naming only designations it qualifies for, and the same
standing in the assessment, its JSON, a batch line and the plan.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from benchmarks.generate import generate_dossier
from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.batch import BatchOptions, evaluate_item
from bgtc_rules.advice.batch_inputs import Item
from bgtc_rules.advice.drafts import COVER, build_draft
from bgtc_rules.advice.interview import Interview
from bgtc_rules.advice.plan import build_plan
from bgtc_rules.advice.standing import Standing
from bgtc_rules.cli import main
from bgtc_rules.dossier.loading import dossier_from_mapping, dossier_to_json
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.spec import Outcome
from bgtc_rules.service.app import create_app
from bgtc_rules.service.settings import ServiceSettings

from .paths import AS_OF, SCENARIOS
from .pools import bundled_rules

HELD_AND_PENDING = SCENARIOS / "aav_phase12_rmat_held_orphan_pending.yaml"
FOLLOWERS = ("rolling_review", "mtg_type_b_initial_comprehensive", "orphan_drug_designation")


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def library() -> Assessment:
    return evaluate(load_dossier(HELD_AND_PENDING), bundled_rules(), as_of=AS_OF)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(ServiceSettings(), rules=bundled_rules())
    with TestClient(app, raise_server_exceptions=False) as started:
        yield started


def _from_export(export: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(program -> determination, program -> standing) from an assessment export."""
    programs = export["programs"]
    return ({p["program"]: p["determination"] for p in programs},
            {p["program"]: p["standing"]["state"] for p in programs})


def test_the_dossier_holds_rmat_and_waits_for_orphan(library: Assessment) -> None:
    assert library.designation("rmat").standing is Standing.HELD
    orphan = library.designation("orphan_drug_designation")
    assert orphan.standing is Standing.PENDING and orphan.response_due == dt.date(2027, 1, 13)
    assert {p.program for p in library.gives_now("rmat")} == {"rolling_review", "mtg_type_b_initial_comprehensive"}


def test_every_interface_agrees_on_standing_and_determination(library: Assessment, client: TestClient,
                                                              tmp_path: Path) -> None:
    determinations = library.determinations()
    standing = {p: library.designation(p).standing.value for p in determinations}
    asked = {p for p, s in standing.items() if s in ("held", "pending")}
    as_of = AS_OF.isoformat()

    # the library's export, the CLI's JSON and the service's answer
    assert _from_export(library.to_dict()) == (determinations, standing)
    cli_export = json.loads(_cli("evaluate", str(HELD_AND_PENDING), "--as-of", as_of, "--format", "json"))
    assert _from_export(cli_export) == (determinations, standing)
    body = dossier_to_json(load_dossier(HELD_AND_PENDING))
    served = client.post(f"/evaluate?as_of={as_of}", content=body, headers={"Content-Type": "application/json"})
    assert served.status_code == 200 and _from_export(served.json()) == (determinations, standing)

    # explain, from the command line and the service
    for program in FOLLOWERS:
        explained = json.loads(_cli("explain", str(HELD_AND_PENDING), program, "--as-of", as_of, "--format", "json"))
        over_http = client.post(f"/explain/{program}?as_of={as_of}", content=body,
                                headers={"Content-Type": "application/json"}).json()
        for answer in (explained, over_http):
            assert answer["determination"] == determinations[program]
            assert answer["standing"]["state"] == standing[program]

    # a batch line
    line = json.loads(evaluate_item(Item(str(HELD_AND_PENDING), str(HELD_AND_PENDING)), bundled_rules(),
                                    BatchOptions(as_of=AS_OF, lean=True)).line)
    assert line["determinations"] == determinations
    assert line["standing"] == {p: s for p, s in standing.items() if s != "none"}

    # the plan, from the command line and the service: no request for what is held or pending
    for plan in (json.loads(_cli("plan", str(HELD_AND_PENDING), "--as-of", as_of, "--format", "json")),
                 client.post(f"/plan?as_of={as_of}", content=body,
                             headers={"Content-Type": "application/json"}).json()):
        requested = {e["program"] for e in plan["events"] if e["step"] == "request"}
        assert not requested & asked
        told = {s["program"]: s["title"] for s in plan["next_steps"]}
        assert told["rmat"].startswith("Held:") and told["orphan_drug_designation"].startswith("Waiting for FDA:")

    # the text summary: held and pending first, with their dates
    text = _cli("evaluate", str(HELD_AND_PENDING), "--as-of", as_of)
    first = text[text.index("Held and pending designations"):text.index("Qualifies now")]
    assert "Held: granted on 2026-09-01." in first and "FDA's answer is due by 2027-01-13." in first

    # the reports
    markdown = _cli("evaluate", str(HELD_AND_PENDING), "--as-of", as_of, "--format", "markdown")
    assert "Held: granted on 2026-09-01." in markdown and "Pending: requested on 2026-10-15" in markdown
    html = _cli("evaluate", str(HELD_AND_PENDING), "--as-of", as_of, "--format", "html")
    assert html.count('data-standing="held"') >= 1 and html.count('data-standing="pending"') >= 1

    # the cover sheet and the request drafts
    cover = build_draft(load_dossier(HELD_AND_PENDING), library, bundled_rules(), COVER, AS_OF)
    titles = [e.title for e in cover.elements()]
    assert any(t.startswith("Regenerative medicine advanced therapy (RMAT) designation: held") for t in titles)
    assert any(t.startswith("Orphan drug designation: pending") for t in titles)
    rmat = _cli("draft", str(HELD_AND_PENDING), "rmat", "--as-of", as_of)
    assert "not to be requested again" in rmat

    # the interview, started from the same dossier
    data = yaml.safe_load(HELD_AND_PENDING.read_text(encoding="utf-8"))
    session = Interview(bundled_rules(), AS_OF, start=data)
    assert session.assessment is not None and session.determinations() == determinations
    assert session.assessment.standings() == {p: s for p, s in standing.items() if s != "none"}


def test_a_conditional_program_is_explained_by_the_grants_it_waits_for(tmp_path: Path) -> None:
    target = tmp_path / "none.yaml"
    data = yaml.safe_load(HELD_AND_PENDING.read_text(encoding="utf-8"))
    data["designations"] = []
    target.write_text(yaml.safe_dump(data), encoding="utf-8")
    explained = json.loads(_cli("explain", str(target), "rolling_review", "--as-of", AS_OF.isoformat(),
                                "--format", "json"))
    assert explained["determination"] == "conditional"
    assert explained["available_once"] == ["fast_track", "breakthrough_therapy", "rmat"]
    grants = [combo[0]["summary"] for combo in explained["changes_to_eligible"]]
    assert grants == ["Fast track designation is granted", "Breakthrough therapy designation is granted",
                      "Regenerative medicine advanced therapy (RMAT) designation is granted"]


def _window_rules(rulebase: RuleBase) -> dict[str, list[str]]:
    return {p: [r.id for r in rulebase.program_rules(p) if r.outcome in (Outcome.NOT_YET, Outcome.CLOSED)]
            for p in rulebase.programs}


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_generated_dossiers_hold_the_invariants(seed: int) -> None:
    rulebase = bundled_rules()
    data = generate_dossier(random.Random(seed), seed % 1000)
    dossier = dossier_from_mapping(data)
    assessment = evaluate(dossier, rulebase, as_of=AS_OF)
    windows = _window_rules(rulebase)
    asked = {p for p in rulebase.programs if assessment.designation(p).asked}
    for item in assessment.programs:
        # nothing eligible outside its window
        if item.determination is Determination.ELIGIBLE:
            assert not any(assessment.rule_outcomes[r] for r in windows[item.program]), item.program
        # a conditional program names only the designations it may still get, and holds none
        if item.determination is Determination.CONDITIONAL:
            assert item.available_once
            for designation in item.available_once:
                state = assessment.designation(designation)
                assert state.standing is Standing.PENDING or (
                    state.standing not in (Standing.HELD, Standing.DENIED, Standing.ENDED)
                    and assessment.program(designation).determination in (Determination.ELIGIBLE,
                                                                            Determination.UNDETERMINED))
            assert not any(assessment.designation(d).standing is Standing.HELD
                           for d in assessment.follows_from[item.program])
    # no plan step requests a designation held or pending
    plan = build_plan(assessment, rulebase, AS_OF)
    assert not {e.program for e in plan.events if e.step == "request"} & asked
    # the same standing in the assessment, its JSON and a batch line
    standing = {p: assessment.designation(p).standing.value for p in rulebase.programs}
    assert _from_export(json.loads(assessment.to_json(indent=None)))[1] == standing
    assert _from_export(assessment.to_dict())[1] == standing
    item = Item(f"generated:{seed}", "generated.jsonl", line=1, data=json.dumps(data, default=str).encode())
    line = json.loads(evaluate_item(item, rulebase, BatchOptions(as_of=AS_OF, lean=True)).line)
    assert line["standing"] == {p: s for p, s in standing.items() if s != "none"}


def test_the_text_summary_is_ordered_by_what_matters(library: Assessment) -> None:
    from bgtc_rules.render.text import render_text

    text = render_text(library)
    order = ["\nHeld and pending designations\n", "\nQualifies now", "\nCannot tell yet", "\nNot yet", "\nClosed:",
             "\nNot eligible", "\nCaveats\n"]
    found = [text.index(heading) for heading in order if heading in text]
    assert len(found) >= 6 and found == sorted(found)
    for item in library.programs:  # full names, never cut
        assert " ".join(item.name.split()) in " ".join(text.split())
    numbered = [line for line in text.splitlines() if line[:6].strip().rstrip(".").isdigit()]
    assert len(numbered) == len({line.split(".", 1)[1] for line in numbered})  # each caveat once
    assert "..." not in text.replace("... and", "")
    detail = render_text(library, detail=True)
    matrix = "What each designation adds beyond"
    assert matrix in detail and matrix not in text and len(detail) > len(text)
    steps = render_text(library, steps=["Request the initial comprehensive meeting."])
    assert steps.index("What to do now") < steps.index("Held and pending designations")
    assert "  1. Request the initial comprehensive meeting." in steps
