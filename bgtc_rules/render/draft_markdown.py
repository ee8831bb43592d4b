"""A request draft as Markdown: headings per section and element, the citation each element
answers, and every gap as a bold `[MISSING: question]` marker. Text from the dossier is
escaped (`render.markdown.md`), so it cannot open a link, a tag or a heading."""

from __future__ import annotations

from collections.abc import Callable

from bgtc_rules.advice.drafts import Draft, Element, Gap, Line
from bgtc_rules.advice.labels import label
from bgtc_rules.language.spec import Citation
from bgtc_rules.render.markdown import cited, md, paragraph, source_lines
from bgtc_rules.render.source_list import SourceList


def gap_markdown(gap: Gap) -> str:
    return f"**[MISSING: {md(gap.question)}]**"


def _run(text: str, escape: Callable[[str], str]) -> str:
    """A text run escaped, keeping the spaces at its ends that join it to the next run."""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{escape(text)}{trail}"


def _line(line: Line) -> str:
    parts = []
    for index, fragment in enumerate(line.fragments):
        if isinstance(fragment, Gap):
            parts.append(gap_markdown(fragment))
        else:  # a paragraph's first run must not start a heading, quote or list
            parts.append(_run(fragment, paragraph if index == 0 and not line.bullet else md))
    text = "".join(parts)
    return f"- {text}" if line.bullet else text


def citation_markdown(citation: Citation, sources: SourceList) -> str:
    return f"*Answers:* {cited(sources, citation)}"


def _element(element: Element, sources: SourceList) -> list[str]:
    lines = [f"### {md(element.title)}", "", citation_markdown(element.citation, sources), ""]
    previous_bullet = False
    for line in element.lines:
        if previous_bullet and not line.bullet:
            lines.append("")
        lines.append(_line(line))
        if not line.bullet:
            lines.append("")
        previous_bullet = line.bullet
    if previous_bullet:
        lines.append("")
    return lines


def render_draft_markdown(draft: Draft) -> str:
    out = [f"# {md(draft.title)}", "", f"> {md(draft.disclaimer)} First draft: check every element against the "
           "cited text before filing.", ""]
    facts = [f"Dossier: {md(draft.dossier_name)}", f"rules as of {draft.as_of.isoformat()}",
             f"request date {draft.start.isoformat()}"]
    if draft.determination:
        facts.append(f"assessment: **{md(label(draft.determination))}**")
    gaps = len(draft.gaps)
    facts.append(f"{gaps} gap(s) flagged" if gaps else "no gaps flagged")
    out += [" · ".join(facts), ""]
    sources = SourceList()
    for section in draft.sections:
        out += [f"## {md(section.title)}", ""]
        for element in section.elements:
            out += _element(element, sources)
    if draft.notes:
        out += ["## Notes on the sources", ""]
        out += [f"- {md(note)}" for note in draft.notes]
        out.append("")
    out += source_lines(sources)
    return "\n".join(out).rstrip("\n") + "\n"
