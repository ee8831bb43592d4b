Feature: Accelerated approval
  Accelerated approval is an approval pathway, not a designation: for a serious condition, a
  product with a meaningful advantage over available therapy can be approved on an effect on a
  surrogate endpoint, or an intermediate clinical endpoint, that is reasonably likely to predict
  clinical benefit, with confirmatory trials to verify that benefit (21 CFR 601 Subpart E, in
  force January 11, 1993; FD&C Act 506(c)). FDA decides at approval; the sponsor discusses the
  endpoint and the confirmatory trial during development.

  Background:
    Given a dossier with:
      | field                                 | value      |
      | program.name                          | AAV8-GLA   |
      | indication.serious                    | true       |
      | therapy_landscape.available_therapies | []         |
      | development.stage                     | ind_active |
      | clinical.patients_dosed               | 8          |
      | clinical.confirmatory_trial_planned   | true       |
    And the dossier adds to "clinical.endpoints":
      | name             | kind      | surrogate_status  | comparator      | effect      |
      | Plasma substrate | surrogate | reasonably_likely | natural_history | improvement |

  Rule: AA-1 The condition must be serious

    Scenario: A surrogate reasonably likely to predict benefit, for a serious disease, with a confirmatory trial
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "eligible"
      And "accelerated_approval" is decided by "accelerated_approval.eligible"
      And "accelerated_approval" has a caveat mentioning "FDORA"

    Scenario: A condition that is not serious does not qualify
      Given the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "not_eligible"
      And "accelerated_approval" is decided by "accelerated_approval.not_serious"

  Rule: AA-2 A meaningful advantage over available therapy

    Scenario Outline: An approved therapy, and the advantage claimed over it
      Given the dossier states "therapy_landscape.available_therapies" is "<therapies>"
      And the dossier states "therapy_landscape.advantages" is "<advantages>"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "<determination>"

      Examples:
        | therapies                                                       | advantages                        | determination |
        | [{name: Enzyme replacement}]                                    | [effective_where_available_fails] | eligible      |
        | [{name: Enzyme replacement}]                                    | []                                | not_eligible  |
        | [{name: Gene therapy X, accelerated_approval_unverified: true}] | []                                | eligible      |

  Rule: AA-3 An effect on a surrogate or intermediate clinical endpoint reasonably likely to predict benefit

    Scenario Outline: The endpoint's kind, acceptance, comparator and effect
      Given the dossier states "clinical.endpoints" is "[]"
      And the dossier adds to "clinical.endpoints":
        | name     | kind   | surrogate_status | comparator   | effect   |
        | Endpoint | <kind> | <status>         | <comparator> | <effect> |
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "<determination>"

      Examples:
        | kind                  | status            | comparator      | effect                  | determination |
        | surrogate             | reasonably_likely | natural_history | improvement             | eligible      |
        | biomarker             | validated         | baseline        | improvement             | eligible      |
        | intermediate_clinical | not_applicable    | placebo         | substantial_improvement | eligible      |
        | surrogate             | novel             | natural_history | improvement             | undetermined  |
        | clinical              | not_applicable    | natural_history | substantial_improvement | not_eligible  |
        | surrogate             | reasonably_likely | natural_history | no_change               | not_eligible  |
        | surrogate             | reasonably_likely | none            | improvement             | not_eligible  |

    Scenario Outline: A novel surrogate counts once FDA agrees it is reasonably likely to predict benefit
      Given the dossier states "clinical.endpoints" is "[{name: CSF biomarker, kind: surrogate, surrogate_status: novel, comparator: baseline, effect: improvement}]"
      And the dossier states "clinical.novel_surrogate_accepted" is "<accepted>"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "<determination>"

      Examples:
        | accepted | determination |
        | true     | eligible      |
        | false    | not_eligible  |

    Scenario: For a novel surrogate, FDA's agreement is the question
      Given the dossier states "clinical.endpoints" is "[{name: CSF biomarker, kind: surrogate, surrogate_status: novel, comparator: baseline, effect: improvement}]"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "undetermined"
      And "accelerated_approval" asks about "clinical.novel_surrogate_accepted"

    Scenario: Unknown endpoints are a question
      Given the dossier leaves out "clinical.endpoints"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "undetermined"
      And "accelerated_approval" asks about "clinical.endpoints"

  Rule: AA-4 Confirmatory trials to verify the clinical benefit

    Scenario: No confirmatory trial planned
      Given the dossier states "clinical.confirmatory_trial_planned" is "false"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "not_eligible"

    Scenario: Whether a confirmatory trial is planned is a question
      Given the dossier leaves out "clinical.confirmatory_trial_planned"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "undetermined"
      And "accelerated_approval" asks about "clinical.confirmatory_trial_planned"

  Rule: Accelerated approval rests on an effect seen in treated patients

    Scenario Outline: Development stage and patients treated
      Given the dossier states "development.stage" is "<stage>"
      And the dossier states "clinical.patients_dosed" is "<patients>"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "<determination>"

      Examples:
        | stage         | patients | determination |
        | research      | 0        | not_yet       |
        | ind_enabling  | 0        | not_yet       |
        | ind_active    | 0        | not_yet       |
        | ind_active    | 1        | eligible      |
        | bla_submitted | 40       | eligible      |

    Scenario: Before any patient is treated the pathway cannot be assessed
      Given the dossier states "clinical.patients_dosed" is "0"
      When it is evaluated as of "2026-11-21"
      Then "accelerated_approval" is "not_yet"
      And "accelerated_approval" is decided by "accelerated_approval.no_clinical_data"

  Rule: Accelerated approval of biologics exists from January 11, 1993 (21 CFR 601 Subpart E)

    Scenario Outline: Evaluation dates on either side of Subpart E
      When it is evaluated as of "<date>"
      Then "accelerated_approval" is "<determination>"

      Examples:
        | date       | determination |
        | 1993-01-10 | not_eligible  |
        | 1993-01-11 | eligible      |
