Feature: Regenerative medicine advanced therapy (RMAT) designation
  RMAT designation is for a regenerative medicine therapy, including a gene therapy with a
  sustained effect on cells or tissues, intended to treat a serious condition, with preliminary
  clinical evidence indicating the potential to address an unmet medical need (FD&C Act 506(g),
  added by the 21st Century Cures Act in December 2016). It is requested with the IND or as an
  amendment to it, and is not granted while the IND is on clinical hold.

  Background:
    Given the example dossier "aav_phase12_pediatric_neuro.yaml"

  Rule: RM-1 The product is a regenerative medicine therapy

    Scenario: An AAV gene therapy with a sustained effect, for a serious disease, with clinical data qualifies
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "eligible"
      And "rmat" is decided by "rmat.eligible"
      And "rmat" has a caveat mentioning "sustained effect"

    Scenario Outline: Modality, sustained effect and regulation solely under section 361
      Given the dossier states "program.modality" is "<modality>"
      And the dossier states "program.sustained_effect" is "<sustained>"
      And the dossier states "program.regulated_solely_under_361" is "<solely 361>"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "<determination>"

      Examples:
        | modality                   | sustained | solely 361 | determination |
        | aav_gene_therapy           | true      | false      | eligible      |
        | other_in_vivo_gene_therapy | true      | false      | eligible      |
        | genome_editing             | true      | false      | eligible      |
        | aav_gene_therapy           | false     | false      | not_eligible  |
        | cell_therapy               | false     | false      | eligible      |
        | genetically_modified_cells | false     | false      | eligible      |
        | cell_therapy               | false     | true       | not_eligible  |
        | antisense_or_rna           | true      | false      | not_eligible  |
        | small_molecule             | false     | false      | not_eligible  |

    Scenario: Genetically modified cells are more than minimally manipulated, so section 361 is not asked
      Given the dossier states "program.modality" is "genetically_modified_cells"
      And the dossier leaves out "program.regulated_solely_under_361"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "eligible"
      And "rmat" has a caveat mentioning "more than minimal manipulation"

    Scenario: A gene therapy whose sustained effect is unknown is a question
      Given the dossier leaves out "program.sustained_effect"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "undetermined"
      And "rmat" asks about "program.sustained_effect"

  Rule: RM-2 The condition must be serious

    Scenario: A condition that is not serious does not qualify
      Given the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "not_eligible"
      And "rmat" is decided by "rmat.not_serious"

  Rule: RM-3 Preliminary clinical evidence of the potential to address an unmet medical need

    Scenario: An improvement against baseline is preliminary clinical evidence (no substantial improvement needed)
      Given the dossier states "clinical.endpoints" is "[{name: Motor score, kind: clinical, comparator: baseline, effect: improvement}]"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "eligible"

    Scenario: No improvement seen in treated patients
      Given the dossier states "clinical.endpoints" is "[{name: Motor score, kind: clinical, comparator: natural_history, effect: no_change}]"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "not_eligible"

    Scenario: An approved therapy and no advantage claimed over it: no unmet medical need
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Enzyme replacement}]"
      And the dossier states "therapy_landscape.advantages" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "not_eligible"

    Scenario: An approved therapy and an unknown advantage is a question
      Given the example dossier "adult_rare_with_available_therapy.yaml"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "undetermined"
      And "rmat" asks about "therapy_landscape.advantages"

  Rule: RM-4 and RM-5 Requested with the IND, with patients treated, and not during a clinical hold

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | not_yet       |
        | ind_enabling  | not_yet       |
        | ind_active    | eligible      |
        | bla_submitted | closed        |

    Scenario: Under the IND before the first patient is dosed
      Given the dossier states "clinical.patients_dosed" is "0"
      And the dossier states "clinical.endpoints" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "not_yet"
      And "rmat" is decided by "rmat.needs_ind_and_clinical_data"

    Scenario: Not granted while the IND is on clinical hold
      Given the dossier states "development.clinical_hold" is "true"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "not_yet"
      And "rmat" is decided by "rmat.clinical_hold"

    Scenario: Whether the IND is on clinical hold is a question
      Given the dossier leaves out "development.clinical_hold"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "undetermined"
      And "rmat" asks about "development.clinical_hold"

  Rule: RMAT designation exists from the 21st Century Cures Act (December 13, 2016)

    Scenario Outline: Evaluation dates on either side of the Cures Act
      When it is evaluated as of "<date>"
      Then "rmat" is "<determination>"

      Examples:
        | date       | determination |
        | 2016-12-12 | not_eligible  |
        | 2016-12-13 | eligible      |

  Rule: Where the program stands with RMAT designation: the latest record of the dossier decides

    Scenario: Requested, then granted: held, and never advised as a new request
      Given the dossier adds "{program: rmat, status: requested, date: 2026-01-05}" to "designations"
      And the dossier adds "{program: rmat, status: granted, date: 2026-03-01}" to "designations"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is recorded as "held"
      And "mtg_type_b_initial_comprehensive" is "eligible"

    Scenario: Requested, FDA has not answered: pending, with its answer due date
      Given the dossier adds "{program: rmat, status: requested, date: 2026-10-01}" to "designations"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is recorded as "pending"
      And "mtg_type_b_initial_comprehensive" is "conditional"
      And "mtg_type_b_initial_comprehensive" says "FDA's answer is due by 2026-11-30"

    Scenario: Granted, then rescinded: no longer held
      Given the dossier adds "{program: rmat, status: granted, date: 2025-01-05}" to "designations"
      And the dossier adds "{program: rmat, status: rescinded, date: 2026-03-01}" to "designations"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is recorded as "ended"
      And "mtg_type_b_initial_comprehensive" is "conditional"
      And "mtg_type_b_initial_comprehensive" is available once "breakthrough_therapy" is granted

  Rule: The request draft: safety, and the Form FDA 1571 of the IND amendment

    Scenario: The RMAT draft asks for a safety summary and the Form FDA 1571
      When it is evaluated as of "2026-11-21"
      Then the "rmat" draft has a part on "Safety so far"
      And the "rmat" draft has a part on "Form FDA 1571"
