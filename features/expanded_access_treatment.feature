Feature: Treatment IND or treatment protocol (widespread expanded access)
  Widespread treatment use before approval (21 CFR 312.320, in force October 13, 2009): the criteria
  of 312.305(a) hold; the product is in a controlled trial designed to support approval, or all
  trials are completed; the sponsor actively pursues approval; and the evidence suffices (ordinarily
  phase 3, or compelling phase 2).

  Background:
    Given a dossier with:
      | field                                            | value     |
      | program.name                                     | AAV9-NRX1 |
      | indication.serious                               | true      |
      | development.stage                                | ind_active |
      | expanded_access.comparable_alternative_available | false     |
      | expanded_access.benefit_justifies_risk           | true      |
      | development.pivotal_started                      | true      |
      | development.pivotal_completed                    | false     |
      | expanded_access.pursuing_approval_diligently     | true      |
      | expanded_access.evidence_supports_treatment_use  | true      |

  Rule: The criteria of 312.305(a) and 312.320(a)

    Scenario: A pivotal trial under way, approval pursued, evidence sufficient
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_treatment" is "eligible"
      And "expanded_access_treatment" is decided by "expanded_access_treatment.eligible"

    Scenario: All trials completed also qualifies
      Given the dossier states "development.pivotal_started" is "false"
      And the dossier states "development.pivotal_completed" is "true"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_treatment" is "eligible"

    Scenario: Before a trial designed to support approval, it is too early
      Given the dossier states "development.pivotal_started" is "false"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_treatment" is "not_yet"
      And "expanded_access_treatment" is decided by "expanded_access_treatment.before_pivotal"

    Scenario: The sponsor is not pursuing approval
      Given the dossier states "expanded_access.pursuing_approval_diligently" is "false"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_treatment" is "not_eligible"
      And "expanded_access_treatment" is decided by "expanded_access_treatment.approval_not_pursued"

    Scenario: A disease neither serious nor immediately life-threatening
      Given the dossier states "indication.serious" is "false"
      And the dossier states "expanded_access.immediately_life_threatening" is "false"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_treatment" is "not_eligible"

    Scenario: Whether the evidence supports treatment use is a question
      Given the dossier leaves out "expanded_access.evidence_supports_treatment_use"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_treatment" is "undetermined"
      And "expanded_access_treatment" asks about "expanded_access.evidence_supports_treatment_use"

  Rule: In force from October 13, 2009

    Scenario Outline: Evaluation dates on either side of the final rule's effective date
      When it is evaluated as of "<date>"
      Then "expanded_access_treatment" is "<determination>"

      Examples:
        | date       | determination |
        | 2009-10-12 | not_eligible  |
        | 2009-10-13 | eligible      |
