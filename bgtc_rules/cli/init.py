"""`bgtc init`: write a commented template dossier."""

from __future__ import annotations

from pathlib import Path

import click

from bgtc_rules.base.errors import input_error
from bgtc_rules.cli.common import emit, friendly_errors, rules_option


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@rules_option
@friendly_errors
def init(file: Path | None, force: bool, rule_dirs: tuple[Path, ...]) -> None:
    """Write a template dossier with every field and its question (to FILE, or standard output)."""
    from bgtc_rules.language.rulebase import RuleBase
    from bgtc_rules.render.template import dossier_template

    if file is not None and file.exists() and not force:
        raise input_error(str(file), "", "file exists; use --force to overwrite it")
    emit(dossier_template(RuleBase.load(rule_dirs)), file)
    if file is not None:
        click.echo(f"wrote {file}; fill it in, then run: bgtc evaluate {file}", err=True)
