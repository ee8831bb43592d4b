Feature: Pediatric exclusivity for a biological product (6 more months)
  When FDA issues a Written Request for pediatric studies before approval and the studies are
  completed in time and accepted, the reference-product periods become 12 years and 6 months and 4
  years and 6 months, and an orphan product's exclusivity 7 years and 6 months (PHS Act 351(m),
  enacted March 23, 2010).

  Background:
    Given a dossier with:
      | field                                       | value            |
      | program.name                                | AAV9-NRX1        |
      | program.modality                            | aav_gene_therapy |
      | pediatric.written_request_received          | true             |
      | pediatric.written_request_studies_accepted  | true             |

  Rule: A Written Request, its studies completed and accepted

    Scenario: Studies accepted under a Written Request bring six more months
      When it is evaluated as of "2026-11-21"
      Then "pediatric_exclusivity" is "eligible"
      And "pediatric_exclusivity" is decided by "pediatric_exclusivity.eligible"

    Scenario: No Written Request
      Given the dossier states "pediatric.written_request_received" is "false"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_exclusivity" is "not_eligible"

    Scenario: A Written Request whose studies are still under way
      Given the dossier states "pediatric.written_request_studies_accepted" is "false"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_exclusivity" is "not_yet"

    Scenario: Whether FDA issued a Written Request is a question
      Given the dossier leaves out "pediatric.written_request_received"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_exclusivity" is "undetermined"
      And "pediatric_exclusivity" asks about "pediatric.written_request_received"

    Scenario: A drug approved under an NDA has no biologic pediatric exclusivity here
      Given the dossier states "program.modality" is "antisense_or_rna"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_exclusivity" is "not_eligible"

  Rule: From March 23, 2010

    Scenario Outline: Evaluation dates on either side of enactment
      When it is evaluated as of "<date>"
      Then "pediatric_exclusivity" is "<determination>"

      Examples:
        | date       | determination |
        | 2010-03-22 | not_eligible  |
        | 2010-03-23 | eligible      |
