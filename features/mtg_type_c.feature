Feature: Type C meeting
  A Type C meeting is any formal meeting that is not a Type A, Type B, Type B (EOP), Type D or
  INTERACT meeting: the general-purpose meeting for questions that do not fit a milestone or a
  narrower type (formal-meetings guidance, September 2023 revised draft; FDA OTP: Type C Meetings;
  PDUFA VII goals). Questions narrow enough for a Type D meeting go there; a stalled program, a
  dispute or a post-action meeting is a Type A matter; before the IND, early questions go to the
  INTERACT or pre-IND meeting.

  Background:
    Given a dossier with:
      | field                                    | value      |
      | program.name                             | AAV9-NRX1  |
      | development.stage                        | ind_active |
      | development.pre_ind_meeting_held         | true       |
      | development.clinical_hold                | false      |
      | development.non_approval_action_received | false      |
      | meeting.program_stalled                  | false      |
      | meeting.dispute                          | false      |
      | meeting.complex_issue                    | false      |
    And the dossier adds to "meeting.questions":
      | text                                      | topic                    | discipline |
      | Is the dose-escalation design adequate?   | trial_design             | clinical   |
      | Is the primary endpoint acceptable?       | endpoints                | statistics |
      | Is the potency assay adequate for dosing? | product_characterization | cmc        |

  Rule: Questions beyond the Type D scope

    Scenario: Three questions on three topics under the IND: request a Type C meeting
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "eligible"
      And "mtg_type_c" is decided by "mtg_type_c.eligible"
      And "mtg_type_c" has a caveat mentioning "written response"

    Scenario: Two questions on one topic fit the narrower Type D meeting
      Given the dossier states "meeting.questions" is "[]"
      And the dossier adds to "meeting.questions":
        | text                                    | topic        | discipline |
        | Is the dose-escalation design adequate? | trial_design | clinical   |
        | Is the sentinel-dosing interval enough? | trial_design | clinical   |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "not_eligible"
      And "mtg_type_c" is decided by "mtg_type_c.type_d_fits"

    Scenario: Six questions on one topic go beyond the five a Type D meeting allows
      Given the dossier states "meeting.questions" is "[]"
      And the dossier adds to "meeting.questions":
        | text       | topic        | discipline |
        | Question 1 | trial_design | clinical   |
        | Question 2 | trial_design | clinical   |
        | Question 3 | trial_design | clinical   |
        | Question 4 | trial_design | clinical   |
        | Question 5 | trial_design | clinical   |
        | Question 6 | trial_design | clinical   |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "eligible"

    Scenario: A single question on a highly complex issue
      Given the dossier states "meeting.questions" is "[]"
      And the dossier adds to "meeting.questions":
        | text                                   | topic                 | discipline |
        | Is this comparability plan acceptable? | manufacturing_process | cmc        |
      And the dossier states "meeting.complex_issue" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "eligible"

    Scenario: For a single question, whether the issue is complex is the question
      Given the dossier states "meeting.questions" is "[]"
      And the dossier adds to "meeting.questions":
        | text                                   | topic                 | discipline |
        | Is this comparability plan acceptable? | manufacturing_process | cmc        |
      And the dossier leaves out "meeting.complex_issue"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "undetermined"
      And "mtg_type_c" asks about "meeting.complex_issue"

    Scenario: No questions for FDA
      Given the dossier states "meeting.questions" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "not_eligible"

    Scenario: The questions for FDA are a question
      Given the dossier leaves out "meeting.questions"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "undetermined"
      And "mtg_type_c" asks about "meeting.questions"

  Rule: A Type A matter is not a Type C meeting

    Scenario Outline: A stalled program, a dispute or a non-approval action
      Given the dossier states "<field>" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "not_eligible"
      And "mtg_type_c" is decided by "mtg_type_c.type_a_matter"

      Examples:
        | field                                    |
        | meeting.program_stalled                  |
        | meeting.dispute                          |

    Scenario: A complete response letter on the submitted BLA is a Type A matter
      Given the dossier states "development.stage" is "bla_submitted"
      And the dossier states "development.non_approval_action_received" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "not_eligible"
      And "mtg_type_c" is decided by "mtg_type_c.type_a_matter"

  Rule: Before the IND, early questions go to the INTERACT or pre-IND meeting

    Scenario Outline: Before the IND, by whether the pre-IND meeting has been held
      Given the dossier states "development.stage" is "ind_enabling"
      And the dossier states "development.pre_ind_meeting_held" is "<pre-IND held>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "<determination>"

      Examples:
        | pre-IND held | determination |
        | false        | not_yet       |
        | true         | eligible      |

    Scenario: Before the IND with the pre-IND meeting still ahead
      Given the dossier states "development.stage" is "research"
      And the dossier states "development.pre_ind_meeting_held" is "false"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "not_yet"
      And "mtg_type_c" is decided by "mtg_type_c.before_pre_ind_meeting"

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c" is "<determination>"

      Examples:
        | stage         | determination |
        | ind_active    | eligible      |
        | bla_submitted | eligible      |
        | bla_approved  | eligible      |
