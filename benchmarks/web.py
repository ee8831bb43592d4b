"""Server time per page of the web page (`bgtc serve`, `/`), for a typical dossier (the bundled
phase 1/2 scenario): what a request's thread does, from the form's bytes to the answer's bytes
(reading the form, the library calls, the templates), without the network.

    .venv/bin/python -m benchmarks.web                # 20 rounds per page
    .venv/bin/python -m benchmarks.web --rounds 5 --scenario scenarios/aav_pre_ind_pediatric_neuro.yaml

Each page is timed warm (the rule base loaded and the pages' templates compiled by one untimed
request first), as a running service answers: wall p50/p99 and CPU per page, against the 50 ms
target of issue 26 (CPU time decides, since on a shared machine the wall time mostly measures the
wait for a core). The downloads of the whole HTML report and of a DOCX draft are files, not pages,
and are shown for comparison. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.run import Sample, loop

AS_OF = dt.date(2026, 11, 21)
SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "aav_phase12_pediatric_neuro.yaml"
TARGET_MS = 50.0
FORM = "application/x-www-form-urlencoded"


def pages(scenario: Path) -> dict[str, Callable[[], object]]:
    """Each page's work, as the service's thread runs it for one request."""
    from bgtc_rules.advice.interview import Interview, dossier_yaml, file_header
    from bgtc_rules.language.rulebase import RuleBase
    from bgtc_rules.service.settings import ServiceSettings
    from bgtc_rules.service.web import assessment_pages, interview_page, start_pages
    from bgtc_rules.service.web.forms import read_form
    from bgtc_rules.service.web.layout import Context
    from bgtc_rules.service.web.routes import respond

    context = Context(RuleBase.load(), ServiceSettings(), AS_OF)
    state = {"dossier": scenario.read_text(encoding="utf-8"), "source": scenario.name, "as_of": AS_OF.isoformat()}

    def post(handler: Callable[..., object], fields: dict[str, str]) -> Callable[[], object]:
        raw = urlencode(fields).encode()
        return lambda: respond(handler(context, read_form(raw, FORM)))  # type: ignore[arg-type]

    # an interview three answers in (from the scenario), answering its fourth question as the form would
    import yaml

    from bgtc_rules.advice.answers import format_value
    from bgtc_rules.dossier.paths import value_at

    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    session = Interview(context.rules, AS_OF)
    while len(session.steps) < 3 and (asked := session.next_question()) is not None:
        value = value_at(data, asked.path)
        if value is None:
            session.skip(asked.path)
        else:
            session.answer(asked.path, value)
    question = session.next_question()
    value = value_at(data, question.path) if question is not None else None
    assert question is not None and value is not None and question.field.kind not in ("items", "enum_list"), question
    interview_state = {"dossier": dossier_yaml(session, file_header(AS_OF)), "as_of": AS_OF.isoformat(),
                       "steps": json.dumps([[s.path, s.skipped] for s in session.steps])}
    return {
        "start (GET /)": lambda: respond(start_pages.start_page(context)),
        "rules browser": lambda: respond(start_pages.rules_page(context)),
        "one program's rules": lambda: respond(start_pages.program_page(context, "rmat")),  # type: ignore[arg-type]
        "interview: start": post(interview_page.start_interview, {"as_of": AS_OF.isoformat()}),
        "interview: an answer": post(interview_page.interview_step, {
            **interview_state, "action": "answer", "path": question.path,
            "answer": format_value(question.field, value)}),
        "interview: back": post(interview_page.interview_step, {**interview_state, "action": "back"}),
        "assessment": post(assessment_pages.assessment_from_form, state),
        "explanation (RMAT)": post(assessment_pages.explain_page, {**state, "program": "rmat"}),
        "explanation (fast track)": post(assessment_pages.explain_page, {**state, "program": "fast_track"}),
        "what-if": post(assessment_pages.whatif_page, {**state, "path": "indication.serious", "value": "no"}),
        "draft preview (RMAT)": post(assessment_pages.draft_page, {**state, "draft": "rmat"}),
        "download: JSON export": post(lambda c, f: assessment_pages.download(c, f, "json"), state),
        "download: plan ICS": post(lambda c, f: assessment_pages.download(c, f, "ics"), state),
        "download: draft DOCX": post(lambda c, f: assessment_pages.download(c, f, "draft-docx"),
                                     {**state, "draft": "rmat"}),
        "download: HTML report": post(lambda c, f: assessment_pages.download(c, f, "html"), state),
    }


def _line(name: str, sample: Sample) -> str:
    f = sample.figures()
    cpu_ms = sample.cpu / sample.count * 1000 if sample.count else float("nan")
    verdict = "within" if cpu_ms <= TARGET_MS else "OVER"
    return (f"{name:<26} p50 {f['p50_ms']:7.1f} ms  p99 {f['p99_ms']:7.1f} ms  cpu {cpu_ms:6.1f} ms/page  "
            f"{verdict} {TARGET_MS:.0f} ms")


def measure(rounds: int, scenario: Path) -> list[str]:
    lines = []
    for name, work in pages(scenario).items():
        answer = work()  # warm: templates compiled, the dossier's determinations remembered
        assert getattr(answer, "status_code", 200) == 200, (name, getattr(answer, "body", b"")[:500])
        lines.append(_line(name, loop([work] * rounds, lambda page: page(), cold=False)))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--scenario", type=Path, default=SCENARIO, help="the dossier (default: the phase 1/2 one)")
    args = parser.parse_args(argv)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Server time per page, {args.scenario.name}, {args.rounds} requests each, on {os.cpu_count()} cores "
          f"with load average {load} (wall time includes waiting for a core; the verdict is on CPU time):")
    for text in measure(args.rounds, args.scenario):
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
