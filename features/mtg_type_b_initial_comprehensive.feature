Feature: Initial Comprehensive Meeting after breakthrough or RMAT designation (Type B)
  After a product receives breakthrough therapy or RMAT designation, OTP encourages one Type B
  "Initial Comprehensive Meeting": a multidisciplinary discussion of the whole development
  program, including planned trials and plans for expediting manufacturing development (FDA OTP:
  Meetings for RMAT and BT Designated Products). It is requested once a designation is granted and
  before the pre-BLA meeting; a product designated late, after its pre-BLA meeting, does not need it.

  Background:
    Given a dossier with:
      | field                            | value      |
      | program.name                     | AAV9-NRX1  |
      | development.stage                | ind_active |
      | development.pivotal_started      | false      |
      | development.pre_bla_meeting_held | false      |
    And the dossier adds "{program: rmat, status: granted, date: 2026-05-04}" to "designations"

  Rule: Breakthrough therapy or RMAT designation has been granted

    Scenario: RMAT granted, before the pre-BLA meeting: request the Initial Comprehensive Meeting now
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "eligible"
      And "mtg_type_b_initial_comprehensive" is decided by "mtg_type_b_initial_comprehensive.eligible"
      And "mtg_type_b_initial_comprehensive" has a caveat mentioning "one Initial Comprehensive Meeting"

    Scenario Outline: The designation held, by program and status
      Given the dossier states "designations" is "[{program: <program>, status: <status>}]"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "<determination>"

      Examples:
        | program              | status    | determination |
        | breakthrough_therapy | granted   | eligible      |
        | rmat                 | granted   | eligible      |
        | rmat                 | requested | conditional   |
        | breakthrough_therapy | denied    | conditional   |
        | fast_track           | granted   | conditional   |

  Rule: Without breakthrough or RMAT designation, it is available once one the program qualifies for is granted

    Scenario: A breakthrough request awaiting FDA's decision
      Given the dossier states "designations" is "[{program: breakthrough_therapy, status: requested, date: 2026-10-01}]"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "conditional"
      And "mtg_type_b_initial_comprehensive" is available once "breakthrough_therapy, rmat" is granted
      And "breakthrough_therapy" is recorded as "pending"
      And "mtg_type_b_initial_comprehensive" says "FDA's answer is due by 2026-11-30"

    Scenario: A denied breakthrough request is not counted on
      Given the dossier states "designations" is "[{program: breakthrough_therapy, status: denied}]"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "conditional"
      And "mtg_type_b_initial_comprehensive" is available once "rmat" is granted

    Scenario: One designation granted while the other is still pending
      Given the dossier adds "{program: breakthrough_therapy, status: requested}" to "designations"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "eligible"
      And "rmat" is recorded as "held"

    Scenario: No designation at all: it names the designations the program may qualify for
      Given the dossier states "designations" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "conditional"
      And "mtg_type_b_initial_comprehensive" is available once "breakthrough_therapy, rmat" is granted
      And "mtg_type_b_initial_comprehensive" says "Available once breakthrough therapy or"

    Scenario: Qualifying for neither designation, the meeting is not available
      Given the dossier states "designations" is "[]"
      And the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "not_eligible"
      And "mtg_type_b_initial_comprehensive" says "qualifies for none of them"

    Scenario: Before patients are treated, neither designation can be requested yet
      Given the dossier states "designations" is "[]"
      And the dossier states "clinical.patients_dosed" is "0"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "not_yet"

    Scenario: The designations held are a question
      Given the dossier leaves out "designations"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "conditional"
      And "mtg_type_b_initial_comprehensive" asks about "designations"
      And "mtg_type_b_initial_comprehensive" says "does not list the program's designations"

  Rule: Before the pre-BLA meeting and the BLA

    Scenario: After the pre-BLA meeting the meeting is no longer needed
      Given the dossier states "development.pivotal_started" is "true"
      And the dossier states "development.pre_bla_meeting_held" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "closed"
      And "mtg_type_b_initial_comprehensive" is decided by "mtg_type_b_initial_comprehensive.window_closed"

    Scenario Outline: The window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "<determination>"

      Examples:
        | stage         | determination |
        | ind_active    | eligible      |
        | bla_submitted | closed |
        | bla_approved  | closed |

    Scenario: Before the pivotal trial starts, no pre-BLA meeting is taken to have been held, without asking
      Given the dossier leaves out "development.pre_bla_meeting_held"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "eligible"

    Scenario: Once the pivotal trial has started, whether a pre-BLA meeting was held is a question
      Given the dossier states "development.pivotal_started" is "true"
      And the dossier leaves out "development.pre_bla_meeting_held"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "undetermined"
      And "mtg_type_b_initial_comprehensive" asks about "development.pre_bla_meeting_held"

  Rule: In the recommended course, it is held within the end-of-phase meeting where OTP allows

    Scenario: RMAT granted at the end of phase 1/2: one meeting covers both
      Given the example dossier "course_end_of_phase_meeting_with_initial_comprehensive.yaml"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_b_initial_comprehensive" is "eligible"
      And the course holds "mtg_type_b_initial_comprehensive" within "mtg_type_b_eop"
      And the course does not request "mtg_type_b_initial_comprehensive"
      And the course does not request "rmat"

    Scenario: With the end-of-phase meeting already held, it is a meeting of its own
      Given the example dossier "course_end_of_phase_meeting_with_initial_comprehensive.yaml"
      And the dossier states "development.end_of_phase_2_held" is "true"
      When it is evaluated as of "2026-11-21"
      Then the course requests "mtg_type_b_initial_comprehensive"
      And the course does not request "mtg_type_b_eop"
