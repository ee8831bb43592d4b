"""Every `bgtc` command in the README's `bash` and `text` examples, run exactly as printed.

A command is a line that starts with `bgtc `, `.venv/bin/bgtc ` or either after `$ `; it runs in a
shell, in a scratch directory that sees the project's `scenarios/` and `tests/` and whose
`.venv/bin/bgtc` (and `bgtc` on the PATH) is this project's. It must exit 0; in a `text` example,
the lines printed under the command (apart from `...`; a line ending in ` ...` stands for the lines
that start as it does) must appear in its output, in that order
(a rules digest in them aside: it changes with every rule edit).
`bgtc serve` runs until Ctrl-C, as the README says: it must start serving and then shut down cleanly.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from .paths import ROOT

BGTC = Path(sys.executable).parent / "bgtc"
COMMAND = re.compile(r"^(?:\$ )?((?:\.venv/bin/)?bgtc .*)$")


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    shown: tuple[str, ...]  # what a `text` example prints under the command

    def __str__(self) -> str:
        return f"README.md:{self.line}: {self.command}"


def readme_examples() -> list[Example]:
    examples: list[Example] = []
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    kind: str | None = None
    for number, text in enumerate(lines, 1):
        if text.startswith("```"):
            kind = text[3:].strip() if kind is None else None
            continue
        found = COMMAND.match(text) if kind in ("bash", "text") else None
        if found is None:
            continue
        shown: list[str] = []
        if kind == "text":
            for after in lines[number:]:
                if after.startswith(("```", "$ ")):
                    break
                shown.append(after)
        examples.append(Example(number, found.group(1), tuple(shown)))
    return examples


EXAMPLES = readme_examples()


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A directory like the project's root for the examples: their inputs, and the project's bgtc."""
    for name in ("scenarios", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "bgtc").symlink_to(BGTC)
    return tmp_path


def _environment(scratch: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{scratch / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "NO_COLOR": "1", "COLUMNS": "100"}


def test_the_readme_has_examples_to_run() -> None:
    commands = [e.command for e in EXAMPLES]
    assert len(commands) >= 6, commands
    assert any(" draft " in c for c in commands) and any(" evaluate " in c for c in commands)
    assert any(" serve" in c for c in commands)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if " serve" not in e.command], ids=str)
def test_a_readme_example_runs_as_printed(example: Example, scratch: Path) -> None:
    done = subprocess.run(["bash", "-c", example.command], cwd=scratch, env=_environment(scratch),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{example}\n{done.stderr}"
    position = 0
    output = done.stdout.splitlines()
    for shown in example.shown:
        if shown.strip() in ("", "..."):
            continue
        try:
            position = next(number for number in range(position, len(output))
                            if _matches(shown.rstrip(), output[number])) + 1
        except StopIteration:
            pytest.fail(f"{example}: the README shows {shown.strip()!r}, which the command does not print "
                        f"(at or after line {position + 1} of its output):\n{done.stdout}")


# The rules digest changes with every rule edit; a README example shows the one of its day.
DIGEST = re.compile(r"\\\[[0-9a-f]{16}\\\]")


def _matches(shown: str, printed: str) -> bool:
    """Whether a line the README shows is the line printed, any rules digest (`[7e99f4c9d831a3c6]`) aside;
    a shown line that ends in ` ...` (`  1. ...`) stands for every line that starts as it does."""
    cut = shown.endswith(" ...")
    pattern = DIGEST.sub(r"\\[[0-9a-f]{16}\\]", re.escape(shown.removesuffix("...") if cut else shown))
    return (re.match(pattern, printed) if cut else re.fullmatch(pattern, printed)) is not None


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("example", [e for e in EXAMPLES if " serve" in e.command], ids=str)
def test_a_readme_serve_example_listens_until_ctrl_c(example: Example, scratch: Path) -> None:
    if _port_in_use(8080):
        pytest.skip("port 8080, which the README's example uses, is taken on this machine")
    log = scratch / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(["bash", "-c", f"exec {example.command}"], cwd=scratch, env=_environment(scratch),
                                  stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            workers = int(example.command.split("--workers")[1].split()[0]) if "--workers" in example.command else 1
            while not (_port_in_use(8080) and log.read_text().count("Application startup complete") >= workers):
                assert server.poll() is None, f"{example}: ended early:\n{log.read_text()}"
                assert time.monotonic() < deadline, f"{example}: not serving on 8080 after 120 s"
                time.sleep(0.2)
            server.send_signal(signal.SIGINT)  # Ctrl-C, as the README says
            server.wait(timeout=60)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
    assert server.returncode == 0, (example, server.returncode, log.read_text())  # a clean shutdown
    assert "Traceback" not in log.read_text()
