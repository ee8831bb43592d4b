"""Orphan-drug and rare pediatric disease designation requests, item by item of the governing text."""

from __future__ import annotations

from bgtc_rules.advice.drafts.common import (
    Body,
    Context,
    disease_fragment,
    names_lines,
    product_facts,
    sponsor_lines,
    timeline_section,
)
from bgtc_rules.advice.drafts.model import Element, Fragment, Line, Section
from bgtc_rules.advice.drafts.reader import Reader, bullet, line
from bgtc_rules.advice.drafts.sources import ORPHAN_SUBSET_RULE, RPD_GUIDANCE, RPD_STATUTE, orphan
from bgtc_rules.advice.standing import Standing
from bgtc_rules.dossier.schema import DesignationStatus

DATA_QUESTION = ("Summarise all nonclinical data available to the sponsor on the product in this disease, "
                 "positive, negative or inconclusive")
CLINICAL_QUESTION = "Summarise the clinical data so far (or state that there are none yet)"


def _conditional(reader: Reader, flag: str, flag_question: str, text: str, text_question: str,
                 not_applicable: str) -> list[Line]:
    """An item that applies only when a yes/no field is yes: its text, 'not applicable', or a gap."""
    value = reader.value(flag)
    if value is None:
        return [line(reader.text(flag, flag_question))]
    if value is False:
        return [line(not_applicable)]
    return [line(reader.text(text, text_question))]


def _prevalence_lines(reader: Reader) -> list[Line]:
    return [
        bullet("Estimated U.S. prevalence (persons): ", reader.text(
            "indication.us_prevalence", "How many people in the United States have the disease (prevalence, not "
            "incidence), as of the date of the request?", lambda n: f"{n:,}")),
        bullet("How the estimate was made: ", reader.text(
            "indication.prevalence_basis", "How was the U.S. prevalence estimated (method, data set, population, "
            "and the date it refers to)?")),
        bullet("Authoritative references (append complete copies): ", reader.text(
            "indication.prevalence_source", "Which published or registry sources support the prevalence estimate?")),
    ]


def _description_lines(reader: Reader) -> list[Line]:
    return [
        line(reader.text("filing.product_description", "What is the product: vector, capsid, transgene and "
                         "regulatory elements (the principal molecular structural features), dose form, route?")),
        *product_facts(reader),
        bullet("Scientific rationale: ", reader.text(
            "filing.scientific_rationale", "Why is the product expected to work in this disease (a medically "
            "plausible basis: mechanism and supporting data)?")),
        bullet("Nonclinical data: ", reader.text("filing.nonclinical_data", DATA_QUESTION)),
        bullet("Clinical data: ", reader.text("filing.clinical_data", CLINICAL_QUESTION)),
        line("Append full copies (not abstracts) of the pertinent published and unpublished papers, with a "
             "bibliography."),
    ]


def orphan_request(ctx: Context) -> Body:
    r = ctx.reader
    sponsor = r.text("program.sponsor", "Which company or institution sponsors the program?")
    request = Section("Request for orphan-drug designation (21 CFR 316.20(b))", (
        Element("1. Statement of the request", orphan("1"), (
            line(sponsor, f" requests orphan-drug designation of {r.value('program.name')} for the treatment of ",
                 disease_fragment(r), "."),)),
        Element("2. Sponsor, contact, names of the drug, and its source", orphan("2"), (
            *sponsor_lines(r), *names_lines(r),
            *[bullet("Source of the drug: ", fragment) for fragment in _source(r)])),
        Element("3. The rare disease, the proposed use, and why the therapy is needed", orphan("3"), (
            bullet("Disease: ", r.text("filing.disease_description", "Describe the disease: cause, course, "
                                       "affected population.")),
            bullet("Proposed use: ", r.text("filing.proposed_indication", "What is the proposed use (the indication "
                                            "statement)?")),
            bullet("Why the therapy is needed: ", r.text("filing.therapy_need", "Why is a new therapy needed (what "
                                                         "do available treatments leave unmet)?")),
            bullet("Approved therapies: ", r.text("therapy_landscape.available_therapies", "Which therapies are "
                                                  "approved in the U.S. for the disease (none, if none)?",
                                                  lambda v: "; ".join(t["name"] for t in v) or "none")))),
        Element("4. Description of the drug and the scientific rationale", orphan("4"), tuple(_description_lines(r))),
        Element("5. Clinical superiority over an approved same drug (if any)", orphan("5"), tuple(_conditional(
            r, "filing.same_drug_approved", "Is the same drug already approved for this rare disease?",
            "filing.clinical_superiority_hypothesis", "What is the plausible hypothesis that the product may be "
            "clinically superior to the approved drug?",
            "Not applicable: no same drug is approved for this disease.")),),
        Element("6. Orphan subset of a non-rare disease (if requested)", ORPHAN_SUBSET_RULE, tuple(_conditional(
            r, "filing.orphan_subset", "Is the request for a subset of persons with a disease that is not rare?",
            "filing.subset_rationale", "Why would the remaining persons with the disease not be appropriate "
            "candidates for the product?",
            "Not applicable: the request is for the whole disease, not a subset."))),
        Element("7. Regulatory status and marketing history (U.S. and abroad)", orphan("7"), (
            line(r.text("filing.regulatory_status", "What is the product's regulatory status and marketing history "
                        "in the U.S. and other countries (INDs, designations, approvals, adverse actions)?")),
            bullet("IND: ", r.text("filing.ind_number", "What is the IND number (or 'not yet submitted')?")))),
        Element("8. Documentation that the disease is rare in the U.S.", orphan("8"), tuple(_prevalence_lines(r))),
    ))
    notes = (
        "The items follow 21 CFR 316.20(b)(1)-(8). Items 1 to 3 and the opening of item 4 were checked against "
        "eCFR-derived copies of the section (2019 and 2024); the rest of item 4 and items 5 to 8 as amended in "
        "2013 (78 FR 35117; item 6, orphan subset) were read only in older or partial copies. Check the current "
        "eCFR text before filing.",
        "FDA's orphan-designation FAQ asks for full copies (not abstracts) of every reference cited, with a "
        "bibliography, and for an original signature of a person representing the sponsor on the cover letter.",
        "The request is completed, dated and signed; FDA's Office of Orphan Products Development receives "
        "requests through the CDER NextGen portal or by email (orphan@fda.hhs.gov), per FDA's 'Designating an "
        "Orphan Product' page.",
    )
    return Body(f"Orphan-drug designation request: {r.value('program.name')}",
                (request, timeline_section(ctx.program, ctx.start)), notes)


def _source(r: Reader) -> list[Fragment]:
    made_by_sponsor = r.value("filing.manufactured_by_sponsor")
    if made_by_sponsor is None:
        return [r.text("filing.manufactured_by_sponsor", "Does the sponsor manufacture the product itself?")]
    if made_by_sponsor:
        return ["manufactured by the sponsor"]
    return [r.text("filing.drug_source", "What is the name and address of the product's manufacturer?")]


def rpd_request(ctx: Context) -> Body:
    r = ctx.reader
    orphan = ctx.assessment.designation("orphan_drug_designation")
    rare_lines: list[Line] = _prevalence_lines(r)
    if orphan.asked:
        status = DesignationStatus.GRANTED if orphan.standing is Standing.HELD else DesignationStatus.REQUESTED
        rare_lines.insert(0, line(f"The orphan-drug designation request ({status}) documents the "
                                  "prevalence; cross-reference it."))
    request = Section("Request for rare pediatric disease designation", (
        Element("Statement of the request", RPD_GUIDANCE, (
            line(r.text("program.sponsor", "Which company or institution sponsors the program?"),
                 f" requests rare pediatric disease designation of {r.value('program.name')} for ",
                 disease_fragment(r), "."),)),
        Element("Sponsor, contact and product", RPD_GUIDANCE, (*sponsor_lines(r), *names_lines(r))),
        Element("The disease is serious or life-threatening", RPD_STATUTE, (
            bullet("Serious or life-threatening: ", r.text("indication.serious", "Is the disease serious or "
                                                           "life-threatening?")),
            bullet("Why: ", r.text("indication.seriousness_rationale", "What makes the disease serious (its "
                                   "morbidity and impact on day-to-day functioning, or mortality)?")))),
        Element("Its serious manifestations primarily affect individuals aged 0 to 18", RPD_STATUTE, (
            bullet("Primarily from birth to 18 years: ", r.text(
                "indication.serious_manifestations_before_18", "Do the serious or life-threatening manifestations "
                "primarily affect people from birth to 18 years?")),
            bullet("Supporting age data: ", r.text("filing.pediatric_age_data", "What data show at which ages the "
                                                   "serious manifestations occur (onset, course, survival)?")))),
        Element("The disease is rare (as under section 526)", RPD_STATUTE, tuple(rare_lines)),
        Element("The product and its rationale in the disease", RPD_GUIDANCE, tuple(_description_lines(r))),
    ))
    notes = (
        "FDA's 2019 revised draft guidance was not read in full text here: the elements follow the statutory "
        "definition in section 529(a)(3) (checked against OLRC-derived copies of 21 U.S.C. 360ff(a)(3)) and the "
        "designation process as FDA's program page and secondary summaries describe it. A request sent within "
        "two weeks of an orphan or fast track request gets a decision within 60 days; others have no deadline.",
    )
    return Body(f"Rare pediatric disease designation request: {r.value('program.name')}",
                (request, timeline_section(ctx.program, ctx.start)), notes)
