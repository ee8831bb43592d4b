"""The evidence dossier: what a sponsor knows about one program.

Every factual field is optional. A field left out is *unknown*, never false: a rule that
needs it reports "cannot tell yet" and asks for it. An empty list is a known "none"
(for example `available_therapies: []` states that no therapy is approved).
"""

# No `from __future__ import annotations`: pydantic would evaluate every field's annotation from
# its text when the class is made (a fifth of making a dossier model, on every cold start).

from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator

from bgtc_rules.dossier.access import ExpandedAccess, Pediatric
from bgtc_rules.dossier.filing import Filing
from bgtc_rules.dossier.meeting import MeetingNeeds
from bgtc_rules.dossier.types import Count, Day, Flag, StrictModel, Text

SCHEMA_VERSION = 1

class Modality(StrEnum):
    AAV_GENE_THERAPY = "aav_gene_therapy"
    OTHER_IN_VIVO_GENE_THERAPY = "other_in_vivo_gene_therapy"
    GENETICALLY_MODIFIED_CELLS = "genetically_modified_cells"
    CELL_THERAPY = "cell_therapy"
    ANTISENSE_OR_RNA = "antisense_or_rna"
    GENOME_EDITING = "genome_editing"
    BIOLOGIC = "biologic"
    SMALL_MOLECULE = "small_molecule"


class Mechanism(StrEnum):
    GENE_REPLACEMENT = "gene_replacement"
    GENE_EDITING = "gene_editing"
    GENE_KNOCKDOWN = "gene_knockdown"
    SPLICE_MODULATION = "splice_modulation"
    PROTEIN_REPLACEMENT = "protein_replacement"
    CELL_REPLACEMENT = "cell_replacement"
    OTHER = "other"


class Route(StrEnum):
    INTRAVENOUS = "intravenous"
    INTRATHECAL = "intrathecal"
    INTRACEREBROVENTRICULAR = "intracerebroventricular"
    INTRAPARENCHYMAL = "intraparenchymal"
    SUBRETINAL = "subretinal"
    INTRAVITREAL = "intravitreal"
    INTRAMUSCULAR = "intramuscular"
    EX_VIVO = "ex_vivo"
    OTHER = "other"


class Stage(StrEnum):
    """Where the program is; later stages imply the earlier ones happened."""

    RESEARCH = "research"
    IND_ENABLING = "ind_enabling"
    IND_ACTIVE = "ind_active"
    BLA_SUBMITTED = "bla_submitted"
    BLA_APPROVED = "bla_approved"


class Phase(StrEnum):
    NONE = "none"
    PHASE_1 = "phase_1"
    PHASE_1_2 = "phase_1_2"
    PHASE_2 = "phase_2"
    PHASE_2_3 = "phase_2_3"  # a combined or seamless phase 2/3 trial
    PHASE_3 = "phase_3"


class EndpointKind(StrEnum):
    CLINICAL = "clinical"
    INTERMEDIATE_CLINICAL = "intermediate_clinical"
    SURROGATE = "surrogate"
    BIOMARKER = "biomarker"


class SurrogateStatus(StrEnum):
    """For surrogate endpoints and biomarkers: how well accepted the endpoint is."""

    NOT_APPLICABLE = "not_applicable"
    VALIDATED = "validated"
    REASONABLY_LIKELY = "reasonably_likely"
    NOVEL = "novel"


class Comparator(StrEnum):
    """`prior_therapy`: each patient's documented course on the available therapy before treatment (a
    lead-in or records, e.g. bleeds on factor prophylaxis); `baseline`: the state before, without it;
    `concurrent_untreated`, `delayed_treatment`, `standard_of_care`: concurrent controls left untreated,
    treated later, or kept on standard care; `not_stated`: the record gives the effect, not its comparator."""

    PLACEBO = "placebo"
    ACTIVE_CONTROL = "active_control"
    NATURAL_HISTORY = "natural_history"
    EXTERNAL_CONTROL = "external_control"
    PRIOR_THERAPY = "prior_therapy"
    BASELINE = "baseline"
    CONCURRENT_UNTREATED = "concurrent_untreated"
    DELAYED_TREATMENT = "delayed_treatment"
    STANDARD_OF_CARE = "standard_of_care"
    NOT_STATED = "not_stated"
    NONE = "none"


class Effect(StrEnum):
    SUBSTANTIAL_IMPROVEMENT = "substantial_improvement"
    IMPROVEMENT = "improvement"
    NO_CHANGE = "no_change"
    WORSENING = "worsening"
    NOT_YET_MEASURED = "not_yet_measured"


class Advantage(StrEnum):
    """Ways a product can improve on available therapy (2014 expedited-programs guidance)."""

    IMPROVED_EFFECTIVENESS = "improved_effectiveness"
    AVOIDS_SERIOUS_SIDE_EFFECTS = "avoids_serious_side_effects"
    IMPROVED_DIAGNOSIS = "improved_diagnosis"
    REDUCES_TREATMENT_LIMITING_TOXICITY = "reduces_treatment_limiting_toxicity"
    EFFECTIVE_WHERE_AVAILABLE_FAILS = "effective_where_available_fails"
    ADDRESSES_EMERGING_NEED = "addresses_emerging_need"
    IMPROVED_ADHERENCE = "improved_adherence"
    REACHES_MANIFESTATION_AVAILABLE_CANNOT = "reaches_manifestation_available_cannot"
    DISEASE_MODIFYING_WHERE_AVAILABLE_SYMPTOMATIC = "disease_modifying_where_available_symptomatic"


class ManufacturingImprovement(StrEnum):
    REDUCES_DEVELOPMENT_TIME = "reduces_development_time"
    INCREASES_SUPPLY = "increases_supply"
    IMPROVES_QUALITY_CONTROL = "improves_quality_control"
    REDUCES_COST = "reduces_cost"


class DesignatedProgram(StrEnum):
    """FDA programs a sponsor can request and hold."""

    ORPHAN_DRUG_DESIGNATION = "orphan_drug_designation"
    RARE_PEDIATRIC_DISEASE = "rare_pediatric_disease"
    FAST_TRACK = "fast_track"
    BREAKTHROUGH_THERAPY = "breakthrough_therapy"
    RMAT = "rmat"
    PRIORITY_REVIEW = "priority_review"
    PLATFORM_TECHNOLOGY = "platform_technology_designation"
    AMT = "amt_designation"
    CNPV = "cnpv"
    RDEP = "rdep"


class NationalPriority(StrEnum):
    """National priorities of the Commissioner's National Priority Voucher pilot (2025)."""

    PUBLIC_HEALTH_CRISIS = "public_health_crisis"
    INNOVATIVE_THERAPY = "innovative_therapy"
    LARGE_UNMET_NEED = "large_unmet_need"
    ONSHORING = "onshoring"
    AFFORDABILITY = "affordability"


class DesignationStatus(StrEnum):
    PLANNED = "planned"
    REQUESTED = "requested"
    GRANTED = "granted"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"  # the sponsor withdrew the request
    RESCINDED = "rescinded"
    REVOKED = "revoked"


# What `bgtc init` writes in a required field: a dossier that still holds it was not filled in.
TEMPLATE_PLACEHOLDER = "(required)"


class ProgramInfo(StrictModel):
    name: str = Field(min_length=1, max_length=200, description="Name or code of the product.")
    sponsor: str | None = Field(None, max_length=200)
    modality: Modality | None = None
    capsid: str | None = Field(None, max_length=100, description="Capsid serotype, for AAV products.")
    route: Route | None = None
    mechanism: Mechanism | None = None
    sustained_effect: Flag | None = Field(
        None, description="For gene therapies: the product is expected to have a sustained effect on cells or tissues."
    )
    regulated_solely_under_361: Flag | None = Field(
        None, description="The product is regulated solely under PHS Act section 361 / 21 CFR 1271."
    )
    individualized: Flag | None = Field(
        None, description="Individualized (bespoke, n-of-1 or very-few-patient) therapy."
    )
    corrects_genetic_defect: Flag | None = Field(
        None, description="Corrects the causal gene defect or replaces the protein it leaves deficient."
    )
    targets_root_cause: Flag | None = Field(
        None, description="Targets the root cause or the proximate pathway of the disease."
    )
    target_engagement_confirmed: Flag | None = Field(
        None, description="Evidence (animal, non-animal or biopsy) that the target was engaged, edited or expressed."
    )
    national_priorities: list[NationalPriority] | None = Field(
        None, description="National priorities the product aligns with (CNPV); [] means none."
    )

    @field_validator("name")
    @classmethod
    def _filled_in(cls, name: str) -> str:
        if name.strip() == TEMPLATE_PLACEHOLDER:
            raise ValueError(f"still the template's {TEMPLATE_PLACEHOLDER!r}: write the product's name or code")
        return name


class Indication(StrictModel):
    disease: str | None = Field(None, max_length=200)
    us_prevalence: Count | None = Field(None, description="Persons in the U.S. with the disease.")
    us_prevalence_upper_bound: Count | None = Field(
        None, description="An upper bound on the U.S. prevalence, where only a range or a ceiling is known."
    )
    prevalence_source: str | None = Field(None, max_length=500)
    prevalence_basis: Text | None = Field(
        None, description="How the U.S. prevalence was estimated: method, data, population and the date it refers to."
    )
    serious: Flag | None = Field(None, description="The disease is serious or life-threatening.")
    seriousness_rationale: str | None = Field(None, max_length=2000)
    serious_manifestations_before_18: Flag | None = Field(
        None, description="The serious or life-threatening manifestations primarily affect ages 0 to 18."
    )
    childhood_onset: Flag | None = Field(
        None, description="The disease usually begins in childhood, whatever the ages of the people living with it."
    )
    genetic_cause_known: Flag | None = None
    genetic_defect_inborn: Flag | None = Field(
        None, description="The causal genetic defect is inborn (inherited or de novo), not acquired later in life."
    )
    progressive: Flag | None = Field(
        None, description="Progressive course leading to significant disability or death."
    )
    rapid_or_significant_decline: Flag | None = Field(
        None, description="Decline leads to rapid or significant disability or death in a relatively short time."
    )
    natural_history_characterized: Flag | None = None
    oncology: Flag | None = None
    life_threatening_or_severely_debilitating: Flag | None = Field(
        None, description="Life-threatening or severely debilitating (21 CFR 312 Subpart E)."
    )
    disability_or_death_first_decade: Flag | None = Field(
        None, description="Likely to cause significant disability or death within the first decade of life."
    )
    cost_recovery_expected: Flag | None = Field(
        None, description="U.S. sales are reasonably expected to recover development and supply costs."
    )


class AvailableTherapy(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    accelerated_approval_unverified: Flag = Field(
        False, description="Approved under accelerated approval with clinical benefit not yet verified."
    )


class TherapyLandscape(StrictModel):
    available_therapies: list[AvailableTherapy] | None = Field(
        None, description="Therapies approved in the U.S. for this indication; [] means none."
    )
    advantages: list[Advantage] | None = Field(
        None, description="How this product improves on available therapy; [] means no advantage claimed."
    )
    standard_of_care_is_procedure: Flag | None = Field(
        None, description="The U.S. standard of care is a procedure (transplant, transfusion), not an approved product."
    )


class Development(StrictModel):
    stage: Stage | None = None
    clinical_hold: Flag | None = None
    phase: Phase | None = None
    phase_1_completed: Flag | None = Field(None, description="A phase 1 trial of the product has been completed.")
    product_selected: Flag | None = None
    pre_ind_meeting_held: Flag | None = None
    end_of_phase_1_held: Flag | None = None
    end_of_phase_2_held: Flag | None = None
    pivotal_started: Flag | None = None
    pivotal_completed: Flag | None = None
    pre_bla_meeting_held: Flag | None = None
    natural_history_study: Flag | None = Field(
        None, description="A natural-history study of the disease is planned or ongoing."
    )
    priority_review_voucher_held: Flag | None = Field(
        None, description="The sponsor holds a priority review voucher to redeem with the BLA."
    )
    non_approval_action_received: Flag | None = Field(
        None, description="FDA issued a complete response or refuse-to-file letter on the application."
    )
    ind_in_ectd: Flag | None = None
    accelerated_timeline: Flag | None = Field(
        None, description="Clinical development is on an accelerated timeline (expedited program)."
    )


class Nonclinical(StrictModel):
    proof_of_concept: Flag | None = None
    definitive_toxicology_started: Flag | None = None
    cmc_aligned_with_clinical: Flag | None = None


class Endpoint(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    kind: EndpointKind
    surrogate_status: SurrogateStatus = SurrogateStatus.NOT_APPLICABLE
    comparator: Comparator
    effect: Effect


class Clinical(StrictModel):
    patients_dosed: Count | None = None
    any_patient_dosed: Flag | None = Field(
        None, description="At least one patient has received the product (when the count itself is not known)."
    )
    biomarker_suggests_clinical_effect: Flag | None = Field(
        None, description="The biomarker effect strongly suggests a clinically meaningful effect on the disease."
    )
    unstated_comparator_controlled: Flag | None = Field(
        None, description="An effect reported without its comparator was measured against a control or natural history."
    )
    endpoints: list[Endpoint] | None = Field(None, description="Endpoints measured so far; [] means none.")
    confirmatory_trial_planned: Flag | None = None
    novel_efficacy_endpoint: Flag | None = Field(
        None, description="The program proposes an efficacy endpoint never used to support an approval."
    )
    novel_surrogate_accepted: Flag | None = Field(
        None, description="FDA has agreed that the novel surrogate endpoint is reasonably likely to predict benefit."
    )


class Manufacturing(StrictModel):
    platform: str | None = Field(None, max_length=200)
    platform_in_approved_product: Flag | None = None
    platform_right_of_reference: Flag | None = None
    platform_multi_product_evidence: Flag | None = None
    platform_efficiencies_likely: Flag | None = None
    platform_safety_concern: Flag | None = Field(
        None, description="Serious safety events (such as deaths) have been linked to products using the platform."
    )
    novel_technology: Flag | None = Field(
        None, description="Uses a novel manufacturing technology or an established one in a novel way."
    )
    improvements: list[ManufacturingImprovement] | None = None
    quality_equivalent_or_better: Flag | None = None


class DesignationRecord(StrictModel):
    program: DesignatedProgram
    status: DesignationStatus
    date: Day | None = None


class Dossier(StrictModel):
    """An evidence dossier for one program and one indication."""

    # A section left out is that section with every field at its default. `model_construct` makes
    # it as validation would (no section has a validator, defaults are not validated) without
    # building the section's own validator, which `Section()` would do the first time: 4 ms of a
    # cold `bgtc evaluate` for the five sections a dossier typically leaves out.

    schema_version: Literal[1] = 1
    program: ProgramInfo
    indication: Indication = Field(default_factory=Indication.model_construct)
    therapy_landscape: TherapyLandscape = Field(default_factory=TherapyLandscape.model_construct)
    development: Development = Field(default_factory=Development.model_construct)
    nonclinical: Nonclinical = Field(default_factory=Nonclinical.model_construct)
    clinical: Clinical = Field(default_factory=Clinical.model_construct)
    manufacturing: Manufacturing = Field(default_factory=Manufacturing.model_construct)
    designations: list[DesignationRecord] | None = None
    meeting: MeetingNeeds = Field(default_factory=MeetingNeeds.model_construct)
    expanded_access: ExpandedAccess = Field(default_factory=ExpandedAccess.model_construct)
    pediatric: Pediatric = Field(default_factory=Pediatric.model_construct)
    filing: Filing = Field(default_factory=Filing.model_construct)
