"""A request draft as a Word document (python-docx, imported only here and only when asked): a
heading per section and element, every gap as a bold highlighted `[MISSING: field — question]` run
that the sponsor replaces with the answer.

What is the sponsor's to send stays in the body; what is only for the person drafting (which
item of which text an element answers, the notes on the sources) is set apart in the "Drafting
note" style, shaded and indented, to delete before filing. Web addresses are hyperlinks; every
page has the title and "first draft" in its header and "Page N of M" in its footer.

Word documents cannot hold control characters: the draft's text passes `safetext.visible` before
it goes into the document (as every other output does where it is written), and so does every run.
"""

from __future__ import annotations

import io
import re
from typing import Any

from bgtc_rules._version import __version__
from bgtc_rules.advice.drafts import Draft, Gap, Line
from bgtc_rules.advice.labels import label
from bgtc_rules.base.safetext import visible, visible_in
from bgtc_rules.render.source_list import SOURCES_HEADING, SourceList, secondary_note, text_reference

NOTE_STYLE = "Drafting note"
AUTHOR = "bgtc-rules"
_URL = re.compile(r"<?(https?://[^\s<>]+[^\s<>.,;:)\]])>?")


def _add_text(paragraph: Any, text: str, **font: Any) -> None:
    """`text` as runs, each web address in it (bare or in `<...>`) as a hyperlink."""
    position = 0
    for match in _URL.finditer(text):
        _run(paragraph, text[position:match.start()], **font)
        _hyperlink(paragraph, match.group(1), **font)
        position = match.end()
    _run(paragraph, text[position:], **font)


def _run(paragraph: Any, text: str, **font: Any) -> None:
    if text:
        run = paragraph.add_run(visible(text))
        for name, value in font.items():
            setattr(run, name, value)


def _hyperlink(paragraph: Any, url: str, **font: Any) -> None:
    """A clickable link to `url` showing `url` (python-docx has no call for it: the XML by hand)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.run import Run

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    element = OxmlElement("w:r")
    link.append(element)
    paragraph._p.append(link)
    run = Run(element, paragraph)
    run.text = visible(url)
    run.style = "Hyperlink"
    for name, value in font.items():
        setattr(run, name, value)


def _paragraph(document: Any, line: Line) -> None:
    from docx.enum.text import WD_COLOR_INDEX

    paragraph = document.add_paragraph(style="List Bullet" if line.bullet else None)
    for fragment in line.fragments:
        if isinstance(fragment, Gap):
            run = paragraph.add_run(fragment.marker)
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            _add_text(paragraph, fragment)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run._r.append(code)
        elif kind == "text":
            run.text = "1"
        else:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)


def _styles(document: Any) -> None:
    """The drafting-note paragraph style (small, grey, shaded, indented) and the hyperlink character style."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    note = document.styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = document.styles["Normal"]
    shading = OxmlElement("w:shd")  # first: python-docx then puts spacing and indent after it, in schema order
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "EDEDED")
    note.element.get_or_add_pPr().append(shading)
    note.font.size = Pt(9)
    note.font.italic = True
    note.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    note.paragraph_format.left_indent = Pt(18)
    note.paragraph_format.space_after = Pt(6)
    if "Hyperlink" not in [s.name for s in document.styles]:
        link = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.font.underline = True


def _header_and_footer(document: Any, draft: Draft) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{draft.title} · first draft, not for filing as is"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def render_draft_docx(draft: Draft) -> bytes:
    """The draft as DOCX bytes. The document's core properties carry no time stamp, so the same
    draft gives the same document body."""
    import datetime as dt

    from docx import Document

    draft = visible_in(draft)  # every text of it, from the dossier or the rules

    document = Document()
    properties = document.core_properties
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    properties.created = properties.modified = epoch
    properties.last_printed = epoch
    properties.title = draft.title
    properties.subject = draft.dossier_name
    properties.author = properties.last_modified_by = AUTHOR
    properties.comments = f"First draft written by bgtc-rules {__version__}. {draft.disclaimer}"
    properties.revision = 1
    _styles(document)
    _header_and_footer(document, draft)
    document.add_heading(draft.title, level=0)
    document.add_paragraph().add_run(f"{draft.disclaimer} First draft: check every element against the cited "
                                     "text before filing.").italic = True
    facts = [f"Dossier: {draft.dossier_name}", f"rules as of {draft.as_of.isoformat()}",
             f"request date {draft.start.isoformat()}"]
    if draft.determination:
        facts.append(f"assessment: {label(draft.determination)}")
    facts.append(f"{len(draft.gaps)} gap(s) flagged")
    document.add_paragraph(" · ".join(facts), style=NOTE_STYLE)
    sources = SourceList()
    for section in draft.sections:
        document.add_heading(section.title, level=1)
        for element in section.elements:
            document.add_heading(element.title, level=2)
            _add_text(document.add_paragraph(style=NOTE_STYLE),
                      f"Drafting note: this element answers {text_reference(sources, element.citation)}")
            for line in element.lines:
                _paragraph(document, line)
    if draft.notes:
        document.add_heading("Notes on the sources (for the drafter)", level=1)
        for note in draft.notes:
            _add_text(document.add_paragraph(style=NOTE_STYLE), note)
    if sources:
        document.add_heading(SOURCES_HEADING, level=1)
        for number, citation in sources.numbered():
            url = f" {citation.url}" if citation.url else ""
            _add_text(document.add_paragraph(style=NOTE_STYLE),
                      f"[{number}] {citation.document}{url}{secondary_note(citation)}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
