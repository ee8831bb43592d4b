Feature: Rare pediatric disease designation and priority review voucher
  Rare pediatric disease designation is for a product for a disease that is serious or
  life-threatening, whose serious manifestations primarily affect individuals from birth to 18
  years, and that is rare under section 526 (FD&C Act 529(a)(3)). On approval of a qualifying BLA
  it can bring a transferable priority review voucher. New designations stopped qualifying for a
  voucher after December 20, 2024; the Consolidated Appropriations Act, 2026 (February 3, 2026)
  extended FDA's authority to award vouchers through September 30, 2029.

  Background:
    Given a dossier with:
      | field                                       | value      |
      | program.name                                | AAV9-NRX1  |
      | indication.serious                          | true       |
      | indication.us_prevalence                    | 900        |
      | indication.serious_manifestations_before_18 | true       |
      | development.stage                           | ind_active |

  Rule: RPD-1 The disease is serious or life-threatening

    Scenario: A serious, rare disease of childhood qualifies
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "eligible"
      And "rare_pediatric_disease" is decided by "rare_pediatric_disease.eligible_after_2026_extension"
      And "rare_pediatric_disease" has a caveat mentioning "primarily affects"

    Scenario: A disease that is not serious is not a rare pediatric disease
      Given the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "not_eligible"
      And "rare_pediatric_disease" is decided by "rare_pediatric_disease.not_pediatric"

  Rule: RPD-2 The serious manifestations primarily affect individuals from birth to 18 years

    Scenario Outline: Serious manifestations before or after 18
      Given the dossier states "indication.serious_manifestations_before_18" is "<before 18>"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "<determination>"

      Examples:
        | before 18 | determination |
        | true      | eligible      |
        | false     | not_eligible  |

    Scenario: Unknown age of the serious manifestations is a question
      Given the dossier leaves out "indication.serious_manifestations_before_18"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "undetermined"
      And "rare_pediatric_disease" asks about "indication.serious_manifestations_before_18"

    Scenario: Childhood onset with a mostly adult population is not a rare pediatric disease
      Given the dossier states "indication.childhood_onset" is "true"
      And the dossier states "indication.serious_manifestations_before_18" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "not_eligible"

    Scenario: Childhood onset alone does not answer the statutory test
      Given the dossier states "indication.childhood_onset" is "true"
      And the dossier leaves out "indication.serious_manifestations_before_18"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "undetermined"
      And "rare_pediatric_disease" asks about "indication.serious_manifestations_before_18"
      And "rare_pediatric_disease" does not ask about "indication.childhood_onset"

  Rule: RPD-3 The disease is rare under section 526

    Scenario Outline: Prevalence on either side of 200,000
      Given the dossier states "indication.us_prevalence" is "<prevalence>"
      And the dossier states "indication.cost_recovery_expected" is "<recovers costs>"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "<determination>"

      Examples:
        | prevalence | recovers costs | determination |
        | 199999     | true           | eligible      |
        | 200000     | true           | not_eligible  |
        | 200000     | false          | eligible      |

  Rule: Designation and voucher requests close with the original BLA

    Scenario Outline: The request window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "<determination>"

      Examples:
        | stage         | determination |
        | research      | eligible      |
        | ind_active    | eligible      |
        | bla_submitted | eligible      |
        | bla_approved  | closed |

    Scenario: After the BLA is approved the window has closed
      Given the dossier states "development.stage" is "bla_approved"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "closed"
      And "rare_pediatric_disease" is decided by "rare_pediatric_disease.after_approval"
      And "rare_pediatric_disease" has a caveat mentioning "filed the BLA"

    Scenario: The development stage is a question
      Given the dossier leaves out "development.stage"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" is "undetermined"
      And "rare_pediatric_disease" asks about "development.stage"

  Rule: Designation from FDASIA (July 9, 2012); lapsed for new designations after December 20, 2024; extended on February 3, 2026 through September 30, 2029

    Scenario Outline: Evaluation dates on either side of the voucher program's dates, for a product not yet designated
      Given the dossier states "designations" is "[]"
      When it is evaluated as of "<date>"
      Then "rare_pediatric_disease" is "<determination>"
      And "rare_pediatric_disease" is decided by "<rule>"

      Examples:
        | date       | determination | rule                                                 |
        | 2012-07-09 | eligible      | rare_pediatric_disease.eligible                      |
        | 2024-12-20 | eligible      | rare_pediatric_disease.eligible                      |
        | 2024-12-21 | not_eligible  | rare_pediatric_disease.lapsed                        |
        | 2026-02-02 | not_eligible  | rare_pediatric_disease.lapsed                        |
        | 2026-02-03 | eligible      | rare_pediatric_disease.eligible_after_2026_extension |
        | 2029-09-30 | eligible      | rare_pediatric_disease.eligible_after_2026_extension |

    Scenario: Before FDASIA no rule applies
      When it is evaluated as of "2012-07-08"
      Then "rare_pediatric_disease" is "not_eligible"

    Scenario Outline: After September 30, 2029 FDA may award no voucher: the program is closed
      When it is evaluated as of "<date>"
      Then "rare_pediatric_disease" is "<determination>"

      Examples:
        | date       | determination |
        | 2029-09-30 | eligible      |
        | 2029-10-01 | closed        |

    Scenario: After the end, a disease that is not pediatric is still refused for that reason
      Given the dossier states "indication.serious_manifestations_before_18" is "false"
      When it is evaluated as of "2029-10-01"
      Then "rare_pediatric_disease" is "not_eligible"
      And "rare_pediatric_disease" is decided by "rare_pediatric_disease.not_pediatric"

  Rule: Before clinical testing, designation is open but a voucher by September 30, 2029 is far off

    Scenario Outline: The stage decides the warning
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "<date>"
      Then "rare_pediatric_disease" is "eligible"
      And "rare_pediatric_disease" is decided by "<rule>"

      Examples:
        | stage        | date       | rule                                                 |
        | ind_enabling | 2026-11-21 | rare_pediatric_disease.early_stage_before_2029       |
        | research     | 2029-09-30 | rare_pediatric_disease.early_stage_before_2029       |
        | ind_enabling | 2026-02-03 | rare_pediatric_disease.early_stage_before_2029       |
        | ind_active   | 2026-11-21 | rare_pediatric_disease.eligible_after_2026_extension |

    Scenario: The warning says not to count on the voucher
      Given the dossier states "development.stage" is "ind_enabling"
      When it is evaluated as of "2026-11-21"
      Then "rare_pediatric_disease" has a caveat mentioning "do not count on the voucher"

    Scenario: Before the 2026 extension, the lapse decides, not the warning
      Given the dossier states "development.stage" is "ind_enabling"
      And the dossier states "designations" is "[]"
      When it is evaluated as of "2026-02-02"
      Then "rare_pediatric_disease" is "not_eligible"

    Scenario: During the lapse, whether the product was already designated decides
      When it is evaluated as of "2025-06-01"
      Then "rare_pediatric_disease" is "undetermined"
      And "rare_pediatric_disease" asks about "designations"

    Scenario: A designation granted before the lapse still led to a voucher on approval by September 30, 2026
      Given the dossier adds to "designations":
        | program                | status  | date       |
        | rare_pediatric_disease | granted | 2024-03-01 |
      When it is evaluated as of "2025-06-01"
      Then "rare_pediatric_disease" is "eligible"
      And "rare_pediatric_disease" is decided by "rare_pediatric_disease.designated_before_lapse"

  Rule: In the recommended course, the request goes out with the orphan request (FD&C Act 529(d)(2)-(3))

    Scenario: Filed on the same day as orphan designation, for FDA's 60-day decision
      Given the example dossier "course_orphan_and_rare_pediatric_together.yaml"
      When it is evaluated as of "2026-11-21"
      Then the course requests "orphan_drug_designation" before "rare_pediatric_disease"
      And the course files "rare_pediatric_disease" with "orphan_drug_designation"

    Scenario: With orphan designation already granted, it is filed on its own
      Given the example dossier "course_orphan_and_rare_pediatric_together.yaml"
      And the dossier adds to "designations":
        | program                 | status  | date       |
        | orphan_drug_designation | granted | 2026-03-01 |
      When it is evaluated as of "2026-11-21"
      Then the course requests "rare_pediatric_disease"
      And the course does not request "orphan_drug_designation"
