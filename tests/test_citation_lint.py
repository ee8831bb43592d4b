"""The lint's citation checks: which hosts are primary, what is an error, what is only listed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bgtc_rules import RuleBase
from bgtc_rules.base.errors import InputError
from bgtc_rules.cli import main
from bgtc_rules.engine.lint import lint
from bgtc_rules.language.citations import SourceKind, census, cited_sources, source_kind

Writer = Callable[[dict[str, str]], Path]

PRIMARY = "https://www.ecfr.gov/current/title-21/chapter-I/subchapter-D/part-316"


PROGRAM_CITATION = f"{{document: Part 316, section: '316.20', url: '{PRIMARY}'}}"


def _rule_file(*rule_citations: str, program_citation: str = PROGRAM_CITATION) -> str:
    """A program with an eligible and a not-eligible rule; the eligible rule cites `rule_citations`."""
    cited = ", ".join(rule_citations)
    return f"""
program:
  id: demo
  name: Demo
  kind: designation
  summary: For tests.
  citations: [{program_citation}]
questions: {{indication.serious: "Serious?"}}
rules:
  - {{id: demo.ok, title: t, conclude: {{program: demo, outcome: eligible}},
      when: {{fact: indication.serious, op: '==', value: true, says: Serious.}}, explanation: e,
      citations: [{cited}], effective_from: 2020-01-01}}
  - {{id: demo.no, title: t, conclude: {{program: demo, outcome: not_eligible}},
      when: {{fact: indication.serious, op: '==', value: false, says: Not serious.}}, explanation: e,
      citations: [{{document: Part 316, section: '316.20', url: '{PRIMARY}'}}], effective_from: 2020-01-01}}
"""


def _cite(url: str, extra: str = "") -> str:
    return f"{{document: Source, section: '1', url: '{url}'{extra}}}"


def _lint(write_rules: Writer, text: str) -> tuple[list[str], int, str]:
    directory = write_rules({"demo.yaml": text})
    findings = [str(f) for f in lint(RuleBase.load([directory], include_bundled=False))]
    result = CliRunner().invoke(main, ["rules", "lint", "--no-bundled", "--citations", "--rules", str(directory)])
    return findings, result.exit_code, result.stdout


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.ecfr.gov/current/title-21/part-312", SourceKind.PRIMARY),
        ("https://accessdata.fda.gov/scripts/cdrh/cfdocs/cfcfr/CFRSearch.cfm?fr=312.81", SourceKind.PRIMARY),
        ("https://www.govinfo.gov/content/pkg/FR-2023-10-02/html/2023-21235.htm", SourceKind.PRIMARY),
        ("https://www.congress.gov/bill/119th-congress/house-bill/7148", SourceKind.PRIMARY),
        ("https://www.regulations.gov/docket/FDA-2026-D-1256", SourceKind.PRIMARY),
        ("https://notfda.gov.example.com/page", SourceKind.SECONDARY),
        ("https://www.thefdalawblog.com/2025/09/post", SourceKind.SECONDARY),
        ("https://t.e2ma.net/click/vocnj6/n2tbuaki/fodvw1z", SourceKind.TRACKING),
        ("https://www.fda.gov/page?utm_source=newsletter", SourceKind.TRACKING),
        ("https://www.google.com/url?q=https://www.fda.gov/", SourceKind.TRACKING),
        ("https://regulations.justia.com/regulations/fedreg/2023/09/22/2023-20592.html", SourceKind.AGGREGATOR),
        ("https://public4.pagefreezer.com/content/FDA/https://www.fda.gov/x", SourceKind.AGGREGATOR),
    ],
)
def test_source_kind_by_host_path_and_query(url: str, kind: SourceKind) -> None:
    assert source_kind(url) is kind


def test_unmarked_secondary_link_is_a_warning(write_rules: Writer) -> None:
    findings, code, out = _lint(write_rules, _rule_file(_cite(PRIMARY), _cite("https://www.thefdalawblog.com/x")))
    assert any(f.startswith("warning: demo.ok: https://www.thefdalawblog.com/x") for f in findings), findings
    assert not any(f.startswith("error") for f in findings), findings
    assert code == 0 and "secondary: https://www.thefdalawblog.com/x" in out


def test_marked_secondary_link_beside_a_primary_one_is_clean(write_rules: Writer) -> None:
    marked = _cite("https://www.thefdalawblog.com/x", ", secondary: true, reason: 'commentary on the notice'")
    findings, code, out = _lint(write_rules, _rule_file(_cite(PRIMARY), marked))
    assert findings == [] and code == 0
    assert "secondary (marked): https://www.thefdalawblog.com/x" in out
    assert "citations: 4 URLs, 3 primary (75.0%), 1 secondary (1 marked)" in out


@pytest.mark.parametrize("url", ["https://t.e2ma.net/click/abc/def", "https://docslib.org/doc/1/x"])
def test_tracking_and_aggregator_links_are_errors_even_when_marked(write_rules: Writer, url: str) -> None:
    marked = _cite(url, ", secondary: true, reason: 'a copy'")
    findings, code, out = _lint(write_rules, _rule_file(_cite(PRIMARY), marked))
    assert any(f.startswith(f"error: demo.ok: {url}") for f in findings), findings
    assert code == 1 and "1 error(s)" in out


def test_rule_without_a_primary_citation_is_listed(write_rules: Writer) -> None:
    findings, code, _ = _lint(write_rules, _rule_file("{document: Statute, section: '1'}"))
    assert "warning: demo.ok: no primary citation (demo.yaml)" in findings
    assert code == 0


def test_program_timing_without_a_primary_citation_is_listed(write_rules: Writer) -> None:
    response = "  response: {days: 60, counted: after_request, citations: [{document: Memo, section: '1'}]}\n"
    text = _rule_file(_cite(PRIMARY)).replace("questions:", response + "questions:")
    findings, _, _ = _lint(write_rules, text)
    assert "warning: demo (response): no primary citation (demo.yaml)" in findings


@pytest.mark.parametrize(
    ("extra", "message"),
    [(", secondary: true", "needs a reason"), (", reason: 'because'", "only for a citation marked secondary")],
)
def test_secondary_marker_and_reason_go_together(write_rules: Writer, extra: str, message: str) -> None:
    directory = write_rules({"demo.yaml": _rule_file(_cite(PRIMARY, extra))})
    with pytest.raises(InputError) as raised:
        RuleBase.load([directory], include_bundled=False)
    assert message in str(raised.value) and "demo.yaml" in str(raised.value)


def test_bundled_rules_cite_primary_sources(rulebase: RuleBase) -> None:
    """Issue 12's goal: at least 90% of cited URLs primary, no tracking or aggregator link."""
    figures = census(list(cited_sources(rulebase)))
    assert figures.primary_share >= 0.9, str(figures)
    assert figures.kinds[SourceKind.TRACKING] == 0 and figures.kinds[SourceKind.AGGREGATOR] == 0, str(figures)
    unmarked = [s for s in cited_sources(rulebase) if s.citation.url
                and source_kind(s.citation.url) is SourceKind.SECONDARY and not s.citation.secondary]
    assert not unmarked, [(s.subject, s.citation.url) for s in unmarked]
