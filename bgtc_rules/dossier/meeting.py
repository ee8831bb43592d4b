"""What the sponsor wants from a formal meeting with FDA: its draft questions, each with its topic
and discipline, and the facts a meeting request states (purpose, format, dates, attendees)."""

# No `from __future__ import annotations`: pydantic would evaluate every field's annotation from
# its text when the class is made (a fifth of making a dossier model, on every cold start).

from enum import StrEnum

from pydantic import Field

from bgtc_rules.dossier.types import Day, Flag, Name, StrictModel, Text


class Discipline(StrEnum):
    CMC = "cmc"
    PHARMACOLOGY_TOXICOLOGY = "pharmacology_toxicology"
    CLINICAL = "clinical"
    CLINICAL_PHARMACOLOGY = "clinical_pharmacology"
    STATISTICS = "statistics"
    REGULATORY = "regulatory"


class Topic(StrEnum):
    PRODUCT_CHARACTERIZATION = "product_characterization"
    MANUFACTURING_PROCESS = "manufacturing_process"
    TOXICOLOGY_DESIGN = "toxicology_design"
    FIRST_IN_HUMAN_DESIGN = "first_in_human_design"
    TRIAL_DESIGN = "trial_design"
    ENDPOINTS = "endpoints"
    SURROGATE_ENDPOINT = "surrogate_endpoint"
    NATURAL_HISTORY = "natural_history"
    PEDIATRIC_PLAN = "pediatric_plan"
    SAFETY_ISSUE = "safety_issue"
    CLINICAL_HOLD = "clinical_hold"
    DISPUTE = "dispute"
    BLA_CONTENT = "bla_content"
    OTHER = "other"


class MeetingFormat(StrEnum):
    """How the sponsor asks to meet (FDA decides the format when it grants the meeting)."""

    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    TELECONFERENCE = "teleconference"
    WRITTEN_RESPONSE_ONLY = "written_response_only"


class Question(StrictModel):
    """One of the sponsor's draft questions for FDA."""

    text: str = Field(min_length=1, max_length=2000)
    topic: Topic
    discipline: Discipline
    context: Text | None = Field(
        None, description="Why it is asked: the background FDA needs, and the sponsor's position."
    )


class Attendee(StrictModel):
    name: Name
    title: str | None = Field(None, max_length=200, description="Title or role, e.g. Head of CMC.")
    affiliation: str | None = Field(None, max_length=200, description="Employer, if not the sponsor.")


class MeetingNeeds(StrictModel):
    questions: list[Question] | None = Field(
        None, description="The sponsor's draft questions for FDA, with topic and discipline; [] means none."
    )
    program_stalled: Flag | None = None
    dispute: Flag | None = None
    complex_issue: Flag | None = None
    purpose: Text | None = Field(
        None, description="The purpose and objectives of the meeting, and where it fits in the development plan."
    )
    requested_format: MeetingFormat | None = None
    proposed_dates: list[Day] | None = Field(
        None, description="Dates the sponsor proposes for the meeting, in order of preference."
    )
    attendees: list[Attendee] | None = Field(None, description="Who will attend for the sponsor.")
    requested_fda_disciplines: list[Discipline] | None = Field(
        None, description="FDA disciplines the sponsor asks to attend, beyond those its questions name."
    )
