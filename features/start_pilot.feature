Feature: Support for clinical Trials Advancing Rare disease Therapeutics (START) pilot
  START gave a few selected sponsors frequent ad-hoc advice and enhanced communication with FDA
  (Federal Register notice, October 2, 2023). On the CBER track it took gene or cell therapies in
  clinical trials under an active IND (in eCTD format), with CMC development aligned with the
  clinical program, for an unmet need in a rare disease or a serious condition likely to cause
  significant disability or death in the first decade of life. Applications were accepted from
  January 2 to March 1, 2024; no new cohort has been announced, so the window is closed today.

  Background:
    Given a dossier with:
      | field                                       | value            |
      | program.name                                | AAV9-NRX1        |
      | program.modality                            | aav_gene_therapy |
      | indication.us_prevalence                    | 900              |
      | indication.disability_or_death_first_decade | true             |
      | therapy_landscape.available_therapies       | []               |
      | development.stage                           | ind_active       |
      | development.ind_in_ectd                     | true             |
      | nonclinical.cmc_aligned_with_clinical       | true             |

  Rule: Applications were accepted from January 2 to March 1, 2024

    Scenario: A qualifying gene therapy applying during the window
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "eligible"
      And "start_pilot" is decided by "start_pilot.eligible"
      And "start_pilot" has a caveat mentioning "did not guarantee selection"

    Scenario Outline: Evaluation dates just inside and outside the application window
      When it is evaluated as of "<date>"
      Then "start_pilot" is "<determination>"

      Examples:
        | date       | determination |
        | 2023-10-01 | not_eligible  |
        | 2023-10-02 | not_yet       |
        | 2024-01-01 | not_yet       |
        | 2024-01-02 | eligible      |
        | 2024-03-01 | eligible      |
        | 2024-03-02 | closed        |
        | 2026-11-21 | closed        |

    Scenario: Announced, but not yet accepting applications
      When it is evaluated as of "2023-12-01"
      Then "start_pilot" is "not_yet"
      And "start_pilot" is decided by "start_pilot.window_not_open"

    Scenario: Today the window is closed and no new cohort has been announced
      When it is evaluated as of "2026-11-21"
      Then "start_pilot" is "closed"
      And "start_pilot" is decided by "start_pilot.window_closed"
      And "start_pilot" has a caveat mentioning "second iteration"

  Rule: ST-1 and ST-2 In clinical trials under an active IND, in eCTD format

    Scenario Outline: The development stage during the window
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "<determination>"

      Examples:
        | stage         | determination |
        | ind_enabling  | not_yet       |
        | ind_active    | eligible      |
        | bla_submitted | not_eligible  |

    Scenario: Without an IND the program could not apply
      Given the dossier states "development.stage" is "research"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "not_yet"
      And "start_pilot" is decided by "start_pilot.before_ind"

    Scenario: An IND not in eCTD format
      Given the dossier states "development.ind_in_ectd" is "false"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "not_eligible"

    Scenario: Whether the IND is in eCTD format is a question
      Given the dossier leaves out "development.ind_in_ectd"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "undetermined"
      And "start_pilot" asks about "development.ind_in_ectd"

  Rule: ST-3 CMC development aligned with clinical development

    Scenario: CMC not aligned with the clinical program
      Given the dossier states "nonclinical.cmc_aligned_with_clinical" is "false"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "not_eligible"

  Rule: ST-4 A gene or cell therapy (CBER track)

    Scenario Outline: The product's modality
      Given the dossier states "program.modality" is "<modality>"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "<determination>"

      Examples:
        | modality                   | determination |
        | aav_gene_therapy           | eligible      |
        | other_in_vivo_gene_therapy | eligible      |
        | genome_editing             | eligible      |
        | genetically_modified_cells | eligible      |
        | cell_therapy               | eligible      |
        | antisense_or_rna           | not_eligible  |
        | small_molecule             | not_eligible  |

  Rule: ST-5 An unmet need in a rare disease or serious condition disabling or fatal in the first decade

    Scenario Outline: Rare or serious, and disabling or fatal in the first decade
      Given the dossier states "indication.us_prevalence" is "<prevalence>"
      And the dossier states "indication.cost_recovery_expected" is "true"
      And the dossier states "indication.serious" is "<serious>"
      And the dossier states "indication.disability_or_death_first_decade" is "<first decade>"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "<determination>"

      Examples:
        | prevalence | serious | first decade | determination |
        | 900        | false   | true         | eligible      |
        | 300000     | true    | true         | eligible      |
        | 300000     | false   | true         | not_eligible  |
        | 900        | true    | false        | not_eligible  |

    Scenario: An approved therapy with no advantage claimed: no unmet need
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Enzyme replacement}]"
      And the dossier states "therapy_landscape.advantages" is "[]"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "not_eligible"

    Scenario: A rare disease qualifies even if not serious; the sources word this criterion differently
      Given the dossier states "indication.serious" is "false"
      When it is evaluated as of "2024-02-01"
      Then "start_pilot" is "eligible"
      And "start_pilot" has a caveat mentioning "serious rare disease"
