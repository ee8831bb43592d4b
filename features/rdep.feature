Feature: Rare Disease Evidence Principles (RDEP) process
  RDEP is a joint CDER/CBER process, announced on September 3, 2025, for products that correct a
  known genetic defect in a very small population (generally fewer than 1,000 U.S. patients) with
  a progressive disease and no adequate alternative therapy: FDA agrees early that substantial
  evidence can generally come from one adequate and well-controlled study plus confirmatory
  evidence. It is requested through the existing IND, before the pivotal trial begins.

  Background:
    Given a dossier with:
      | field                                 | value      |
      | program.name                          | AAV9-NRX1  |
      | program.corrects_genetic_defect       | true       |
      | indication.us_prevalence              | 600        |
      | indication.genetic_cause_known        | true       |
      | indication.progressive                | true       |
      | indication.genetic_defect_inborn      | true       |
      | indication.rapid_or_significant_decline | true     |
      | therapy_landscape.available_therapies | []         |
      | development.stage                     | ind_active |
      | development.pivotal_started           | false      |

  Rule: RDEP-1 A very small population: generally fewer than 1,000 persons in the U.S.

    Scenario: A gene replacement for a progressive disease of about 600 U.S. patients, with no therapy
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "eligible"
      And "rdep" is decided by "rdep.eligible"
      And "rdep" has a caveat mentioning "not a hard cut-off"

    Scenario Outline: Fewer or more than 1,000 U.S. patients
      Given the dossier states "indication.us_prevalence" is "<prevalence>"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "<determination>"

      Examples:
        | prevalence | determination |
        | 999        | eligible      |
        | 1000       | not_eligible  |
        | 12000      | not_eligible  |

    Scenario: Unknown prevalence is a question
      Given the dossier leaves out "indication.us_prevalence"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "undetermined"
      And "rdep" asks about "indication.us_prevalence"

  Rule: RDEP-2 A known genetic defect is the major driver of the disease

    Scenario: A disease not driven by a known genetic defect
      Given the dossier states "indication.genetic_cause_known" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "not_eligible"
      And "rdep" is decided by "rdep.no_known_genetic_defect"

  Rule: RDEP-3 and RDEP-5 A progressive disease, and a product that corrects the defect

    Scenario Outline: A criterion not met
      Given the dossier states "<field>" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "not_eligible"

      Examples:
        | field                           |
        | indication.progressive          |
        | program.corrects_genetic_defect |

    Scenario: Whether the product corrects the defect is a question
      Given the dossier leaves out "program.corrects_genetic_defect"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "undetermined"
      And "rdep" asks about "program.corrects_genetic_defect"

  Rule: RDEP-4 No adequate alternative therapy

    Scenario Outline: An approved therapy, and whether the product works where it fails
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Enzyme replacement}]"
      And the dossier states "therapy_landscape.advantages" is "<advantages>"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "<determination>"

      Examples:
        | advantages                        | determination |
        | [effective_where_available_fails] | eligible      |
        | [improved_adherence]              | not_eligible  |
        | []                                | not_eligible  |

    Scenario: With an approved therapy, an unknown advantage is a question
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Enzyme replacement}]"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "undetermined"
      And "rdep" asks about "therapy_landscape.advantages"

  Rule: Requested through the IND, before the pivotal trial begins

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "<determination>"

      Examples:
        | stage        | determination |
        | research     | not_yet       |
        | ind_enabling | not_yet       |
        | ind_active   | eligible      |

    Scenario: Before the IND the window is not open
      Given the dossier states "development.stage" is "ind_enabling"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "not_yet"
      And "rdep" is decided by "rdep.before_ind"

    Scenario: Once the pivotal trial has started, the window has closed
      Given the dossier states "development.pivotal_started" is "true"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "closed"
      And "rdep" is decided by "rdep.pivotal_started"

  Rule: RDEP exists from its announcement on September 3, 2025

    Scenario Outline: Evaluation dates on either side of the announcement
      When it is evaluated as of "<date>"
      Then "rdep" is "<determination>"

      Examples:
        | date       | determination |
        | 2025-09-02 | not_eligible  |
        | 2025-09-03 | eligible      |

  Rule: The defect is in-born, and the decline rapid or significant in a relatively short time

    Scenario: An acquired genetic defect does not qualify
      Given the dossier states "indication.genetic_defect_inborn" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "not_eligible"
      And "rdep" is decided by "rdep.acquired_genetic_defect"

    Scenario Outline: Whether the defect is in-born and the decline rapid are questions, from the announcement on
      Given the dossier leaves out "<field>"
      When it is evaluated as of "<date>"
      Then "rdep" is "<determination>"

      Examples:
        | field                                   | date       | determination |
        | indication.genetic_defect_inborn        | 2026-11-21 | undetermined  |
        | indication.rapid_or_significant_decline | 2026-11-21 | undetermined  |
        | indication.genetic_defect_inborn        | 2025-09-02 | not_eligible  |
        | indication.genetic_defect_inborn        | 2025-09-03 | undetermined  |

    Scenario: A slow decline does not qualify
      Given the dossier states "indication.rapid_or_significant_decline" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "not_eligible"

  Rule: A gene replacement corrects the defect without asking

    Scenario Outline: The mechanism answers the question
      Given the dossier leaves out "program.corrects_genetic_defect"
      And the dossier states "program.mechanism" is "<mechanism>"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "<determination>"

      Examples:
        | mechanism           | determination |
        | gene_replacement    | eligible      |
        | protein_replacement | eligible      |
        | gene_knockdown      | undetermined  |

    Scenario: A gene replacement is not asked whether it corrects the defect
      Given the dossier leaves out "program.corrects_genetic_defect"
      And the dossier states "program.mechanism" is "gene_replacement"
      When it is evaluated as of "2026-11-21"
      Then "rdep" does not ask about "program.corrects_genetic_defect"

  Rule: Where only an upper bound of the prevalence is known

    Scenario Outline: The upper bound against 1,000
      Given the dossier leaves out "indication.us_prevalence"
      And the dossier states "indication.us_prevalence_upper_bound" is "<bound>"
      When it is evaluated as of "2026-11-21"
      Then "rdep" is "<determination>"

      Examples:
        | bound | determination |
        | 800   | eligible      |
        | 5000  | undetermined  |

