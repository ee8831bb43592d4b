"""The web page's templates (Jinja2, autoescape on, undefined names an error), what a page
answers with, and the static files (the report's style sheet, the page's own, its one script)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from bgtc_rules._version import __version__
from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.render.svg import safe_url
from bgtc_rules.service.settings import ServiceSettings
from bgtc_rules.service.web.embed import PageParts, content_security_policy

if TYPE_CHECKING:
    from jinja2 import Environment

STATIC_MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


@dataclass(frozen=True)
class Page:
    """An HTML page and the Content-Security-Policy that lets exactly its inline styles in."""

    html: str
    csp: str
    status: int = 200


@dataclass(frozen=True)
class Download:
    """A file to save: the same bytes the command line writes."""

    content: bytes
    filename: str
    media_type: str


Answer = Page | Download


@dataclass(frozen=True)
class Context:
    """What every page is built with: the rule base, the service's settings, and today."""

    rules: RuleBase
    settings: ServiceSettings
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def max_bytes(self) -> int:
        return self.settings.max_body_bytes

    @property
    def backend(self) -> str | None:
        return self.settings.backend


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(loader=PackageLoader("bgtc_rules.service.web", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.globals.update(version=__version__, disclaimer=DISCLAIMER, determinations=list(Determination),
                               safe_url=safe_url)
    return environment


def render_page(template: str, embedded: PageParts | None = None, status: int = 200, **values: Any) -> Page:
    """A page from `templates/<template>`; `embedded`: a renderer's page shown inside it, with its styles."""
    from markupsafe import Markup

    styles = embedded.styles if embedded else ()
    attributes = embedded.style_attributes if embedded else ()
    text = _environment().get_template(template).render(
        embedded_styles=[Markup(s) for s in styles], embedded_body=Markup(embedded.body) if embedded else "",
        **values)
    return Page(text, content_security_policy(styles, attributes), status)


@cache
def static_file(name: str) -> tuple[bytes, str] | None:
    """A static file's bytes and media type: `report.css` is the HTML report's own style sheet."""
    suffix = name[name.rfind("."):] if "." in name else ""
    if suffix not in STATIC_MEDIA_TYPES or "/" in name or name.startswith("."):
        return None
    if name == "report.css":
        source = resources.files("bgtc_rules.render").joinpath("templates").joinpath("report.css")
    else:
        source = resources.files("bgtc_rules.service.web").joinpath("static").joinpath(name)
    if not source.is_file():
        return None
    return source.read_bytes(), STATIC_MEDIA_TYPES[suffix]
