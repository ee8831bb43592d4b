"""The course fields of a program (`ProgramCourse`): checked when the rules load, and their
conditions compiled for the course (`advice.course`) to evaluate on a dossier's facts.

A link must name declared programs other than its own, and a gate's condition must read fact paths
the dossier has and concepts some rule concludes, as a rule's condition must.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from bgtc_rules.base.documents import Document, PathKey
from bgtc_rules.base.errors import Problem
from bgtc_rules.language.catalog import fact_catalog
from bgtc_rules.language.leaves import make_leaf
from bgtc_rules.language.spec import (
    AllCondition,
    AnyCondition,
    ConceptCondition,
    Condition,
    CourseGate,
    CourseLink,
    NotCondition,
    Program,
    ProgramCourse,
)
from bgtc_rules.language.tree import AllNode, AnyNode, ConceptNode, Node, NotNode, walk

LINKS = ("fallback_for", "file_with", "folds_into")
GATES = ("comes_first_when", "only_before")

Compiler = Callable[[Condition, Document, PathKey, str], "Node | None"]


def links(course: ProgramCourse) -> Iterator[tuple[str, CourseLink]]:
    for name in LINKS:
        link = getattr(course, name)
        if link is not None:
            yield name, link


def gates(course: ProgramCourse) -> Iterator[tuple[str, CourseGate]]:
    for name in GATES:
        gate = getattr(course, name)
        if gate is not None:
            yield name, gate


def course_problems(programs: Mapping[str, Program], concluded: set[str], compile_condition: Compiler,
                    source: str = "rules") -> list[Problem]:
    """What is wrong with the programs' course fields (unknown programs, facts or concepts)."""
    problems: list[Problem] = []
    for program in programs.values():
        if program.course is None:
            continue
        where = f"program {program.id}"
        for name, link in links(program.course):
            for other in link.programs:
                if other == program.id:
                    problems.append(Problem(source, where, f"course.{name} names the program itself"))
                elif other not in programs:
                    problems.append(Problem(source, where, f"course.{name} names unknown program {other!r}"))
        for name, gate in gates(program.course):
            node = compile_condition(gate.when, Document(source, None), ("program", "course", name, "when"),
                                     f"{program.id} course.{name}")
            for part in walk(node) if node is not None else ():
                if isinstance(part, ConceptNode) and part.concept not in concluded:
                    problems.append(Problem(source, where, f"course.{name} reads unknown concept {part.concept!r}"))
    return problems


def compile_gate(condition: Condition) -> Node:
    """A gate's condition as a node tree; it was checked when the rules loaded (`course_problems`)."""
    if isinstance(condition, (AllCondition, AnyCondition)):
        items = condition.all if isinstance(condition, AllCondition) else condition.any
        parts = tuple(compile_gate(c) for c in items)
        return AllNode(parts) if isinstance(condition, AllCondition) else AnyNode(parts)
    if isinstance(condition, NotCondition):
        return NotNode(compile_gate(condition.not_))
    if isinstance(condition, ConceptCondition):
        return ConceptNode(condition.concept)
    return make_leaf(condition, fact_catalog()[condition.fact])


def gate_node(program: Program, name: str) -> Node | None:
    """The compiled condition of one of the program's gates (None when it has none); the course
    keeps it with the rule base's engine (`advice.course`)."""
    gate = getattr(program.course, name, None) if program.course is not None else None
    return None if gate is None else compile_gate(gate.when)
