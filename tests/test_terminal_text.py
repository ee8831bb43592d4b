"""Control characters in a dossier's text are shown, never obeyed, in every command and format.

`tests/corpus/exports/terminal_escapes.yaml` holds escape sequences (window title, screen clear,
cursor moves), a bare carriage return, a C1 control and DEL. Each command prints it, or writes it
to a file, and no control character but tab, line feed and a line-ending carriage return may be
in what comes out (on standard output, standard error or in the file); a DOCX draft is written.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bgtc_rules.base.safetext import visible

from .paths import AS_OF, ROOT

CASE = ROOT / "tests" / "corpus" / "exports" / "terminal_escapes.yaml"
TIME_LIMIT = 180  # seconds: a guard against hangs, not a speed requirement
DATE = ["--as-of", AS_OF.isoformat()]
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|\xc2[\x80-\x9f]")

COMMANDS: dict[str, list[str]] = {
    "evaluate": ["evaluate", str(CASE), *DATE],
    "evaluate json": ["evaluate", str(CASE), *DATE, "--format", "json"],
    "evaluate markdown": ["evaluate", str(CASE), *DATE, "--format", "markdown"],
    "evaluate html": ["evaluate", str(CASE), *DATE, "--format", "html"],
    "plan": ["plan", str(CASE), *DATE],
    "plan csv": ["plan", str(CASE), *DATE, "--format", "csv"],
    "plan ics": ["plan", str(CASE), *DATE, "--format", "ics"],
    "draft": ["draft", str(CASE), "cover", *DATE],
    "draft html": ["draft", str(CASE), "orphan_drug_designation", *DATE, "--format", "html"],
    "explain": ["explain", str(CASE), "rmat", *DATE],
    "whatif": ["whatif", str(CASE), "--set", "clinical.patients_dosed=12", *DATE],
    "batch": ["batch", str(CASE), *DATE, "--jobs", "1", "--backend", "reference", "-o", "-"],
    "unknown program": ["explain", str(CASE), "rmat\x1b]0;owned\x07\x1b[2J", *DATE],
}

QUIET = {"explain", "plan csv", "plan ics", "whatif"}  # outputs that do not quote the texts with escapes


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bgtc_rules", *args], capture_output=True, timeout=TIME_LIMIT,
                          check=False, cwd=ROOT, **kwargs)  # type: ignore[call-overload, no-any-return]


def _raw_controls(data: bytes) -> list[bytes]:
    return RAW_CONTROL.findall(data)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_control_character_reaches_the_screen(name: str) -> None:
    done = _run(COMMANDS[name])
    assert done.returncode == (2 if name == "unknown program" else 0), done.stderr
    assert _raw_controls(done.stdout) == [] and _raw_controls(done.stderr) == []
    if name not in QUIET:
        assert b"\\u001b" in done.stdout + done.stderr  # shown, not dropped


@pytest.mark.parametrize("name", ["evaluate", "plan csv", "plan ics", "draft"])
def test_no_control_character_reaches_a_file(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    done = _run([*COMMANDS[name], "-o", str(out)])
    assert done.returncode == 0, done.stderr
    assert _raw_controls(out.read_bytes()) == []


def test_a_docx_draft_of_text_with_control_characters_is_written(tmp_path: Path) -> None:
    out = tmp_path / "draft.docx"
    done = _run(["draft", str(CASE), "orphan_drug_designation", *DATE, "-o", str(out)])
    assert done.returncode == 0, done.stderr
    body = zipfile.ZipFile(out).read("word/document.xml")
    assert b"\\u001b" in body and _raw_controls(body) == []


def test_colour_sequences_are_kept_only_where_asked() -> None:
    styled = "\x1b[1mRMAT\x1b[0m eligible \x1b]0;owned\x07"
    assert visible(styled, keep_style=True) == "\x1b[1mRMAT\x1b[0m eligible \\u001b]0;owned\\u0007"
    assert _raw_controls(visible(styled).encode()) == []
    assert visible("a,b\r\nc\r\n") == "a,b\r\nc\r\n"  # CSV and iCalendar line ends stay
