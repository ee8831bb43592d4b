Feature: Type C meeting to discuss a new surrogate endpoint
  A Type C meeting for a program that intends to use, as a surrogate endpoint, a biomarker never
  used before as the primary basis for approval in the proposed context of use (FDA OTP: Type C
  Meetings to Discuss New Surrogate Endpoint(s); created by the PDUFA VI commitment letter for
  fiscal years 2018 to 2022, from October 1, 2017, and continued under PDUFA VII). FDA expects it
  once preliminary clinical results show the biomarker responding to the product; the complete
  package, with those human data, comes with the request.

  Background:
    Given a dossier with:
      | field                   | value      |
      | program.name            | AAV9-NRX1  |
      | development.stage       | ind_active |
      | clinical.patients_dosed | 6          |
      | meeting.questions       | []         |
    And the dossier adds to "clinical.endpoints":
      | name                  | kind      | surrogate_status | comparator | effect      |
      | CSF storage biomarker | surrogate | novel            | baseline   | improvement |

  Rule: A new surrogate endpoint, with preliminary human data showing the biomarker responding

    Scenario: A novel surrogate that responded in treated patients: request the meeting now
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c_surrogate" is "eligible"
      And "mtg_type_c_surrogate" is decided by "mtg_type_c_surrogate.eligible"
      And "mtg_type_c_surrogate" has a caveat mentioning "generally tolerable"

    Scenario Outline: The endpoint's kind, acceptance and effect
      Given the dossier states "clinical.endpoints" is "[]"
      And the dossier adds to "clinical.endpoints":
        | name     | kind   | surrogate_status | comparator | effect   |
        | Endpoint | <kind> | <status>         | baseline   | <effect> |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c_surrogate" is "<determination>"

      Examples:
        | kind      | status            | effect                  | determination |
        | surrogate | novel             | improvement             | eligible      |
        | surrogate | novel             | substantial_improvement | eligible      |
        | surrogate | novel             | not_yet_measured        | not_yet       |
        | surrogate | novel             | no_change               | not_yet       |
        | surrogate | reasonably_likely | improvement             | not_eligible  |
        | biomarker | novel             | improvement             | not_eligible  |
        | clinical  | not_applicable    | improvement             | not_eligible  |

    Scenario: A novel surrogate not yet measured in patients
      Given the dossier states "clinical.endpoints" is "[{name: CSF storage biomarker, kind: surrogate, surrogate_status: novel, comparator: none, effect: not_yet_measured}]"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c_surrogate" is "not_yet"
      And "mtg_type_c_surrogate" is decided by "mtg_type_c_surrogate.awaiting_human_data"

    Scenario: A novel biomarker, with a question for FDA about its use as a surrogate endpoint
      Given the dossier states "clinical.endpoints" is "[{name: CSF storage biomarker, kind: biomarker, surrogate_status: novel, comparator: baseline, effect: improvement}]"
      And the dossier adds to "meeting.questions":
        | text                                                | topic              | discipline |
        | Can the CSF biomarker support accelerated approval? | surrogate_endpoint | clinical   |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c_surrogate" is "eligible"
      And "mtg_type_c_surrogate" has a caveat mentioning "surrogate-endpoint question"

    Scenario: For a novel biomarker, the questions for FDA decide whether it is proposed as a surrogate
      Given the example dossier "aav_phase12_pediatric_neuro.yaml"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c_surrogate" is "undetermined"
      And "mtg_type_c_surrogate" asks about "meeting.questions"

    Scenario: The endpoints measured are a question
      Given the dossier leaves out "clinical.endpoints"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_c_surrogate" is "undetermined"
      And "mtg_type_c_surrogate" asks about "clinical.endpoints"

  Rule: The meeting type exists from PDUFA VI (October 1, 2017)

    Scenario Outline: Evaluation dates on either side of PDUFA VI
      When it is evaluated as of "<date>"
      Then "mtg_type_c_surrogate" is "<determination>"

      Examples:
        | date       | determination |
        | 2017-09-30 | not_eligible  |
        | 2017-10-01 | eligible      |
