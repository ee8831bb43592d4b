"""A request draft as one self-contained HTML page (the Jinja2 template `templates/draft.html.j2`,
autoescape on): every text from the dossier or the rules is escaped, each gap is a highlighted
`[MISSING: field — question]` marker that also prints."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from bgtc_rules._version import __version__
from bgtc_rules.advice.drafts import Draft, Line
from bgtc_rules.render.svg import safe_url

if TYPE_CHECKING:
    from jinja2 import Template


def _runs(lines: Iterable[Line]) -> list[list[Line]]:
    """Consecutive lines grouped by kind, so bullets share one list."""
    return [list(group) for _, group in itertools.groupby(lines, key=lambda line: line.bullet)]


@cache
def _template() -> Template:
    from jinja2 import Environment, PackageLoader, StrictUndefined  # only HTML output needs Jinja2

    environment = Environment(loader=PackageLoader("bgtc_rules.render", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
    environment.filters["groupby_runs"] = _runs
    return environment.get_template("draft.html.j2")


def render_draft_html(draft: Draft) -> str:
    return _template().render(draft=draft, version=__version__, safe_url=safe_url)
