Feature: Single-patient (individual patient) expanded access IND
  Expanded access treats one identified patient with an investigational product outside a
  clinical trial (21 CFR 312.305 and 312.310, final rule in force October 13, 2009). The patient
  has a serious or immediately life-threatening disease with no comparable or satisfactory
  alternative; the potential benefit justifies the risk; the physician judges the product's
  probable risk no greater than the disease's; and the patient cannot get the product under
  another IND or protocol, such as a clinical trial. A licensed physician (often on Form FDA 3926)
  or the sponsor requests it, once a patient is identified.

  Background:
    Given a dossier with:
      | field                                            | value     |
      | program.name                                     | AAV9-NRX1 |
      | indication.serious                               | true      |
      | expanded_access.patient_identified               | true      |
      | expanded_access.comparable_alternative_available | false     |
      | expanded_access.benefit_justifies_risk           | true      |
      | expanded_access.physician_judges_risk_acceptable | true      |
      | expanded_access.available_under_other_protocol   | false     |

  Rule: EA-1 A serious or immediately life-threatening disease (21 CFR 312.305(a)(1))

    Scenario: An identified patient with a serious disease, no alternative and no other access qualifies
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "eligible"
      And "expanded_access_single_patient" is decided by "expanded_access_single_patient.eligible"
      And "expanded_access_single_patient" has a caveat mentioning "IRB"

    Scenario Outline: Serious, or immediately life-threatening
      Given the dossier states "indication.serious" is "<serious>"
      And the dossier states "expanded_access.immediately_life_threatening" is "<immediately life-threatening>"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "<determination>"

      Examples:
        | serious | immediately life-threatening | determination |
        | true    | false                        | eligible      |
        | false   | true                         | eligible      |
        | false   | false                        | not_eligible  |

    Scenario: Neither serious nor immediately life-threatening
      Given the dossier states "indication.serious" is "false"
      And the dossier states "expanded_access.immediately_life_threatening" is "false"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "not_eligible"
      And "expanded_access_single_patient" is decided by "expanded_access_single_patient.not_serious"

  Rule: EA-2 No comparable or satisfactory alternative therapy (21 CFR 312.305(a)(1))

    Scenario: A comparable alternative is available to the patient
      Given the dossier states "expanded_access.comparable_alternative_available" is "true"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "not_eligible"
      And "expanded_access_single_patient" is decided by "expanded_access_single_patient.alternative_available"

    Scenario: Whether an alternative is available is a question
      Given the dossier leaves out "expanded_access.comparable_alternative_available"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "undetermined"
      And "expanded_access_single_patient" asks about "expanded_access.comparable_alternative_available"

  Rule: EA-3 and EA-4 The benefit justifies the risk, and the physician judges the risk acceptable

    Scenario Outline: Benefit-risk and the physician's judgement
      Given the dossier states "expanded_access.benefit_justifies_risk" is "<benefit justifies risk>"
      And the dossier states "expanded_access.physician_judges_risk_acceptable" is "<physician accepts risk>"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "<determination>"

      Examples:
        | benefit justifies risk | physician accepts risk | determination |
        | true                   | true                   | eligible      |
        | false                  | true                   | not_eligible  |
        | true                   | false                  | not_eligible  |

    Scenario: The physician's risk judgement is a question
      Given the dossier leaves out "expanded_access.physician_judges_risk_acceptable"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "undetermined"
      And "expanded_access_single_patient" asks about "expanded_access.physician_judges_risk_acceptable"

  Rule: EA-5 The patient cannot obtain the product under another IND or protocol (21 CFR 312.310(a)(2))

    Scenario: The patient can enroll in a trial instead
      Given the dossier states "expanded_access.available_under_other_protocol" is "true"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "not_eligible"
      And "expanded_access_single_patient" is decided by "expanded_access_single_patient.other_access"

  Rule: Requested for one identified patient

    Scenario: No patient identified yet
      Given the dossier states "expanded_access.patient_identified" is "false"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "not_yet"
      And "expanded_access_single_patient" is decided by "expanded_access_single_patient.no_patient"

    Scenario: Whether a patient is identified is a question
      Given the dossier leaves out "expanded_access.patient_identified"
      When it is evaluated as of "2026-11-21"
      Then "expanded_access_single_patient" is "undetermined"
      And "expanded_access_single_patient" asks about "expanded_access.patient_identified"
