Feature: Commissioner's National Priority Voucher (CNPV) pilot
  Under the CNPV pilot, announced on June 17, 2025, FDA selects products that align with at least
  one of five national priorities (a U.S. public health crisis; innovative therapies; a large unmet
  medical need, including rare diseases; onshoring of development or manufacturing; affordability)
  and grants a non-transferable voucher: a review target of 1 to 2 months after the final
  submission, enhanced communication and rolling review. A statement of interest can be sent at any
  time while the pilot is open, so there is no "not yet" for CNPV.

  Background:
    Given a dossier with:
      | field                       | value              |
      | program.name                | AAV9-NRX1          |
      | program.national_priorities | [large_unmet_need] |

  Rule: The product aligns with at least one national priority

    Scenario: A gene therapy for a rare disease aligns with the large-unmet-need priority
      When it is evaluated as of "2026-11-21"
      Then "cnpv" is "eligible"
      And "cnpv" is decided by "cnpv.eligible"
      And "cnpv" has a caveat mentioning "candidate, not a recipient"

    Scenario Outline: Each of the five national priorities
      Given the dossier states "program.national_priorities" is "[<priority>]"
      When it is evaluated as of "2026-11-21"
      Then "cnpv" is "eligible"

      Examples:
        | priority             |
        | public_health_crisis |
        | innovative_therapy   |
        | large_unmet_need     |
        | onshoring            |
        | affordability        |

    Scenario: No national priority
      Given the dossier states "program.national_priorities" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "cnpv" is "not_eligible"

    Scenario: Which priorities the product aligns with is a question
      Given the dossier leaves out "program.national_priorities"
      When it is evaluated as of "2026-11-21"
      Then "cnpv" is "undetermined"
      And "cnpv" asks about "program.national_priorities"

  Rule: The pilot exists from its announcement on June 17, 2025

    Scenario Outline: Evaluation dates on either side of the announcement
      When it is evaluated as of "<date>"
      Then "cnpv" is "<determination>"

      Examples:
        | date       | determination |
        | 2025-06-16 | not_eligible  |
        | 2025-06-17 | eligible      |
