"""A built wheel carries its rules and report templates: a non-editable install finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from .paths import ROOT, SCENARIOS


def test_wheel_ships_rules_and_runs_from_an_installed_location(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("bgtc_rules-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "bgtc_rules/rules/edition.yaml" in names
    assert "bgtc_rules/py.typed" in names
    assert {f"bgtc_rules/render/templates/{t}" for t in ("report.html.j2", "proof.html.j2", "report.css")} <= set(names)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    code = ("import bgtc_rules, bgtc_rules.language.rulebase as r; print(bgtc_rules.__file__); "
            "print(r.bundled_rules_dir())")
    env = {**os.environ, "PYTHONPATH": str(target)}
    shown = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                           env=env, cwd=tmp_path).stdout.splitlines()
    assert shown[0].startswith(str(target)) and shown[1] == str(target / "bgtc_rules" / "rules")
    run = subprocess.run([sys.executable, "-m", "bgtc_rules", "evaluate",
                          str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Fast track designation" in run.stdout
    page = subprocess.run([sys.executable, "-m", "bgtc_rules", "evaluate", "--format", "html",
                           str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("<!DOCTYPE html>") and '<section id="explanations">' in page.stdout
