Feature: End-of-phase meeting (Type B (EOP))
  The end-of-phase-2 meeting assesses whether it is safe to proceed to the pivotal (phase 3)
  trial and reviews the phase 3 plan, pediatric plans, what else the BLA needs and CMC readiness
  (FDA OTP: IND End of Phase Meetings; PDUFA VII goals). An end-of-phase-1 meeting counts as
  Type B (EOP) only for products for life-threatening or severely debilitating illnesses
  (21 CFR 312 Subpart E) or on an accelerated-approval path. Both are requested under the IND,
  once patients have been treated, before the pivotal trial starts.

  Every criterion is about timing, so a program that does not meet one is too early or too late
  for this meeting ("not yet"), never "not eligible".

  Background:
    Given a dossier with:
      | field                                                | value      |
      | program.name                                         | AAV9-NRX1  |
      | indication.life_threatening_or_severely_debilitating | true       |
      | development.stage                                    | ind_active |
      | development.phase                                    | phase_2    |
      | development.end_of_phase_1_held                      | false      |
      | development.end_of_phase_2_held                      | false      |
      | development.pivotal_started                          | false      |
      | clinical.patients_dosed                              | 12         |

  Rule: End of phase 2 (or of a phase 1/2 trial), before the pivotal trial

    Scenario: In phase 2 with patients treated, before the pivotal trial: request the end-of-phase-2 meeting now
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_eop" is "eligible"
      And "mtg_type_b_eop" is decided by "mtg_type_b_eop.end_of_phase_2"
      And "mtg_type_b_eop" has a caveat mentioning "phase 1/2 gene therapy trial"

    Scenario Outline: The window by clinical phase
      Given the dossier states "development.phase" is "<phase>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_eop" is "<determination>"
      And "mtg_type_b_eop" is decided by "<rule>"

      Examples:
        | phase     | determination | rule                                    |
        | none      | not_yet       | mtg_type_b_eop.too_early                |
        | phase_1   | eligible      | mtg_type_b_eop.end_of_phase_1_subpart_e |
        | phase_1_2 | eligible      | mtg_type_b_eop.end_of_phase_2           |
        | phase_2   | eligible      | mtg_type_b_eop.end_of_phase_2           |
        | phase_3   | closed        | mtg_type_b_eop.window_closed            |
        | phase_2_3 | closed        | mtg_type_b_eop.window_closed            |

    Scenario Outline: After the end-of-phase-2 meeting or the start of the pivotal trial, the window has passed
      Given the dossier states "<field>" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_eop" is "closed"
      And "mtg_type_b_eop" is decided by "mtg_type_b_eop.window_closed"

      Examples:
        | field                           |
        | development.end_of_phase_2_held |
        | development.pivotal_started     |

    Scenario: Whether the pivotal trial has started is a question
      Given the dossier leaves out "development.pivotal_started"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_eop" is "undetermined"
      And "mtg_type_b_eop" asks about "development.pivotal_started"

    Scenario: The clinical phase is a question
      Given the dossier leaves out "development.phase"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_eop" is "undetermined"
      And "mtg_type_b_eop" asks about "development.phase"

  Rule: End of phase 1 counts as Type B (EOP) only for a life-threatening or severely debilitating illness (Subpart E)

    Scenario Outline: Phase 1, by the Subpart E standard and an earlier end-of-phase-1 meeting
      Given the dossier states "development.phase" is "phase_1"
      And the dossier states "indication.life_threatening_or_severely_debilitating" is "<subpart E>"
      And the dossier states "development.end_of_phase_1_held" is "<held>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_eop" is "<determination>"
      And "mtg_type_b_eop" is decided by "<rule>"

      Examples:
        | subpart E | held  | determination | rule                                           |
        | true      | false | eligible      | mtg_type_b_eop.end_of_phase_1_subpart_e        |
        | false     | false | not_yet       | mtg_type_b_eop.phase_1_wait_for_end_of_phase_2 |
        | true      | true  | not_yet       | mtg_type_b_eop.phase_1_wait_for_end_of_phase_2 |

    Scenario: In phase 1, whether the illness meets the Subpart E standard is a question
      Given the dossier states "development.phase" is "phase_1"
      And the dossier leaves out "indication.life_threatening_or_severely_debilitating"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_eop" is "undetermined"
      And "mtg_type_b_eop" asks about "indication.life_threatening_or_severely_debilitating"

  Rule: Under the IND, with patients treated, before the BLA

    Scenario Outline: The request window by development stage and patients treated
      Given the dossier states "development.stage" is "<stage>"
      And the dossier states "clinical.patients_dosed" is "<patients>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_eop" is "<determination>"
      And "mtg_type_b_eop" is decided by "<rule>"

      Examples:
        | stage         | patients | determination | rule                          |
        | ind_enabling  | 0        | not_yet       | mtg_type_b_eop.too_early      |
        | ind_active    | 0        | not_yet       | mtg_type_b_eop.too_early      |
        | ind_active    | 1        | eligible      | mtg_type_b_eop.end_of_phase_2 |
        | bla_submitted | 40       | closed        | mtg_type_b_eop.window_closed  |
