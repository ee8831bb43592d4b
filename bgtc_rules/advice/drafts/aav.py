"""The questions sponsors of AAV gene therapies commonly bring to a pre-IND meeting, each with what
FDA's guidance (or, where no FDA text was read, the literature) says on it: offered in the pre-IND
meeting request when the dossier says the product is an AAV vector.

They are suggestions for the drafter, not questions the sponsor has asked: the request's own
questions stay those in the dossier."""

from __future__ import annotations

from dataclasses import dataclass

from bgtc_rules.advice.drafts.model import Element, Section
from bgtc_rules.advice.drafts.reader import Reader, bullet, line
from bgtc_rules.advice.drafts.sources import (
    AAV_ANTIBODY_ASSAYS,
    AAV_IMMUNE_RESPONSE,
    GT_CMC_GUIDANCE,
    GT_LTFU_GUIDANCE,
    GT_POTENCY_GUIDANCE,
    GT_SHEDDING_GUIDANCE,
)
from bgtc_rules.dossier.schema import Modality
from bgtc_rules.language.spec import Citation

PRE_IND = "mtg_pre_ind"


@dataclass(frozen=True)
class SuggestedQuestion:
    topic: str
    question: str
    basis: str  # what the cited text says, in plain words (and what was not read)
    citation: Citation


SUGGESTED = (
    SuggestedQuestion(
        "Screening patients for antibodies to the capsid",
        "Does FDA agree with the plan to screen patients for pre-existing antibodies to the capsid: the assay, "
        "its cut-off, and whether the test needs to be developed as a companion diagnostic?",
        "No FDA text on this was read. A 2024 review by assay scientists says that a test deciding who may be "
        "treated must be validated for that use, and that such a test is an investigational diagnostic which may "
        "need to be approved with the product as its companion diagnostic.",
        AAV_ANTIBODY_ASSAYS),
    SuggestedQuestion(
        "Long-term follow-up",
        "Does FDA agree with the proposed duration and content of long-term follow-up for delayed adverse events "
        "after this vector?",
        "FDA's 2020 guidance asks the sponsor to assess the risk of delayed adverse events (for example from "
        "integration into the genome, genome editing or prolonged expression) and says not every gene therapy "
        "needs long-term follow-up; up to 15 years is for the highest-risk products such as integrating vectors. "
        "The duration it gives for a non-integrating vector such as AAV was not read here.",
        GT_LTFU_GUIDANCE),
    SuggestedQuestion(
        "Shedding",
        "Does FDA agree that the planned shedding measurements (which samples, at which times, with which assay) "
        "are enough for the first study in patients?",
        "FDA's 2015 guidance covers virus-based gene therapies: shedding is release of the product from the "
        "patient (excreta, secreta, skin), distinct from its spread within the body, and the guidance says how and "
        "when shedding data should be collected in preclinical and clinical studies.",
        GT_SHEDDING_GUIDANCE),
    SuggestedQuestion(
        "Immunosuppression",
        "Does FDA agree with the proposed immunosuppressive regimen around dosing, and with how its risks and the "
        "immune response to the capsid will be monitored?",
        "No FDA text on this was read. A 2019 review reports T-cell responses to the capsid, with liver toxicity "
        "in some patients given high doses, which led to the use of immune suppression.",
        AAV_IMMUNE_RESPONSE),
    SuggestedQuestion(
        "Empty and full capsids",
        "Does FDA agree with the proposed specification for the proportion of empty (and partly filled) capsids in "
        "clinical lots, and with the method that measures it?",
        "FDA's 2020 guidance on the manufacturing information in a gene therapy IND asks for the product's "
        "characterization, its impurities (product-related ones included) and its specifications; whether it "
        "names empty capsids was not checked in its text.",
        GT_CMC_GUIDANCE),
    SuggestedQuestion(
        "Potency",
        "Does FDA agree with the potency assay proposed for releasing clinical lots, and with the plan to develop "
        "it further before later trials?",
        "FDA's December 2023 draft guidance (not final) asks for a science- and risk-based strategy to assure "
        "potency, built up during development, so that every lot released can achieve the intended effect.",
        GT_POTENCY_GUIDANCE),
)


def offered(program: str, reader: Reader) -> bool:
    """Whether the suggested questions belong in this draft: a pre-IND request for an AAV vector."""
    return program == PRE_IND and reader.value("program.modality") == Modality.AAV_GENE_THERAPY.value


def suggested_section() -> Section:
    return Section("Questions sponsors of AAV gene therapies often ask (suggestions; add those that apply above)",
                   tuple(Element(q.topic, q.citation, (bullet(f"Suggested question: {q.question}"),
                                                       line(f"What the text says: {q.basis}")))
                         for q in SUGGESTED))
