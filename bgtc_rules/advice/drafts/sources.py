"""The governing texts each draft element answers, with the section it answers.

Read for this module (December 2026): 21 CFR 316.20 in third-party copies of the eCFR text and
FDA's 2013 amendments (78 FR 35117); FDA's RMAT designation page and the request-content list of
the 2019 RMAT guidance as reproduced in public slides; the fast track request list of the
expedited-programs guidance in a public copy; FDA CDER's Small Business "Navigate" pages on
meeting-request content (which summarise the formal-meetings guidance); and FDA's OTP INTERACT
page. Where only a copy or summary was read, the draft says so in its notes.

Checked again in the regulatory review of December 2026 (stored copies): 21 CFR 316.20(a) and
(b)(1)-(3) and the opening of (b)(4) in eCFR-derived copies (2019, 2024); FDA's orphan FAQ (full
copies, not abstracts, with a bibliography); the RMAT request list in a reproduction of the 2019
guidance, section III.C; CDER's "Navigate" pages 19-20 on meeting-request content; OTP's Type D
and INTERACT pages; and 88 FR 65395 (Sept 22, 2023) for the formal-meetings revised draft. The
expedited-programs guidance's Appendix 1 and FDA's RPD guidance were not found in full text.

Added for issue 23 (December 2026, stored copies): the pre-2013 wording of 316.20(b)(4) ("all data
... whether positive, negative, or inconclusive") in a forum reproduction; FDA's Form FDA 4035 page
and the form itself (OMB 0910-0167, with its note on 316.22); a public summary quoting the RPD
guidance's "within two weeks" reading of 529(d)(2); FDA's 2012 breakthrough fact sheet (request
"concurrently with, or as an amendment to" the IND, "a completed form 1571"); FDA's RMAT page (IND
amendment, cover-letter wording); question 23 of FDA's breakthrough FAQ (preliminary advice) in
reproductions, with Hyman Phelps' 2016 description of the two-page form; and the guidance pages of
the AAV pre-IND topics (titles, dates, dockets, scope; their bodies mostly not read).
"""

from __future__ import annotations

from bgtc_rules.language.spec import Citation

ORPHAN_CFR_URL = "https://www.ecfr.gov/current/title-21/chapter-I/subchapter-D/part-316/subpart-C/section-316.20"


def orphan(paragraph: str) -> Citation:
    """An item of 21 CFR 316.20(b)."""
    return Citation(document="21 CFR 316.20, Content and format of a request for orphan-drug designation",
                    section=f"316.20(b)({paragraph})", url=ORPHAN_CFR_URL, reference="S36")


ORPHAN_SUBSET_RULE = Citation(
    document="Orphan Drug Regulations, final rule, 78 FR 35117 (June 12, 2013)",
    section="316.20(b)(6) as amended: demonstration of an orphan subset",
    url="https://www.federalregister.gov/d/2013-13930", reference="S36")

RPD_STATUTE = Citation(
    document="FD&C Act section 529, 21 U.S.C. 360ff (rare pediatric disease priority review vouchers)",
    section="529(a)(3) (rare pediatric disease) and 529(d) (designation)",
    url="https://www.govinfo.gov/link/uscode/21/360ff?link-type=html", reference="S44")

RPD_GUIDANCE = Citation(
    document="FDA revised draft guidance: Rare Pediatric Disease Priority Review Vouchers (July 2019; 84 FR 36929)",
    section="Rare pediatric disease designation: requesting designation",
    url="https://www.fda.gov/industry/developing-products-rare-diseases-conditions/rare-pediatric-disease-rpd-designation-program",
    reference="S46")

EXPEDITED_GUIDANCE = ("FDA guidance: Expedited Programs for Serious Conditions—Drugs and Biologics "
                      "(May 2014; docket FDA-2013-D-0575)")
EXPEDITED_URL = ("https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
                 "expedited-programs-serious-conditions-drugs-and-biologics")


def expedited(section: str) -> Citation:
    """A part of Appendix 1 (designation request processes) of the 2014 expedited-programs guidance."""
    return Citation(document=EXPEDITED_GUIDANCE, section=f"Appendix 1: {section}", url=EXPEDITED_URL, reference="S1")


FAST_TRACK_STATUTE = Citation(
    document="FD&C Act section 506(b), 21 U.S.C. 356(b) (fast track product)", section="506(b)(1)-(2)",
    url="https://www.govinfo.gov/link/uscode/21/356?link-type=html", reference="S2")

BREAKTHROUGH_STATUTE = Citation(
    document="FD&C Act section 506(a), 21 U.S.C. 356(a) (breakthrough therapy)", section="506(a)(1)-(2)",
    url="https://www.govinfo.gov/link/uscode/21/356?link-type=html", reference="S3")

RMAT_GUIDANCE = Citation(
    document="FDA guidance: Expedited Programs for Regenerative Medicine Therapies for Serious Conditions (Feb 2019)",
    section="III.C, Regenerative Medicine Advanced Therapy Designation: content of a designation request",
    url=("https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
         "expedited-programs-regenerative-medicine-therapies-serious-conditions"),
    reference="S12")

RMAT_PAGE = Citation(
    document="FDA: Regenerative Medicine Advanced Therapy Designation",
    section="Submitting a request (cover letter; with the IND or as an IND amendment)",
    url="https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/regenerative-medicine-advanced-therapy-designation",
    reference="S11")

MEETINGS_GUIDANCE = Citation(
    document=("FDA revised draft guidance: Formal Meetings Between the FDA and Sponsors or Applicants of PDUFA "
              "Products (Sept 2023; 88 FR 65395, docket FDA-2017-D-6530)"),
    section="Meeting requests: content of a meeting request",
    url="https://www.federalregister.gov/d/2023-20592", reference="S20")

MEETING_REQUEST_SUMMARY = Citation(
    document="FDA CDER Small Business and Industry Assistance: Formal Meetings with FDA, Submitting a Meeting Request",
    section="Information to include in a meeting request (pages 19-20)",
    url="https://www.accessdata.fda.gov/cder/sb-navigate/topic3/topic3/da_01_03_0280.htm", reference="S32")

INTERACT_PAGE = Citation(
    document="FDA OTP: INTERACT Meetings",
    section="Meeting package (with the request; succinct, not over 50 pages; CMC, pharmacology/toxicology, clinical)",
    url="https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/otp-interact-meeting",
    reference="S28")

TOOL = Citation(document="bgtc-rules assessment (decision support, not an FDA determination)",
                section="bgtc evaluate / bgtc plan for this dossier")


ORPHAN_FORM = Citation(
    document="FDA: Orphan Drug Designation Request Form (Form FDA 4035)",
    section="The form is designed to help sponsors give the content 21 CFR 316.20 requires (optional)",
    url=("https://www.fda.gov/ForIndustry/DevelopingProductsforRareDiseasesConditions/"
         "HowtoapplyforOrphanProductDesignation/ucm598062.htm"))

RPD_TIMING = Citation(
    document="FDA revised draft guidance: Rare Pediatric Disease Priority Review Vouchers (July 2019; 84 FR 36929)",
    section="Requests made 'at the same time' as an orphan or fast track request (529(d)(2)): within two weeks",
    url="https://www.federalregister.gov/d/2019-16262",
    secondary=True,
    reason="The guidance's passage was read as quoted in a public summary; the notice of availability is cited")

BREAKTHROUGH_FACT_SHEET = Citation(
    document="FDA: Fact Sheet: Breakthrough Therapies (2012, under FDASIA section 902)",
    section="Requests concurrently with, or as an amendment to, the IND, with a cover letter and a completed form 1571",
    secondary=True,
    reason="Read in a public reproduction of FDA's fact sheet; the 2014 guidance's Appendix 1 was not found in full")

BREAKTHROUGH_PRELIMINARY = Citation(
    document="FDA: Frequently Asked Questions: Breakthrough Therapies",
    section="Question 23: preliminary breakthrough therapy designation advice from the review division",
    url=("https://www.fda.gov/regulatory-information/food-and-drug-administration-safety-and-innovation-act-fdasia/"
         "frequently-asked-questions-breakthrough-therapies"),
    secondary=True,
    reason="Read as quoted word for word in public reproductions, not in a stored copy of FDA's page")

GT_CMC_GUIDANCE = Citation(
    document=("FDA guidance: Chemistry, Manufacturing, and Control (CMC) Information for Human Gene Therapy "
              "Investigational New Drug Applications (INDs) (January 2020; docket FDA-2008-D-0205)"),
    section="Drug substance and drug product: characterization, impurities (including product-related), specifications",
    url="https://www.govinfo.gov/content/pkg/FR-2020-01-30/html/2020-01701.htm")

GT_LTFU_GUIDANCE = Citation(
    document=("FDA guidance: Long Term Follow-up After Administration of Human Gene Therapy Products "
              "(January 2020; docket FDA-2018-D-2173)"),
    section="Risk assessment for delayed adverse events; duration of long term follow-up observations",
    url=("https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
         "long-term-follow-after-administration-human-gene-therapy-products"))

GT_SHEDDING_GUIDANCE = Citation(
    document=("FDA guidance: Design and Analysis of Shedding Studies for Virus or Bacteria-Based Gene Therapy and "
              "Oncolytic Products (August 2015; docket FDA-2014-D-0852)"),
    section="Collection of shedding data in preclinical and clinical studies",
    url=("https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
         "design-and-analysis-shedding-studies-virus-or-bacteria-based-gene-therapy-and-oncolytic-products"))

GT_POTENCY_GUIDANCE = Citation(
    document=("FDA draft guidance: Potency Assurance for Cellular and Gene Therapy Products (December 2023; "
              "88 FR 89707; docket FDA-2023-D-4299; not final)"),
    section="A science- and risk-based potency assurance strategy, progressively implemented during development",
    url=("https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
         "potency-assurance-cellular-and-gene-therapy-products"))

CGT_FAQ_GUIDANCE = Citation(
    document=("FDA draft guidance: Frequently Asked Questions — Developing Potential Cellular and Gene Therapy "
              "Products (November 2024; docket FDA-2024-D-4311; not final)"),
    section=("Regulatory questions (INTERACT, pre-IND and other meetings); CMC, pharmacology/toxicology and "
             "clinical questions"),
    url=("https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
         "frequently-asked-questions-developing-potential-cellular-and-gene-therapy-products"))

AAV_ANTIBODY_ASSAYS = Citation(
    document=("Braun M. et al., Preexisting antibody assays for gene therapy: considerations on patient selection "
              "cutoffs and companion diagnostic requirements, Mol Ther Methods Clin Dev 2024;32(1):101217"),
    section="Patient selection by anti-AAV antibody assays; regulatory requirements for the in vitro diagnostic",
    url="https://pubmed.ncbi.nlm.nih.gov/38496304/",
    secondary=True,
    reason="FDA's own text on companion diagnostics for anti-AAV antibody assays was not found in the material read")

AAV_IMMUNE_RESPONSE = Citation(
    document="Update on clinical gene therapy for hemophilia (review), Blood 2019;133(5):407",
    section="T-cell responses to the capsid, liver toxicity and the use of immune suppression",
    url="https://ashpublications.com/blood/article-split/133/5/407/272786/Update-on-clinical-gene-therapy-for-hemophilia",
    secondary=True,
    reason="No FDA text on immunosuppression with AAV vectors was found in the material read")
