Feature: Right to Try (an eligible patient, outside FDA's expanded access)
  Under FD&C Act section 561B (Right to Try Act, May 30, 2018), an eligible patient (a life-threatening
  disease, approved treatments exhausted, unable to join a trial of the drug) may receive an eligible
  investigational drug (phase 1 completed, not approved for any use, in an application filed with
  FDA or in a trial meant to support approval under an active IND, not discontinued, not on clinical
  hold) without FDA review of the use; the sponsor reports to FDA yearly.

  Background:
    Given a dossier with:
      | field                                             | value      |
      | program.name                                      | AAV9-NRX1  |
      | development.stage                                 | ind_active |
      | development.phase_1_completed                     | true       |
      | development.pivotal_started                       | true       |
      | development.clinical_hold                         | false      |
      | expanded_access.patient_life_threatening          | true       |
      | expanded_access.patient_exhausted_approved_options | true      |

  Rule: An eligible patient and an eligible investigational drug (561B(a))

    Scenario: A pivotal trial under way and an eligible patient
      When it is evaluated as of "2026-11-21"
      Then "right_to_try" is "eligible"
      And "right_to_try" is decided by "right_to_try.eligible"
      And "right_to_try" has a caveat mentioning "informed consent"

    Scenario: A BLA submitted also makes the drug eligible
      Given the dossier states "development.stage" is "bla_submitted"
      And the dossier states "development.pivotal_started" is "false"
      When it is evaluated as of "2026-11-21"
      Then "right_to_try" is "eligible"

    Scenario Outline: The patient's eligibility
      Given the dossier states "expanded_access.patient_life_threatening" is "<life-threatening>"
      And the dossier states "expanded_access.patient_exhausted_approved_options" is "<exhausted>"
      When it is evaluated as of "2026-11-21"
      Then "right_to_try" is "<determination>"

      Examples:
        | life-threatening | exhausted | determination |
        | true             | true      | eligible      |
        | false            | true      | not_eligible  |
        | true             | false     | not_eligible  |

    Scenario: On clinical hold, the drug is not eligible
      Given the dossier states "development.clinical_hold" is "true"
      When it is evaluated as of "2026-11-21"
      Then "right_to_try" is "not_eligible"
      And "right_to_try" is decided by "right_to_try.not_an_eligible_drug"

    Scenario: An approved product is not an investigational drug
      Given the dossier states "development.stage" is "bla_approved"
      When it is evaluated as of "2026-11-21"
      Then "right_to_try" is "not_eligible"

    Scenario: Before phase 1 is completed it is too early
      Given the dossier states "development.phase_1_completed" is "false"
      When it is evaluated as of "2026-11-21"
      Then "right_to_try" is "not_yet"
      And "right_to_try" is decided by "right_to_try.too_early"

    Scenario: Before a trial meant to support approval it is too early
      Given the dossier states "development.pivotal_started" is "false"
      When it is evaluated as of "2026-11-21"
      Then "right_to_try" is "not_yet"

    Scenario: Whether the patient has exhausted approved treatments is a question
      Given the dossier leaves out "expanded_access.patient_exhausted_approved_options"
      When it is evaluated as of "2026-11-21"
      Then "right_to_try" is "undetermined"
      And "right_to_try" asks about "expanded_access.patient_exhausted_approved_options"

  Rule: From the Right to Try Act (May 30, 2018)

    Scenario Outline: Evaluation dates on either side of enactment
      When it is evaluated as of "<date>"
      Then "right_to_try" is "<determination>"

      Examples:
        | date       | determination |
        | 2018-05-29 | not_eligible  |
        | 2018-05-30 | eligible      |
