"""`bgtc draft`: the first draft of a designation request, a meeting request or the cover sheet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bgtc_rules.cli.common import (
    as_of_option,
    backend_option,
    emit,
    friendly_errors,
    output_option,
    parse_date,
    program_argument,
    rules_option,
)

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".docx": "docx"}


def _format(fmt: str | None, output: Path | None) -> str:
    """The chosen format, else the one the output file's suffix names, else Markdown."""
    if fmt is not None:
        return fmt
    if output is not None:
        return FORMATS.get(output.suffix.lower(), "markdown")
    return "markdown"


@click.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@program_argument
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "docx"]),
              help="Output format (default: from the -o file's suffix, else markdown).")
@click.option("--start", metavar="DATE", help="The day the request goes out, for the timeline (default: --as-of).")
@as_of_option
@rules_option
@backend_option
@output_option
@friendly_errors
def draft(dossier: Path, program: str, fmt: str | None, start: str | None, as_of: str | None,
          rule_dirs: tuple[Path, ...], backend: str | None, output: Path | None) -> None:
    """Write the first draft of the request for PROGRAM from DOSSIER, every gap marked [MISSING: ...].

    PROGRAM is a designation (orphan_drug_designation, rare_pediatric_disease, fast_track,
    breakthrough_therapy, rmat), a meeting (mtg_interact, mtg_pre_ind, mtg_type_a, mtg_type_b_eop,
    mtg_type_c, mtg_type_d, ...) or `cover` for the designations cover sheet; any case, or the
    program's common name (RMAT, "orphan drug", pre-IND).
    """
    import datetime as dt

    from bgtc_rules.advice.drafts import COVER, build_draft, require_draftable
    from bgtc_rules.advice.evaluation import evaluate
    from bgtc_rules.base.errors import input_error
    from bgtc_rules.dossier.loading import load_dossier
    from bgtc_rules.language.program_names import resolve_program
    from bgtc_rules.language.rulebase import RuleBase

    chosen = _format(fmt, output)
    when = parse_date(as_of)
    first = parse_date(start, "--start") or when or dt.date.today()
    rules = RuleBase.load(rule_dirs)
    program = resolve_program(rules.programs, program, extra=(COVER,))
    require_draftable(rules, program)  # before the evaluation: a typo should fail fast
    if chosen == "docx" and output is None and sys.stdout.isatty():
        raise input_error("--format docx", "", "a Word document is binary; write it to a file with -o FILE.docx")
    loaded = load_dossier(dossier)
    assessment = evaluate(loaded, rules, as_of=when or first, backend=backend, source=str(dossier))
    result = build_draft(loaded, assessment, rules, program, first)
    if chosen == "docx":
        from bgtc_rules.render.draft_docx import render_draft_docx

        data = render_draft_docx(result)
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            from bgtc_rules.base.outputs import write_bytes_atomically

            write_bytes_atomically(output, data)
        return
    if chosen == "html":
        from bgtc_rules.render.draft_html import render_draft_html

        text = render_draft_html(result)
    else:
        from bgtc_rules.render.draft_markdown import render_draft_markdown

        text = render_draft_markdown(result)
    emit(text, output)
