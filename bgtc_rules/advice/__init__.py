"""What a sponsor does with the determinations: the assessment and its export, stacking advice,
the dated plan, what-if comparison, the guided interview's logic, batches and report data.

`evaluation.evaluate` is the library's entry point: it runs the engine and assembles the
`assessment.Assessment`.
"""
