"""The words a reader sees for a coded value (of a dossier field, or a determination): `ind_active`
is "IND in effect", not "ind active"; `undetermined` is "cannot tell yet".

One lookup for every renderer and draft; a value without an entry reads as its words, with the
underscores as spaces (`natural_history` -> "natural history"), which is right for most of them.
"""

from __future__ import annotations

from enum import StrEnum

from bgtc_rules.dossier.meeting import Discipline, MeetingFormat, Topic
from bgtc_rules.dossier.schema import (
    Comparator,
    DesignatedProgram,
    Modality,
    Phase,
    Route,
    Stage,
)
from bgtc_rules.engine.determination import Determination

# Only the values whose words alone would read wrongly: abbreviations, hyphens, slashes, names. A
# value two enums share ("other", "none", "clinical") reads the same in both, so it has no entry here.
_LABELS: dict[StrEnum, str] = {
    Modality.AAV_GENE_THERAPY: "AAV gene therapy",
    Modality.ANTISENSE_OR_RNA: "antisense or RNA therapy",
    Modality.OTHER_IN_VIVO_GENE_THERAPY: "other in vivo gene therapy",
    Route.EX_VIVO: "ex vivo (cells modified outside the body)",
    Stage.IND_ENABLING: "IND-enabling studies",
    Stage.IND_ACTIVE: "IND in effect",
    Stage.BLA_SUBMITTED: "BLA submitted",
    Stage.BLA_APPROVED: "BLA approved",
    Phase.PHASE_1: "phase 1",
    Phase.PHASE_1_2: "phase 1/2",
    Phase.PHASE_2: "phase 2",
    Phase.PHASE_3: "phase 3",
    Comparator.PRIOR_THERAPY: "each patient's course on prior therapy",
    DesignatedProgram.ORPHAN_DRUG_DESIGNATION: "orphan drug designation",
    DesignatedProgram.RARE_PEDIATRIC_DISEASE: "rare pediatric disease designation",
    DesignatedProgram.RMAT: "RMAT designation",
    DesignatedProgram.PLATFORM_TECHNOLOGY: "platform technology designation",
    DesignatedProgram.AMT: "advanced manufacturing technology (AMT) designation",
    DesignatedProgram.CNPV: "Commissioner's National Priority Voucher",
    DesignatedProgram.RDEP: "Rare Disease Evidence Principles (RDEP)",
    **{determination: determination.look.label for determination in Determination},
    Discipline.CMC: "CMC (chemistry, manufacturing and controls)",
    Discipline.PHARMACOLOGY_TOXICOLOGY: "pharmacology/toxicology",
    Topic.FIRST_IN_HUMAN_DESIGN: "first-in-human trial design",
    Topic.BLA_CONTENT: "BLA content",
    MeetingFormat.IN_PERSON: "in person",
    MeetingFormat.WRITTEN_RESPONSE_ONLY: "written response only",
}
_BY_VALUE = {str(member.value): text for member, text in _LABELS.items()}


def label(value: object) -> str:
    """The reader's words for a coded value (an enum member or its value).

    Examples:
        >>> label("ind_active"), label(Modality.AAV_GENE_THERAPY), label("natural_history"), label("phase_1_2")
        ('IND in effect', 'AAV gene therapy', 'natural history', 'phase 1/2')
    """
    text = str(value.value if isinstance(value, StrEnum) else value)
    return _BY_VALUE.get(text, text.replace("_", " "))
