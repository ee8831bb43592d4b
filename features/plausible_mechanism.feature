Feature: Plausible mechanism framework
  The plausible mechanism framework is an evidentiary framework, not a designation, for
  individualized therapies that target the known molecular cause of a severely debilitating or
  life-threatening disease where randomized trials are not feasible (Prasad and Makary, N Engl J
  Med, November 12, 2025; FDA draft guidance, February 2026). Substantial evidence can come from a
  very small number of patients when five elements are all established: the cause, the targeting,
  the natural history, target engagement and clinical improvement. It is discussed in development
  meetings and applied in the review.

  Background:
    Given a dossier with:
      | field                                                | value      |
      | program.name                                         | ASO-N1     |
      | program.individualized                               | true       |
      | program.targets_root_cause                           | true       |
      | program.target_engagement_confirmed                  | true       |
      | indication.life_threatening_or_severely_debilitating | true       |
      | indication.genetic_cause_known                       | true       |
      | indication.natural_history_characterized             | true       |
      | development.stage                                    | ind_active |
      | clinical.patients_dosed                              | 2          |
    And the dossier adds to "clinical.endpoints":
      | name              | kind     | comparator | effect      |
      | Seizure frequency | clinical | baseline   | improvement |

  Rule: PM-1 A specific molecular or cellular abnormality is the known cause

    Scenario: An individualized therapy meeting all five elements
      When it is evaluated as of "2026-11-21"
      Then "plausible_mechanism" is "eligible"
      And "plausible_mechanism" is decided by "plausible_mechanism.eligible"
      And "plausible_mechanism" has a caveat mentioning "regression to the mean"

    Scenario: A disease whose biological cause is not known
      Given the dossier states "indication.genetic_cause_known" is "false"
      When it is evaluated as of "2026-11-21"
      Then "plausible_mechanism" is "not_eligible"
      And "plausible_mechanism" is decided by "plausible_mechanism.cause_not_known"

    Scenario: A therapy that is not individualized is refused in the rule's own words, not its code
      Given the dossier states "program.individualized" is "false"
      When it is evaluated as of "2026-11-21"
      Then "plausible_mechanism" is "not_eligible"
      And the reason for "plausible_mechanism" reads "The therapy is not individualized for one patient or a very small group."

  Rule: PM-2 to PM-4 Individualized, severe, targeting the root cause, natural history known, target engaged

    Scenario Outline: One element not established
      Given the dossier states "<field>" is "false"
      When it is evaluated as of "2026-11-21"
      Then "plausible_mechanism" is "not_eligible"

      Examples:
        | field                                                |
        | program.individualized                               |
        | indication.life_threatening_or_severely_debilitating |
        | program.targets_root_cause                           |
        | indication.natural_history_characterized             |
        | program.target_engagement_confirmed                  |

    Scenario: Whether target engagement is confirmed is a question
      Given the dossier leaves out "program.target_engagement_confirmed"
      When it is evaluated as of "2026-11-21"
      Then "plausible_mechanism" is "undetermined"
      And "plausible_mechanism" asks about "program.target_engagement_confirmed"

  Rule: PM-5 Improvement in treated patients, on a clinical endpoint or an established biomarker

    Scenario Outline: The endpoint's kind, acceptance and effect
      Given the dossier states "clinical.endpoints" is "[]"
      And the dossier adds to "clinical.endpoints":
        | name     | kind   | surrogate_status | comparator | effect   |
        | Endpoint | <kind> | <status>         | baseline   | <effect> |
      When it is evaluated as of "2026-11-21"
      Then "plausible_mechanism" is "<determination>"

      Examples:
        | kind                  | status            | effect                  | determination |
        | clinical              | not_applicable    | improvement             | eligible      |
        | intermediate_clinical | not_applicable    | substantial_improvement | eligible      |
        | biomarker             | reasonably_likely | improvement             | eligible      |
        | biomarker             | novel             | improvement             | not_eligible  |
        | clinical              | not_applicable    | no_change               | not_eligible  |

    Scenario Outline: Before patients are treated the clinical element cannot be shown
      Given the dossier states "development.stage" is "<stage>"
      And the dossier states "clinical.patients_dosed" is "0"
      When it is evaluated as of "2026-11-21"
      Then "plausible_mechanism" is "not_yet"
      And "plausible_mechanism" is decided by "plausible_mechanism.no_clinical_data"

      Examples:
        | stage        |
        | ind_enabling |
        | ind_active   |

    Scenario: The number of patients dosed is a question when no endpoint was measured
      Given the dossier leaves out "clinical.patients_dosed"
      And the dossier leaves out "clinical.endpoints"
      When it is evaluated as of "2026-11-21"
      Then "plausible_mechanism" is "undetermined"
      And "plausible_mechanism" asks about "clinical.patients_dosed"

  Rule: The framework applies from its publication on November 12, 2025

    Scenario Outline: Evaluation dates on either side of the publication
      When it is evaluated as of "<date>"
      Then "plausible_mechanism" is "<determination>"

      Examples:
        | date       | determination |
        | 2025-11-11 | not_eligible  |
        | 2025-11-12 | eligible      |
