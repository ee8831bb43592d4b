"""Executable policy documentation: the step vocabulary of the policy features (`steps`), feature
files read with the Gherkin parser (`features`), and scenarios replayed through the library with
the outcomes the rules give (`replay`). The BDD suite (`features/steps.py`) and the handbook
(`bgtc docs`) use the same steps.
"""
