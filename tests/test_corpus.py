"""Malformed and hostile input: every case is refused by the CLI with exit code 2 and one clear message.

The corpus is `tests/corpus/`: `dossiers/<case>.yaml|json` (evaluated as the dossier) and
`rules/<case>/` (passed with `--rules`, next to a valid dossier); a few cases too big to commit are
generated below. Each case lists the message fragment it must produce and where the message must
point (a line `:N:` or a field path). Every case runs `bgtc evaluate` in a subprocess under a time
limit and an address-space limit, with `-o` pointing at a file that must not appear.

Encoding decisions: UTF-16 and UTF-32 are refused; a UTF-8 byte-order mark is accepted (so it is no
failure case here; `test_a_utf8_bom_is_accepted` checks it).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bgtc_rules.base.documents import MAX_DOCUMENT_BYTES
from bgtc_rules.language.rulebase import RULE_FILE_BYTES

from .paths import ROOT, SCENARIOS

CORPUS = Path(__file__).resolve().parent / "corpus"
DOSSIER = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
TIME_LIMIT = 120  # seconds: a guard against hangs, not a speed requirement
MEMORY_LIMIT = 1024 * 2**20  # address space of the CLI process

# dossiers/<file>: (message fragment, where the message points)
DOSSIERS: dict[str, tuple[str, str]] = {
    "alias_bomb.yaml": ("aliases (*name) are not allowed", ":3:"),
    "merge_key.yaml": ("merge keys (<<) are not allowed", ":5:"),
    "python_object_tag.yaml": ("could not determine a constructor for the tag 'tag:yaml.org,2002:python/object", ":2:"),
    "binary_tag.yaml": ("the tag 'tag:yaml.org,2002:binary' is not allowed", ":3:"),
    "deep_nesting.yaml": ("nested more than 32 levels deep", ":4:"),
    "deep_nesting.json": ("nested more than 32 levels deep", ":1: indication.0.0."),
    "binary_junk.yaml": ("file contains NUL bytes; expected UTF-8 text", ":3:"),
    "utf16_bom.yaml": ("file is UTF-16 encoded; save it as UTF-8", ".yaml: "),
    "utf16_no_bom.yaml": ("file looks UTF-16 encoded", ".yaml: "),
    "latin1.yaml": ("not valid UTF-8 text", ":5:"),
    "control_character.yaml": ("control character U+0007 is not allowed", ":5:"),
    "duplicate_key.yaml": ("duplicate key 'serious'", ":7:"),
    "duplicate_key.json": ("duplicate key 'serious'", ":3: indication.serious"),
    "nan.yaml": ("NaN and infinity are not numbers a dossier can hold", ":5: indication.us_prevalence"),
    "infinity.json": ("Infinity is not a number a dossier can hold", ":3: indication.us_prevalence"),
    "number_out_of_range.json": ("1e400 is out of range", ":3: indication.us_prevalence"),
    "huge_integer.yaml": ("integer with 5000 digits is too long", ":5:"),
    "negative_count.yaml": ("greater than or equal to 0, got -3", ":5: clinical.patients_dosed"),
    "boolean_as_count.yaml": ("valid integer, got True", ":5: clinical.patients_dosed"),
    "string_as_flag.yaml": ("valid boolean, got 'no'", ":5: indication.serious"),
    "impossible_date.yaml": ("'2025-02-30' is not a valid date", ":5:"),
    "impossible_date.json": ("'2025-02-30' is not a real date", ":3: designations.0.date"),
    "date_with_time.yaml": ("expected a date as YYYY-MM-DD without a time", ":5: designations.0.date"),
    "enum_near_miss.yaml": ("got 'aav_gene_therapi' (did you mean 'aav_gene_therapy'?)", ":4: program.modality"),
    "misspelled_field.yaml": ("unknown field (did you mean 'us_prevalence'?)", ":5: indication.us_prevalance"),
    "overlong_text.yaml": ("at most 200 characters", ":3: program.name"),
    "wrong_type_list.yaml": ("valid list", ":5: therapy_landscape.advantages"),
    "empty.yaml": ("the file is empty; expected a mapping of fields", ".yaml: "),
    "comment_only.yaml": ("the file is empty; expected a mapping of fields", ".yaml: "),
    "trailing_garbage.json": ("invalid JSON at column 1: expected the end of the value", ":2:"),
    "truncated.json": ("invalid JSON at column", ":3:"),
    "not_a_mapping.yaml": ("expected a mapping of fields", ":1: (top level)"),
    "two_documents.yaml": ("but found another document", ":4:"),
    "tab_indentation.yaml": ("a tab: YAML is indented with spaces", ":3:"),
    "future_schema_version.yaml": ("Input should be 1, got 2", ":1: schema_version"),
    "missing_program.yaml": ("required field is missing", ":1: program"),
    "base_60_count.yaml": ("'1:00:00' is read by YAML as a base-60 number", ":5:"),
    "far_date.yaml": ("9999-12-31 is too far ahead: dates up to 9959-12-31", ":5: designations.0.date"),
}

# rules/<directory>: (message fragment, where the message points)
RULES: dict[str, tuple[str, str]] = {
    "unknown_operator": ("got '=>' (did you mean '>='?)", "rules.yaml:11: rules.0.when.op"),
    "impossible_date": ("'2024-13-01' is not a valid date", "rules.yaml:14:"),
    "dates_out_of_order": ("effective_until is before effective_from", "rules.yaml:8: rules.0"),
    "dependency_cycle": ("dependency cycle: corpus.a -> corpus.b -> corpus.a", "rules.yaml:8: rule corpus.a"),
    "duplicate_id": ("duplicate rule id", "rules.yaml:15: rule corpus.twice"),
    "missing_citation": ("at least 1 item", "rules.yaml:13: rules.0.citations"),
    "unknown_fact_path": ("(did you mean 'indication.serious'?)", "rules.yaml:11: rule corpus.path"),
    "unknown_concept": ("(did you mean 'serious_condition'?)", "rules.yaml:8: rule corpus.concept"),
    "undeclared_program": ("unknown program 'corpus_nowhere'", "rules.yaml:8: rule corpus.program"),
    "wrong_value_type": ("expected a whole number, got 'many'", "rules.yaml:11: rule corpus.type"),
    "enum_value_near_miss": ("(did you mean 'ind_active'?)", "rules.yaml:11: rule corpus.enum"),
    "misspelled_key": ("unknown field (did you mean 'explanation'?)", "rules.yaml:12: rules.0.explanaton"),
    "two_condition_kinds": ("a condition has exactly one of", "rules.yaml:11: rules.0.when"),
    "alias_bomb": ("aliases (*name) are not allowed", "rules.yaml:9:"),
    "too_many_alternatives": ("more than 64 alternative matches", "rules.yaml:8: rule corpus.alternatives"),
    "too_many_values": ("values and conditions (at most 500)", "rules.yaml:8: rule corpus.values"),
    "too_many_lists_in_one_match": ("15 lists of values (at most 14)", "rules.yaml:8: rule corpus.lists"),
    "too_many_contains_at_once": ("different ways (at most 48)", "rule corpus.contains"),
}


def _rule(rule_id: str, when: str) -> str:
    return (f"  - {{id: {rule_id}, title: {rule_id}, conclude: {{concept: {rule_id.replace('.', '_')}}},\n"
            f"     when: {when}, explanation: A corpus rule.,\n"
            "     citations: [{document: Corpus source, section: '1'}], effective_from: 2020-01-01}\n")


def _oversized_dossier(directory: Path) -> Path:
    path = directory / "oversized.yaml"
    with path.open("wb") as out:
        out.write(b"schema_version: 1\nprogram: {name: AAV9-NRX1}\n")
        out.write((b"# " + b"x" * 1022 + b"\n") * (MAX_DOCUMENT_BYTES // 1024 + 1))
    return path


def _oversized_rules(directory: Path) -> Path:
    (directory / "rules.yaml").write_bytes(b"rules: []\n" + (b"# " + b"x" * 1022 + b"\n") * (RULE_FILE_BYTES // 1024))
    return directory


def _shared_condition(directory: Path) -> Path:
    serious = "{fact: indication.serious, op: '==', value: true}"
    text = "rules:\n" + "".join(_rule(f"corpus.shared{i}", serious) for i in range(260))
    (directory / "rules.yaml").write_text(text, encoding="utf-8")
    return directory


def _contradicting_alternatives(directory: Path) -> Path:
    """16 copies of a choice among 16 mutually exclusive alternatives: 16**16 combinations, 16 consistent."""
    def exactly(i: int) -> str:
        nots = ", ".join(f"{{not: {{concept: corpus_c{j}}}}}" for j in range(16) if j != i)
        return f"{{all: [{{concept: corpus_c{i}}}, {nots}]}}"

    choice = "{any: [" + ", ".join(exactly(i) for i in range(16)) + "]}"
    serious = "{fact: indication.serious, op: '==', value: true}"
    text = "rules:\n" + "".join(_rule(f"corpus.c{i}", serious) for i in range(16))
    text += _rule("corpus.combinations", "{all: [" + ", ".join([choice] * 16) + "]}")
    (directory / "rules.yaml").write_text(text, encoding="utf-8")
    return directory


def _named_pipe(directory: Path) -> Path:
    path = directory / "pipe.yaml"
    os.mkfifo(path)  # reading it would wait for a writer for ever
    return path


def _endless_device(directory: Path) -> Path:
    path = directory / "zero.yaml"
    path.symlink_to("/dev/zero")  # reading it never ends
    return path


def _overlong_value(directory: Path) -> Path:
    path = directory / "overlong_value.yaml"
    path.write_text(f"schema_version: 1\nprogram: {{name: AAV9-NRX1, modality: {'x' * 1_900_000}}}\n")
    return path


# generated cases: (kind, builder, message fragment, where the message points)
GENERATED: dict[str, tuple[str, Callable[[Path], Path], str, str]] = {
    "oversized_dossier": ("dossier", _oversized_dossier, f"larger than {MAX_DOCUMENT_BYTES // 1024} KiB",
                          "oversized.yaml: "),
    "oversized_rule_file": ("rules", _oversized_rules, f"larger than {RULE_FILE_BYTES // 1024} KiB", "rules.yaml: "),
    "shared_condition": ("rules", _shared_condition, "matches end in the same test (indication.serious eq True)",
                         "rules.yaml:"),
    "contradicting_alternatives": ("rules", _contradicting_alternatives, "more than 4096 combinations",
                                   "rule corpus.combinations"),
    "named_pipe": ("dossier", _named_pipe, "is a named pipe (FIFO); expected a regular file", "pipe.yaml: "),
    "endless_device": ("dossier", _endless_device, "is a device; expected a regular file", "zero.yaml: "),
    "overlong_value": ("dossier", _overlong_value, "…' (1900000 characters)", ":2: program.modality"),
}


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # "dossier" or "rules"
    expected: str
    where: str

    def arguments(self, scratch: Path) -> tuple[list[str], str]:
        """CLI arguments, and the path the message must name."""
        if self.id.startswith("generated/"):
            kind, build, _, _ = GENERATED[self.id.removeprefix("generated/")]
            target = scratch / "input"
            target.mkdir()
            built = str(build(target))
            return ([built] if kind == "dossier" else [str(DOSSIER), "--rules", built]), built
        path = CORPUS / self.id
        relative = str(path.relative_to(ROOT))
        if self.kind == "dossier":
            return [relative], relative
        return [str(DOSSIER), "--rules", relative], relative


CASES = (
    [Case(f"dossiers/{name}", "dossier", *expected) for name, expected in DOSSIERS.items()]
    + [Case(f"rules/{name}", "rules", *expected) for name, expected in RULES.items()]
    + [Case(f"generated/{name}", kind, expected, where) for name, (kind, _, expected, where) in GENERATED.items()]
)


@dataclass(frozen=True)
class Outcome:
    named: str
    code: int
    stdout: str
    stderr: str
    left_behind: list[str]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run(case: Case, scratch: Path) -> Outcome:
    scratch.mkdir(parents=True)
    output = scratch / "out"
    output.mkdir()
    arguments, named = case.arguments(scratch)
    command = [sys.executable, "-m", "bgtc_rules", "evaluate", *arguments, "--as-of", "2026-11-21",
               "--format", "json", "-o", str(output / "assessment.json")]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIME_LIMIT,
                            preexec_fn=_limit_memory, env=env, check=False)
    return Outcome(named, result.returncode, result.stdout, result.stderr, sorted(p.name for p in output.iterdir()))


class _Tally:
    """Reports at the end of the run how many corpus cases there are and how many were checked."""

    def __init__(self) -> None:
        self.checked = 0

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        terminalreporter.write_line(f"corpus: {len(CASES)} cases ({self.checked} checked in this run)")


@pytest.fixture(scope="module")
def tally(pytestconfig: pytest.Config) -> Iterator[_Tally]:
    counter = _Tally()
    pytestconfig.pluginmanager.register(counter, "bgtc-corpus-tally")
    yield counter


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Run the selected cases in parallel (each one a separate CLI process)."""
    selected = [item.callspec.params["case"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_corpus_case" and hasattr(item, "callspec")]
    base = tmp_path_factory.mktemp("corpus")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runs = {case.id: pool.submit(_run, case, base / case.id.replace("/", "-")) for case in selected}
        return {name: run.result() for name, run in runs.items()}


def test_the_corpus_covers_enough_failure_classes() -> None:
    on_disk = {f"dossiers/{p.name}" for p in (CORPUS / "dossiers").iterdir()}
    on_disk |= {f"rules/{p.name}" for p in (CORPUS / "rules").iterdir() if p.is_dir()}
    listed = {case.id for case in CASES if not case.id.startswith("generated/")}
    assert on_disk == listed, "every corpus file needs an expected message, and every expectation a file"
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus_case(case: Case, outcomes: dict[str, Outcome], tally: _Tally) -> None:
    outcome = outcomes[case.id]
    shown = f"exit {outcome.code}\nstdout: {outcome.stdout[-2000:]}\nstderr: {outcome.stderr[-2000:]}"
    assert outcome.code == 2, shown
    assert "Traceback" not in outcome.stdout + outcome.stderr, shown
    assert outcome.stdout == "", shown
    lines = outcome.stderr.splitlines()
    assert 1 <= len(lines) <= 3, shown  # one clear message (a rule set may break a limit in two places)
    first = lines[0]
    assert first.startswith(f"error: {outcome.named}"), shown  # names the file
    assert case.where in first, shown  # and the line or field path
    assert case.expected in first, shown  # and what was expected
    assert outcome.left_behind == [], "no output file, whole or partial, and no temporary file"
    tally.checked += 1


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    dossier = tmp_path / "bom.yaml"
    dossier.write_bytes(b"\xef\xbb\xbf" + DOSSIER.read_bytes())
    result = subprocess.run([sys.executable, "-m", "bgtc_rules", "evaluate", str(dossier), "--format", "json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=TIME_LIMIT, check=False,
                            preexec_fn=_limit_memory, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert '"format": "bgtc.assessment/2"' in result.stdout
