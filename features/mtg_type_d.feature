Feature: Type D meeting
  A Type D meeting is for a narrow set of issues: one or two focused topics, no more than three to
  five questions, input from no more than three disciplines or divisions, and no highly complex
  issue (FDA OTP: Type D Meetings; formal-meetings guidance, September 2023 revised draft). It is
  new under PDUFA VII (from October 1, 2022) and may be requested at any stage of development, so
  there is no "not yet" for Type D.

  Background:
    Given a dossier with:
      | field                 | value      |
      | program.name          | AAV9-NRX1  |
      | development.stage     | ind_active |
      | meeting.complex_issue | false      |
    And the dossier adds to "meeting.questions":
      | text                                    | topic        | discipline |
      | Is the sentinel-dosing interval enough? | trial_design | clinical   |

  Rule: TD-2 No more than three to five questions (five is the outer bound)

    Scenario: One focused question: request a Type D meeting now
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "eligible"
      And "mtg_type_d" is decided by "mtg_type_d.eligible"
      And "mtg_type_d" has a caveat mentioning "case by case"
      And "mtg_type_d" has a caveat mentioning "from OTP's Type D page only"

    Scenario Outline: The number of questions, on one topic
      Given the dossier states "meeting.questions" is "[]"
      And the dossier adds "{text: Dose escalation, topic: trial_design, discipline: clinical}" to "meeting.questions" <count> times
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "<determination>"
      And "mtg_type_d" is decided by "<rule>"

      Examples:
        | count | determination | rule                                       |
        | 1     | eligible      | mtg_type_d.eligible                        |
        | 3     | eligible      | mtg_type_d.eligible                        |
        | 4     | eligible      | mtg_type_d.eligible_four_or_five_questions |
        | 5     | eligible      | mtg_type_d.eligible_four_or_five_questions |
        | 6     | not_eligible  | mtg_type_d.too_many_questions              |

    Scenario: Four or five questions may still be judged too many
      Given the dossier adds "{text: Dose escalation, topic: trial_design, discipline: clinical}" to "meeting.questions" 3 times
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "eligible"
      And "mtg_type_d" has a caveat mentioning "four or five questions may still be judged too many"

    Scenario: No questions for FDA
      Given the dossier states "meeting.questions" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "not_eligible"

    Scenario: The questions for FDA are a question
      Given the dossier leaves out "meeting.questions"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "undetermined"
      And "mtg_type_d" asks about "meeting.questions"

  Rule: TD-1 One or two focused topics

    Scenario Outline: Two or three topics
      Given the dossier adds to "meeting.questions":
        | text                              | topic     | discipline |
        | Is the primary endpoint adequate? | endpoints | clinical   |
        | <third question>                  | <topic>   | clinical   |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "<determination>"

      Examples:
        | third question                      | topic           | determination |
        | Is the secondary endpoint adequate? | endpoints       | eligible      |
        | Is the natural-history cohort apt?  | natural_history | not_eligible  |

    Scenario: Three topics are too many
      Given the dossier adds to "meeting.questions":
        | text                               | topic           | discipline |
        | Is the primary endpoint adequate?  | endpoints       | clinical   |
        | Is the natural-history cohort apt? | natural_history | clinical   |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "not_eligible"
      And "mtg_type_d" is decided by "mtg_type_d.too_many_topics"

  Rule: TD-3 Input from no more than three disciplines

    Scenario Outline: Three or four disciplines, on one topic
      Given the dossier adds to "meeting.questions":
        | text                          | topic        | discipline   |
        | Is the sample size adequate?  | trial_design | statistics   |
        | Is the dose justified by PK?  | trial_design | <discipline> |
        | Is the toxicology sufficient? | trial_design | <other>      |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "<determination>"

      Examples:
        | discipline            | other                   | determination |
        | clinical_pharmacology | clinical                | eligible      |
        | clinical_pharmacology | pharmacology_toxicology | not_eligible  |

    Scenario: Four disciplines are too many
      Given the dossier adds to "meeting.questions":
        | text                          | topic        | discipline              |
        | Is the sample size adequate?  | trial_design | statistics              |
        | Is the dose justified by PK?  | trial_design | clinical_pharmacology   |
        | Is the toxicology sufficient? | trial_design | pharmacology_toxicology |
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "not_eligible"
      And "mtg_type_d" is decided by "mtg_type_d.too_many_disciplines"

  Rule: TD-4 No highly complex issue

    Scenario: A highly complex issue calls for a Type B or C meeting instead
      Given the dossier states "meeting.complex_issue" is "true"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "not_eligible"
      And "mtg_type_d" is decided by "mtg_type_d.complex_issue"

    Scenario: Whether the issue is highly complex is a question
      Given the dossier leaves out "meeting.complex_issue"
      When it is evaluated as of "2026-11-21"
      Then "mtg_type_d" is "undetermined"
      And "mtg_type_d" asks about "meeting.complex_issue"

  Rule: Type D meetings exist from PDUFA VII (October 1, 2022)

    Scenario Outline: Evaluation dates on either side of PDUFA VII
      When it is evaluated as of "<date>"
      Then "mtg_type_d" is "<determination>"

      Examples:
        | date       | determination |
        | 2022-09-30 | not_eligible  |
        | 2022-10-01 | eligible      |
