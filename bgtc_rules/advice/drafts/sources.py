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
"""

from __future__ import annotations

from bgtc_rules.language.spec import Citation

# Each citation names its source's id in rules/sources.yaml and repeats its title and URL (these
# are built at import, before any rule base is loaded); tests/test_sources.py checks they agree.

ORPHAN_CFR_URL = "https://www.ecfr.gov/current/title-21/chapter-I/subchapter-D/part-316/subpart-C/section-316.20"


def orphan(paragraph: str) -> Citation:
    """An item of 21 CFR 316.20(b)."""
    return Citation(document="21 CFR 316.20, Content and format of a request for orphan-drug designation",
                    section=f"316.20(b)({paragraph})", url=ORPHAN_CFR_URL, source="cfr-21-316-20")


ORPHAN_SUBSET_RULE = Citation(
    document="Orphan Drug Regulations, final rule, 78 FR 35117 (June 12, 2013)",
    section="316.20(b)(6) as amended: demonstration of an orphan subset",
    url="https://www.federalregister.gov/d/2013-13930", source="fr-78-35117")

RPD_STATUTE = Citation(
    document="FD&C Act section 529, 21 U.S.C. 360ff (rare pediatric disease priority review vouchers)",
    section="529(a)(3) (rare pediatric disease) and 529(d) (designation)",
    url="https://www.govinfo.gov/link/uscode/21/360ff?link-type=html", source="fdca-529-rpd")

RPD_GUIDANCE = Citation(
    document="FDA revised draft guidance: Rare Pediatric Disease Priority Review Vouchers (July 2019; 84 FR 36929)",
    section="Rare pediatric disease designation: requesting designation",
    url="https://www.fda.gov/industry/developing-products-rare-diseases-conditions/rare-pediatric-disease-rpd-designation-program",
    source="guidance-draft-rare-pediatric-disease-vouchers-2019")

EXPEDITED_GUIDANCE = ("FDA guidance: Expedited Programs for Serious Conditions—Drugs and Biologics "
                      "(May 2014; docket FDA-2013-D-0575)")
EXPEDITED_URL = ("https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
                 "expedited-programs-serious-conditions-drugs-and-biologics")


def expedited(section: str) -> Citation:
    """A part of Appendix 1 (designation request processes) of the 2014 expedited-programs guidance."""
    return Citation(document=EXPEDITED_GUIDANCE, section=f"Appendix 1: {section}", url=EXPEDITED_URL,
                    source="guidance-expedited-programs-2014")


FAST_TRACK_STATUTE = Citation(
    document="FD&C Act section 506(b), 21 U.S.C. 356(b) (fast track product)", section="506(b)(1)-(2)",
    url="https://www.govinfo.gov/link/uscode/21/356?link-type=html", source="fdca-506b-fast-track")

BREAKTHROUGH_STATUTE = Citation(
    document="FD&C Act section 506(a), 21 U.S.C. 356(a) (breakthrough therapy)", section="506(a)(1)-(2)",
    url="https://www.govinfo.gov/link/uscode/21/356?link-type=html", source="fdca-506a-breakthrough")

RMAT_GUIDANCE = Citation(
    document="FDA guidance: Expedited Programs for Regenerative Medicine Therapies for Serious Conditions (Feb 2019)",
    section="III.C, Regenerative Medicine Advanced Therapy Designation: content of a designation request",
    url=("https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
         "expedited-programs-regenerative-medicine-therapies-serious-conditions"),
    source="guidance-expedited-programs-regenerative-2019")

RMAT_PAGE = Citation(
    document="FDA: Regenerative Medicine Advanced Therapy Designation",
    section="Submitting a request (cover letter; with the IND or as an IND amendment)",
    url="https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/regenerative-medicine-advanced-therapy-designation",
    source="fda-rmat-designation")

MEETINGS_GUIDANCE = Citation(
    document=("FDA revised draft guidance: Formal Meetings Between the FDA and Sponsors or Applicants of PDUFA "
              "Products (Sept 2023; 88 FR 65395, docket FDA-2017-D-6530)"),
    section="Meeting requests: content of a meeting request",
    url="https://www.federalregister.gov/d/2023-20592", source="guidance-draft-formal-meetings-2023")

MEETING_REQUEST_SUMMARY = Citation(
    document="FDA CDER Small Business and Industry Assistance: Formal Meetings with FDA, Submitting a Meeting Request",
    section="Information to include in a meeting request (pages 19-20)",
    url="https://www.accessdata.fda.gov/cder/sb-navigate/topic3/topic3/da_01_03_0280.htm",
    source="fda-cder-small-business-meeting-request")

INTERACT_PAGE = Citation(
    document="FDA OTP: INTERACT Meetings",
    section="Meeting package (with the request; succinct, not over 50 pages; CMC, pharmacology/toxicology, clinical)",
    url="https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/otp-interact-meeting",
    source="fda-otp-interact-meetings")

TOOL = Citation(document="bgtc-rules assessment (decision support, not an FDA determination)",
                section="bgtc evaluate / bgtc plan for this dossier")


def cited_by_drafts() -> list[Citation]:
    """Every source the drafts cite (one citation of each), for the unused-sources check."""
    return [orphan("a"), ORPHAN_SUBSET_RULE, RPD_STATUTE, RPD_GUIDANCE, expedited("a"), FAST_TRACK_STATUTE,
            BREAKTHROUGH_STATUTE, RMAT_GUIDANCE, RMAT_PAGE, MEETINGS_GUIDANCE, MEETING_REQUEST_SUMMARY, INTERACT_PAGE]
