Feature: Priority review designation
  Priority review is a designation of the marketing application: FDA aims to act on it within 6
  months instead of 10. It is given to a BLA for a serious condition when the product, if
  approved, would be a significant improvement in safety or effectiveness (PDUFA, 1992; FDA
  guidance "Expedited Programs for Serious Conditions", 2014), and to an application that redeems
  a priority review voucher (FD&C Act 529(b)). It is requested with the BLA.

  Background:
    Given a dossier with:
      | field                                    | value         |
      | program.name                             | AAV9-NRX1     |
      | indication.serious                       | true          |
      | therapy_landscape.available_therapies    | []            |
      | development.stage                        | bla_submitted |
      | development.priority_review_voucher_held | false         |

  Rule: PR-1 and PR-2 A serious condition, and a significant improvement over available treatment

    Scenario: A BLA for a serious disease with no approved therapy qualifies
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "eligible"
      And "priority_review" is decided by "priority_review.eligible"
      And "priority_review" has a caveat mentioning "FDA decides at filing"

    Scenario: A condition that is not serious, without a voucher
      Given the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "not_eligible"
      And "priority_review" is decided by "priority_review.not_serious"

    Scenario Outline: An approved therapy, and the advantage claimed over it
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Enzyme replacement}]"
      And the dossier states "therapy_landscape.advantages" is "<advantages>"
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "<determination>"

      Examples:
        | advantages                            | determination |
        | [reduces_treatment_limiting_toxicity] | eligible      |
        | []                                    | not_eligible  |

    Scenario: Unknown seriousness is a question
      Given the dossier leaves out "indication.serious"
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "undetermined"
      And "priority_review" asks about "indication.serious"

  Rule: PR-3 An application that redeems a priority review voucher gets priority review

    Scenario: A voucher gives priority review whatever the condition
      Given the dossier states "indication.serious" is "false"
      And the dossier states "development.priority_review_voucher_held" is "true"
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "eligible"
      And "priority_review" is decided by "priority_review.voucher"
      And "priority_review" has a caveat mentioning "90 days"

    Scenario: For a condition that is not serious, whether a voucher is held is the question
      Given the dossier states "indication.serious" is "false"
      And the dossier leaves out "development.priority_review_voucher_held"
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "undetermined"
      And "priority_review" asks about "development.priority_review_voucher_held"

  Rule: Priority review is designated on the BLA

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | not_yet       |
        | ind_enabling  | not_yet       |
        | ind_active    | not_yet       |
        | bla_submitted | eligible      |
        | bla_approved  | closed |

    Scenario: A voucher is redeemed with the BLA, not before it
      Given the dossier states "development.stage" is "ind_active"
      And the dossier states "development.priority_review_voucher_held" is "true"
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "not_yet"
      And "priority_review" is decided by "priority_review.before_application"

    Scenario: Once the BLA is approved, its review designation is settled
      Given the dossier states "development.stage" is "bla_approved"
      When it is evaluated as of "2026-11-21"
      Then "priority_review" is "closed"
      And "priority_review" is decided by "priority_review.after_approval"

  Rule: Priority review goals exist from PDUFA (October 29, 1992)

    Scenario Outline: Evaluation dates on either side of PDUFA
      When it is evaluated as of "<date>"
      Then "priority_review" is "<determination>"

      Examples:
        | date       | determination |
        | 1992-10-28 | not_eligible  |
        | 1992-10-29 | eligible      |
