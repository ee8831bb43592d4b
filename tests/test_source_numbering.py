"""Every rendered document numbers its own sources, [1], [2] ... in order of first citation, and lists
them at its end; no label of the team's reference notes (S1, S12 ...) reaches any output."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from bgtc_rules import RuleBase, load_dossier
from bgtc_rules.advice.drafts import build_draft
from bgtc_rules.advice.evaluation import evaluate
from bgtc_rules.advice.explanation import explain
from bgtc_rules.advice.plan import build_plan
from bgtc_rules.advice.report import build_report
from bgtc_rules.render.draft_docx import render_draft_docx
from bgtc_rules.render.draft_html import render_draft_html
from bgtc_rules.render.draft_markdown import render_draft_markdown
from bgtc_rules.render.handbook import build_handbook, default_features_dir
from bgtc_rules.render.html import render_html
from bgtc_rules.render.markdown import render_markdown
from bgtc_rules.render.plan_text import render_plan
from bgtc_rules.render.proof_text import render_explanation
from bgtc_rules.render.text import render_text

from .paths import AS_OF, SCENARIOS

DOSSIER = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
DRAFTS = SCENARIOS / "aav_pre_ind_request_drafts.yaml"
REFERENCE_LABEL = re.compile(r"\bS\d{1,3}\b")  # S1 ... S999; not a Congressional Record page (S5171)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode("utf-8").replace("</w:p>", "\n"))


@pytest.fixture(scope="module")
def outputs(rulebase: RuleBase) -> dict[str, str]:
    """One of each kind of rendered document."""
    dossier = load_dossier(DOSSIER)
    report = build_report(dossier, rulebase, as_of=AS_OF)
    assessment = evaluate(dossier, rulebase, as_of=AS_OF)
    drafted = load_dossier(DRAFTS)
    draft = build_draft(drafted, evaluate(drafted, rulebase, as_of=AS_OF), rulebase, "rmat", AS_OF)
    handbook = build_handbook(default_features_dir(), rulebase)
    return {
        "text": render_text(assessment, detail=True),
        "markdown": render_markdown(report),
        "html": render_html(report),
        "plan": render_plan(build_plan(assessment, rulebase, AS_OF)),
        "explain": render_explanation(explain(dossier, rulebase, "rmat", as_of=AS_OF)),
        "draft markdown": render_draft_markdown(draft),
        "draft html": render_draft_html(draft),
        "draft docx": _docx_text(render_draft_docx(draft)),
        **{f"handbook {name}": page for name, page in handbook.items()},
    }


def test_no_reference_label_reaches_any_output(outputs: dict[str, str]) -> None:
    for name, text in outputs.items():
        assert not REFERENCE_LABEL.search(text), (name, REFERENCE_LABEL.findall(text)[:3])


def test_the_json_export_carries_no_reference_label(rulebase: RuleBase) -> None:
    exported = evaluate(load_dossier(DOSSIER), rulebase, as_of=AS_OF).to_json()
    assert '"reference"' not in exported and not REFERENCE_LABEL.search(exported)


def _cited_numbers(text: str) -> list[int]:
    """The source numbers in the order the text cites them, before its list of sources."""
    body = re.split(r"^(?:## )?Sources$|<h2>Sources</h2>", text, flags=re.M)[0]
    for pattern in (r"\[\\\[(\d+)\\\]\]\(#source-\d+\)", r'href="#source-(\d+)"', r"\[(\d+)\]"):
        if found := re.findall(pattern, body):
            return [int(n) for n in found]
    return []


@pytest.mark.parametrize("name", ["text", "markdown", "html", "plan", "explain", "draft markdown", "draft html",
                                  "draft docx", "handbook rmat.md", "handbook concepts.md"])
def test_each_document_numbers_its_sources_in_order_of_first_citation(outputs: dict[str, str], name: str) -> None:
    text = outputs[name]
    numbers = _cited_numbers(text)
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == list(range(1, len(first_seen) + 1)), name
    listed = re.findall(r"^\s*(?:- <a id=\"source-\d+\"></a>\*\*)?\\?\[(\d+)\\?\]", text.split("Sources")[-1],
                        flags=re.M) or re.findall(r'id="source-(\d+)"', text)
    assert [int(n) for n in listed] == first_seen, name


def test_two_documents_number_their_sources_independently(outputs: dict[str, str]) -> None:
    rmat, fast_track = outputs["handbook rmat.md"], outputs["handbook fast_track.md"]
    assert _cited_numbers(rmat)[0] == _cited_numbers(fast_track)[0] == 1
    first_source = {page: re.search(r'<a id="source-1"></a>\*\*\\\[1\\\]\*\* \[([^]]+)\]', outputs[page])
                    for page in ("handbook rmat.md", "handbook fast_track.md")}
    titles = {page: found.group(1) for page, found in first_source.items() if found}
    assert len(titles) == 2 and len(set(titles.values())) == 2  # [1] is each page's own first source
