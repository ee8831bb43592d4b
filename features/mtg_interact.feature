Feature: INTERACT meeting
  INTERACT (Initial Targeted Engagement for Regulatory Advice on CBER/CDER Products) is an early,
  informal, non-binding consultation for an innovative product, before the program is ready for a
  pre-IND meeting (CBER program since June 22, 2018; a PDUFA VII meeting type since fiscal year
  2023). The product, or its derivation strategy, is selected and preliminary proof-of-concept
  studies are done, but definitive toxicology studies have not been designed or conducted, no
  pre-IND meeting has been held and there is no IND.

  Every criterion is about timing: a program that does not meet one is either too early or too
  late for INTERACT ("not yet"). INTERACT is "not eligible" only on dates before the program existed.

  Background:
    Given a dossier with:
      | field                                     | value     |
      | program.name                              | AAV9-NRX1 |
      | development.stage                         | research  |
      | development.product_selected              | true      |
      | nonclinical.proof_of_concept              | true      |
      | nonclinical.definitive_toxicology_started | false     |
      | development.pre_ind_meeting_held          | false     |

  Rule: IM-1 to IM-4 Product selected and proof of concept done, before definitive toxicology, the pre-IND meeting and the IND

    Scenario: A selected product with proof of concept, before definitive toxicology, can request INTERACT now
      When it is evaluated as of "2026-11-21"
      Then "mtg_interact" is "eligible"
      And "mtg_interact" is decided by "mtg_interact.eligible"
      And "mtg_interact" has a caveat mentioning "innovative products"

    Scenario Outline: Too early or too late for INTERACT
      Given the dossier states "<field>" is "<value>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_interact" is "<determination>"
      And "mtg_interact" is decided by "<rule>"

      Examples:
        | field                                     | value | rule                   | determination |
        | development.product_selected              | false | mtg_interact.too_early | not_yet       |
        | nonclinical.proof_of_concept              | false | mtg_interact.too_early | not_yet       |
        | nonclinical.definitive_toxicology_started | true  | mtg_interact.too_late  | closed        |
        | development.pre_ind_meeting_held          | true  | mtg_interact.too_late  | closed        |

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_interact" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | eligible      |
        | ind_enabling  | eligible      |
        | ind_active    | closed |
        | bla_submitted | closed |

    Scenario: Whether definitive toxicology has started is a question
      Given the dossier leaves out "nonclinical.definitive_toxicology_started"
      When it is evaluated as of "2026-11-21"
      Then "mtg_interact" is "undetermined"
      And "mtg_interact" asks about "nonclinical.definitive_toxicology_started"

  Rule: CBER's INTERACT program exists from June 22, 2018

    Scenario Outline: Evaluation dates on either side of the program's start
      When it is evaluated as of "<date>"
      Then "mtg_interact" is "<determination>"

      Examples:
        | date       | determination |
        | 2018-06-21 | not_eligible  |
        | 2018-06-22 | eligible      |
