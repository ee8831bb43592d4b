"""Plain words wherever a person reads: every bundled scenario rendered in every format a person
reads (`evaluate` as text, the JSON export's human-text fields, the Markdown and HTML reports,
`explain` for every program, `plan`, every draft in Markdown, HTML and DOCX, and the handbook)
holds no operator, no fact-path syntax, no internal label and no snake_case identifier in prose.

Machine-readable fields (ids, fact paths, operators in the JSON export's dedicated fields, HTML
attributes, URLs) are not prose and are not checked; neither are the handbook's code spans, which
show rule ids and dossier fields to the reviewers of the rules on purpose.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest

from bgtc_rules import RuleBase, load_dossier
from bgtc_rules.advice.drafts import build_draft, draftable
from bgtc_rules.advice.evaluation import evaluate
from bgtc_rules.advice.explanation import explain
from bgtc_rules.advice.plan import plan_for
from bgtc_rules.advice.report import build_report
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.catalog import fact_catalog
from bgtc_rules.render.draft_docx import render_draft_docx
from bgtc_rules.render.draft_html import render_draft_html
from bgtc_rules.render.draft_markdown import render_draft_markdown
from bgtc_rules.render.html import render_html
from bgtc_rules.render.markdown import render_markdown
from bgtc_rules.render.plan_text import render_plan
from bgtc_rules.render.proof_text import render_explanation
from bgtc_rules.render.text import render_text

from .paths import AS_OF, ROOT, SCENARIOS

FILES = sorted(SCENARIOS.glob("*.yaml"))

_OPERATOR = re.compile(r"(?<![<>=!])(==|!=|>=|<=)(?![=>])|\bcontains \{|\bcontains_none\b|\bnot_in\b")
_PATH_SYNTAX = re.compile(r"#count\b|\[\]\.")
_LABEL = re.compile(r"\((?:[A-Z]{2,5}-\d+[a-z]?)(?:,\s*[A-Z]{2,5}-\d+)*\)|\bopen questions? \d+|open question"
                    r"|\[S\d+\]|\breference S\d+|Descriptive concept|(?<![\w-])[A-Z]{2,5}-\d{1,2}(?![\w-])")
_SNAKE = re.compile(r"(?<![\w./:#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-])")
_URL = re.compile(r"<?https?://\S+?>?(?=[\s)\]]|$)")
_FILE = re.compile(r"[\w./-]+\.ya?ml\b")  # the dossier's own file name
# The determination words of the summary table are documented vocabulary (README), not ids.
_VOCABULARY = {d.value for d in Determination}


@cache
def _fact_paths() -> re.Pattern[str]:
    paths = sorted((p for p in fact_catalog() if "." in p), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(p) for p in paths) + r")(?![\w])")


def problems(text: str) -> list[str]:
    """What a person should not read in `text`: each finding with a little of its context."""
    text = _FILE.sub(" ", _URL.sub(" ", text))
    found = []
    for name, pattern in (("operator", _OPERATOR), ("path syntax", _PATH_SYNTAX), ("internal label", _LABEL),
                          ("fact path", _fact_paths())):
        found += [f"{name}: ...{text[max(m.start() - 40, 0):m.end() + 40]}..." for m in pattern.finditer(text)]
    found += [f"snake_case id: ...{text[max(m.start() - 40, 0):m.end() + 40]}..."
              for m in _SNAKE.finditer(text) if m.group() not in _VOCABULARY]
    return found


class _Text(HTMLParser):
    """The text a person reads in an HTML page: no tags, attributes, styles or scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "\n".join(parser.parts)


_HUMAN_KEYS = {"reason", "failed", "says", "question", "title", "explanation", "caveats", "name", "disclaimer",
               "summary", "detail", "text", "document", "section", "note"}


def human_fields(data: Any, key: str = "") -> Iterator[str]:
    """The JSON export's human-text values (ids, paths and operators live in other fields)."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from human_fields(value, key if key == "caveats" else name)
    elif isinstance(data, list):
        for value in data:
            yield from human_fields(value, key)
    elif isinstance(data, str) and key in _HUMAN_KEYS and not re.fullmatch(r"k\d+", data):
        yield data


@cache
def _rules() -> RuleBase:
    return RuleBase.load()


def test_the_checker_finds_what_it_looks_for() -> None:
    rule_code = ("criteria not met: program.individualized == true; designations contains {program: cnpv}; "
                 "meeting.questions#count (RM-1) (reference open question 22) [S12] surrogate_or_intermediate")
    kinds = {finding.split(":")[0] for finding in problems(rule_code)}
    assert kinds == {"operator", "path syntax", "internal label", "fact path", "snake_case id"}
    assert problems("The disease is serious. See <https://example.test/a_b_c>. Determination: not_eligible.") == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_format_a_person_reads_is_in_plain_words(path: Path) -> None:
    rules, dossier = _rules(), load_dossier(path)
    assessment = evaluate(dossier, rules, as_of=AS_OF, source=path.name)
    report = build_report(dossier, rules, as_of=AS_OF, source=path.name)
    rendered = {
        "evaluate text": render_text(assessment),
        "evaluate json": "\n".join(human_fields(json.loads(assessment.to_json()))),
        "markdown report": render_markdown(report),
        "html report": html_text(render_html(report)),
        "plan": render_plan(plan_for(dossier, rules, as_of=AS_OF, source=path.name)),
    }
    for program in sorted(rules.programs):
        rendered[f"explain {program}"] = render_explanation(explain(dossier, rules, program, as_of=AS_OF))
    for kind in draftable(rules):
        draft = build_draft(dossier, assessment, rules, kind, AS_OF)
        word = docx.Document(io.BytesIO(render_draft_docx(draft)))
        rendered[f"draft {kind} (markdown)"] = render_draft_markdown(draft)
        rendered[f"draft {kind} (html)"] = html_text(render_draft_html(draft))
        rendered[f"draft {kind} (docx)"] = "\n".join(p.text for p in word.paragraphs)
    found = {name: problems(text)[:3] for name, text in rendered.items() if problems(text)}
    assert found == {}


def _prose(markdown: str) -> str:
    """A handbook page without its code (fenced blocks, spans) and link targets."""
    markdown = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    markdown = re.sub(r"`+[^`]*`+", " ", markdown)
    markdown = re.sub(r"\]\([^)]*\)", "]", markdown)
    return re.sub(r'<a id="[^"]*"></a>', " ", markdown)


def test_the_handbook_is_in_plain_words() -> None:
    pages = sorted((ROOT / "docs" / "handbook").glob("*.md"))
    assert pages
    found = {page.name: problems(_prose(page.read_text(encoding="utf-8")))[:3] for page in pages}
    assert {name: issues for name, issues in found.items() if issues} == {}
