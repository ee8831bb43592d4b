"""Sources listed once (rules/sources.yaml), cited by id: refusals, the unused-sources report, drafts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bgtc_rules import RuleBase
from bgtc_rules.advice.drafts.sources import cited_by_drafts
from bgtc_rules.base.documents import parse_document
from bgtc_rules.base.errors import InputError
from bgtc_rules.engine.lint import lint
from bgtc_rules.language.citations import cited_sources
from bgtc_rules.language.rulebase import bundled_rules_dir
from bgtc_rules.language.sources import resolve

Writer = Callable[[dict[str, str]], Path]

SOURCES = """
sources:
  cfr-21-316-20:
    title: "21 CFR 316.20, Content and format of a request"
    url: https://www.ecfr.gov/current/title-21/part-316/section-316.20
  cfr-21-316-21:
    title: "21 CFR 316.21, Verification of orphan-drug status"
    url: https://www.ecfr.gov/current/title-21/part-316/section-316.21
  trade-press-2013:
    title: "Pink Sheet (2013)"
    kind: secondary
    reason: cited beside the statute for how FDA reads it
"""


def _program(rule_source: str, extra: str = "") -> str:
    return f"""
program:
  id: demo
  name: Demo
  kind: designation
  summary: For tests.
  citations: [{{source: cfr-21-316-20, section: "316.20(a)"}}]
questions: {{indication.serious: "Serious?"}}
rules:
  - id: demo.ok
    title: t
    conclude: {{program: demo, outcome: eligible}}
    when: {{fact: indication.serious, op: '==', value: true, says: Serious.}}
    explanation: e
    citations:
      - source: {rule_source}
        section: "316.20(b)"{extra}
    effective_from: 2020-01-01
  - id: demo.no
    title: t
    conclude: {{program: demo, outcome: not_eligible}}
    when: {{fact: indication.serious, op: '==', value: false, says: Not serious.}}
    explanation: e
    citations: [{{source: trade-press-2013, section: "1"}}]
    effective_from: 2020-01-01
"""


def test_a_citation_by_id_takes_title_url_and_kind_from_its_source(write_rules: Writer) -> None:
    base = RuleBase.load([write_rules({"sources.yaml": SOURCES, "demo.yaml": _program("cfr-21-316-20")})],
                         include_bundled=False)
    ok, no = base.by_id["demo.ok"].spec.citations[0], base.by_id["demo.no"].spec.citations[0]
    assert (ok.source, ok.document, ok.section) == ("cfr-21-316-20", "21 CFR 316.20, Content and format of a "
                                                    "request", "316.20(b)")
    assert ok.url == "https://www.ecfr.gov/current/title-21/part-316/section-316.20" and not ok.secondary
    assert no.secondary and no.reason == "cited beside the statute for how FDA reads it" and no.url is None


def test_an_unknown_source_id_is_refused_naming_file_rule_path_id_and_closest_ids(write_rules: Writer) -> None:
    directory = write_rules({"sources.yaml": SOURCES, "demo.yaml": _program("cfr-21-316-2")})
    with pytest.raises(InputError) as refused:
        RuleBase.load([directory], include_bundled=False)
    [problem] = refused.value.problems
    assert problem.file.endswith("demo.yaml") and problem.line == 16  # the `- source:` line
    assert problem.where == "rules.0.citations.0.source"
    assert problem.message.startswith("rule demo.ok: unknown source 'cfr-21-316-2'; closest known: ")
    assert set(problem.message.split("closest known: ")[1].split(", ")) == {"cfr-21-316-20", "cfr-21-316-21"}


def test_a_citation_by_id_that_also_writes_out_its_source_is_refused(write_rules: Writer) -> None:
    directory = write_rules({"sources.yaml": SOURCES,
                             "demo.yaml": _program("cfr-21-316-20", "\n        url: https://www.ecfr.gov/x")})
    with pytest.raises(InputError, match="gives only its section; url belong"):
        RuleBase.load([directory], include_bundled=False)


def test_a_source_id_given_twice_is_refused(write_rules: Writer) -> None:
    directory = write_rules({"sources.yaml": SOURCES, "more.yaml": SOURCES.replace("  cfr-21-316-21:", "  other:"),
                             "demo.yaml": _program("cfr-21-316-20")})
    with pytest.raises(InputError, match="source id given twice"):
        RuleBase.load([directory], include_bundled=False)


def test_the_bundled_rules_refuse_a_source_written_out() -> None:
    text = b"rules:\n  - citations: [{document: A statute, section: '1', url: 'https://www.ecfr.gov/x'}]\n"
    bundled = bundled_rules_dir()
    doc = parse_document(text, str(bundled / "programs" / "x.yaml"), False, 10_000)
    [problem] = resolve(doc, {}, lambda path: "", bundled)
    assert problem.where == "rules.0.citations.0"
    assert "cite the source by its id in sources.yaml" in problem.message
    assert resolve(parse_document(text, "mine/x.yaml", False, 10_000), {}, lambda path: "", bundled) == []


def test_a_source_nothing_cites_is_reported_by_the_lint(write_rules: Writer) -> None:
    base = RuleBase.load([write_rules({"sources.yaml": SOURCES, "demo.yaml": _program("cfr-21-316-20")})],
                         include_bundled=False)
    unused = [f for f in lint(base) if "nothing cites" in f.message]
    assert [(f.level, f.subject) for f in unused] == [("warning", "cfr-21-316-21")]
    assert [f for f in lint(base, also_cited=["cfr-21-316-21"]) if "nothing cites" in f.message] == []


def test_every_bundled_source_is_cited_and_every_bundled_citation_names_its_source(rulebase: RuleBase) -> None:
    assert all(s.citation.source in rulebase.sources for s in cited_sources(rulebase))
    drafts = [str(c.source) for c in cited_by_drafts()]
    assert [f for f in lint(rulebase, also_cited=drafts) if "nothing cites" in f.message] == []


def test_the_drafts_citations_agree_with_sources_yaml(rulebase: RuleBase) -> None:
    for citation in cited_by_drafts():
        source = rulebase.sources[str(citation.source)]
        assert (citation.document, citation.url, citation.secondary) == (
            source.title, source.url, source.kind == "secondary"), citation.source
