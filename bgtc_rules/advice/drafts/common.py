"""Elements every request shares: where the program stands, who the sponsor is, what the product
is called, and the dated timeline of the request (from the plan's day counts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.drafts.model import Element, Fragment, Gap, Line, Section
from bgtc_rules.advice.drafts.reader import Reader, bullet, line
from bgtc_rules.advice.drafts.sources import TOOL
from bgtc_rules.advice.labels import label
from bgtc_rules.advice.plan import request_timeline
from bgtc_rules.advice.standing import DesignationState, standing_text
from bgtc_rules.engine.results import ProgramAssessment
from bgtc_rules.language.catalog import base_path
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Citation, Program


@dataclass(frozen=True)
class Context:
    """Everything one draft is written from."""

    reader: Reader
    assessment: Assessment
    rulebase: RuleBase
    program: Program
    item: ProgramAssessment
    start: dt.date


@dataclass(frozen=True)
class Body:
    """What a request family writes: the title, its sections, and notes on unclear sources."""

    title: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()


CONTACT_FIELDS = ("title", "address", "phone", "email")


def status_section(item: ProgramAssessment, state: DesignationState | None = None) -> Section:
    """The assessment's answer for this program, and the unknown facts that would decide it; first,
    for a designation held or pending (`state`), that it is not to be requested again."""
    lines = []
    if state is not None and state.asked:
        lines.append(line(f"{standing_text(state)} This designation is not to be requested again; this draft "
                          "is for reference only."))
    lines.append(line(f"Determination: {label(item.determination)}. ", item.reason))
    seen: set[str] = set()
    for missing in item.missing:
        path = base_path(missing.path)
        if path not in seen:
            seen.add(path)
            lines.append(bullet("Still to find out: ", Gap(path, missing.question)))
    lines.extend(bullet(f"Caveat {number}: {caveat}") for number, caveat in enumerate(dict.fromkeys(item.caveats), 1))
    return Section("Where the program stands", (Element("Assessment", TOOL, tuple(lines)),))


def contact_lines(reader: Reader, field: str = "filing.contact", role: str = "Primary contact",
                  short: str = "Contact") -> list[Line]:
    """A person's name and details (the primary contact, or a foreign sponsor's U.S. agent), each
    detail the dossier leaves out flagged with the contact question for it."""
    person = reader.value(field)
    if person is None:
        return [bullet(f"{role}: ", reader.gap(field))]
    lines = [bullet(f"{role}: ", person["name"])]
    for key in CONTACT_FIELDS:
        detail = reader.text(f"{field}.{key}") if person.get(key) is not None else Gap(
            f"{field}.{key}", reader.ask(f"filing.contact.{key}"))
        lines.append(bullet(f"{short} {key}: ", detail))
    return lines


def sponsor_lines(reader: Reader) -> list[Line]:
    return [
        bullet("Sponsor: ", reader.text("program.sponsor")),
        bullet("Sponsor address: ", reader.text("filing.sponsor_address")),
        *contact_lines(reader),
    ]


def names_lines(reader: Reader) -> list[Line]:
    return [
        bullet("Product code or name: ", str(reader.value("program.name"))),
        bullet("Proper (generic) name: ", reader.text("filing.proper_name")),
        bullet("Trade name: ", reader.text("filing.trade_name")),
    ]


def product_facts(reader: Reader) -> list[Line]:
    """What the dossier's rule facts say about the product, for the description elements."""
    facts: list[Fragment] = []
    for path, name in (("program.modality", "modality"), ("program.capsid", "capsid"),
                        ("program.route", "route"), ("program.mechanism", "mechanism")):
        value = reader.value(path)
        if value is not None:
            facts.append(f"{name}: {label(value)}")
    return [bullet("From the dossier: ", "; ".join(str(f) for f in facts))] if facts else []


def disease_fragment(reader: Reader) -> Fragment:
    return reader.text("indication.disease")


def office_text(reader: Reader) -> str:
    """Where a gene or cell therapy request goes; other products go to the review division holding the IND."""
    modality = reader.value("program.modality")
    if modality in (None, "small_molecule", "biologic", "antisense_or_rna"):
        return "the CDER or CBER review division responsible for the product"
    return "CBER, Office of Therapeutic Products (OTP)"


def timeline_section(program: Program, start: dt.date) -> Section:
    """The dated steps of the request, each day count with the source the rules give it."""
    events, undated = request_timeline(program, start)
    lines = [bullet(f"{event.date.isoformat()}: {event.title}", f" ({event.basis})" if event.basis else "",
                    f" — {event.day_note}" if event.day_note else "")
             for event in events]
    lines.extend(bullet(f"No date: {text}") for text in undated)
    citation = program.citations[0]
    if program.timeline is not None or program.response is not None:
        timing = program.timeline.response_to_request if program.timeline else program.response
        if timing is not None and timing.citations:
            citation = timing.citations[0]
    lines.append(line("Day counts are FDA goals or statutory or regulatory deadlines, not guarantees."))
    return Section(f"Timeline (request sent {start.isoformat()})",
                   (Element("Dated steps (as bgtc plan computes them)", citation, tuple(lines)),))


def program_element(program: Program, title: str, lines: list[Line], citation: Citation | None = None) -> Element:
    return Element(title, citation or program.citations[0], tuple(lines))
