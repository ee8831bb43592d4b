"""What a designation or meeting request states beyond the facts the rules read: who the sponsor
is and how to reach it, what the product is, and the narrative each request asks for. No rule
reads these fields; `bgtc draft` writes them into the request, and flags each one left out."""

# No `from __future__ import annotations`: pydantic would evaluate every field's annotation from
# its text when the class is made (a fifth of making a dossier model, on every cold start).

from pydantic import Field

from bgtc_rules.dossier.types import Flag, Name, StrictModel, Text


class Contact(StrictModel):
    """The sponsor's primary contact person (or resident agent) for the request."""

    name: Name
    title: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=500)
    phone: str | None = Field(None, max_length=50)
    email: str | None = Field(None, max_length=200)


class Filing(StrictModel):
    sponsor_address: str | None = Field(None, max_length=500, description="The sponsor's postal address.")
    contact: Contact | None = None
    foreign_sponsor: Flag | None = Field(None, description="The sponsor is located outside the United States.")
    us_agent: Contact | None = Field(
        None, description="A foreign sponsor's agent who lives in the United States (21 CFR 316.22)."
    )
    ind_number: str | None = Field(None, max_length=50, description="The IND number, once there is one.")
    proper_name: str | None = Field(
        None, max_length=200, description="The product's proper (generic) name, or a meaningful descriptive name."
    )
    trade_name: str | None = Field(None, max_length=200, description="The proprietary (trade) name, if any.")
    manufactured_by_sponsor: Flag | None = None
    drug_source: str | None = Field(
        None, max_length=500, description="Name and address of the manufacturer, if not the sponsor."
    )
    proposed_indication: Text | None = Field(None, description="The proposed use, as an indication statement.")
    disease_description: Text | None = Field(None, description="A description of the disease or condition.")
    therapy_need: Text | None = Field(None, description="Why a new therapy is needed for the disease.")
    product_description: Text | None = Field(
        None, description="What the product is: vector, capsid, transgene, regulatory elements, dose form, route."
    )
    scientific_rationale: Text | None = Field(
        None, description="Why the product is expected to work in the disease (mechanism and supporting data)."
    )
    nonclinical_data: Text | None = Field(None, description="A summary of the nonclinical studies and their results.")
    clinical_data: Text | None = Field(
        None, description="A summary of the clinical data: design, patients treated, dosing, outcomes and safety."
    )
    development_plan: Text | None = Field(
        None, description="How the planned studies will evaluate the product's potential for the unmet need."
    )
    regulatory_status: Text | None = Field(
        None, description="Regulatory status and marketing history in the U.S. and abroad."
    )
    foreign_status: Text | None = Field(
        None, description="Uses under investigation in other countries (and where), and indications approved there."
    )
    adverse_regulatory_actions: Text | None = Field(
        None, description="Adverse regulatory actions taken against the product in any country ('none' if none)."
    )
    safety_summary: Text | None = Field(
        None, description="A summary of the safety data so far: adverse events, serious adverse events, their causes."
    )
    orphan_subset: Flag | None = Field(
        None, description="The orphan request is for a subset of persons with a disease that is not itself rare."
    )
    subset_rationale: Text | None = Field(None, description="Why that subset is medically plausible.")
    same_drug_approved: Flag | None = Field(
        None, description="The same drug is already approved for the same rare disease."
    )
    clinical_superiority_hypothesis: Text | None = Field(
        None, description="The plausible hypothesis that the product may be clinically superior to the approved drug."
    )
    pediatric_age_data: Text | None = Field(
        None, description="Data on the ages at which the serious or life-threatening manifestations occur."
    )
    prior_submissions: list[Name] | None = Field(
        None, description="Documents already submitted to the IND that support the request; [] means none."
    )
