"""Policy feature files, read with the Gherkin parser (gherkin-official, as pytest-bdd reads them)
into the small model the handbook renders: a feature's description and background, its rules
and their scenarios, steps with their data tables, and outline examples.

What the policy vocabulary has no use for is refused with the file and line: doc strings, an
outline without examples, two scenarios of one name in a feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from bgtc_rules.base.errors import InputError, Problem, input_error

Table = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Step:
    keyword: str
    text: str
    line: int
    table: Table | None = None

    def render(self, context: dict[str, str]) -> Step:
        """The step with an outline's `<placeholders>` replaced by one row of examples."""
        def fill(text: str) -> str:
            return re.sub(r"<([^<>]+)>", lambda m: context.get(m.group(1), m.group(0)), text)

        table = tuple(tuple(fill(cell) for cell in row) for row in self.table) if self.table else None
        return Step(self.keyword, fill(self.text), self.line, table)


@dataclass(frozen=True)
class Examples:
    header: tuple[str, ...]
    rows: Table
    line: int


@dataclass(frozen=True)
class Scenario:
    name: str
    line: int
    outline: bool
    description: str
    steps: tuple[Step, ...]
    examples: tuple[Examples, ...] = ()

    def contexts(self) -> list[dict[str, str]]:
        """One context per example row (one empty context for a plain scenario)."""
        if not self.outline:
            return [{}]
        return [dict(zip(ex.header, row, strict=True)) for ex in self.examples for row in ex.rows]


@dataclass(frozen=True)
class RuleBlock:
    """A `Rule:` of a feature (name "" for scenarios outside any rule)."""

    name: str
    line: int
    description: str
    background: tuple[Step, ...]
    scenarios: tuple[Scenario, ...]


@dataclass(frozen=True)
class Feature:
    path: Path
    name: str
    description: str
    background: tuple[Step, ...]
    rules: tuple[RuleBlock, ...]

    @property
    def scenarios(self) -> list[tuple[RuleBlock, Scenario]]:
        return [(rule, scenario) for rule in self.rules for scenario in rule.scenarios]


def parse_feature(path: Path) -> Feature:
    """Read one feature file; `InputError` naming the file and line for what it cannot be."""
    from gherkin.errors import CompositeParserException, ParserException
    from gherkin.parser import Parser

    try:
        document = Parser().parse(path.read_text(encoding="utf-8"))
    except CompositeParserException as exc:
        raise InputError([_problem(path, error) for error in exc.errors]) from None
    except ParserException as exc:
        raise InputError([_problem(path, exc)]) from None
    feature = document.get("feature")
    if feature is None:
        raise input_error(str(path), "", "no 'Feature:' line", 1)
    return _Reader(path).feature(cast(dict[str, Any], feature))


def _problem(path: Path, error: Any) -> Problem:
    line = (error.location or {}).get("line") or 0
    message = re.sub(r"^\(\d+:\d+\): ", "", str(error))
    return Problem(str(path), "", message, line)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.names: set[str] = set()

    def fail(self, node: dict[str, Any], message: str) -> InputError:
        return input_error(str(self.path), "", message, node["location"]["line"])

    def feature(self, node: dict[str, Any]) -> Feature:
        background: tuple[Step, ...] = ()
        loose: list[Scenario] = []  # scenarios outside any rule
        rules: list[RuleBlock] = []
        for child in node["children"]:
            if "background" in child:
                background = self.steps(child["background"]["steps"])
            elif "scenario" in child:
                loose.append(self.scenario(child["scenario"]))
            else:
                rules.append(self.rule(child["rule"]))
        blocks = ([RuleBlock("", node["location"]["line"], "", (), tuple(loose))] if loose else []) + rules
        return Feature(self.path, node["name"], _prose(node["description"]), background, tuple(blocks))

    def rule(self, node: dict[str, Any]) -> RuleBlock:
        background: tuple[Step, ...] = ()
        scenarios = []
        for child in node["children"]:
            if "background" in child:
                background = self.steps(child["background"]["steps"])
            else:
                scenarios.append(self.scenario(child["scenario"]))
        return RuleBlock(node["name"], node["location"]["line"], _prose(node["description"]), background,
                         tuple(scenarios))

    def scenario(self, node: dict[str, Any]) -> Scenario:
        name = node["name"]
        outline = node["keyword"].strip() in ("Scenario Outline", "Scenario Template")
        if not name:
            raise self.fail(node, f"'{node['keyword'].strip()}:' needs a name")
        if name in self.names:
            raise self.fail(node, f"a second scenario named {name!r} in this feature")
        self.names.add(name)
        examples = tuple(self.examples(e) for e in node["examples"])
        if outline and not examples:
            raise self.fail(node, f"scenario outline {name!r} has no examples")
        return Scenario(name, node["location"]["line"], outline, _prose(node["description"]),
                        self.steps(node["steps"]), examples)

    def examples(self, node: dict[str, Any]) -> Examples:
        header = node.get("tableHeader")
        if header is None or not node["tableBody"]:
            raise self.fail(node, "examples need a header row and at least one row")
        return Examples(_cells(header), tuple(_cells(row) for row in node["tableBody"]),
                        header["location"]["line"])

    def steps(self, nodes: list[dict[str, Any]]) -> tuple[Step, ...]:
        steps = []
        for node in nodes:
            if "docString" in node:
                raise self.fail(node["docString"], "doc strings are not part of the policy step vocabulary")
            table = tuple(_cells(row) for row in node["dataTable"]["rows"]) if "dataTable" in node else None
            steps.append(Step(node["keyword"].strip(), node["text"], node["location"]["line"], table))
        return tuple(steps)


def _cells(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(cell["value"] for cell in row["cells"])


def _prose(description: str) -> str:
    """A description's lines as paragraphs separated by one blank line."""
    paragraphs, current = [], []
    for line in [*(line.strip() for line in description.splitlines()), ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)
