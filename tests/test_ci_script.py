"""`.ci/run`, the README's second command, with stub tools: which environment it uses, what it says it
installs and why, that it runs each check of the README's test command, and that a failure fails it.

The stubs stand for Python, pip, ruff, mypy, lint-imports and pytest; each writes its name and
arguments to a log, so the script runs end to end in a second, with no network."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from .paths import ROOT

# Stands for python3 (making a venv), a venv's python (its checks, pip, pytest), ruff, mypy and lint-imports.
STUB = r"""#!/usr/bin/env bash
name="$(basename "$0")"
echo "$name $*" >> "$STUB_LOG"
case "$name $1" in
  "python3 --version") echo "Python 3.12.0"; exit 0 ;;
  "python3 -m") dir="$3"; mkdir -p "$dir/bin"; for tool in python ruff mypy lint-imports; do
                  cp "$0" "$dir/bin/$tool"; done; exit 0 ;;
  "python -c") [ -z "${STUB_BROKEN:-}" ] || [[ "$0" != *".venv/bin/python" ]]; exit $? ;;
  "python -") [ -n "${STUB_MISSING:-}" ] && echo "$STUB_MISSING"; exit 0 ;;
  "python -m") [ "$2" = pytest ] && exit "${STUB_PYTEST_EXIT:-0}"; exit 0 ;;
esac
exit 0
"""


def _project(tmp_path: Path, venv: bool = True) -> Path:
    project = tmp_path / "project"
    (project / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", project / ".ci" / "run")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    stub = tmp_path / "bin" / "python3"
    stub.parent.mkdir()
    stub.write_text(STUB)
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    if venv:
        (project / ".venv" / "bin").mkdir(parents=True)
        for tool in ("python", "ruff", "mypy", "lint-imports"):
            shutil.copy(stub, project / ".venv" / "bin" / tool)
    return project


def _ci(project: Path, **env: str) -> tuple[int, str, list[str]]:
    log = project.parent / "log"
    log.touch()
    path = f"{project.parent / 'bin'}:/usr/bin:/bin"
    done = subprocess.run(["bash", ".ci/run"], cwd=project, capture_output=True, text=True, timeout=120, check=False,
                          env={"PATH": path, "HOME": os.environ.get("HOME", "/tmp"), "STUB_LOG": str(log),
                               "BGTC_CI_NO_APT": "1", **env})
    return done.returncode, done.stdout + done.stderr, log.read_text().splitlines()


def _ran(log: list[str]) -> list[str]:
    return [line.strip() for line in log if not line.startswith(("python -c", "python - ", "python3 --version"))]


def test_a_usable_venv_is_reused_and_every_check_of_the_readme_runs(tmp_path: Path) -> None:
    code, out, log = _ci(_project(tmp_path))
    assert code == 0, out
    assert "reusing .venv" in out and "nothing to install" in out
    assert _ran(log) == ["ruff check bgtc_rules tests features benchmarks cli.py", "mypy", "lint-imports",
                         "python -m pytest -q -p no:cacheprovider --cucumberjson=reports/cucumber.json"]
    assert not (tmp_path / "project" / ".venv-ci").exists()


def test_what_the_venv_lacks_is_named_and_installed(tmp_path: Path) -> None:
    code, out, log = _ci(_project(tmp_path), STUB_MISSING="pytest (not installed)")
    assert code == 0, out
    assert ".venv lacks what the tests need" in out and "- pytest (not installed)" in out
    assert "python -m pip install --quiet --disable-pip-version-check -e .[test]" in log


def test_without_a_venv_it_makes_one_and_says_so(tmp_path: Path) -> None:
    code, out, log = _ci(_project(tmp_path, venv=False), STUB_MISSING="the project itself (bgtc_rules)")
    assert code == 0, out
    assert "no .venv yet; making it with Python 3.12.0" in out
    assert "python3 -m venv .venv" in log and (tmp_path / "project" / ".venv" / "bin" / "python").exists()


def test_a_venv_that_does_not_run_is_left_alone(tmp_path: Path) -> None:
    code, out, log = _ci(_project(tmp_path), STUB_BROKEN="1")
    assert code == 0, out
    assert ".venv exists but its Python does not run" in out
    assert "python3 -m venv .venv-ci" in log


def test_a_failing_test_run_fails_the_script(tmp_path: Path) -> None:
    code, out, _ = _ci(_project(tmp_path), STUB_PYTEST_EXIT="1")
    assert code == 1
    assert "== pytest" in out
