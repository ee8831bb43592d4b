"""A request draft as one self-contained HTML page (the Jinja2 template `templates/draft.html.j2`,
autoescape on): every text from the dossier or the rules is escaped, each gap is a highlighted
`[MISSING: question]` marker that also prints."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from bgtc_rules._version import __version__
from bgtc_rules.advice.drafts import Draft, Line
from bgtc_rules.advice.labels import label
from bgtc_rules.render.html import page_template
from bgtc_rules.render.source_list import SourceList, secondary_note
from bgtc_rules.render.svg import safe_url


def _runs(lines: Iterable[Line]) -> list[list[Line]]:
    """Consecutive lines grouped by kind, so bullets share one list."""
    return [list(group) for _, group in itertools.groupby(lines, key=lambda line: line.bullet)]


def render_draft_html(draft: Draft) -> str:
    return page_template("draft.html.j2").render(draft=draft, version=__version__, safe_url=safe_url, runs=_runs,
                                                 label=label, sources=SourceList(), secondary_note=secondary_note)
