Feature: Fast track designation
  Fast track is for a product that treats a serious condition and whose nonclinical or
  clinical data show the potential to address an unmet medical need (FD&C Act 506(b);
  FDA guidance "Expedited Programs for Serious Conditions", 2014). It is requested with
  the IND or any time after.

  Background:
    Given the example dossier "aav_phase12_pediatric_neuro.yaml"

  Rule: FT-1 The condition must be serious

    Scenario: A serious condition with no approved therapy and clinical data qualifies
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "eligible"
      And "fast_track" is decided by "fast_track.eligible"
      And "fast_track" has a caveat mentioning "withdraw"

    Scenario: A condition that is not serious does not qualify
      Given the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "not_eligible"
      And "fast_track" is decided by "fast_track.not_serious"

    Scenario: Unknown seriousness is a question, not a refusal
      Given the dossier leaves out "indication.serious"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "undetermined"
      And "fast_track" asks about "indication.serious"

  Rule: FT-2 There is an unmet medical need: no available therapy, or an advantage over it

    Scenario Outline: Approved therapy, and the advantage claimed over it
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Enzyme replacement}]"
      And the dossier states "therapy_landscape.advantages" is "<advantages>"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "<determination>"

      Examples:
        | advantages                    | determination |
        | [improved_effectiveness]      | eligible      |
        | [avoids_serious_side_effects] | eligible      |
        | [improved_adherence]          | eligible      |
        | [reaches_manifestation_available_cannot] | eligible |
        | [disease_modifying_where_available_symptomatic] | eligible |
        | []                            | not_eligible  |

    Scenario: A therapy approved under accelerated approval, benefit not yet verified, is not available therapy
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Gene therapy X, accelerated_approval_unverified: true}]"
      And the dossier states "therapy_landscape.advantages" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "eligible"

    Scenario: With an approved therapy, an unknown advantage is a question
      Given the dossier states "therapy_landscape.available_therapies" is "[{name: Enzyme replacement}]"
      And the dossier leaves out "therapy_landscape.advantages"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "undetermined"
      And "fast_track" asks about "therapy_landscape.advantages"

    Scenario: Whether any therapy is approved is a question
      Given the dossier leaves out "therapy_landscape.available_therapies"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "undetermined"
      And "fast_track" asks about "therapy_landscape.available_therapies"

  Rule: FT-3 Nonclinical or clinical data show the potential to address the need

    Scenario: Nonclinical proof of concept is enough, before any clinical data
      Given the dossier states "clinical.patients_dosed" is "0"
      And the dossier states "clinical.endpoints" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "eligible"

    Scenario: Neither proof of concept nor clinical evidence
      Given the dossier states "nonclinical.proof_of_concept" is "false"
      And the dossier states "clinical.patients_dosed" is "0"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "not_eligible"

  Rule: Fast track is requested with the IND or after it

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | not_yet       |
        | ind_enabling  | not_yet       |
        | ind_active    | eligible      |
        | bla_submitted | eligible      |

    Scenario: Before the IND the window is not open, whatever the data
      Given the example dossier "aav_pre_ind_pediatric_neuro.yaml"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "not_yet"
      And "fast_track" is decided by "fast_track.before_ind"

  Rule: Fast track exists from FDAMA (November 21, 1997)

    Scenario Outline: Evaluation dates on either side of FDAMA
      When it is evaluated as of "<date>"
      Then "fast_track" is "<determination>"

      Examples:
        | date       | determination |
        | 1997-11-20 | not_eligible  |
        | 1997-11-21 | eligible      |

  Rule: In the recommended course, fast track is the fallback: breakthrough and RMAT include its features

    Scenario: A program that qualifies for RMAT is advised to request RMAT, not fast track
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "eligible"
      And the course requests "rmat"
      And the course requests "rmat" before "breakthrough_therapy"
      And the course does not request "fast_track"

    Scenario: With RMAT and breakthrough denied, fast track is requested
      Given the dossier adds to "designations":
        | program              | status | date       |
        | rmat                 | denied | 2026-06-01 |
        | breakthrough_therapy | denied | 2026-06-01 |
      When it is evaluated as of "2026-11-21"
      Then the course requests "fast_track"
      And the course does not request "rmat"
      And the course does not request "breakthrough_therapy"

    Scenario: A pending RMAT request is not requested again, and fast track still waits behind it
      Given the dossier adds to "designations":
        | program | status    | date       |
        | rmat    | requested | 2026-10-01 |
      When it is evaluated as of "2026-11-21"
      Then the course does not request "rmat"
      And the course does not request "fast_track"

    Scenario: After the BLA is submitted, fast track is not requested
      Given the example dossier "aav_bla_submitted_priority_review_voucher.yaml"
      When it is evaluated as of "2026-11-21"
      Then the course does not request "fast_track"
      And the course does not request "breakthrough_therapy"
