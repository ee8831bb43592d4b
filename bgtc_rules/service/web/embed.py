"""Pages the renderers already write (the HTML report, a request draft), taken apart to be shown
inside the web page: their style sheets, their body, one element of it.

The web page never lays out an assessment or a draft a second time: it shows what
`render.html` and `render.draft_html` wrote, so a change there appears here too. Their text is
escaped where it is written (autoescape, `render.svg`); it is taken here as it is.

Examples:
    >>> page = '<html><head><style>p {}</style></head><body><section id="a"><section>x</section></section>'
    >>> parts = page_parts(page + '<p style="color:red">y</p></body></html>')
    >>> parts.styles, parts.style_attributes
    (('p {}',), ('color:red',))
    >>> element(parts.body, "section", "a")
    '<section id="a"><section>x</section></section>'
    >>> without(parts.body, "section", "a")
    '<p style="color:red">y</p>'
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


@dataclass(frozen=True)
class PageParts:
    styles: tuple[str, ...]  # the text of each <style> element
    body: str  # what is inside <body>
    style_attributes: tuple[str, ...]  # each distinct style="..." value of the body, as the browser reads it


def page_parts(page: str) -> PageParts:
    """The style sheets and the body of a whole HTML page."""
    found = _BODY.search(page)
    body = found.group(1) if found else page
    attributes = dict.fromkeys(html.unescape(value) for value in _STYLE_ATTRIBUTE.findall(body))
    return PageParts(tuple(_STYLE.findall(page)), body, tuple(attributes))


def element(text: str, tag: str, value: str, attribute: str = "id") -> str:
    """The first element `<tag ... attribute="value" ...>` with everything up to its closing tag ('' if absent)."""
    opening = re.search(rf'<{tag}\b[^>]*\b{attribute}="{re.escape(value)}"[^>]*>', text)
    if opening is None:
        return ""
    depth = 0
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", text[opening.start():]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return text[opening.start():opening.start() + match.end()]
    return text[opening.start():]


def without(text: str, tag: str, value: str, attribute: str = "id") -> str:
    """`text` with the element `element` finds taken out."""
    found = element(text, tag, value, attribute)
    return text.replace(found, "", 1) if found else text


def sources_cited_in(listed: str, part: str) -> str:
    """A report's list of sources (`listed`) with only the entries `part` of it cites (by their numbers)."""
    cited = set(re.findall(r'href="#source-(\d+)"', part))
    return re.sub(r'<li id="source-(\d+)">.*?</li>\n?', lambda m: m.group(0) if m.group(1) in cited else "", listed)


def csp_hash(text: str) -> str:
    """A Content-Security-Policy source for exactly this inline style text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(styles: Iterable[str] = (), style_attributes: Iterable[str] = ()) -> str:
    """The page's policy: nothing from another host, scripts and styles from this service only, and the
    inline styles of an embedded page allowed by their hashes alone."""
    inline = [csp_hash(text) for text in (*styles, *style_attributes)]
    hashes = " ".join(inline)
    unsafe_hashes = " 'unsafe-hashes'" if style_attributes else ""
    style_src = f"'self'{unsafe_hashes}{' ' + hashes if hashes else ''}"
    return ("default-src 'none'; script-src 'self'; " f"style-src {style_src}; "
            "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
