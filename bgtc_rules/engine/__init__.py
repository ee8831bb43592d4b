"""Inference: from a dossier's facts to rule outcomes, determinations and their explanations.

`facts` flattens a validated dossier; `inference` is what every backend returns and the
protocol it follows; `backends` holds the reference evaluator and the Rete backend on
durable-rules (the only module that imports it); `explain` values each condition and finds the
missing evidence; `determine` combines rule outcomes into one determination per program;
`proof` builds proof trees; `counterfactual` finds the smallest changes that reach a target;
`lint` checks a rule base by running it.
"""
