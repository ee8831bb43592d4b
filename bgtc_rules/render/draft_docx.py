"""A request draft as a Word document (python-docx, imported only here and only when asked): a
heading per section and element, the citation under each element, every gap as a bold
highlighted `[MISSING: field — question]` run that the sponsor replaces with the answer."""

from __future__ import annotations

import io
from typing import Any

from bgtc_rules.advice.drafts import Draft, Gap, Line


def _paragraph(document: Any, line: Line) -> None:
    from docx.enum.text import WD_COLOR_INDEX

    paragraph = document.add_paragraph(style="List Bullet" if line.bullet else None)
    for fragment in line.fragments:
        if isinstance(fragment, Gap):
            run = paragraph.add_run(fragment.marker)
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            paragraph.add_run(fragment)


def render_draft_docx(draft: Draft) -> bytes:
    """The draft as DOCX bytes. The document's core properties carry no time stamp, so the same
    draft gives the same document body."""
    import datetime as dt

    from docx import Document
    from docx.shared import Pt

    document = Document()
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    document.core_properties.created = epoch
    document.core_properties.modified = epoch
    document.core_properties.title = draft.title
    document.add_heading(draft.title, level=0)
    document.add_paragraph().add_run(f"{draft.disclaimer} First draft: check every element against the cited "
                                     "text before filing.").italic = True
    facts = [f"Dossier: {draft.dossier_name}", f"rules as of {draft.as_of.isoformat()}",
             f"request date {draft.start.isoformat()}"]
    if draft.determination:
        facts.append(f"assessment: {draft.determination.replace('_', ' ')}")
    facts.append(f"{len(draft.gaps)} gap(s) flagged")
    document.add_paragraph(" · ".join(facts))
    for section in draft.sections:
        document.add_heading(section.title, level=1)
        for element in section.elements:
            document.add_heading(element.title, level=2)
            citation = element.citation
            url = f" <{citation.url}>" if citation.url else ""
            answers = document.add_paragraph().add_run(
                f"Answers: {citation.document}, {citation.section}{url}")
            answers.italic = True
            answers.font.size = Pt(9)
            for line in element.lines:
                _paragraph(document, line)
    if draft.notes:
        document.add_heading("Notes on the sources", level=1)
        for note in draft.notes:
            document.add_paragraph(note, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
