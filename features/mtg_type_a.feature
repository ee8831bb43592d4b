Feature: Type A meeting
  A Type A meeting is needed for an otherwise stalled development program to proceed: dispute
  resolution, a clinical hold whose response has been submitted while development is stalled, or a
  post-action meeting after a non-approval action (FDA OTP: Type A Meetings; formal-meetings
  guidance, September 2023 revised draft; PDUFA VII goals). It is the fastest meeting type: FDA
  responds to the request within 14 days and holds the meeting within 30. OTP asks for Type A
  requests as an amendment to the existing IND.

  Background:
    Given a dossier with:
      | field                                    | value      |
      | program.name                             | AAV9-NRX1  |
      | development.stage                        | ind_active |
      | development.clinical_hold                | false      |
      | development.non_approval_action_received | false      |
      | meeting.program_stalled                  | false      |
      | meeting.dispute                          | false      |

  Rule: A Type A matter: a stalled program, a dispute, or a non-approval action

    Scenario: A stalled program can request a Type A meeting now
      Given the dossier states "meeting.program_stalled" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "eligible"
      And "mtg_type_a" is decided by "mtg_type_a.eligible"
      And "mtg_type_a" has a caveat mentioning "Contact the review division"

    Scenario Outline: Each Type A matter
      Given the dossier states "<field>" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "<determination>"

      Examples:
        | field                                    | determination |
        | meeting.program_stalled                  | eligible      |
        | meeting.dispute                          | eligible      |
        | development.clinical_hold                | not_eligible  |

    Scenario Outline: A complete response or refuse-to-file letter answers a submitted BLA
      Given the dossier states "development.stage" is "<stage>"
      And the dossier states "development.non_approval_action_received" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "<determination>"

      Examples:
        | stage         | determination |
        | bla_submitted | eligible      |
        | ind_active    | not_eligible  |

    Scenario: A clinical hold with the response submitted and development stalled
      Given the dossier states "development.clinical_hold" is "true"
      And the dossier states "meeting.program_stalled" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "eligible"
      And "mtg_type_a" has a caveat mentioning "complete response to the hold"

    Scenario: Nothing stalled, no dispute, no non-approval action: not a Type A matter
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "not_eligible"

    Scenario: Whether the program is stalled is a question
      Given the dossier leaves out "meeting.program_stalled"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "undetermined"
      And "mtg_type_a" asks about "meeting.program_stalled"

  Rule: Type A requests are made to an existing IND

    Scenario Outline: A dispute, by development stage
      Given the dossier states "meeting.dispute" is "true"
      And the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | not_yet       |
        | ind_enabling  | not_yet       |
        | ind_active    | eligible      |
        | bla_submitted | eligible      |

    Scenario: A Type A matter before the IND goes to an early meeting instead
      Given the dossier states "meeting.program_stalled" is "true"
      And the dossier states "development.stage" is "ind_enabling"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "not_yet"
      And "mtg_type_a" is decided by "mtg_type_a.before_ind"

  Rule: The interview asks only what can matter at the program's stage

    Scenario: Under an IND, no question about a complete response letter
      Given a dossier with:
        | field             | value      |
        | program.name      | AAV9-NRX1  |
        | development.stage | ind_active |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "undetermined"
      And the interview never asks about "development.non_approval_action_received"
      And the interview asks about "program.modality" before "indication.serious"
      And the interview asks about "development.phase" before "indication.serious"

    Scenario: Once the BLA is submitted, the complete response letter is asked about
      Given a dossier with:
        | field             | value         |
        | program.name      | AAV9-NRX1     |
        | development.stage | bla_submitted |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_a" is "undetermined"
      And the interview asks about "development.non_approval_action_received" before "meeting.dispute"

  Rule: In the recommended course, on clinical hold the Type A meeting comes first

    Scenario: On clinical hold, designation requests and the end-of-phase meeting wait for it
      Given the example dossier "course_clinical_hold_type_a_first.yaml"
      When it is evaluated as of "2026-11-21"
      Then the course requests "mtg_type_a" before "breakthrough_therapy"
      And in the course "breakthrough_therapy" waits for "mtg_type_a"
      And in the course "mtg_type_b_eop" waits for "mtg_type_a"
      And in the course "orphan_drug_designation" waits for "mtg_type_a"
      And the course does not request "fast_track"

    Scenario: Without a clinical hold, a Type A meeting holds nothing back
      Given the example dossier "course_clinical_hold_type_a_first.yaml"
      And the dossier states "development.clinical_hold" is "false"
      When it is evaluated as of "2026-11-21"
      Then the course requests "breakthrough_therapy" now
      And the course requests "mtg_type_b_eop" now
