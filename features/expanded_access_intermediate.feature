Feature: Intermediate-size population expanded access
  A group of patients, smaller than a treatment IND would serve, can be treated outside the trials
  (21 CFR 312.315, final rule in force October 13, 2009): the criteria of 312.305(a) hold, the
  patients cannot join a trial (or the product is not being developed), the safety data would justify
  a trial in about as many patients, and there is at least preliminary clinical evidence of
  effectiveness or of a plausible pharmacologic effect.

  Background:
    Given a dossier with:
      | field                                            | value     |
      | program.name                                     | AAV9-NRX1 |
      | indication.serious                               | true      |
      | expanded_access.patient_group_identified         | true      |
      | expanded_access.comparable_alternative_available | false     |
      | expanded_access.benefit_justifies_risk           | true      |
      | expanded_access.available_under_other_protocol   | false     |
      | expanded_access.safety_supports_group_size       | true      |
      | expanded_access.preliminary_effectiveness        | true      |

  Rule: The criteria of 312.305(a) and 312.315(b)

    Scenario: A group that cannot join the trial, with safety and early evidence, qualifies
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_intermediate" is "eligible"
      And "expanded_access_intermediate" is decided by "expanded_access_intermediate.eligible"

    Scenario Outline: Evidence enough for a group
      Given the dossier states "expanded_access.safety_supports_group_size" is "<safety>"
      And the dossier states "expanded_access.preliminary_effectiveness" is "<effect>"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_intermediate" is "<determination>"

      Examples:
        | safety | effect | determination |
        | true   | true   | eligible      |
        | false  | true   | not_eligible  |
        | true   | false  | not_eligible  |

    Scenario: A disease neither serious nor immediately life-threatening
      Given the dossier states "indication.serious" is "false"
      And the dossier states "expanded_access.immediately_life_threatening" is "false"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_intermediate" is "not_eligible"
      And "expanded_access_intermediate" is decided by "expanded_access_intermediate.not_serious"

    Scenario: The patients can join the trial instead
      Given the dossier states "expanded_access.available_under_other_protocol" is "true"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_intermediate" is "not_eligible"

    Scenario: No group is asking yet
      Given the dossier states "expanded_access.patient_group_identified" is "false"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_intermediate" is "not_yet"

    Scenario: Whether the safety data suffice is a question
      Given the dossier leaves out "expanded_access.safety_supports_group_size"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_intermediate" is "undetermined"
      And "expanded_access_intermediate" asks about "expanded_access.safety_supports_group_size"

  Rule: In force from October 13, 2009

    Scenario Outline: Evaluation dates on either side of the final rule's effective date
      When it is evaluated as of "<date>"
      Then "expanded_access_intermediate" is "<determination>"

      Examples:
        | date       | determination |
        | 2009-10-12 | not_eligible  |
        | 2009-10-13 | eligible      |
