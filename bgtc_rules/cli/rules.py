"""`bgtc rules list|show|lint|graph`: browse and check the knowledge base."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bgtc_rules.cli.common import EXIT_FOUND, complete_program, emit, friendly_errors, output_option, rules_option

if TYPE_CHECKING:
    from bgtc_rules.language.citations import CitedSource


def _load(rule_dirs: tuple[Path, ...]):  # type: ignore[no-untyped-def]
    from bgtc_rules.language.rulebase import RuleBase

    return RuleBase.load(rule_dirs)


@click.group()
def rules() -> None:
    """Browse and check the rules (the knowledge base)."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
@output_option
@friendly_errors
def list_rules(fmt: str, rule_dirs: tuple[Path, ...], output: Path | None) -> None:
    """Every program and meeting type, with its rules, effective dates and citations."""
    from bgtc_rules.render.rulebook import program_list

    base = _load(rule_dirs)
    listing = program_list(base)
    if fmt == "json":
        emit(json.dumps(listing, indent=2) + "\n", output)
        return
    entries = listing["programs"]
    counts = f"{len(base.programs)} programs, {len(base.rules)} rules"
    lines = [f"Rules edition: {base.edition} [{base.digest}]: {counts}", ""]
    for entry in entries:
        until = entry["effective_until"] or "open-ended"
        lines.append(f"{entry['id']}  ({entry['kind']})  {entry['name']}")
        lines.append(f"    in force {entry['effective_from']} to {until}; {len(entry['rules'])} rules")
        for citation in entry["citations"]:
            lines.extend(textwrap.wrap(citation, 110, initial_indent="    cites: ", subsequent_indent="           "))
        lines.append("")
    emit("\n".join(lines), output)


@rules.command("show")
@click.argument("identifier", shell_complete=complete_program)
@rules_option
@output_option
@friendly_errors
def show(identifier: str, rule_dirs: tuple[Path, ...], output: Path | None) -> None:
    """One program (with its rules) or one rule, as YAML."""
    from bgtc_rules.render.rulebook import describe

    emit(describe(_load(rule_dirs), identifier), output)


@rules.command("lint")
@rules_option
@click.option("--bundled/--no-bundled", default=True, show_default=True,
              help="Include the bundled rules (--no-bundled lints a standalone rule set).")
@click.option("--citations", "by_file", is_flag=True,
              help="Also list, per rule file, the cited URLs that are not primary sources.")
@friendly_errors
def lint_rules(rule_dirs: tuple[Path, ...], bundled: bool, by_file: bool) -> None:
    """Check the rule base: reachability, conflicting outcomes, paths per program, citations. Exit 1 on errors."""
    from bgtc_rules.advice.drafts.sources import cited_by_drafts
    from bgtc_rules.engine.lint import lint
    from bgtc_rules.language.citations import census, cited_sources
    from bgtc_rules.language.rulebase import RuleBase

    base = RuleBase.load(rule_dirs, include_bundled=bundled)
    findings = lint(base, also_cited=[str(c.source) for c in cited_by_drafts()] if bundled else ())
    for finding in findings:
        click.echo(str(finding))
    sources = list(cited_sources(base))
    if by_file:
        click.echo(_citations_by_file(sources))
    click.echo(str(census(sources)))
    errors = sum(f.level == "error" for f in findings)
    click.echo(f"{errors} error(s), {len(findings) - errors} warning(s)")
    if errors:
        raise SystemExit(EXIT_FOUND)


def _citations_by_file(sources: list[CitedSource]) -> str:
    """Per file: its census, then each distinct URL that is not primary, with its kind."""
    from bgtc_rules.language.citations import SourceKind, census, source_kind

    files: dict[str, list[CitedSource]] = {}
    for source in sources:
        files.setdefault(source.file, []).append(source)
    lines = []
    for file, cited in sorted(files.items()):
        lines.append(f"{file}: {census(cited)}")
        urls = dict.fromkeys(s.citation.url for s in cited if s.citation.url)
        for url in (u for u in urls if source_kind(u) is not SourceKind.PRIMARY):
            marked = any(s.citation.secondary for s in cited if s.citation.url == url)
            lines.append(f"    {source_kind(url).value}{' (marked)' if marked else ''}: {url}")
    return "\n".join(lines)


@rules.command("graph")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True)
@click.option("--facts/--no-facts", default=False, help="Include the dossier facts each rule reads.")
@rules_option
@output_option
@friendly_errors
def graph(fmt: str, facts: bool, rule_dirs: tuple[Path, ...], output: Path | None) -> None:
    """The concept dependency graph, as Mermaid or Graphviz DOT."""
    from bgtc_rules.render.graph import to_dot, to_mermaid

    base = _load(rule_dirs)
    emit(to_mermaid(base, facts) if fmt == "mermaid" else to_dot(base, facts), output)
