"""The guided interview (`bgtc interview`), driven through scripted input.

The script for a dossier is built by answering each question the interview asks with the
dossier's value for that field ("?" where the dossier leaves it out). The transcript is then
checked against the script, so a CLI that asked in another order would fail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner, Result

from bgtc_rules import RuleBase, dossier_from_mapping, evaluate, load_dossier
from bgtc_rules.advice.answers import AnswerError, Field, field_for, parse_answer
from bgtc_rules.advice.interview import NAME_PATH, Interview, dossier_yaml, rank_questions, skipped_from_text
from bgtc_rules.cli import main
from bgtc_rules.dossier.editing import value_at
from bgtc_rules.language.catalog import fact_catalog

from .paths import AS_OF, SCENARIOS

PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
ASKED = re.compile(r"^  \[([a-z0-9_.]+)\] ", re.MULTILINE)


# --- building scripts -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def answer_lines(field: Field, value: Any) -> list[str]:
    """The lines a user types to give `field` the value `value` (None: "I don't know")."""
    if value is None:
        return ["?"]
    if field.kind == "items":
        if not value:
            return ["none"]
        lines: list[str] = []
        for item in value:
            lines.append("yes")
            lines.extend("" if item.get(prop.name) is None else _text(item[prop.name])
                         for prop in field.item_fields)
        return [*lines, "no"]
    if field.kind == "enum_list":
        return [", ".join(value) if value else "none"]
    return [_text(value)]


def script(data: Mapping[str, Any], rules: RuleBase, skip: set[str] | None = None,
           start: Mapping[str, Any] | None = None, skipped: set[str] | None = None) -> list[tuple[str, list[str]]]:
    """Each question (field path) an interview answering from `data` asks, with the lines typed."""
    skip = skip or set()
    session = Interview(rules, AS_OF, start=start, skipped=set(skipped or ()))
    steps: list[tuple[str, list[str]]] = []
    while (question := session.next_question()) is not None:
        value = None if question.path in skip else value_at(data, question.path)
        steps.append((question.path, answer_lines(question.field, value)))
        if value is None:
            session.skip(question.path)
        else:
            session.answer(question.path, value)
    return steps


def scripted(data: Mapping[str, Any], rules: RuleBase, skip: set[str] | None = None,
             start: Mapping[str, Any] | None = None, skipped: set[str] | None = None) -> tuple[list[str], list[str]]:
    """The questions an interview answering from `data` asks, and all the lines typed."""
    steps = script(data, rules, skip, start, skipped)
    return [path for path, _ in steps], [line for _, lines in steps for line in lines]


def run(args: list[str], lines: list[str]) -> Result:
    text = "".join(f"{line}\n" for line in lines)
    return CliRunner().invoke(main, ["interview", "--as-of", AS_OF.isoformat(), *args], input=text)


def asked(output: str) -> list[str]:
    return ASKED.findall(output)


@pytest.fixture(autouse=True)
def _in_a_private_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interview that ends early saves `interview-progress.yaml` in the current directory: the test's own."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _load_bundled_rules_once(monkeypatch: pytest.MonkeyPatch, rulebase: RuleBase) -> None:
    """Each command loads the rules (over a second); the bundled ones are loaded once here."""
    load = RuleBase.load.__func__  # type: ignore[attr-defined]

    def cached(cls: type[RuleBase], extra_dirs: Any = (), include_bundled: bool = True) -> RuleBase:
        if not extra_dirs and include_bundled:
            return rulebase
        result = load(cls, extra_dirs, include_bundled)
        assert isinstance(result, RuleBase)
        return result

    monkeypatch.setattr(RuleBase, "load", classmethod(cached))


@pytest.fixture(scope="module")
def phase12() -> dict[str, Any]:
    data = yaml.safe_load(PHASE12.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def expected(rulebase: RuleBase) -> dict[str, str]:
    return evaluate(load_dossier(PHASE12), rulebase, as_of=AS_OF).determinations()


def dossier_fields() -> int:
    """The dossier schema's fields (derived `#count` and `[].` paths are not fields)."""
    return sum(1 for path in fact_catalog() if "#" not in path and "[]" not in path)


# --- the full run ---------------------------------------------------------------------------------


def test_full_phase12_run_asks_fewer_questions_than_fields_and_ends_with_the_same_determinations(
        tmp_path: Path, rulebase: RuleBase, phase12: dict[str, Any], expected: dict[str, str]) -> None:
    paths, lines = scripted(phase12, rulebase)
    target = tmp_path / "dossier.yaml"
    result = run(["-o", str(target)], lines)
    assert result.exit_code == 0, result.output
    assert asked(result.output) == paths  # the CLI asked exactly what the script answered, in order
    assert paths[0] == NAME_PATH and len(set(paths)) == len(paths)
    assert "Not a valid answer" not in result.output
    assert len(paths) < dossier_fields(), (len(paths), dossier_fields())
    written = load_dossier(target)
    assert evaluate(written, rulebase, as_of=AS_OF).determinations() == expected
    # only the answered fields are written; everything written comes from the example
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    for path in fact_catalog():
        value = value_at(data, path)
        if value is not None and path != "schema_version":
            assert value == value_at(phase12, path), path
    assert value_at(data, "program.capsid") is None  # never decisive, so never asked
    assert "Asked " + str(len(paths)) + " questions" in result.output
    evaluated = CliRunner().invoke(main, ["evaluate", str(target), "--as-of", AS_OF.isoformat()])
    assert evaluated.exit_code == 0, evaluated.output


def test_after_the_name_the_guide_order_comes_first_then_the_most_decisive(rulebase: RuleBase) -> None:
    session = Interview(rulebase, AS_OF)
    question = session.next_question()
    assert question is not None and question.path == NAME_PATH
    session.answer(NAME_PATH, "X")
    assert session.assessment is not None
    counts: dict[str, int] = {}
    for program in session.assessment.programs:
        if program.determination.value == "undetermined":
            for path in {m.path for m in program.missing}:
                counts[path] = counts.get(path, 0) + 1
    order = list(fact_catalog())
    best = min(counts, key=lambda p: (-counts[p], order.index(p)))
    first = session.next_question()
    assert first is not None and first.path == best and len(first.decides) == counts[best]
    assert first.text == rulebase.questions[best]
    ranked = rank_questions(session.assessment, rulebase)
    guide = rulebase.interview
    first_paths = [q.path for q in ranked if q.path in guide.first]
    last_paths = [q.path for q in ranked if q.path in guide.last]
    middle = [q for q in ranked if q.path not in guide.first and q.path not in guide.last]
    assert [q.path for q in ranked] == [*first_paths, *[q.path for q in middle], *last_paths]
    assert first_paths == [p for p in guide.first if p in first_paths]  # in the guide's order
    assert [len(q.decides) for q in middle] == sorted((len(q.decides) for q in middle), reverse=True)
    ties = [q.path for q in middle if len(q.decides) == len(middle[-1].decides)]
    assert ties == sorted(ties, key=order.index)  # ties in catalogue order


CAPSID_RULES = {
    "capsid_pilot.yaml": """\
        program:
          id: capsid_pilot
          name: Capsid pilot (test only)
          kind: pilot
          summary: A made-up program that only AAV9 products can join.
          citations:
            - {document: Test, section: "1", url: "https://example.org/capsid", reference: S1}
        rules:
          - id: capsid_pilot.eligible
            title: The product uses the AAV9 capsid
            conclude: {program: capsid_pilot, outcome: eligible}
            when: {fact: program.capsid, op: "==", value: AAV9}
            explanation: Test rule.
            citations:
              - {document: Test, section: "1", url: "https://example.org/capsid", reference: S1}
            effective_from: 2020-01-01
            ask:
              program.capsid: Which capsid serotype does the product use (for example AAV9)?
        """,
}


def test_a_rule_with_a_new_question_makes_the_interview_ask_it(
        tmp_path: Path, rulebase: RuleBase, phase12: dict[str, Any],
        write_rules: Callable[[dict[str, str]], Path]) -> None:
    extra = RuleBase.load([write_rules(CAPSID_RULES)])
    plain, _ = scripted(phase12, rulebase)
    paths, lines = scripted(phase12, extra)
    assert "program.capsid" not in plain and "program.capsid" in paths
    target = tmp_path / "capsid.yaml"
    result = run(["-o", str(target), "--rules", str(tmp_path / "rules")], lines)
    assert result.exit_code == 0, result.output
    assert "Which capsid serotype does the product use (for example AAV9)?" in result.output
    assert asked(result.output) == paths
    assessment = evaluate(load_dossier(target), extra, as_of=AS_OF)
    assert assessment.program("capsid_pilot").determination.value == "eligible"


# --- "I don't know", back, Ctrl-C -----------------------------------------------------------------


def test_i_dont_know_leaves_the_programs_undetermined_with_the_question_listed(
        tmp_path: Path, rulebase: RuleBase, phase12: dict[str, Any]) -> None:
    paths, lines = scripted(phase12, rulebase, skip={"indication.serious"})
    target = tmp_path / "dossier.yaml"
    result = run(["-o", str(target)], lines)
    assert result.exit_code == 0, result.output
    assert asked(result.output) == paths and paths.count("indication.serious") == 1  # not asked again
    assert "Left unknown" in result.output
    text = target.read_text(encoding="utf-8")
    assert "serious:" not in text.replace("serious_manifestations", "")
    assert "indication.serious" in skipped_from_text(text)
    assessment = evaluate(load_dossier(target), rulebase, as_of=AS_OF)
    question = rulebase.questions["indication.serious"]
    affected = [p for p in assessment.programs if any(m.path == "indication.serious" for m in p.missing)]
    assert {"fast_track", "rmat", "breakthrough_therapy"} <= {p.program for p in affected}
    for program in affected:
        assert program.determination.value == "undetermined"
        assert question in [m.question for m in program.missing if m.path == "indication.serious"]


def test_back_goes_to_the_previous_question_and_undoes_its_answer(tmp_path: Path, rulebase: RuleBase) -> None:
    target = tmp_path / "progress.yaml"
    result = run(["-o", str(target)], ["back", "AAV9-X", "1", "back", "ind_active"])
    assert result.exit_code == 130, result.output  # the input ran out: progress is saved
    assert "There is no earlier question to go back to." in result.output
    # back at the question after the stage: the stage is asked again, and its first answer is undone
    questions = asked(result.output)
    assert questions[:3] == [NAME_PATH, NAME_PATH, "development.stage"] and questions[4] == "development.stage"
    assert "Back to development.stage: its answer is undone." in result.output
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["development"] == {"stage": "ind_active"}


def test_back_restores_the_determinations_and_the_dossier(rulebase: RuleBase) -> None:
    session = Interview(rulebase, AS_OF)
    session.answer(NAME_PATH, "X")
    before, data = session.determinations(), session.data()
    changes = session.answer("development.stage", "research")
    assert changes and session.determinations() != before
    session.skip("indication.serious")
    step, _ = session.back()
    assert step is not None and step.skipped and "indication.serious" not in session.skipped
    step, undone = session.back()
    assert step is not None and step.path == "development.stage"
    assert session.determinations() == before and session.data() == data
    assert {c.program for c in undone} == {c.program for c in changes}
    question = session.next_question()
    assert question is not None and question.path == "development.stage"


def _check_progress_file(target: Path, rulebase: RuleBase) -> str:
    text = target.read_text(encoding="utf-8")
    assert "bgtc interview --resume" in text
    load_dossier(target)  # a valid dossier
    evaluated = CliRunner().invoke(main, ["evaluate", str(target), "--as-of", AS_OF.isoformat()])
    assert evaluated.exit_code == 0, evaluated.output
    return text


def test_ctrl_c_saves_a_resumable_file_and_resume_asks_only_what_is_left(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rulebase: RuleBase, phase12: dict[str, Any],
        expected: dict[str, str]) -> None:
    steps = script(phase12, rulebase, skip={"indication.serious"})
    paths = [path for path, _ in steps]
    stop = paths.index("indication.serious") + 2  # after "I don't know" and one more answer
    typed = [line for _, lines in steps[:stop] for line in lines]
    answers = sum(1 for _, lines in steps[:stop] if lines != ["?"])
    real_prompt = click.prompt
    calls = {"n": 0}

    def prompt(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > len(typed):
            raise KeyboardInterrupt
        return real_prompt(*args, **kwargs)

    monkeypatch.setattr(click, "prompt", prompt)
    monkeypatch.chdir(tmp_path)
    result = run([], typed)
    monkeypatch.setattr(click, "prompt", real_prompt)
    assert result.exit_code == 130, result.output
    progress = tmp_path / "interview-progress.yaml"
    assert f"Progress saved to interview-progress.yaml ({answers} answers this session)" in result.output
    assert "Resume with: bgtc interview --resume interview-progress.yaml" in result.output
    text = _check_progress_file(progress, rulebase)
    assert skipped_from_text(text) == {"indication.serious"}

    start = yaml.safe_load(text)
    rest, rest_lines = scripted(phase12, rulebase, start=start, skipped=skipped_from_text(text))
    assert rest == paths[stop:]  # neither the answered nor the "I don't know" questions again
    target = tmp_path / "final.yaml"
    resumed = run(["--resume", str(progress), "-o", str(target)], rest_lines)
    assert resumed.exit_code == 0, resumed.output
    assert asked(resumed.output) == rest
    _, full_lines = scripted(phase12, rulebase, skip={"indication.serious"})
    straight = run(["-o", str(tmp_path / "straight.yaml")], full_lines)
    assert straight.exit_code == 0
    assert load_dossier(target) == load_dossier(tmp_path / "straight.yaml")


def test_end_of_input_saves_progress_to_the_output_path(tmp_path: Path, rulebase: RuleBase) -> None:
    target = tmp_path / "out.yaml"
    result = run(["-o", str(target)], ["AAV9-X", "ind_active", "aav_gene_therapy"])
    assert result.exit_code == 130
    assert f"Progress saved to {target}" in result.output
    assert f"--resume {target}" in result.output
    _check_progress_file(target, rulebase)
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["program"] == {"name": "AAV9-X", "modality": "aav_gene_therapy"}


def test_interrupted_before_the_name_saves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run([], [])
    assert result.exit_code == 130
    assert "nothing to save" in result.output
    assert not list(tmp_path.rglob("interview-progress.yaml"))


# --- typed answers --------------------------------------------------------------------------------


def test_invalid_answers_are_refused_and_asked_again(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    # name; stage (two bad answers, an ambiguous prefix); modality; phase; pediatric onset (a bad
    # answer); serious; prevalence unknown; the endpoints; whether the pivotal trial has started (read
    # by PREA's plan, a treatment IND and Right to Try); then the prevalence's upper bound (two bad
    # answers), asked once the prevalence itself is unknown
    lines = ["", "AAV9-X", "7", "launch", "ind", "ind_a", "aav", "phase_1_2", "maybe", "yes", "yes", "?",
             # endpoints: an item with a missing name, a bad kind, then "back" drops the item
             "yes", "", "Motor", "9", "clinical", "", "natural", "back",
             "yes", "Motor", "1", "", "3", "1", "no", "no",
             "-3", "lots", "6,000"]
    result = run(["-o", str(target)], lines)
    assert result.exit_code == 130, result.output
    output = result.output
    assert "Please answer, or type ? if you do not know." in output
    assert "choose a number from 1 to 5" in output
    assert "'launch' is not one of the choices" in output
    assert "answer yes or no" in output
    assert output.count("expected a whole number from 0 to 1000000000") == 2
    assert "The name is needed" in output and "Dropped this endpoint." in output
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["development"] == {"stage": "ind_active", "phase": "phase_1_2",  # a unique prefix is enough
                                   "pivotal_started": False}
    assert data["program"]["modality"] == "aav_gene_therapy"
    assert data["indication"]["us_prevalence_upper_bound"] == 6000
    assert data["clinical"] == {"endpoints": [
        {"name": "Motor", "kind": "clinical", "comparator": "natural_history", "effect": "substantial_improvement"}]}


@pytest.mark.parametrize(
    ("path", "text", "value"),
    [
        ("indication.serious", "no", False),
        ("indication.us_prevalence", "1,234", 1234),
        ("development.phase", "phase_1_2", "phase_1_2"),
        ("program.national_priorities", "none", []),
        ("program.national_priorities", "2, large unmet need, 2", ["innovative_therapy", "large_unmet_need"]),
        ("manufacturing.improvements", "reduces_cost", ["reduces_cost"]),
    ],
)
def test_parse_answer_reads_the_schema_types(path: str, text: str, value: Any) -> None:
    assert parse_answer(field_for(path), text) == value


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("indication.serious", "1"),
        ("indication.us_prevalence", "2e9"),
        ("development.stage", "0"),
        ("program.national_priorities", ", ,"),
        ("program.name", "x" * 201),
    ],
)
def test_parse_answer_refuses_what_the_schema_refuses(path: str, text: str) -> None:
    with pytest.raises(AnswerError):
        parse_answer(field_for(path), text)


def test_lists_of_objects_have_their_item_fields_from_the_schema() -> None:
    designations = field_for("designations")
    assert designations.kind == "items" and designations.noun == "designation"
    props = {f.name: f for f in designations.item_fields}
    assert props["date"].kind == "date" and not props["date"].required
    assert parse_answer(props["date"], "2026-03-01") == "2026-03-01"
    with pytest.raises(AnswerError):
        parse_answer(props["date"], "2026-02-30")
    endpoint = {f.name: f for f in field_for("clinical.endpoints").item_fields}
    assert endpoint["surrogate_status"].default == "not_applicable"
    assert field_for("meeting.questions").noun == "question"
    assert field_for("therapy_landscape.available_therapies").hint().startswith("a list of available therapies")


def test_lists_of_objects_through_the_dialogue(tmp_path: Path, rulebase: RuleBase) -> None:
    data = {"program": {"name": "AAV9-X"}, "development": {"stage": "ind_active"},
            "indication": {"serious": True}, "clinical": {"patients_dosed": 6, "endpoints": []}}
    lines: list[str] = []
    for path, typed in script(data, rulebase):
        if path == "therapy_landscape.available_therapies":
            break
        lines.extend(typed)
    # one therapy added, then removed with back at "Add another?", then none
    lines += ["yes", "Drug A", "yes", "back", "none"]
    target = tmp_path / "out.yaml"
    result = run(["-o", str(target)], lines)
    assert result.exit_code == 130, result.output
    assert "Removed the last available therapy." in result.output
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert written["clinical"]["endpoints"] == []
    assert written["therapy_landscape"] == {"available_therapies": []}


def test_the_running_determinations_are_shown_after_each_answer(rulebase: RuleBase) -> None:
    result = run([], ["AAV9-X", "research"])
    assert "Now: 31 undetermined, 1 closed" in result.output
    assert "rmat: undetermined -> not_yet" in result.output
    assert "re-evaluated in" in result.output


def test_without_output_the_dossier_is_printed(rulebase: RuleBase) -> None:
    empty = {"program": {"name": "AAV9-X"}}
    _, lines = scripted(empty, rulebase)
    result = run([], ["AAV9-X", *lines[1:]])
    assert result.exit_code == 0, result.output
    body = result.output[result.output.index("# Dossier written by"):]
    data = yaml.safe_load(body)
    assert data == {"schema_version": 1, "program": {"name": "AAV9-X"}}
    assert dossier_from_mapping(data).program.name == "AAV9-X"


def test_bad_options_and_bad_resume_files_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["interview", "--as-of", "21/11/2026"], input="")
    assert result.exit_code == 2 and "--as-of" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("program:\n  name: X\nindication:\n  us_prevalence: lots\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["interview", "--resume", str(bad)], input="")
    assert result.exit_code == 2 and "bad.yaml:4: indication.us_prevalence" in result.output
    result = CliRunner().invoke(main, ["interview", "-o", str(tmp_path / "missing" / "x.yaml")], input="")
    assert result.exit_code == 2 and "output directory does not exist" in result.output


def test_resume_from_a_complete_dossier_has_nothing_left_to_ask(
        tmp_path: Path, rulebase: RuleBase, phase12: dict[str, Any]) -> None:
    """A dossier whose open programs hinge only on fields it records as "I don't know"."""
    session = Interview(rulebase, AS_OF, start=phase12)
    remaining = [q.path for q in session.open_questions()]
    source = tmp_path / "start.yaml"
    source.write_text(dossier_yaml(Interview(rulebase, AS_OF, start=phase12, skipped=set(remaining))),
                      encoding="utf-8")
    target = tmp_path / "out.yaml"
    result = run(["--resume", str(source), "-o", str(target)], [])
    assert result.exit_code == 0, result.output
    assert asked(result.output) == []
    assert load_dossier(target) == load_dossier(PHASE12)


def test_each_re_evaluation_is_fast(rulebase: RuleBase, phase12: dict[str, Any]) -> None:
    for backend in ("reference", None):
        session = Interview(rulebase, AS_OF, backend=backend)
        while (question := session.next_question()) is not None:
            value = value_at(phase12, question.path)
            if value is None:
                session.skip(question.path)
            else:
                session.answer(question.path, value)
        times = session.evaluation_seconds[1:]  # the first builds the engine
        assert times and sum(times) / len(times) < 0.25, (backend, times)
