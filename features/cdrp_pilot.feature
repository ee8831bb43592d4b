Feature: CMC Development and Readiness Pilot (CDRP)
  The CDRP is a CBER/CDER pilot (a PDUFA VII commitment) for products under an IND, for a serious
  condition with an unmet medical need, whose clinical development is on an accelerated timeline:
  two extra CMC-focused Type B meetings, so that CMC readiness keeps pace with the clinical program
  (Federal Register notice, October 31, 2022). It is requested as an amendment to the IND; the
  first application window opened on April 1, 2023.

  Background:
    Given a dossier with:
      | field                                 | value      |
      | program.name                          | AAV9-NRX1  |
      | indication.serious                    | true       |
      | therapy_landscape.available_therapies | []         |
      | development.stage                     | ind_active |
      | development.accelerated_timeline      | true       |

  Rule: CD-1 to CD-3 Under an IND, a serious condition with unmet need, an accelerated clinical timeline

    Scenario: A product under an IND for a serious disease with no therapy, on an accelerated timeline, qualifies
      When it is evaluated as of "2026-11-21"
      Then "cdrp_pilot" is "eligible"
      And "cdrp_pilot" is decided by "cdrp_pilot.eligible"
      And "cdrp_pilot" has a caveat mentioning "nine proposals"

    Scenario Outline: Seriousness, unmet need and the clinical timeline
      Given the dossier states "<field>" is "<value>"
      When it is evaluated as of "2026-11-21"
      Then "cdrp_pilot" is "<determination>"

      Examples:
        | field                                 | value                        | determination |
        | indication.serious                    | false                        | not_eligible  |
        | development.accelerated_timeline      | false                        | not_eligible  |
        | therapy_landscape.available_therapies | [{name: Enzyme replacement}] | undetermined  |

    Scenario: Whether development is on an accelerated timeline is a question
      Given the dossier leaves out "development.accelerated_timeline"
      When it is evaluated as of "2026-11-21"
      Then "cdrp_pilot" is "undetermined"
      And "cdrp_pilot" asks about "development.accelerated_timeline"

  Rule: CDRP is requested as an amendment to the IND, before the BLA

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "cdrp_pilot" is "<determination>"
      And "cdrp_pilot" is decided by "<rule>"

      Examples:
        | stage         | determination | rule                             |
        | research      | not_yet       | cdrp_pilot.before_ind            |
        | ind_enabling  | not_yet       | cdrp_pilot.before_ind            |
        | ind_active    | eligible      | cdrp_pilot.eligible              |
        | bla_submitted | closed | cdrp_pilot.application_submitted |

    Scenario: The development stage is a question
      Given the dossier leaves out "development.stage"
      When it is evaluated as of "2026-11-21"
      Then "cdrp_pilot" is "undetermined"
      And "cdrp_pilot" asks about "development.stage"

  Rule: The pilot was announced on October 31, 2022; requests were accepted from April 1, 2023

    Scenario Outline: Evaluation dates around the first application window
      When it is evaluated as of "<date>"
      Then "cdrp_pilot" is "<determination>"

      Examples:
        | date       | determination |
        | 2022-10-30 | not_eligible  |
        | 2022-10-31 | not_yet       |
        | 2023-03-31 | not_yet       |
        | 2023-04-01 | eligible      |

    Scenario: Between the announcement and the first window, the window is not open yet
      When it is evaluated as of "2023-01-15"
      Then "cdrp_pilot" is "not_yet"
      And "cdrp_pilot" is decided by "cdrp_pilot.first_window_not_open"

  Rule: The pilot ends with PDUFA VII on September 30, 2027

    Scenario Outline: Evaluation dates around the end of PDUFA VII
      When it is evaluated as of "<date>"
      Then "cdrp_pilot" is "<determination>"

      Examples:
        | date       | determination |
        | 2027-09-30 | eligible      |
        | 2027-10-01 | closed        |
        | 2029-06-01 | closed        |

    Scenario: After the end, the answer says the pilot has closed and why
      When it is evaluated as of "2027-10-01"
      Then "cdrp_pilot" is decided by "cdrp_pilot.pdufa_vii_ended"
      And "cdrp_pilot" has a caveat mentioning "PDUFA VIII"

    Scenario: While it runs, the answer warns that the window's dates are not checked
      When it is evaluated as of "2026-11-21"
      Then "cdrp_pilot" has a caveat mentioning "closing date of each window"
