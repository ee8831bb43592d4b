Feature: Pre-IND meeting (Type B)
  The pre-IND meeting is a Type B meeting before the IND, for feedback on the preclinical program,
  the first-in-human study and the CMC needed to start human studies (FDA OTP: Pre-IND Meetings;
  PDUFA VII meeting management goals). It comes once proof-of-concept studies with the selected
  product are done and the sponsor is moving to definitive toxicology, and before the IND.

  Every criterion is about timing, so a program that does not meet one is too early or too late
  for the pre-IND meeting ("not yet"), never "not eligible".

  Background:
    Given a dossier with:
      | field                                     | value        |
      | program.name                              | AAV9-NRX1    |
      | development.stage                         | ind_enabling |
      | development.product_selected              | true         |
      | nonclinical.proof_of_concept              | true         |
      | nonclinical.definitive_toxicology_started | true         |
      | development.pre_ind_meeting_held          | false        |

  Rule: Proof of concept done with the selected product, before the IND and before any pre-IND meeting

    Scenario: Proof of concept done and definitive toxicology under way: request the pre-IND meeting now
      When it is evaluated as of "2026-11-21"
      Then "mtg_pre_ind" is "eligible"
      And "mtg_pre_ind" is decided by "mtg_pre_ind.eligible"
      And "mtg_pre_ind" has a caveat mentioning "lot-release criteria"

    Scenario: The example program preparing its pre-IND meeting
      Given the example dossier "aav_pre_ind_pediatric_neuro.yaml"
      When it is evaluated as of "2026-11-21"
      Then "mtg_pre_ind" is "eligible"

    Scenario Outline: Too early or too late for the pre-IND meeting
      Given the dossier states "<field>" is "<value>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_pre_ind" is "<determination>"
      And "mtg_pre_ind" is decided by "<rule>"

      Examples:
        | field                            | value      | rule                      | determination |
        | development.product_selected     | false      | mtg_pre_ind.too_early     | not_yet       |
        | nonclinical.proof_of_concept     | false      | mtg_pre_ind.too_early     | not_yet       |
        | development.pre_ind_meeting_held | true       | mtg_pre_ind.window_closed | closed        |
        | development.stage                | ind_active | mtg_pre_ind.window_closed | closed        |

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "mtg_pre_ind" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | eligible      |
        | ind_enabling  | eligible      |
        | ind_active    | closed |
        | bla_submitted | closed |
        | bla_approved  | closed |

    Scenario: Whether the pre-IND meeting has been held is a question
      Given the dossier leaves out "development.pre_ind_meeting_held"
      When it is evaluated as of "2026-11-21"
      Then "mtg_pre_ind" is "undetermined"
      And "mtg_pre_ind" asks about "development.pre_ind_meeting_held"

    Scenario: Whether proof of concept is done is a question
      Given the dossier leaves out "nonclinical.proof_of_concept"
      When it is evaluated as of "2026-11-21"
      Then "mtg_pre_ind" is "undetermined"
      And "mtg_pre_ind" asks about "nonclinical.proof_of_concept"

  Rule: The request draft offers the questions AAV sponsors ask, for an AAV vector only

    Scenario: An AAV gene therapy's pre-IND request suggests the usual AAV questions
      Given the dossier states "program.modality" is "aav_gene_therapy"
      When it is evaluated as of "2026-11-21"
      Then the "mtg_pre_ind" draft has a part on "Screening patients for antibodies to the capsid"
      And the "mtg_pre_ind" draft has a part on "Long-term follow-up"
      And the "mtg_pre_ind" draft has a part on "Shedding"
      And the "mtg_pre_ind" draft has a part on "Immunosuppression"
      And the "mtg_pre_ind" draft has a part on "Empty and full capsids"

    Scenario: A cell therapy's pre-IND request does not
      Given the dossier states "program.modality" is "cell_therapy"
      When it is evaluated as of "2026-11-21"
      Then the "mtg_pre_ind" draft has no part on "AAV gene therapies"

    Scenario: An AAV gene therapy's INTERACT request does not either
      Given the dossier states "program.modality" is "aav_gene_therapy"
      When it is evaluated as of "2026-11-21"
      Then the "mtg_interact" draft has no part on "AAV gene therapies"
