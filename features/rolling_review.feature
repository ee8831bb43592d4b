Feature: Rolling review (review of an incomplete BLA)
  For a product that holds fast track, breakthrough therapy or RMAT designation (FD&C Act 506(d),
  from FDAMA, November 21, 1997), or a Commissioner's National Priority Voucher (from June 17,
  2025): with FDA's agreement and a schedule for the rest, completed sections of the BLA can be
  submitted, and may be reviewed, before the whole application. It is agreed before the BLA is
  complete, typically at the pre-BLA meeting.

  Background:
    Given a dossier with:
      | field             | value      |
      | program.name      | AAV9-NRX1  |
      | development.stage | ind_active |
    And the dossier adds "{program: fast_track, status: granted, date: 2025-02-10}" to "designations"

  Rule: RR-1 A fast track, breakthrough therapy or RMAT designation, or a CNPV voucher, is held

    Scenario: A product with fast track designation can plan a rolling submission
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "eligible"
      And "rolling_review" is decided by "rolling_review.expedited_designation"
      And "rolling_review" has a caveat mentioning "schedule"

    Scenario Outline: The designation held, by program and status
      Given the dossier states "designations" is "[{program: <program>, status: <status>}]"
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "<determination>"

      Examples:
        | program                 | status    | determination |
        | fast_track              | granted   | eligible      |
        | breakthrough_therapy    | granted   | eligible      |
        | rmat                    | granted   | eligible      |
        | cnpv                    | granted   | eligible      |
        | fast_track              | requested | conditional   |
        | rmat                    | planned   | conditional   |
        | fast_track              | denied    | conditional   |
        | orphan_drug_designation | granted   | conditional   |

    Scenario: A Commissioner's National Priority Voucher brings rolling review
      Given the dossier states "designations" is "[{program: cnpv, status: granted}]"
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "eligible"
      And "rolling_review" is decided by "rolling_review.cnpv_voucher"

  Rule: Without such a designation, rolling review is available once one the program qualifies for is granted

    Scenario: A qualifying designation requested, awaiting FDA's decision
      Given the dossier states "designations" is "[{program: breakthrough_therapy, status: requested}]"
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "conditional"
      And "rolling_review" says "breakthrough therapy designation was requested"
      And "breakthrough_therapy" is recorded as "pending"

    Scenario: A denied fast track request is not counted on
      Given the dossier states "designations" is "[{program: fast_track, status: denied}]"
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "conditional"
      And "rolling_review" is available once "breakthrough_therapy, rmat" is granted

    Scenario: No designation at all: it names the designations the program may qualify for
      Given the dossier states "designations" is "[]"
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "conditional"
      And "rolling_review" is available once "fast_track, breakthrough_therapy, rmat" is granted
      And "rolling_review" says "Available once fast track, breakthrough therapy or"

    Scenario: Qualifying for none of the designations, rolling review is not available
      Given the dossier states "designations" is "[]"
      And the dossier states "indication.serious" is "false"
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "not_eligible"
      And "rolling_review" says "qualifies for none of them"

    Scenario: The designations held are a question
      Given the dossier leaves out "designations"
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "conditional"
      And "rolling_review" asks about "designations"

  Rule: Agreed under the IND, before the BLA is complete

    Scenario Outline: The window by development stage
      Given the dossier states "development.stage" is "<stage>"
      When it is evaluated as of "2026-11-21"
      Then "rolling_review" is "<determination>"
      And "rolling_review" is decided by "<rule>"

      Examples:
        | stage         | determination | rule                                 |
        | ind_enabling  | not_yet       | rolling_review.before_ind            |
        | ind_active    | eligible      | rolling_review.expedited_designation |
        | bla_submitted | closed        | rolling_review.application_complete  |

  Rule: Rolling review from FDAMA (November 21, 1997); through a CNPV voucher from June 17, 2025

    Scenario Outline: Evaluation dates around FDAMA and the CNPV pilot
      Given the dossier states "designations" is "[{program: <program>, status: granted}]"
      When it is evaluated as of "<date>"
      Then "rolling_review" is "<determination>"

      Examples:
        | program    | date       | determination |
        | fast_track | 1997-11-20 | not_eligible  |
        | fast_track | 1997-11-21 | eligible      |
        | cnpv       | 2025-06-16 | conditional   |
        | cnpv       | 2025-06-17 | eligible      |

  Rule: The smallest changes that reach it are the designations the program qualifies for

    Scenario: A phase 1/2 program that qualifies for fast track, breakthrough therapy and RMAT
      Given the example dossier "aav_phase12_pediatric_neuro.yaml"
      When it is evaluated as of "2026-11-21"
      Then "rmat" is "eligible"
      And "rolling_review" can be reached by obtaining "rmat"
      And "rolling_review" can be reached by obtaining "fast_track"
      And "rolling_review" is never reached by obtaining "cnpv"

    Scenario: A program that fails breakthrough therapy is never told to obtain it
      Given the example dossier "rdep_ultra_rare_known_genetic_cause.yaml"
      When it is evaluated as of "2026-11-21"
      Then "breakthrough_therapy" is "not_eligible"
      And "rolling_review" can be reached by obtaining "fast_track"
      And "rolling_review" is never reached by obtaining "breakthrough_therapy"
      And "rolling_review" is never reached by obtaining "cnpv"
