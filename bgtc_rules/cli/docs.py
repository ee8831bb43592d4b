"""`bgtc docs`: write the policy handbook (Markdown) from the rules and the policy features."""

from __future__ import annotations

from pathlib import Path

import click

from bgtc_rules.cli.common import friendly_errors, rules_option


@click.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/handbook"),
              show_default=True, help="Directory to write the pages into (created if needed).")
@click.option("--features", "features_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Directory of feature files (default: the repository's features/).")
@rules_option
@friendly_errors
def docs(output: Path, features_dir: Path | None, rule_dirs: tuple[Path, ...]) -> None:
    """Write the policy handbook: one Markdown page per program, with its rules, program data and
    scenarios (outcomes computed by replaying them), a concepts page and an index.

    The output is reproducible byte for byte; files are written atomically.
    """
    from bgtc_rules.render.handbook import default_features_dir, write_handbook

    written = write_handbook(output, features_dir or default_features_dir(), rule_dirs)
    click.echo(f"wrote {len(written)} pages to {output}")
