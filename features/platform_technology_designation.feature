Feature: Platform technology designation
  Platform technology designation is for a well-understood, reproducible platform technology (for
  example a vector or a delivery method) already incorporated in an approved drug or licensed
  biologic, with preliminary evidence that it can be used in more than one product and a
  reasonable likelihood of significant efficiencies (FD&C Act 506K, added on December 29, 2022;
  FDA draft guidance, May 2024). It is requested with the IND of a product that uses the platform,
  or any time after, and usually helps follow-on products rather than a first-in-class program.

  Background:
    Given a dossier with:
      | field                                         | value                                     |
      | program.name                                  | AAV9-NRX2                                 |
      | development.stage                             | ind_active                                |
      | manufacturing.platform                        | AAV9 capsid and suspension HEK293 process |
      | manufacturing.platform_in_approved_product    | true                                      |
      | manufacturing.platform_right_of_reference     | true                                      |
      | manufacturing.platform_multi_product_evidence | true                                      |
      | manufacturing.platform_efficiencies_likely    | true                                      |

  Rule: PT-1 The platform is incorporated in an approved product

    Scenario: A follow-on product on the sponsor's approved AAV platform qualifies
      When it is evaluated as of "2026-11-21"
      Then "platform_technology_designation" is "eligible"
      And "platform_technology_designation" is decided by "platform_technology_designation.eligible"
      And "platform_technology_designation" has a caveat mentioning "still a draft"

    Scenario: A first-in-class platform, not yet in an approved product
      Given the dossier states "manufacturing.platform_in_approved_product" is "false"
      When it is evaluated as of "2026-11-21"
      Then "platform_technology_designation" is "not_eligible"
      And "platform_technology_designation" is decided by "platform_technology_designation.not_in_approved_product"

    Scenario: Whether the platform is in an approved product is a question
      Given the dossier leaves out "manufacturing.platform_in_approved_product"
      When it is evaluated as of "2026-11-21"
      Then "platform_technology_designation" is "undetermined"
      And "platform_technology_designation" asks about "manufacturing.platform_in_approved_product"

  Rule: PT-2 to PT-4 Right of reference, evidence across products, and likely efficiencies

    Scenario Outline: One criterion not met
      Given the dossier states "<field>" is "false"
      When it is evaluated as of "2026-11-21"
      Then "platform_technology_designation" is "not_eligible"

      Examples:
        | field                                         |
        | manufacturing.platform_right_of_reference     |
        | manufacturing.platform_multi_product_evidence |
        | manufacturing.platform_efficiencies_likely    |

    Scenario: Whether the requester has a right of reference is a question
      Given the dossier leaves out "manufacturing.platform_right_of_reference"
      When it is evaluated as of "2026-11-21"
      Then "platform_technology_designation" is "undetermined"
      And "platform_technology_designation" asks about "manufacturing.platform_right_of_reference"

  Rule: Requested with the IND of a product that uses the platform, or after it

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "platform_technology_designation" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | not_yet       |
        | ind_enabling  | not_yet       |
        | ind_active    | eligible      |
        | bla_submitted | eligible      |

    Scenario: Before the IND the window is not open
      Given the dossier states "development.stage" is "ind_enabling"
      When it is evaluated as of "2026-11-21"
      Then "platform_technology_designation" is "not_yet"
      And "platform_technology_designation" is decided by "platform_technology_designation.before_ind"

  Rule: Platform technology designation exists from December 29, 2022 (section 506K)

    Scenario Outline: Evaluation dates on either side of section 506K
      When it is evaluated as of "<date>"
      Then "platform_technology_designation" is "<determination>"

      Examples:
        | date       | determination |
        | 2022-12-28 | not_eligible  |
        | 2022-12-29 | eligible      |

  Rule: Serious safety events linked to the platform stand in the way

    Scenario Outline: A safety concern, on either side of the 2022 act
      Given the dossier states "manufacturing.platform_safety_concern" is "<concern>"
      When it is evaluated as of "<date>"
      Then "platform_technology_designation" is "<determination>"

      Examples:
        | concern | date       | determination |
        | true    | 2026-11-21 | not_eligible  |
        | true    | 2022-12-29 | not_eligible  |
        | true    | 2022-12-28 | not_eligible  |

    Scenario: The safety concern decides and says why
      Given the dossier states "manufacturing.platform_safety_concern" is "true"
      When it is evaluated as of "2026-11-21"
      Then "platform_technology_designation" is decided by "platform_technology_designation.safety_concern"

