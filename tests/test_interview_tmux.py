"""`bgtc interview` in a real terminal: tmux runs it, send-keys types the answers, capture-pane reads
the screen. The answers are chosen from what the screen shows (the field path of each question),
so the run follows the interview wherever it goes. Every wait polls with a deadline.

Needs tmux (`apt-get install -y tmux`); skipped without it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.advice.answers import field_for
from bgtc_rules.dossier.paths import value_at

from .paths import AS_OF, SCENARIOS
from .test_interview import answer_lines

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (apt-get install -y tmux) for the real-terminal test")

PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
QUESTION_PATH = re.compile(r"^\s*\[([a-z0-9_.]+)\] ", re.MULTILINE)
PROMPT = re.compile(r":\s*$")
DONE = "No undetermined program has a question left"
EXIT = re.compile(r"^EXIT=(\d+)$", re.MULTILINE)
STEP_SECONDS = 30.0  # the longest wait for one screen (the first includes loading the rules)
RUN_SECONDS = 240.0  # the whole run


def _bgtc() -> list[str]:
    script = Path(sys.executable).parent / "bgtc"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bgtc_rules"]


class Terminal:
    """One tmux server (own socket) with one session running a command."""

    def __init__(self, name: str) -> None:
        self.socket = f"bgtc-test-{os.getpid()}-{name}"
        self.target = "interview"
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        self.socket_path = ""

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10,
                              env=self.env, check=True)
        return done.stdout

    def start(self, command: list[str], cwd: Path) -> None:
        shell = f"{shlex.join(command)}; echo EXIT=$?; sleep 600"
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", self.target, "-x", "150", "-y", "45",
                  "-c", str(cwd), shell)
        self.tmux("set-option", "-t", self.target, "history-limit", "50000")
        self.socket_path = self.tmux("display-message", "-p", "-t", self.target, "#{socket_path}").strip()

    def screen(self) -> str:
        """Everything the pane has shown (history included), wrapped lines joined."""
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.target)

    def send_line(self, text: str) -> None:
        if text:
            self.tmux("send-keys", "-t", self.target, "-l", text)
        self.tmux("send-keys", "-t", self.target, "Enter")

    def send_key(self, key: str) -> None:
        self.tmux("send-keys", "-t", self.target, key)

    def wait(self, ready: Callable[[str], bool], what: str, deadline: float) -> str:
        limit = min(deadline, time.monotonic() + STEP_SECONDS)
        delay = 0.02
        while True:
            screen = self.screen()
            if ready(screen):
                return screen
            if time.monotonic() > limit:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen[-3000:]}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10, env=self.env,
                       check=False)
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)


@pytest.fixture
def terminal(request: pytest.FixtureRequest) -> Iterator[Terminal]:
    term = Terminal(request.node.name[-20:].replace("[", "_").replace("]", "_"))
    try:
        yield term
    finally:
        term.close()


def _lines(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if line.strip()]


def _at_new_prompt(seen: int) -> Callable[[str], bool]:
    """A prompt (the last line ends with ': ') on a line not seen before, or the end of the run."""

    def ready(screen: str) -> bool:
        if DONE in screen or EXIT.search(screen):
            return True
        lines = _lines(screen)
        return len(lines) > seen and bool(PROMPT.search(lines[-1]))

    return ready


def _phase12() -> dict[str, Any]:
    data = yaml.safe_load(PHASE12.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_full_interview_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    phase12 = _phase12()
    target = tmp_path / "dossier.yaml"
    terminal.start([*_bgtc(), "interview", "--as-of", AS_OF.isoformat(), "-o", str(target)], tmp_path)
    deadline = time.monotonic() + RUN_SECONDS
    pending: list[str] = []
    asked: list[str] = []
    went_back = False
    seen = 0
    while True:
        screen = terminal.wait(_at_new_prompt(seen), "the next prompt", deadline)
        if DONE in screen or EXIT.search(screen):
            break
        seen = len(_lines(screen))
        if not pending:
            paths = QUESTION_PATH.findall(screen)
            assert paths, screen
            path = paths[-1]
            asked.append(path)
            if path == "development.stage" and not went_back:
                pending = ["1"]  # a wrong answer first, taken back at the next question
            elif len(asked) >= 2 and asked[-2] == "development.stage" and not went_back:
                went_back = True
                asked.pop()
                pending = ["back"]
            else:
                pending = answer_lines(field_for(path), value_at(phase12, path))
        terminal.send_line(pending.pop(0))
    screen = terminal.wait(lambda s: EXIT.search(s) is not None, "the exit status", deadline)
    match = EXIT.search(screen)
    assert match is not None and match.group(1) == "0", screen[-3000:]
    assert went_back and "Back to development.stage: its answer is undone." in screen
    assert "Not a valid answer" not in screen
    assert f"Wrote {target}" in screen
    assert asked.count("development.stage") == 2 and len(set(asked)) == len(asked) - 1
    rules = RuleBase.load()
    expected = evaluate(load_dossier(PHASE12), rules, as_of=AS_OF).determinations()
    assert evaluate(load_dossier(target), rules, as_of=AS_OF).determinations() == expected
    for program, determination in expected.items():
        assert re.search(rf"^  {program}\s+{determination}$", screen, re.MULTILINE), program


def test_ctrl_c_in_a_real_terminal_saves_progress(terminal: Terminal, tmp_path: Path) -> None:
    terminal.start([*_bgtc(), "interview", "--as-of", AS_OF.isoformat()], tmp_path)
    deadline = time.monotonic() + RUN_SECONDS / 2
    seen = 0
    for answer in ("AAV9-X", "ind_active", "aav"):
        screen = terminal.wait(_at_new_prompt(seen), "a prompt", deadline)
        seen = len(_lines(screen))
        terminal.send_line(answer)
    screen = terminal.wait(_at_new_prompt(seen), "a prompt", deadline)
    assert "[development.phase]" in screen, "modality, then phase, come right after the stage"
    assert "IND in effect (clinical trials) [ind_active]" in screen, "choices are labels with their values"
    terminal.send_key("C-c")
    screen = terminal.wait(lambda s: EXIT.search(s) is not None, "the exit status", deadline)
    assert "Progress saved to interview-progress.yaml (3 answers this session)" in screen
    assert "Resume with: bgtc interview --resume interview-progress.yaml" in screen
    match = EXIT.search(screen)
    assert match is not None and match.group(1) == "130"
    saved = load_dossier(tmp_path / "interview-progress.yaml")
    assert saved.program.name == "AAV9-X" and saved.program.modality is not None
    assert saved.development is not None and saved.development.phase is None


def test_resume_in_a_real_terminal_saves_back_to_the_same_file(terminal: Terminal, tmp_path: Path) -> None:
    progress = tmp_path / "progress.yaml"
    progress.write_text("schema_version: 1\nprogram: {name: AAV9-X}\ndevelopment: {stage: ind_active}\n",
                        encoding="utf-8")
    terminal.start([*_bgtc(), "interview", "--as-of", AS_OF.isoformat(), "--resume", str(progress)], tmp_path)
    deadline = time.monotonic() + RUN_SECONDS / 2
    screen = terminal.wait(_at_new_prompt(0), "a prompt", deadline)
    assert "[program.modality]" in screen
    terminal.send_line("aav")
    screen = terminal.wait(_at_new_prompt(len(_lines(screen))), "a prompt", deadline)
    terminal.send_key("C-c")
    screen = terminal.wait(lambda s: EXIT.search(s) is not None, "the exit status", deadline)
    assert f"Progress saved to {progress}" in screen
    assert not (tmp_path / "interview-progress.yaml").exists()
    saved = load_dossier(progress)
    assert saved.program.modality is not None and saved.development is not None
    assert saved.development.stage is not None
