"""`bgtc rebuild`: the full assessments back from a batch output of compact lines.

Each compact line of `bgtc batch` points into the rule-base dictionary written once (the output's
first line, or the file `--dictionary beside` wrote). This command writes every line as `bgtc batch
--full` would have written it, byte for byte, the dictionary line left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bgtc_rules.cli.common import friendly_errors


@click.command()
@click.argument("batch_output", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dictionary", "dictionary_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The rule-base dictionary, when it is not the output's first line (bgtc batch --dictionary "
                   "beside wrote it as OUTPUT.dictionary.json).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write the full lines here (atomically) instead of to standard output.")
@friendly_errors
def rebuild(batch_output: Path, dictionary_file: Path | None, output: Path | None) -> None:
    """Write each line of BATCH_OUTPUT (a `bgtc batch --output` file of compact lines) with its full
    assessment, as `bgtc batch --full` writes it."""
    from bgtc_rules.advice.batch_lines import full_lines
    from bgtc_rules.advice.dictionary import RuleDictionary
    from bgtc_rules.base.errors import input_error
    from bgtc_rules.base.outputs import AtomicOutput

    dictionary = None
    if dictionary_file is not None:
        try:
            data = json.loads(dictionary_file.read_bytes())
        except (OSError, ValueError) as exc:
            raise input_error(str(dictionary_file), "", f"cannot be read as JSON ({exc})") from None
        dictionary = RuleDictionary.from_dict(data, str(dictionary_file))
    with open(batch_output, encoding="utf-8", newline="\n") as stream:
        lines = (line.rstrip("\n") for line in stream)
        if output is None or str(output) == "-":
            for line in full_lines(lines, str(batch_output), dictionary):
                sys.stdout.write(line + "\n")
            return
        with AtomicOutput(output) as target:
            for line in full_lines(lines, str(batch_output), dictionary):
                target.write(line + "\n")
