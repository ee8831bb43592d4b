Feature: Initial pediatric study plan (PREA)
  A sponsor whose BLA will be for a new active ingredient submits an initial pediatric study plan
  no later than 60 days after the end-of-phase-2 meeting, or at another time agreed with FDA, and
  before the pediatric assessments (FD&C Act 505B(e), as amended by FDASIA, July 9, 2012). An
  indication with orphan designation is exempt (505B(k)(1)), except for the molecularly targeted
  pediatric cancer investigation (505B(k)(2)).

  Background:
    Given a dossier with:
      | field                           | value      |
      | program.name                    | AAV9-NRX1  |
      | program.modality                | aav_gene_therapy |
      | indication.oncology             | false      |
      | development.stage               | ind_active |
      | development.end_of_phase_2_held | true       |
      | development.pivotal_started     | false      |
      | designations                    | []         |

  Rule: Due within 60 days after the end-of-phase-2 meeting (505B(e)(2)(A))

    Scenario: After the end-of-phase-2 meeting, with no orphan designation, the plan is due
      When it is evaluated as of "2026-11-21"
      Then "pediatric_study_plan" is "eligible"
      And "pediatric_study_plan" is decided by "pediatric_study_plan.required"

    Scenario: Before the end-of-phase-2 meeting and the pivotal trial, it is not due yet
      Given the dossier states "development.end_of_phase_2_held" is "false"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_study_plan" is "not_yet"
      And "pediatric_study_plan" is decided by "pediatric_study_plan.before_end_of_phase_2"

    Scenario: With no end-of-phase-2 meeting, the pivotal trial's start makes it due
      Given the dossier states "development.end_of_phase_2_held" is "false"
      And the dossier states "development.pivotal_started" is "true"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_study_plan" is "eligible"

    Scenario: Once the BLA is submitted, the initial plan's time has passed
      Given the dossier states "development.stage" is "bla_submitted"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_study_plan" is "closed"

  Rule: An orphan-designated indication is exempt (505B(k)(1)), but not a cancer one (505B(k)(2))

    Scenario: Orphan designation granted for a disease that is not a cancer
      Given the dossier states "designations" is "[{program: orphan_drug_designation, status: granted}]"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_study_plan" is "not_eligible"
      And "pediatric_study_plan" is decided by "pediatric_study_plan.orphan_exempt"

    Scenario: Orphan designation only requested does not exempt
      Given the dossier states "designations" is "[{program: orphan_drug_designation, status: requested}]"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_study_plan" is "eligible"

    Scenario: An orphan-designated cancer indication is not treated as exempt
      Given the dossier states "designations" is "[{program: orphan_drug_designation, status: granted}]"
      And the dossier states "indication.oncology" is "true"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_study_plan" is "eligible"
      And "pediatric_study_plan" has a caveat mentioning "molecularly targeted"

    Scenario: Whether orphan designation is held is a question
      Given the dossier leaves out "designations"
      When it is evaluated as of "2026-11-21"
      Then "pediatric_study_plan" is "undetermined"
      And "pediatric_study_plan" asks about "designations"

  Rule: The requirement exists from FDASIA (July 9, 2012)

    Scenario Outline: Evaluation dates on either side of FDASIA
      When it is evaluated as of "<date>"
      Then "pediatric_study_plan" is "<determination>"

      Examples:
        | date       | determination |
        | 2012-07-08 | not_eligible  |
        | 2012-07-09 | eligible      |
