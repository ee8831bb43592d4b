"""Formal meeting requests (INTERACT, pre-IND, Type A, B, B(EOP), C, D): the content of a meeting
request under the PDUFA formal-meetings guidance, with the sponsor's questions grouped by
discipline, and the dated timeline of the meeting."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bgtc_rules.advice.drafts import aav
from bgtc_rules.advice.drafts.common import Body, Context, disease_fragment, office_text, timeline_section
from bgtc_rules.advice.drafts.model import Element, Line, Section
from bgtc_rules.advice.drafts.reader import Reader, bullet, line
from bgtc_rules.advice.drafts.sources import INTERACT_PAGE, MEETING_REQUEST_SUMMARY, MEETINGS_GUIDANCE
from bgtc_rules.advice.labels import label

DISCIPLINES = {"cmc": "CMC", "pharmacology_toxicology": "Pharmacology/toxicology", "clinical": "Clinical",
               "clinical_pharmacology": "Clinical pharmacology", "statistics": "Statistics",
               "regulatory": "Regulatory"}


EARLY_MEETINGS = ("mtg_interact", "mtg_pre_ind")
EARLY_MEETING_NOTES = (
    "Where INTERACT ends and the pre-IND meeting begins follows OTP's INTERACT page: INTERACT once the product is "
    "identified and preliminary proof-of-concept studies are done with it, before definitive toxicology studies "
    "are designed and conducted; questions on definitive toxicology go to the pre-IND meeting. FDA's November 2024 "
    "draft guidance 'Frequently Asked Questions — Developing Potential Cellular and Gene Therapy Products' (docket "
    "FDA-2024-D-4311, not final) answers this too; only its description on FDA's page and press accounts of it "
    "were read, none of which contradicts the split above.",
    "Examples of what sponsors send: the NIH PaVe-GT program published its INTERACT meeting documents and target "
    "product profile for an academic AAV9 gene therapy (Hum Gene Ther 2025;36(5-6):653-662, "
    "doi:10.1089/hum.2024.230), and the Bespoke Gene Therapy Consortium's Regulatory Playbook (version 1.0, FNIH, "
    "February 2024) covers preparing for FDA meetings up to the IND. Only their abstracts and announcements were "
    "read here.",
)


def _questions(r: Reader) -> list[dict[str, Any]] | None:
    value = r.value("meeting.questions")
    return None if value is None else list(value)


def _grouped(questions: list[dict[str, Any]]) -> list[Line]:
    lines: list[Line] = []
    number = 0
    for discipline in dict.fromkeys(q["discipline"] for q in questions):
        lines.append(line(f"{DISCIPLINES[discipline]}:"))
        for question in (q for q in questions if q["discipline"] == discipline):
            number += 1
            context = f" (context: {question['context']})" if question.get("context") else ""
            lines.append(bullet(f"Question {number} [{label(question['topic'])}]: {question['text']}{context}"))
    return lines


def _agenda(r: Reader, questions: list[dict[str, Any]] | None) -> list[Line]:
    if questions is None:
        return [line("The agenda follows the questions: ", r.gap("meeting.questions"))]
    disciplines = list(dict.fromkeys(q["discipline"] for q in questions))
    return [bullet("Introductions and objectives"),
            *[bullet(f"{DISCIPLINES[d]} questions") for d in disciplines],
            bullet("Summary of agreements and action items")]


def _attendees(r: Reader) -> list[Line]:
    attendees = r.value("meeting.attendees")
    if attendees is None:
        return [bullet("Sponsor attendees: ", r.gap("meeting.attendees"))]
    if not attendees:
        return [bullet("Sponsor attendees: none listed yet")]
    return [bullet(", ".join(str(p) for p in (a["name"], a.get("title"), a.get("affiliation")) if p))
            for a in attendees]


def _fda_disciplines(r: Reader, questions: list[dict[str, Any]] | None) -> Line:
    asked = [q["discipline"] for q in questions or ()]
    extra = r.value("meeting.requested_fda_disciplines") or []
    wanted = list(dict.fromkeys(asked + list(extra)))
    if not wanted:
        return bullet("FDA disciplines requested: ", r.gap("meeting.requested_fda_disciplines"))
    return bullet("FDA disciplines requested: " + ", ".join(DISCIPLINES[d] for d in wanted))


def _request_elements(ctx: Context, questions: list[dict[str, Any]] | None) -> tuple[Element, ...]:
    r, program, item = ctx.reader, ctx.program, ctx.item
    question_lines = [line(r.gap("meeting.questions"))] if questions is None else (
        _grouped(questions) or [line("No questions are listed yet; FDA expects the request to list them, grouped "
                                     "by discipline.")])
    return (
        Element("Product, application and indication", MEETING_REQUEST_SUMMARY, (
            bullet(f"Product: {r.value('program.name')}"),
            bullet("Proper name: ", r.text("filing.proper_name")),
            bullet("Application number: ", r.text("filing.ind_number")),
            bullet("Structure (for a biologic, its description): ", r.text("filing.product_description")),
            bullet("Proposed indication or context of development: ", r.text("filing.proposed_indication")),
            bullet("Disease: ", disease_fragment(r)),
            bullet(f"Sent to: {office_text(r)}"))),
        Element("Meeting type requested, and why", MEETINGS_GUIDANCE, (
            line(f"The sponsor requests a {program.name}. {program.summary}"),
            bullet(f"bgtc assessment: {label(item.determination)}: {item.reason}"))),
        Element("Purpose and objectives", MEETING_REQUEST_SUMMARY, (
            line(r.text("meeting.purpose")),)),
        Element("Proposed agenda", MEETING_REQUEST_SUMMARY, tuple(_agenda(r, questions))),
        Element("Questions, grouped by discipline", MEETING_REQUEST_SUMMARY, tuple(question_lines)),
        Element("Attendees", MEETING_REQUEST_SUMMARY, (*_attendees(r), _fda_disciplines(r, questions))),
        Element("Requested format and dates", MEETINGS_GUIDANCE, (
            bullet("Format: ", r.text("meeting.requested_format", label)),
            bullet("Proposed dates: ", r.text("meeting.proposed_dates")))),
    )


def _type_d_scope(ctx: Context, questions: list[dict[str, Any]] | None) -> Element:
    lines = [line(ctx.program.summary)]
    if questions is None:
        lines.append(line("Scope check: ", ctx.reader.gap("meeting.questions")))
    else:
        topics, disciplines = Counter(q["topic"] for q in questions), Counter(q["discipline"] for q in questions)
        lines.append(bullet(f"This request: {len(questions)} question(s), {len(topics)} topic(s), "
                            f"{len(disciplines)} discipline(s)."))
        lines.append(bullet(f"bgtc assessment of the Type D scope: {ctx.item.determination.value}: {ctx.item.reason}"))
    return Element("Type D limits on topics and questions", ctx.program.citations[0], tuple(lines))


def _interact_package() -> Element:
    return Element("Meeting package (sent with the request)", INTERACT_PAGE, (
        line("Send the package with the request, succinct and no longer than 50 pages, with sections for CMC "
             "(product, manufacturing, characterization and lot release tests), pharmacology/toxicology (all studies "
             "so far with the intended clinical product; the further proof-of-concept studies planned, with protocol "
             "outlines) and clinical plans, the sponsor's position and justification for each question, and copies "
             "of the publications referred to. Questions on definitive toxicology belong in the pre-IND meeting."),))


def meeting_request(ctx: Context) -> Body:
    questions = _questions(ctx.reader)
    elements = list(_request_elements(ctx, questions))
    if ctx.program.id == "mtg_type_d":
        elements.append(_type_d_scope(ctx, questions))
    if ctx.program.id == "mtg_interact":
        elements.append(_interact_package())
    request = Section(f"{ctx.program.name} request", tuple(elements))
    notes: tuple[str, ...]
    notes = ("The formal-meetings guidance cited is the September 2023 revised draft (88 FR 65395; not final in "
             "the material reviewed); the request content list was read in FDA CDER's summary of the guidance "
             "('Navigate' pages 19-20), not in the guidance's own text. OTP's pages ask a Type A or D request for the "
             "specific objectives and the list of questions, grouped by discipline for Type A.",)
    if ctx.program.id in EARLY_MEETINGS:
        notes += EARLY_MEETING_NOTES
    sections: tuple[Section, ...] = (request, timeline_section(ctx.program, ctx.start))
    if aav.offered(ctx.program.id, ctx.reader):
        sections = (request, aav.suggested_section(), sections[1])
        notes += ("The suggested AAV questions cite FDA's gene therapy guidances as read on FDA's pages (title, "
                  "date, docket and scope; the bodies were not read), or, where no FDA text was found, a published "
                  "review marked as secondary. The potency guidance is the December 2023 draft, not final.",)
    return Body(f"{ctx.program.name} request: {ctx.reader.value('program.name')}", sections, notes)
