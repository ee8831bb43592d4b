"""Treatment outside a clinical trial (expanded access for one patient, for an intermediate-size
group or under a treatment IND, and Right to Try), and what approval brings for children (PREA's
pediatric study plan, pediatric exclusivity)."""

# No `from __future__ import annotations`: pydantic would evaluate every field's annotation from
# its text when the class is made (a fifth of making a dossier model, on every cold start).

from pydantic import Field

from bgtc_rules.dossier.types import Flag, StrictModel


class ExpandedAccess(StrictModel):
    """Treatment with the investigational product outside a clinical trial (21 CFR 312 subpart I; FD&C 561B)."""

    patient_identified: Flag | None = None
    immediately_life_threatening: Flag | None = None
    comparable_alternative_available: Flag | None = Field(
        None, description="A comparable or satisfactory alternative therapy is available to the patient."
    )
    benefit_justifies_risk: Flag | None = None
    physician_judges_risk_acceptable: Flag | None = Field(
        None, description="The physician judges the product's probable risk no greater than the disease's."
    )
    available_under_other_protocol: Flag | None = Field(
        None, description="The patient can obtain the product under another IND or protocol (e.g. a trial)."
    )
    emergency: Flag | None = None
    patient_group_identified: Flag | None = Field(
        None, description="A group of patients outside the trials (more than one) is asking for the product."
    )
    safety_supports_group_size: Flag | None = Field(
        None, description="Safety data at the proposed dose and duration would justify a trial of that size."
    )
    preliminary_effectiveness: Flag | None = Field(
        None, description="At least preliminary clinical evidence of effect, or of a plausible pharmacologic effect."
    )
    pursuing_approval_diligently: Flag | None = Field(
        None, description="The sponsor is actively pursuing approval for the use with due diligence."
    )
    evidence_supports_treatment_use: Flag | None = Field(
        None, description="Clinical evidence (ordinarily phase 3, or compelling phase 2) supports treatment use."
    )
    patient_life_threatening: Flag | None = Field(
        None, description="The patient's disease is life-threatening: death is likely unless its course is interrupted."
    )
    patient_exhausted_approved_options: Flag | None = Field(
        None, description="The patient has exhausted approved treatment options and cannot join a trial of the product."
    )


class Pediatric(StrictModel):
    """Pediatric study obligations and incentives around the BLA (FD&C 505B; PHS Act 351(m))."""

    written_request_received: Flag | None = Field(
        None, description="FDA has issued a Written Request for pediatric studies of the product."
    )
    written_request_studies_accepted: Flag | None = Field(
        None, description="The studies FDA asked for were completed and their reports accepted by FDA."
    )
