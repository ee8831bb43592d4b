Feature: Reference-product exclusivity (12 years from first licensure)
  The first license of a new biological product under PHS Act 351(a) bars approval of a biosimilar
  or interchangeable product that refers to it for 12 years, and its application for 4 years (PHS Act
  351(k)(7), enacted March 23, 2010). It is what approval brings, shown in the plan, never a request.

  Background:
    Given a dossier with:
      | field             | value            |
      | program.name      | AAV9-NRX1        |
      | program.modality  | aav_gene_therapy |
      | development.stage | ind_active       |

  Rule: A biological product licensed under a BLA brings 12 years

    Scenario Outline: What the product is decides it
      Given the dossier states "program.modality" is "<modality>"
      When it is evaluated as of "2026-11-21"
      Then "reference_product_exclusivity" is "<determination>"

      Examples:
        | modality                   | determination |
        | aav_gene_therapy           | eligible      |
        | genetically_modified_cells | eligible      |
        | antisense_or_rna           | not_eligible  |
        | small_molecule             | not_eligible  |

    Scenario: An unknown modality is a question
      Given the dossier leaves out "program.modality"
      When it is evaluated as of "2026-11-21"
      Then "reference_product_exclusivity" is "undetermined"
      And "reference_product_exclusivity" asks about "program.modality"

    Scenario: Only the first licensure brings the period
      When it is evaluated as of "2026-11-21"
      Then "reference_product_exclusivity" is "eligible"
      And "reference_product_exclusivity" has a caveat mentioning "first licensure"

  Rule: The exclusivity exists from the Biologics Price Competition and Innovation Act (March 23, 2010)

    Scenario Outline: Evaluation dates on either side of enactment
      When it is evaluated as of "<date>"
      Then "reference_product_exclusivity" is "<determination>"

      Examples:
        | date       | determination |
        | 2010-03-22 | not_eligible  |
        | 2010-03-23 | eligible      |
