Feature: Fast track designation
  Fast track is for a product that treats a serious condition and whose nonclinical or
  clinical data show the potential to address an unmet medical need (FD&C Act 506(b);
  FDA guidance "Expedited Programs for Serious Conditions", 2014). It is requested with
  the IND or any time after.

  Background:
    Given the example dossier "aav_phase12_pediatric_neuro.yaml"

  Rule: The condition must be serious

    Scenario: A serious condition with no approved therapy and clinical data qualifies
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "eligible"

    Scenario: A condition that is not serious does not qualify
      Given the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "not_eligible"

    Scenario: Unknown seriousness is a question, not a refusal
      Given the dossier leaves out "indication.serious"
      When it is evaluated as of "2026-11-21"
      Then "fast_track" is "undetermined"
      And "fast_track" asks about "indication.serious"

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
