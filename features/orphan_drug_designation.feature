Feature: Orphan drug designation
  Orphan drug designation is for a drug for a rare disease or condition, with a scientific
  rationale for its use in that disease (FD&C Act section 526; 21 CFR Part 316). A disease is
  rare when fewer than 200,000 persons in the U.S. have it, or when more have it but U.S. sales
  are not expected to recover the costs of developing and supplying the drug. The request must
  be made before the BLA for that disease is submitted.

  Background:
    Given a dossier with:
      | field                        | value        |
      | program.name                 | AAV9-NRX1    |
      | indication.us_prevalence     | 900          |
      | nonclinical.proof_of_concept | true         |
      | development.stage            | ind_enabling |

  Rule: OD-1 The disease is rare: fewer than 200,000 persons in the U.S. (section 526(a)(2)(A))

    Scenario: A disease affecting about 900 people in the U.S. qualifies
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "eligible"
      And "orphan_drug_designation" is decided by "orphan_drug_designation.eligible"
      And "orphan_drug_designation" has a caveat mentioning "sameness"

    Scenario Outline: Prevalence on either side of 200,000, when sales would recover the costs
      Given the dossier states "indication.us_prevalence" is "<prevalence>"
      And the dossier states "indication.cost_recovery_expected" is "true"
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "<determination>"

      Examples:
        | prevalence | determination |
        | 199999     | eligible      |
        | 200000     | not_eligible  |
        | 1500000    | not_eligible  |

    Scenario: Unknown prevalence is a question, not a refusal; cost recovery is not asked yet
      Given the dossier leaves out "indication.us_prevalence"
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "undetermined"
      And "orphan_drug_designation" asks about "indication.us_prevalence"
      And "orphan_drug_designation" does not ask about "indication.cost_recovery_expected"

    Scenario Outline: Where only an upper bound of the prevalence is known
      Given the dossier leaves out "indication.us_prevalence"
      And the dossier states "indication.us_prevalence_upper_bound" is "<upper bound>"
      When it is evaluated as of "<date>"
      Then "orphan_drug_designation" is "<determination>"

      Examples:
        | upper bound | date       | determination |
        | 5000        | 2026-11-21 | eligible      |
        | 250000      | 2026-11-21 | undetermined  |
        | 5000        | 1984-10-29 | not_eligible  |
        | 5000        | 1984-10-30 | eligible      |

  Rule: OD-1 A more common disease is rare when U.S. sales are not expected to recover the costs (section 526(a)(2)(B))

    Scenario Outline: 200,000 or more persons, by the expectation of recovering costs
      Given the dossier states "indication.us_prevalence" is "250000"
      And the dossier states "indication.cost_recovery_expected" is "<recovers costs>"
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "<determination>"

      Examples:
        | recovers costs | determination |
        | false          | eligible      |
        | true           | not_eligible  |

    Scenario: For a common disease, the cost-recovery question decides
      Given the dossier states "indication.us_prevalence" is "250000"
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "undetermined"
      And "orphan_drug_designation" asks about "indication.cost_recovery_expected"

  Rule: OD-3 A scientific rationale: nonclinical proof of concept, or preliminary clinical evidence

    Scenario: Without proof of concept or clinical data there is no rationale yet
      Given the dossier states "nonclinical.proof_of_concept" is "false"
      And the dossier states "clinical.patients_dosed" is "0"
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "not_eligible"

    Scenario: Clinical improvement against natural history is a rationale on its own
      Given the dossier states "nonclinical.proof_of_concept" is "false"
      And the dossier states "development.stage" is "ind_active"
      And the dossier states "clinical.patients_dosed" is "3"
      And the dossier adds to "clinical.endpoints":
        | name            | kind     | comparator      | effect      |
        | Motor milestone | clinical | natural_history | improvement |
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "eligible"

    Scenario: Unknown proof of concept, before any patient is dosed, is a question
      Given the dossier leaves out "nonclinical.proof_of_concept"
      And the dossier states "clinical.patients_dosed" is "0"
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "undetermined"
      And "orphan_drug_designation" asks about "nonclinical.proof_of_concept"

  Rule: OD-5 Orphan designation is requested before the BLA is submitted (21 CFR 316.23(a))

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "orphan_drug_designation" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | eligible      |
        | ind_enabling  | eligible      |
        | ind_active    | eligible      |
        | bla_submitted | closed |
        | bla_approved  | closed |

  Rule: The prevalence criterion applies from the 1984 amendments (October 30, 1984)

    Scenario Outline: Evaluation dates on either side of the 1984 amendments
      When it is evaluated as of "<date>"
      Then "orphan_drug_designation" is "<determination>"

      Examples:
        | date       | determination |
        | 1984-10-29 | not_eligible  |
        | 1984-10-30 | eligible      |

  Rule: The request draft: the U.S. agent of a foreign sponsor, and rare pediatric disease alongside

    Scenario: A sponsor located abroad names its U.S. agent in the request
      Given the dossier states "filing.foreign_sponsor" is "true"
      When it is evaluated as of "2026-11-21"
      Then the "orphan_drug_designation" draft says "U.S. agent (a permanent resident of the United States"

    Scenario: A sponsor in the United States needs no U.S. agent
      Given the dossier states "filing.foreign_sponsor" is "false"
      When it is evaluated as of "2026-11-21"
      Then the "orphan_drug_designation" draft says "U.S. agent: not needed"

    Scenario: A serious disease of childhood: the draft offers a rare pediatric disease request alongside
      Given the dossier states "indication.serious" is "true"
      And the dossier states "indication.serious_manifestations_before_18" is "true"
      When it is evaluated as of "2026-11-21"
      Then the "orphan_drug_designation" draft has a part on "rare pediatric disease designation"

    Scenario: No offer once rare pediatric disease designation is requested
      Given the dossier states "indication.serious" is "true"
      And the dossier states "indication.serious_manifestations_before_18" is "true"
      And the dossier adds "{program: rare_pediatric_disease, status: requested}" to "designations"
      When it is evaluated as of "2026-11-21"
      Then the "orphan_drug_designation" draft has no part on "rare pediatric disease designation"

    Scenario: No offer when the serious manifestations mostly come after 18
      Given the dossier states "indication.serious" is "true"
      And the dossier states "indication.serious_manifestations_before_18" is "false"
      When it is evaluated as of "2026-11-21"
      Then the "orphan_drug_designation" draft has no part on "rare pediatric disease designation"
