"""The rule language and its compilation: what a rule file may say and what loading makes of it.

`spec` is the YAML rule language as strict models; `catalog` the fact paths a rule may read,
derived from the dossier schema; `leaves` the typed fact tests; `tree` the compiled condition
trees every backend evaluates the same way; `normal_form` their rewriting into the positive
tests a pattern-matching engine runs; `valuation` the code generated to value every node at
once; `rulebase` loading and checking rule directories; `cache` the content-keyed cache of
compiled rule bases.
"""
