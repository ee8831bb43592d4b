Feature: Pre-BLA meeting (Type B)
  The pre-BLA meeting is a Type B meeting before the marketing application, to discuss its planned
  content: major unresolved issues, the studies relied on for effectiveness, pediatric studies,
  statistical methods, data presentation and CMC readiness (FDA OTP: Pre-BLA Meetings; PDUFA VII
  goals). It is requested under the IND once the pivotal data are available, before the BLA.

  Every criterion is about timing, so a program that does not meet one is too early or too late
  for the pre-BLA meeting ("not yet"), never "not eligible".

  Background:
    Given a dossier with:
      | field                            | value      |
      | program.name                     | AAV9-NRX1  |
      | development.stage                | ind_active |
      | development.pivotal_started      | true       |
      | development.pivotal_completed    | true       |
      | development.pre_bla_meeting_held | false      |

  Rule: Under the IND, with the pivotal data available

    Scenario: The pivotal trial is complete and no pre-BLA meeting held yet: request it now
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_pre_bla" is "eligible"
      And "mtg_type_b_pre_bla" is decided by "mtg_type_b_pre_bla.eligible"
      And "mtg_type_b_pre_bla" has a caveat mentioning "finalized"

    Scenario Outline: The pivotal trial's progress
      Given the dossier states "development.pivotal_started" is "<started>"
      And the dossier states "development.pivotal_completed" is "<completed>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_pre_bla" is "<determination>"

      Examples:
        | started | completed | determination |
        | false   | false     | not_yet       |
        | true    | false     | not_yet       |
        | true    | true      | eligible      |

    Scenario: Before the pivotal trial starts, completion is not asked
      Given the dossier states "development.pivotal_started" is "false"
      And the dossier leaves out "development.pivotal_completed"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_pre_bla" is "not_yet"
      And "mtg_type_b_pre_bla" is decided by "mtg_type_b_pre_bla.too_early"

    Scenario: Once the pivotal trial has started, whether it is complete is a question
      Given the dossier leaves out "development.pivotal_completed"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_pre_bla" is "undetermined"
      And "mtg_type_b_pre_bla" asks about "development.pivotal_completed"

  Rule: Before the BLA, and once per application

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_pre_bla" is "<determination>"
      And "mtg_type_b_pre_bla" is decided by "<rule>"

      Examples:
        | stage         | determination | rule                             |
        | ind_enabling  | not_yet       | mtg_type_b_pre_bla.too_early     |
        | ind_active    | eligible      | mtg_type_b_pre_bla.eligible      |
        | bla_submitted | closed        | mtg_type_b_pre_bla.window_closed |

    Scenario: The pre-BLA meeting has been held
      Given the dossier states "development.pre_bla_meeting_held" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_pre_bla" is "closed"
      And "mtg_type_b_pre_bla" is decided by "mtg_type_b_pre_bla.window_closed"

    Scenario: Whether the pre-BLA meeting has been held is a question
      Given the dossier leaves out "development.pre_bla_meeting_held"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_pre_bla" is "undetermined"
      And "mtg_type_b_pre_bla" asks about "development.pre_bla_meeting_held"
