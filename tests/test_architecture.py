"""The package's layer map holds: the import-linter contracts of pyproject.toml, and module size.

The contracts (`[tool.importlinter]`): each layer imports only the layers below it
(cli > service > render > policy > advice > engine > language > dossier > base), no two modules of a package
import each other in a circle, durable-rules is imported by the durable backend alone, and the web stack
(Starlette, uvicorn) by the HTTP service alone. A copy of the
package with one upward import shows that the check fails when the map is broken. No module has
more than 400 lines: one job each.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import ROOT

PACKAGE = ROOT / "bgtc_rules"


def _lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                           "lint_imports_command()", "--config", str(project / "pyproject.toml"), "--no-cache"],
                          cwd=project, capture_output=True, text=True, timeout=300, check=False,
                          env={"PYTHONPATH": str(project), "PATH": ""})


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(PACKAGE, project / "bgtc_rules", ignore=shutil.ignore_patterns("__pycache__", "rules"))
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def test_the_layer_contracts_are_kept(tmp_path: Path) -> None:
    result = _lint_imports(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("base/memo.py", "from bgtc_rules.dossier.schema import Dossier", "Layers"),
        ("engine/determine.py", "from bgtc_rules.advice.assessment import Assessment", "Layers"),
        ("language/spec.py", "from bgtc_rules.language.rulebase import RuleBase", "No import circles"),
        ("advice/plan.py", "import durable.engine", "durable-rules"),
        ("policy/steps.py", "from bgtc_rules.render.text import render_text", "Layers"),
        ("render/text.py", "from bgtc_rules.service.app import create_app", "Layers"),
        ("service/app.py", "from bgtc_rules.cli.common import emit", "Layers"),
        ("advice/evaluation.py", "import starlette.responses", "web stack"),
    ],
)
def test_a_broken_map_is_caught(tmp_path: Path, module: str, line: str, broken: str) -> None:
    project = _copy(tmp_path)
    target = project / "bgtc_rules" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _breaks_the_map() -> None:\n    {line}\n",
                      encoding="utf-8")
    result = _lint_imports(project)
    assert result.returncode == 1, result.stdout
    assert f"{broken}" in result.stdout and "BROKEN" in result.stdout


MAX_LINES = 400


def test_no_module_is_over_400_lines() -> None:
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    assert len(sizes) > 50
    assert {name: lines for name, lines in sizes.items() if lines > MAX_LINES} == {}
