"""scripts/convert_sources.py: citations written out in full move into sources.yaml, re-runnably."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from bgtc_rules import RuleBase

from .paths import ROOT

SCRIPT = ROOT / "scripts" / "convert_sources.py"
URL = "https://www.ecfr.gov/current/title-21/chapter-I/subchapter-D/part-316/subpart-C/section-316.20"
RULES = f"""\
program:
  id: demo
  name: Demo
  kind: designation
  summary: For tests.
  # a comment the reviewers wrote
  citations:
    - document: "21 CFR 316.20 (content of a request)"
      section: "316.20(a)"
      url: {URL}
      reference: S36
questions: {{indication.serious: "Serious?"}}
rules:
  - {{id: demo.ok, title: t, conclude: {{program: demo, outcome: eligible}},
      when: {{fact: indication.serious, op: '==', value: true, says: Serious.}}, explanation: e,
      citations: [{{document: "21 CFR 316.20 (content of a request)", section: "316.20(b)", url: '{URL}'}}],
      effective_from: 2020-01-01}}
  - id: demo.no
    title: t
    conclude: {{program: demo, outcome: not_eligible}}
    when: {{fact: indication.serious, op: '==', value: false, says: Not serious.}}
    explanation: e
    citations:
      - document: "Pink Sheet (2013)"
        section: >-
          Available
          therapy
        secondary: true
        reason: cited beside the regulation
    effective_from: 2020-01-01
"""


def _convert(directory: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(directory), *options], capture_output=True, text=True,
                          timeout=120, check=False)


def test_citations_move_to_sources_yaml_and_the_rest_of_the_file_stays(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(RULES, encoding="utf-8")
    assert _convert(tmp_path, "--check").returncode == 1
    done = _convert(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "minted cfr-21-316-20" in done.stdout and "3 citation(s) converted; 2 source(s) minted" in done.stdout
    text = (tmp_path / "demo.yaml").read_text(encoding="utf-8")
    kept = '  # a comment the reviewers wrote\n  citations:\n    - source: cfr-21-316-20\n      section: "316.20(a)"\n'
    assert kept in text
    assert "citations: [{source: cfr-21-316-20, section: \"316.20(b)\"}]," in text
    assert "      - source: pink-sheet-2013\n        section: >-\n          Available\n          therapy\n" in text
    assert "document:" not in text and "reference" not in text
    base = RuleBase.load([tmp_path], include_bundled=False)
    cited = base.by_id["demo.no"].spec.citations[0]
    assert (cited.document, cited.section, cited.secondary) == ("Pink Sheet (2013)", "Available therapy", True)
    assert base.sources["pink-sheet-2013"].reason == "cited beside the regulation"
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = _convert(tmp_path)
    assert "0 citation(s) converted; 0 source(s) minted, 2 already in sources.yaml" in again.stdout
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_source_already_listed_is_reused_by_title_and_url(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(textwrap.dedent(f"""\
        sources:
          my-own-id:
            title: "21 CFR 316.20 (content of a request)"
            url: {URL}
        """), encoding="utf-8")
    (tmp_path / "demo.yaml").write_text(RULES, encoding="utf-8")
    done = _convert(tmp_path)
    assert "1 source(s) minted, 1 already in sources.yaml" in done.stdout
    assert (tmp_path / "demo.yaml").read_text(encoding="utf-8").count("source: my-own-id") == 2
