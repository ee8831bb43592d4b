Feature: Advanced manufacturing technology (AMT) designation
  AMT designation is for a manufacturing method that incorporates a novel technology, or uses an
  established technique in a novel way, and substantially improves manufacturing while keeping
  equivalent or better quality (FD&C Act 506L, added by FDORA on December 29, 2022; FDA final
  guidance, December 2024). It can be requested at any time, also by technology developers, so
  there is no "not yet" for AMT: the program is either eligible, not eligible or undetermined.

  Background:
    Given a dossier with:
      | field                                      | value                      |
      | program.name                               | AAV9-NRX1                  |
      | manufacturing.novel_technology             | true                       |
      | manufacturing.quality_equivalent_or_better | true                       |
      | manufacturing.improvements                 | [reduces_development_time] |

  Rule: AM-1 A novel technology, or an established technique used in a novel way

    Scenario: A novel process that shortens development, with equivalent quality, qualifies
      When it is evaluated as of "2026-11-21"
      Then "amt_designation" is "eligible"
      And "amt_designation" is decided by "amt_designation.eligible"
      And "amt_designation" has a caveat mentioning "substantial"

    Scenario: A method that is not novel does not qualify
      Given the dossier states "manufacturing.novel_technology" is "false"
      When it is evaluated as of "2026-11-21"
      Then "amt_designation" is "not_eligible"
      And "amt_designation" is decided by "amt_designation.not_novel"

    Scenario: Whether the technology is novel is a question
      Given the dossier leaves out "manufacturing.novel_technology"
      When it is evaluated as of "2026-11-21"
      Then "amt_designation" is "undetermined"
      And "amt_designation" asks about "manufacturing.novel_technology"

  Rule: AM-2 and AM-3 A substantial improvement, with equivalent or better quality

    Scenario Outline: What the technology improves
      Given the dossier states "manufacturing.improvements" is "<improvements>"
      When it is evaluated as of "2026-11-21"
      Then "amt_designation" is "<determination>"

      Examples:
        | improvements               | determination |
        | [reduces_development_time] | eligible      |
        | [increases_supply]         | eligible      |
        | [improves_quality_control] | not_eligible  |
        | [reduces_cost]             | not_eligible  |
        | [reduces_cost, increases_supply] | eligible |
        | []                         | not_eligible  |

    Scenario: Quality that would be worse does not qualify
      Given the dossier states "manufacturing.quality_equivalent_or_better" is "false"
      When it is evaluated as of "2026-11-21"
      Then "amt_designation" is "not_eligible"

    Scenario: Whether quality stays equivalent is a question
      Given the dossier leaves out "manufacturing.quality_equivalent_or_better"
      When it is evaluated as of "2026-11-21"
      Then "amt_designation" is "undetermined"
      And "amt_designation" asks about "manufacturing.quality_equivalent_or_better"

  Rule: AMT designation exists from FDORA (December 29, 2022)

    Scenario Outline: Evaluation dates on either side of FDORA
      When it is evaluated as of "<date>"
      Then "amt_designation" is "<determination>"

      Examples:
        | date       | determination |
        | 2022-12-28 | not_eligible  |
        | 2022-12-29 | eligible      |

  Rule: No new requests after October 1, 2032 (section 506L(f))

    Scenario Outline: Evaluation dates on either side of the end of requests
      When it is evaluated as of "<date>"
      Then "amt_designation" is "<determination>"

      Examples:
        | date       | determination |
        | 2032-10-01 | eligible      |
        | 2032-10-02 | closed        |

    Scenario: After the end, the answer says so and why
      When it is evaluated as of "2033-01-01"
      Then "amt_designation" is decided by "amt_designation.requests_ended"

    Scenario: A method that is not novel is still refused for that reason after the end
      Given the dossier states "manufacturing.novel_technology" is "false"
      When it is evaluated as of "2033-01-01"
      Then "amt_designation" is "not_eligible"

