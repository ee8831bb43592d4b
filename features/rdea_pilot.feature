Feature: Rare Disease Endpoint Advancement (RDEA) pilot
  The RDEA pilot is a CDER/CBER meeting program (a PDUFA VII commitment) for developing a novel
  efficacy endpoint for a rare disease: an initial meeting and up to three follow-up meetings with
  FDA endpoint experts (Federal Register, October 27, 2022; FDA RDEA pages). The sponsor has an IND
  or pre-IND for the disease, or a natural-history study in which the endpoint will be studied.
  Proposals are accepted quarterly from July 1, 2023 through June 30, 2027.

  Background:
    Given a dossier with:
      | field                            | value      |
      | program.name                     | AAV9-NRX1  |
      | indication.us_prevalence         | 900        |
      | clinical.novel_efficacy_endpoint | true       |
      | development.stage                | ind_active |

  Rule: RE-1 and RE-2 A rare disease and a novel efficacy endpoint

    Scenario: A novel endpoint for a rare disease under an IND: propose it now
      When it is evaluated as of "2026-11-21"
      Then "rdea_pilot" is "eligible"
      And "rdea_pilot" is decided by "rdea_pilot.eligible"
      And "rdea_pilot" has a caveat mentioning "one primary proposal"

    Scenario: An endpoint already used to support an approval is not novel
      Given the dossier states "clinical.novel_efficacy_endpoint" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rdea_pilot" is "not_eligible"
      And "rdea_pilot" is decided by "rdea_pilot.not_novel_endpoint"

    Scenario: Whether the endpoint is novel is a question
      Given the dossier leaves out "clinical.novel_efficacy_endpoint"
      When it is evaluated as of "2026-11-21"
      Then "rdea_pilot" is "undetermined"
      And "rdea_pilot" asks about "clinical.novel_efficacy_endpoint"

    Scenario Outline: Prevalence on either side of 200,000, when sales would recover the costs
      Given the dossier states "indication.us_prevalence" is "<prevalence>"
      And the dossier states "indication.cost_recovery_expected" is "true"
      When it is evaluated as of "2026-11-21"
      Then "rdea_pilot" is "<determination>"

      Examples:
        | prevalence | determination |
        | 199999     | eligible      |
        | 200000     | not_eligible  |

  Rule: RE-3 An IND or pre-IND for the disease, or a natural-history study

    Scenario Outline: Before the IND, by pre-IND meeting and natural-history study
      Given the dossier states "development.stage" is "ind_enabling"
      And the dossier states "development.pre_ind_meeting_held" is "<pre-IND held>"
      And the dossier states "development.natural_history_study" is "<natural-history study>"
      When it is evaluated as of "2026-11-21"
      Then "rdea_pilot" is "<determination>"

      Examples:
        | pre-IND held | natural-history study | determination |
        | false        | false                 | not_yet       |
        | true         | false                 | eligible      |
        | false        | true                  | eligible      |

    Scenario: No IND, pre-IND or natural-history study yet
      Given the dossier states "development.stage" is "research"
      And the dossier states "development.pre_ind_meeting_held" is "false"
      And the dossier states "development.natural_history_study" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rdea_pilot" is "not_yet"
      And "rdea_pilot" is decided by "rdea_pilot.no_entry_point_yet"
      And "rdea_pilot" has a caveat mentioning "pre-assigned pre-IND number"

    Scenario: Before the IND, whether a natural-history study is planned is a question
      Given the dossier states "development.stage" is "research"
      And the dossier states "development.pre_ind_meeting_held" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rdea_pilot" is "undetermined"
      And "rdea_pilot" asks about "development.natural_history_study"

  Rule: Proposals are accepted from July 1, 2023 through June 30, 2027

    Scenario Outline: Evaluation dates around the proposal window
      When it is evaluated as of "<date>"
      Then "rdea_pilot" is "<determination>"

      Examples:
        | date       | determination |
        | 2022-10-26 | not_eligible  |
        | 2022-10-27 | not_yet       |
        | 2023-06-30 | not_yet       |
        | 2023-07-01 | eligible      |
        | 2027-06-30 | eligible      |
        | 2027-07-01 | closed        |

    Scenario: Announced, but not yet accepting proposals
      When it is evaluated as of "2023-03-15"
      Then "rdea_pilot" is "not_yet"
      And "rdea_pilot" is decided by "rdea_pilot.window_not_open"

    Scenario: The proposal window has closed
      When it is evaluated as of "2027-09-01"
      Then "rdea_pilot" is "closed"
      And "rdea_pilot" is decided by "rdea_pilot.window_closed"
