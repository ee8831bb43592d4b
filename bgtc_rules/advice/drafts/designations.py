"""Orphan-drug and rare pediatric disease designation requests, item by item of the governing text."""

from __future__ import annotations

from bgtc_rules.advice.drafts.common import (
    Body,
    Context,
    contact_lines,
    disease_fragment,
    names_lines,
    product_facts,
    sponsor_lines,
    timeline_section,
)
from bgtc_rules.advice.drafts.model import Element, Fragment, Line, Section
from bgtc_rules.advice.drafts.reader import Reader, bullet, line
from bgtc_rules.advice.drafts.sources import (
    ORPHAN_FORM,
    ORPHAN_SUBSET_RULE,
    RPD_GUIDANCE,
    RPD_STATUTE,
    RPD_TIMING,
    orphan,
)
from bgtc_rules.advice.labels import label
from bgtc_rules.advice.standing import Standing
from bgtc_rules.engine.results import Determination

RPD = "rare_pediatric_disease"


def _conditional(reader: Reader, flag: str, text: str, not_applicable: str) -> list[Line]:
    """An item that applies only when a yes/no field is yes: its text, 'not applicable', or a gap."""
    value = reader.value(flag)
    if value is None:
        return [line(reader.gap(flag))]
    if value is False:
        return [line(not_applicable)]
    return [line(reader.text(text))]


def _prevalence_lines(reader: Reader) -> list[Line]:
    return [
        bullet("Estimated U.S. prevalence (persons): ", reader.text("indication.us_prevalence", lambda n: f"{n:,}")),
        bullet("How the estimate was made: ", reader.text("indication.prevalence_basis")),
        bullet("Authoritative references (append complete copies): ", reader.text("indication.prevalence_source")),
    ]


ALL_DATA = ("Include all data from nonclinical laboratory studies, clinical investigations and other relevant data "
            "available to the sponsor, whether positive, negative or inconclusive, and append copies of the pertinent "
            "published and unpublished papers (full copies, not abstracts, with a bibliography).")
PAPERS = ("Append full copies (not abstracts) of the pertinent published and unpublished papers, with a "
          "bibliography.")


def _description_lines(reader: Reader, closing: str = PAPERS) -> list[Line]:
    return [
        line(reader.text("filing.product_description")),
        *product_facts(reader),
        bullet("Scientific rationale: ", reader.text("filing.scientific_rationale")),
        bullet("Nonclinical data: ", reader.text("filing.nonclinical_data")),
        bullet("Clinical data: ", reader.text("filing.clinical_data")),
        line(closing),
    ]


def _agent_lines(reader: Reader) -> list[Line]:
    """316.22: a sponsor located abroad names an agent who lives in the United States."""
    foreign = reader.value("filing.foreign_sponsor")
    if foreign is None:
        return [bullet("Sponsor located outside the United States: ", reader.gap("filing.foreign_sponsor"))]
    if not foreign:
        return [bullet("U.S. agent: not needed (the sponsor is in the United States).")]
    role = "U.S. agent (a permanent resident of the United States, as 21 CFR 316.22 requires)"
    return contact_lines(reader, "filing.us_agent", role, "U.S. agent")


def _status_lines(reader: Reader) -> list[Line]:
    """316.20(b)(7): the regulatory status and marketing history, in the U.S. and abroad."""
    return [
        line(reader.text("filing.regulatory_status")),
        bullet("IND: ", reader.text("filing.ind_number")),
        bullet("Uses under investigation abroad, and indications approved abroad: ",
               reader.text("filing.foreign_status")),
        bullet("Adverse regulatory actions in any country: ", reader.text("filing.adverse_regulatory_actions")),
    ]


def _rpd_offer(ctx: Context) -> Element | None:
    """The offer of a rare pediatric disease request sent with this one, when the dossier makes it
    plausible (eligible or undetermined, manifestations not known to fall mostly after 18) and the
    sponsor has never requested it (`Standing.NONE`) or only plans to."""
    item = next((p for p in ctx.assessment.programs if p.program == RPD), None)
    if item is None or ctx.assessment.designation(RPD).standing not in (Standing.NONE, Standing.PLANNED):
        return None
    if item.determination not in (Determination.ELIGIBLE, Determination.UNDETERMINED):
        return None
    if ctx.reader.value("indication.serious_manifestations_before_18") is False:
        return None
    return Element("Rare pediatric disease designation: request it at the same time", RPD_TIMING, (
        line("The disease may be a rare pediatric disease. The rare pediatric disease designation request goes "
             "to the same office; FDA treats it as made at the same time as this request if the two arrive "
             "within two weeks of each other, and then decides it within 60 days. A draft of that request can be "
             "written from the same dossier."),
        bullet(f"bgtc assessment of rare pediatric disease designation: {label(item.determination)}: {item.reason}"),
    ))


def orphan_request(ctx: Context) -> Body:
    r = ctx.reader
    request = Section("Request for orphan-drug designation (21 CFR 316.20(b))", (
        Element("1. Statement of the request", orphan("1"), (
            line(r.text("program.sponsor"), f" requests orphan-drug designation of {r.value('program.name')} "
                 "for the treatment of ", disease_fragment(r), "."),)),
        Element("2. Sponsor, contact, names of the drug, and its source", orphan("2"), (
            *sponsor_lines(r), *_agent_lines(r), *names_lines(r),
            *[bullet("Source of the drug: ", fragment) for fragment in _source(r)])),
        Element("3. The rare disease, the proposed use, and why the therapy is needed", orphan("3"), (
            bullet("Disease: ", r.text("filing.disease_description")),
            bullet("Proposed use: ", r.text("filing.proposed_indication")),
            bullet("Why the therapy is needed: ", r.text("filing.therapy_need")),
            bullet("Approved therapies: ", r.text("therapy_landscape.available_therapies",
                                                  lambda v: "; ".join(t["name"] for t in v) or "none")))),
        Element("4. Description of the drug and the scientific rationale", orphan("4"),
                tuple(_description_lines(r, ALL_DATA))),
        Element("5. Clinical superiority over an approved same drug (if any)", orphan("5"), tuple(_conditional(
            r, "filing.same_drug_approved", "filing.clinical_superiority_hypothesis",
            "Not applicable: no same drug is approved for this disease.")),),
        Element("6. Orphan subset of a non-rare disease (if requested)", ORPHAN_SUBSET_RULE, tuple(_conditional(
            r, "filing.orphan_subset", "filing.subset_rationale",
            "Not applicable: the request is for the whole disease, not a subset."))),
        Element("7. Regulatory status and marketing history (U.S. and abroad)", orphan("7"), tuple(_status_lines(r))),
        Element("8. Documentation that the disease is rare in the U.S.", orphan("8"), tuple(_prevalence_lines(r))),
    ))
    form = Element("The request form (optional)", ORPHAN_FORM, (
        line("FDA's Form FDA 4035 may be used to give the items above completely and succinctly; it is not "
             "required. Attach the references as a separate file."),))
    offer = _rpd_offer(ctx)
    extra = Section("Also to consider with this request", (form, *([offer] if offer else [])))
    notes: tuple[str, ...] = (
        "The items follow 21 CFR 316.20(b)(1)-(8). Items 1 to 3 and the opening of item 4 were checked against "
        "eCFR-derived copies of the section (2019 and 2024); item 4's 'all data ... whether positive, negative, "
        "or inconclusive' and 'copies of pertinent unpublished and published papers' were read in a reproduction "
        "of the text before the 2013 amendments; item 7 was read only as far as 'a summary of the regulatory "
        "status and marketing history of the drug' (FDA's tips page), so its parts here (uses investigated "
        "abroad, foreign approvals, adverse regulatory actions in any country) should be checked against the "
        "current eCFR text before filing.",
        "Item 2's U.S. agent follows 21 CFR 316.22 as Form FDA 4035 states it: a foreign sponsor must have a "
        "U.S. permanent-resident agent to file, and FDA answers at the agent's email address; the section's own "
        "text was not read.",
        "FDA's orphan-designation FAQ asks for full copies (not abstracts) of every reference cited, with a "
        "bibliography, and for an original signature of a person representing the sponsor on the cover letter.",
        "The request is completed, dated and signed; FDA's Office of Orphan Products Development receives "
        "requests through the CDER NextGen portal or by email (orphan@fda.hhs.gov), per FDA's 'Designating an "
        "Orphan Product' page.",
    )
    if offer is not None:
        notes += ("The two-week reading of 'at the same time' is from FDA's 2019 revised draft guidance on rare "
                  "pediatric disease vouchers as quoted in a public summary; whether both requests may be sent "
                  "as one document was not found in the text read, so send two requests.",)
    return Body(f"Orphan-drug designation request: {r.value('program.name')}",
                (request, extra, timeline_section(ctx.program, ctx.start)), notes)


def _source(r: Reader) -> list[Fragment]:
    made_by_sponsor = r.value("filing.manufactured_by_sponsor")
    if made_by_sponsor is None:
        return [r.gap("filing.manufactured_by_sponsor")]
    if made_by_sponsor:
        return ["manufactured by the sponsor"]
    return [r.text("filing.drug_source")]


def rpd_request(ctx: Context) -> Body:
    r = ctx.reader
    orphan_state = ctx.assessment.designation("orphan_drug_designation")
    rare_lines: list[Line] = _prevalence_lines(r)
    if orphan_state.asked:
        status = "granted" if orphan_state.standing is Standing.HELD else "requested"
        rare_lines.insert(0, line(f"The orphan-drug designation request ({status}) documents the "
                                  "prevalence; cross-reference it."))
    request = Section("Request for rare pediatric disease designation", (
        Element("Statement of the request", RPD_GUIDANCE, (
            line(r.text("program.sponsor"), f" requests rare pediatric disease designation of "
                 f"{r.value('program.name')} for ", disease_fragment(r), "."),)),
        Element("Sponsor, contact and product", RPD_GUIDANCE, (*sponsor_lines(r), *names_lines(r))),
        Element("The disease is serious or life-threatening", RPD_STATUTE, (
            bullet("Serious or life-threatening: ", r.text("indication.serious")),
            bullet("Why: ", r.text("indication.seriousness_rationale")))),
        Element("Its serious manifestations primarily affect individuals aged 0 to 18", RPD_STATUTE, (
            bullet("Primarily from birth to 18 years: ", r.text("indication.serious_manifestations_before_18")),
            bullet("Supporting age data: ", r.text("filing.pediatric_age_data")))),
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
