"""The compact batch line and JSON input, old against new, alternated in one process.

    python -m benchmarks.compact [--count 400] [--seed 29] [--json FILE]

For each generated dossier (each different, met once):

- **parse**: the same dossier as YAML (`parse_yaml`), as JSON by the locating parser alone (what
  JSON input cost before, `parse_json_located`) and as JSON on the fast path (`parse_json`: orjson,
  the locating parser only on a problem);
- **line**: the dossier is evaluated (untimed), then its output line is built and written to a file
  as `bgtc batch` does it (`advice.batch_lines.assessment_line`): the full line (`--full`, what every line
  was before) and the compact one (the default now), each with the remembered JSON parts forgotten
  first (`clear_caches`), so that no figure is a cache hit.

The variants run one after the other on each dossier, their order turned each time, so that a
change of load hits them alike; times are CPU (thread) time, medians and means per dossier, with the
ratios old / new. The load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from benchmarks.generate import generate, to_yaml
from benchmarks.run import AS_OF, git_revision, load_average
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate
from bgtc_rules.advice.batch import BatchOptions
from bgtc_rules.advice.batch_lines import assessment_line
from bgtc_rules.advice.dictionary import dictionary_for
from bgtc_rules.advice.evaluation import clear_caches
from bgtc_rules.base.documents import parse_json, parse_json_located, parse_yaml


def _cpu(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.thread_time()
    result = work()
    return time.thread_time() - start, result


def _figures(times: list[float]) -> dict[str, float]:
    return {"median_ms": statistics.median(times) * 1000, "mean_ms": statistics.fmean(times) * 1000}


def measure(count: int, seed: int) -> dict[str, Any]:
    rules = RuleBase.load()
    dossiers = generate(count, seed)
    yaml_texts = [to_yaml(d) for d in dossiers]
    json_texts = [json.dumps(d, ensure_ascii=False) for d in dossiers]
    parse_variants: dict[str, Callable[[str], Any]] = {
        "yaml": lambda text: parse_yaml(text, "d.yaml"),
        "json (locating parser)": lambda text: parse_json_located(text, "d.json"),
        "json (fast path)": lambda text: parse_json(text, "d.json"),
    }
    parse_times: dict[str, list[float]] = {name: [] for name in parse_variants}
    line_options = {"full": BatchOptions(as_of=AS_OF, full=True), "compact": BatchOptions(as_of=AS_OF)}
    line_times: dict[str, list[float]] = {name: [] for name in line_options}
    sizes: dict[str, list[int]] = {name: [] for name in line_options}
    before = load_average()
    with tempfile.TemporaryDirectory(prefix="bgtc-compact-") as tmp:
        outs = {name: open(Path(tmp) / f"{name}.jsonl", "w", encoding="utf-8")  # noqa: SIM115
                for name in line_options}
        try:
            for number, (data, yaml_text, json_text) in enumerate(zip(dossiers, yaml_texts, json_texts, strict=True)):
                order = list(parse_variants) if number % 2 == 0 else list(reversed(parse_variants))
                for name in order:
                    text = yaml_text if name == "yaml" else json_text
                    spent, document = _cpu(lambda text=text, name=name: parse_variants[name](text))
                    parse_times[name].append(spent)
                    assert document.data == data or name == "yaml"  # YAML reads the dates as dates
                clear_caches()
                assessment = evaluate(dossier_from_mapping(data), rules, as_of=AS_OF, source=f"d{number}.yaml")
                for name in (list(line_options) if number % 2 == 0 else list(reversed(line_options))):
                    clear_caches()
                    source = f"d{number}.yaml"
                    spent, size = _cpu(lambda name=name, source=source, assessment=assessment: _write(
                        outs[name], assessment_line(source, assessment, rules, line_options[name])))
                    line_times[name].append(spent)
                    sizes[name].append(size)
        finally:
            for out in outs.values():
                out.close()
    return {
        "meta": {"count": count, "seed": seed, "as_of": AS_OF.isoformat(), "revision": git_revision(),
                 "load_average_before": before, "load_average_after": load_average(), "cpus": os.cpu_count()},
        "parse": {name: _figures(times) for name, times in parse_times.items()},
        "line": {name: {**_figures(times), "mean_bytes": statistics.fmean(sizes[name])}
                 for name, times in line_times.items()},
        "dictionary_bytes": len(dictionary_for(rules).to_json().encode("utf-8")),
    }


def _write(out: TextIO, line: str) -> int:
    out.write(line)
    out.write("\n")
    return len(line.encode("utf-8")) + 1


def render(figures: dict[str, Any]) -> str:
    meta, parse, line = figures["meta"], figures["parse"], figures["line"]
    loads = [" ".join(f"{x:.2f}" for x in meta[key] or ()) for key in ("load_average_before", "load_average_after")]
    rows = [f"compact line and JSON input: {meta['count']} generated dossiers (seed {meta['seed']}), "
            f"as of {meta['as_of']}, revision {meta['revision']}",
            f"load average {loads[0]} before, {loads[1]} after ({meta['cpus']} CPUs); CPU time per dossier",
            "", "Parse one dossier (median / mean, ms)"]
    for name, value in parse.items():
        rows.append(f"  {name:<26} {value['median_ms']:8.3f} / {value['mean_ms']:.3f}")
    yaml_median, fast_median = parse["yaml"]["median_ms"], parse["json (fast path)"]["median_ms"]
    located = parse["json (locating parser)"]["median_ms"]
    rows.append(f"  YAML / JSON fast path       {yaml_median / fast_median:8.1f}x;  JSON locating / fast path "
                f"{located / fast_median:.1f}x")
    rows += ["", "Build and write one output line (median / mean, ms; mean size)"]
    for name, value in line.items():
        rows.append(f"  {name:<26} {value['median_ms']:8.3f} / {value['mean_ms']:.3f}   "
                    f"{value['mean_bytes'] / 1024:7.1f} KiB")
    rows.append(f"  full / compact              {line['full']['median_ms'] / line['compact']['median_ms']:8.1f}x time, "
                f"{line['full']['mean_bytes'] / line['compact']['mean_bytes']:.1f}x size")
    rows.append(f"  the dictionary, written once per batch: {figures['dictionary_bytes'] / 1024:.1f} KiB")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compact", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=400, help="distinct dossiers (default 400)")
    parser.add_argument("--seed", type=int, default=29, help="generator seed (default 29)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures here")
    args = parser.parse_args(argv)
    if args.count < 2:
        parser.error("--count must be at least 2")
    figures = measure(args.count, args.seed)
    sys.stdout.write(render(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
