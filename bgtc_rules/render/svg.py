"""What the reports' inline SVG shares: escaping, safe URLs and the opening of a drawing (`gantt`
draws the plan, `diagram` an explanation). How truth values and determinations look is
`language.truth` and `engine.determination`.

Pure layout. Positions come from the plan's dates (as `build_plan` computed them: no day count
is recomputed here) and from the shape of the proof trees; nothing is decided here. The SVG has
no scripts, fonts or external references, is the same bytes for the same input, and every mark
says what it means in text or by symbol as well as by colour; `<title>` elements carry full text
wherever a label had to be shortened.
"""

from __future__ import annotations

import html
from urllib.parse import quote

FONT = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
RULE = "#d0d7de"


def esc(text: str) -> str:
    """Text (or an attribute value) escaped for HTML and SVG."""
    return html.escape(text, quote=True)


def safe_url(url: str) -> str:
    """A cited URL with the characters a URL may not contain percent-encoded (quotes, angle
    brackets, spaces, ...); reserved characters and existing %-escapes are kept.

    Examples:
        >>> safe_url('https://example.test/a b"<c>?q=1&r=%20')
        'https://example.test/a%20b%22%3Cc%3E?q=1&r=%20'
    """
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def wrap(text: str, limit: int, lines: int) -> list[str]:
    """`text` in lines of at most `limit` characters, broken at spaces (a word longer than a line
    is broken inside); at most `lines` lines, the last ending in an ellipsis only if text is left.

    Examples:
        >>> wrap("Surrogate or intermediate clinical endpoint effect", 20, 3)
        ['Surrogate or', 'intermediate', 'clinical endpoint e…']
        >>> wrap("surrogate_or_intermediate_effect", 12, 4)
        ['surrogate_or', '_intermediat', 'e_effect']
    """
    words = " ".join(text.split()).split(" ")
    out: list[str] = []
    current = ""
    for word in words:
        while len(word) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], shorten(" ".join(out[lines - 1:]), limit)]
    return out


def fits(width: float, char_width: float) -> int:
    return max(int(width // char_width), 4)


def svg_open(width: int, height: int, css: str, label_id: str, label: str, extra: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" aria-labelledby="{label_id}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="{esc(FONT)}" font-size="12"{extra}>\n'
            f'<title id="{label_id}">{esc(label)}</title>\n')
