"""Move every citation written out in full in a rules directory into its `sources.yaml`.

Usage (from the repository root; re-runnable, it changes only what is still written out):

    .venv/bin/python scripts/convert_sources.py            # rules/ (the bundled rules)
    .venv/bin/python scripts/convert_sources.py DIR ...     # other rules directories
    .venv/bin/python scripts/convert_sources.py --check     # exit 1 if anything is left to convert

For each `citations:` entry that still writes its source out (`document`, `url`, `secondary`,
`reason`, `reference`), the source is looked up in DIR/sources.yaml by title and URL: found, its id
is reused; not found, a readable id is minted from the title (`fdca-506b`, `cfr-21-316-20`,
`guidance-expedited-programs-2014`, ...) and the source is appended to sources.yaml. The entry is
then rewritten in place to `{source: id, section: ...}`: only the lines of that entry change (the
section's text is kept byte for byte), so comments, ordering and the rest of the file stay as they
were. `reference` labels (the reference notes' S-numbers) are dropped. Existing entries of
sources.yaml are never rewritten; new ones are appended at its end.

After merging a branch that still writes citations out: where a rule file conflicts only because one
side cites by id, keep the other side's text (citations written out, `reference` labels and all),
then run this script; it converts them, reusing the ids already listed. Code that builds a
`Citation` itself (the request drafts) names its source with `source=ID`, never `reference=`.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

OUT_OF_LINE = ("document", "url", "reference", "secondary", "reason")
HEADER = """\
# Every source the rules cite, once. A rule cites one as {source: ID, section: "..."}: the section
# belongs to the citation, everything else to the source here.
#   title:  the source's name as the reader sees it
#   date:   the date the title gives (publication, or of the notice or law it names), where it gives one
#   docket: the FDA docket number, where the title gives one
#   url:    where to read it
#   kind:   primary (statute, regulation, Federal Register, FDA guidance or page) or secondary
#           (press report, law-firm summary, article), with the reason it is cited
# Ids are the project's own; scripts/convert_sources.py mints them for citations still written out.
sources:
"""
MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
STOPWORDS = {"an", "and", "the", "of", "for", "to", "in", "on", "or", "with", "between", "that", "by",
             "as", "from", "its", "at", "s", "fda", "web", "page", "program"}


@dataclass
class Source:
    title: str
    url: str | None
    secondary: bool
    reason: str | None


def _slug(text: str, words: int) -> str:
    parts = [w for w in re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", "")).split() if w not in STOPWORDS]
    return "-".join(parts[:words])


def _year(title: str) -> str:
    found = re.search(r"\b(19|20)\d\d\b", title)
    return f"-{found.group(0)}" if found else ""


def mint_id(title: str) -> str:
    """A readable id for a source, from its title (made unique by the caller)."""
    statute = re.match(r"FD&C Act section (\w+)((?:\(\w+\))*)", title)
    if statute:
        return "fdca-" + (statute.group(1) + re.sub(r"[()]", "", statute.group(2))).lower()
    cfr = re.match(r"21 CFR (Part \d+(?:, Subpart \w)?|[\d.]+)((?:\(\w+\))*)", title)
    if cfr:
        return "cfr-21-" + _slug(cfr.group(1) + re.sub(r"[()]", "", cfr.group(2)), 6)
    head, _, rest = title.partition(":")
    if rest and "guidance" in head.lower():
        draft = "draft-" if "draft" in head.lower() else ""
        return f"guidance-{draft}{_slug(rest.split('(')[0], 3)}{_year(rest)}"
    register = re.search(r"(\d+) FR (\d+)", title)
    if register and ("notice" in head.lower() or title.startswith(("Federal Register", "FDA notice"))):
        return f"fr-{register.group(1)}-{register.group(2)}"
    if rest and head.startswith("FDA"):
        kind = _slug(head, 3)
        return "-".join(p for p in ("fda", kind, _slug(rest.split("(")[0], 4)) if p)
    slug = _slug(title.split("(")[0], 5)
    return slug if slug.endswith(_year(title)) else slug + _year(title)


def _date(title: str) -> str | None:
    month = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    day = re.search(month + r" (\d{1,2}), ((?:19|20)\d\d)", title)
    if day:
        return f"{day.group(3)}-{MONTHS[day.group(1).lower()]:02d}-{int(day.group(2)):02d}"
    only_month = re.search(r"\(" + month + r" ((?:19|20)\d\d)", title)
    if only_month:
        return f"{only_month.group(2)}-{MONTHS[only_month.group(1).lower()]:02d}"
    year = re.search(r"\(((?:19|20)\d\d)\)", title)
    return year.group(1) if year else None


def _docket(title: str) -> str | None:
    found = re.search(r"FDA-\d{4}-[A-Z]-\d{3,5}", title)
    return found.group(0) if found else None


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def source_yaml(source_id: str, source: Source) -> str:
    lines = [f"  {source_id}:", f"    title: {_quote(source.title)}"]
    if (date := _date(source.title)) is not None:
        lines.append(f'    date: "{date}"')
    if (docket := _docket(source.title)) is not None:
        lines.append(f"    docket: {docket}")
    if source.url:
        lines.append(f"    url: {source.url}")
    lines.append(f"    kind: {'secondary' if source.secondary else 'primary'}")
    if source.reason:
        lines.append(f"    reason: {_quote(source.reason)}")
    return "\n".join(lines) + "\n"


class Registry:
    """DIR/sources.yaml as read, plus the sources minted in this run (appended on save)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8") if path.exists() else HEADER
        data = yaml.safe_load(self.text) or {}
        self.known: dict[str, Source] = {
            key: Source(value["title"], value.get("url"), value.get("kind") == "secondary", value.get("reason"))
            for key, value in (data.get("sources") or {}).items()}
        self.minted: dict[str, Source] = {}

    def id_for(self, source: Source) -> str:
        for key, known in (*self.known.items(), *self.minted.items()):
            if (known.title, known.url) == (source.title, source.url):
                if (known.secondary, known.reason) != (source.secondary, source.reason):
                    print(f"  note: {key}: a citation marks it {'secondary' if source.secondary else 'primary'}"
                          f" ({source.reason}); sources.yaml keeps what it says")
                return key
        base = mint_id(source.title) or "source"
        key, n = base, 2
        while key in self.known or key in self.minted:
            key, n = f"{base}-{n}", n + 1
        self.minted[key] = source
        print(f"  minted {key}: {source.title} <{source.url}>")
        return key

    def save(self) -> None:
        if self.minted:
            text = self.text if self.text.endswith("\n") else self.text + "\n"
            text += "".join(source_yaml(k, s) for k, s in self.minted.items())
            self.path.write_text(text, encoding="utf-8")


def _citation_nodes(node: yaml.Node) -> list[yaml.MappingNode]:
    """Every mapping in a `citations:` sequence, anywhere in the document."""
    found: list[yaml.MappingNode] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "citations" and isinstance(value, yaml.SequenceNode):
                found += [item for item in value.value if isinstance(item, yaml.MappingNode)]
            else:
                found += _citation_nodes(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _citation_nodes(item)
    return found


def _rewrite(text: str, node: yaml.MappingNode, source_id: str) -> str:
    """The text of one citation mapping, rewritten to name its source by id and keep its section."""
    pairs = {key.value: (key, value) for key, value in node.value}
    section = pairs.get("section")
    section_text = text[section[0].start_mark.index:section[1].end_mark.index] if section else None
    if node.flow_style:
        inner = f"source: {source_id}" + (f", {section_text}" if section_text else "")
        return "{" + inner + "}"
    indent = " " * node.start_mark.column
    return f"source: {source_id}" + (f"\n{indent}{section_text}" if section_text else "")


def convert_file(path: Path, registry: Registry) -> int:
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text)
    if root is None:
        return 0
    edits = []
    for node in _citation_nodes(root):
        data = {key.value: yaml.safe_load(text[value.start_mark.index:value.end_mark.index]) if
                isinstance(value, yaml.ScalarNode) else None for key, value in node.value}
        if "document" not in data:
            continue  # already cites by id
        source = Source(str(data["document"]), data.get("url"), bool(data.get("secondary")), data.get("reason"))
        source_id = registry.id_for(source)
        end = max(value.end_mark.index for _, value in node.value)
        if node.flow_style:
            end = node.end_mark.index
        edits.append((node.start_mark.index, end, _rewrite(text, node, source_id)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if edits:
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {len(edits)} citation(s) now cite by id")
    return len(edits)


def convert(directory: Path, check: bool) -> int:
    registry = Registry(directory / "sources.yaml")
    files = sorted(p for p in directory.rglob("*.yaml") if p.name != "sources.yaml")
    if check:
        left = sum(1 for p in files for n in _citation_nodes(yaml.compose(p.read_text(encoding="utf-8")))
                   if any(k.value == "document" for k, _ in n.value))
        print(f"{directory}: {left} citation(s) still written out")
        return left
    total = sum(convert_file(p, registry) for p in files)
    registry.save()
    print(f"{directory}: {total} citation(s) converted; {len(registry.minted)} source(s) minted, "
          f"{len(registry.known)} already in sources.yaml")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directories", nargs="*", type=Path, default=[Path("rules")])
    parser.add_argument("--check", action="store_true", help="only count what is left to convert")
    args = parser.parse_args()
    left = sum(convert(d, args.check) for d in args.directories)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
