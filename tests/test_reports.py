"""The markdown and HTML reports: structure, content, escaping, determinism, and the CLI.

The HTML is checked through a DOM built with the standard library's `html.parser` (strict about
nesting: every non-void element must be closed in order), so the assertions read the document a
browser would build, not the text the renderer wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from bgtc_rules import RuleBase, dossier_from_mapping, load_dossier
from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.plan import Plan, build_plan
from bgtc_rules.advice.report import Report, build_report
from bgtc_rules.cli import main
from bgtc_rules.engine.backends import durable_available
from bgtc_rules.engine.proof import RuleProof
from bgtc_rules.engine.results import Determination
from bgtc_rules.render.diagram import explanation_svg
from bgtc_rules.render.gantt import gantt_svg
from bgtc_rules.render.html import render_html
from bgtc_rules.render.markdown import md, render_markdown, slug

from .paths import AS_OF, SCENARIOS

PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
PRE_IND = SCENARIOS / "aav_pre_ind_pediatric_neuro.yaml"

# --- a small DOM from html.parser ------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK = {"address", "article", "aside", "div", "dl", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
         "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        return [e for e in self.iter()
                if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
                and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class DomBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.doctype = ""
        self.errors: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}> at {self.getpos()}")
            while len(self.stack) > 1 and self.stack[-1].tag != tag:
                self.stack.pop()
        if len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> tuple[Element, DomBuilder]:
    builder = DomBuilder()
    builder.feed(text)
    builder.close()
    return builder.root, builder


# --- fixtures ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def phase12(rulebase: RuleBase) -> Report:
    return build_report(load_dossier(PHASE12), rulebase, as_of=AS_OF, source=str(PHASE12))


@pytest.fixture(scope="module")
def phase12_html(phase12: Report) -> str:
    return render_html(phase12)


@pytest.fixture(scope="module")
def phase12_dom(phase12_html: str) -> Element:
    root, builder = parse_html(phase12_html)
    assert builder.errors == []
    return root


@pytest.fixture(scope="module")
def phase12_markdown(phase12: Report) -> str:
    return render_markdown(phase12)


def _events(plan: Plan) -> set[tuple[str, str, str]]:
    return {(e.program, e.step, e.date.isoformat()) for e in plan.events}


# --- the data -----------------------------------------------------------------------------------------

def test_report_proofs_agree_with_the_assessment(phase12: Report) -> None:
    assert [p.assessment for p in phase12.programs] == list(phase12.assessment.programs)
    for program in phase12.programs:
        assert [(p.rule_id, p.value) for p in program.proofs] == \
               [(r.rule_id, r.value) for r in program.assessment.rules]
    assert phase12.plan == build_plan(phase12.assessment, RuleBase.load(), AS_OF)


# --- HTML ---------------------------------------------------------------------------------------------

def test_html_is_a_well_formed_html5_document(phase12_html: str, phase12_dom: Element) -> None:
    assert phase12_html.startswith("<!DOCTYPE html>\n")
    html = phase12_dom.find("html")
    assert html.attrs["lang"] == "en"
    head = html.find("head")
    assert head.find("meta").attrs == {"charset": "utf-8"}
    assert head.find("title").text() == "FDA program assessment: AAV9-NRX1 (example)"
    ids = [e.attrs["id"] for e in phase12_dom.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for link in phase12_dom.find_all("a"):
        href = link.attrs["href"]
        assert href.startswith(("#", "https://", "http://")), href
        if href.startswith("#"):
            assert href[1:] in ids, f"dangling link {href}"
    for element in phase12_dom.iter():
        if element.tag in BLOCK:
            assert "p" not in {a.tag for a in element.ancestors()}, f"<{element.tag}> inside <p>"


def test_html_has_no_external_assets(phase12_html: str, phase12_dom: Element) -> None:
    tags = {e.tag for e in phase12_dom.iter()}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "audio", "video", "base"}
    for element in phase12_dom.iter():
        assert "src" not in element.attrs and "srcset" not in element.attrs
        assert not any(name.startswith("on") for name in element.attrs), element.attrs
        if "href" in element.attrs:
            assert element.tag == "a"
    style = phase12_dom.find("style").text()
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "xlink:href" not in phase12_html
    assert re.findall(r"url\((?!#)", phase12_html) == []


def test_html_header_names_dossier_date_edition_backend_and_disclaims_once(phase12: Report, phase12_html: str,
                                                                          phase12_dom: Element) -> None:
    assert phase12_html.count(DISCLAIMER) == 1
    assert phase12_dom.text().count("not a determination by FDA") == 1
    header = phase12_dom.find("header")
    assert header.find("h1").text() == "FDA program assessment: AAV9-NRX1 (example)"
    meta = {dt_.text(): dd.text() for dt_, dd in zip(header.find_all("dt"), header.find_all("dd"), strict=True)}
    assessment = phase12.assessment
    assert meta["Dossier"] == "AAV9-NRX1 (example)"
    assert meta["As of"] == "2026-11-21"
    assert meta["Rules edition"] == f"{assessment.rules_edition} {assessment.rules_digest}"
    assert meta["Backend"] == assessment.backend
    assert meta["Plan start"] == "2026-11-21"
    assert header.find(cls="disclaimer").text() == DISCLAIMER


def test_html_summary_table_has_one_row_per_program_with_symbol_word_and_reason(phase12: Report,
                                                                                 phase12_dom: Element) -> None:
    table = phase12_dom.find("table", cls="summary")
    headings = [th.text() for th in table.find("thead").find_all("th")]
    assert headings == ["Program", "Determination", "Designation", "Reason", "Caveats"]
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == len(phase12.assessment.programs)
    symbols = {"eligible": "✔ eligible", "not_eligible": "✘ not eligible", "undetermined": "? undetermined",
               "not_yet": "◷ not yet", "closed": "■ closed", "conditional": "→ conditional"}
    for row, item in zip(rows, phase12.assessment.programs, strict=True):
        assert row.attrs["data-program"] == item.program
        assert row.attrs["data-determination"] == item.determination.value
        name, determination, standing, reason, caveats = [c for c in row.children if isinstance(c, Element)]
        assert standing.text() == (phase12.assessment.standing_words(item.program) or "none recorded")
        assert name.text() == item.name
        assert name.find("a").attrs["href"] == f"#program-{item.program}"
        assert determination.text() == symbols[item.determination.value]  # a symbol and a word, not colour alone
        assert reason.text() == item.reason
        count = len(set(item.caveats))
        assert caveats.text() == (f"{count} caveat{'s' if count != 1 else ''}" if item.caveats else "none")
    determinations = {r.attrs["data-program"]: r.attrs["data-determination"] for r in rows}
    assert determinations["rmat"] == "eligible"
    assert determinations["plausible_mechanism"] == "not_eligible"
    assert determinations["start_pilot"] == "closed"


def test_html_gantt_draws_exactly_the_plan_dates(phase12: Report, phase12_dom: Element) -> None:
    svg = phase12_dom.find("svg", cls="gantt")
    assert svg.attrs["role"] == "img" and svg.find("title").text().startswith("Regulatory plan timeline")
    rows = svg.find_all("g", cls="gantt-row")
    assert [r.attrs["data-program"] for r in rows] == list(dict.fromkeys(e.program for e in phase12.plan.events))
    drawn = {(row.attrs["data-program"], m.attrs["data-step"], m.attrs["data-date"])
             for row in rows for m in row.find_all("g", cls="milestone")}
    assert drawn == _events(phase12.plan)
    eop = svg.find("g", cls="gantt-row", data_program="mtg_type_b_eop")
    steps = {m.attrs["data-step"] for m in eop.find_all("g", cls="milestone")}
    assert {"request", "fda_response", "package_due", "meeting"} <= steps
    assert len(eop.find_all("rect", cls="bar")) == 1
    legend = svg.find("g", cls="legend").text()
    assert "meeting package due" in legend and "FDA response due" in legend
    # the events table carries the same dates, with their basis
    table = phase12_dom.find("table", cls="plan-events")
    rows_ = table.find("tbody").find_all("tr")
    assert [r.find("td").text() for r in rows_] == [e.date.isoformat() for e in phase12.plan.events]


def test_html_explains_every_program_with_a_diagram_and_a_proof_tree(phase12: Report, phase12_dom: Element) -> None:
    sections = phase12_dom.find_all("section", cls="program")
    assert [s.attrs["data-program"] for s in sections] == [p.assessment.program for p in phase12.programs]
    diagrams = phase12_dom.find_all("svg", cls="explanation")
    assert len(diagrams) == len(phase12.programs)
    for section, program in zip(sections, phase12.programs, strict=True):
        item = program.assessment
        assert section.attrs["id"] == f"program-{item.program}"
        assert section.find("p", cls="reason").text() == item.reason
        diagram = section.find("svg", cls="explanation")
        nodes = diagram.find_all("g", cls="node")
        assert all(n.find("title").text() for n in nodes)
        determination = diagram.find("g", cls="node-determination")
        assert f"d-{item.determination.value}" in determination.classes
        rule_nodes = {n.attrs["data-key"]: n for n in diagram.find_all("g", cls="node-rule")}
        assert set(rule_nodes) == {f"rule:{p.rule_id}" for p in program.proofs}
        eligible_holds = any(p.value is True and p.concludes.endswith(": eligible") for p in program.proofs)
        for proof in program.proofs:
            css = {True: "v-true", False: "v-false", None: "v-unknown"}[proof.value]
            if proof.value is False and (eligible_holds or not proof.concludes.endswith(": eligible")):
                css = "v-alternative"  # an exclusion that does not apply, or an unneeded way in
            assert css in rule_nodes[f"rule:{proof.rule_id}"].classes
        tree = section.find("ul", cls="proof")
        top = [li for li in tree.children if isinstance(li, Element)]
        assert [li.attrs["data-rule"] for li in top] == [p.rule_id for p in program.proofs]
        deciding = [li.attrs["data-rule"] for li in top if "deciding" in li.classes]
        assert deciding == list(item.deciding_rules)


def test_html_rmat_diagram_reaches_concepts_and_facts(phase12_dom: Element) -> None:
    diagram = phase12_dom.find("section", id="program-rmat").find("svg", cls="explanation")
    keys = {n.attrs["data-key"]: n.classes for n in diagram.find_all("g", cls="node")}
    assert "v-true" in keys["concept:regenerative_medicine_therapy"]
    assert "v-true" in keys["condition:program.sustained_effect == true"]
    # no approved therapy is what the `not` needs: refuted, but drawn as an alternative, not a failure
    assert "v-alternative" in keys["concept:available_therapy"]
    assert diagram.find_all("path", cls="negated"), "not-edges are drawn dashed"


def test_html_eligible_diagram_draws_refuted_alternatives_apart_and_wraps_names(phase12_dom: Element) -> None:
    diagram = phase12_dom.find("section", id="program-rmat").find("svg", cls="explanation")
    nodes = diagram.find_all("g", cls="node")
    assert not [n.attrs["data-key"] for n in nodes if "v-false" in n.classes], "eligible: nothing failed"
    assert [n for n in nodes if "v-alternative" in n.classes], "the exclusions that do not apply are drawn"
    concept = next(n for n in nodes if n.attrs["data-key"] == "concept:regenerative_medicine_therapy")
    assert "Regenerative medicine therapy" in concept.text() and "_" not in concept.text()
    texts = " ".join(n.text() for n in nodes)
    assert "…" not in texts, "names wrap, never cut"


def test_html_proof_shows_facts_fields_and_cited_links(phase12: Report, phase12_dom: Element) -> None:
    section = phase12_dom.find("section", id="program-rmat")
    text = section.text()
    assert "The gene therapy has a sustained effect on cells or tissues. (your dossier: yes)" in text
    # each citation gives its source's number, linked to the report's list of sources, which links the source
    numbers = {a.attrs["href"] for a in section.find_all("a", cls="source-number")}
    listed = phase12_dom.find("section", id="sources")
    assert numbers and numbers <= {f"#{li.attrs['id']}" for li in listed.find_all("li")}
    links = {a.attrs["href"] for a in listed.find_all("a")}
    for proof in phase12.program("rmat").proofs:
        for citation in proof.citations:
            if citation.url:
                assert citation.url in links
    # a derived fact reads as its sentence, with the question for its dossier field
    type_c = phase12_dom.find("section", id="program-mtg_type_c").text()
    assert "The sponsor has at least one question for FDA. (your dossier: not answered yet)" in type_c


def test_html_undetermined_lists_questions(phase12: Report, phase12_dom: Element) -> None:
    item = phase12.program("mtg_type_c").assessment
    assert item.determination is Determination.UNDETERMINED
    section = phase12_dom.find("section", id="program-mtg_type_c")
    questions = [li.text() for li in section.find("ol", cls="questions").find_all("li")]
    assert questions == [m.question for m in item.missing]
    asks = [div.text() for div in section.find_all("div", cls="ask")]
    assert f"To answer: {item.missing[0].question}" in asks


def test_html_not_eligible_and_not_yet_list_failed_conditions(phase12: Report, phase12_dom: Element) -> None:
    section = phase12_dom.find("section", id="program-plausible_mechanism")
    failed = [li.text() for li in section.find("ul", cls="failed").find_all("li")]
    assert ("✘ The therapy is not individualized for one patient or a very small group. (Individualized therapy "
            "meeting all five elements of the plausible mechanism framework)") in failed
    not_yet = phase12_dom.find("section", id="program-start_pilot")
    assert "The START application window closed" in not_yet.find("p", cls="meta-line").text()
    assert not_yet.find("ul", cls="failed").find_all("li")


def test_html_eligible_program_has_no_why_not(phase12_dom: Element) -> None:
    section = phase12_dom.find("section", id="program-rmat")
    assert not section.find_all("ul", cls="failed") and not section.find_all("ol", cls="questions")


# --- escaping -----------------------------------------------------------------------------------------

HOSTILE_NAME = '<script>alert(1)</script> & "Q" | *x* [l](u) &amp;'
HOSTILE_URL = 'https://example.test/a"onclick="alert(1)<b>'
HOSTILE_URL_ENCODED = "https://example.test/a%22onclick=%22alert(1)%3Cb%3E"

HOSTILE_RULES = f"""
program:
  id: demo
  name: "Demo <b>program</b> | x"
  kind: designation
  summary: A program for tests.
  citations: [{{document: Test source, section: "1"}}]
  response:
    days: 30
    counted: after_request
    citations: [{{document: Test source, section: "2"}}]
questions:
  indication.serious: "Is it <i>serious</i>?"
  indication.progressive: "Progressive?"
rules:
  - id: demo.concept
    title: Serious <em>enough</em>
    conclude: {{concept: seriousish}}
    when: {{fact: indication.serious, op: '==', value: true}}
    explanation: Test.
    citations: [{{document: "Doc <img src=x onerror=alert(1)>", section: "§ 1 | 2", url: '{HOSTILE_URL}'}}]
    effective_from: 2020-01-01
  - id: demo.eligible
    title: "Eligible <script>x</script>"
    conclude: {{program: demo, outcome: eligible}}
    when:
      all:
        - {{concept: seriousish}}
        - {{not: {{fact: indication.progressive, op: '==', value: true}}}}
    explanation: "Explained <iframe>"
    citations: [{{document: Test source, section: "3"}}]
    effective_from: 2020-01-01
"""


@pytest.fixture
def hostile(write_rules: Callable[[dict[str, str]], Path]) -> Report:
    rules = RuleBase.load([write_rules({"demo.yaml": HOSTILE_RULES})], include_bundled=False)
    dossier = dossier_from_mapping({"schema_version": 1,
                                    "program": {"name": HOSTILE_NAME, "modality": "aav_gene_therapy"},
                                    "indication": {"serious": True, "progressive": False}})
    return build_report(dossier, rules, as_of=AS_OF, source="<in memory>")


def test_html_escapes_every_text(hostile: Report) -> None:
    assert hostile.program("demo").assessment.determination is Determination.ELIGIBLE
    text = render_html(hostile)
    root, builder = parse_html(text)
    assert builder.errors == []
    assert not {e.tag for e in root.iter()} & {"script", "img", "iframe", "b", "i", "em"}
    assert not any(name.startswith("on") for e in root.iter() for name in e.attrs)
    assert root.find("h1").text() == f"FDA program assessment: {HOSTILE_NAME}"
    assert root.find("table", cls="summary").find("th", scope="row").text() == "Demo <b>program</b> | x"
    hrefs = [a.attrs["href"] for a in root.find_all("a") if not a.attrs["href"].startswith("#")]
    assert hrefs == [HOSTILE_URL_ENCODED]
    assert "Doc <img src=x onerror=alert(1)>" in root.find("section", id="sources").text()


def test_html_diagram_marks_a_negated_condition(hostile: Report) -> None:
    program = hostile.program("demo")
    svg = explanation_svg("demo", program.assessment.name, program.assessment.determination, program.proofs,
                          program.assessment.deciding_rules)
    root, builder = parse_html(svg)
    assert builder.errors == []
    nodes = {n.attrs["data-key"]: n.classes for n in root.find_all("g", cls="node")}
    assert set(nodes) == {"determination", "rule:demo.eligible", "concept:seriousish",
                          "condition:indication.serious == true", "condition:indication.progressive == true"}
    assert "v-alternative" in nodes["condition:indication.progressive == true"]  # false, as the `not` needs
    negated = root.find_all("path", cls="negated")
    assert len(negated) == 1
    headings = [t.text() for t in root.find_all("text", cls="column-heading")]
    assert headings == ["determination", "program rules", "concepts", "facts (dossier fields)"]


def test_markdown_escapes_every_text(hostile: Report) -> None:
    text = render_markdown(hostile)
    prose = re.sub(r"`[^`]*`", "", text)  # code spans show their text literally
    # no tag but the line breaks in table cells and the anchors of the numbered sources
    assert re.findall(r"(?<!\\)<(?!br>|https?://|a id=\"source-\d+\"></a>|/a>)", prose) == []
    assert "| Source | `<in memory>` |" in text
    assert "\\<script\\>alert(1)\\</script\\> & \"Q\" \\| \\*x\\* \\[l\\](u) \\&amp;" in text
    assert f"[Doc \\<img src=x onerror=alert(1)\\>](<{HOSTILE_URL_ENCODED}>)" in text
    row = next(line for line in text.splitlines() if line.startswith("| [Demo"))
    assert len(_cells(row)) == 5


# --- Markdown -----------------------------------------------------------------------------------------

def _cells(row: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def _table(text: str, header: str) -> list[list[str]]:
    lines = text.splitlines()
    start = lines.index(header)
    rows: list[list[str]] = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return rows


def test_markdown_header_summary_and_disclaimer(phase12: Report, phase12_markdown: str) -> None:
    text = phase12_markdown
    assert text.startswith("# FDA program assessment: AAV9-NRX1 (example)\n")
    assert text.count(DISCLAIMER) == 1
    assert f"| Backend | {phase12.assessment.backend} |" in text
    assert "| As of | 2026-11-21 |" in text
    assert f"| Rules edition | {phase12.assessment.rules_edition} `{phase12.assessment.rules_digest}` |" in text
    rows = _table(text, "| Program | Determination | Designation | Reason | Caveats |")
    assert len(rows) == len(phase12.assessment.programs)
    words = {"eligible": "✔ **eligible**", "not_eligible": "✘ **not eligible**", "undetermined": "? **undetermined**",
             "not_yet": "◷ **not yet**", "closed": "■ **closed**", "conditional": "→ **conditional**"}
    for row, item in zip(rows, phase12.assessment.programs, strict=True):
        assert len(row) == 5
        assert row[0].startswith(f"[{item.name}](#")
        assert row[1] == words[item.determination.value]


def test_markdown_plan_is_a_table_fallback_with_the_plan_dates(phase12: Report, phase12_markdown: str) -> None:
    assert "<svg" not in phase12_markdown
    rows = _table(phase12_markdown, "| Date | Program | What | Basis |")
    assert [r[0] for r in rows] == [e.date.isoformat() for e in phase12.plan.events]
    assert "### Next steps (no date yet)" in phase12_markdown


def test_markdown_links_point_to_headings(phase12_markdown: str) -> None:
    headings = {slug(line.lstrip("#").strip().replace("\\", "")) for line in phase12_markdown.splitlines()
                if line.startswith("#")}
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', phase12_markdown))
    targets = set(re.findall(r"\]\(#([^)]+)\)", phase12_markdown))
    assert targets and targets <= headings | anchors


def test_markdown_explanations_carry_proofs_questions_and_citations(phase12: Report, phase12_markdown: str) -> None:
    section = phase12_markdown.split("### Type C meeting\n", 1)[1].split("\n### ", 1)[0]
    item = phase12.program("mtg_type_c").assessment
    for index, missing in enumerate(item.missing, 1):
        assert f"{index}. {md(missing.question)}" in section
    assert "- ? Questions beyond Type D scope, with no Type A matter, past the pre-IND stage" in section
    assert "*(deciding)*" in section
    number = re.search(r"source: [^\n]* \[\\\[(\d+)\\\]\]\(#source-(\d+)\)", section)
    assert number is not None and number.group(1) == number.group(2)
    listed = phase12_markdown.split("\n## Sources\n", 1)[1]
    assert "[FDA OTP: Type D Meetings](<https://" in listed
    rmat = phase12_markdown.split("### Regenerative medicine advanced therapy (RMAT) designation\n", 1)[1]
    assert "✔ The gene therapy has a sustained effect on cells or tissues. — your dossier: yes" in rmat


# --- determinism and the CLI --------------------------------------------------------------------------

def test_reports_are_deterministic(rulebase: RuleBase, phase12_html: str, phase12_markdown: str) -> None:
    again = build_report(load_dossier(PHASE12), rulebase, as_of=AS_OF, source=str(PHASE12))
    assert render_html(again) == phase12_html
    assert render_markdown(again) == phase12_markdown


@pytest.mark.skipif(not durable_available(), reason="durable-rules is not importable here")
def test_backends_give_the_same_report_but_for_their_name(rulebase: RuleBase) -> None:
    reports = [build_report(load_dossier(PRE_IND), rulebase, as_of=AS_OF, backend=name)
               for name in ("reference", "durable-rules")]
    assert [r.assessment.backend for r in reports] == ["reference", "durable-rules"]
    unnamed = [Report(replace(r.assessment, backend="x"), r.programs, r.plan) for r in reports]
    assert render_html(unnamed[0]) == render_html(unnamed[1])
    assert render_markdown(unnamed[0]) == render_markdown(unnamed[1])


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_writes_an_html_report(tmp_path: Path, phase12_html: str) -> None:
    target = tmp_path / "report.html"
    code, out, _ = _run("evaluate", str(PHASE12), "--as-of", "2026-11-21", "--format", "html", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8") == phase12_html


def test_cli_prints_a_markdown_report(phase12_markdown: str) -> None:
    code, out, _ = _run("evaluate", str(PHASE12), "--as-of", "2026-11-21", "--format", "markdown")
    assert code == 0
    assert out == phase12_markdown


def test_cli_start_moves_the_plan(rulebase: RuleBase) -> None:
    code, out, _ = _run("evaluate", str(PHASE12), "--as-of", "2026-11-21", "--start", "2027-01-04",
                        "--format", "html")
    assert code == 0
    root, _ = parse_html(out)
    assessment = build_report(load_dossier(PHASE12), rulebase, as_of=AS_OF).assessment
    plan = build_plan(assessment, rulebase, dt.date(2027, 1, 4))
    drawn = {(row.attrs["data-program"], m.attrs["data-step"], m.attrs["data-date"])
             for row in root.find("svg", cls="gantt").find_all("g", cls="gantt-row")
             for m in row.find_all("g", cls="milestone")}
    assert drawn == _events(plan)
    assert "Counting from 2027-01-04" in root.find("section", id="plan").text()


@pytest.mark.parametrize(("args", "message"), [
    (["--start", "2027-01-04"], "--start"),
    (["--start", "2027-01-04", "--format", "json"], "--start"),
    (["--start", "soon", "--format", "html"], "expected a date"),
])
def test_cli_start_errors(args: list[str], message: str) -> None:
    code, _, err = _run("evaluate", str(PHASE12), *args)
    assert code == 2
    assert message in err and "Traceback" not in err


# --- the SVG helpers ----------------------------------------------------------------------------------

def test_gantt_of_an_empty_plan_is_empty(phase12: Report) -> None:
    empty = Plan(phase12.plan.start, phase12.assessment, (), ())
    assert gantt_svg(empty, {}) == ""
    html = render_html(Report(phase12.assessment, phase12.programs, empty))
    assert "Nothing can be requested yet" in html and 'class="gantt"' not in html


def test_explanation_of_a_program_without_rules_is_just_its_determination() -> None:
    proofs: tuple[RuleProof, ...] = ()
    root, builder = parse_html(explanation_svg("x", "X", Determination.UNDETERMINED, proofs, ()))
    assert builder.errors == []
    assert [n.attrs["data-key"] for n in root.find_all("g", cls="node")] == ["determination"]
