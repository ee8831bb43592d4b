Feature: Breakthrough therapy designation
  Breakthrough therapy designation is for a product for a serious condition whose preliminary
  clinical evidence indicates that it may demonstrate substantial improvement over available
  therapy on one or more clinically significant endpoints (FD&C Act 506(a), added by FDASIA in
  2012; FDA guidance "Expedited Programs for Serious Conditions", 2014). It is requested with the
  IND or after it, once clinical data exist, and not after the original BLA is submitted.

  Background:
    Given the example dossier "aav_phase12_pediatric_neuro.yaml"

  Rule: BT-1 The condition must be serious

    Scenario: Substantial improvement on motor milestones against natural history qualifies
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "eligible"
      And "breakthrough_therapy" is decided by "breakthrough_therapy.eligible"
      And "breakthrough_therapy" has a caveat mentioning "no numeric threshold"

    Scenario: A condition that is not serious does not qualify
      Given the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "not_eligible"
      And "breakthrough_therapy" is decided by "breakthrough_therapy.not_serious"

    Scenario: Unknown seriousness is a question
      Given the dossier leaves out "indication.serious"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "undetermined"
      And "breakthrough_therapy" asks about "indication.serious"

  Rule: BT-2 to BT-4 Preliminary clinical evidence of substantial improvement on a clinically significant endpoint

    Scenario Outline: One endpoint, by kind, acceptance, comparator and effect
      Given the dossier states "clinical.endpoints" is "[]"
      And the dossier adds to "clinical.endpoints":
        | name     | kind   | surrogate_status | comparator   | effect   |
        | Endpoint | <kind> | <status>         | <comparator> | <effect> |
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "<determination>"

      Examples:
        | kind                  | status            | comparator       | effect                  | determination |
        | clinical              | not_applicable    | natural_history  | substantial_improvement | eligible      |
        | intermediate_clinical | not_applicable    | placebo          | substantial_improvement | eligible      |
        | surrogate             | reasonably_likely | external_control | substantial_improvement | eligible      |
        | biomarker             | validated         | active_control   | substantial_improvement | eligible      |
        | biomarker             | novel             | natural_history  | substantial_improvement | undetermined  |
        | clinical              | not_applicable    | baseline         | substantial_improvement | eligible      |
        | clinical              | not_applicable    | delayed_treatment | substantial_improvement | eligible     |
        | clinical              | not_applicable    | concurrent_untreated | substantial_improvement | eligible  |
        | clinical              | not_applicable    | standard_of_care | substantial_improvement | eligible      |
        | clinical              | not_applicable    | not_stated       | substantial_improvement | undetermined  |
        | clinical              | not_applicable    | none             | substantial_improvement | not_eligible  |
        | clinical              | not_applicable    | natural_history  | improvement             | not_eligible  |
        | clinical              | not_applicable    | natural_history  | no_change               | not_eligible  |

    Scenario: Unknown endpoints are a question
      Given the dossier leaves out "clinical.endpoints"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "undetermined"
      And "breakthrough_therapy" asks about "clinical.endpoints"

  Rule: Breakthrough is requested with the IND, once patients are treated, and before the BLA

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | not_yet       |
        | ind_enabling  | not_yet       |
        | ind_active    | eligible      |
        | bla_submitted | closed |
        | bla_approved  | closed |

    Scenario: Under the IND but before the first patient is dosed
      Given the dossier states "clinical.patients_dosed" is "0"
      And the dossier states "clinical.endpoints" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "not_yet"
      And "breakthrough_therapy" is decided by "breakthrough_therapy.needs_clinical_data"

    Scenario: After the BLA the window has closed
      Given the dossier states "development.stage" is "bla_submitted"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "closed"
      And "breakthrough_therapy" is decided by "breakthrough_therapy.after_application"

    Scenario: An endpoint measured in patients shows that patients were treated, whatever their number
      Given the dossier leaves out "clinical.patients_dosed"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "eligible"

    Scenario: A record that says only that patients were dosed is enough
      Given the dossier leaves out "clinical.patients_dosed"
      And the dossier states "clinical.any_patient_dosed" is "true"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "eligible"

    Scenario: Unknown number of patients dosed and unknown endpoints is a question
      Given the dossier leaves out "clinical.patients_dosed"
      And the dossier leaves out "clinical.endpoints"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "undetermined"
      And "breakthrough_therapy" asks about "clinical.patients_dosed"

  Rule: Improvement over the patients' own baseline counts in a disease that only progresses

    Background:
      Given the dossier states "clinical.endpoints" is "[]"
      And the dossier adds to "clinical.endpoints":
        | name          | kind     | comparator | effect                  |
        | Motor function | clinical | baseline   | substantial_improvement |

    Scenario: A progressive disease
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "eligible"
      And "breakthrough_therapy" is decided by "breakthrough_therapy.eligible"

    Scenario: A disease that is not progressive
      Given the dossier states "indication.progressive" is "false"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "not_eligible"

    Scenario: Whether the disease progresses is a question
      Given the dossier leaves out "indication.progressive"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" asks about "indication.progressive"

    Scenario Outline: The route exists from FDASIA (July 9, 2012)
      When it is evaluated as of "<date>"
      Then "breakthrough_therapy" is "<determination>"

      Examples:
        | date       | determination |
        | 2012-07-08 | not_eligible  |
        | 2012-07-09 | eligible      |

  Rule: An effect on a pharmacodynamic biomarker that strongly suggests a clinical effect counts

    Background:
      Given the dossier states "clinical.endpoints" is "[]"
      And the dossier adds to "clinical.endpoints":
        | name                    | kind      | surrogate_status | comparator | effect                  |
        | Protein expression      | biomarker | novel            | baseline   | substantial_improvement |

    Scenario Outline: The biomarker's link to a clinical effect decides
      Given the dossier states "clinical.biomarker_suggests_clinical_effect" is "<suggests>"
      When it is evaluated as of "<date>"
      Then "breakthrough_therapy" is "<determination>"

      Examples:
        | suggests | date       | determination |
        | true     | 2026-11-21 | eligible      |
        | false    | 2026-11-21 | not_eligible  |
        | true     | 2012-07-08 | not_eligible  |
        | true     | 2012-07-09 | eligible      |

    Scenario: Unknown link is a question
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "undetermined"
      And "breakthrough_therapy" asks about "clinical.biomarker_suggests_clinical_effect"

  Rule: A significantly better safety profile than available therapy, with similar efficacy, counts

    Background:
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Approved therapy}]"
      And the dossier states "clinical.endpoints" is "[]"
      And the dossier adds to "clinical.endpoints":
        | name            | kind     | comparator    | effect    |
        | Annual bleeds   | clinical | prior_therapy | no_change |

    Scenario Outline: The advantage claimed decides
      Given the dossier states "therapy_landscape.advantages" is "<advantages>"
      When it is evaluated as of "<date>"
      Then "breakthrough_therapy" is "<determination>"

      Examples:
        | advantages                    | date       | determination |
        | [avoids_serious_side_effects] | 2026-11-21 | eligible      |
        | [improved_adherence]          | 2026-11-21 | not_eligible  |
        | [avoids_serious_side_effects] | 2012-07-08 | not_eligible  |
        | [avoids_serious_side_effects] | 2012-07-09 | eligible      |

    Scenario: Without an approved therapy or a procedure as the standard of care there is nothing to be safer than
      Given the dossier states "therapy_landscape.available_therapies" is "[]"
      And the dossier states "therapy_landscape.standard_of_care_is_procedure" is "false"
      And the dossier states "therapy_landscape.advantages" is "[avoids_serious_side_effects]"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "not_eligible"

    Scenario Outline: A transplant as the standard of care, whose serious risks the product avoids
      Given the dossier states "therapy_landscape.available_therapies" is "[]"
      And the dossier states "therapy_landscape.advantages" is "[avoids_serious_side_effects]"
      And the dossier states "therapy_landscape.standard_of_care_is_procedure" is "<procedure>"
      When it is evaluated as of "<date>"
      Then "breakthrough_therapy" is "<determination>"

      Examples:
        | procedure | date       | determination |
        | true      | 2026-11-21 | eligible      |
        | false     | 2026-11-21 | not_eligible  |
        | true      | 2012-07-08 | not_eligible  |
        | true      | 2012-07-09 | eligible      |


  Rule: Breakthrough designation exists from FDASIA (July 9, 2012)

    Scenario Outline: Evaluation dates on either side of FDASIA
      When it is evaluated as of "<date>"
      Then "breakthrough_therapy" is "<determination>"

      Examples:
        | date       | determination |
        | 2012-07-08 | not_eligible  |
        | 2012-07-09 | eligible      |

  Rule: The smallest changes never contradict the dossier

    Scenario: With no approved therapy, no change proposes comparing with one
      Given the example dossier "aav_pre_ind_pediatric_neuro.yaml"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "not_yet"
      And no change toward "breakthrough_therapy" mentions "active control"
      And "breakthrough_therapy" is never reached by obtaining "fast_track"

    Scenario: After the BLA, no change goes back a stage to reach it
      Given the example dossier "aav_bla_submitted_priority_review_voucher.yaml"
      When it is evaluated as of "2026-11-21"
      Then no change toward "breakthrough_therapy" mentions "IND in effect"

  Rule: The request draft: safety, Form FDA 1571, and FDA's optional preliminary advice

    Scenario: The draft asks for a safety summary and the Form FDA 1571 of the IND amendment
      When it is evaluated as of "2026-11-21"
      Then the "breakthrough_therapy" draft has a part on "Safety so far"
      And the "breakthrough_therapy" draft has a part on "Form FDA 1571"

    Scenario: Before a request, the draft offers preliminary advice from the review division
      When it is evaluated as of "2026-11-21"
      Then the "breakthrough_therapy" draft has a part on "preliminary advice"

    Scenario: Once breakthrough designation is requested, no preliminary advice is offered
      Given the dossier adds "{program: breakthrough_therapy, status: requested}" to "designations"
      When it is evaluated as of "2026-11-21"
      Then the "breakthrough_therapy" draft has no part on "preliminary advice"
